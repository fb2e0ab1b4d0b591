"""Types the review stage owns: the analyst's review of a claim and the audit trail of changes."""

from __future__ import annotations

from dataclasses import dataclass

UNREVIEWED = "Unreviewed"


@dataclass(frozen=True)
class Status:
    name: str
    colour: str
    description: str


DEFAULT_STATUSES = (
    Status(UNREVIEWED, "#9e9e9e", "Nobody has decided yet"),
    Status("Supported", "#2e7d32", "Prior reporting backs the claim"),
    Status("Conflicted", "#c62828", "Prior reporting contradicts the claim"),
    Status("Inconclusive", "#f9a825", "Evidence is missing, mixed or too weak to decide"),
    Status("Not check-worthy", "#546e7a", "Opinion, prediction or boilerplate: nothing to check"),
)

# The model's verdict, offered to the analyst as a pre-filled suggestion.
SUGGESTION = {"supported": "Supported", "conflicted": "Conflicted", "mixed": "Inconclusive",
              "needs review": "Inconclusive", "not covered": "Inconclusive",
              "no evidence": "Inconclusive"}


@dataclass(frozen=True)
class Review:
    article_id: str
    claim_id: str
    status: str = UNREVIEWED
    note: str = ""
    reviewer: str = ""
    reviewed_at: str = ""  # ISO 8601, UTC
    seconds_spent: float = 0.0
    version: int = 0  # 0 = never saved; every save increments it


@dataclass(frozen=True)
class AuditEvent:
    article_id: str
    claim_id: str
    field: str
    old: str
    new: str
    who: str
    at: str
    id: int = 0


@dataclass(frozen=True)
class BlindView:
    """One reviewer's view of a claim under blind double review.

    Until ``required`` reviewers have decided, a reviewer sees only their own decision and a count of how
    many others have decided, never who they are or what they chose; after that, everyone's decisions.
    """

    mine: Review | None
    submitted: int
    required: int
    revealed: tuple[Review, ...] = ()

    @property
    def is_revealed(self) -> bool:
        return self.submitted >= self.required

    @property
    def agreed(self) -> str | None:
        statuses = {r.status for r in self.revealed}
        return statuses.pop() if self.is_revealed and len(statuses) == 1 else None


@dataclass(frozen=True)
class Disagreement:
    """A blindly double-reviewed claim whose reviewers chose different statuses; ``settled`` is the final review
    (``Unreviewed`` until someone settles it)."""

    claim_id: str
    decisions: tuple[Review, ...]
    settled: Review


class ReviewConflict(RuntimeError):
    """Someone else saved this claim since it was loaded. ``current`` is what they saved."""

    def __init__(self, current: Review, attempted: Review) -> None:
        super().__init__(
            f"claim {current.claim_id} was changed by {current.reviewer or 'someone'} at {current.reviewed_at} "
            f"(now '{current.status}'); reload it and decide again"
        )
        self.current = current
        self.attempted = attempted
