"""What every dashboard view shares on one run: the settings, the review store, the pipeline (loaded once per
server process), the reviewer, and the article being reviewed with its stored check result."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from claimdesk.pipeline import Pipeline, user_errors
from claimdesk.results import CheckResult, load_result, store_result
from claimdesk.settings import Settings, SettingsError
from review.store import ReviewStoreError
from review.types import Review


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
def check_lock() -> threading.Lock:
    """One check at a time per server. A check keeps both cores busy for a second or two; several at once each
    took as long as all of them together, and starved every other analyst's key presses meanwhile
    (bench/team_load.py). In turn, each waits only for the checks ahead of it."""
    return threading.Lock()


@st.cache_resource(show_spinner="Opening the corpus…")
def get_corpus_pipeline(corpus: str) -> Pipeline:
    """The pipeline searching ``corpus``, sharing the loaded models: one per corpus the analysts choose."""
    base = get_pipeline()
    if not corpus or base.settings.vector_url or Path(corpus).resolve() == Path(base.settings.corpus_dir).resolve():
        return base
    return base.for_corpus(corpus)


def corpus_choices(settings: Settings) -> dict[str, str]:
    """Corpus folder → its label: the configured corpus first, then every other corpus with an index here. Two
    folders of one name get their parent folder in the label too."""
    root = Path(settings.data_dir) / "index"
    # The manifests are read again only when an index changes (their CURRENT pointer is rewritten on each build).
    stamp = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in root.glob("*/CURRENT"))) if root.is_dir() else ()
    configured = Path(settings.corpus_dir).resolve()
    found = [(Path(c["corpus"]), c["passages"]) for c in _indexed(str(root), stamp)
             if Path(c["corpus"]).resolve() != configured]
    names = [p.name for p, _ in found] + [configured.name]

    def label(path: Path) -> str:
        return f"{path.parent.name}/{path.name}" if names.count(path.name) > 1 else path.name

    return {str(configured): f"{label(configured)} (configured)",
            **{str(path): f"{label(path)} ({passages:,} passages)" for path, passages in found}}


@st.cache_data(show_spinner=False, max_entries=8)
def _indexed(root: str, stamp: tuple) -> list[dict]:
    from claimdesk.pipeline import indexed_corpora

    return indexed_corpora(root)


@st.cache_resource(show_spinner=False)
def get_store(url: str):
    from review.store import open_store

    return open_store(url)


@dataclass
class Desk:
    settings: Settings
    store: object
    reviewer: str = ""
    result: CheckResult | None = None
    checked: dict = field(default_factory=dict)  # the result as check JSON: what the views render
    reviews: dict[str, Review] = field(default_factory=dict)  # the final decisions: what counts and is exported
    blind_views: dict = field(default_factory=dict)

    @property
    def statuses(self) -> list[str]:
        return [s.name for s in self.settings.statuses]

    @property
    def status_help(self) -> dict[str, str]:
        return {s.name: s.description for s in self.settings.statuses}

    @property
    def blind(self) -> bool:
        return self.settings.blind_review

    @property
    def article_id(self) -> str:
        return self.checked["article"]["id"]

    @property
    def claims(self) -> list[dict]:
        return self.checked["claims"]

    def final_of(self, claim_id: str) -> Review:
        return self.reviews.get(claim_id, Review(self.article_id, claim_id))

    def my_decision(self, claim_id: str) -> Review:
        """What this analyst has decided: under blind review their own hidden decision, else the shared one."""
        if self.blind:
            view = self.blind_views.get(claim_id)
            return view.mine if view and view.mine else Review(self.article_id, claim_id)
        return self.final_of(claim_id)

    def status_of(self, claim_id: str) -> str:
        return self.my_decision(claim_id).status


def open_desk() -> Desk:
    settings = get_settings()
    return Desk(settings, get_store(settings.resolved_review_url))


def show(desk: Desk, result: CheckResult) -> None:
    """Review ``result`` from the next run on, starting at its first claim."""
    st.session_state.result = result
    st.session_state.checked = result.to_json()
    # A row picked in the Claims table belongs to the article it was picked on.
    st.session_state.pop("opened_from_table", None)
    st.session_state.pending_view = "Review"
    move_to(0)


def run_check(desk: Desk, article, rerank: bool, corpus: str = "") -> None:
    """Check ``article`` against ``corpus`` (default: the configured one) now, store the result (decisions already
    made stay with their claims) and show it."""
    bar = st.progress(0.0, text="Starting check…")

    def progress(message: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    pipeline = get_corpus_pipeline(corpus)
    lock = check_lock()
    if not lock.acquire(blocking=False):
        bar.progress(0.0, text="Waiting for another analyst's check to finish…")
        lock.acquire()
    try:
        result = pipeline.check(article, progress=progress, rerank_depth=True if rerank else 0)
    except user_errors() as exc:
        bar.empty()
        st.error(f"Cannot check this article: {exc}")
        st.stop()
    finally:
        lock.release()
    bar.empty()
    try:
        store_result(desk.store, result)
    except ReviewStoreError as exc:  # the check is not thrown away: shown, and said to be unsaved
        st.warning(f"This check could not be stored ({exc}): decisions on it cannot be saved until the store is "
                   "back and the article is checked again.")
    show(desk, result)


def open_stored(desk: Desk, article_id: str) -> bool:
    """Show the stored result of an earlier check, exactly as it was reviewed; False if it has none."""
    result = load_result(desk.store, article_id)
    if result is None:
        return False
    show(desk, result)
    return True


def resume_from_address(desk: Desk) -> bool:
    """A new session on an address that names an article and claim (a reload, a restarted dashboard, a link a
    colleague sent) opens that article's stored check on that claim, once. False if there is nothing to open."""
    if st.session_state.get("resumed"):
        return False
    st.session_state.resumed = True
    article_id, claim_id = st.query_params.get("article"), st.query_params.get("claim")
    try:
        if not article_id or not open_stored(desk, article_id):
            return False
    except ReviewStoreError as exc:
        st.warning(f"Cannot reopen the article this address names: {exc}")
        return False
    ids = [c["id"] for c in st.session_state.checked["claims"]]
    move_to(ids.index(claim_id) if claim_id in ids else 0)
    return True


def rerun_workspace() -> None:
    """Draw the workspace again (progress and tabs, ``ui/app.py``) after a decision or a move, not the whole page:
    the sidebar and header do not change, and re-drawing them made each key press take about a second. On a run of
    the whole page (the first after a check) Streamlit allows only a whole rerun."""
    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


def move_to(index: int) -> None:
    """Open claim ``index``: the Review deck moves there when it is next drawn (each such move is numbered, so the
    deck applies it once and otherwise keeps the claim the analyst moved to in the browser)."""
    previous = st.session_state.get("deck_goto") or {"nonce": 0}
    st.session_state.deck_goto = {"nonce": previous["nonce"] + 1, "cursor": index}
    st.session_state.cursor = index


def spent(seconds: float) -> str:
    return f"{int(seconds // 60)}m {int(seconds % 60):02d}s" if seconds else "—"
