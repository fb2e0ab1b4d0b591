"""The evaluation commands on small slices of the shared dev sets (measurement data, never fixtures)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_path

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def cli(args, data_dir, **extra_env):
    env = {**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir), **extra_env}
    done = subprocess.run([sys.executable, "-m", "claimdesk.cli", *args], capture_output=True, text=True, cwd=REPO,
                          env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def climate_slice(tmp_path_factory) -> Path:
    """25 claims with evidence, their gold and distractor passages, and 150 unrelated passages."""
    source = shared_path("data", "eval", "climate_fever")
    claims = [json.loads(line) for line in (source / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    chosen = [c for c in claims if c["evidence_ids"]][:25]
    needed = {i for c in chosen for i in c["evidence_ids"] + c["related_ids"]}
    corpus = [json.loads(line) for line in (source / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    kept = [r for r in corpus if r["id"] in needed] + [r for r in corpus if r["id"] not in needed][:150]
    ids = {c["id"] for c in chosen}
    lines = (source / "pairs.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    pairs = [line for line in lines if json.loads(line)["claim_id"] in ids]
    target = tmp_path_factory.mktemp("climate_slice")
    (target / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in chosen), encoding="utf-8")
    (target / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")
    (target / "pairs.jsonl").write_text("".join(pairs), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def slice_eval(climate_slice, data_dir, tmp_path_factory) -> tuple[Path, Path]:
    """`claimdesk eval` on the slice, run once: (report, predictions)."""
    out = tmp_path_factory.mktemp("slice_eval")
    report_path, preds_path = out / "report.json", out / "preds.jsonl"
    cli(["eval", "--data", str(climate_slice), "--out", str(report_path), "--predictions", str(preds_path)], data_dir)
    return report_path, preds_path


def test_eval_reports_every_stage_and_writes_predictions(climate_slice, slice_eval):
    report_path, preds_path = slice_eval
    report = json.loads(report_path.read_text(encoding="utf-8"))
    from common.model_files import sha256_of
    from retrieval.encoder import RETRIEVER_ID

    models = report["models"]
    assert models["encoder"].startswith(RETRIEVER_ID + "@") and models["reranker_sha256"] is None
    assert models["stance_model_sha256"] == sha256_of(REPO / "verification" / "model" / "stance.onnx")
    # The claims the stance model trained on are counted, so nobody reads their figures as held out.
    from evaluation.devset import DevSplit

    split = DevSplit.of_dir(climate_slice)
    manifest = json.loads((REPO / "verification" / "model" / "manifest.json").read_text(encoding="utf-8"))
    claims = [json.loads(line) for line in (climate_slice / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    seen = sum(1 for c in claims if split.fold(c["id"]) in manifest["domain_folds"])
    assert report["stance_model_domain_folds"] == manifest["domain_folds"]
    assert report["claims_seen_by_stance_model"] == seen > 0
    # And the claims the retrieval fine-tune learned to find (those with evidence, in the folds it trained on).
    learned = json.loads((REPO / "retrieval" / "retriever" / "manifest.json").read_text(encoding="utf-8"))
    trained = sum(1 for c in claims if c.get("evidence_ids") and split.fold(c["id"]) in learned["trained_folds"])
    assert report["claims_seen_by_retriever"] == trained > 0
    from retrieval import search

    assert report["search"] == {"fusion": "min-max scaled scores", "dense_share": search.DENSE_SHARE,
                                "candidates_per_engine": search.CANDIDATES}
    retrieval = report["retrieval"]
    assert retrieval["claims"] == 25
    assert {"hit@1", "hit@5", "hit@10", "recall@5", "recall@10"} <= set(retrieval)
    assert retrieval["hit@1"] <= retrieval["hit@5"] <= retrieval["hit@10"]
    # On a 200-passage slice that holds every gold passage, hybrid search must find most of them.
    assert retrieval["hit@10"] >= 0.6
    # Climate-FEVER lists each claim's on-topic, non-deciding sentences: the report splits the misses by them.
    topic = report["retrieval_topic"]
    assert topic["claims"] == 25
    assert retrieval["hit@5"] <= topic["topic_hit@5"] <= topic["topic_hit@10"]
    assert topic["topic_only@5"] == pytest.approx(topic["topic_hit@5"] - retrieval["hit@5"], abs=1e-3)
    for stage in ("stance", "verdict"):
        assert {"accuracy", "macro_f1", "per_class"} <= set(report[stage])
        assert set(report[stage]["per_class"]) == {"SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO"}
    # Every headline figure comes with a bootstrap interval over claims that holds it.
    ci = report["ci95"]
    assert ci["method"].startswith("percentile bootstrap over claims")
    assert set(ci["retrieval"]) == {"hit@1", "hit@5", "hit@10", "recall@5", "recall@10", "mrr@10"}
    for stage, figure in (("retrieval", "hit@5"), ("retrieval", "mrr@10"), ("stance", "macro_f1"),
                          ("verdict", "macro_f1"), ("verdict", "accuracy")):
        low, high = ci[stage][figure]
        assert low <= report[stage][figure] <= high and low < high
    rows = [json.loads(line) for line in preds_path.read_text(encoding="utf-8").splitlines()]
    by_type = {t: [r for r in rows if r["type"] == t] for t in ("retrieval", "stance", "verdict")}
    assert len(by_type["retrieval"]) == 25 and len(by_type["verdict"]) == 25
    assert all(len(r["ranked_ids"]) <= 10 for r in by_type["retrieval"])
    assert len(by_type["stance"]) == report["stance"]["n"] > 0
    assert all(set(r["scores"]) == {"SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO"} for r in by_type["stance"])


def test_eval_compare_pairs_two_systems_claim_by_claim(climate_slice, slice_eval, data_dir, tmp_path):
    """The product's predictions against themselves and against an oracle that answers every claim right."""
    _, preds_path = slice_eval
    rows = [json.loads(line) for line in preds_path.read_text(encoding="utf-8").splitlines()]
    claims = {c["id"]: c for c in map(json.loads, (climate_slice / "claims.jsonl").read_text().splitlines())}
    pairs = {p["id"]: p for p in map(json.loads, (climate_slice / "pairs.jsonl").read_text().splitlines())}
    oracle = []
    for row in rows:
        if row["type"] == "retrieval":
            row = {**row, "ranked_ids": claims[row["claim_id"]]["evidence_ids"] + row["ranked_ids"]}
        elif row["type"] == "verdict":
            row = {**row, "label": claims[row["claim_id"]]["label"]}
        elif row["type"] == "stance":
            row = {**row, "label": pairs[row["pair_id"]]["label"]}
        oracle.append(row)
    oracle_path = tmp_path / "oracle.jsonl"
    oracle_path.write_text("".join(json.dumps(r) + "\n" for r in oracle), encoding="utf-8")

    same = json.loads(cli(["eval-compare", "--data", str(climate_slice), str(preds_path), str(preds_path)],
                          data_dir).stdout)
    assert same["retrieval"]["claims"] == 25 and same["verdict"]["verdicts"] == 25
    for stage, figure in (("retrieval", "hit@5"), ("stance", "macro_f1"), ("verdict", "macro_f1")):
        assert same[stage][figure]["difference"] == 0 and same[stage][figure]["ci95"] == [0, 0]
        assert same[stage][figure]["resolved"] is False

    out = tmp_path / "compare.json"
    cli(["eval-compare", "--data", str(climate_slice), str(preds_path), str(oracle_path), "--out", str(out)], data_dir)
    better = json.loads(out.read_text(encoding="utf-8"))
    from evaluation.metrics import classification_report
    from verification.types import STANCES

    # Perfect answers score 1, except that a class the slice lacks counts 0 in macro-F1 (evaluation.metrics).
    perfect = {"retrieval": 1.0, **{stage: classification_report(gold, gold, STANCES)["macro_f1"] for stage, gold in (
        ("stance", [r["label"] for r in oracle if r["type"] == "stance"]),
        ("verdict", [r["label"] for r in oracle if r["type"] == "verdict"]))}}
    for stage, figure in (("retrieval", "hit@1"), ("stance", "macro_f1"), ("verdict", "macro_f1")):
        entry = better[stage][figure]
        assert entry["candidate"] == perfect[stage]
        assert entry["difference"] == pytest.approx(perfect[stage] - entry["baseline"], abs=1e-4)
        assert entry["resolved"] is True and 0 < entry["ci95"][0] <= entry["difference"] <= entry["ci95"][1]

    # A broken file is one line on stderr and exit 2; so are two files with nothing in common.
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b'{"type": "verdict", "claim_id": "x", "label": "SUPPORTS"}\n{not json\n')
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage\n")
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text('{"type": "verdict", "claim_id": "x", "label": "=HYPERLINK(1)"}\n', encoding="utf-8")
    for candidate, message in ((broken, "broken.jsonl:2: not valid JSON"), (empty, "share no predictions"),
                               (binary, "binary.jsonl:1: not UTF-8"), (wrong, "label must be one of")):
        done = subprocess.run([sys.executable, "-m", "claimdesk.cli", "eval-compare", "--data", str(climate_slice),
                               str(preds_path), str(candidate)], capture_output=True, text=True, cwd=REPO,
                              env={**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir)}, timeout=120)
        assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_eval_splits_keep_their_folds_claims_which_no_shipped_model_trained_on(climate_slice, data_dir, tmp_path):
    from evaluation.devset import DevSplit

    split = DevSplit.of_dir(climate_slice)
    claims = [json.loads(line) for line in (climate_slice / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    verdicts = {}
    for fold in ("heldout", "calibrate"):
        preds = tmp_path / f"{fold}.jsonl"
        report = json.loads(cli(["eval", "--data", str(climate_slice), "--split", fold, "--predictions", str(preds)],
                                data_dir).stdout)
        verdicts[fold] = {json.loads(line)["claim_id"] for line in preds.read_text(encoding="utf-8").splitlines()
                          if json.loads(line)["type"] == "verdict"}
        assert verdicts[fold] == {c["id"] for c in claims if split.fold(c["id"]) == fold}
        assert report["split"] == fold and report["dev_split_version"] == 2
        assert report["claims_seen_by_stance_model"] == 0
        learned = json.loads((REPO / "retrieval" / "retriever" / "manifest.json").read_text(encoding="utf-8"))
        with_evidence = sum(1 for c in claims if split.fold(c["id"]) == fold and c.get("evidence_ids"))
        assert report["claims_seen_by_retriever"] == (with_evidence if fold in learned["trained_folds"] else 0)
    assert verdicts["heldout"] and verdicts["calibrate"] and not verdicts["heldout"] & verdicts["calibrate"]


def test_a_dev_set_with_a_broken_row_is_refused_in_one_line_before_any_indexing(climate_slice, data_dir, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(climate_slice, broken)
    with open(broken / "pairs.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "p-x", "claim": "A claim."}) + "\n")
    rows = len((broken / "pairs.jsonl").read_text(encoding="utf-8").splitlines())
    done = subprocess.run([sys.executable, "-m", "claimdesk.cli", "eval", "--data", str(broken), "--split", "heldout",
                           "--out", str(tmp_path / "report.json")], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "CLAIMDESK_DATA_DIR": str(tmp_path / "fresh")}, timeout=300)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert f"pairs.jsonl: row {rows}: no claim_id, evidence, label" in done.stderr
    assert not (tmp_path / "report.json").exists() and not (tmp_path / "fresh" / "index").exists()


def test_eval_indexes_its_own_corpus_even_when_checks_search_milvus(climate_slice, data_dir, tmp_path):
    """A deployment's CLAIMDESK_VECTOR_URL names the newsroom's corpus; `eval --data DIR` must still search DIR."""
    report_path = tmp_path / "report.json"
    cli(["eval", "--data", str(climate_slice), "--out", str(report_path)], data_dir,
        CLAIMDESK_VECTOR_URL=f"milvus-lite://{tmp_path / 'newsroom.db'}")
    assert json.loads(report_path.read_text(encoding="utf-8"))["retrieval"]["hit@10"] >= 0.6


def test_eval_attribution_on_polnear_documents(tmp_path, data_dir):
    source = shared_path("data", "eval", "polnear_dev")
    target = tmp_path / "polnear"
    (target / "text").mkdir(parents=True)
    (target / "attributions").mkdir()
    for text in sorted((source / "text").glob("*.txt"))[:4]:
        (target / "text" / text.name).write_bytes(text.read_bytes())
        for ann in (source / "attributions").glob(f"{text.stem}_*.ann"):
            (target / "attributions" / ann.name).write_bytes(ann.read_bytes())
    preds = tmp_path / "preds.jsonl"
    done = cli(["eval-attribution", "--data", str(target), "--predictions", str(preds)], data_dir)
    report = json.loads(done.stdout)
    for part in ("source", "cue", "content"):
        assert {"exact", "overlap"} <= set(report["all"][part])
    assert report["all"]["content"]["characters"]["f1"] > 0.2
    assert report["all"]["source"]["overlap"]["f1"] > 0.3
    rows = [json.loads(line) for line in preds.read_text(encoding="utf-8").splitlines()]
    keys = {"doc", "source", "cue", "content", "outlet", "speaker"}
    assert rows and all(r["type"] == "attribution" and keys <= set(r) for r in rows)
    # Offsets index the text file as read.
    row = rows[0]
    text = (target / "text" / f"{row['doc']}.txt").read_text(encoding="utf-8")
    start, end = row["cue"]
    assert text[start:end].strip() and len(text[start:end]) < 40


def test_eval_checkworthy_beats_random_ranking(tmp_path, data_dir):
    source = shared_path("data", "eval", "clef2019_checkworthy")
    target = tmp_path / "clef"
    target.mkdir()
    names = ["20170228_trump_address.tsv", "20181010_medicare.tsv"]
    for name in names:
        (target / name).write_bytes((source / name).read_bytes())
    done = cli(["eval-checkworthy", "--data", str(target)], data_dir)
    report = json.loads(done.stdout)
    assert report["transcripts"] == 2
    prevalence = []
    for name in names:
        with open(target / name, encoding="utf-8", newline="") as handle:
            labels = [int(r[3]) for r in csv.reader(handle, delimiter="\t") if len(r) >= 4]
        prevalence.append(sum(labels) / len(labels))
    # Random ranking scores about the share of positives; the ranking must do clearly better.
    assert report["map"] > 1.5 * (sum(prevalence) / len(prevalence))


def test_topic_report_tells_a_miss_on_the_topic_from_a_miss_off_it():
    from evaluation.retrieval import topic_report

    rankings = {"found": ["other", "gold-a"], "on-topic": ["other", "near-b"], "lost": ["x", "y"],
                "deep": ["1", "2", "3", "4", "5", "near-d"]}
    gold = {"found": {"gold-a"}, "on-topic": {"gold-b"}, "lost": {"gold-c"}, "deep": {"gold-d"}, "none": set()}
    related = {"on-topic": {"near-b"}, "lost": {"near-c"}, "deep": {"near-d"}}
    report = topic_report(rankings, gold, related)
    # The claim without gold evidence is left out, as in hit@k.
    assert report == {"claims": 4, "topic_hit@5": 0.5, "topic_hit@10": 0.75, "topic_only@5": 0.25}
    # A set without related lists (Check-COVID) gets no topic figures rather than figures equal to hit@k.
    assert topic_report(rankings, gold, {}) is None
