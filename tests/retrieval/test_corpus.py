"""Reading a corpus folder: every file or record left out says where and why, counted by kind; no silent winner
between two records with the same id."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from retrieval.corpus import DUPLICATE, EMPTY, MALFORMED, UNREADABLE, UNSUPPORTED, load_corpus

pytestmark = pytest.mark.unit


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_every_skipped_file_and_record_says_where_and_why(tmp_path):
    _jsonl(tmp_path / "a.jsonl", [{"id": "tass-1", "text": "Lavrov will visit Pyongyang."},
                                  {"id": "tass-2", "text": "   "}])
    _jsonl(tmp_path / "b.jsonl", [{"id": "b-1", "text": "Ri Yong-ho met Lavrov in Moscow."},
                                  {"id": "tass-1", "text": "A different passage that reused the id."}])
    (tmp_path / "c.jsonl").write_text('{"id": "c-1", "text": "ok"}\n{broken\n', encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04 a word file")
    (tmp_path / "old.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (tmp_path / ".hidden").write_text("ignored", encoding="utf-8")
    documents, problems = load_corpus(tmp_path)
    assert sorted(d.id for d in documents) == ["b-1", "c-1", "tass-1"]
    assert next(d for d in documents if d.id == "tass-1").text.startswith("Lavrov")  # the first, in path order
    messages = [str(p) for p in problems]
    duplicate = next(m for m in messages if "duplicate id" in m)
    assert duplicate.startswith(f"{tmp_path / 'b.jsonl'}:2: ") and f"{tmp_path / 'a.jsonl'}:1" in duplicate
    assert any(m.startswith(f"{tmp_path / 'notes.docx'}: .docx: not a corpus file type") for m in messages)
    assert any(m.startswith(f"{tmp_path / 'old.txt'}: not valid UTF-8") for m in messages)
    assert any(m.startswith(f"{tmp_path / 'c.jsonl'}:2: not valid JSON") for m in messages)
    assert not any(":0:" in m or ".hidden" in m for m in messages)
    assert Counter(p.kind for p in problems) == {DUPLICATE: 1, UNSUPPORTED: 1, UNREADABLE: 1, MALFORMED: 1,
                                                  EMPTY: 1}


PAGE = """<!doctype html><html><head><title>Port reopens after storm | Lakeside Wire</title>
<meta property="og:site_name" content="Lakeside Wire"><meta name="author" content="Ana Ruiz">
<meta property="article:published_time" content="2024-02-03T08:00:00Z">
<link rel="canonical" href="https://lakeside.example/port"></head>
<body><nav><a href="/">Home</a> Subscribe to our newsletter</nav>
<article><h1>Port reopens after storm</h1>
<p>The port of Karsby reopened on Saturday after a storm closed it for three days, the harbour authority said.</p>
<p>Ships queued outside the harbour overnight, and the first ferry left at 6 am.</p></article>
<footer>All rights reserved. Cookie policy.</footer></body></html>"""


def test_a_saved_web_page_is_a_document_with_its_metadata_and_without_its_chrome(tmp_path):
    (tmp_path / "port.html").write_text(PAGE, encoding="utf-8")
    (documents, problems) = load_corpus(tmp_path)
    (page,) = documents
    assert problems == []
    assert (page.id, page.title, page.source, str(page.date), page.url) == (
        "port", "Port reopens after storm", "Lakeside Wire", "2024-02-03", "https://lakeside.example/port")
    assert page.text.startswith("The port of Karsby reopened") and "first ferry" in page.text
    assert "Subscribe" not in page.text and "rights reserved" not in page.text


@pytest.mark.parametrize("content", [
    b"", b"\x00\x01\x02 binary", b"<html><body><nav>Home</nav></body></html>",
    b"<html><head><script>alert(1)</script></head><body><div><div><div>" + b"<p>" * 5000,
    "<html><body><p>Caf\xe9</p></body></html>".encode("latin-1"),
])
def test_a_page_with_no_story_is_reported_never_a_crash(tmp_path, content):
    (tmp_path / "bad.html").write_bytes(content)
    (tmp_path / "good.jsonl").write_text(json.dumps({"id": "g", "text": "A passage."}) + "\n", encoding="utf-8")
    documents, problems = load_corpus(tmp_path)
    assert [d.id for d in documents if d.id == "g"] == ["g"]
    assert all(str(p).startswith(str(tmp_path / "bad.html")) for p in problems)
    assert problems or any(d.id == "bad" for d in documents)
