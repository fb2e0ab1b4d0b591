"""The Charts tab: the verdict mix, claims per speaker and when the evidence was published.

Colours mean what they mean on the cards (support green, conflict red, needs an analyst amber, neutral grey), and
the timeline's axis is a real time scale, so 2009 and 2015 stand six years apart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ui.desk import Desk
from ui.render import ROLE_LABELS, STANCE_COLOURS, STANCE_WORDS, VERDICT_CHART_COLOURS

# A passage about something else, which the stance model did not read.
NOT_READ = "about something else"


def _scale(colours: dict[str, str]) -> alt.Scale:
    return alt.Scale(domain=list(colours), range=list(colours.values()))


def render(desk: Desk, rows: pd.DataFrame) -> None:
    mix = rows["model verdict"].value_counts().rename_axis("verdict").reset_index(name="claims")
    st.subheader("Verdict mix")
    st.altair_chart(alt.Chart(mix).mark_bar().encode(
        x=alt.X("verdict:N", sort=list(VERDICT_CHART_COLOURS), title=None), y=alt.Y("claims:Q"),
        color=alt.Color("verdict:N", scale=_scale(VERDICT_CHART_COLOURS), legend=None),
        tooltip=["verdict", "claims"]), width="stretch")
    st.subheader("Claims per speaker")
    st.bar_chart(rows["speaker"].value_counts().rename_axis("speaker").reset_index(name="claims"),
                 x="speaker", y="claims", color="#607d8b")
    chart = timeline_chart(desk.claims, desk.checked["article"]["published"])
    if chart is not None:
        st.subheader("Evidence timeline")
        if desk.checked["article"]["published"]:
            st.caption(f"Article published {desk.checked['article']['published']} (the dashed line)")
        st.altair_chart(chart, width="stretch")


def timeline_chart(claims: list[dict], article_date: str | None) -> alt.LayerChart | alt.Chart | None:
    """Dated evidence passages on a time axis, coloured by the model's reading; None when no passage is dated."""
    dated = [{"published": e["date"], "model reading": STANCE_WORDS.get(e["stance"], e["stance"])
              if e.get("weighed", True) is not False else NOT_READ}
             for c in claims for e in c["evidence"] if e["date"]]
    if not dated:
        return None
    timeline = pd.DataFrame(dated).groupby(["published", "model reading"]).size().reset_index(name="passages")
    timeline["published"] = pd.to_datetime(timeline["published"])
    colours = {STANCE_WORDS[k]: v for k, v in STANCE_COLOURS.items()} | {NOT_READ: ROLE_LABELS["unrelated"][1]}
    chart = alt.Chart(timeline).mark_circle(size=90).encode(
        x=alt.X("published:T", title="published"), y=alt.Y("passages:Q"),
        color=alt.Color("model reading:N", scale=_scale(colours)),
        tooltip=[alt.Tooltip("published:T", format="%Y-%m-%d"), "model reading", "passages"])
    if article_date:
        rule = alt.Chart(pd.DataFrame({"published": [pd.Timestamp(article_date)]})).mark_rule(
            color="#1565c0", strokeDash=[4, 3]).encode(x="published:T")
        chart = chart + rule
    return chart
