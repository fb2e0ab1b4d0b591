"""``ReviewStore``: analysts' reviews and their audit log, opened from a URL.

``sqlite:///path/to/reviews.db`` is the default (WAL mode, so the dashboard reads while another process
writes); ``postgresql://user@host:port/db`` serves a team. Both run the same SQL through a small
dialect seam.

Every save is a compare-and-set: it names the version it started from, and the write itself checks it
(``UPDATE ... WHERE version = ?``, or an insert that fails if the row exists). So two reviewers saving
the same claim can never both succeed from the same version: the second gets ``ReviewConflict`` and
sees the first one's decision, on either engine, whatever the isolation level.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from review.types import UNREVIEWED, AuditEvent, BlindView, Disagreement, Review, ReviewConflict

TABLES = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT, outlet TEXT, published TEXT, origin TEXT, text TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checks (
    article_id TEXT PRIMARY KEY, result TEXT NOT NULL, claims INTEGER NOT NULL, checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reviews (
    article_id TEXT NOT NULL, claim_id TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL,
    reviewer TEXT NOT NULL, reviewed_at TEXT NOT NULL, seconds_spent REAL NOT NULL, version INTEGER NOT NULL,
    PRIMARY KEY (article_id, claim_id)
);
CREATE TABLE IF NOT EXISTS audit (
    id {id_column}, article_id TEXT NOT NULL, claim_id TEXT NOT NULL, field TEXT NOT NULL,
    old TEXT NOT NULL, new TEXT NOT NULL, who TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_claim ON audit (article_id, claim_id);
CREATE TABLE IF NOT EXISTS blind_decisions (
    article_id TEXT NOT NULL, claim_id TEXT NOT NULL, reviewer TEXT NOT NULL, status TEXT NOT NULL,
    note TEXT NOT NULL, decided_at TEXT NOT NULL, seconds_spent REAL NOT NULL,
    PRIMARY KEY (article_id, claim_id, reviewer)
);
CREATE TABLE IF NOT EXISTS undo (
    article_id TEXT NOT NULL, reviewer TEXT NOT NULL, seq INTEGER NOT NULL, position INTEGER NOT NULL,
    claim_id TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL, seconds_spent REAL NOT NULL,
    version INTEGER NOT NULL, PRIMARY KEY (article_id, reviewer, seq)
);
"""
UNDO_DEPTH = 100  # decisions an analyst can step back through, per article
# Audit fields of blind decisions: the dashboard shows them to others only once the claim is revealed.
BLIND_STATUS, BLIND_NOTE = "blind status", "blind note"
AUDITED_FIELDS = ("status", "note")
_REVIEW_COLUMNS = "status, note, reviewer, reviewed_at, seconds_spent, version"


class ReviewStoreError(RuntimeError):
    pass


class StoreUnavailable(ReviewStoreError):
    """The connection to the review store broke (a server restart or a network cut), or the store cannot be
    reached. The store reconnects on the next call; what was being written when it broke is reported to the
    analyst as not confirmed. ``lost``: a live connection broke, so trying again at once on a new one may work."""

    def __init__(self, message: str, lost: bool = False) -> None:
        super().__init__(message)
        self.lost = lost


class BlindReviewClosed(ReviewStoreError):
    """The blind decisions on this claim are revealed; the final status is settled in the open now."""


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def open_store(url: str) -> ReviewStore:
    if url.startswith("sqlite:///"):
        return ReviewStore(_SQLite(Path(url[len("sqlite:///") :])))
    if url == "sqlite://":
        return ReviewStore(_SQLite(Path(":memory:")))
    if url.startswith(("postgresql://", "postgres://")):
        return ReviewStore(_Postgres(url))
    scheme = url.split(":", 1)[0]
    raise ReviewStoreError(
        f"review store URL {url!r}: scheme {scheme!r} is not supported; use sqlite:///PATH or postgresql://…"
    )


class _SQLite:
    """One connection in autocommit mode; ``BEGIN IMMEDIATE`` takes the write lock up front."""

    def __init__(self, path: Path) -> None:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(TABLES.format(id_column="INTEGER PRIMARY KEY AUTOINCREMENT"))
        except sqlite3.DatabaseError as exc:
            raise ReviewStoreError(f"{path}: cannot open review store ({exc})") from None

    def execute(self, sql: str, params: tuple = ()):
        return self.db.execute(sql, params)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def lock_claim(self, article_id: str, claim_id: str) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already serialises every writer."""

    def close(self) -> None:
        self.db.close()


class _Postgres:
    """psycopg 3; ``?`` placeholders are rewritten to ``%s`` so both engines share the statements.

    A server restart breaks the connection: the call that meets it raises ``StoreUnavailable``, and the next call
    opens a new connection, so a restarted server is used again without restarting the dashboard."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg  # noqa: F401  (checked here, for a clear message; used by each call below)
        except ImportError:  # pragma: no cover - install problem
            raise ReviewStoreError("PostgreSQL review store needs psycopg; run `make install`") from None
        self.url, self.db = url, None
        self.host = url.split("@")[-1]  # never echo a password
        self._connect(create=True)

    def _connect(self, create: bool = False) -> None:
        import psycopg

        try:
            # A reconnect gives up after 3 s: every dashboard session waits on the store's one lock meanwhile.
            self.db = psycopg.connect(self.url, autocommit=True, connect_timeout=10 if create else 3)
            if create:
                with self.db.transaction():
                    for statement in TABLES.format(
                            id_column="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY").split(";"):
                        if statement.strip():
                            self.db.execute(statement)
        except psycopg.OperationalError as exc:
            self.db = None
            reason = " ".join(str(exc).split())
            if create:
                raise ReviewStoreError(f"cannot open PostgreSQL review store at {self.host}: {reason}") from None
            raise StoreUnavailable(f"the review store at {self.host} is unreachable ({reason})") from None
        except psycopg.Error as exc:
            raise ReviewStoreError(f"cannot open PostgreSQL review store at {self.host}: {str(exc).strip()}") from None

    def _live(self):
        if self.db is None or self.db.closed:
            self._connect()
        return self.db

    def _broken(self, db, exc: Exception) -> StoreUnavailable:
        """The connection died under a statement: drop it, so the next call reconnects."""
        db.close()
        if self.db is db:
            self.db = None
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return StoreUnavailable(f"lost the connection to the review store at {self.host} ({reason})", lost=True)

    def execute(self, sql: str, params: tuple = ()):
        import psycopg

        db = self._live()
        try:
            return db.execute(sql.replace("?", "%s"), params)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            if db.broken or db.closed:
                raise self._broken(db, exc) from None
            raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        import psycopg

        db = self._live()
        try:
            with db.transaction():
                yield
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            if db.broken or db.closed:  # the commit itself may have been lost on the way back
                raise self._broken(db, exc) from None
            raise

    def lock_claim(self, article_id: str, claim_id: str) -> None:
        # READ COMMITTED lets two transactions count the same rows; a per-claim advisory lock, released at
        # commit, makes "count the blind decisions, then add one" atomic.
        self.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (f"{article_id}\x1f{claim_id}",))

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def _locked(method):
    """One connection serves every dashboard session thread: never interleave two of its transactions."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)
    return wrapper


def _read(method):
    """A read (or a write that is safe to repeat): after a lost connection it is tried once more on a new one, so
    a server restart costs the analyst nothing that was only being looked at. A store that cannot be reached at
    all is not tried twice: every session waits on the lock meanwhile."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except StoreUnavailable as exc:
                if not exc.lost:
                    raise
                return method(self, *args, **kwargs)
    return wrapper


class ReviewStore:
    def __init__(self, engine) -> None:
        self.engine = engine
        self._lock = threading.RLock()

    def close(self) -> None:
        self.engine.close()

    # Articles are kept so that a restarted dashboard can reopen what the analyst was reviewing.
    @_read
    def save_article(self, article_id: str, text: str, title: str = "", outlet: str = "", published: str = "",
                     origin: str = "") -> None:
        self.engine.execute(
            "INSERT INTO articles (id, title, outlet, published, origin, text, added_at) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT (id) DO NOTHING",
            (article_id, title, outlet, published, origin, text, now_iso()),
        )

    @_read
    def articles(self) -> list[dict]:
        """Stored articles, newest first, with how many claims their stored check found (None for an article
        stored without one) and how many of its claims an analyst has decided."""
        rows = self.engine.execute(
            "SELECT a.id, a.title, a.outlet, a.published, a.origin, a.added_at, c.claims, c.checked_at, "
            "(SELECT COUNT(*) FROM reviews r WHERE r.article_id = a.id AND r.status <> ?) "
            "FROM articles a LEFT JOIN checks c ON c.article_id = a.id ORDER BY a.added_at DESC, a.id",
            (UNREVIEWED,),
        ).fetchall()
        keys = ("id", "title", "outlet", "published", "origin", "added_at", "claims", "checked_at", "reviewed")
        return [dict(zip(keys, row)) for row in rows]

    @_read
    def save_check(self, article_id: str, text: str, record: str, claims: int, checked_at: str, title: str = "",
                   outlet: str = "", published: str = "", origin: str = "") -> None:
        """Store a check's result (``record``, JSON) with its article, replacing an earlier check of the same
        article in one transaction. Decisions are keyed by claim id, so they stay with the claims that remain."""
        with self.engine.transaction():
            self.engine.execute(
                "INSERT INTO articles (id, title, outlet, published, origin, text, added_at) VALUES (?,?,?,?,?,?,?) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, outlet = excluded.outlet, "
                "published = excluded.published, origin = excluded.origin",
                (article_id, title, outlet, published, origin, text, now_iso()),
            )
            self.engine.execute(
                "INSERT INTO checks (article_id, result, claims, checked_at) VALUES (?,?,?,?) "
                "ON CONFLICT (article_id) DO UPDATE SET result = excluded.result, claims = excluded.claims, "
                "checked_at = excluded.checked_at",
                (article_id, record, claims, checked_at),
            )

    @_read
    def stored_check(self, article_id: str) -> str | None:
        """The stored result of the article's latest check (JSON), or None."""
        row = self.engine.execute("SELECT result FROM checks WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    @_read
    def article_text(self, article_id: str) -> str | None:
        row = self.engine.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    @_read
    def get(self, article_id: str, claim_id: str) -> Review:
        return self._get(article_id, claim_id)

    def _get(self, article_id: str, claim_id: str) -> Review:
        row = self.engine.execute(
            f"SELECT {_REVIEW_COLUMNS} FROM reviews WHERE article_id = ? AND claim_id = ?", (article_id, claim_id),
        ).fetchone()
        return Review(article_id, claim_id, *row) if row else Review(article_id, claim_id)

    @_read
    def reviews(self, article_id: str) -> dict[str, Review]:
        rows = self.engine.execute(
            f"SELECT claim_id, {_REVIEW_COLUMNS} FROM reviews WHERE article_id = ?", (article_id,),
        ).fetchall()
        return {row[0]: Review(article_id, *row) for row in rows}

    @_locked
    def save(self, review: Review, expected_version: int | None = None) -> Review:
        """Store ``review`` if nobody saved since ``expected_version`` (default: ``review.version``).

        Returning is the acknowledgement: the decision and its audit rows are committed. If the connection breaks
        on the way, the save is tried once more on a new connection; the compare-and-set makes that safe, and a
        first attempt that did commit is recognised (the row holds exactly this decision, one version on) rather
        than reported as a conflict. If the store stays unreachable, ``StoreUnavailable`` says the decision is not
        confirmed: a commit can land even though the answer to it was lost."""
        expected = review.version if expected_version is None else expected_version
        try:
            return self._save(review, expected)
        except StoreUnavailable as exc:
            if not exc.lost:
                raise
            try:
                return self._save(review, expected)
            except ReviewConflict as conflict:
                current = conflict.current
                if (current.version == expected + 1 and (current.status, current.note, current.reviewer) ==
                        (review.status, review.note, review.reviewer)):
                    return current  # the first attempt committed before the connection went
                raise

    def _save(self, review: Review, expected: int) -> Review:
        stamped = replace(review, version=expected + 1, reviewed_at=review.reviewed_at or now_iso())
        values = (stamped.status, stamped.note, stamped.reviewer, stamped.reviewed_at, stamped.seconds_spent,
                  stamped.version)
        with self.engine.transaction():
            before = self._get(review.article_id, review.claim_id)
            if expected == 0:
                written = self.engine.execute(
                    f"INSERT INTO reviews (article_id, claim_id, {_REVIEW_COLUMNS}) VALUES (?,?,?,?,?,?,?,?) "
                    "ON CONFLICT (article_id, claim_id) DO NOTHING",
                    (review.article_id, review.claim_id, *values),
                ).rowcount
            else:
                written = self.engine.execute(
                    "UPDATE reviews SET status = ?, note = ?, reviewer = ?, reviewed_at = ?, seconds_spent = ?, "
                    "version = ? WHERE article_id = ? AND claim_id = ? AND version = ?",
                    (*values, review.article_id, review.claim_id, expected),
                ).rowcount
            if written != 1:
                raise ReviewConflict(self._get(review.article_id, review.claim_id), review)
            changed = [name for name in AUDITED_FIELDS if getattr(before, name) != getattr(stamped, name)]
            # Every save leaves a row: one that changes nothing the audit tracks ("Use mine" with the same
            # status as the other reviewer's) still changes who and when, and is recorded as status kept.
            for name in changed or ["status"]:
                self._audit(stamped.article_id, stamped.claim_id, name, getattr(before, name),
                            getattr(stamped, name), stamped.reviewer, stamped.reviewed_at)
        return stamped

    # Undo is kept here, not in the browser session: a dashboard restart or a reload must not take away an
    # analyst's way back. Each entry is what a claim was before one of their decisions, and where they were.
    @_locked
    def push_undo(self, reviewer: str, position: int, before: Review) -> None:
        with self.engine.transaction():
            # Two dashboard processes pushing for one analyst must not take the same number.
            self.engine.lock_claim(before.article_id, f"undo\x1f{reviewer}")
            row = self.engine.execute("SELECT MAX(seq) FROM undo WHERE article_id = ? AND reviewer = ?",
                                      (before.article_id, reviewer)).fetchone()
            seq = (row[0] or 0) + 1
            self.engine.execute(
                "INSERT INTO undo (article_id, reviewer, seq, position, claim_id, status, note, seconds_spent, "
                "version) VALUES (?,?,?,?,?,?,?,?,?)",
                (before.article_id, reviewer, seq, position, before.claim_id, before.status, before.note,
                 before.seconds_spent, before.version))
            self.engine.execute("DELETE FROM undo WHERE article_id = ? AND reviewer = ? AND seq <= ?",
                                (before.article_id, reviewer, seq - UNDO_DEPTH))

    @_locked
    def pop_undo(self, article_id: str, reviewer: str) -> tuple[int, Review] | None:
        """The reviewer's last decision on the article, taken off the undo list: (position, what it replaced)."""
        with self.engine.transaction():
            row = self.engine.execute(
                "SELECT seq, position, claim_id, status, note, seconds_spent, version FROM undo "
                "WHERE article_id = ? AND reviewer = ? ORDER BY seq DESC LIMIT 1", (article_id, reviewer),
            ).fetchone()
            if row is None:
                return None
            self.engine.execute("DELETE FROM undo WHERE article_id = ? AND reviewer = ? AND seq = ?",
                                (article_id, reviewer, row[0]))
        seq, position, claim_id, status, note, seconds, version = row
        return position, Review(article_id, claim_id, status=status, note=note, reviewer=reviewer,
                                seconds_spent=seconds, version=version)

    @_read
    def can_undo(self, article_id: str, reviewer: str) -> bool:
        return self.engine.execute("SELECT 1 FROM undo WHERE article_id = ? AND reviewer = ? LIMIT 1",
                                   (article_id, reviewer)).fetchone() is not None

    @_read
    def audit(self, article_id: str, claim_id: str | None = None) -> list[AuditEvent]:
        query = "SELECT article_id, claim_id, field, old, new, who, at, id FROM audit WHERE article_id = ?"
        params: tuple = (article_id,)
        if claim_id is not None:
            query += " AND claim_id = ?"
            params += (claim_id,)
        return [AuditEvent(*row) for row in self.engine.execute(query + " ORDER BY id", params).fetchall()]

    # Blind double review: each reviewer's decision lives in its own row, hidden from the others until
    # ``required`` reviewers have decided. Agreement becomes the final review; disagreement waits to be settled.
    @_locked
    def submit_blind(self, decision: Review, required: int = 2) -> BlindView:
        if not decision.reviewer.strip():
            raise ReviewStoreError("blind review needs a reviewer name")
        article_id, claim_id, who = decision.article_id, decision.claim_id, decision.reviewer
        at = decision.reviewed_at or now_iso()
        with self.engine.transaction():
            self.engine.lock_claim(article_id, claim_id)
            decided = self._blind_rows(article_id, claim_id)
            if len(decided) >= required:
                raise BlindReviewClosed(f"claim {claim_id}: the blind decisions are already revealed; "
                                        "settle it in the disagreements list")
            before = decided.get(who)
            self.engine.execute(
                "INSERT INTO blind_decisions (article_id, claim_id, reviewer, status, note, decided_at, seconds_spent) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT (article_id, claim_id, reviewer) DO UPDATE SET "
                "status = excluded.status, note = excluded.note, decided_at = excluded.decided_at, "
                "seconds_spent = excluded.seconds_spent",
                (article_id, claim_id, who, decision.status, decision.note, at, decision.seconds_spent),
            )
            self._audit(article_id, claim_id, BLIND_STATUS, before.status if before else UNREVIEWED,
                        decision.status, who, at)
            if decision.note != (before.note if before else ""):
                self._audit(article_id, claim_id, BLIND_NOTE, before.note if before else "", decision.note, who, at)
            decided = self._blind_rows(article_id, claim_id)
            statuses = {r.status for r in decided.values()}
            if len(decided) >= required and len(statuses) == 1:
                self._settle_by_consensus(article_id, claim_id, decided, at)
        return self.blind_view(article_id, claim_id, who, required)

    @_locked
    def retract_blind(self, article_id: str, claim_id: str, reviewer: str, required: int = 2) -> None:
        """Withdraw an unrevealed blind decision (the dashboard's undo)."""
        with self.engine.transaction():
            self.engine.lock_claim(article_id, claim_id)
            decided = self._blind_rows(article_id, claim_id)
            if len(decided) >= required:
                raise BlindReviewClosed(f"claim {claim_id}: the blind decisions are already revealed")
            if reviewer in decided:
                self.engine.execute(
                    "DELETE FROM blind_decisions WHERE article_id = ? AND claim_id = ? AND reviewer = ?",
                    (article_id, claim_id, reviewer),
                )
                self._audit(article_id, claim_id, BLIND_STATUS, decided[reviewer].status, UNREVIEWED, reviewer,
                            now_iso())

    @_read
    def blind_view(self, article_id: str, claim_id: str, viewer: str, required: int = 2) -> BlindView:
        return self._view(self._blind_rows(article_id, claim_id), viewer, required)

    @_read
    def blind_views(self, article_id: str, viewer: str, required: int = 2) -> dict[str, BlindView]:
        by_claim: dict[str, dict[str, Review]] = {}
        for row in self.engine.execute(
            "SELECT claim_id, reviewer, status, note, decided_at, seconds_spent FROM blind_decisions "
            "WHERE article_id = ? ORDER BY claim_id, reviewer", (article_id,),
        ).fetchall():
            by_claim.setdefault(row[0], {})[row[1]] = Review(article_id, row[0], row[2], row[3], row[1], row[4],
                                                              row[5], 1)
        return {claim_id: self._view(rows, viewer, required) for claim_id, rows in by_claim.items()}

    def disagreements(self, article_id: str, required: int = 2) -> list[Disagreement]:
        """Revealed claims whose reviewers disagree, settled or not, for the adjudication list."""
        views = self.blind_views(article_id, "", required)
        finals = self.reviews(article_id)
        return [Disagreement(claim_id, view.revealed, finals.get(claim_id, Review(article_id, claim_id)))
                for claim_id, view in sorted(views.items()) if view.is_revealed and view.agreed is None]

    def _blind_rows(self, article_id: str, claim_id: str) -> dict[str, Review]:
        rows = self.engine.execute(
            "SELECT reviewer, status, note, decided_at, seconds_spent FROM blind_decisions "
            "WHERE article_id = ? AND claim_id = ? ORDER BY reviewer", (article_id, claim_id),
        ).fetchall()
        return {row[0]: Review(article_id, claim_id, row[1], row[2], row[0], row[3], row[4], 1) for row in rows}

    @staticmethod
    def _view(rows: dict[str, Review], viewer: str, required: int) -> BlindView:
        revealed = tuple(rows.values()) if len(rows) >= required else ()
        return BlindView(mine=rows.get(viewer), submitted=len(rows), required=required, revealed=revealed)

    def _settle_by_consensus(self, article_id: str, claim_id: str, decided: dict[str, Review], at: str) -> None:
        """Reviewers who agreed blindly settle the claim; an existing final review (already settled) is kept."""
        first = next(iter(decided.values()))
        who = " + ".join(decided)
        note = "; ".join(f"{r.reviewer}: {r.note}" for r in decided.values() if r.note)
        written = self.engine.execute(
            f"INSERT INTO reviews (article_id, claim_id, {_REVIEW_COLUMNS}) VALUES (?,?,?,?,?,?,?,?) "
            "ON CONFLICT (article_id, claim_id) DO NOTHING",
            (article_id, claim_id, first.status, note, who, at, sum(r.seconds_spent for r in decided.values()), 1),
        ).rowcount
        if written == 1:
            self._audit(article_id, claim_id, "status", UNREVIEWED, first.status, who, at)
            if note:
                self._audit(article_id, claim_id, "note", "", note, who, at)

    def _audit(self, article_id: str, claim_id: str, field: str, old: str, new: str, who: str, at: str) -> None:
        self.engine.execute(
            "INSERT INTO audit (article_id, claim_id, field, old, new, who, at) VALUES (?,?,?,?,?,?,?)",
            (article_id, claim_id, field, old, new, who, at),
        )
