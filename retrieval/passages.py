"""Split documents into overlapping sentence windows that keep offsets into the document text.

A fast rule-based sentence splitter is used instead of spaCy: the corpus can hold millions of
passages, and a window boundary that is off by a clause costs little in retrieval.
"""

from __future__ import annotations

import re

from retrieval.types import Document, Passage

WINDOW_SENTENCES = 2
# Split after . ! ? (optionally closed by a quote or bracket) followed by space and a capital/quote/digit,
# but not after common abbreviations.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)\]]?\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|St|Jr|Sr|Inc|Ltd|Co|vs|U\.S|U\.N|No|Jan|Feb|"
                            r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|e\.g|i\.e|et al)\.|\b[A-Z]\.)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()]
        if _ABBREVIATIONS.search(candidate):
            continue
        if candidate.strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    trimmed = []
    for s, e in spans:
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        trimmed.append((s + lead, s + len(piece.rstrip())))
    return [span for span in trimmed if span[1] > span[0]]


def passages_of(document: Document, window: int = WINDOW_SENTENCES) -> list[Passage]:
    """Windows of ``window`` sentences, stride one, so each sentence is seen with its neighbour."""
    spans = sentence_spans(document.text)
    if not spans:
        return []
    if len(spans) <= window:
        groups = [(spans[0][0], spans[-1][1])]
    else:
        groups = [(spans[i][0], spans[i + window - 1][1]) for i in range(len(spans) - window + 1)]
    return [
        Passage(
            id=f"{document.id}#{start}-{end}",
            doc_id=document.id,
            text=document.text[start:end],
            start=start,
            end=end,
            title=document.title,
            source=document.source,
            date=document.date,
            url=document.url,
        )
        for start, end in groups
    ]
