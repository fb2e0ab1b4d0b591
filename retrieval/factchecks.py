"""Earlier fact-checks: schema.org ClaimReview records in the corpus folder, matched against an article's claims.

A fact-checker's verdict on the same claim is the first thing an analyst wants to see. Fact-checkers publish
ClaimReview markup (JSON-LD) with each check; exports of it are JSON or JSON Lines. Any ``.json`` file in the
corpus folder (one record, a list, or a JSON-LD ``@graph``) and any ClaimReview line of a ``.jsonl`` file is read
here; the corpus reader (``retrieval.corpus``) leaves those records to this module.

Matching is by meaning: the claim as checked and each reviewed claim are embedded with the same encoder as search,
and a reviewed claim at cosine ``MATCH_COSINE`` or above is shown, closest first. The threshold was set on seven
pairs written for it: paraphrases that keep the names scored 0.88 and 0.93, claims on the same topic that say
something else 0.28 to 0.62, an unrelated claim 0.0. A paraphrase that swaps names for roles ("Kim Jong Un" for
"North Korea's leader") scored 0.48 and is missed: the threshold prefers silence to a wrong fact-check. It is a
reading aid, not part of the verdict.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from retrieval.corpus import CorpusProblem, folder_files, parse_date
from retrieval.types import FactCheck

MATCH_COSINE = 0.72
MAX_MATCHES = 3


def is_claim_review(record) -> bool:
    kind = record.get("@type") if isinstance(record, dict) else None
    return kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind)


def _name(value) -> str:
    """schema.org's author / itemReviewed.author: an object with a name, a list of them, or text."""
    if isinstance(value, list):
        return ", ".join(n for n in (_name(v) for v in value) if n)
    if isinstance(value, dict):
        return str(value.get("name") or "").strip()
    return str(value or "").strip()


def fact_check(record: dict, fallback_id: str) -> FactCheck:
    """One ClaimReview as a FactCheck; ValueError when it has no reviewed claim or no rating."""
    claim = str(record.get("claimReviewed") or "").strip()
    if not claim:
        raise ValueError("ClaimReview without 'claimReviewed'")
    rating = record.get("reviewRating") or {}
    if isinstance(rating, list):
        rating = rating[0] if rating else {}
    verdict = str(rating.get("alternateName") or rating.get("name") or "").strip() if isinstance(rating, dict) else ""
    if not verdict:
        raise ValueError("ClaimReview without a rating ('reviewRating.alternateName')")
    reviewed = record.get("itemReviewed") if isinstance(record.get("itemReviewed"), dict) else {}
    url = str(record.get("url") or "")
    return FactCheck(
        id=str(record.get("@id") or url or fallback_id), claim=claim, rating=verdict,
        fact_checker=_name(record.get("author")), claimant=_name(reviewed.get("author")),
        date=parse_date(record.get("datePublished")), url=url,
    )


def _records(value):
    if isinstance(value, list):
        for item in value:
            yield from _records(item)
    elif isinstance(value, dict):
        if is_claim_review(value):
            yield value
        elif isinstance(value.get("@graph"), list):
            yield from _records(value["@graph"])


_LD_SCRIPT = re.compile(r"<script[^>]*type=[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S)


def _json_ld(page: str):
    """The JSON-LD blocks of a saved page (a fact-check article carries its ClaimReview there); broken ones are
    skipped, since the page itself is read as reporting either way."""
    for block in _LD_SCRIPT.findall(page):
        try:
            yield json.loads(block)
        except json.JSONDecodeError:
            continue


def read_fact_checks(folder: str | Path) -> tuple[list[FactCheck], list[CorpusProblem]]:
    """Every ClaimReview under ``folder``, and the problems with the ones that cannot be used."""
    folder = Path(folder)
    # Links out of the folder are not followed (load_corpus reports them once, with the rest of the corpus).
    files = [folder] if folder.is_file() else [
        p for p in folder_files(folder)[0] if p.suffix.lower() in {".json", ".jsonl", ".html", ".htm"}
    ] if folder.exists() else []
    found: dict[str, FactCheck] = {}
    problems: list[CorpusProblem] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            if path.suffix.lower() == ".json":
                problems.append(CorpusProblem(str(path), 0, f"cannot read fact-checks: {exc}", "unreadable file"))
            continue  # a .jsonl or .html file's problems are the corpus reader's to report
        if path.suffix.lower() in {".html", ".htm"}:
            entries = [(0, r) for r in _records(list(_json_ld(text)))]
        elif path.suffix.lower() == ".json":
            try:
                entries = [(0, r) for r in _records(json.loads(text))]
            except json.JSONDecodeError as exc:
                problems.append(CorpusProblem(str(path), exc.lineno, f"not valid JSON ({exc.msg})"))
                continue
            if not entries:
                problems.append(CorpusProblem(str(path), 0, "no ClaimReview records in this JSON file",
                                              "unsupported file type"))
        else:
            entries = []
            for number, line in enumerate(text.splitlines(), start=1):
                try:
                    record = json.loads(line) if line.strip() else None
                except json.JSONDecodeError:
                    continue  # the corpus reader reports it
                if is_claim_review(record):
                    entries.append((number, record))
        for number, record in entries:
            try:
                item = fact_check(record, f"{path.stem}:{number or len(found)}")
            except ValueError as exc:
                problems.append(CorpusProblem(str(path), number, str(exc)))
                continue
            found.setdefault(item.id, item)
    return list(found.values()), problems


@dataclass
class FactCheckMatcher:
    """The reviewed claims of a corpus, embedded once, searched by the cosine of a claim's embedding."""

    checks: list[FactCheck]
    vectors: object  # numpy array (len(checks), dimension), normalised

    @classmethod
    def build(cls, checks: list[FactCheck], encoder) -> FactCheckMatcher:
        return cls(checks, encoder.encode([c.claim for c in checks]))

    def match(self, query_vectors) -> list[list[tuple[FactCheck, float]]]:
        """Per query: the reviewed claims at MATCH_COSINE or above, closest first, at most MAX_MATCHES."""
        if not self.checks:
            return [[] for _ in range(len(query_vectors))]
        scores = query_vectors @ self.vectors.T
        out = []
        for row in scores:
            order = row.argsort()[::-1][:MAX_MATCHES]
            out.append([(self.checks[i], round(float(row[i]), 3)) for i in order if row[i] >= MATCH_COSINE])
        return out
