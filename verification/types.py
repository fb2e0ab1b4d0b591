"""Types the verification stage produces: findings (flags), the stance of one piece of evidence,
and the verdict on a claim."""

from __future__ import annotations

from dataclasses import dataclass, field

from claims.types import Claim
from retrieval.types import Evidence, FactCheck

STANCES = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO")
# "needs review": a clash the checks found may belong to another event; "not covered": no retrieved passage is
# about the claim at all (the corpus does not cover it); "no evidence": passages about the claim decide nothing.
VERDICTS = ("supported", "conflicted", "mixed", "needs review", "no evidence", "not covered")


@dataclass(frozen=True)
class Flag:
    """One consistency finding. Spans are offsets into the claim text and into the passage text."""

    kind: str  # date | number | ordinal | actor | entity | negation | modality
    # agrees | clashes | missing | differs (modality: the deed only as a plan; actor: a title's holder) |
    # earlier (date: the passage was published before the day the claim gives its deed)
    relation: str
    claim_value: str = ""
    evidence_value: str = ""
    claim_span: tuple[int, int] | None = None
    evidence_span: tuple[int, int] | None = None

    def describe(self) -> str:
        if self.kind == "negation" and self.claim_value and self.evidence_value:
            return f"the claim says '{self.claim_value}' where the passage says '{self.evidence_value}'"
        if self.kind == "negation":
            return ("the claim denies what the passage states" if self.claim_value
                    else f"the passage denies what the claim states ('{self.evidence_value}')")
        if self.kind == "actor" and self.relation == "differs":
            return f"the passage gives the title to {self.evidence_value}, not {self.claim_value}"
        if self.relation == "earlier":
            return f"published {self.evidence_value}, before the claim's {self.claim_value}: it cannot report it"
        if self.kind == "modality":
            return f"the passage gives '{self.claim_value}' only as a plan or a possibility: '{self.evidence_value}'"
        if self.relation == "agrees":
            return f"{self.kind} agrees: {self.claim_value}"
        if self.relation == "clashes":
            return f"{self.kind} clashes: claim says {self.claim_value}, evidence says {self.evidence_value}"
        if self.evidence_value:
            return f"{self.kind} not stated: claim says {self.claim_value}, evidence says only {self.evidence_value}"
        return f"{self.kind} not in evidence: {self.claim_value}"


@dataclass(frozen=True)
class Stance:
    """What one passage says about one claim."""

    label: str
    score: float  # the confidence shown for ``label``: how often such a stance is right (``Calibration.shown``)
    scores: dict[str, float] = field(default_factory=dict)  # the probabilities the roles and the verdict weigh
    model_scores: dict[str, float] = field(default_factory=dict)  # the model's own, before the checks
    flags: tuple[Flag, ...] = ()
    # What the passage does for the claim (verification/roles.py): support, conflict, ...; "" in results stored
    # before passages had roles.
    role: str = ""
    # False when the stance model did not read the pair: the passage is about something else, and its stance is the
    # checks' alone (``StanceJudge.judge``).
    weighed: bool = True

    @property
    def explanation(self) -> str:
        clashes = [f.describe() for f in self.flags if f.relation == "clashes"]
        agreements = [f.describe() for f in self.flags if f.relation == "agrees"]
        parts = clashes + agreements
        return "; ".join(parts) if parts else "no dates, numbers or names to compare"


@dataclass(frozen=True)
class Verdict:
    label: str  # one of VERDICTS
    confidence: float
    deciding: tuple[str, ...] = ()  # passage ids of the evidence that decided it
    reason: str = ""


@dataclass(frozen=True)
class FactCheckMatch:
    """An earlier fact-check whose reviewed claim means what this claim says (cosine ``similarity``)."""

    check: FactCheck
    similarity: float
    after_article: bool = False  # published after the article being checked


QUOTE_STATUSES = ("verbatim", "differs", "other_speaker", "not_found")


@dataclass(frozen=True)
class WordChange:
    """Words of the quote as the article gives them, and as the passage gives them ("" for none)."""

    quote: str
    passage: str


@dataclass(frozen=True)
class QuoteMatch:
    """A corpus passage that holds the quoted words, or nearly: ``similarity`` is rapidfuzz's partial ratio
    (0-100) of the quote against the passage, ``words`` the passage's stretch that aligned with it."""

    passage_id: str
    doc_id: str
    source: str
    date: str | None
    url: str
    similarity: float
    kind: str  # verbatim | differs
    words: str
    words_span: tuple[int, int]  # offsets of ``words`` in the passage text
    speaker: str  # same | other | unknown: whom the passage names beside the words
    names: tuple[str, ...] = ()  # the people the passage names, when it names someone other than the speaker
    changes: tuple[WordChange, ...] = ()


@dataclass(frozen=True)
class QuoteCheck:
    """Did they really say it? The quoted words searched for in the corpus (see verification/quotes.py)."""

    quote: str
    status: str  # one of QUOTE_STATUSES
    matches: tuple[QuoteMatch, ...] = ()
    earliest: str | None = None  # passage id of the earliest dated match


@dataclass(frozen=True)
class CheckedClaim:
    """A claim with its evidence, each piece's stance, and the verdict: one row of the review."""

    claim: Claim
    evidence: tuple[Evidence, ...] = ()
    stances: tuple[Stance, ...] = ()
    verdict: Verdict = Verdict("no evidence", 0.0)
    quote_check: QuoteCheck | None = None  # only for a claim that quotes someone directly
    fact_checks: tuple[FactCheckMatch, ...] = ()  # earlier fact-checks of the same claim, closest first
