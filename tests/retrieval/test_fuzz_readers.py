"""Fuzzing the corpus readers, the fact-check reader and article ingest with hypothesis: malformed HTML, feeds,
web archives, PDFs, CSV, JSONL and JSON-LD never crash or hang, and every problem names the bad file. Inputs are
valid samples cut, spliced with random bytes and flipped, plus plain random bytes."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.ingest import ArticleError, article_from_text, decode_article_bytes
from retrieval.corpus import load_corpus
from retrieval.factchecks import read_fact_checks
from tests.retrieval.test_corpus import ATOM, PAGE, RSS, _minimal_pdf, _warc

pytestmark = pytest.mark.slow
CASES = 100  # per format: 9 formats and article ingest, 1,000 cases


def _warc_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("seed") / "seed.warc"
    _warc(path, {"https://lakeside.example/port": PAGE})
    return path.read_bytes()


SEEDS = {
    ".html": PAGE.encode(),
    ".rss": RSS.encode(),
    ".atom": ATOM.encode(),
    ".pdf": _minimal_pdf(["The dam holds 40 million cubic metres."], "Dam report"),
    ".jsonl": (json.dumps({"id": "a", "text": "The port reopened.", "date": "2024-02-03"}) + "\n").encode() * 3,
    ".csv": b"id,text,date\na,The port reopened.,2024-02-03\nb,\"Quoted, text\",2024-13-45\n",
    ".md": b"---\ntitle: Port\ndate: 2024-02-03\n---\nThe port reopened on Saturday.\n",
    ".json": json.dumps({"@graph": [{"@type": "ClaimReview", "claimReviewed": "The port is closed.",
                                     "reviewRating": {"alternateName": "False"}}]}).encode(),
}


@st.composite
def damaged(draw, seed: bytes) -> bytes:
    """A valid sample, cut at a random place, with random bytes spliced in and some bytes flipped; or noise."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=3000))
    data = bytearray(seed[:draw(st.integers(0, len(seed)))])
    at = draw(st.integers(0, len(data)))
    data[at:at] = draw(st.binary(max_size=200))
    for _ in range(draw(st.integers(0, 8))):
        if data:
            index = draw(st.integers(0, len(data) - 1))
            data[index] = draw(st.integers(0, 255))
    return bytes(data)


def _check_folder(tmp_path, name: str, content: bytes) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / name).write_bytes(content)
    (folder / "good.jsonl").write_text(json.dumps({"id": "good", "text": "A passage."}) + "\n", encoding="utf-8")
    documents, problems = load_corpus(folder)
    assert "good" in {d.id for d in documents}
    assert all(str(p).startswith(str(folder / name)) for p in problems)
    checks, fact_problems = read_fact_checks(folder)
    assert all(str(p).startswith(str(folder / name)) for p in fact_problems)


@pytest.mark.parametrize("suffix", sorted(SEEDS) + [".warc"])
def test_damaged_files_are_reported_never_a_crash(suffix, tmp_path, tmp_path_factory):
    seed = _warc_bytes(tmp_path_factory) if suffix == ".warc" else SEEDS[suffix]

    @settings(max_examples=CASES, deadline=10_000, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(damaged(seed))
    def run(content):
        _check_folder(tmp_path, f"input{suffix}", content)

    run()


@settings(max_examples=CASES, deadline=10_000, database=None)
@given(damaged(PAGE.encode()))
def test_a_damaged_article_is_a_one_line_error_or_an_article(content):
    try:
        article = article_from_text(decode_article_bytes(content, "upload.html"), origin="upload.html")
    except ArticleError as exc:
        assert "\n" not in str(exc)
    else:
        assert article.text.strip()
