"""The Article tab: the article's text with each claim in its verdict's colour."""

from __future__ import annotations

import streamlit as st

from ui.desk import Desk
from ui.render import article_html


def render(desk: Desk, selected_claim_id: str | None) -> None:
    st.markdown(article_html(desk.result.article.text, desk.claims, selected_claim_id), unsafe_allow_html=True)
