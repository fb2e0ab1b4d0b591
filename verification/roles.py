"""What part a passage plays for a claim, decided before its stance counts.

Relevance comes first: a passage that does not name the claim's actors is about something else, and counts
neither for nor against. Then the findings of the checks: a clash on the claim's date, quantity, rank or actor is
a conflict when the rest of what the passage says matches the claim (the same event, told differently), and a
doubt or another event when it may not; a deed the passage gives only as a plan never supports. Only then does the
stance model's support or refutation count.
"""

from __future__ import annotations

import re

from verification.checks import content_overlap, shares_deed
from verification.types import Flag

# Roles, from the strongest say to none.
CONFLICT = "conflict"  # a hard clash on the claim's own event: the passage contradicts the claim
SUPPORT = "support"  # the model reads support, and no finding says otherwise
REFUTE = "refute"  # the model reads a contradiction the checks did not find
DOUBT = "doubt"  # a clash that may belong to another event: the claim needs an analyst
PLAN = "plan"  # the passage gives the claim's deed only as a plan, an expectation or a possibility
OTHER_EVENT = "other event"  # same actors, but other dates and figures: another event
RELATED = "related"  # about the claim, deciding nothing
UNRELATED = "unrelated"  # about something else: shown as context only
ROLES = (CONFLICT, SUPPORT, REFUTE, DOUBT, PLAN, OTHER_EVENT, RELATED, UNRELATED)

HARD = ("date", "number", "ordinal", "actor")


def is_relevant(claim: str, evidence: str, flags: tuple[Flag, ...]) -> bool:
    """About the claim: it names the claim's first actor and at least half of its named actors, or, for a claim
    that names none, any passage the search found (on Climate-FEVER's calibrate fold every word-overlap floor
    cost verdict macro-F1)."""
    # A single capitalised word opening the claim may be a name ("Russia ...") or a common word ("More than
    # 50,000 people ..."): found in the passage it counts, missing it proves nothing.
    named = [f for f in flags if f.kind == "entity" and not (f.relation == "missing" and _opening_word(f))]
    if named:
        share = sum(f.relation == "agrees" for f in named) / len(named)
        return share >= 0.5 and (named[0].relation == "agrees" or share >= 0.75)
    return True  # a claim that names no actor is left to the model: word overlap is a poor judge of paraphrase


# A clash with nothing else in common counts for the claim's own event when the passage shares this much of it.
SAME_STORY = 0.4


_COMMON_ENDINGS = ("ing", "ed", "ly", "tion", "tions", "ment", "ments", "ness", "ity", "ies", "ers", "ors",
                   "ists", "ants", "ents", "ates", "ary")


def _opening_word(flag: Flag) -> bool:
    """A capitalised word that opens the claim and reads as a common word ("More", "Estimates", "Limiting"), not
    a name ("Japan", "Russia's"): a function word, or an ending names rarely have."""
    # Imported here: the stop-word list loads all of spaCy, which commands that verify nothing should not pay for.
    from spacy.lang.en.stop_words import STOP_WORDS as _OPENERS

    word = flag.claim_value.lower()
    return bool(flag.claim_span) and flag.claim_span[0] == 0 and " " not in word and not flag.claim_value.isupper() \
        and (word in _OPENERS or word.endswith(_COMMON_ENDINGS))


def _clash_kinds(flags: tuple[Flag, ...]) -> set[str]:
    return {f.kind for f in flags if f.kind in HARD and f.relation == "clashes"}


def _other_year(flags: tuple[Flag, ...]) -> bool:
    clash = next(f for f in flags if f.kind == "date" and f.relation == "clashes")
    years = [re.findall(r"\b(?:1[6-9]|20)\d\d\b", v) for v in (clash.claim_value, clash.evidence_value)]
    return bool(years[0] and years[1] and set(years[0]) != set(years[1]))


def role(claim: str, evidence: str, flags: tuple[Flag, ...], label: str, score: float,
         vote_threshold: float = 0.5) -> str:
    """The passage's part for the claim. ``label``/``score`` are the stance model's decision after calibration.

    The rules about actors, deeds, plans and denials apply to claims that name who did what (news claims); a
    general claim ("sea levels are rising faster") is left to the dated and numbered details and to the model."""
    if not is_relevant(claim, evidence, flags):
        return UNRELATED
    named = any(f.kind == "entity" for f in flags)
    if named and any(f.kind == "modality" and f.relation == "differs" for f in flags):
        return PLAN  # what the passage says of a plan neither confirms nor contradicts the deed
    clashes = _clash_kinds(flags)
    decisive = label in ("SUPPORTS", "REFUTES") and score >= vote_threshold
    if len(clashes) >= 2:
        return OTHER_EVENT
    if clashes:
        kind = next(iter(clashes))
        if any(f.kind in HARD and f.kind != kind and f.relation == "agrees" for f in flags):
            return CONFLICT  # another detail agrees: the claim's own event, told differently
        deed = shares_deed(claim, evidence)
        if kind == "date" and _other_year(flags):
            # Another year and nothing else in common: the same deed may be misdated (an analyst should look), a
            # different deed is another event.
            return DOUBT if deed else OTHER_EVENT
        # Nothing else to tell the events apart: the same event when the passage tells of the claim's deed, or
        # uses much of its wording.
        return CONFLICT if deed or content_overlap(claim, evidence) >= SAME_STORY else OTHER_EVENT
    if named and decisive and any(f.kind == "negation" for f in flags):
        # The claim says a thing did not happen and the passage says it did (or the reverse), and the model reads
        # the two as the same statement: a model that overlooks "not" reads support here.
        return CONFLICT
    if not decisive:
        return RELATED
    if label == "REFUTES" and any(f.kind in HARD and f.relation == "agrees" for f in flags):
        return DOUBT  # the model reads a contradiction that the details the checks compared do not show
    return SUPPORT if label == "SUPPORTS" else REFUTE
