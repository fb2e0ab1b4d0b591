"""Check-worthiness: a ranking score, never a filter.

A transparent linear score over features analysts name when they triage: concrete entities,
numbers and dates push a sentence up; questions, opinions, predictions and pleasantries push it
down. Weights were set by reasoning, not fitted to the CLEF data (which is measurement-only).
"""

from __future__ import annotations

import re

OPINION_WORDS = {
    "think", "believe", "feel", "hope", "happy", "glad", "wish", "love", "hate", "great", "terrible",
    "wonderful", "awful", "amazing", "disgrace", "disgraceful", "ridiculous", "likely", "probably",
    "perhaps", "maybe", "should", "must", "opinion", "frankly", "honestly", "beautiful", "best", "worst",
}
PLEASANTRIES = re.compile(
    r"^\W*(thank|thanks|good (evening|morning|afternoon|night)|welcome|hello|hi\b|applause|"
    r"ladies and gentlemen|congratulations)",
    re.IGNORECASE,
)
# Fillers that open short conversational turns; "No date has been announced" is not one.
FILLERS = re.compile(r"^\W*(okay|ok|yes|no|well|so|look|right)\b", re.IGNORECASE)
MODALS = {"will", "would", "could", "might", "may", "shall", "going"}
_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT"}
_NUMBER_LABELS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
_DATE_LABELS = {"DATE", "TIME"}


def score_span(span, attributed: bool) -> float:
    """Score a spaCy span (a claim); 0 is chit-chat, 1 is a concrete, checkable statement."""
    text = span.text.strip()
    words = [t for t in span if not t.is_punct]
    labels = [e.label_ for e in span.ents]
    entities = sum(1 for label in labels if label in _ENTITY_LABELS)
    score = 0.25
    score += min(entities, 3) * 0.1
    score += 0.2 if any(label in _NUMBER_LABELS for label in labels) or re.search(r"\d", text) else 0.0
    score += 0.15 if any(label in _DATE_LABELS for label in labels) else 0.0
    score += 0.05 if attributed else 0.0
    lowered = {t.lower_ for t in span}
    if text.endswith("?"):
        score -= 0.35
    if PLEASANTRIES.match(text) or (FILLERS.match(text) and len(words) < 8):
        score -= 0.35
    if lowered & OPINION_WORDS or {"i", "we"} & lowered and lowered & {"think", "believe", "feel", "hope"}:
        score -= 0.2
    if lowered & MODALS:
        score -= 0.1
    if len(words) < 6:
        score -= 0.25
    elif len(words) > 60:
        score -= 0.1
    return round(min(max(score, 0.0), 1.0), 3)
