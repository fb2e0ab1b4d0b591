"""The sidebar: who is reviewing, which article, and the check itself; the downloads go at its foot."""

from __future__ import annotations

import json
from datetime import date

import streamlit as st
from streamlit.errors import StreamlitAuthError

from claimdesk.pipeline import ArticleError, article_from_text, decode_article_bytes, read_article
from claimdesk.settings import DEMO_ARTICLE
from review.export import review_filename, review_rows, to_csv, to_json
from ui.desk import Desk, corpus_choices, open_stored, run_check

REVIEWER_COOKIE = "claimdesk_reviewer"


def signed_in_reviewer(desk: Desk) -> str:
    """Who is deciding. A team deployment takes it from its sign-in (OIDC through st.login, or a trusted
    proxy header) and never from a field anyone can type into; a laptop demo asks for a name."""
    settings = desk.settings
    if settings.auth == "oidc":
        if not st.user.get("is_logged_in", False):  # absent, not False, where no sign-in ever ran
            st.info("Sign in to review claims.")
            if st.button("Sign in", type="primary", key="sign_in"):
                try:
                    st.login(settings.auth_provider or None)
                except StreamlitAuthError as exc:
                    st.error("Sign-in is not configured: " + " ".join(str(exc).split()))
            st.stop()
        identity = next((str(st.user[k]) for k in ("email", "preferred_username", "name", "sub")
                         if st.user.get(k)), "")
        if not identity:
            st.error("The sign-in provider returned no email, name or subject for you; ask an administrator.")
            st.stop()
        st.caption(f"Signed in as **{identity}**")
        st.button("Sign out", on_click=st.logout, key="sign_out")
        return identity
    if settings.reviewer_header:
        identity = (st.context.headers.get(settings.reviewer_header) or "").strip()
        if not identity:
            st.error(f"No reviewer identity: this deployment takes it from the {settings.reviewer_header} header "
                     "set by the sign-in proxy. Open Claimdesk through the proxy.")
            st.stop()
        st.caption(f"Signed in as **{identity}**")
        return identity
    remembered = st.context.cookies.get(REVIEWER_COOKIE, "")
    remembered = remembered.strip() if isinstance(remembered, str) else ""  # no request (a bare script run)
    name = st.text_input("Reviewer", value=remembered or settings.reviewer, key="reviewer",
                         help="Recorded with every decision in the audit log; this browser remembers it").strip()
    if name and name != remembered:
        # A cookie on the dashboard's own address, set by the page: the next visit from this browser starts with it.
        st.iframe(f"<script>window.parent.document.cookie = {json.dumps(REVIEWER_COOKIE + '=')} + "
                  f"encodeURIComponent({json.dumps(name)}) + '; path=/; max-age=31536000; SameSite=Strict';"
                  "</script>", height=1)
    return name


def render(desk: Desk) -> None:
    """Reviewer, article choice and the check; starts a check or opens a stored result when asked."""
    settings = desk.settings
    with st.sidebar:
        st.header("Claimdesk")
        desk.reviewer = signed_in_reviewer(desk)
        source = st.radio("Article", ["Demo article", "Paste text", "Upload file", "Recent"], key="source")
        article, stored_id = None, None
        try:
            if source == "Demo article":
                article = read_article(DEMO_ARTICLE)
            elif source == "Paste text":
                pasted = st.text_area("Article text", height=220, key="pasted")
                if pasted.strip():
                    article = article_from_text(pasted, origin="pasted")
            elif source == "Upload file":
                upload = st.file_uploader("Article (.txt, .md, .html)", type=["txt", "md", "html", "htm"])
                if upload is not None:
                    text = decode_article_bytes(upload.getvalue(), upload.name)
                    article = article_from_text(text, origin=upload.name,
                                                html=upload.name.lower().endswith((".html", ".htm")))
            else:
                stored_id = _pick_recent(desk)
        except ArticleError as exc:
            st.error(str(exc))
        if article is not None and source in {"Paste text", "Upload file"}:
            article = _dated(article, settings.include_later)
        corpus = _pick_corpus(settings)
        # Off unless Settings turn it on: it finds the deciding passage more often but costs seconds per article,
        # and on one dev set it lowered the verdict's macro-F1 (bench/RESULTS.md), so the analyst chooses.
        rerank = st.toggle("Rerank evidence (slower)", value=settings.rerank_depth > 0, key="rerank",
                           help="Reads each claim together with its top search results and puts the passage most "
                                "likely to decide it first. On held-out dev claims the deciding passage was in the "
                                "top 5 for 79% / 72% of claims (Climate-FEVER / Check-COVID) against 77% / 63% in "
                                "search order. It adds about 4 seconds to a 20-claim article on a 2-core laptop.")
        if stored_id is not None:
            opened = st.button("Open", type="primary", key="open_stored")
            again = st.button("Check again", key="recheck",
                              help="Check this article again with today's models and corpus. Your decisions stay "
                                   "with the claims that are found again.")
            if opened and not open_stored(desk, stored_id):
                st.warning("This article was stored without its check result: use **Check again**.")
            if again:
                from claimdesk.results import stored_article

                run_check(desk, stored_article(desk.store, stored_id), rerank, corpus)
        else:
            check_clicked = st.button("Check article", type="primary", disabled=article is None, key="check")
            if article is not None and (check_clicked or ("checked" not in st.session_state
                                                          and source == "Demo article")):
                run_check(desk, article, rerank, corpus)
        if settings.include_later:
            st.caption("Evidence dated after the article is shown and flagged")
        elif (checked := st.session_state.get("checked")) and not checked["article"]["published"]:
            st.caption("This article has no date, so evidence published after it is not held back")
        else:
            st.caption("Evidence dated after the article is hidden")


def _pick_corpus(settings) -> str:
    """The corpus the next check searches: the configured one, or another that has been indexed here."""
    if settings.vector_url:
        st.caption(f"Searching the vector engine at {settings.vector_url}")
        return ""
    choices = corpus_choices(settings)
    if len(choices) == 1:
        st.caption(f"Searching the corpus in {next(iter(choices.values()))}")
        return next(iter(choices.values()))
    label = st.selectbox("Corpus to search", list(choices), key="corpus",
                         help="Prior reporting indexed on this machine (`claimdesk index FOLDER` adds one).")
    return choices[label]


def _dated(article, include_later: bool):
    """The article with a publication date, or None while the analyst has given neither a date nor leave to check
    without one. Without its date the temporal guard cannot hold later reporting back, so the page never claims
    the guard for an undated article."""
    from dataclasses import replace

    if article.published is not None:
        st.caption(f"Published {article.published.isoformat()} (found in the article)")
        return article
    if include_later:
        return article
    st.warning("No publication date found in this article. Give it, so that reporting published after the "
               "article cannot decide its claims.")
    given = st.date_input("Published", value=None, key="article_date", min_value=date(1900, 1, 1))
    if given is not None:
        return replace(article, published=given)
    if st.checkbox("Check without a date (later reporting may decide claims)", key="undated_ok"):
        return article
    return None


def _pick_recent(desk: Desk) -> str | None:
    recent = desk.store.articles()
    if not recent:
        st.caption("Nothing checked yet.")
        return None
    labels = {f"{a['title'] or a['id']} ({a['added_at'][:10]})": a for a in recent}
    return labels[st.selectbox("Previously checked", list(labels), key="recent")]["id"]


def downloads(desk: Desk) -> None:
    """The review as CSV and JSON, from the stored result the analyst reviewed."""
    result = desk.result
    approved_only = st.sidebar.toggle("Export decided claims only", key="approved_only")
    every_passage = st.sidebar.toggle("One row per evidence passage", key="every_passage",
                                      help="Off: one row per claim with its top passage. On: every passage found "
                                           "for each claim, ranked, with its outlet, date, title and link.")
    export_rows = review_rows(result.article, list(result.claims), desk.store.reviews(desk.article_id),
                              approved_only=approved_only, evidence="all" if every_passage else "top")
    # on_click="ignore": a download must not rerun the app, which would replace the file behind the link.
    st.sidebar.download_button("Download review CSV", to_csv(export_rows),
                               file_name=review_filename(desk.checked["article"], ".csv"),
                               mime="text/csv", key="download_csv", on_click="ignore")
    st.sidebar.download_button("Download review JSON",
                               to_json(export_rows, desk.checked["article"], desk.checked["provenance"]),
                               file_name=review_filename(desk.checked["article"], ".json"),
                               mime="application/json", key="download_json", on_click="ignore")
