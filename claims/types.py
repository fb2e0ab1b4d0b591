"""Types the claims stage produces. Every span is a pair of character offsets into ``Article.text``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

Span = tuple[int, int]


@dataclass(frozen=True)
class Article:
    """An article as the analyst gave it. ``text`` is what offsets point into (for HTML, the extracted text)."""

    id: str
    text: str
    title: str = ""
    outlet: str = ""
    published: date | None = None
    origin: str = ""  # file path, or "pasted"
    url: str = ""  # where the article was published, when the page or its front matter says
    boilerplate: tuple[Span, ...] = ()  # spans removed from claim-finding (bylines, datelines, ...)

    @staticmethod
    def make_id(text: str) -> str:
        """Content-addressed, so the same article pasted twice is the same article."""
        return "art-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Attribution:
    """PARC-style source / cue / content. ``speaker`` is the resolved name; ``source`` the span as written."""

    speaker: str = ""
    source: Span | None = None
    source_text: str = ""
    cue: str = ""
    cue_span: Span | None = None
    content: tuple[Span, ...] = ()
    outlet: str = ""
    quote_type: str = "none"  # direct | indirect | mixed | none (not attributed)

    @property
    def is_attributed(self) -> bool:
        return bool(self.speaker or self.outlet)


@dataclass(frozen=True)
class Mention:
    """An entity, date or number found in a claim, with its span in the article."""

    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, DATE, CARDINAL, ...
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    id: str
    article_id: str
    text: str
    start: int
    end: int
    attribution: Attribution = field(default_factory=Attribution)
    entities: tuple[Mention, ...] = ()
    dates: tuple[Mention, ...] = ()
    numbers: tuple[Mention, ...] = ()
    checkworthiness: float = 0.0
    checkworthy_reasons: tuple[str, ...] = ()  # the model's features that raised the score most
    # The claim as it can be read alone, and as search and the stance model read it: a piece split from its
    # sentence gets the sentence back, a source written "he" or "the minister" gets its name. Empty when that
    # is the text as written (``text``, which ``start``/``end`` point at).
    statement: str = ""

    @property
    def checked_text(self) -> str:
        return self.statement or self.text

    @staticmethod
    def make_id(article_id: str, start: int, end: int) -> str:
        """Stable across runs: the same span of the same article always gets the same id."""
        digest = hashlib.sha256(f"{article_id}:{start}:{end}".encode()).hexdigest()[:12]
        return f"clm-{digest}"

    @property
    def speaker(self) -> str:
        return self.attribution.speaker

    @property
    def outlet(self) -> str:
        return self.attribution.outlet
