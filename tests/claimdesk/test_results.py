"""Stored check results: a result survives the store unchanged, export reads it instead of checking again, and a
re-check keeps the analyst's decisions on the claims it finds again."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from claimdesk.results import CheckResult, load_result, store_result
from review.store import open_store
from review.types import Review

pytestmark = pytest.mark.integration

REPO_ARTICLE = "corpus/demo_article.md"


def test_a_result_round_trips_through_its_record_exactly(demo_result):
    record = json.loads(json.dumps(demo_result.to_record()))
    assert CheckResult.from_record(record) == demo_result
    assert demo_result.provenance.encoder and demo_result.provenance.stance_model_sha256
    assert demo_result.provenance.index["engine"] == "embedded" and demo_result.provenance.index["passages"] > 0
    assert demo_result.provenance.settings["evidence_before"] == "2018-04-10"


def test_a_record_of_another_version_is_refused(demo_result):
    record = demo_result.to_record()
    with pytest.raises(ValueError, match="version"):
        CheckResult.from_record({**record, "version": 999})


def test_the_store_keeps_the_latest_check_and_counts_decisions(demo_result, store_url):
    store = open_store(store_url)
    article = demo_result.article
    assert load_result(store, article.id) is None
    store_result(store, demo_result)
    first = demo_result.claims[0].claim.id
    store.save(Review(article.id, first, status="Conflicted", reviewer="ana"))
    listed = store.articles()
    assert [(a["id"], a["claims"], a["reviewed"]) for a in listed] == [(article.id, len(demo_result.claims), 1)]
    # A re-check with fewer claims replaces the stored result; the decision stays with its claim id.
    fewer = replace(demo_result, claims=demo_result.claims[:3])
    store_result(store, fewer)
    assert load_result(store, article.id) == fewer
    assert store.reviews(article.id)[first].status == "Conflicted"
    assert store.articles()[0]["claims"] == 3


def run(args: list[str], data_dir, cwd=None) -> subprocess.CompletedProcess:
    env = {"CLAIMDESK_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "HOME": str(data_dir), "CI": "true"}
    return subprocess.run([sys.executable, "-m", "claimdesk.cli", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=600)


@pytest.mark.slow
def test_export_reads_the_stored_result_and_never_checks_again(tmp_path):
    """After a check, the corpus changes (a retrain or a new archive would do the same): the export still shows the
    evidence the analyst reviewed, carries the provenance, and only an explicit recheck picks up the change."""
    import shutil

    from tests.conftest import REPO

    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus" / "demo", corpus)
    store_dir = tmp_path / "data"
    done = run(["check", str(REPO / REPO_ARTICLE), "--corpus", str(corpus), "--out", str(tmp_path / "c.json")],
               store_dir, cwd=REPO)
    assert done.returncode == 0, done.stderr
    checked = json.loads((tmp_path / "c.json").read_text())
    article_id = checked["article"]["id"]
    assert f"article {article_id}:" in done.stderr
    listed = run(["list", "--json"], store_dir, cwd=REPO)
    assert [(a["id"], a["claims"], a["reviewed"]) for a in json.loads(listed.stdout)] == [
        (article_id, len(checked["claims"]), 0)]

    # The corpus loses every document; an export must not notice.
    for path in corpus.iterdir():
        path.unlink()
    (corpus / "empty.jsonl").write_text('{"id": "x", "text": "Nothing about the article at all."}\n')
    done = run(["export", article_id, "--out", str(tmp_path / "review.json")], store_dir, cwd=REPO)
    assert done.returncode == 0, done.stderr
    exported = json.loads((tmp_path / "review.json").read_text())
    assert exported["provenance"] == checked["provenance"]
    assert exported["article"] == checked["article"]
    assert [r["evidence_id"] for r in exported["rows"]] == [
        c["evidence"][0]["id"] if c["evidence"] else "" for c in checked["claims"]]
    done = run(["export", article_id, "--out", str(tmp_path / "review.csv")], store_dir, cwd=REPO)
    assert done.returncode == 0, done.stderr
    sidecar = json.loads((tmp_path / "review.csv.provenance.json").read_text())
    assert sidecar == checked["provenance"]

    # The index brought up to date, then an explicit recheck: none of that evidence is left.
    assert run(["index", str(corpus)], store_dir, cwd=REPO).returncode == 0
    done = run(["recheck", article_id, "--corpus", str(corpus), "--out", str(tmp_path / "again.json")], store_dir,
               cwd=REPO)
    assert done.returncode == 0, done.stderr
    again = json.loads((tmp_path / "again.json").read_text())
    assert again["provenance"]["checked_at"] >= checked["provenance"]["checked_at"]
    assert {e["doc_id"] for c in again["claims"] for e in c["evidence"]} <= {"x"}
    assert run(["export", "art-000000000000", "--out", str(tmp_path / "x.csv")], store_dir, cwd=REPO).returncode == 2
