"""Types the retrieval stage produces: documents of prior reporting, their passages, and evidence."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FactCheck:
    """An earlier fact-check (a schema.org ClaimReview): the claim it reviewed, its rating, who checked it."""

    id: str
    claim: str
    rating: str
    fact_checker: str = ""
    claimant: str = ""  # who made the reviewed claim, when the review says
    date: date | None = None
    url: str = ""


@dataclass(frozen=True)
class Document:
    """One item of prior reporting. ``source`` is the outlet."""

    id: str
    text: str
    title: str = ""
    source: str = ""
    date: date | None = None
    url: str = ""

    @property
    def content_hash(self) -> str:
        """Changes whenever anything that is embedded or shown changes."""
        key = "\x1f".join([self.title, self.text, self.source, self.date.isoformat() if self.date else "", self.url])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Copy:
    """Another outlet's copy of an indexed document (a syndicated wire story), found at indexing and not indexed
    again (``retrieval.syndication``); listed on the evidence card as "also carried by"."""

    doc_id: str
    source: str = ""
    title: str = ""
    date: date | None = None
    url: str = ""


@dataclass(frozen=True)
class Passage:
    """A sentence window of a document; ``start``/``end`` are offsets into the document's text."""

    id: str
    doc_id: str
    text: str
    start: int
    end: int
    title: str = ""
    source: str = ""
    date: date | None = None
    url: str = ""


@dataclass(frozen=True)
class Evidence:
    """A passage retrieved for a claim, with why it ranked where it did."""

    passage: Passage
    score: float  # fused score, 0-1: the two engines' min-max scaled scores, weighted (retrieval/search.py)
    rank: int
    dense_score: float = 0.0  # cosine similarity to the claim
    lexical_rank: int | None = None
    dense_rank: int | None = None
    after_article: bool = False  # dated after the article: shown only on request, always flagged
    duplicates: tuple[str, ...] = ()  # ids of near-identical passages collapsed into this one
    copies: tuple[Copy, ...] = ()  # other outlets that carried the passage's story (syndication), not indexed
