"""Ingest speed of a web archive: reading and extracting its pages, then indexing them, against trafilatura alone.

    .venv/bin/python bench/warc_ingest.py [--pages 10000] [--reading-only] [--where]

A gzipped WARC of generated news pages (the four layouts of ``bench/html_extraction.py``, seeded) is written to a
temporary folder. Timed in one run, on the same pages:
- trafilatura alone: ``bare_extraction`` on every page's HTML, already in memory (the ceiling for extraction);
- reading: ``load_corpus`` on the WARC (warcio, then trafilatura, then the document checks and language);
- of that, the language check alone (lingua on each document's opening, as ``load_corpus`` runs it);
- syndication: grouping near-identical documents (MinHash), the first step of ``build_index``;
- indexing: ``build_index`` on those documents (syndication, sentence windows, embedding, vector store, BM25).
Reported: pages per second of each, reading against the ceiling, and the share of the total in each step; with
``--where``, also each step's share of the indexing (syndication, sentence windows, embedding, BM25, vector store,
fsync), from a profile.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))


# The steps of build_index, each a function whose cumulative time is that step's (none calls another).
STEPS = {
    "syndication (MinHash)": [("syndication.py", "collapse_syndicated")],
    "sentence windows": [("passages.py", "passages_of")],
    "embedding": [("index.py", "_embed")],
    "BM25 (tokenising, indexing, saving)": [("index.py", "_bm25_tokens"), ("__init__.py", "index"),
                                            ("__init__.py", "save")],
    "vector store": [("store.py", "save"), ("store.py", "build")],
    "fsync": [("index.py", "_fsync_tree")],
}


def where_indexing_goes(profile, seconds: float) -> dict[str, float]:
    """Each step's share of the indexing time, from a profile of build_index; the rest is passage lines, the
    manifest and the outlet and date columns. The profiler slows Python code more than the encoder's native code, so
    the Python steps' shares read a little high."""
    stats = pstats.Stats(profile).stats
    profiled = max(ct for (_, _, name), (_, _, _, ct, _) in stats.items() if name == "build_index")
    shares = {}
    for step, functions in STEPS.items():
        spent = sum(ct for (path, _, name), (_, _, _, ct, _) in stats.items()
                    if any(path.endswith(f"/{file}") and name == fn for file, fn in functions)
                    and ("bm25s" in path or "/retrieval/" in path))
        shares[step] = round(spent / profiled, 3)
    shares["other"] = round(1 - sum(shares.values()), 3)
    return shares


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--reading-only", action="store_true", help="stop before indexing (minutes at 10,000)")
    parser.add_argument("--where", action="store_true",
                        help="profile the indexing and report each step's share of it (the timings include the "
                             "profiler's overhead)")
    args = parser.parse_args()
    from html_extraction import page, story
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from retrieval.offline import enforce_offline

    enforce_offline()
    import trafilatura

    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import Settings
    from common.language import detect
    from retrieval.corpus import LANGUAGE_SAMPLE_CHARS, load_corpus
    from retrieval.index import build_index
    from retrieval.syndication import collapse_syndicated

    rng = random.Random(args.seed)
    pages = []
    for n in range(args.pages):
        headline, paragraphs, day = story(rng)
        pages.append((f"https://valleypost.example/{n:06d}", page(n % 4, headline, paragraphs, day)))
    with tempfile.TemporaryDirectory() as work:
        archive = Path(work) / "crawl.warc.gz"
        with open(archive, "wb") as handle:
            writer = WARCWriter(handle, gzip=True)
            for url, html in pages:
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                           protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(html.encode()),
                                                              http_headers=headers))
        archive_mb = round(archive.stat().st_size / 1e6, 1)
        started = time.perf_counter()
        for _, html in pages:
            trafilatura.bare_extraction(html.encode(), with_metadata=True, favor_precision=True,
                                        include_comments=False, include_tables=False)
        ceiling = time.perf_counter() - started
        started = time.perf_counter()
        documents, problems = load_corpus(archive)
        reading = time.perf_counter() - started
        started = time.perf_counter()
        for document in documents:
            detect(f"{document.title}. {document.text}", LANGUAGE_SAMPLE_CHARS)
        language = time.perf_counter() - started
        started = time.perf_counter()
        kept, copies = collapse_syndicated(documents)
        syndication = time.perf_counter() - started
        result = {
            "pages": args.pages, "documents": len(documents), "problems": len(problems), "archive_mb": archive_mb,
            "trafilatura_alone_pages_per_s": round(args.pages / ceiling, 1),
            "reading_pages_per_s": round(args.pages / reading, 1),
            "reading_vs_trafilatura_alone": round(ceiling / reading, 2),
            "language_check_ms_per_document": round(1000 * language / max(1, len(documents)), 2),
            "language_share_of_reading": round(language / reading, 3),
            "syndication_ms_per_document": round(1000 * syndication / max(1, len(documents)), 2),
            "syndicated_copies": len(documents) - len(kept),
        }
        if args.reading_only:
            print(json.dumps(result, indent=1))
            return 0
        encoder = Pipeline(Settings.load()).encoder
        profile = cProfile.Profile() if args.where else None
        started = time.perf_counter()
        if profile:
            profile.enable()
        report = build_index(documents, Path(work) / "index", encoder)
        if profile:
            profile.disable()
        indexing = time.perf_counter() - started
    total = reading + indexing
    if profile:
        result["indexing_share_by_step"] = where_indexing_goes(profile, indexing)
    result = {
        **result, "passages": report.passages,
        "indexing_pages_per_s": round(args.pages / indexing, 1),
        "end_to_end_pages_per_s": round(args.pages / total, 1),
        "share_reading": round(reading / total, 3), "share_indexing": round(indexing / total, 3),
        "encoded_with": report.encoded_with,
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
