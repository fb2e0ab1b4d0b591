"""The Review tab: one claim at a time, its suggestion, the decision bar, the evidence and the audit trail."""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace

import pandas as pd
import streamlit as st

from review.store import BLIND_NOTE, BLIND_STATUS, ReviewStoreError, StoreUnavailable
from review.types import SUGGESTION, UNREVIEWED, Review, ReviewConflict
from ui.desk import Desk, move_to, rerun_workspace, spent
from ui.keys import help_rows, listener_html
from ui.render import claim_html, evidence_card_html, fact_checks_html, md, quote_check_html, reason_html


def cursor_claim(desk: Desk) -> int:
    """The claim picker, with the claim a previous action asked for selected."""
    claims = desk.claims
    labels = [f"{i + 1}. {c['text'][:90]}" for i, c in enumerate(claims)]
    if "pending_cursor" in st.session_state:
        st.session_state.claim_pick = st.session_state.pop("pending_cursor")
    elif "claim_pick" not in st.session_state:
        # The picker's own state goes while another view is shown; the claim the analyst was on is kept apart.
        st.session_state.claim_pick = st.session_state.get("cursor", 0)
    if st.session_state.get("claim_pick", 0) >= len(claims):
        st.session_state.claim_pick = 0
    cursor = st.selectbox("Claim", range(len(claims)), format_func=lambda i: labels[i], key="claim_pick",
                          on_change=lambda: st.session_state.update(opened_at=time.time()))
    st.session_state.cursor = cursor
    # The page's address names the article and claim, so a reload, a restarted dashboard or a shared link opens
    # the same claim (``ui.desk.resume_from_address``).
    here = {"article": desk.article_id, "claim": claims[cursor]["id"]}
    if {k: st.query_params.get(k) for k in here} != here:
        st.query_params.update(here)
    return cursor


def render(desk: Desk, cursor: int) -> None:
    claims, store = desk.claims, desk.store
    article_id, reviewer = desk.article_id, desk.reviewer
    claim = claims[cursor]
    review = desk.my_decision(claim["id"])
    view = desk.blind_views.get(claim["id"]) if desk.blind else None
    locked = bool(view and view.is_revealed)  # revealed blind decisions are settled in the open, not changed

    who = claim["speaker"] or "the article itself"
    via = f" (via {claim['outlet']})" if claim["outlet"] and claim["outlet"] != claim["speaker"] else ""
    # The claim's number and the moves share one row, so the claim, its decision bar and the first evidence fit
    # one screen.
    _navigation(desk, cursor, st.columns([3, 1, 1, 1, 1], vertical_alignment="center"))
    # Only clashes the verdict weighed: a passage about something else or another event marks nothing.
    all_flags = [f for e in claim["evidence"] if e.get("role") not in ("unrelated", "other event")
                 for f in e["flags"]]
    st.markdown(f'<div style="font-size:1.15em">{claim_html(claim["text"], all_flags)}</div>', unsafe_allow_html=True)
    # An earlier fact-check of the same claim comes first: a professional verdict outranks the model's reading.
    if claim.get("fact_checks"):
        st.markdown(fact_checks_html(claim["fact_checks"]), unsafe_allow_html=True)
    # Why first: the passage and the finding that decided the verdict, before anything the analyst must act on.
    st.markdown(reason_html(claim["verdict"], claim["verdict_reason"]), unsafe_allow_html=True)
    quote = "not attributed" if claim["quote_type"] == "none" else f"{claim['quote_type']} quote"
    st.caption(f"Said by {md(who)}{md(via)} · cue: {md(claim['cue'] or '—')} · {quote} · "
               f"check-worthiness {claim['checkworthiness']:.2f}"
               + (f" ({md(', '.join(claim['checkworthy_reasons']))})" if claim.get("checkworthy_reasons") else ""))
    if claim.get("quote_check"):
        st.markdown(quote_check_html(claim["quote_check"]), unsafe_allow_html=True)
    suggestion = SUGGESTION.get(claim["verdict"], "Inconclusive")
    st.caption(f"Suggested status: {suggestion} (confidence {claim['confidence']:.2f}) · time on this claim: "
               f"{spent(review.seconds_spent)} recorded"
               + (f" (by {md(review.reviewer)}, {review.reviewed_at})" if review.reviewed_at else ""))

    st.iframe(listener_html(desk.statuses), height=1)  # invisible; installs the key listener in the page
    if not reviewer:
        # Every decision is recorded with who made it: none is saved under a blank or made-up name.
        st.warning("Type your name under **Reviewer** in the sidebar to record decisions.")
        locked = True
    # Every rerun re-reads the store, so the version a decision is checked against is the one the analyst was
    # looking at (kept from the previous run), not the one just read.
    seen = st.session_state.setdefault("seen_versions", {})
    looked_at = seen.get(claim["id"], review.version)
    # The note box is keyed by that version too: the browser keeps what was typed in a box under its key, so after
    # an undo a new box shows the restored note, while a save by someone else meanwhile leaves the analyst's text.
    note_key = f"note_{claim['id']}_{looked_at}"
    # Decisions are button callbacks: they run before the rerun that draws the next claim, so a key press costs one
    # run of the workspace, not a run that saves and a second that draws.
    decision = (desk, cursor, claim["id"], review, note_key, looked_at)
    status_cols = st.columns(len(desk.statuses))
    for column, name in zip(status_cols, desk.statuses):
        marker = "✓ " if review.status == name else ""
        # The model's suggestion is pre-selected (highlighted) until the analyst decides; only a click counts.
        suggested = review.status == UNREVIEWED and name == suggestion
        column.button(f"{marker}{name}", key=f"set_{name}", width="stretch", help=desk.status_help[name] or None,
                      disabled=locked, type="primary" if suggested else "secondary",
                      on_click=_decide, args=(*decision, name))
    note_box, save_box = st.columns([6, 1], vertical_alignment="bottom")
    note_box.text_area("Note", value=review.note, key=note_key, height=68, disabled=locked)
    save_box.button("Save note", key="save_note", disabled=locked or (desk.blind and review.version == 0),
                    help="Under blind review a note goes with your decision" if desk.blind else None,
                    on_click=_decide, args=(*decision, None), width="stretch")
    if error := st.session_state.pop("review_error", None):
        st.error(error)
    if desk.blind:
        _blind_state(desk, claim, view)

    pending = st.session_state.get("conflict")
    if pending and pending[0].claim_id == claim["id"]:
        _conflict(store, claim, pending, seen)
    else:
        seen[claim["id"]] = review.version

    st.subheader("Evidence from prior reporting")
    if not claim["evidence"]:
        st.info("Nothing in the corpus matched this claim.")
    for evidence in claim["evidence"]:
        st.markdown(evidence_card_html(evidence), unsafe_allow_html=True)

    with st.expander("Audit trail"):
        events = [e for e in store.audit(article_id, claim["id"])
                  if not (desk.blind and e.field in (BLIND_STATUS, BLIND_NOTE) and e.who != reviewer and not locked)]
        if events:
            # A static table: an interactive grid here cost the browser a noticeable share of every key press.
            st.table(pd.DataFrame([{"when": e.at, "who": e.who, "field": e.field, "from": e.old, "to": e.new}
                                   for e in events]).set_index("when"))
        else:
            st.caption("No decisions yet.")


def _blind_state(desk: Desk, claim: dict, view) -> None:
    settings = desk.settings
    if not view or not view.is_revealed:
        count = view.submitted if view else 0
        st.info(f"Blind review: {count} of {settings.blind_reviewers} decisions are in. Other reviewers' "
                "decisions stay hidden until all of them are.")
    else:
        final = desk.final_of(claim["id"])
        outcome = (f"agreed: **{md(view.agreed)}**" if view.agreed
                   else f"disagree; final status **{md(final.status)}** (settled in the Disagreements view)")
        st.success(f"All {view.submitted} blind decisions are in, and the reviewers {outcome}.")
        st.dataframe(pd.DataFrame([{"reviewer": r.reviewer, "status": r.status, "note": r.note,
                                    "decided": r.reviewed_at, "time spent": spent(r.seconds_spent)}
                                   for r in view.revealed]), hide_index=True, width="stretch")


def _decide(desk: Desk, cursor: int, claim_id: str, review: Review, note_key: str, looked_at: int,
            status: str | None) -> None:
    """A status button (``status``) or Save note (None): record the decision, keep it for undo, and move on after
    a status. A save over someone else's newer decision becomes a conflict to resolve, never a lost write."""
    note = st.session_state.get(note_key, review.note)
    if status is None and note == review.note:
        return
    seconds = round(review.seconds_spent + time.time() - st.session_state.get("opened_at", time.time()), 1)
    attempt = Review(desk.article_id, claim_id, status=status or review.status, note=note, reviewer=desk.reviewer,
                     seconds_spent=seconds, version=looked_at)
    try:
        if desk.blind:
            desk.store.submit_blind(replace(attempt, version=0), desk.settings.blind_reviewers)
        else:
            desk.store.save(attempt)
    except ReviewConflict as conflict:
        st.session_state.conflict = (attempt, conflict.current)
        return
    except StoreUnavailable as exc:
        st.session_state.review_error = (f"Not confirmed: {exc}. This decision may not have been recorded: look "
                                         "at the claim's status once the store answers before deciding again.")
        return
    except ReviewStoreError as exc:
        st.session_state.review_error = str(exc)
        return
    # "u" restores what this claim was before this analyst's last decision; the list is in the store, so a reload
    # or a restarted dashboard keeps it.
    try:
        desk.store.push_undo(desk.reviewer, cursor, review)
    except ReviewStoreError as exc:
        st.session_state.review_error = f"Saved, but it cannot be undone from here: {exc}"
    st.session_state.setdefault("seen_versions", {}).pop(claim_id, None)
    move_to(cursor + 1 if status and cursor + 1 < len(desk.claims) else cursor)


def _conflict(store, claim: dict, pending: tuple, seen: dict) -> None:
    mine, theirs = pending
    st.error(f"{md(theirs.reviewer or 'Someone')} changed this claim at {theirs.reviewed_at} while you were on it.")
    left, right = st.columns(2)
    left.markdown(f"**Theirs** ({md(theirs.reviewer or 'someone')}): **{md(theirs.status)}**")
    left.text(theirs.note or "(no note)")
    right.markdown(f"**Yours**: **{md(mine.status)}**")
    right.text(mine.note or "(no note)")
    if left.button("Keep theirs", key="keep_theirs"):
        del st.session_state.conflict
        seen[claim["id"]] = theirs.version
        rerun_workspace()
    if right.button("Use mine", key="use_mine"):
        # A deliberate overwrite, against the version both people have now seen; the audit log keeps both.
        try:
            store.save(replace(mine, version=theirs.version))
            del st.session_state.conflict
            seen.pop(claim["id"], None)
            rerun_workspace()
        except ReviewConflict as again:
            st.session_state.conflict = (mine, again.current)
            rerun_workspace()
        except ReviewStoreError as exc:
            st.error(f"Not confirmed: {exc}")


def _navigation(desk: Desk, cursor: int, row) -> None:
    header, nav_prev, nav_next, nav_undo, nav_help = row
    header.markdown(f"**Claim {cursor + 1} of {len(desk.claims)}**")
    nav_undo.button("Undo", disabled=not desk.reviewer or not desk.store.can_undo(desk.article_id, desk.reviewer),
                    key="undo_button",
                    help="Undo your last decision (u)", on_click=_undo, args=(desk,))
    with nav_help.popover("⌨ Keys"):
        st.table(pd.DataFrame(help_rows(desk.statuses), columns=["key", "does"]))
    nav_prev.button("← Previous", disabled=cursor == 0, key="prev", on_click=move_to, args=(cursor - 1,))
    nav_next.button("Next →", disabled=cursor + 1 >= len(desk.claims), key="next", on_click=move_to,
                    args=(cursor + 1,))


def _undo(desk: Desk) -> None:
    store, article_id, reviewer, settings = desk.store, desk.article_id, desk.reviewer, desk.settings
    last = None
    try:
        last = store.pop_undo(article_id, reviewer)
        if last is None:
            return
        index, before = last
        if desk.blind:
            if before.version == 0:
                store.retract_blind(article_id, before.claim_id, reviewer, settings.blind_reviewers)
            else:
                store.submit_blind(replace(before, reviewed_at=""), settings.blind_reviewers)
        else:
            current = store.get(article_id, before.claim_id)
            if current.reviewer != reviewer:  # someone decided after this analyst: theirs stands
                st.session_state.review_error = (
                    f"Cannot undo: {current.reviewer or 'someone'} changed this claim after your decision, at "
                    f"{current.reviewed_at}. Their decision stands; change it on the claim if you must.")
                move_to(_position(desk, before.claim_id, index))
                return
            store.save(Review(article_id, before.claim_id, status=before.status, note=before.note,
                              reviewer=reviewer, seconds_spent=current.seconds_spent, version=current.version))
    except (ReviewConflict, ReviewStoreError) as exc:
        st.session_state.review_error = f"Cannot undo: {exc}"
        if last is not None:  # taken off the list but not undone: put it back for the next try
            with contextlib.suppress(ReviewStoreError):
                store.push_undo(reviewer, index, before)
        return
    move_to(_position(desk, before.claim_id, index))


def _position(desk: Desk, claim_id: str, fallback: int) -> int:
    """Where the claim is now: a check run again may have found claims before it that were not there."""
    ids = [c["id"] for c in desk.claims]
    return ids.index(claim_id) if claim_id in ids else min(fallback, len(ids) - 1)
