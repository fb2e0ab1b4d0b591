"""The Claims tab: every claim in a table, unreviewed first, filterable by the analyst's status, the model's verdict
and speaker; selecting a row opens that claim in Review."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.types import UNREVIEWED
from ui.desk import Desk, move_to, rerun_workspace, spent


def table(desk: Desk) -> pd.DataFrame:
    """One row per claim: what the analyst decided beside what the model suggests, the analyst's column first so it
    stays in view. The charts read it too."""
    return pd.DataFrame([
        {"#": i + 1, "analyst": desk.status_of(c["id"]),
         **({"final": desk.final_of(c["id"]).status} if desk.blind else {}),
         "model verdict": c["verdict"], "claim": c["text"], "speaker": c["speaker"] or "(the article)",
         "outlet": c["outlet"], "quote": c["quote_type"], "check-worthiness": c["checkworthiness"],
         "confidence": c["confidence"], "time spent": spent(desk.my_decision(c["id"]).seconds_spent)}
        for i, c in enumerate(desk.claims)
    ])


def render(desk: Desk, rows: pd.DataFrame) -> None:
    status_col, verdict_col, speaker_col = st.columns(3)
    statuses = [UNREVIEWED] + sorted(set(rows["analyst"]) - {UNREVIEWED})
    status_filter = status_col.multiselect("Analyst status", statuses, key="f_status")
    verdict_filter = verdict_col.multiselect("Model verdict", sorted(rows["model verdict"].unique()), key="f_verdict")
    speaker_filter = speaker_col.multiselect("Speaker", sorted(rows["speaker"].unique()), key="f_speaker")
    shown = rows
    if status_filter:
        shown = shown[shown["analyst"].isin(status_filter)]
    if verdict_filter:
        shown = shown[shown["model verdict"].isin(verdict_filter)]
    if speaker_filter:
        shown = shown[shown["speaker"].isin(speaker_filter)]
    # What is left to do comes first; within each group, article order.
    shown = shown.assign(_done=shown["analyst"] != UNREVIEWED).sort_values(["_done", "#"]).drop(columns="_done")
    picked = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                          key="claims_table",
                          column_config={"claim": st.column_config.TextColumn(width="large")})
    # A selection is a row position, and the rows re-sort and filter as claims are decided: the claim it pointed
    # at is remembered by id, so a decision elsewhere never re-opens whatever claim has moved into that row.
    selected = [i for i in (picked.selection.rows if picked is not None else []) if 0 <= i < len(shown)]
    if not selected:
        st.session_state.pop("opened_from_table", None)
        st.caption("Select a row to open that claim in Review.")
        return
    number = int(shown.iloc[selected[0]]["#"])
    claim_id = desk.claims[number - 1]["id"]
    if st.session_state.get("opened_from_table") != claim_id:
        st.session_state.opened_from_table = claim_id
        move_to(number - 1)
        st.session_state.pending_view = "Review"
        rerun_workspace()
    st.caption(f"Claim {number} was opened in Review.")
