"""`claimdesk eval-trust`: verdicts on a contrastive suite of claims, each story with a small corpus of prior
reporting, scored for accuracy and for false supports.

A suite is a folder of stories; each story is a folder with ``corpus.jsonl`` (the product's corpus records) and
``claims.jsonl``: one object per claim with ``id``, ``claim``, ``date`` (the article's date, YYYY-MM-DD: evidence
published later is not used), ``kind`` (what the claim tests: support, date, number, ordinal, actor, negation,
plan, other_fact, not_covered) and ``expected`` (the verdicts that count as right). A **false support** is a claim
called supported whose expected verdicts do not include "supported": a confident support over a corpus that
contradicts the claim or does not decide it, the one mistake an analyst cannot forgive.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

from claimdesk.pipeline import Pipeline
from claimdesk.settings import Settings
from evaluation.devset import DevSetError, read_jsonl, require

SUPPORTED = "supported"


def read_story(folder: Path) -> list[dict]:
    claims = require(read_jsonl(folder / "claims.jsonl"), folder / "claims.jsonl", ("id", "claim", "date", "kind"))
    for number, claim in enumerate(claims, start=1):
        expected = claim.get("expected")
        if not (isinstance(expected, list) and expected and all(isinstance(v, str) for v in expected)):
            raise DevSetError(f"{folder / 'claims.jsonl'}: row {number}: expected must be a list of verdicts")
        try:
            date.fromisoformat(claim["date"])
        except ValueError:
            raise DevSetError(f"{folder / 'claims.jsonl'}: row {number}: date {claim['date']!r} is not "
                              "YYYY-MM-DD") from None
    return claims


def stories(suite: Path) -> list[Path]:
    found = sorted(p for p in Path(suite).iterdir() if (p / "claims.jsonl").exists() and (p / "corpus.jsonl").exists())
    if not found:
        raise DevSetError(f"{suite}: no story folders (each with corpus.jsonl and claims.jsonl)")
    return found


def score(rows: list[dict]) -> dict:
    """Accuracy and false supports, overall and per kind of claim, from prediction rows."""
    def figures(items: list[dict]) -> dict:
        return {"claims": len(items), "accuracy": round(sum(r["correct"] for r in items) / len(items), 4),
                "false_supports": sum(r["false_support"] for r in items),
                "verdicts": dict(sorted(_count(r["verdict"] for r in items).items()))}

    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    return {**figures(rows), "stories": len({r["story"] for r in rows}),
            "per_kind": {kind: figures(items) for kind, items in sorted(by_kind.items())},
            "false_support_claims": [r["claim_id"] for r in rows if r["false_support"]]}


def _count(values) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for value in values:
        out[value] += 1
    return out


def run_trust(settings: Settings, suite: Path) -> tuple[dict, list[dict]]:
    """Check every story's claims against its own corpus, through the product's pipeline."""
    with tempfile.TemporaryDirectory(prefix="claimdesk-trust-") as work:
        rows = _check_stories(settings, stories(suite), Path(work))
    return {"suite": str(suite), **score(rows)}, rows


def checked_claims(settings: Settings, folders: list[Path], work: Path):
    """Each story's claims as the product checks them: (story folder, claim row, ``CheckedClaim``), one story
    after another, with one set of models for every story and an index of its own for each."""
    shared: Pipeline | None = None
    for folder in folders:
        claims = read_story(folder)
        story = replace(settings, corpus_dir=folder / "corpus.jsonl", index_dir=work / folder.name, vector_url="")
        pipeline = Pipeline(story)
        if shared is not None:
            for loaded in ("encoder", "judge", "reranker"):
                if loaded in shared.__dict__:
                    pipeline.__dict__[loaded] = shared.__dict__[loaded]
        shared = shared or pipeline
        pipeline.build_index()
        by_date: dict[str, list[dict]] = defaultdict(list)
        for claim in claims:
            by_date[claim["date"]].append(claim)
        for day, batch in sorted(by_date.items()):
            for claim, checked in zip(batch, pipeline.verify([c["claim"] for c in batch], date.fromisoformat(day))):
                yield folder, claim, checked


def _check_stories(settings: Settings, folders: list[Path], work: Path) -> list[dict]:
    rows: list[dict] = []
    for folder, claim, checked in checked_claims(settings, folders, work):
        verdict = checked.verdict
        rows.append({"type": "trust", "story": folder.name, "claim_id": claim["id"], "kind": claim["kind"],
                     "verdict": verdict.label, "confidence": verdict.confidence, "reason": verdict.reason,
                     "expected": claim["expected"], "correct": verdict.label in claim["expected"],
                     "false_support": verdict.label == SUPPORTED and SUPPORTED not in claim["expected"],
                     "evidence_ids": list(verdict.deciding)})
    return rows
