"""``ReviewStore``: analysts' reviews and their audit log, opened from a URL.

``sqlite:///path/to/reviews.db`` is the default (WAL mode, so the dashboard reads while another
process writes). Every save is optimistic: it names the version it started from, and a save over a
newer version raises ``ReviewConflict`` instead of overwriting someone's decision.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from pathlib import Path

from review.types import UNREVIEWED, AuditEvent, Review, ReviewConflict

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT, outlet TEXT, published TEXT, origin TEXT, text TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reviews (
    article_id TEXT NOT NULL, claim_id TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL,
    reviewer TEXT NOT NULL, reviewed_at TEXT NOT NULL, seconds_spent REAL NOT NULL, version INTEGER NOT NULL,
    PRIMARY KEY (article_id, claim_id)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL, claim_id TEXT NOT NULL, field TEXT NOT NULL,
    old TEXT NOT NULL, new TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_claim ON audit (article_id, claim_id);
"""
AUDITED_FIELDS = ("status", "note")


class ReviewStoreError(RuntimeError):
    pass


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def open_store(url: str) -> SQLiteReviewStore:
    if url.startswith("sqlite:///"):
        return SQLiteReviewStore(Path(url[len("sqlite:///") :]))
    if url == "sqlite://":
        return SQLiteReviewStore(Path(":memory:"))
    scheme = url.split(":", 1)[0]
    raise ReviewStoreError(f"review store URL {url!r}: scheme {scheme!r} is not supported; use sqlite:///PATH")


class SQLiteReviewStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise ReviewStoreError(f"{path}: cannot open review store ({exc})") from None

    def close(self) -> None:
        self.db.close()

    # Articles are kept so that a restarted dashboard can reopen what the analyst was reviewing.
    def save_article(self, article_id: str, text: str, title: str = "", outlet: str = "", published: str = "",
                     origin: str = "") -> None:
        self.db.execute(
            "INSERT INTO articles (id, title, outlet, published, origin, text, added_at) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO NOTHING",
            (article_id, title, outlet, published, origin, text, now_iso()),
        )

    def articles(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT id, title, outlet, published, origin, added_at FROM articles ORDER BY added_at DESC"
        ).fetchall()
        keys = ("id", "title", "outlet", "published", "origin", "added_at")
        return [dict(zip(keys, row)) for row in rows]

    def article_text(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def get(self, article_id: str, claim_id: str) -> Review:
        row = self.db.execute(
            "SELECT status, note, reviewer, reviewed_at, seconds_spent, version FROM reviews "
            "WHERE article_id = ? AND claim_id = ?", (article_id, claim_id),
        ).fetchone()
        if row is None:
            return Review(article_id, claim_id)
        return Review(article_id, claim_id, *row)

    def reviews(self, article_id: str) -> dict[str, Review]:
        rows = self.db.execute(
            "SELECT claim_id, status, note, reviewer, reviewed_at, seconds_spent, version FROM reviews "
            "WHERE article_id = ?", (article_id,),
        ).fetchall()
        return {row[0]: Review(article_id, *row) for row in rows}

    def save(self, review: Review, expected_version: int | None = None) -> Review:
        """Store ``review`` if nobody saved since ``expected_version`` (default: ``review.version``)."""
        expected = review.version if expected_version is None else expected_version
        self.db.execute("BEGIN IMMEDIATE")
        try:
            current = self.get(review.article_id, review.claim_id)
            if current.version != expected:
                raise ReviewConflict(current, review)
            stamped = replace(review, version=current.version + 1, reviewed_at=review.reviewed_at or now_iso())
            self.db.execute(
                "INSERT INTO reviews (article_id, claim_id, status, note, reviewer, reviewed_at, seconds_spent, "
                "version) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(article_id, claim_id) DO UPDATE SET "
                "status=excluded.status, note=excluded.note, reviewer=excluded.reviewer, "
                "reviewed_at=excluded.reviewed_at, seconds_spent=excluded.seconds_spent, version=excluded.version",
                (stamped.article_id, stamped.claim_id, stamped.status, stamped.note, stamped.reviewer,
                 stamped.reviewed_at, stamped.seconds_spent, stamped.version),
            )
            for name in AUDITED_FIELDS:
                old, new = getattr(current, name), getattr(stamped, name)
                if old != new:
                    self.db.execute(
                        "INSERT INTO audit (article_id, claim_id, field, old, new, who, at) VALUES (?,?,?,?,?,?,?)",
                        (stamped.article_id, stamped.claim_id, name, old, new, stamped.reviewer, stamped.reviewed_at),
                    )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return stamped

    def audit(self, article_id: str, claim_id: str | None = None) -> list[AuditEvent]:
        query = "SELECT article_id, claim_id, field, old, new, who, at, id FROM audit WHERE article_id = ?"
        params: tuple = (article_id,)
        if claim_id is not None:
            query += " AND claim_id = ?"
            params += (claim_id,)
        return [AuditEvent(*row) for row in self.db.execute(query + " ORDER BY id", params).fetchall()]

    def progress(self, article_id: str, claim_ids: list[str]) -> int:
        reviews = self.reviews(article_id)
        return sum(1 for c in claim_ids if reviews.get(c, Review(article_id, c)).status != UNREVIEWED)
