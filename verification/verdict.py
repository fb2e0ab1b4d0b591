"""Aggregate what a claim's passages say into one verdict, with a confidence, the passages that decided it and
the finding that did.

The verdict is conservative: a passage counts only for the part it plays (``verification/roles.py``).
- A conflict (a clash of date, quantity, rank, actor or negation on the claim's own event) makes the claim conflicted,
  whatever other passages say: no weaker support outvotes a visible clash.
- A clash that may belong to another event blocks support unless a supporting passage agrees on that very
  detail; then the claim needs an analyst's review.
- Support counts only from a passage about the claim with no clash; a plan is never the deed.
- When no retrieved passage is about the claim, the corpus does not cover it; when some are but none decides,
  there is no evidence either way.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from retrieval.types import Evidence
from verification.checks import tells_same_deed
from verification.roles import CONFLICT, DOUBT, PLAN, REFUTE, RELATED, SUPPORT, UNRELATED, actors_named
from verification.types import Stance, Verdict

# Defaults for models without fitted values. A stance counts as a vote only when the model is reasonably
# sure; when both sides have votes, one side wins outright only if it is clearly stronger.
VOTE_THRESHOLD = 0.5
# The details whose agreement ties a passage to the claim's own event.
HARD_DETAILS = ("date", "number", "ordinal")
DOMINANCE = 0.35
# A later report that tells the plan dropped, delayed or called off is no report of how it came out.
_UNDONE = re.compile(r"\b(?:dropped|scrapped|abandoned|shelved|cancell?ed|called\s+off|postponed|delayed|suspended|"
                     r"halted|put\s+on\s+hold|behind\s+schedule)\b", re.IGNORECASE)


def _where(evidence: Evidence) -> str:
    passage = evidence.passage
    return ", ".join(x for x in (passage.source, passage.date.isoformat() if passage.date else "") if x) or passage.id


def _finding(stance: Stance, kinds: tuple[str, ...]) -> str:
    return "; ".join(f.describe() for f in stance.flags if f.kind in kinds and f.relation in ("clashes", "differs"))


def _with_role(stance: Stance) -> Stance:
    """A stance stored before passages had roles reads as its label did then."""
    if stance.role:
        return stance
    return replace(stance, role={"SUPPORTS": SUPPORT, "REFUTES": REFUTE}.get(stance.label, "related"))


def _clashing(stance: Stance) -> set[str]:
    return {f.kind for f in stance.flags if f.relation == "clashes"}


# A claim about the article's present or future ("will visit", "has accepted") that names no date: reporting
# published more than this long before the article may tell of an earlier event (Lavrov's 2009 visit is no support
# for his 2018 invitation), so it is shown as context and decides nothing.
STALE_DAYS = 365


def decide(evidence: list[Evidence], stances: list[Stance], vote_threshold: float = VOTE_THRESHOLD,
           dominance: float = DOMINANCE, published: date | None = None, claim_dated: bool = True,
           claim: str = "") -> Verdict:
    """The shipped model's manifest carries fitted values for both thresholds (training.calibrate). ``published``
    is the article's date and ``claim_dated`` whether the claim places itself in time (a date or a past deed): one
    that does not is not decided by reporting more than ``STALE_DAYS`` older than the article. ``claim``, the
    claim's text, lets a passage that gives the claim's deed only as a plan outrank supports that do not tell
    the deed at all."""
    if not evidence:
        return Verdict("not covered", 1.0, (), "nothing in the corpus was found for the claim")
    votes = [(e, _with_role(s)) for e, s in zip(evidence, stances) if not e.after_article]
    stale = {e.passage.id for e, s in votes if published and not claim_dated and e.passage.date
             and (published - e.passage.date).days > STALE_DAYS and s.role != UNRELATED}
    votes = [(e, replace(s, role=RELATED) if e.passage.id in stale else s) for e, s in votes]
    if not votes:
        return Verdict("no evidence", 1.0, (), "every passage found is dated after the article, so none decides it")
    about = [(e, s) for e, s in votes if s.role != UNRELATED]
    if not about:
        # How sure: the share of the claim's actors that the nearest passage leaves out. None named, sure; half of
        # them named (without the first), the corpus may tell the claim in words the checks do not match.
        nearest = max(actors_named(claim, s.flags) for _, s in votes)
        # A share of 1 means the claim names no actors to look for (a passage set aside by an older rule): sure.
        return Verdict("not covered", round(1.0 - nearest, 3) if nearest < 1.0 else 1.0, (),
                       f"none of the {len(votes)} passages retrieved is about the claim's actors or subject: "
                       "the corpus does not cover it")
    conflicts = [(e, s) for e, s in about if s.role == CONFLICT]
    supports = sorted(((e, s) for e, s in about if s.role == SUPPORT), key=lambda p: -p[1].scores["SUPPORTS"])
    refutes = sorted(((e, s) for e, s in about if s.role == REFUTE), key=lambda p: -p[1].scores["REFUTES"])
    doubts = [(e, s) for e, s in about if s.role == DOUBT]
    if claim and any(s.role == PLAN for _, s in about):
        # One passage gives the claim's deed only as a plan ("could recommend sanctions"): a support that does not
        # tell the deed at all ("debris was found") cannot turn the plan into the deed. One that agrees with the
        # claim's figures or dates, published no earlier than the plan, tells how it came out in other words ("Arm
        # priced its IPO at $51", after "a price range of $47 to $51").
        planned = max((e.passage.date for e, s in about if s.role == PLAN and e.passage.date), default=None)
        supports = [(e, s) for e, s in supports if tells_same_deed(claim, e.passage.text)
                    or (any(f.kind in HARD_DETAILS and f.relation == "agrees" for f in s.flags)
                        and not _UNDONE.search(e.passage.text)
                        and planned is not None and e.passage.date is not None and e.passage.date >= planned)]

    agreed = {f.kind for _, s in supports for f in s.flags if f.relation == "agrees"}
    if conflicts:
        e, s = conflicts[0]
        finding = _finding(s, ("date", "number", "ordinal", "actor", "negation"))
        disputed = _clashing(s) & agreed
        if disputed:
            # Another passage supports the claim and agrees on the very detail this one contradicts: the sources
            # disagree, and an analyst decides which to believe.
            backer = next(b for b, t in supports if disputed & {f.kind for f in t.flags if f.relation == "agrees"})
            return Verdict("mixed", round(min(s.score, supports[0][1].scores["SUPPORTS"]), 3),
                           (backer.passage.id, e.passage.id),
                           f"sources disagree: {_where(backer)} agrees with the claim, {_where(e)}: {finding}")
        return Verdict("conflicted", round(max(s.scores["SUPPORTS"] + s.scores["REFUTES"], 0.5), 3),
                       tuple(c.passage.id for c, _ in conflicts[:3]), f"{_where(e)}: {finding}")
    blocking = [(e, s) for e, s in doubts if not (_clashing(s) and _clashing(s) <= agreed)]
    if blocking:
        e, s = blocking[0]
        finding = _finding(s, ("date", "number", "ordinal", "actor"))
        why = (f"{_where(e)} may describe another event: {finding}" if finding else
               f"{_where(e)} reads as a contradiction, yet the dates and figures it shares with the claim agree")
        return Verdict("needs review", round(blocking[0][1].score, 3), tuple(d.passage.id for d, _ in blocking[:3]),
                       why)
    best_support = supports[0][1].scores["SUPPORTS"] if supports else 0.0
    best_refute = refutes[0][1].scores["REFUTES"] if refutes else 0.0
    if supports and refutes and abs(best_support - best_refute) < dominance:
        return Verdict("mixed", round(min(best_support, best_refute), 3),
                       tuple(e.passage.id for e, _ in supports[:2] + refutes[:2]),
                       f"{len(supports)} passage(s) support and {len(refutes)} contradict the claim")
    if supports and best_support >= best_refute:
        e, s = supports[0]
        agreements = [f.describe() for f in s.flags if f.relation == "agrees" and f.kind != "entity"]
        return Verdict("supported", round(best_support, 3), tuple(p.passage.id for p, _ in supports[:3]),
                       f"{_where(e)} supports it" + (f" ({'; '.join(agreements)})" if agreements else ""))
    if refutes:
        e, _ = refutes[0]
        return Verdict("conflicted", round(best_refute, 3), tuple(p.passage.id for p, _ in refutes[:3]),
                       f"{_where(e)} contradicts it (the stance model's reading; no detail of it clashes)")
    nei = max(s.scores["NOT_ENOUGH_INFO"] for _, s in about)
    plans = [(e, s) for e, s in about if s.role == PLAN]
    # The first plan's own words, where the checks found them: "... gives it only as a plan or a possibility: 'A
    # White House official said the building would be lit in rainbow colours'".
    plan_words = next((f.evidence_value for f in plans[0][1].flags if f.kind == "modality"), "") if plans else ""
    older = [e for e, _ in about if e.passage.id in stale]
    earlier = [(e, f) for e, s in about for f in s.flags if f.relation == "earlier"]
    reason = (f"{_where(plans[0][0])} gives it only as a plan or a possibility" +
              (f": '{plan_words}'" if plan_words else "") if plans else
              f"{_where(earlier[0][0])} would support it, but was published before the claim's "
              f"{earlier[0][1].claim_value}, so it cannot report it" if earlier else
              f"the passages about it were published more than a year before the article ({_where(older[0])}) "
              "and may tell of an earlier event" if older else
              f"{len(about)} passage(s) are about the claim, but none supports or contradicts it")
    return Verdict("no evidence", round(nei, 3), tuple(e.passage.id for e, _ in plans[:3]), reason)
