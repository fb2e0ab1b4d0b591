"""The sidebar: who is reviewing, which article, and the check itself; the downloads go at its foot."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import unquote

import streamlit as st
from streamlit.errors import StreamlitAuthError

from claimdesk.pipeline import ArticleError, article_from_text, decode_article_bytes, read_article
from claimdesk.settings import DEMO_ARTICLE
from review.export import review_filename, review_rows, to_csv, to_json
from ui.desk import Desk, corpus_choices, open_stored, resume_from_address, run_check
from ui.render import md
from ui.views import review as review_view

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
        st.caption(f"Signed in as **{md(identity)}**")
        st.button("Sign out", on_click=st.logout, key="sign_out")
        return identity
    if settings.reviewer_header:
        identity = (st.context.headers.get(settings.reviewer_header) or "").strip()
        if not identity:
            st.error(f"No reviewer identity: this deployment takes it from the {settings.reviewer_header} header "
                     "set by the sign-in proxy. Open Claimdesk through the proxy.")
            st.stop()
        st.caption(f"Signed in as **{md(identity)}**")
        return identity
    remembered = st.context.cookies.get(REVIEWER_COOKIE, "")
    # The browser stores the name percent-encoded; no request at all (a bare script run) gives no name.
    remembered = unquote(remembered).strip() if isinstance(remembered, str) else ""
    name = st.text_input("Reviewer", value=remembered or settings.reviewer, key="reviewer",
                         help="Recorded with every decision in the audit log; this browser remembers it").strip()
    if name and name != remembered:
        # A cookie on the dashboard's own address, set by the page: the next visit from this browser starts with it.
        # The name goes into a script as a JSON string with "<" escaped, so no typed "</script>" can end it.
        literal = json.dumps(name).replace("<", "\\u003c")
        st.iframe(f"<script>window.parent.document.cookie = {json.dumps(REVIEWER_COOKIE + '=')} + "
                  f"encodeURIComponent({literal}) + '; path=/; max-age=31536000; SameSite=Strict';"
                  "</script>", height=1)
    return name


def render(desk: Desk) -> None:
    """Reviewer, article choice and the check; starts a check or opens a stored result when asked."""
    settings = desk.settings
    with st.sidebar:
        st.header("Claimdesk")
        desk.reviewer = signed_in_reviewer(desk)
        review_view.apply_before_the_sidebar(desk)
        if "checked" not in st.session_state:
            resume_from_address(desk)
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
            from claimdesk.results import stored_article

            opened = st.button("Open", type="primary", key="open_stored")
            stored = stored_article(desk.store, stored_id)
            # A stored article checked again meets the same date rule as a new one.
            again_article = _dated(stored, settings.include_later) if stored is not None else None
            again = st.button("Check again", key="recheck", disabled=again_article is None,
                              help="Check this article again with today's models, against the corpus chosen above. "
                                   "Your decisions stay with the claims that are found again.")
            if opened and not open_stored(desk, stored_id):
                st.warning("This article was stored without its check result: use **Check again**.")
            if again and again_article is not None:
                run_check(desk, again_article, rerank, corpus)
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
        st.caption(f"Searching the vector engine at {md(settings.vector_url)}")
        return ""
    choices = corpus_choices(settings)
    if len(choices) == 1:
        st.caption(f"Searching the corpus {md(next(iter(choices.values())))}")
        return next(iter(choices))
    return st.selectbox("Corpus to search", list(choices), format_func=choices.__getitem__, key="corpus",
                        help="Prior reporting indexed on this machine (`claimdesk index FOLDER` adds one).")


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
    # Keyed by the article, so a date given for one article never dates the next one.
    given = st.date_input("Published", value=None, key=f"article_date_{article.id}", min_value=date(1900, 1, 1))
    if given is not None:
        return replace(article, published=given)
    if st.checkbox("Check without a date (later reporting may decide claims)", key=f"undated_ok_{article.id}"):
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
    """The review as CSV and JSON, from the stored result the analyst reviewed. The files are made when a button is
    pressed, from the decisions stored at that moment: decisions made since the page was last drawn are in them."""
    result, store, article_id = desk.result, desk.store, desk.article_id
    article, provenance = desk.checked["article"], desk.checked["provenance"]
    approved_only = st.sidebar.toggle("Export decided claims only", key="approved_only")
    every_passage = st.sidebar.toggle("One row per evidence passage", key="every_passage",
                                      help="Off: one row per claim with its top passage. On: every passage found "
                                           "for each claim, ranked, with its outlet, date, title and link.")

    def rows() -> list[dict]:
        # Runs at the click, outside the script run: it reads the store, never the session.
        return review_rows(result.article, list(result.claims), store.reviews(article_id),
                           approved_only=approved_only, evidence="all" if every_passage else "top")

    # on_click="ignore": a download must not rerun the app.
    st.sidebar.download_button("Download review CSV", lambda: to_csv(rows()),
                               file_name=review_filename(article, ".csv"),
                               mime="text/csv", key="download_csv", on_click="ignore")
    st.sidebar.download_button("Download review JSON", lambda: to_json(rows(), article, provenance),
                               file_name=review_filename(article, ".json"),
                               mime="application/json", key="download_json", on_click="ignore")
