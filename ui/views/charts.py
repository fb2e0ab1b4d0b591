"""The Charts tab: the verdict mix, claims per speaker and when the evidence was published."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.desk import Desk


def render(desk: Desk, rows: pd.DataFrame) -> None:
    mix = rows["model verdict"].value_counts().rename_axis("verdict").reset_index(name="claims")
    st.subheader("Verdict mix")
    st.bar_chart(mix, x="verdict", y="claims")
    st.subheader("Claims per speaker")
    st.bar_chart(rows["speaker"].value_counts().rename_axis("speaker").reset_index(name="claims"),
                 x="speaker", y="claims")
    dated = [{"evidence date": e["date"], "stance": e["stance"]} for c in desk.claims for e in c["evidence"]
             if e["date"]]
    if dated:
        st.subheader("Evidence timeline")
        timeline = pd.DataFrame(dated).groupby(["evidence date", "stance"]).size().reset_index(name="passages")
        st.scatter_chart(timeline, x="evidence date", y="passages", color="stance")
        if desk.checked["article"]["published"]:
            st.caption(f"Article published {desk.checked['article']['published']}")
