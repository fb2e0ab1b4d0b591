"""`claimdesk backup` / `restore`: a backup restored into a fresh store exports the same rows, on both engines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimdesk.results import load_result, store_result
from review.backup import backup, restore
from review.export import review_rows, to_csv
from review.store import ReviewStoreError, open_store
from review.types import Review
from tests.postgres import fresh_database

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def _fresh(store_url: str, tmp_path: Path, request) -> str:
    if store_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored' / 'reviews.db'}"
    return fresh_database(request.getfixturevalue("postgres_server"))


def _export(url: str, article_id: str) -> tuple[str, list]:
    store = open_store(url)
    try:
        result = load_result(store, article_id)
        rows = to_csv(review_rows(result.article, list(result.claims), store.reviews(article_id)))
        trail = [(e.claim_id, e.field, e.old, e.new, e.who, e.at) for e in store.audit(article_id)]
        return rows, trail
    finally:
        store.close()


def test_a_backup_restored_into_a_fresh_store_exports_identical_rows(demo_result, store_url, tmp_path, request):
    store = open_store(store_url)
    store_result(store, demo_result)
    article = demo_result.article
    for item, status in zip(demo_result.claims[:3], ["Supported", "Conflicted", "Not check-worthy"]):
        store.save(Review(article.id, item.claim.id, status=status, note=f"=note {status}", reviewer="ana"))
    store.close()
    saved = backup(store_url, tmp_path / "reviews.backup")
    assert saved["reviews"] == 3 and saved["articles"] == 1 and saved["bytes"] > 0
    fresh = _fresh(store_url, tmp_path, request)
    restored = restore(fresh, tmp_path / "reviews.backup")
    assert {k: restored[k] for k in ("reviews", "audit", "articles", "checks")} == {
        k: saved[k] for k in ("reviews", "audit", "articles", "checks")}
    assert _export(fresh, article.id) == _export(store_url, article.id)
    # The restored store takes new decisions: its versions and audit ids carry on.
    again = open_store(fresh)
    current = again.get(article.id, demo_result.claims[0].claim.id)
    again.save(Review(article.id, current.claim_id, status="Conflicted", note=current.note, reviewer="ben",
                      version=current.version))
    assert len(again.audit(article.id)) == restored["audit"] + 1
    # A store with reviews is not overwritten unless asked.
    with pytest.raises(ReviewStoreError, match="--replace"):
        restore(fresh, tmp_path / "reviews.backup")
    assert restore(fresh, tmp_path / "reviews.backup", replace=True)["reviews"] == 3


def test_a_bad_backup_file_is_one_line_and_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    open_store(url).save(Review("art", "c1", status="Supported", reviewer="ana"))
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"\x00not a database" * 100)
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(ReviewStoreError, match="not a SQLite backup|not a Claimdesk"):
        restore(empty, junk)
    with pytest.raises(ReviewStoreError, match="that is the review store itself"):
        backup(url, tmp_path / "reviews.db")
    with pytest.raises(ReviewStoreError, match="no such folder"):
        backup(url, tmp_path / "missing" / "x.backup")
    assert open_store(url).get("art", "c1").status == "Supported"


def test_backup_and_restore_through_the_cli(tmp_path):
    env = {**os.environ, "CLAIMDESK_DATA_DIR": str(tmp_path / "data"),
           "CLAIMDESK_REVIEW_URL": f"sqlite:///{tmp_path / 'reviews.db'}"}
    open_store(env["CLAIMDESK_REVIEW_URL"]).save(Review("art", "c1", status="Supported", reviewer="ana"))

    def cli(*args, **extra):
        return subprocess.run([sys.executable, "-m", "claimdesk.cli", *args], capture_output=True, text=True,
                              cwd=REPO, timeout=120, env={**env, **extra})

    done = cli("backup", str(tmp_path / "b.db"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reviews"] == 1
    refused = cli("restore", str(tmp_path / "b.db"))
    assert refused.returncode == 2 and "--replace" in refused.stderr and refused.stderr.count("\n") == 1
    done = cli("restore", str(tmp_path / "b.db"), CLAIMDESK_REVIEW_URL=f"sqlite:///{tmp_path / 'new.db'}")
    assert done.returncode == 0 and json.loads(done.stdout)["reviews"] == 1
