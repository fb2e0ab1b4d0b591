"""The review CSV (and JSON): one row per claim, the analyst's verdict beside the model's suggestion.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are prefixed
with an apostrophe on export, and the prefix is removed again on import, so the file round-trips.
Files are written to a temporary file and renamed, so a crash never leaves half a review.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from claims.types import Article
from review.types import UNREVIEWED, Review
from verification.types import CheckedClaim

COLUMNS = (
    "article_id", "claim_id", "claim_text", "start", "end", "speaker", "cue", "outlet", "quote_type",
    "checkworthiness", "model_verdict", "model_confidence", "analyst_verdict", "note", "reviewer", "reviewed_at",
    "evidence_id", "evidence_outlet", "evidence_date", "evidence_stance", "evidence_score", "evidence_text",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def restore(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def review_rows(article: Article, checked: list[CheckedClaim], reviews: dict[str, Review],
                approved_only: bool = False) -> list[dict]:
    rows = []
    for item in checked:
        claim = item.claim
        review = reviews.get(claim.id, Review(article.id, claim.id))
        if approved_only and review.status == UNREVIEWED:
            continue
        top = next(iter(zip(item.evidence, item.stances)), None)
        evidence, stance = top if top else (None, None)
        rows.append({
            "article_id": article.id,
            "claim_id": claim.id,
            "claim_text": claim.text,
            "start": claim.start,
            "end": claim.end,
            "speaker": claim.attribution.speaker,
            "cue": claim.attribution.cue,
            "outlet": claim.attribution.outlet,
            "quote_type": claim.attribution.quote_type,
            "checkworthiness": f"{claim.checkworthiness:.3f}",
            "model_verdict": item.verdict.label,
            "model_confidence": f"{item.verdict.confidence:.3f}",
            "analyst_verdict": review.status,
            "note": review.note,
            "reviewer": review.reviewer,
            "reviewed_at": review.reviewed_at,
            "evidence_id": evidence.passage.id if evidence else "",
            "evidence_outlet": evidence.passage.source if evidence else "",
            "evidence_date": evidence.passage.date.isoformat() if evidence and evidence.passage.date else "",
            "evidence_stance": stance.label if stance else "",
            "evidence_score": f"{stance.score:.3f}" if stance else "",
            "evidence_text": evidence.passage.text if evidence else "",
        })
    return rows


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise(row.get(key, "")) for key in COLUMNS})
    return buffer.getvalue()


def read_csv(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = set(COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"not a Claimdesk review CSV: missing columns {', '.join(sorted(missing))}")
    return [{key: restore(value or "") for key, value in row.items() if key in COLUMNS} for row in reader]


def to_json(rows: list[dict], article: dict, provenance: dict) -> str:
    """The review as JSON: the article, the provenance of the check that was reviewed (the shapes of
    ``claimdesk check``'s JSON) and one object per claim with the CSV's columns."""
    return json.dumps({"article": article, "provenance": provenance, "rows": rows}, ensure_ascii=False, indent=1)


def provenance_sidecar(path: str | Path) -> Path:
    """Where a CSV export's provenance goes: beside it, so the CSV stays a plain table for spreadsheets."""
    path = Path(path)
    return path.with_name(path.name + ".provenance.json")


def write_atomic(path: str | Path, content: str) -> None:
    """Write beside the target, fsync, then rename over it: readers see the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ImportError_(ValueError):
    """A review file that cannot be imported; nothing was written."""


def import_rows(store, rows: list[dict], statuses: set[str]) -> int:
    """Write the analyst columns of exported rows into ``store``; every row is validated before anything is
    written. Returns how many were decided. Timestamps and reviewers are kept, so exporting again gives the
    same rows."""
    from review.types import Review

    for number, row in enumerate(rows, start=2):  # line 1 is the header
        if row["analyst_verdict"] not in statuses:
            raise ImportError_(f"line {number}: unknown analyst_verdict {row['analyst_verdict']!r}")
    decided = [r for r in rows if r["analyst_verdict"] != UNREVIEWED or r["note"]]
    for row in decided:
        current = store.get(row["article_id"], row["claim_id"])
        store.save(Review(row["article_id"], row["claim_id"], status=row["analyst_verdict"], note=row["note"],
                          reviewer=row["reviewer"], reviewed_at=row["reviewed_at"],
                          seconds_spent=current.seconds_spent, version=current.version))
    return len(decided)
