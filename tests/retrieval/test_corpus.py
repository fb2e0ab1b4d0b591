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
