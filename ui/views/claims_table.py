"""The Claims tab: every claim in a table, filterable by the model's verdict and by speaker."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.desk import Desk, spent


def table(desk: Desk) -> pd.DataFrame:
    """One row per claim: what the model suggests beside what the analyst decided. The charts read it too."""
    return pd.DataFrame([
        {"#": i + 1, "claim": c["text"], "speaker": c["speaker"] or "(the article)", "outlet": c["outlet"],
         "quote": c["quote_type"], "check-worthiness": c["checkworthiness"], "model verdict": c["verdict"],
         "confidence": c["confidence"], "analyst": desk.status_of(c["id"]),
         **({"final": desk.final_of(c["id"]).status} if desk.blind else {}),
         "time spent": spent(desk.my_decision(c["id"]).seconds_spent)}
        for i, c in enumerate(desk.claims)
    ])


def render(desk: Desk, rows: pd.DataFrame) -> None:
    left, right = st.columns(2)
    verdict_filter = left.multiselect("Model verdict", sorted(rows["model verdict"].unique()), key="f_verdict")
    speaker_filter = right.multiselect("Speaker", sorted(rows["speaker"].unique()), key="f_speaker")
    shown = rows
    if verdict_filter:
        shown = shown[shown["model verdict"].isin(verdict_filter)]
    if speaker_filter:
        shown = shown[shown["speaker"].isin(speaker_filter)]
    st.dataframe(shown, hide_index=True, width="stretch")
