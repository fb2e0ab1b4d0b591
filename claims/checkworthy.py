"""Check-worthiness: a ranking score, never a filter.

A logistic regression over features an analyst can read: the sentence's words, the kinds of entities, numbers
and dates it names, its verb tenses, and cues of chit-chat (questions, pleasantries, opinion words, modals,
length). It is trained on the CLEF 2019 CheckThat! task 1 transcripts (``training.checkworthy``; figures in
``claims/model/CHECKWORTHY.md``). Because it is linear, the features that raised a sentence's score are exactly
its largest positive terms, and ``score_and_explain`` returns them for the dashboard.

The score is the model's probability with classes weighted equally in training: a ranking, 0.5 meaning "as
likely check-worthy as not to a model that has seen as many of each", not a share of sentences.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "model" / "checkworthy.json"

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


class CheckworthyError(RuntimeError):
    """The shipped check-worthiness model is missing or corrupt."""


def features(span, attributed: bool) -> dict[str, float]:
    """Named features of a spaCy span (a claim or a transcript sentence). Names are what ``score_and_explain`` shows."""
    text = span.text.strip()
    words = [t for t in span if not t.is_punct and not t.is_space]
    labels = [e.label_ for e in span.ents]
    lowered = {t.lower_ for t in span}
    out: dict[str, float] = {}
    entities = sum(1 for label in labels if label in _ENTITY_LABELS)
    if entities:
        out["names people, places or organisations"] = min(entities, 3) / 3
    if any(label in _NUMBER_LABELS for label in labels) or re.search(r"\d", text):
        out["has a number"] = 1.0
    if any(label in _DATE_LABELS for label in labels):
        out["has a date or time"] = 1.0
    if attributed:
        out["attributed to a source"] = 1.0
    if text.endswith("?"):
        out["is a question"] = 1.0
    if PLEASANTRIES.match(text) or (FILLERS.match(text) and len(words) < 8):
        out["pleasantry or filler"] = 1.0
    if lowered & OPINION_WORDS:
        out["opinion word"] = 1.0
    if lowered & MODALS:
        out["future or conditional"] = 1.0
    if len(words) < 6:
        out["very short"] = 1.0
    elif len(words) > 60:
        out["very long"] = 1.0
    out["length (words, log)"] = math.log1p(len(words)) / 4
    for label in set(labels):
        out[f"entity {label}"] = 1.0
    alpha = [t.lower_ for t in span if t.is_alpha]
    for first, second in zip(alpha, alpha[1:]):
        out[f"words '{first} {second}'"] = 1.0
    for token in span:
        if token.tag_ in {"VBD", "VBN", "VBZ", "VBP", "MD"}:
            out[f"tense {token.tag_}"] = 1.0
        if token.is_alpha:
            out[f"word '{token.lower_}'"] = 1.0
    return out


class CheckworthyModel:
    """The shipped linear model: weights by feature name, a bias, and the file's sha256 checked at load."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CheckworthyError(f"{path}: check-worthiness model missing; restore claims/model from git") from exc
        data = json.loads(raw)
        body = json.dumps({"bias": data["bias"], "weights": data["weights"]}, sort_keys=True).encode()
        digest = hashlib.sha256(body).hexdigest()
        if digest != data.get("sha256"):
            raise CheckworthyError(f"{path}: check-worthiness model is corrupt (weights sha256 {digest[:12]}…, "
                                   f"expected {str(data.get('sha256'))[:12]}…); restore it with `git checkout {path}`")
        self.bias = float(data["bias"])
        self.weights: dict[str, float] = {k: float(v) for k, v in data["weights"].items()}
        self.trained_on: list[str] = list(data.get("trained_on", []))

    def terms(self, values: dict[str, float]) -> dict[str, float]:
        return {name: self.weights[name] * value for name, value in values.items() if name in self.weights}

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias + sum(self.terms(values).values())
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@lru_cache(maxsize=1)
def shipped_model() -> CheckworthyModel:
    return CheckworthyModel()


def score_and_explain(span, attributed: bool, top: int = 4) -> tuple[float, tuple[str, ...]]:
    """The score (0 is chit-chat, 1 a concrete, checkable statement; see the module's note on what the number
    means) and the features that raised it most, largest first, without the length and stop words."""
    model = shipped_model()
    values = features(span, attributed)
    return round(model.probability(values), 3), _raised(model.terms(values), top)


_UNINFORMATIVE = {"length (words, log)"}


def _telling(name: str, stop_words) -> bool:
    """Whether a feature tells the analyst something: not the length, not a word like "the" or "of"."""
    if name in _UNINFORMATIVE:
        return False
    if name.startswith("word"):
        return not all(w in stop_words for w in name.split("'")[1].split())
    return True


def _raised(terms: dict[str, float], top: int) -> tuple[str, ...]:
    # Imported here: spaCy's stop-word list loads all of spaCy (2.5 s), which commands that score nothing
    # (export, backup) should not pay for.
    from spacy.lang.en.stop_words import STOP_WORDS

    raised = sorted((item for item in terms.items() if item[1] > 0 and _telling(item[0], STOP_WORDS)),
                    key=lambda item: -item[1])
    return tuple(name for name, _ in raised[:top])
