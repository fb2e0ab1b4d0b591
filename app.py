"""Claimdesk dashboard: check an article, review each claim against prior reporting, export the review.

Thin over ``claimdesk.pipeline`` (checking) and ``review`` (decisions). Every piece of article or
corpus text reaches the page either through Streamlit's own escaping widgets or through ui.render,
which escapes it.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAuthError

from claimdesk.pipeline import Pipeline, user_errors
from claimdesk.settings import DEMO_ARTICLE, Settings, SettingsError
from claims.ingest import ArticleError, article_from_text, decode_article_bytes, read_article
from retrieval.rerank import fitted_depth
from review.export import review_rows, to_csv, to_json
from review.store import BLIND_NOTE, BLIND_STATUS, ReviewStoreError, open_store
from review.types import SUGGESTION, UNREVIEWED, Review, ReviewConflict
from ui.keys import help_rows, listener_html
from ui.render import article_html, claim_html, evidence_card_html

st.set_page_config(page_title="Claimdesk", page_icon="🗞", layout="wide")


def get_settings() -> Settings:
    """Read on every run (it is cheap), so review options such as blind review follow the configuration."""
    try:
        return Settings.load()
    except SettingsError as exc:
        st.error(f"Claimdesk settings: {exc}")
        st.stop()


@st.cache_resource(show_spinner="Loading models (once per server)…")
def get_pipeline() -> Pipeline:
    # Models and the index load once per server process, from the settings it started with.
    return Pipeline(get_settings())


@st.cache_resource(show_spinner=False)
def get_store(url: str):
    return open_store(url)


def run_check(article, rerank: bool) -> None:
    bar = st.progress(0.0, text="Starting check…")

    def progress(message: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    depth = (settings.rerank_depth or fitted_depth(settings.reranker_dir)) if rerank else 0
    try:
        result = get_pipeline().check(article, progress=progress, rerank_depth=depth)
    except user_errors() as exc:
        bar.empty()
        st.error(f"Cannot check this article: {exc}")
        st.stop()
    bar.empty()
    store.save_article(article.id, article.text, article.title, article.outlet,
                       article.published.isoformat() if article.published else "", article.origin)
    st.session_state.result = result
    st.session_state.checked = result.to_json()
    move_to(0)


def move_to(index: int) -> None:
    """Select claim ``index`` on the next run (a widget's own state can only be set before it is drawn)."""
    st.session_state.pending_cursor = index
    st.session_state.opened_at = time.time()


settings = get_settings()
store = get_store(settings.resolved_review_url)
STATUS_NAMES = [s.name for s in settings.statuses]
STATUS_HELP = {s.name: s.description for s in settings.statuses}

def signed_in_reviewer() -> str:
    """Who is deciding. A team deployment takes it from its sign-in (OIDC through st.login, or a trusted
    proxy header) and never from a field anyone can type into; a laptop demo asks for a name."""
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
    return st.text_input("Reviewer", value=settings.reviewer, key="reviewer",
                         help="Recorded with every decision in the audit log").strip()


with st.sidebar:
    st.header("Claimdesk")
    reviewer = signed_in_reviewer()
    source = st.radio("Article", ["Demo article", "Paste text", "Upload file", "Recent"], key="source")
    article = None
    try:
        if source == "Demo article":
            article = read_article(DEMO_ARTICLE)
        elif source == "Paste text":
            pasted = st.text_area("Article text", height=220, key="pasted")
            published = st.date_input("Published", value=None, key="pasted_date", min_value=date(1900, 1, 1))
            if pasted.strip():
                article = article_from_text(pasted, origin="pasted", published=published)
        elif source == "Upload file":
            upload = st.file_uploader("Article (.txt, .md, .html)", type=["txt", "md", "html", "htm"])
            if upload is not None:
                text = decode_article_bytes(upload.getvalue(), upload.name)
                article = article_from_text(text, origin=upload.name,
                                            html=upload.name.lower().endswith((".html", ".htm")))
        else:
            recent = store.articles()
            if recent:
                labels = {f"{a['title'] or a['id']} ({a['added_at'][:10]})": a for a in recent}
                chosen = labels[st.selectbox("Previously checked", list(labels), key="recent")]
                text = store.article_text(chosen["id"])
                published = date.fromisoformat(chosen["published"]) if chosen["published"] else None
                article = article_from_text(text, origin=chosen["origin"] or "stored", published=published)
            else:
                st.caption("Nothing checked yet.")
    except ArticleError as exc:
        st.error(str(exc))
    # Off unless Settings turn it on: it finds the deciding passage more often but costs seconds per article, and
    # on one dev set it lowered the verdict's macro-F1 (bench/RESULTS.md), so the analyst chooses per check.
    rerank = st.toggle("Rerank evidence (slower)", value=settings.rerank_depth > 0, key="rerank",
                       help="Reads each claim together with its top search results and puts the passage most "
                            "likely to decide it first. On held-out dev claims the deciding passage was in the "
                            "top 5 for 79% / 72% of claims (Climate-FEVER / Check-COVID) against 77% / 63% in "
                            "search order. It adds about 3 seconds to a 20-claim article on a 2-core laptop.")
    check_clicked = st.button("Check article", type="primary", disabled=article is None, key="check")
    st.caption("Evidence dated after the article is hidden" if not settings.include_later
               else "Evidence dated after the article is shown and flagged")

if article is not None and (check_clicked or ("checked" not in st.session_state and source == "Demo article")):
    run_check(article, rerank)

if "checked" not in st.session_state:
    st.title("Claimdesk")
    st.info("Choose an article in the sidebar and press **Check article**.")
    st.stop()

checked = st.session_state.checked
result = st.session_state.result
claims = checked["claims"]
article_id = checked["article"]["id"]
reviews = store.reviews(article_id)  # the final decisions: what counts and what is exported
BLIND = settings.blind_review
if BLIND and not reviewer:
    st.warning("Blind double review is on: enter your name in the sidebar to start.")
    st.stop()
blind_views = store.blind_views(article_id, reviewer, settings.blind_reviewers) if BLIND else {}


def final_of(claim_id: str) -> Review:
    return reviews.get(claim_id, Review(article_id, claim_id))


def my_decision(claim_id: str) -> Review:
    """What this analyst has decided: under blind review their own hidden decision, else the shared one."""
    if BLIND:
        view = blind_views.get(claim_id)
        return view.mine if view and view.mine else Review(article_id, claim_id)
    return final_of(claim_id)


def status_of(claim_id: str) -> str:
    return my_decision(claim_id).status


def spent(seconds: float) -> str:
    return f"{int(seconds // 60)}m {int(seconds % 60):02d}s" if seconds else "—"


st.title(checked["article"]["title"] or "Untitled article")
meta = [checked["article"]["outlet"] or "unknown outlet", checked["article"]["published"] or "undated",
        f"evidence reranked from the search's top {checked['rerank_depth']}" if checked.get("rerank_depth")
        else "evidence in search order"]
st.caption(" · ".join(meta) + f" · {len(claims)} claims")
done = sum(1 for c in claims if status_of(c["id"]) != UNREVIEWED)
st.progress(done / len(claims) if claims else 0.0, text=f"{done} of {len(claims)} reviewed")
if BLIND:
    revealed = sum(1 for v in blind_views.values() if v.is_revealed)
    disagreements = store.disagreements(article_id, settings.blind_reviewers)  # also listed in their tab
    open_disagreements = sum(1 for d in disagreements if d.settled.status == UNREVIEWED)
    st.caption(f"Blind double review ({settings.blind_reviewers} reviewers a claim): {revealed} of {len(claims)} "
               f"claims fully decided · {open_disagreements} disagreement{'' if open_disagreements == 1 else 's'} "
               "to settle")

if not claims:
    st.warning("No checkable claims were found in this article.")
    st.stop()

table = pd.DataFrame([
    {"#": i + 1, "claim": c["text"], "speaker": c["speaker"] or "(the article)", "outlet": c["outlet"],
     "quote": c["quote_type"], "check-worthiness": c["checkworthiness"], "model verdict": c["verdict"],
     "confidence": c["confidence"], "analyst": status_of(c["id"]),
     **({"final": final_of(c["id"]).status} if BLIND else {}),
     "time spent": spent(my_decision(c["id"]).seconds_spent)}
    for i, c in enumerate(claims)
])

tab_names = ["Review", "Article", "Claims", "Charts"] + (["Disagreements"] if BLIND else [])
tab_review, tab_article, tab_claims, tab_charts, *tab_disagreements = st.tabs(tab_names)

with tab_claims:
    left, right = st.columns(2)
    verdict_filter = left.multiselect("Model verdict", sorted(table["model verdict"].unique()), key="f_verdict")
    speaker_filter = right.multiselect("Speaker", sorted(table["speaker"].unique()), key="f_speaker")
    shown = table
    if verdict_filter:
        shown = shown[shown["model verdict"].isin(verdict_filter)]
    if speaker_filter:
        shown = shown[shown["speaker"].isin(speaker_filter)]
    st.dataframe(shown, hide_index=True, width="stretch")

labels = [f"{i + 1}. {c['text'][:90]}" for i, c in enumerate(claims)]
if "pending_cursor" in st.session_state:
    st.session_state.claim_pick = st.session_state.pop("pending_cursor")
if st.session_state.get("claim_pick", 0) >= len(claims):
    st.session_state.claim_pick = 0

with tab_review:
    cursor = st.selectbox("Claim", range(len(claims)), format_func=lambda i: labels[i], key="claim_pick",
                          on_change=lambda: st.session_state.update(opened_at=time.time()))
    claim = claims[cursor]
    review = my_decision(claim["id"])
    view = blind_views.get(claim["id"]) if BLIND else None
    locked = bool(view and view.is_revealed)  # revealed blind decisions are settled in the open, not changed

    who = claim["speaker"] or "the article itself"
    via = f" (via {claim['outlet']})" if claim["outlet"] and claim["outlet"] != claim["speaker"] else ""
    st.markdown(f"**Claim {cursor + 1} of {len(claims)}**")
    all_flags = [f for e in claim["evidence"] for f in e["flags"]]
    st.markdown(f'<div style="font-size:1.15em">{claim_html(claim["text"], all_flags)}</div>', unsafe_allow_html=True)
    quote = "not attributed" if claim["quote_type"] == "none" else f"{claim['quote_type']} quote"
    st.caption(f"Said by {who}{via} · cue: {claim['cue'] or '—'} · {quote} · "
               f"check-worthiness {claim['checkworthiness']:.2f}")
    suggestion = SUGGESTION.get(claim["verdict"], "Inconclusive")
    st.markdown(f"Model suggests **{suggestion}** ({claim['verdict']}, confidence {claim['confidence']:.2f}): "
                f"{claim['verdict_reason']}")

    st.iframe(listener_html(STATUS_NAMES), height=1)  # invisible; installs the key listener in the page
    status_cols = st.columns(len(STATUS_NAMES))
    chosen_status = None
    for column, name in zip(status_cols, STATUS_NAMES):
        marker = "✓ " if review.status == name else ""
        # The model's suggestion is pre-selected (highlighted) until the analyst decides; only a click counts.
        suggested = review.status == UNREVIEWED and name == suggestion
        if column.button(f"{marker}{name}", key=f"set_{name}", width="stretch", help=STATUS_HELP[name] or None,
                         disabled=locked, type="primary" if suggested else "secondary"):
            chosen_status = name
    note = st.text_area("Note", value=review.note, key=f"note_{claim['id']}", height=80, disabled=locked)
    save_note = st.button("Save note", key="save_note", disabled=locked or (BLIND and review.version == 0),
                          help="Under blind review a note goes with your decision" if BLIND else None)
    opened_at = st.session_state.get("opened_at", time.time())
    st.caption(f"Time on this claim: {spent(review.seconds_spent)} recorded"
               + (f" (by {review.reviewer}, {review.reviewed_at})" if review.reviewed_at else ""))

    if BLIND:
        if not view or not view.is_revealed:
            count = view.submitted if view else 0
            st.info(f"Blind review: {count} of {settings.blind_reviewers} decisions are in. Other reviewers' "
                    "decisions stay hidden until all of them are.")
        else:
            final = final_of(claim["id"])
            outcome = (f"agreed: **{view.agreed}**" if view.agreed
                       else f"disagree; final status **{final.status}** (settled in the Disagreements tab)")
            st.success(f"All {view.submitted} blind decisions are in, and the reviewers {outcome}.")
            st.dataframe(pd.DataFrame([{"reviewer": r.reviewer, "status": r.status, "note": r.note,
                                        "decided": r.reviewed_at, "time spent": spent(r.seconds_spent)}
                                       for r in view.revealed]), hide_index=True, width="stretch")
        if chosen_status or (save_note and note != review.note):
            try:
                store.submit_blind(Review(article_id, claim["id"], status=chosen_status or review.status, note=note,
                                          reviewer=reviewer,
                                          seconds_spent=round(review.seconds_spent + time.time() - opened_at, 1)),
                                   settings.blind_reviewers)
                st.session_state.setdefault("undo", []).append((cursor, review))
                move_to(cursor + 1 if chosen_status and cursor + 1 < len(claims) else cursor)
                st.rerun()
            except ReviewStoreError as exc:
                st.error(str(exc))

    # Every click reruns this script and re-reads the store, so the version to check against is the one
    # the analyst was looking at (kept from the previous run), not the one just read.
    seen = st.session_state.setdefault("seen_versions", {})
    if not BLIND and (chosen_status or (save_note and note != review.note)):
        attempt = Review(
            article_id, claim["id"], status=chosen_status or review.status, note=note,
            reviewer=reviewer or "anonymous",
            seconds_spent=round(review.seconds_spent + time.time() - opened_at, 1),
            version=seen.get(claim["id"], review.version),
        )
        try:
            store.save(attempt)
            # Session-scoped undo: "u" restores what this claim was before this analyst's last decision.
            st.session_state.setdefault("undo", []).append((cursor, review))
            seen.pop(claim["id"], None)
            move_to(cursor + 1 if chosen_status and cursor + 1 < len(claims) else cursor)
            st.rerun()
        except ReviewConflict as conflict:
            st.session_state.conflict = (attempt, conflict.current)

    pending = st.session_state.get("conflict")
    if pending and pending[0].claim_id == claim["id"]:
        mine, theirs = pending
        st.error(f"{theirs.reviewer or 'Someone'} changed this claim at {theirs.reviewed_at} while you were on it.")
        left, right = st.columns(2)
        left.markdown(f"**Theirs** ({theirs.reviewer or 'someone'}): **{theirs.status}**")
        left.text(theirs.note or "(no note)")
        right.markdown(f"**Yours**: **{mine.status}**")
        right.text(mine.note or "(no note)")
        if left.button("Keep theirs", key="keep_theirs"):
            del st.session_state.conflict
            seen[claim["id"]] = theirs.version
            st.rerun()
        if right.button("Use mine", key="use_mine"):
            # A deliberate overwrite, against the version both people have now seen; the audit log keeps both.
            try:
                store.save(replace(mine, version=theirs.version))
                del st.session_state.conflict
                seen.pop(claim["id"], None)
                st.rerun()
            except ReviewConflict as again:
                st.session_state.conflict = (mine, again.current)
                st.rerun()
    else:
        seen[claim["id"]] = review.version

    nav_prev, nav_next, nav_undo, nav_help = st.columns(4)
    undo_stack = st.session_state.get("undo", [])
    if nav_undo.button("Undo", disabled=not undo_stack, key="undo_button", help="Undo your last decision (u)"):
        index, before = undo_stack.pop()
        try:
            if BLIND:
                if before.version == 0:
                    store.retract_blind(article_id, before.claim_id, reviewer, settings.blind_reviewers)
                else:
                    store.submit_blind(replace(before, reviewed_at=""), settings.blind_reviewers)
            else:
                current = store.get(article_id, before.claim_id)
                store.save(Review(article_id, before.claim_id, status=before.status, note=before.note,
                                  reviewer=reviewer or "anonymous", seconds_spent=current.seconds_spent,
                                  version=current.version))
            move_to(index)
            st.rerun()
        except (ReviewConflict, ReviewStoreError) as exc:
            st.error(f"Cannot undo: {exc}")
    with nav_help.popover("⌨ Keys"):
        st.table(pd.DataFrame(help_rows(STATUS_NAMES), columns=["key", "does"]))
    if nav_prev.button("← Previous", disabled=cursor == 0, key="prev"):
        move_to(cursor - 1)
        st.rerun()
    if nav_next.button("Next →", disabled=cursor + 1 >= len(claims), key="next"):
        move_to(cursor + 1)
        st.rerun()

    st.subheader("Evidence from prior reporting")
    if not claim["evidence"]:
        st.info("Nothing in the corpus matched this claim.")
    for evidence in claim["evidence"]:
        st.markdown(evidence_card_html(evidence), unsafe_allow_html=True)

    with st.expander("Audit trail"):
        events = [e for e in store.audit(article_id, claim["id"])
                  if not (BLIND and e.field in (BLIND_STATUS, BLIND_NOTE) and e.who != reviewer and not locked)]
        if events:
            st.dataframe(pd.DataFrame([{"when": e.at, "who": e.who, "field": e.field, "from": e.old, "to": e.new}
                                       for e in events]), hide_index=True, width="stretch")
        else:
            st.caption("No decisions yet.")

with tab_article:
    st.markdown(article_html(result.article.text, claims, claim["id"]), unsafe_allow_html=True)

with tab_charts:
    mix = table["model verdict"].value_counts().rename_axis("verdict").reset_index(name="claims")
    st.subheader("Verdict mix")
    st.bar_chart(mix, x="verdict", y="claims")
    st.subheader("Claims per speaker")
    st.bar_chart(table["speaker"].value_counts().rename_axis("speaker").reset_index(name="claims"),
                 x="speaker", y="claims")
    dated = [{"evidence date": e["date"], "stance": e["stance"]} for c in claims for e in c["evidence"] if e["date"]]
    if dated:
        st.subheader("Evidence timeline")
        timeline = pd.DataFrame(dated).groupby(["evidence date", "stance"]).size().reset_index(name="passages")
        st.scatter_chart(timeline, x="evidence date", y="passages", color="stance")
        if checked["article"]["published"]:
            st.caption(f"Article published {checked['article']['published']}")

if BLIND:
    with tab_disagreements[0]:
        if not disagreements:
            st.caption("No disagreements: claims appear here once all blind decisions are in and differ.")
        texts = {c["id"]: (i, c["text"]) for i, c in enumerate(claims)}
        for item in disagreements:
            number, text = texts.get(item.claim_id, (-1, item.claim_id))
            with st.container(border=True):
                st.markdown(f"**Claim {number + 1}** · final status **{item.settled.status}**"
                            + (f" (settled by {item.settled.reviewer})" if item.settled.version else ""))
                st.text(text)
                st.dataframe(pd.DataFrame([{"reviewer": r.reviewer, "status": r.status, "note": r.note,
                                            "time spent": spent(r.seconds_spent)} for r in item.decisions]),
                             hide_index=True, width="stretch")
                pick, why, go = st.columns([2, 4, 1])
                final_status = pick.selectbox("Final status", STATUS_NAMES[1:], key=f"settle_status_{item.claim_id}")
                reason = why.text_input("Why", key=f"settle_note_{item.claim_id}")
                if go.button("Settle", key=f"settle_{item.claim_id}"):
                    try:
                        store.save(Review(article_id, item.claim_id, status=final_status, note=reason,
                                          reviewer=reviewer, seconds_spent=item.settled.seconds_spent,
                                          version=item.settled.version))
                        st.rerun()
                    except ReviewConflict as conflict:
                        st.error(str(conflict))

rows = review_rows(result.article, list(result.claims), store.reviews(article_id))
approved_only = st.sidebar.toggle("Export decided claims only", key="approved_only")
export_rows = [r for r in rows if r["analyst_verdict"] != UNREVIEWED] if approved_only else rows
# on_click="ignore": a download must not rerun the app, which would replace the file behind the link.
st.sidebar.download_button("Download review CSV", to_csv(export_rows), file_name=f"review-{article_id}.csv",
                           mime="text/csv", key="download_csv", on_click="ignore")
st.sidebar.download_button("Download review JSON", to_json(export_rows), file_name=f"review-{article_id}.json",
                           mime="application/json", key="download_json", on_click="ignore")
