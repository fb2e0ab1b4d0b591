"""The dashboard, driven by Streamlit's AppTest: check, review, export; and escaping of hostile text."""

from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review.export import read_csv
from review.store import open_store
from review.types import Review
from tests.ui.corpora import write_harbour_archive
from tests.ui.deck_driver import Deck
from ui.render import article_html, evidence_card_html, md, reason_html

pytestmark = pytest.mark.integration

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="module")
def app_env(data_dir, pipeline):
    assert len(pipeline.index) > 0  # the demo index exists before the app starts
    previous = os.environ.get("CLAIMDESK_DATA_DIR")
    os.environ["CLAIMDESK_DATA_DIR"] = str(data_dir)
    yield data_dir
    if previous is None:
        os.environ.pop("CLAIMDESK_DATA_DIR", None)
    else:
        os.environ["CLAIMDESK_DATA_DIR"] = previous


@contextmanager
def _reviewing_in(store_url: str):
    """The dashboard on a review store of its own, with "ana" typed as the reviewer: (AppTest, its deck)."""
    os.environ["CLAIMDESK_REVIEW_URL"] = store_url
    try:
        at = AppTest.from_file(APP, default_timeout=180).run()
        at.text_input(key="reviewer").input("ana").run()
        yield at, Deck(at)
    finally:
        os.environ.pop("CLAIMDESK_REVIEW_URL", None)


def _keyed(widgets, prefix: str):
    """The one widget whose key starts with ``prefix`` (the date prompt's keys carry the article's id)."""
    (widget,) = [w for w in widgets if w.key and w.key.startswith(prefix)]
    return widget


def test_check_set_verdict_and_export(app_env):
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Lavrov to visit Pyongyang")
    deck = Deck(at)
    store = open_store(f"sqlite:///{app_env / 'reviews.db'}")
    article_id = at.session_state.checked["article"]["id"]
    # Nobody named, nothing recorded: the deck's buttons wait for a reviewer, and the server refuses a decision
    # sent without one all the same.
    assert deck.data()["reviewer"] == ""
    [refused] = deck.decide("Conflicted", force=True)
    assert not refused["ok"] and "No reviewer" in refused["message"] and store.reviews(article_id) == {}
    deck.move(0)
    at.text_input(key="reviewer").input("ana").run()
    assert deck.data()["reviewer"] == "ana"
    # The first demo claim's model verdict is "supported": that is the suggestion shown until the analyst decides.
    assert deck.claim["suggestion"] == "Supported" and deck.decision()["status"] == "Unreviewed"
    assert deck.decide("Conflicted") == [{"seq": deck.token + ":2", "ok": True, "message": ""}]
    assert deck.cursor == 1
    deck.move(0)  # back on claim 1, now decided
    assert deck.decision()["status"] == "Conflicted" and deck.decision()["reviewer"] == "ana"
    deck.move(1)
    deck.decide("Supported")
    # Each decision is applied once, however often the deck sends it before it sees the answer.
    deck.pending = [{"seq": deck.token + ":2", "article": article_id, "kind": "decide", "claim": deck.claim["id"],
                     "status": "Inconclusive", "note": "", "version": 0, "seconds": 1, "cursor": 0,
                     "reviewer": "ana"}]
    deck.move(2)
    decided = {r.status for r in store.reviews(article_id).values()}
    assert decided == {"Conflicted", "Supported"}
    assert all(r.reviewer == "ana" for r in store.reviews(article_id).values())

    # The Claims table keeps the analyst's column in view, lists what is left to do first, and filters by it.
    at.segmented_control(key="view").set_value("Claims").run()
    assert not at.get("bidi_component")  # one view drawn at a time
    table = at.dataframe[0].value
    assert list(table.columns[:2]) == ["#", "analyst"]
    assert list(table["analyst"])[-2:] != ["Unreviewed", "Unreviewed"] and table["analyst"].iloc[0] == "Unreviewed"
    at.multiselect(key="f_status").set_value(["Unreviewed"]).run()
    assert set(at.dataframe[0].value["analyst"]) == {"Unreviewed"}
    assert len(at.dataframe[0].value) == len(table) - 2

    # A restart (new session) finds the decisions: progress counts them.
    again = AppTest.from_file(APP, default_timeout=180).run()
    progress_text = " ".join(str(p.proto) for p in again.get("progress"))
    assert "2 of" in progress_text

    labels = [b.proto.label for b in again.get("download_button")]
    assert "Download review CSV" in labels


@pytest.mark.postgres
def test_a_review_store_that_goes_away_is_said_and_a_decision_then_is_reported_unconfirmed(app_env,
                                                                                           restartable_postgres):
    """The team's PostgreSQL server stops mid-review: the page says so instead of a stack trace, a decision made
    then stays unconfirmed, and once the server is back the same page sends it again and it lands once."""
    from tests.postgres import fresh_database

    server = restartable_postgres
    url = fresh_database(server.url)
    with _reviewing_in(url) as (at, deck):
        article_id = at.session_state.checked["article"]["id"]
        first = at.session_state.checked["claims"][0]["id"]
        server.stop("immediate")
        assert deck.decide("Conflicted") == []  # not answered: the deck keeps it as not yet confirmed
        errors = " ".join(e.value for e in at.error)
        assert "review store cannot be reached" in errors, errors
        assert at.button(key="store_retry") and len(deck.pending) == 1
        server.start()
        at.button(key="store_retry").click().run()
        assert not at.exception and not at.error
        # Drawn again by a run that never saw its state, the deck sends the decision again, and it lands once.
        [answer] = deck.resend_if_unseen()
        assert answer["ok"] and not deck.pending
        store = open_store(url)
        assert store.get(article_id, first).status == "Conflicted"
        assert [e.field for e in store.audit(article_id, first)] == ["status"]


def test_undo_never_overwrites_a_colleagues_later_decision(app_env, tmp_path):
    """Undo is kept in the store and outlives a restart, so it may be pressed long after: when a colleague decided
    the claim since, their decision stands and the analyst is told why nothing was undone."""
    url = f"sqlite:///{tmp_path / 'undo.db'}"
    with _reviewing_in(url) as (at, deck):
        deck.decide("Conflicted")
        article_id = at.session_state.checked["article"]["id"]
        first = at.session_state.checked["claims"][0]["id"]
        store = open_store(url)
        mine = store.get(article_id, first)
        store.save(Review(article_id, first, status="Supported", note="the wire confirms it", reviewer="ben",
                          version=mine.version))
        [refused] = deck.undo()
        assert not refused["ok"] and "Cannot undo: ben changed this claim" in refused["message"]
        assert store.get(article_id, first).status == "Supported"  # ben's decision stands
        assert deck.cursor == 0
        deck.decide("Inconclusive")  # on claim 1 again: a decision of ana's own undoes
        [undone] = deck.undo()
        assert undone["ok"] and store.get(article_id, first).status == "Supported"


def test_hostile_article_text_is_escaped(app_env):
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.radio(key="source").set_value("Paste text").run()
    at.text_area(key="pasted").input(
        'The minister said <script>alert("x")</script> 40 people <img src=x onerror=alert(1)> were evacuated '
        "from the port on Monday, officials said."
    ).run()
    # Undated pasted text: the check waits for a date or for leave to check without one.
    assert at.button(key="check").disabled
    _keyed(at.checkbox, "undated_ok_").check().run()
    at.button(key="check").click().run()
    assert not at.exception, at.exception
    # The page's own Markdown and every piece of HTML the review deck is given to place.
    html = " ".join([m.value for m in at.markdown] + [v for v in Deck(at).claim.values() if isinstance(v, str)])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_an_article_date_is_found_or_asked_for_and_an_undated_check_says_the_guard_is_off(app_env):
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.radio(key="source").set_value("Paste text").run()
    at.text_area(key="pasted").input("Updated 10:02 GMT, April 10, 2018\n\nThe port of Varna reopened on "
                                     "May 2 after repairs, officials said on Monday.").run()
    assert not at.button(key="check").disabled and not at.get("date_input")
    assert any("Published 2018-04-10 (found in the article)" in c.value for c in at.caption)
    at.text_area(key="pasted").input("The port of Varna reopened on May 2 after repairs, officials said.").run()
    assert at.button(key="check").disabled and at.warning
    _keyed(at.checkbox, "undated_ok_").check().run()
    at.button(key="check").click().run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "no date, so evidence published after it is not held back" in captions
    assert "Evidence dated after the article is hidden" not in captions
    # Leave given for one article is not leave for the next.
    at.text_area(key="pasted").input("The port of Burgas reopened on May 9, officials said.").run()
    assert at.button(key="check").disabled and not _keyed(at.checkbox, "undated_ok_").value


def test_a_pasted_article_in_another_language_is_refused_with_one_line(app_env):
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.radio(key="source").set_value("Paste text").run()
    at.text_area(key="pasted").input("Der russische Außenminister Sergej Lawrow wird am 25. April nach Pjöngjang "
                                     "reisen, teilte das Ministerium am Dienstag mit.").run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "reads as German" in errors and "English articles only" in errors
    assert at.button(key="check").disabled


def test_the_analyst_chooses_another_indexed_corpus_and_the_page_names_it(app_env, pipeline, tmp_path):
    from retrieval.index import indexed_corpora

    harbour = write_harbour_archive(tmp_path)
    pipeline.for_corpus(harbour).build_index()
    assert str(harbour.resolve()) in [c["corpus"] for c in indexed_corpora(app_env / "index")]

    at = AppTest.from_file(APP, default_timeout=180).run()
    labels = at.selectbox(key="corpus").options
    assert labels[0].endswith("(configured)") and any(label.startswith("harbour-archive") for label in labels)
    at.selectbox(key="corpus").set_value(str(harbour.resolve())).run()
    at.radio(key="source").set_value("Paste text").run()
    at.text_area(key="pasted").input("The port of Varna reopened on May 2 after repairs, officials said.").run()
    _keyed(at.date_input, "article_date_").set_value(date(2024, 5, 20)).run()
    at.button(key="check").click().run()
    assert not at.exception, at.exception
    assert any(f"searched {md(harbour.name)}" in c.value for c in at.caption)
    shown = Deck(at).claim["evidence_html"]
    assert "Harbour Gazette" in shown and "Capital Wire" not in shown


@pytest.mark.unit
def test_headlines_outlets_and_names_reach_markdown_as_literal_text():
    hostile = "![pixel](https://tracker.invalid/p.png) **big** <b>x</b> [link](https://x.invalid)"
    escaped = md(hostile)
    # Every Markdown-active character is escaped, so no image, link, emphasis or autolink forms.
    for active in ("![", "](", "**", "<b>", "https:"):
        assert active not in escaped
    assert escaped.replace("\\", "") == hostile  # nothing but escapes was added


def test_a_passage_about_something_else_says_the_stance_model_did_not_read_it(pipeline):
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article

    payload = pipeline.check(read_article(DEMO_ARTICLE)).to_json()
    evidence = [e for claim in payload["claims"] for e in claim["evidence"]]
    unweighed = [e for e in evidence if e["weighed"] is False]
    assert unweighed and all(e["role"] == "unrelated" and e["stance"] == "NOT_ENOUGH_INFO" for e in unweighed)
    assert all(e["weighed"] for e in evidence if e["role"] != "unrelated")
    card = evidence_card_html(unweighed[0])
    assert "about something else" in card and "not put to the stance model" in card and "model not enough" not in card
    weighed = evidence_card_html(next(e for e in evidence if e["weighed"]))
    assert "not put to the stance model" not in weighed and " · model " in weighed


def test_render_escapes_corpus_text():
    card = evidence_card_html({
        "source": "<b>Evil</b>", "date": "2018-01-01", "title": "<svg onload=alert(1)>", "stance": "SUPPORTS",
        "score": 0.9, "text": "Passage <script>steal()</script> text", "after_article": False, "duplicates": [],
        "flags": [{"kind": "entity", "relation": "agrees", "claim": "<i>x</i>", "evidence": "Passage",
                   "claim_span": [0, 7], "evidence_span": [0, 7]}],
    })
    assert "<script>" not in card and "<svg" not in card and "<b>Evil" not in card and "<i>x" not in card
    assert "&lt;script&gt;" in card
    page = article_html("A <b>bold</b> claim.", [{"id": "c", "start": 0, "end": 20, "verdict": "supported",
                                                 "speaker": "<x>"}])
    assert "<b>" not in page and "&lt;b&gt;" in page
    # The new fields: a verdict reason and the clash findings quote article and corpus text too.
    reason = reason_html("conflicted", "<img src=x onerror=alert(1)> says March")
    assert "<img" not in reason and "&lt;img" in reason
    clash = evidence_card_html({
        "source": "s", "date": None, "title": "", "stance": "SUPPORTS", "score": 0.5, "role": "conflict",
        "text": "t", "after_article": False, "duplicates": [],
        "flags": [{"kind": "modality", "relation": "differs", "claim": "<u>raised</u>", "evidence": "<u>may</u>",
                   "claim_span": None, "evidence_span": None}],
    })
    assert "<u>" not in clash and "contradicts the claim" in clash
    earlier = evidence_card_html({
        "source": "s", "date": "2024-03-14", "title": "", "stance": "SUPPORTS", "score": 0.9, "role": "related",
        "text": "t", "after_article": False, "duplicates": [],
        "flags": [{"kind": "date", "relation": "earlier", "claim": "<i>Wednesday</i> [2024-06-12]",
                   "evidence": "2024-03-14", "claim_span": [0, 9], "evidence_span": None}],
    })
    assert "published 2024-03-14, before the claim's &lt;i&gt;Wednesday&lt;/i&gt; [2024-06-12]" in earlier


def test_a_direct_quote_shows_its_quote_check_on_the_claim(app_env):
    from ui.render import QUOTE_STATUS_WORDS

    at = AppTest.from_file(APP, default_timeout=180).run()
    claims = at.session_state.checked["claims"]
    quoted = [i for i, c in enumerate(claims) if c.get("quote_check")]
    assert quoted and all(claims[i]["quote_type"] in {"direct", "mixed"} for i in quoted)
    deck = Deck(at)
    deck.move(quoted[0])
    card = deck.claim["quote_check_html"]
    assert 'class="cd-quote"' in card
    assert QUOTE_STATUS_WORDS[claims[quoted[0]]["quote_check"]["status"]][0] in card
    # A claim without a quote shows none.
    plain = next(i for i, c in enumerate(claims) if not c.get("quote_check"))
    deck.move(plain)
    assert deck.claim["quote_check_html"] == ""


def test_render_escapes_every_quote_check_field():
    from ui.render import quote_check_html

    hostile = "<img src=x onerror=alert(1)>"
    html = quote_check_html({
        "quote": hostile, "status": "other_speaker", "earliest": "p1",
        "matches": [{"passage_id": "p1", "doc_id": hostile, "source": f"<b>{hostile}</b>", "date": hostile,
                     "url": "javascript:alert(1)", "similarity": 91.0, "kind": "differs",
                     "words": f"we will {hostile} never", "words_span": [0, 10], "speaker": "other",
                     "names": [f"<script>{hostile}</script>"],
                     "changes": [{"quote": hostile, "passage": ""}, {"quote": "x", "passage": "never"}]}],
    })
    assert "<img" not in html and "<script" not in html and "<b>&lt;" not in html and "javascript:" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 4
    assert "attributed to someone else" in html and '<mark style="background:#ffe0b2"' in html


@pytest.mark.unit
def test_the_evidence_timeline_is_on_a_time_scale_in_the_cards_colours():
    from ui.views.charts import timeline_chart

    claims = [{"evidence": [{"date": "2009-03-30", "stance": "SUPPORTS"}, {"date": "2015-06-01", "stance": "REFUTES"},
                            {"date": None, "stance": "NOT_ENOUGH_INFO"},
                            {"date": "2016-01-01", "stance": "NOT_ENOUGH_INFO", "weighed": False}]}]
    spec = timeline_chart(claims, "2018-04-10").to_dict()
    points, rule = spec["layer"]
    assert points["encoding"]["x"]["type"] == "temporal" and rule["encoding"]["x"]["type"] == "temporal"
    scale = points["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"])) == {
        "supports": "#2e7d32", "refutes": "#c62828", "not enough info": "#607d8b", "about something else": "#9e9e9e"}
    # A passage the stance model did not read is not shown as its reading.
    assert {row["model reading"] for row in spec["datasets"][points["data"]["name"]]} == {
        "supports", "refutes", "about something else"}
    assert timeline_chart([{"evidence": [{"date": None, "stance": "SUPPORTS"}]}], None) is None


def test_exported_csv_has_documented_columns(demo_result):
    from review.export import COLUMNS, review_rows, to_csv

    rows = read_csv(to_csv(review_rows(demo_result.article, list(demo_result.claims), {})))
    assert list(rows[0]) == list(COLUMNS)
    assert all(r["analyst_verdict"] == "Unreviewed" for r in rows)


def test_a_save_over_someone_elses_newer_decision_is_a_conflict(app_env, tmp_path):
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.text_input(key="reviewer").input("ana").run()
    at.radio(key="source").set_value("Paste text").run()
    text = "The port of Varna reopened on May 2 after repairs, officials said on Monday."
    at.text_area(key="pasted").input(text).run()
    _keyed(at.date_input, "article_date_").set_value(date(2024, 5, 6)).run()
    at.button(key="check").click().run()
    store = open_store(f"sqlite:///{app_env / 'reviews.db'}")
    article_id = next(a["id"] for a in store.articles() if a["origin"] == "pasted")
    claim_id = _first_claim_id(text)
    # Another reviewer decides the claim after this analyst's screen was drawn.
    deck = Deck(at)
    assert deck.decision(claim_id)["version"] == 0
    store.save(Review(article_id, claim_id, status="Supported", note="ben checked", reviewer="ben"))
    [refused] = deck.decide("Conflicted")
    assert not refused["ok"] and "someone else decided it" in refused["message"]
    assert store.get(article_id, claim_id).status == "Supported"  # nothing was overwritten silently
    shown = " ".join([m.value for m in at.markdown] + [t.value for t in at.text])  # notes show as plain text
    assert "Supported" in shown and "ben checked" in shown and "Conflicted" in shown
    at.button(key=f"use_mine_{claim_id}").click().run()
    final = store.get(article_id, claim_id)
    assert (final.status, final.reviewer, final.version) == ("Conflicted", "ana", 2)
    assert [(e.field, e.who) for e in store.audit(article_id, claim_id)] == [
        ("status", "ben"), ("note", "ben"), ("status", "ana"), ("note", "ana")]


def _first_claim_id(text: str) -> str:
    from claims.ingest import article_from_text
    from claims.segment import ClaimExtractor

    return ClaimExtractor().extract(article_from_text(text, origin="pasted"))[0].id


@pytest.fixture
def blind_env(app_env, tmp_path):
    """The same dashboard with blind double review on, and a review database of its own."""
    url = f"sqlite:///{tmp_path / 'blind.db'}"
    os.environ.update(CLAIMDESK_BLIND_REVIEW="true", CLAIMDESK_REVIEW_URL=url)
    yield url
    for key in ("CLAIMDESK_BLIND_REVIEW", "CLAIMDESK_REVIEW_URL"):
        os.environ.pop(key, None)


def _as(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.text_input(key="reviewer").input(name).run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [s.value for s in at.success]
    parts += [d.value.to_csv() for d in at.dataframe] + [t.value.to_csv() for t in at.table]
    return " ".join(parts)


def test_blind_double_review_hides_the_first_decision_until_both_are_in(blind_env):
    ana = _as("ana")
    ana_deck = Deck(ana)
    ana_deck.decide("Conflicted")
    ana_deck.move(0)  # back to claim 1 to see what ana now sees
    assert "1 of 2 decisions are in" in _shown(ana)

    ben = _as("ben")
    ben_deck = Deck(ben)
    shown = _shown(ben)
    assert "1 of 2 decisions are in" in shown
    assert not re.search(r"\bana\b", shown)  # not in the audit trail or anywhere else on the review
    assert not re.search(r"\bana\b", json.dumps(ben_deck.data()))  # nor in what the deck is sent
    assert ben_deck.decision()["status"] == "Unreviewed"
    assert "No decisions yet." in " ".join(c.value for c in ben.caption)
    ben.segmented_control(key="view").set_value("Claims").run()
    claims_table = next(d.value for d in ben.dataframe if "analyst" in d.value.columns)
    assert set(claims_table["analyst"]) == {"Unreviewed"} and set(claims_table["final"]) == {"Unreviewed"}
    assert not re.search(r"\bana\b", _shown(ben))  # nor in the table
    ben.segmented_control(key="view").set_value("Review").run()
    store = open_store(blind_env)
    article_id = store.articles()[0]["id"]
    assert store.reviews(article_id) == {}

    ben_deck.decide("Supported")
    ben_deck.move(0)
    shown = _shown(ben)
    assert "all 2 blind decisions are in" in shown and "Conflicted" in shown and "ana" in shown
    [claim_id] = [d.claim_id for d in store.disagreements(article_id)]
    ben.segmented_control(key="view").set_value("Disagreements").run()
    ben.button(key=f"settle_{claim_id}").click().run()  # the default final status is the first one listed
    assert not ben.exception, ben.exception
    final = store.get(article_id, claim_id)
    assert (final.status, final.reviewer) == ("Supported", "ben")
    assert "0 disagreements to settle" in " ".join(c.value for c in ben.caption)


def test_oidc_without_a_provider_configured_says_so_and_opens_nothing(app_env, tmp_path):
    os.environ["CLAIMDESK_AUTH"] = "oidc"
    try:
        at = AppTest.from_file(APP, default_timeout=180).run()
        assert any("Sign in to review claims" in i.value for i in at.info)
        assert not at.text_input and not [t for t in at.title if "Lavrov" in t.value]  # no identity field, no review
        at.button(key="sign_in").click().run()
        assert any(e.value.startswith("Sign-in is not configured") for e in at.error), [e.value for e in at.error]
    finally:
        os.environ.pop("CLAIMDESK_AUTH", None)


def test_fact_check_cards_escape_everything():
    from ui.render import fact_checks_html

    hostile = "<img src=x onerror=alert(1)>"
    html = fact_checks_html([{"claim": hostile, "rating": f"<b>{hostile}</b>", "fact_checker": hostile,
                              "claimant": hostile, "date": hostile, "url": "javascript:alert(1)",
                              "similarity": 0.9, "after_article": True}])
    assert "<img" not in html and "&lt;b&gt;" in html and "javascript:" not in html
    assert "published after the article" in html


def test_what_the_deck_sends_is_checked_before_anything_is_saved(app_env, tmp_path):
    """The deck's state comes from the browser: a forged or broken action is refused with a reason, nothing is
    saved, and the valid action sent beside them still lands once."""
    url = f"sqlite:///{tmp_path / 'forged.db'}"
    with _reviewing_in(url) as (at, deck):
        data = deck.data()
        article_id, first = data["article"], data["claims"]["0"]["id"]
        good = {"kind": "decide", "claim": first, "status": "Supported", "note": "", "version": 0, "seconds": 2,
                "reviewer": "ana"}
        forged = [{**good, "status": "Approved by the editor"}, {**good, "claim": "clm-not-in-this-check"},
                  {**good, "note": "x" * 20_001}, {**good, "version": True}, {**good, "version": -1},
                  {**good, "article": "art-another"}, {**good, "kind": "delete_everything"},
                  {**good, "note": ["not", "text"]}, {**good, "reviewer": "mallory"},
                  {**good, "kind": "undo", "reviewer": "mallory"}, {**good, "seconds": "soon"}]
        deck.pending = [{"seq": f"{deck.token}:f{i}", "article": article_id, **action}
                        for i, action in enumerate(forged)]
        answers = deck.resend_if_unseen() or deck._send(None)
        assert len(answers) == len(forged)
        assert [a["ok"] for a in answers] == [False] * 10 + [True]  # only "soon" is mended: time spent counts 0
        assert all(a["message"] for a in answers[:10]) and "made as mallory" in answers[8]["message"]
        store = open_store(url)
        saved = store.get(article_id, first)
        assert (saved.status, saved.seconds_spent, saved.version) == ("Supported", 0.0, 1)
        assert [e.field for e in store.audit(article_id, first)] == ["status"]


def test_a_key_pressed_as_the_page_turned_to_another_article_decides_the_claim_that_was_on_screen(app_env,
                                                                                                   tmp_path):
    """A key pressed just after "Check article", before the new article's deck is drawn, decides the claim the
    analyst still saw: the action names its article, and it is applied there, not refused and lost."""
    url = f"sqlite:///{tmp_path / 'turned.db'}"
    with _reviewing_in(url) as (at, deck):
        demo_id, first = deck.data()["article"], deck.claim["id"]
        at.radio(key="source").set_value("Paste text").run()
        at.text_area(key="pasted").input("The port of Varna reopened on May 2 after repairs, officials said.").run()
        _keyed(at.date_input, "article_date_").set_value(date(2024, 5, 6)).run()
        at.button(key="check").click().run()
        assert deck.data()["article"] != demo_id
        deck.pending = [{"seq": "earlier-deck:1", "article": demo_id, "reviewer": "ana", "kind": "decide",
                         "claim": first, "status": "Conflicted", "note": "", "version": 0, "seconds": 1}]
        [answer] = deck._send(None)
        assert answer["ok"] and answer["message"].startswith("On “Lavrov to visit Pyongyang")
        saved = open_store(url).get(demo_id, first)
        assert (saved.status, saved.reviewer) == ("Conflicted", "ana")
        # ...and one on an article with no stored check is refused with a reason.
        deck.pending = [{"seq": "earlier-deck:2", "article": "art-none", "reviewer": "ana", "kind": "decide",
                         "claim": first, "status": "Supported", "note": "", "version": 1, "seconds": 1}]
        [refused] = deck._send(None)
        assert not refused["ok"] and "not stored" in refused["message"]
