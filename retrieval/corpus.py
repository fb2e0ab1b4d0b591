"""Load a folder of prior reporting: .jsonl, .csv, .md/.txt files with a front-matter header, and saved web
pages, feeds, web archives and PDFs (pages through ``common.pages``, as articles are read).

A bad record never stops the load and is never dropped silently: it becomes a ``CorpusProblem``
naming file and line and the kind of problem, which the CLI prints and counts and the index manifest keeps.
Files of other types in the folder are named too, not passed over. A link that leads out of the corpus folder
(a symlinked file or folder pointing elsewhere on the server) is not followed: what is indexed, and later shown to
analysts, is only what was put in the folder.

Two records with the same id: the first in path order (files sorted by path, records in file order) is kept,
and the other is reported with both places, so that the analyst can give it its own id. Nothing is replaced
without a word.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from common.language import ENGLISH, detect
from common.pages import EMPTY, MAX_PAGE_BYTES, UNREADABLE, PageError, read_page
from retrieval.types import Document

MAX_FIELD_CHARS = 200_000
SUFFIXES = {".jsonl", ".csv", ".md", ".txt", ".html", ".htm", ".warc", ".warc.gz", ".rss", ".atom", ".xml", ".pdf"}
FACT_CHECK_SUFFIXES = {".json"}  # ClaimReview exports, read by retrieval.factchecks


class CorpusError(ValueError):
    """A corpus that cannot be used at all (missing folder, nothing readable)."""


# The kinds of problem, counted per kind in `claimdesk index`'s report.
# UNREADABLE and EMPTY are the page extractor's words for the same kinds.
MALFORMED, DUPLICATE, UNSUPPORTED, OUTSIDE, OTHER_LANGUAGE = (
    "malformed record", "duplicate id", "unsupported file type", "outside the corpus folder", "not in English")
# A document's language is judged on its opening: enough for lingua to be sure, and a flat cost per document.
LANGUAGE_SAMPLE_CHARS = 600
# Only a confident guess leaves a document out: a dateline or a list of names can tip an unsure one.
LANGUAGE_CONFIDENCE = 0.8


@dataclass(frozen=True)
class CorpusProblem:
    path: str
    line: int  # 0: the whole file
    message: str
    kind: str = MALFORMED

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


def parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    match = re.match(r"^\s*(\d{4})-(\d{2})-(\d{2})", str(value))
    if not match:
        raise ValueError(f"date {value!r} is not YYYY-MM-DD")
    return date(int(match[1]), int(match[2]), int(match[3]))


def _document(record: dict, fallback_id: str) -> Document:
    if not isinstance(record, dict):
        raise ValueError("record is not an object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing or empty 'text'")
    fields = {k: record.get(k) for k in ("id", "title", "source", "url")}
    for key, value in fields.items():
        if value is not None and not isinstance(value, (str, int)):
            raise ValueError(f"'{key}' must be text")
    if len(text) > MAX_FIELD_CHARS:
        raise ValueError(f"'text' is {len(text):,} characters, over the {MAX_FIELD_CHARS:,} limit")
    return Document(
        id=str(fields["id"] or fallback_id),
        text=text.replace("\r\n", "\n"),
        title=str(fields["title"] or ""),
        source=str(fields["source"] or ""),
        date=parse_date(record.get("date")),
        url=str(fields["url"] or ""),
    )


def _read_jsonl(path: Path, problems: list[CorpusProblem]):
    with open(path, encoding="utf-8", errors="strict", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(CorpusProblem(str(path), number, f"not valid JSON ({exc.msg}, column {exc.colno})"))
                continue
            if isinstance(record, dict) and record.get("@type") == "ClaimReview":
                continue  # an earlier fact-check: read by retrieval.factchecks, not a passage of reporting
            try:
                yield number, _document(record, f"{path.stem}:{number}")
            except ValueError as exc:
                problems.append(_record_problem(path, number, exc))


def _read_csv(path: Path, problems: list[CorpusProblem]):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "text" not in reader.fieldnames:
            problems.append(CorpusProblem(str(path), 1, "CSV header has no 'text' column", UNREADABLE))
            return
        for row in reader:
            try:
                yield reader.line_num, _document(row, f"{path.stem}:{reader.line_num}")
            except ValueError as exc:
                problems.append(_record_problem(path, reader.line_num, exc))


def _read_front_matter(path: Path, problems: list[CorpusProblem]):
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    meta: dict[str, str] = {}
    body = raw
    if raw.startswith("---\n"):
        end = raw.find("\n---\n", 4)
        if end == -1:
            problems.append(CorpusProblem(str(path), 1, "front matter opened with --- but never closed", UNREADABLE))
            return
        for line in raw[4:end].splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        body = raw[end + 5 :]
    try:
        yield 1, _document({**meta, "text": body.strip("\n"), "id": meta.get("id") or path.stem}, path.stem)
    except ValueError as exc:
        problems.append(_record_problem(path, 1, exc))


def _page(raw: bytes, where: str, line: int, doc_id: str, address: str, problems: list[CorpusProblem]):
    """A web page's Document through the extractor articles go through too (``common.pages``): its main text,
    title, site name (the outlet), publication date from the markup, and address; or a problem."""
    try:
        page = read_page(raw, address)
    except PageError as exc:
        problems.append(CorpusProblem(where, line, str(exc), exc.kind))
        return None
    try:
        return _document({"id": doc_id, "text": page.text, "title": page.title, "source": page.outlet,
                          "date": page.published.isoformat() if page.published else None, "url": page.url}, doc_id)
    except ValueError as exc:
        problems.append(CorpusProblem(where, line, str(exc).splitlines()[0], MALFORMED))
        return None


def _read_html(path: Path, problems: list[CorpusProblem]):
    document = _page(path.read_bytes(), str(path), 0, path.stem, "", problems)
    if document is not None:
        yield 1, document


def _read_warc(path: Path, problems: list[CorpusProblem]):
    """Every HTML response in a web archive (WARC, gzipped or not) as a page; the record's target URI is its id
    and address. Other records (requests, metadata, images) are not reporting and are passed over."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(path, "rb") as handle:
        try:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                kind = (record.http_headers.get_header("Content-Type") or "").lower()
                status = record.http_headers.get_statuscode() or ""
                if "html" not in kind or not status.startswith("2"):
                    continue
                address = record.rec_headers.get_header("WARC-Target-URI") or f"{path.name}#{number}"
                document = _page(record.content_stream().read(MAX_PAGE_BYTES + 1), str(path), number, address,
                                 address, problems)
                if document is not None:
                    yield number, document
        except ArchiveLoadFailed as exc:
            problems.append(CorpusProblem(str(path), 0, f"not a readable web archive ({str(exc).splitlines()[0]})",
                                          UNREADABLE))
        except Exception as exc:  # noqa: BLE001 - warcio raises anything on a damaged record; the rest is kept
            problems.append(CorpusProblem(str(path), 0, f"damaged web archive record ({type(exc).__name__}); the "
                                          "records before it were read", UNREADABLE))


def _read_feed(path: Path, problems: list[CorpusProblem]):
    """An RSS or Atom feed file: one document per entry (its title, summary or content, link and date)."""
    import feedparser

    parsed = feedparser.parse(path.read_bytes())
    if not parsed.entries:
        reason = f"not a feed ({parsed.bozo_exception})" if parsed.get("bozo") else "a feed with no entries"
        problems.append(CorpusProblem(str(path), 0, reason.splitlines()[0], UNREADABLE if parsed.get("bozo")
                                      else EMPTY))
        return
    outlet = parsed.feed.get("title", "")
    for number, entry in enumerate(parsed.entries, start=1):
        body = entry.get("content", [{}])[0].get("value") if entry.get("content") else entry.get("summary", "")
        text = _markup_text(body) if body and "<" in body else (body or "").strip()
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        try:
            yield number, _document({
                "id": entry.get("id") or entry.get("link") or f"{path.stem}:{number}", "text": text,
                "title": entry.get("title", ""), "source": outlet, "url": entry.get("link", ""),
                "date": f"{when.tm_year:04d}-{when.tm_mon:02d}-{when.tm_mday:02d}" if when else None,
            }, f"{path.stem}:{number}")
        except ValueError as exc:
            problems.append(_record_problem(path, number, exc))


def _markup_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed entry's summary), with its tags and scripts gone."""
    from lxml import etree, html

    try:
        root = html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for element in root.xpath("//script|//style"):
        element.drop_tree()
    return " ".join(root.text_content().split())


def _read_pdf(path: Path, problems: list[CorpusProblem]):
    """A PDF (a report, a press release): its text layer, title and creation date. A scan without a text layer
    is reported: there is nothing to search without OCR."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            problems.append(CorpusProblem(str(path), 0, "encrypted PDF; save an unlocked copy", UNREADABLE))
            return
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()
        meta = reader.metadata or {}
        title = str(meta.get("/Title") or "")
        created = getattr(reader.metadata, "creation_date", None) if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, OSError, RecursionError, AttributeError, TypeError) as exc:
        problems.append(CorpusProblem(str(path), 0, f"not a readable PDF ({type(exc).__name__})", UNREADABLE))
        return
    if not text:
        problems.append(CorpusProblem(str(path), 0, "no text layer in the PDF (a scan?)", EMPTY))
        return
    try:
        yield 1, _document({"id": path.stem, "text": text, "title": title,
                            "date": created.date().isoformat() if created else None}, path.stem)
    except ValueError as exc:
        problems.append(_record_problem(path, 1, exc))


_READERS = {".jsonl": _read_jsonl, ".csv": _read_csv, ".md": _read_front_matter, ".txt": _read_front_matter,
            ".html": _read_html, ".htm": _read_html, ".warc": _read_warc, ".warc.gz": _read_warc,
            ".rss": _read_feed, ".atom": _read_feed, ".xml": _read_feed, ".pdf": _read_pdf}


def _kind(path: Path) -> str:
    name = path.name.lower()
    return ".warc.gz" if name.endswith(".warc.gz") else path.suffix.lower()


def _record_problem(path: Path, line: int, exc: ValueError) -> CorpusProblem:
    message = str(exc).splitlines()[0]
    return CorpusProblem(str(path), line, message, EMPTY if "empty 'text'" in message else MALFORMED)


def folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The files under ``folder`` (hidden ones left out), in path order, and the links found there that lead out of
    it. Those are never read: a corpus folder on a shared server is what its owner put in it, not whatever a link
    placed in it points at."""
    root = folder.resolve()
    files, escaping = [], []
    for path in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            if path.exists():
                escaping.append(path)
        elif path.is_file():
            files.append(path)
    return files, escaping


def load_corpus(folder: str | Path, progress=None) -> tuple[list[Document], list[CorpusProblem]]:
    """All documents under ``folder`` (recursively; or one corpus file), in a stable order, plus the
    problems found. ``progress(files read, files)`` is called after each file: a folder of web archives or
    PDFs takes minutes to read."""
    folder = Path(folder)
    if folder.is_file() and _kind(folder) in SUFFIXES:
        files = [folder]
    elif folder.is_dir():
        candidates, escaping = folder_files(folder)
        candidates = [p for p in candidates if p.name.lower() != "readme.md"]
        files = [p for p in candidates if _kind(p) in SUFFIXES]
    else:
        raise CorpusError(f"{folder}: corpus folder not found")
    problems: list[CorpusProblem] = []
    if folder.is_dir():
        problems += [CorpusProblem(str(p), 0, f"a link to a {'folder' if p.is_dir() else 'file'} outside the corpus "
                                   "folder; not followed", OUTSIDE) for p in escaping]
        problems += [CorpusProblem(str(p), 0, f"{p.suffix or 'no extension'}: not a corpus file type (Claimdesk "
                                   f"reads {', '.join(sorted(SUFFIXES))})", UNSUPPORTED)
                     for p in candidates if _kind(p) not in SUFFIXES | FACT_CHECK_SUFFIXES]
    documents: dict[str, Document] = {}
    where: dict[str, str] = {}
    for number, path in enumerate(files, start=1):
        if progress and number > 1:
            progress(number - 1, len(files))
        reader = _READERS[_kind(path)]
        try:
            for line, document in reader(path, problems):
                # Search, the encoder and the stance model read English: a passage in another language would
                # match nothing reliably and be judged by a model that cannot read it. Counted, and left out.
                language = detect(f"{document.title}. {document.text}", LANGUAGE_SAMPLE_CHARS)
                if language and language[0] != ENGLISH and language[2] >= LANGUAGE_CONFIDENCE:
                    problems.append(CorpusProblem(str(path), line, f"{document.id!r} reads as {language[1]} "
                                                  f"({language[2]:.2f}); left out of English search",
                                                  OTHER_LANGUAGE))
                    continue
                if document.id in documents:
                    problems.append(CorpusProblem(
                        str(path), line, f"duplicate id {document.id!r}, first used at {where[document.id]}; this "
                        "record was left out (give it an id of its own)", DUPLICATE))
                    continue
                documents[document.id] = document
                where[document.id] = f"{path}:{line}"
        except UnicodeDecodeError as exc:
            problems.append(CorpusProblem(str(path), 0, f"not valid UTF-8 (byte {exc.start}); re-save as UTF-8",
                                          UNREADABLE))
        except OSError as exc:
            problems.append(CorpusProblem(str(path), 0, f"cannot read: {exc.strerror}", UNREADABLE))
    if progress and files:
        progress(len(files), len(files))
    if not documents:
        raise CorpusError(f"{folder}: no readable documents ({', '.join(sorted(SUFFIXES))})")
    return list(documents.values()), problems
