"""The review CSV (and JSON): one row per claim, or per claim and passage, the analyst's verdict beside the
model's suggestion.

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are prefixed
with an apostrophe on export, and the prefix is removed again on import, so the file round-trips.
Files are written to a temporary file and renamed, so a crash never leaves half a review.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

from claims.types import Article
from common.pages import web_address
from review.types import UNREVIEWED, Review
from verification.types import CheckedClaim

COLUMNS = (
    "article_id", "claim_id", "claim_text", "start", "end", "speaker", "cue", "outlet", "quote_type",
    "checkworthiness", "model_verdict", "model_confidence", "analyst_verdict", "note", "reviewer", "reviewed_at",
    "evidence_id", "evidence_outlet", "evidence_date", "evidence_stance", "evidence_score", "evidence_text",
    # Added later, so they come last: a reader that finds columns by position keeps working.
    "article_title", "article_published", "article_url", "evidence_rank", "evidence_title", "evidence_url",
    "evidence_role", "verdict_reason",
    "claim_as_written", "checkworthy_reasons", "quote_check", "quote_found_in", "quote_earliest",
    "factcheck_rating", "factcheck_by", "factcheck_claim", "factcheck_date", "factcheck_url",
    "evidence_also_carried_by",
)
_FIRST_COLUMNS = 22  # what every export has had: files written before the later columns still import
EVIDENCE_CHOICES = ("top", "all")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def restore(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def review_rows(article: Article, checked: list[CheckedClaim], reviews: dict[str, Review],
                approved_only: bool = False, evidence: str = "top") -> list[dict]:
    """One row per claim with its top passage (``evidence="top"``), or one row per claim and passage, ranked
    (``"all"``, the long format: a claim with no passage still has its row). Scores are numbers; the CSV writes
    them with three decimals."""
    if evidence not in EVIDENCE_CHOICES:
        raise ValueError(f"evidence must be one of {', '.join(EVIDENCE_CHOICES)}, not {evidence!r}")
    rows = []
    for item in checked:
        claim = item.claim
        review = reviews.get(claim.id, Review(article.id, claim.id))
        if approved_only and review.status == UNREVIEWED:
            continue
        pairs = list(zip(item.evidence, item.stances))
        passages = (pairs[:1] if evidence == "top" else pairs) or [(None, None)]
        for rank, (found, stance) in enumerate(passages, start=1):
            passage = found.passage if found else None
            rows.append({
                "article_id": article.id,
                "claim_id": claim.id,
                "claim_text": claim.checked_text,
                "start": claim.start,
                "end": claim.end,
                "speaker": claim.attribution.speaker,
                "cue": claim.attribution.cue,
                "outlet": claim.attribution.outlet,
                "quote_type": claim.attribution.quote_type,
                "checkworthiness": round(float(claim.checkworthiness), 3),
                "model_verdict": item.verdict.label,
                "model_confidence": round(float(item.verdict.confidence), 3),
                "analyst_verdict": review.status,
                "note": review.note,
                "reviewer": review.reviewer,
                "reviewed_at": review.reviewed_at,
                "evidence_id": passage.id if passage else "",
                "evidence_outlet": passage.source if passage else "",
                "evidence_date": passage.date.isoformat() if passage and passage.date else "",
                "evidence_stance": stance.label if stance else "",
                # No score for a passage the stance model did not read (about something else).
                "evidence_score": round(float(stance.score), 3) if stance and stance.weighed else "",
                "evidence_text": passage.text if passage else "",
                "article_title": article.title,
                "article_published": article.published.isoformat() if article.published else "",
                "article_url": article.url,
                "evidence_rank": rank if passage else "",
                "evidence_title": passage.title if passage else "",
                "evidence_url": web_address(passage.url) if passage else "",
                # Syndication: other outlets that ran the same story (one source, not independent confirmations).
                "evidence_also_carried_by": "; ".join(
                    c.source or c.doc_id for c in found.copies) if found else "",
                "evidence_role": stance.role if stance else "",
                "verdict_reason": item.verdict.reason,
                "claim_as_written": claim.text,
                "checkworthy_reasons": "; ".join(claim.checkworthy_reasons),
                **_quote_columns(item.quote_check),
                **_fact_check_columns(item.fact_checks),
            })
    return rows


def _fact_check_columns(matches) -> dict:
    """The closest earlier fact-check of the claim, if any."""
    if not matches:
        return dict.fromkeys(("factcheck_rating", "factcheck_by", "factcheck_claim", "factcheck_date",
                              "factcheck_url"), "")
    check = matches[0].check
    return {"factcheck_rating": check.rating, "factcheck_by": check.fact_checker, "factcheck_claim": check.claim,
            "factcheck_date": check.date.isoformat() if check.date else "", "factcheck_url": web_address(check.url)}


def _quote_columns(check) -> dict:
    """The quote check in three cells: its status, the closest match (outlet, date, how alike, whom it names) and
    the earliest dated one. Empty for a claim that quotes nobody."""
    if check is None:
        return {"quote_check": "", "quote_found_in": "", "quote_earliest": ""}

    def where(match) -> str:
        who = {"same": "names the speaker", "unknown": "names nobody"}.get(match.speaker,
                                                                           "names " + ", ".join(match.names))
        return f"{match.source or 'unknown outlet'}, {match.date or 'undated'}, {match.similarity:.0f}% alike, {who}"

    earliest = next((m for m in check.matches if m.passage_id == check.earliest), None)
    return {"quote_check": check.status, "quote_found_in": where(check.matches[0]) if check.matches else "",
            "quote_earliest": where(earliest) if earliest else ""}


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise(row.get(key, "")) for key in COLUMNS})
    return buffer.getvalue()


def read_csv(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = set(COLUMNS[:_FIRST_COLUMNS]) - set(reader.fieldnames or ())
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


def review_filename(article: dict, suffix: str, kind: str = "review") -> str:
    """``2018-04-10-lavrov-accepts-invitation-review.csv``: date and title words, so a folder of exports sorts by
    date and reads by story; the article id stands in for a missing title. ``kind`` ends the name (a batch
    check passes the article id, so two articles with one title never share a file)."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", article.get("title") or "").encode(
        "ascii", "ignore").decode().lower())
    kept: list[str] = []
    for word in words:  # whole words, up to about 60 characters
        if kept and len("-".join([*kept, word])) > 60:
            break
        kept.append(word[:60])
    slug = "-".join(kept) or ("" if kind == article.get("id") else str(article.get("id") or "article"))
    return "-".join(part for part in (article.get("published") or "", slug, kind) if part) + suffix


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
    # A long-format export repeats each claim once per passage: its decision is imported once, and rows of one
    # claim that were edited apart are refused rather than one of them silently winning.
    first: dict[tuple[str, str], tuple[int, dict]] = {}
    decided = []
    for number, row in enumerate(rows, start=2):
        key = (row["article_id"], row["claim_id"])
        if key in first:
            earlier, kept = first[key]
            if any(row[c] != kept[c] for c in ("analyst_verdict", "note", "reviewer", "reviewed_at")):
                raise ImportError_(f"lines {earlier} and {number}: two different decisions for claim {row['claim_id']}")
            continue
        first[key] = (number, row)
        if row["analyst_verdict"] != UNREVIEWED or row["note"]:
            decided.append(row)
    for row in decided:
        current = store.get(row["article_id"], row["claim_id"])
        if (current.status, current.note, current.reviewer, current.reviewed_at) == (
                row["analyst_verdict"], row["note"], row["reviewer"], row["reviewed_at"]):
            continue  # already in the store as it is in the file: importing again records nothing
        store.save(Review(row["article_id"], row["claim_id"], status=row["analyst_verdict"], note=row["note"],
                          reviewer=row["reviewer"], reviewed_at=row["reviewed_at"],
                          seconds_spent=current.seconds_spent, version=current.version))
    return len(decided)
