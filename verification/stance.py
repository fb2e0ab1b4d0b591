"""The stance of a passage towards a claim: the trained cross-encoder, corrected by the consistency checks.

``StanceModel`` is the seam: anything that maps (evidence, claim) pairs to probabilities over
SUPPORTS / REFUTES / NOT_ENOUGH_INFO. The shipped one is our own cross-encoder, exported to ONNX int8
(see verification/model/MODEL_CARD.md). Its file hash is checked at load: a missing or corrupt model
is a clear error, never a silent fallback.

The combination is a small log-linear layer whose parameters are fitted on the calibration fold of
the dev sets (``training.calibrate``), not picked by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.pair_model import OnnxPairModel
from verification.checks import compare, dated_after, dates, named_in_title, plan_only_flag
from verification.doers import other_doer
from verification.roles import (
    CONFLICT,
    DOUBT,
    OTHER_EVENT,
    PLAN,
    RELATED,
    SUPPORT,
    UNRELATED,
    is_relevant,
    role,
)
from verification.types import STANCES, Flag, Stance
from verification.verdict import STALE_DAYS, decide

MODEL_DIR = Path(__file__).parent / "model"
# The stance of a passage the model was not asked about because it is about something else: by the checks alone, it
# says nothing either way.
UNWEIGHED_LABEL = "NOT_ENOUGH_INFO"
UNWEIGHED_SCORES = {"SUPPORTS": 0.0, "REFUTES": 0.0, "NOT_ENOUGH_INFO": 1.0}


class StanceModelError(RuntimeError):
    """The stance model cannot be used; the message says what to do."""


class StanceModel(Protocol):
    def predict(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Probabilities, shape (len(pairs), 3), columns in ``STANCES`` order. Pairs are (evidence, claim)."""


class OnnxStanceModel(OnnxPairModel):
    """The exported cross-encoder on onnxruntime; no torch import at run time. One pair per run, so a pair's
    probabilities never depend on the pairs scored beside it (see ``retrieval.pair_model``)."""

    def __init__(self, folder: str | Path = MODEL_DIR, threads: int = 0) -> None:
        super().__init__(folder, "stance model", StanceModelError, "reinstall or run `make train-stance`", threads)
        self.calibration = self.manifest.get("calibration", {})

    def predict(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        return _softmax(self.logits(pairs, 3)).astype(np.float32)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Calibration:
    """log p' = (log p + bias + clash_weight·[clashes → REFUTES] + missing_weight·[names absent → NEI]) / T[top]

    The temperature T makes the shown probability mean what it says (a stance at 0.8 right about 80% of the time).
    There may be one per stance, used when that stance is on top: a model can be overconfident in one stance and
    underconfident in another, which one temperature cannot mend. A temperature never changes which stance is on
    top. ``training.calibrate`` chooses and fits them on the calibrate fold.

    ``confidence_map`` is the other kind it may choose: a monotone map from the top stance's probability to how often
    such a stance is right (isotonic regression on the calibrate fold, as breakpoints). It changes only the
    confidence shown (``Stance.score``); the probabilities the roles and the verdict weigh (``Stance.scores``) stay
    as they are, because the verdict's thresholds were fitted on them."""

    bias: tuple[float, float, float] = (0.0, 0.0, 0.0)
    clash_weight: float = 0.0
    agree_weight: float = 0.0
    missing_weight: float = 0.0
    vote_threshold: float = 0.5  # verdict: least stance probability that counts as a vote
    dominance: float = 0.35  # verdict: margin by which one side must lead to win over "mixed"
    temperature: tuple[float, float, float] = (1.0, 1.0, 1.0)
    confidence_map: tuple[tuple[float, ...], tuple[float, ...]] = ((), ())

    def shown(self, probability: float) -> float:
        """The confidence shown for a stance the model gives ``probability`` (after the temperature)."""
        xs, ys = self.confidence_map
        return float(np.interp(probability, xs, ys)) if xs else probability

    @classmethod
    def from_dict(cls, values: dict) -> Calibration:
        return cls(
            bias=tuple(values.get("bias", (0.0, 0.0, 0.0))),
            clash_weight=float(values.get("clash_weight", 0.0)),
            agree_weight=float(values.get("agree_weight", 0.0)),
            missing_weight=float(values.get("missing_weight", 0.0)),
            vote_threshold=float(values.get("vote_threshold", 0.5)),
            dominance=float(values.get("dominance", 0.35)),
            temperature=_per_stance(values.get("temperature", 1.0)),
            confidence_map=_confidence_map(values.get("confidence_map")),
        )


def _confidence_map(value) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Breakpoints of a monotone map, {"x": [...], "y": [...]}, both rising, x in [0, 1], y in [0, 1]."""
    if not value:
        return ((), ())
    try:
        xs, ys = tuple(float(x) for x in value["x"]), tuple(float(y) for y in value["y"])
    except (KeyError, TypeError, ValueError):
        raise StanceModelError(f"the stance calibration's confidence map must be {{'x': [...], 'y': [...]}}, not "
                               f"{value!r}") from None
    rising = all(a <= b for a, b in zip(xs, xs[1:])) and all(a <= b for a, b in zip(ys, ys[1:]))
    if len(xs) != len(ys) or not xs or not rising or min(xs + ys) < 0 or max(xs + ys) > 1:
        raise StanceModelError("the stance calibration's confidence map must give as many rising x as y, in [0, 1]")
    return xs, ys


def _per_stance(value) -> tuple[float, float, float]:
    """A temperature for each stance, from one number (all alike) or three."""
    values = (float(value),) * 3 if isinstance(value, int | float) else tuple(float(v) for v in value)
    if len(values) != 3 or min(values) <= 0:
        raise StanceModelError(f"the stance calibration's temperature must be 3 positive numbers, not {value!r}")
    return values


def check_features(flags: tuple[Flag, ...]) -> tuple[int, int, float]:
    """(clashes of any kind the checks find, date/number agreements, share of claim names absent from the
    evidence)."""
    clashes = sum(1 for f in flags if f.relation == "clashes")
    agreements = sum(1 for f in flags if f.relation == "agrees" and f.kind in {"date", "number"})
    named = [f for f in flags if f.kind == "entity"]
    missing = sum(1 for f in named if f.relation == "missing") / len(named) if named else 0.0
    return clashes, agreements, missing


# A date phrase the checks found in the passage, as the preposition that opens it: "on", "in", "at" or "during" (a
# "by" or "since" bounds the deed, and stays; "based on 2019 figures" is no date phrase).
_DATE_OPENER = re.compile(r"(?:^|(?<=\s))(?<!based\s)(?:on|in|at|during)\s+(?:the\s+)?$", re.IGNORECASE)
# What may follow a date phrase: a stop, or a word that starts the next part of the sentence. A noun after it ("the
# 2019 election", "2024's biggest concert", "the 2022-23 season") makes the date part of a name for a thing.
_AFTER_DATE = re.compile(r"\s*(?:[,.;:!?)]|$|(?:and|but|or|after|before|when|while|as|with|to|for|of|in|on|at|by|"
                         r"from|that|which|who|amid|following|despite|because|since|until|into|against|over|"
                         r"under|the|a|an|his|her|its|their|[A-Z])\b)")


def _precision(mention_fields: dict) -> int:
    return len(mention_fields)  # 1: a year, 2: a month, 3: a day


def _passage_precision(value: str) -> int:
    """How precisely the passage gives an agreeing date: "Sunday [2019-12-15]" is a day, "2019" a year. A date
    written without its year ("March 27", "in March") counts one step more: the checks read it in the year nearest
    the passage's publication, so it is as precise as its day or month."""
    if re.search(r"\[\d{4}-\d{2}-\d{2}\]", value):
        return 3
    found = dates(re.sub(r"\s*\[\d{4}\]", "", value))
    return max((_precision(d.fields()) + (d.year is None) for d in found), default=0)


def for_model(claim: str, flags: tuple[Flag, ...]) -> str:
    """The claim as the stance model reads it against one passage: without its date, where the checks found that the
    passage gives the same date at least as precisely. The checks read "on Wednesday" in a report of March 28 as
    March 27; the model cannot, and reads a date it does not find in the passage as a detail the passage leaves
    undecided. Only a claim with one date, told as a phrase of its own ("on March 27", not "the 2019 election" or
    "in 2019, 2021 and 2023"), and only where the passage is as precise ("in 2019" does not confirm "on 15 December
    2019"): otherwise the claim is read as it is."""
    mine = dates(claim)
    if len(mine) != 1:
        return claim
    flag = next((f for f in flags if f.kind == "date" and f.relation == "agrees" and f.claim_span), None)
    if flag is None or _passage_precision(flag.evidence_value) < _precision(mine[0].fields()):
        return claim
    start, end = flag.claim_span
    if "," in claim[start:end] and claim[end:end + 1] == ",":
        end += 1  # "on April 20, 2021, of murder": the comma that closes the date goes with it
    if not _AFTER_DATE.match(claim, end):
        return claim
    opener = _DATE_OPENER.search(claim[:start])
    if opener:
        start = opener.start()
    elif not (start == 0 or claim[:start].rstrip().endswith(",")):
        return claim  # "March 27, the bodies ..." opens the claim; otherwise the date is no phrase of its own
    text = claim[:start] + claim[end:]
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip(" ,")
    text = re.sub(r"^,\s*", "", re.sub(r",\s*,", ",", text))
    return text[:1].upper() + text[1:] if claim[:1].isupper() else text


def combine(probs: np.ndarray, flags: tuple[Flag, ...], calibration: Calibration) -> np.ndarray:
    clashes, agreements, missing = check_features(flags)
    logits = np.log(np.clip(probs, 1e-6, 1.0)) + np.array(calibration.bias)
    logits[1] += calibration.clash_weight * min(clashes, 2)
    logits[0] += calibration.agree_weight * min(agreements, 2)
    logits[2] += calibration.missing_weight * missing
    # Last, as training.calibrate fits it: on what the analyst would otherwise be shown.
    logits = logits / calibration.temperature[int(np.argmax(logits))]
    return _softmax(logits[None, :])[0]


def judged_role(claim: str, evidence: str, flags: tuple[Flag, ...], label: str, score: float,
                vote_threshold: float) -> tuple[str, tuple[Flag, ...]]:
    """The passage's role (``verification.roles.role``), and its flags with the doer clash the parse found, if any. A
    passage about to count as support that gives the claim's deed, or its words, to someone else it names ("Committee
    chair Damian Collins said it was 'absolutely astonishing'" for "Christopher Wylie said it was ...") is a doubt: the
    claim may have the wrong person, or the passage tells of another; an analyst decides."""
    part = role(claim, evidence, flags, label, score, vote_threshold)
    if part == SUPPORT and (other := other_doer(claim, evidence)):
        return DOUBT, flags + (other,)
    return part, flags


class StanceJudge:
    """Stance for claim × evidence pairs: model probabilities plus checks, as ``Stance`` objects."""

    def __init__(self, model: StanceModel, calibration: Calibration | None = None) -> None:
        self.model = model
        if calibration is None:
            calibration = Calibration.from_dict(getattr(model, "calibration", {}) or {})
        self.calibration = calibration

    def verdict(self, evidence, stances, published=None, claim_dated: bool = True, claim: str = ""):
        """``published``: the article's date; ``claim_dated``: whether the claim places itself in time
        (``verification.checks.places_in_time``); ``claim``: its text."""
        return decide(list(evidence), list(stances), self.calibration.vote_threshold, self.calibration.dominance,
                      published, claim_dated, claim)

    def judge(self, pairs: list[tuple[str, str]], written: list[tuple] | None = None,
              titles: list[str] | None = None, weigh_unrelated: bool = True) -> list[Stance]:
        """``pairs`` are (claim, evidence passage); ``written``, where known, the days the article and the passage
        were published, one (article, passage) pair of dates or None per pair: a date written without its year
        is read in the year nearest them; ``titles``, where known, the title of each passage's document, which
        names whom a passage is about when the passage does not (``verification.checks.named_in_title``).

        ``weigh_unrelated=False`` (a check) leaves the stance model out for a passage that is about something
        else (``verification.roles.is_relevant``): such a passage counts neither for nor against, whatever the
        model would read in it, so reading it only costs time (on a corpus that does not cover an article, most
        of a check's). Its stance is the checks' alone, marked ``weighed=False``. The default weighs every pair,
        for measuring the model on gold pairs. The model reads each claim as ``for_model`` gives it."""
        written = written or [(None, None)] * len(pairs)
        titles = titles or [""] * len(pairs)
        found = [named_in_title(compare(claim, evidence, *days), title)
                 for (claim, evidence), days, title in zip(pairs, written, titles)]
        weighed = [weigh_unrelated or is_relevant(claim, evidence, flags)
                   for (claim, evidence), flags in zip(pairs, found)]
        rows = iter(self.model.predict([(evidence, for_model(claim, flags))
                                        for (claim, evidence), weigh, flags in zip(pairs, weighed, found) if weigh]))
        stances = []
        for (claim, evidence), flags, weigh, days in zip(pairs, found, weighed, written):
            if not weigh:
                stances.append(Stance(label=UNWEIGHED_LABEL, score=1.0, scores=dict(UNWEIGHED_SCORES),
                                      flags=flags, role=UNRELATED, weighed=False))
                continue
            row = next(rows)
            final = combine(row, flags, self.calibration)
            best = int(final.argmax())
            part, flags = judged_role(claim, evidence, flags, STANCES[best], round(float(final[best]), 4),
                                      self.calibration.vote_threshold)
            if part == PLAN and not any(f.kind == "modality" for f in flags):
                # A plan found in the passage's clauses (roles.role): show the clause that tells it.
                shown = plan_only_flag(claim, evidence)
                flags += (shown,) if shown else ()
            later = dated_after(claim, *days) if part in (SUPPORT, CONFLICT) else None
            if later and part == CONFLICT:
                if not any(f.kind == "date" and f.relation == "clashes" for f in flags) \
                        and (date(later.year, later.month or 1, later.day or 1) - days[1]).days > STALE_DAYS:
                    # Published more than a year before the day the claim gives its deed, the passage cannot tell that
                    # deed's figures, ranks or actors: what clashes is another event's ("raised rates by a quarter
                    # point" in 2018 against a rise "on Wednesday" in 2022). Not a passage of days or weeks before:
                    # what it says of a thing that lasts ("the largest pipeline", "its 2.4-metre mirror", "the first
                    # American to lead BP") still holds on the claim's day. A clash on the date itself stays a conflict.
                    part = OTHER_EVENT
            elif later:
                # The passage was published before the day the claim gives its deed: shown, and said why.
                part = RELATED
                flags += (Flag("date", "earlier", later.text, days[1].isoformat(), later.span, None),)
            stances.append(Stance(
                label=STANCES[best],
                score=round(self.calibration.shown(float(final[best])), 4),
                scores={name: round(float(p), 4) for name, p in zip(STANCES, final)},
                model_scores={name: round(float(p), 4) for name, p in zip(STANCES, row)},
                flags=flags,
                role=part,
            ))
        return stances
