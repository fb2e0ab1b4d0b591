"""The Disagreements tab (blind double review): claims whose blind decisions differ, settled here in the open."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from review.store import ReviewStoreError
from review.types import Review, ReviewConflict
from ui.desk import Desk, rerun_workspace, spent
from ui.render import md


def render(desk: Desk, disagreements: list) -> None:
    if not disagreements:
        st.caption("No disagreements: claims appear here once all blind decisions are in and differ.")
    texts = {c["id"]: (i, c["text"]) for i, c in enumerate(desk.claims)}
    for item in disagreements:
        number, text = texts.get(item.claim_id, (-1, item.claim_id))
        with st.container(border=True):
            st.markdown(f"**Claim {number + 1}** · final status **{md(item.settled.status)}**"
                        + (f" (settled by {md(item.settled.reviewer)})" if item.settled.version else ""))
            st.text(text)
            st.dataframe(pd.DataFrame([{"reviewer": r.reviewer, "status": r.status, "note": r.note,
                                        "time spent": spent(r.seconds_spent)} for r in item.decisions]),
                         hide_index=True, width="stretch")
            pick, why, go = st.columns([2, 4, 1])
            final_status = pick.selectbox("Final status", desk.statuses[1:], key=f"settle_status_{item.claim_id}")
            reason = why.text_input("Why", key=f"settle_note_{item.claim_id}")
            if go.button("Settle", key=f"settle_{item.claim_id}"):
                try:
                    desk.store.save(Review(desk.article_id, item.claim_id, status=final_status, note=reason,
                                           reviewer=desk.reviewer, seconds_spent=item.settled.seconds_spent,
                                           version=item.settled.version))
                    rerun_workspace()
                except (ReviewConflict, ReviewStoreError) as problem:
                    st.error(f"Not settled: {problem}")
