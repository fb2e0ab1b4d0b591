"""The Review view: the review deck (one claim at a time, its suggestion, the decision bar and the evidence, moved
between and decided in the browser), and beside it what the server keeps: conflicts to resolve, blind review's
state and the audit trail.

A key press used to wait for a Streamlit rerun to draw the next claim, and the browser's redraw of that rerun was
most of a second on 2 cores (bench/review_latency.py). The deck (``ui/deck/``) holds the claims it was sent and
draws the next one itself; each decision reaches this module in the deck's state, in order, and is applied here
exactly once with the same versioned save as any other. What the deck shows as confirmed is what the store holds.
"""

from __future__ import annotations

import contextlib
import math
import uuid
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from review.store import BLIND_NOTE, BLIND_STATUS, ReviewStoreError, StoreUnavailable
from review.types import SUGGESTION, UNREVIEWED, Review, ReviewConflict
from ui.desk import Desk, move_to, rerun_workspace, spent
from ui.keys import help_rows, key_map
from ui.render import claim_html, evidence_card_html, fact_checks_html, md, quote_check_html, reason_html, said_by_html

_DECK_FILES = Path(__file__).resolve().parents[1] / "deck"
_deck = st.components.v2.component(
    "review_deck", html='<div class="cd-deck"></div>', css=(_DECK_FILES / "deck.css").read_text(encoding="utf-8"),
    js=(_DECK_FILES / "deck.js").read_text(encoding="utf-8"), isolate_styles=True)

# Claims sent with each run: the deck draws these without asking the server, so an analyst can move this far ahead
# of the server's answers; the next run re-centres the window on where the analyst is.
_BEHIND, _AHEAD = 10, 40
NOTE_LIMIT = 20_000  # characters: a note is an analyst's text, not a document
_SEQ_LIMIT = 80  # characters of an action's sequence number (the deck's token and a counter)
_SECONDS_LIMIT = 24 * 3600


def _noop() -> None:
    """The deck's state changes rerun the workspace; the actions in it are applied on that run, in ``render``."""


def apply_actions(desk: Desk) -> None:
    """Apply what the deck has sent since the last run (before the progress is drawn, so it counts them). The
    answers go back to the deck when it is next drawn."""
    state = (st.session_state.get("deck") or {}).get("review") or {}
    st.session_state.deck_state = state if isinstance(state, dict) else {}
    st.session_state.deck_answers = _apply_all(desk, st.session_state.deck_state)


def apply_before_the_sidebar(desk: Desk) -> None:
    """Decisions the deck sent for the article on screen are applied before the sidebar can switch to another one
    (a check, Open, Check again): after the switch they would belong to an article no longer shown."""
    state = (st.session_state.get("deck") or {}).get("review") or {}
    actions = state.get("actions") if isinstance(state, dict) else None
    done = st.session_state.get("deck_done") or {}
    if "checked" not in st.session_state or not isinstance(actions, list) or all(
            isinstance(a, dict) and a.get("seq") in done for a in actions):
        return  # nothing new to apply: no store read on this run
    desk.checked = st.session_state.checked
    if not desk.claims:
        return
    try:
        _reload(desk)
    except ReviewStoreError:
        return  # the workspace says the store is away; the deck keeps the decisions unconfirmed
    apply_actions(desk)


def render(desk: Desk) -> None:
    claims = desk.claims
    state, acks = st.session_state.get("deck_state") or {}, st.session_state.get("deck_answers") or []
    cursor = _cursor(desk, state)
    # The page's address names the article and claim, so a reload, a restarted dashboard or a shared link opens
    # the same claim (``ui.desk.resume_from_address``).
    here = {"article": desk.article_id, "claim": claims[cursor]["id"]}
    if {k: st.query_params.get(k) for k in here} != here:
        st.query_params.update(here)

    for mine, theirs in list((st.session_state.get("conflicts") or {}).values()):
        if mine.article_id == desk.article_id:
            _conflict(desk, mine, theirs)
    _deck(key="deck", data=_deck_data(desk, cursor, acks, state), on_review_change=_noop)

    claim = claims[cursor]
    if desk.blind:
        _blind_state(desk, cursor, claim, desk.blind_views.get(claim["id"]))
    with st.expander(f"Audit trail of claim {cursor + 1}"):
        locked = bool((view := desk.blind_views.get(claim["id"])) and view.is_revealed)
        events = [e for e in desk.store.audit(desk.article_id, claim["id"])
                  if not (desk.blind and e.field in (BLIND_STATUS, BLIND_NOTE) and e.who != desk.reviewer
                          and not locked)]
        if events:
            # A static table: an interactive grid here cost the browser a noticeable share of every key press.
            st.table(pd.DataFrame([{"when": e.at, "who": e.who, "field": e.field, "from": e.old, "to": e.new}
                                   for e in events]).set_index("when"))
        else:
            st.caption("No decisions yet.")


def _cursor(desk: Desk, state: dict) -> int:
    """The claim the analyst is on: where the deck says it is, unless the server has since moved the analyst (an
    undo, a claim opened from the Claims table) and the deck has not yet seen that move."""
    goto = st.session_state.get("deck_goto") or {"nonce": 0, "cursor": st.session_state.get("cursor", 0)}
    cursor = st.session_state.get("cursor", goto["cursor"])  # where the analyst last was (a move sets it too)
    reported = state.get("cursor")
    if (state.get("article") == desk.article_id and state.get("goto_seen") == goto["nonce"]
            and isinstance(reported, int) and not isinstance(reported, bool)):
        cursor = reported
    cursor = max(0, min(int(cursor), len(desk.claims) - 1))
    st.session_state.cursor = cursor
    return cursor


def _deck_data(desk: Desk, cursor: int, acks: list[dict], state: dict) -> dict:
    claims = desk.claims
    window = range(max(0, cursor - _BEHIND), min(len(claims), cursor + _AHEAD + 1))
    locked = {}
    for claim in claims:
        view = desk.blind_views.get(claim["id"]) if desk.blind else None
        if view and view.is_revealed:  # revealed blind decisions are settled in the open, not changed
            locked[claim["id"]] = ("All blind decisions on this claim are in: a disagreement is settled in the "
                                   "Disagreements view.")
    decisions = {}
    for claim in claims:
        review = desk.my_decision(claim["id"])
        decisions[claim["id"]] = {"status": review.status, "note": review.note, "version": review.version,
                                  "reviewer": review.reviewer, "reviewed_at": review.reviewed_at,
                                  "spent": spent(review.seconds_spent)}
    can_undo = False
    if desk.reviewer:
        with contextlib.suppress(ReviewStoreError):
            can_undo = desk.store.can_undo(desk.article_id, desk.reviewer)
    return {
        # The deck keeps its own state (unconfirmed decisions, drafts, place) under this id, across remounts.
        "deck": f"{st.session_state.setdefault('deck_session', uuid.uuid4().hex)}:{desk.article_id}",
        "article": desk.article_id, "count": len(claims), "token": state.get("token"), "cursor": cursor,
        "goto": st.session_state.get("deck_goto") or {"nonce": 0, "cursor": cursor},
        "claims": {str(i): _claim_card(claims[i]) for i in window},
        "labels": [f"{i + 1}. {c['text'][:90]}" for i, c in enumerate(claims)],
        "decisions": decisions, "locked": locked, "acks": acks,
        # Under blind review "Unreviewed" is no decision to submit: it would count as one and reveal the others'.
        "statuses": [s for s in desk.statuses if not (desk.blind and s == UNREVIEWED)],
        "status_help": desk.status_help, "keys": key_map(desk.statuses), "help": help_rows(desk.statuses),
        "reviewer": desk.reviewer, "can_undo": can_undo, "blind": desk.blind,
    }


def _claim_card(claim: dict) -> dict:
    """Everything the deck shows of one claim, as HTML built only from escaped text (``ui/render.py``)."""
    # Only clashes the verdict weighed: a passage about something else or another event marks nothing.
    flags = [f for e in claim["evidence"] if e.get("role") not in ("unrelated", "other event") for f in e["flags"]]
    return {
        "id": claim["id"], "text_html": claim_html(claim["text"], flags),
        # An earlier fact-check of the same claim comes first: a professional verdict outranks the model's reading.
        "fact_checks_html": fact_checks_html(claim["fact_checks"]) if claim.get("fact_checks") else "",
        # Why first: the passage and the finding that decided the verdict, before anything to act on.
        "reason_html": reason_html(claim["verdict"], claim["verdict_reason"]),
        "said_by_html": said_by_html(claim),
        "quote_check_html": quote_check_html(claim["quote_check"]) if claim.get("quote_check") else "",
        "suggestion": SUGGESTION.get(claim["verdict"], "Inconclusive"), "confidence": claim["confidence"],
        "evidence_html": "".join(evidence_card_html(e) for e in claim["evidence"]),
    }


def _apply_all(desk: Desk, state: dict) -> list[dict]:
    """Apply the deck's actions not applied before, in order, and answer every action it still sends. Each is
    applied once: the deck keeps sending an action until it has seen the answer."""
    actions = state.get("actions")
    if not isinstance(actions, list):
        return []
    done: dict = st.session_state.setdefault("deck_done", {})
    answers = []
    for action in actions[:500]:
        seq = action.get("seq") if isinstance(action, dict) else None
        if not isinstance(seq, str) or not seq or len(seq) > _SEQ_LIMIT:
            continue
        if seq not in done:
            done[seq] = {"seq": seq, **_apply(desk, action)}
        answers.append(done[seq])
    # Answers are kept for the latest actions, not only those still sent: the deck is drawn afresh after another
    # view, and sends again what it has not seen answered; applied twice, an undo would undo two decisions.
    for seq in list(done)[:-1000]:
        del done[seq]
    return answers


def _apply(desk: Desk, action: dict) -> dict:
    """One action from the browser: checked as untrusted input, then applied. ``{"ok": bool, "message": str}``."""
    if action.get("article") != desk.article_id:
        return _apply_elsewhere(desk, action)
    if action.get("kind") == "undo":
        if action.get("reviewer") != desk.reviewer:
            return _refused("This undo was pressed under another reviewer's name, so nothing was undone.")
        return _undo(desk)
    if action.get("kind") != "decide":
        return _refused("Unknown action.")
    claim_id, status, note = action.get("claim"), action.get("status"), action.get("note", "")
    ids = [c["id"] for c in desk.claims]
    if claim_id not in ids or (status is not None and status not in desk.statuses) or not isinstance(note, str):
        return _refused("This decision names a claim or status this check does not have, so it was not saved.")
    if not desk.reviewer:
        return _refused("No reviewer is named, so the decision was not saved: type your name in the sidebar.")
    if action.get("reviewer") != desk.reviewer:  # the Reviewer field changed while it was on its way
        return _refused(f"This decision was made as {action.get('reviewer') or 'nobody'}, and the reviewer is now "
                        f"{desk.reviewer}, so it was not saved.")
    if desk.blind and (status == UNREVIEWED or (status is None and not desk.my_decision(claim_id).version)):
        return _refused("Under blind review a decision is a status: a note alone or 'Unreviewed' is not one.")
    if len(note) > NOTE_LIMIT:
        return _refused(f"The note is longer than {NOTE_LIMIT:,} characters, so it was not saved.")
    version, seconds = action.get("version"), action.get("seconds")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        return _refused("This decision came without the version it was made on, so it was not saved.")
    seconds = float(seconds) if isinstance(seconds, (int, float)) and math.isfinite(seconds) else 0.0
    return _decide(desk, ids.index(claim_id), claim_id, status, note, version,
                   min(max(seconds, 0.0), _SECONDS_LIMIT))


def _apply_elsewhere(desk: Desk, action: dict) -> dict:
    """An action on another article this analyst had open: a key pressed while the page was still turning to a new
    article lands on the claim the analyst saw. Applied against that article's stored check, or refused."""
    from claimdesk.results import load_result

    article_id = action.get("article")
    try:
        result = load_result(desk.store, article_id) if isinstance(article_id, str) and article_id else None
    except ReviewStoreError as exc:
        return _refused(f"On another article: not confirmed: {exc}")
    if result is None:
        return _refused("This decision was made on an article whose check is not stored, so it was not saved.")
    other = Desk(desk.settings, desk.store, reviewer=desk.reviewer, result=result, checked=result.to_json())
    try:
        _reload(other)
    except ReviewStoreError as exc:
        return _refused(f"On another article: not confirmed: {exc}")
    answer = _apply(other, action)
    title = other.checked["article"]["title"] or article_id
    return {**answer, "message": f"On “{title}”: {answer['message'] or 'saved'}"}


def _refused(message: str) -> dict:
    return {"ok": False, "message": message}


def _decide(desk: Desk, position: int, claim_id: str, status: str | None, note: str, looked_at: int,
            seconds: float) -> dict:
    """A status (``status``) or a note alone (None): record it against the version the analyst was looking at,
    and keep what it replaced for undo. A save over someone else's newer decision becomes a conflict to resolve,
    never a lost write."""
    review = desk.my_decision(claim_id)
    view = desk.blind_views.get(claim_id) if desk.blind else None
    if view and view.is_revealed:
        return _refused(f"Claim {position + 1}: all blind decisions are in, so it is settled in the Disagreements "
                        "view.")
    attempt = Review(desk.article_id, claim_id, status=status or review.status, note=note, reviewer=desk.reviewer,
                     seconds_spent=round(review.seconds_spent + seconds, 1), version=looked_at)
    try:
        if desk.blind:
            desk.store.submit_blind(replace(attempt, version=0), desk.settings.blind_reviewers)
        else:
            written = st.session_state.setdefault("deck_written", {})
            try:
                saved = desk.store.save(attempt)
            except ReviewConflict as conflict:
                current = conflict.current
                if current.reviewer != desk.reviewer:
                    raise
                if (current.status, current.note) == (attempt.status, attempt.note):
                    return {"ok": True, "message": "already saved"}  # sent again after a reload or reconnect
                if written.get(claim_id) != current.version:
                    raise  # another tab, or someone of the same name: theirs is not overwritten unseen
                # This deck's own earlier press on the claim (keys pressed before the first was answered): the
                # newest press stands, as it would have one press at a time.
                review = current
                saved = desk.store.save(replace(attempt, version=current.version,
                                                seconds_spent=round(current.seconds_spent + seconds, 1)))
            written[claim_id] = saved.version
    except ReviewConflict as conflict:
        st.session_state.setdefault("conflicts", {})[claim_id] = (attempt, conflict.current)
        return _refused(f"Claim {position + 1} was not saved: someone else decided it while you were on it. "
                        "Choose above whose decision stands.")
    except StoreUnavailable as exc:
        return _refused(f"Claim {position + 1}, not confirmed: {exc}. This decision may not have been recorded: "
                        "look at the claim's status once the store answers before deciding again.")
    except ReviewStoreError as exc:
        return _refused(f"Claim {position + 1}: {exc}")
    _reload(desk)
    # "u" restores what this claim was before this analyst's last decision; the list is in the store, so a reload
    # or a restarted dashboard keeps it.
    try:
        desk.store.push_undo(desk.reviewer, position, review)
    except ReviewStoreError as exc:
        return {"ok": False, "message": f"Claim {position + 1} is saved, but it cannot be undone from here: {exc}"}
    return {"ok": True, "message": ""}


def _reload(desk: Desk) -> None:
    desk.reviews = desk.store.reviews(desk.article_id)
    if desk.blind:
        desk.blind_views = desk.store.blind_views(desk.article_id, desk.reviewer, desk.settings.blind_reviewers)


def _undo(desk: Desk) -> dict:
    store, article_id, reviewer, settings = desk.store, desk.article_id, desk.reviewer, desk.settings
    if not reviewer:
        return _refused("No reviewer is named, so there is nothing of yours to undo.")
    last = None
    try:
        last = store.pop_undo(article_id, reviewer)
        if last is None:
            return _refused("Nothing to undo.")
        index, before = last
        if desk.blind:
            if before.version == 0:
                store.retract_blind(article_id, before.claim_id, reviewer, settings.blind_reviewers)
            else:
                store.submit_blind(replace(before, reviewed_at=""), settings.blind_reviewers)
        else:
            current = store.get(article_id, before.claim_id)
            if current.reviewer != reviewer:  # someone decided after this analyst: theirs stands
                _move(desk, _position(desk, before.claim_id, index))
                return _refused(f"Cannot undo: {current.reviewer or 'someone'} changed this claim after your "
                                f"decision, at {current.reviewed_at}. Their decision stands; change it on the claim "
                                "if you must.")
            store.save(Review(article_id, before.claim_id, status=before.status, note=before.note,
                              reviewer=reviewer, seconds_spent=current.seconds_spent, version=current.version))
        _reload(desk)
    except (ReviewConflict, ReviewStoreError) as exc:
        if last is not None:  # taken off the list but not undone: put it back for the next try
            with contextlib.suppress(ReviewStoreError):
                store.push_undo(reviewer, index, before)
        return _refused(f"Cannot undo: {exc}")
    _move(desk, _position(desk, before.claim_id, index))
    return {"ok": True, "message": ""}


def _move(desk: Desk, index: int) -> None:
    """Take the analyst to claim ``index`` if ``desk`` is the article on screen (an undo pressed on an article the
    page has since left moves nobody)."""
    if (st.session_state.get("checked") or {}).get("article", {}).get("id") == desk.article_id:
        move_to(index)


def _position(desk: Desk, claim_id: str, fallback: int) -> int:
    """Where the claim is now: a check run again may have found claims before it that were not there."""
    ids = [c["id"] for c in desk.claims]
    return ids.index(claim_id) if claim_id in ids else min(fallback, len(ids) - 1)


def _blind_state(desk: Desk, cursor: int, claim: dict, view) -> None:
    settings = desk.settings
    if not view or not view.is_revealed:
        count = view.submitted if view else 0
        st.info(f"Claim {cursor + 1}, blind review: {count} of {settings.blind_reviewers} decisions are in. Other "
                "reviewers' decisions stay hidden until all of them are.")
    else:
        final = desk.final_of(claim["id"])
        outcome = (f"agreed: **{md(view.agreed)}**" if view.agreed
                   else f"disagree; final status **{md(final.status)}** (settled in the Disagreements view)")
        st.success(f"Claim {cursor + 1}: all {view.submitted} blind decisions are in, and the reviewers {outcome}.")
        st.dataframe(pd.DataFrame([{"reviewer": r.reviewer, "status": r.status, "note": r.note,
                                    "decided": r.reviewed_at, "time spent": spent(r.seconds_spent)}
                                   for r in view.revealed]), hide_index=True, width="stretch")


def _conflict(desk: Desk, mine: Review, theirs: Review) -> None:
    ids = [c["id"] for c in desk.claims]
    claim_id = mine.claim_id
    number = ids.index(claim_id) + 1 if claim_id in ids else "?"
    conflicts = st.session_state.conflicts
    st.error(f"Claim {number}: {md(theirs.reviewer or 'Someone')} changed this claim at {theirs.reviewed_at} while "
             "you were on it.")
    left, right = st.columns(2)
    left.markdown(f"**Theirs** ({md(theirs.reviewer or 'someone')}): **{md(theirs.status)}**")
    left.text(theirs.note or "(no note)")
    right.markdown(f"**Yours**: **{md(mine.status)}**")
    right.text(mine.note or "(no note)")
    if left.button("Keep theirs", key=f"keep_theirs_{claim_id}"):
        conflicts.pop(claim_id, None)
        rerun_workspace()
    if right.button("Use mine", key=f"use_mine_{claim_id}"):
        # A deliberate overwrite, against the version both people have now seen; the audit log keeps both.
        try:
            saved = desk.store.save(replace(mine, version=theirs.version))
            conflicts.pop(claim_id, None)
            st.session_state.setdefault("deck_written", {})[claim_id] = saved.version
            rerun_workspace()
        except ReviewConflict as again:
            conflicts[claim_id] = (mine, again.current)
            rerun_workspace()
        except ReviewStoreError as exc:
            st.error(f"Not confirmed: {exc}")
