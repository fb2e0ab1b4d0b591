"""Claimdesk dashboard: check an article, review each claim against prior reporting, export the review.

This script only routes: the sidebar (``ui/views/sidebar.py``) picks and checks an article, and each tab is a
view module under ``ui/views/``. Views talk to the pipeline and the review store through ``ui/desk.py``. Every
piece of article or corpus text reaches the page either through Streamlit's own escaping widgets or through
``ui/render.py``, which escapes it.
"""

from __future__ import annotations

import streamlit as st

from review.store import ReviewStoreError
from ui.desk import get_settings, open_desk
from ui.render import md
from ui.views import article, charts, claims_table, disagreements, review, sidebar

st.set_page_config(page_title="Claimdesk", page_icon="🗞", layout="wide")

desk = open_desk()
sidebar.render(desk)

if "checked" not in st.session_state:
    st.title("Claimdesk")
    st.info("Choose an article in the sidebar and press **Check article**.")
    st.stop()



def _corpus_name(index: dict) -> str:
    """The corpus folder's name, or the vector engine's address: what the analyst chose, not the server's paths."""
    from pathlib import Path

    return Path(index["corpus"]).name if index.get("corpus") else str(index.get("location") or "")


desk.checked, desk.result = st.session_state.checked, st.session_state.result
if desk.blind and not desk.reviewer:
    st.warning("Blind double review is on: enter your name in the sidebar to start.")
    st.stop()

claims = desk.claims
st.title(md(desk.checked["article"]["title"]) or "Untitled article")
searched = desk.checked["provenance"]["index"]
meta = [md(desk.checked["article"]["outlet"]) or "unknown outlet",
        desk.checked["article"]["published"] or "undated, so later reporting is not held back",
        f"evidence reranked from the search's top {desk.checked['rerank_depth']}" if desk.checked.get("rerank_depth")
        else "evidence in search order", f"checked {desk.checked['provenance']['checked_at']}",
        f"article id {desk.article_id}", f"searched {md(_corpus_name(searched))}"]
st.caption(" · ".join(meta) + f" · {len(claims)} claims")
sidebar.downloads(desk)


@st.fragment
def workspace(desk) -> None:
    """Everything a decision changes: progress and the tabs. A key press or click in here reruns only this part
    (``ui.desk.rerun_workspace``), not the sidebar and header, so the next claim shows without re-drawing the page;
    the decisions are read again on each of its runs."""
    settings = get_settings()
    if (settings.blind_review, settings.blind_reviewers, settings.statuses) != (
            desk.settings.blind_review, desk.settings.blind_reviewers, desk.settings.statuses):
        st.rerun()  # the review rules changed: draw the whole page under the new ones
    try:
        desk.reviews = desk.store.reviews(desk.article_id)
        if desk.blind:
            desk.blind_views = desk.store.blind_views(desk.article_id, desk.reviewer, desk.settings.blind_reviewers)
    except ReviewStoreError as exc:
        # A restarting PostgreSQL server: say so, and keep the page. Decisions not yet confirmed stay with the deck,
        # which sends them again when it is next drawn.
        st.error(f"The review store cannot be reached, so decisions cannot be shown or saved now: {exc}. Press "
                 "**Try again** or reload once it is back; decisions already confirmed are safe, and those not yet "
                 "confirmed are sent again then.")
        st.button("Try again", key="store_retry")
        return
    if claims:
        review.apply_actions(desk)  # decisions made in the deck since the last run, saved before they are counted
    done = sum(1 for c in claims if desk.status_of(c["id"]) != "Unreviewed")
    st.progress(done / len(claims) if claims else 0.0, text=f"{done} of {len(claims)} reviewed")
    open_disagreements: list = []
    if desk.blind:
        revealed = sum(1 for v in desk.blind_views.values() if v.is_revealed)
        open_disagreements = desk.store.disagreements(desk.article_id, desk.settings.blind_reviewers)
        unsettled = sum(1 for d in open_disagreements if d.settled.status == "Unreviewed")
        st.caption(f"Blind double review ({desk.settings.blind_reviewers} reviewers a claim): {revealed} of "
                   f"{len(claims)} claims fully decided · {unsettled} disagreement{'' if unsettled == 1 else 's'} "
                   "to settle")
    if not claims:
        st.warning("No checkable claims were found in this article.")
        return
    # One view drawn at a time: tabs would draw all of them (charts, the table, the whole article) on every key
    # press, and the browser's share of that is most of a decision's wait.
    views = ["Review", "Article", "Claims", "Charts"] + (["Disagreements"] if desk.blind else [])
    if "pending_view" in st.session_state:  # another view asked for this one (a widget is set before it is drawn)
        st.session_state.view = st.session_state.pop("pending_view")
    view = st.segmented_control("View", views, default="Review", key="view", label_visibility="collapsed") or "Review"
    if view == "Review":
        review.render(desk)
    elif view == "Article":
        article.render(desk, claims[min(st.session_state.get("cursor", 0), len(claims) - 1)]["id"])
    elif view == "Claims":
        claims_table.render(desk, claims_table.table(desk))
    elif view == "Charts":
        charts.render(desk, claims_table.table(desk))
    else:
        disagreements.render(desk, open_disagreements)


workspace(desk)
