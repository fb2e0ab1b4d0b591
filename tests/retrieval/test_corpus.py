"""Reading a corpus folder: every file or record left out says where and why, counted by kind; no silent winner
between two records with the same id."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from retrieval.corpus import (
    DUPLICATE,
    EMPTY,
    MALFORMED,
    OTHER_LANGUAGE,
    OUTSIDE,
    UNREADABLE,
    UNSUPPORTED,
    load_corpus,
)
from retrieval.factchecks import read_fact_checks

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


def test_documents_in_another_language_are_counted_and_left_out_of_search(tmp_path):
    """Search and the models read English: a German or French record is named with its language and left out; a
    record too short to judge stays."""
    _jsonl(tmp_path / "wire.jsonl", [
        {"id": "en-1", "text": "The port of Karsby reopened on Saturday after a storm closed it for three days."},
        {"id": "de-1", "text": "Der Hafen von Karsby wurde am Samstag wieder geöffnet, nachdem ein Sturm ihn drei "
                               "Tage lang geschlossen hatte, teilte die Hafenbehörde mit."},
        {"id": "fr-1", "title": "Réouverture du port", "text": "Le port de Karsby a rouvert samedi après qu'une "
                               "tempête l'a fermé pendant trois jours, a indiqué l'autorité portuaire."},
        {"id": "short", "text": "Karsby: Hafen offen."},
    ])
    documents, problems = load_corpus(tmp_path)
    assert sorted(d.id for d in documents) == ["en-1", "short"]
    other = {p.message.split("'")[1]: p.message for p in problems if p.kind == OTHER_LANGUAGE}
    assert set(other) == {"de-1", "fr-1"}
    assert "reads as German" in other["de-1"] and "reads as French" in other["fr-1"]
    assert all("left out of English search" in m for m in other.values())


def test_links_out_of_the_corpus_folder_are_reported_and_never_read(tmp_path):
    """A corpus folder on a shared server holds what its owner put there: a symlinked file or folder that leads
    elsewhere (another desk's drafts, /etc) is named as a problem and its text never reaches the index."""
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    (elsewhere / "drafts").mkdir(parents=True)
    corpus.mkdir()
    _jsonl(corpus / "wire.jsonl", [{"id": "w-1", "text": "The port of Karsby reopened on Saturday."}])
    (corpus / "notes").mkdir()
    (corpus / "notes" / "port.md").write_text("The harbour authority confirmed the reopening.", encoding="utf-8")
    (corpus / "port-link.md").symlink_to(corpus / "notes" / "port.md")  # a link that stays inside is a file
    _jsonl(elsewhere / "secret.jsonl", [{"id": "s-1", "text": "An unpublished draft."}])
    _jsonl(elsewhere / "drafts" / "more.jsonl", [{"id": "s-2", "text": "Another unpublished draft."}])
    (elsewhere / "review.json").write_text(json.dumps({"@type": "ClaimReview", "claimReviewed": "A draft claim",
                                                       "reviewRating": {"alternateName": "False"},
                                                       "url": "https://example.org/fc"}), encoding="utf-8")
    (corpus / "secret.jsonl").symlink_to(elsewhere / "secret.jsonl")
    (corpus / "drafts").symlink_to(elsewhere / "drafts")
    (corpus / "review.json").symlink_to(elsewhere / "review.json")
    documents, problems = load_corpus(corpus)
    assert {d.id for d in documents} == {"w-1", "port", "port-link"}
    outside = sorted(str(p) for p in problems if p.kind == OUTSIDE)
    assert outside == [f"{corpus / 'drafts'}: a link to a folder outside the corpus folder; not followed",
                       f"{corpus / 'review.json'}: a link to a file outside the corpus folder; not followed",
                       f"{corpus / 'secret.jsonl'}: a link to a file outside the corpus folder; not followed"]
    assert read_fact_checks(corpus)[0] == []


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


def _minimal_pdf(lines: list[str], title: str) -> bytes:
    """A one-page PDF with a text layer, written by hand (no PDF library writes text)."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) /CreationDate (D:20240203080000Z) >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _warc(path, pages: dict[str, str], extra_binary: bool = True) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=str(path).endswith(".gz"))
        for url, html in pages.items():
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(html.encode()),
                                                          http_headers=headers))
        if extra_binary:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://lakeside.example/logo.png", "response",
                                                          payload=BytesIO(b"\x89PNG"), http_headers=headers))


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Valley Post</title>
<item><title>Dam inspection finds cracks</title><link>https://valleypost.example/dam</link>
<guid>vp-1</guid><pubDate>Sat, 03 Feb 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Inspectors found &lt;b&gt;three cracks&lt;/b&gt; in the Karsby dam on Friday.&lt;/p&gt;
</description></item>
<item><title>Empty item</title><guid>vp-2</guid><description></description></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Lakeside Wire</title>
<entry><title>Ferry service resumes</title><id>urn:lw:7</id><link href="https://lakeside.example/ferry"/>
<updated>2024-02-04T10:00:00Z</updated><content type="html">The first ferry since the storm left at 6 am.</content>
</entry></feed>"""


def test_web_archives_feeds_and_pdfs_become_documents(tmp_path):
    _warc(tmp_path / "crawl.warc.gz", {"https://lakeside.example/port": PAGE})
    (tmp_path / "valley.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "lakeside.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(_minimal_pdf(["The dam holds 40 million cubic metres.",
                                                        "Inspections are due every five years."], "Dam report"))
    steps = []
    documents, problems = load_corpus(tmp_path, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(1, 4), (2, 4), (3, 4), (4, 4)]  # the terminal's "reading corpus files" bar
    by_id = {d.id: d for d in documents}
    port = by_id["https://lakeside.example/port"]
    assert (port.title, port.source, str(port.date)) == ("Port reopens after storm", "Lakeside Wire", "2024-02-03")
    dam = by_id["vp-1"]
    assert (dam.title, dam.source, str(dam.date), dam.url) == (
        "Dam inspection finds cracks", "Valley Post", "2024-02-03", "https://valleypost.example/dam")
    assert dam.text == "Inspectors found three cracks in the Karsby dam on Friday."
    assert by_id["urn:lw:7"].source == "Lakeside Wire" and str(by_id["urn:lw:7"].date) == "2024-02-04"
    report = by_id["report"]
    assert report.title == "Dam report" and str(report.date) == "2024-02-03"
    assert "40 million cubic metres" in report.text
    # The feed's empty item is reported; the archive's image is not reporting and is passed over.
    assert [str(p) for p in problems] == [f"{tmp_path / 'valley.rss'}:2: missing or empty 'text'"]


@pytest.mark.parametrize("name, content", [
    ("broken.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>"),
    ("broken.warc.gz", b"\x1f\x8b\x08\x00 not really gzip"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF"),
    ("scan.pdf", None),
    ("notafeed.xml", b"<?xml version='1.0'?><sitemap><url>x</url></sitemap>"),
    ("broken.rss", b"<rss><channel><item><title>unterminated"),
])
def test_broken_archives_feeds_and_pdfs_are_reported_never_a_crash(tmp_path, name, content):
    from pypdf import PdfWriter

    if content is None:  # a PDF with a page and no text layer, like a scan
        writer = PdfWriter()
        writer.add_blank_page(612, 792)
        with open(tmp_path / name, "wb") as handle:
            writer.write(handle)
    else:
        (tmp_path / name).write_bytes(content)
    (tmp_path / "good.jsonl").write_text(json.dumps({"id": "g", "text": "A passage."}) + "\n", encoding="utf-8")
    documents, problems = load_corpus(tmp_path)
    assert "g" in {d.id for d in documents}
    assert problems and all(str(p).startswith(str(tmp_path / name)) for p in problems)
