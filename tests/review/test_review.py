"""The review store on SQLite and on a real PostgreSQL server: versions, concurrency, the audit log; and the CSV."""

from __future__ import annotations

import threading

import pytest

from common.files import write_atomic
from review.export import (
    COLUMNS,
    ImportError_,
    import_rows,
    neutralise,
    read_csv,
    restore,
    review_rows,
    to_csv,
)
from review.store import ReviewStoreError, open_store
from review.types import DEFAULT_STATUSES, Review, ReviewConflict

pytestmark = pytest.mark.integration


@pytest.fixture
def store(store_url):
    store = open_store(store_url)
    yield store
    store.close()


def test_save_reload_and_audit(store, store_url):
    saved = store.save(Review("art", "c1", status="Supported", note="matches TASS", reviewer="ana"))
    assert saved.version == 1 and saved.reviewed_at
    store.save(Review("art", "c1", status="Conflicted", note="matches TASS", reviewer="ben", version=1))
    reopened = open_store(store_url)
    current = reopened.get("art", "c1")
    assert (current.status, current.reviewer, current.version) == ("Conflicted", "ben", 2)
    trail = [(e.field, e.old, e.new, e.who) for e in reopened.audit("art", "c1")]
    assert trail == [("status", "Unreviewed", "Supported", "ana"), ("note", "", "matches TASS", "ana"),
                     ("status", "Supported", "Conflicted", "ben")]


def test_every_save_leaves_an_audit_row_even_one_that_keeps_the_status(store):
    # "Use mine" with the same status as the other reviewer's: who and when change, status and note do not.
    store.save(Review("art", "c1", status="Supported", reviewer="ana"))
    kept = store.save(Review("art", "c1", status="Supported", reviewer="ben", version=1))
    trail = [(e.field, e.old, e.new, e.who, e.at) for e in store.audit("art", "c1")]
    assert len(trail) == 2 and trail[-1] == ("status", "Supported", "Supported", "ben", kept.reviewed_at)
    assert len(store.audit("art")) == 2


HOSTILE = ("x'); DROP TABLE reviews; --", 'Robert"); DELETE FROM audit; --', "100% ? %s %(x)s \\ '' \"",
           "<script>alert(1)</script>", "=HYPERLINK(\"http://evil\")")


def test_hostile_ids_names_and_notes_are_stored_as_data(store, store_url):
    for value in HOSTILE:
        store.save(Review(value, value, status="Conflicted", note=value, reviewer=value))
        store.save_article(value, text=value, title=value)
    reopened = open_store(store_url)
    for value in HOSTILE:
        review = reopened.get(value, value)
        assert (review.status, review.note, review.reviewer) == ("Conflicted", value, value)
        assert [(e.field, e.new, e.who) for e in reopened.audit(value)] == [
            ("status", "Conflicted", value), ("note", value, value)]
    assert reopened.get("art", "c1").status == "Unreviewed"  # the tables are all still there


def test_stale_save_is_a_conflict_not_a_lost_write(store):
    store.save(Review("art", "c1", status="Supported", reviewer="ana"))
    with pytest.raises(ReviewConflict) as caught:
        store.save(Review("art", "c1", status="Conflicted", reviewer="ben", version=0))
    assert caught.value.current.status == "Supported"
    assert store.get("art", "c1").status == "Supported"


def test_first_saves_race_too(store, store_url):
    """Two reviewers who both loaded an unreviewed claim: only one first save wins."""
    other = open_store(store_url)
    store.save(Review("art", "c9", status="Supported", reviewer="ana", version=0))
    with pytest.raises(ReviewConflict):
        other.save(Review("art", "c9", status="Conflicted", reviewer="ben", version=0))
    other.close()


def test_articles_are_kept_for_reopening(store):
    store.save_article("art-1", "Text of the article.", title="T", outlet="O", published="2018-04-10", origin="x")
    store.save_article("art-1", "Text of the article.", title="T")  # saving again changes nothing
    assert [a["id"] for a in store.articles()] == ["art-1"]
    assert store.article_text("art-1") == "Text of the article." and store.article_text("nope") is None


def test_two_writers_1000_interleaved_edits_lose_nothing(store_url):
    url = store_url
    open_store(url).close()
    applied = {"ana": 0, "ben": 0}
    conflicts = {"ana": 0, "ben": 0}

    def writer(name: str) -> None:
        store = open_store(url)
        done = 0
        while done < 500:
            current = store.get("art", "c1")
            try:
                store.save(Review("art", "c1", status="Supported", note=f"{name}-{done}", reviewer=name,
                                  version=current.version))
                done += 1
            except ReviewConflict:
                conflicts[name] += 1
        applied[name] = done
        store.close()

    _run_together(writer, ("ana", "ben"))
    store = open_store(url)
    final = store.get("art", "c1")
    assert final.version == 1000 == applied["ana"] + applied["ben"]
    notes = [e.new for e in store.audit("art", "c1") if e.field == "note"]
    assert len(notes) == 1000 and len(set(notes)) == 1000


def _run_together(work, names) -> None:
    """One thread per reviewer name, all started before any is joined, so their writes interleave."""
    threads = [threading.Thread(target=work, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_unknown_store_url():
    with pytest.raises(ReviewStoreError, match="not supported"):
        open_store("mysql://x")


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised_and_restored(cell):
    assert neutralise(cell).startswith("'")
    assert restore(neutralise(cell)) == cell


def test_csv_round_trips(demo_result, tmp_path):
    article = demo_result.article
    reviews = {demo_result.claims[0].claim.id: Review(article.id, demo_result.claims[0].claim.id, "Conflicted",
                                                      note="=cmd|' /C calc'!A0", reviewer="ana")}
    rows = review_rows(article, list(demo_result.claims), reviews)
    text = to_csv(rows)
    assert "'=cmd" in text
    back = read_csv(text)
    assert back == [{k: f"{v:.3f}" if isinstance(v, float) else str(v) for k, v in row.items()} for row in rows]
    assert to_csv(back) == text
    assert list(back[0]) == list(COLUMNS)
    approved = review_rows(article, list(demo_result.claims), reviews, approved_only=True)
    assert len(approved) == 1 and approved[0]["analyst_verdict"] == "Conflicted"
    write_atomic(tmp_path / "review.csv", text)
    assert (tmp_path / "review.csv").read_bytes() == text.encode("utf-8")
    assert not list(tmp_path.glob(".review.csv.*"))


def test_the_long_format_has_every_passage_ranked_with_its_article_and_links(demo_result):
    import json

    from review.export import to_json

    article, checked = demo_result.article, list(demo_result.claims)
    top = review_rows(article, checked, {})
    every = review_rows(article, checked, {}, evidence="all")
    assert len(top) == len(checked)
    assert len(every) == sum(max(1, len(item.evidence)) for item in checked) > len(top)
    first = checked[0]
    rows = [r for r in every if r["claim_id"] == first.claim.id]
    assert [r["evidence_rank"] for r in rows] == list(range(1, len(first.evidence) + 1))
    assert [r["evidence_id"] for r in rows] == [e.passage.id for e in first.evidence]
    assert all(r["evidence_url"].startswith("https://") and r["evidence_title"] for r in rows)
    assert {r["article_title"] for r in every} == {article.title} and {r["article_published"] for r in every} == {
        "2018-04-10"}
    assert rows[0]["evidence_role"] and rows[0]["verdict_reason"] == first.verdict.reason
    # JSON keeps numbers as numbers; the CSV writes them with three decimals.
    exported = json.loads(to_json(every, {"id": article.id}, {}))
    assert isinstance(exported["rows"][0]["model_confidence"], float)
    stances = {(item.claim.id, e.passage.id): s for item in checked for e, s in zip(item.evidence, item.stances)}
    read = [r for r in exported["rows"] if r["evidence_id"] and stances[r["claim_id"], r["evidence_id"]].weighed]
    assert read and all(isinstance(r["evidence_score"], float) for r in read)
    # A passage about something else was not read by the stance model: it has no score, and its role says why.
    unread = [r for r in exported["rows"] if r["evidence_id"] and not stances[r["claim_id"], r["evidence_id"]].weighed]
    assert unread and all(r["evidence_score"] == "" and r["evidence_role"] == "unrelated" for r in unread)
    assert read_csv(to_csv(every))[0]["model_confidence"] == f"{every[0]['model_confidence']:.3f}"
    with pytest.raises(ValueError, match="evidence must be"):
        review_rows(article, checked, {}, evidence="some")


def test_a_csv_from_before_the_later_columns_still_imports(demo_result, tmp_path):
    from review.export import COLUMNS

    article, checked = demo_result.article, list(demo_result.claims)
    reviews = {checked[0].claim.id: Review(article.id, checked[0].claim.id, "Supported", reviewer="ana")}
    rows = review_rows(article, checked, reviews, evidence="all")
    old_columns = COLUMNS[:22]
    old = to_csv(rows).splitlines()
    # Rewrite the file with the first 22 columns only, as exports were written before the later ones.
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=old_columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv.DictReader(io.StringIO("\r\n".join(old))))
    fresh = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    # The long format repeats the decided claim once per passage; it is imported once.
    assert import_rows(fresh, read_csv(buffer.getvalue()), {s.name for s in DEFAULT_STATUSES}) == 1
    assert [e.field for e in fresh.audit(article.id)] == ["status"]
    # Rows of one claim edited apart are refused, not resolved by whichever comes first.
    edited = read_csv(buffer.getvalue())
    repeated = next(i for i, r in enumerate(edited) if i and r["claim_id"] == edited[i - 1]["claim_id"])
    edited[repeated]["note"] = "changed on a second row"
    with pytest.raises(ImportError_, match="two different decisions"):
        import_rows(open_store(f"sqlite:///{tmp_path / 'other.db'}"), edited, {s.name for s in DEFAULT_STATUSES})


def test_exports_get_the_users_umask_and_a_name_that_says_date_and_story(tmp_path):
    import os

    from review.export import review_filename

    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "shared.csv", "a,b\r\n")
        assert (tmp_path / "shared.csv").stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        write_atomic(tmp_path / "private.csv", "a,b\r\n")
        assert (tmp_path / "private.csv").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(previous)
    article = {"id": "art-1", "title": "Lavrov accepts invitation: Pyongyang, Señor/../x", "published": "2018-04-10"}
    assert review_filename(article, ".csv") == "2018-04-10-lavrov-accepts-invitation-pyongyang-senor-x-review.csv"
    assert review_filename({"id": "art-1", "title": "", "published": None}, ".json") == "art-1-review.json"


def test_export_import_into_a_fresh_store_export_again_is_identical(demo_result, store_url, tmp_path):
    article, checked = demo_result.article, list(demo_result.claims)
    first = open_store(f"sqlite:///{tmp_path / 'first.db'}")
    for item, status in zip(checked[:3], ["Supported", "Conflicted", "Not check-worthy"]):
        first.save(Review(article.id, item.claim.id, status=status, note=f"@{status} =check", reviewer="ana"))
    exported = to_csv(review_rows(article, checked, first.reviews(article.id)))

    fresh = open_store(store_url)
    statuses = {s.name for s in DEFAULT_STATUSES}
    assert import_rows(fresh, read_csv(exported), statuses) == 3
    assert to_csv(review_rows(article, checked, fresh.reviews(article.id))) == exported
    assert [e.who for e in fresh.audit(article.id)] == ["ana"] * 6

    bad = read_csv(exported)
    bad[1]["analyst_verdict"] = "Probably fine"
    with pytest.raises(ImportError_, match="line 3"):
        import_rows(open_store(f"sqlite:///{tmp_path / 'other.db'}"), bad, statuses)


def test_blind_double_review_hides_then_reveals_and_lists_disagreements(store):
    from review.store import BlindReviewClosed

    store.submit_blind(Review("art", "c1", status="Supported", note="TASS agrees", reviewer="ana"))
    store.submit_blind(Review("art", "c1", status="Inconclusive", reviewer="ana"))  # a change of mind, still blind
    ben_sees = store.blind_view("art", "c1", "ben")
    assert ben_sees.mine is None and ben_sees.submitted == 1 and ben_sees.revealed == ()
    assert not ben_sees.is_revealed
    assert store.get("art", "c1").status == "Unreviewed"  # nothing final yet
    assert store.disagreements("art") == []

    view = store.submit_blind(Review("art", "c1", status="Conflicted", reviewer="ben"))
    assert view.is_revealed and view.agreed is None
    assert {(r.reviewer, r.status) for r in view.revealed} == {("ana", "Inconclusive"), ("ben", "Conflicted")}
    [open_item] = store.disagreements("art")
    assert open_item.claim_id == "c1" and open_item.settled.status == "Unreviewed"
    with pytest.raises(BlindReviewClosed):
        store.submit_blind(Review("art", "c1", status="Supported", reviewer="ana"))

    store.save(Review("art", "c1", status="Conflicted", note="settled after discussion", reviewer="cho"))
    [settled] = store.disagreements("art")
    assert settled.settled.status == "Conflicted" and settled.settled.reviewer == "cho"
    fields = [(e.field, e.who) for e in store.audit("art", "c1")]
    assert fields.count(("blind status", "ana")) == 2 and ("blind status", "ben") in fields


def test_blind_agreement_settles_the_claim(store):
    store.submit_blind(Review("art", "c2", status="Supported", note="matches", reviewer="ana"))
    store.retract_blind("art", "c2", "ana")  # undo, then decide again
    assert store.blind_view("art", "c2", "ana").mine is None
    store.submit_blind(Review("art", "c2", status="Supported", note="matches", reviewer="ana", seconds_spent=30))
    view = store.submit_blind(Review("art", "c2", status="Supported", reviewer="ben", seconds_spent=12))
    assert view.agreed == "Supported"
    final = store.get("art", "c2")
    assert (final.status, final.reviewer, final.note, final.seconds_spent) == ("Supported", "ana + ben",
                                                                               "ana: matches", 42)
    assert store.disagreements("art") == []


def test_blind_reveal_is_atomic_under_racing_reviewers(store_url):
    """Three reviewers race for the two blind slots of 40 claims: exactly two decisions land on each."""
    from review.store import BlindReviewClosed

    open_store(store_url).close()
    closed = {"n": 0}
    lock = threading.Lock()

    def reviewer(name: str) -> None:
        store = open_store(store_url)
        for i in range(40):
            try:
                store.submit_blind(Review("race", f"c{i}", status="Supported", reviewer=name))
            except BlindReviewClosed:
                with lock:
                    closed["n"] += 1
        store.close()

    _run_together(reviewer, ("ana", "ben", "cho"))
    store = open_store(store_url)
    views = store.blind_views("race", "ana")
    assert len(views) == 40 and all(v.submitted == 2 for v in views.values())
    assert closed["n"] == 40
    assert all(store.get("race", f"c{i}").version == 1 for i in range(40))


def test_undo_is_kept_in_the_store_per_analyst_and_article(store):
    """What a decision replaced is kept in the store, so a reload or a restarted dashboard can still undo it;
    each analyst steps back through their own decisions only, last first, at most UNDO_DEPTH of them."""
    from review.store import UNDO_DEPTH

    assert store.pop_undo("a1", "ana") is None and not store.can_undo("a1", "ana")
    store.push_undo("ana", 0, Review("a1", "c1"))
    store.push_undo("ana", 1, Review("a1", "c2", status="Supported", note="wire copy", version=3))
    store.push_undo("ben", 4, Review("a1", "c5", status="Conflicted"))
    store.push_undo("ana", 7, Review("a2", "c9"))
    assert store.can_undo("a1", "ana")
    position, before = store.pop_undo("a1", "ana")
    assert position == 1 and (before.claim_id, before.status, before.note, before.version) == (
        "c2", "Supported", "wire copy", 3)
    assert store.pop_undo("a1", "ana")[1].claim_id == "c1"
    assert store.pop_undo("a1", "ana") is None and store.can_undo("a1", "ben") and store.can_undo("a2", "ana")
    for n in range(UNDO_DEPTH + 5):
        store.push_undo("cy", n, Review("a1", f"c{n}"))
    steps = []
    while (last := store.pop_undo("a1", "cy")) is not None:
        steps.append(last[0])
    assert steps == list(range(UNDO_DEPTH + 4, 4, -1))
