"""The stance-training code: its loss, class weights, step budget, and the round trip of a model through
the GPU sweep's chunked export (a remote machine returns files of at most 16 MiB)."""

from __future__ import annotations

import argparse

import pytest

torch = pytest.importorskip("torch")

from training import stance as train  # noqa: E402
from training import sweep  # noqa: E402
from training.loop import Budget  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.mark.unit
def test_focal_loss_without_focus_is_cross_entropy_and_with_focus_spares_easy_pairs():
    logits = torch.tensor([[4.0, 0.0, 0.0], [0.2, 0.1, 0.0], [0.0, 3.0, 0.0]])
    labels = torch.tensor([0, 0, 2])
    ce = torch.nn.functional.cross_entropy(logits, labels)
    assert train.FocalLoss(None, 0.0)(logits, labels).item() == pytest.approx(ce.item(), rel=1e-6)

    easy, hard = logits[:1], logits[1:2]
    target = labels[:1]
    focal, plain = train.FocalLoss(None, 2.0), train.FocalLoss(None, 0.0)
    # The confident, correct pair loses far more of its loss than the uncertain one.
    assert focal(easy, target) / plain(easy, target) < 0.01
    assert focal(hard, target) / plain(hard, target) > 0.3


@pytest.mark.unit
def test_balanced_class_weights_are_inverse_frequency():
    pairs = [("p", "h", 0)] * 6 + [("p", "h", 1)] * 2 + [("p", "h", 2)] * 4
    weights = train.class_weights(pairs, argparse.Namespace(class_weights="balanced", refutes_weight=2.0))
    assert weights == pytest.approx([12 / 18, 12 / 6, 12 / 12])
    assert train.class_weights(pairs, argparse.Namespace(class_weights="refutes", refutes_weight=3.0)) == [
        1.0, 3.0, 1.0]


@pytest.mark.unit
def test_the_step_budget_stops_general_training_and_says_so():
    budget = Budget(seconds=None, max_steps=3)
    taken = 0
    while not budget.spent():
        budget.steps += 1
        taken += 1
    assert taken == 3 and budget.stopped_early
    assert not Budget(seconds=60, max_steps=None).spent()


@pytest.mark.unit
def test_the_defaults_are_the_shipped_recipe():
    """The model card says `make train-stance` reproduces the shipped model: its defaults must be the
    sweep's winning recipe, flag for flag."""
    import json
    from pathlib import Path

    log = json.loads((Path(train.__file__).resolve().parents[1] / "verification" / "model" / "training"
                      / "train_log.json").read_text())
    defaults = vars(train.parse_args([]))
    sweep_only = {"data", "base", "out", "stage1_seconds", "save_dtype"}
    for name, value in log["args"].items():
        if name not in sweep_only:
            assert str(defaults[name]) == value, name


def test_a_model_survives_the_chunked_export_and_join(tmp_path, monkeypatch):
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, num_labels=3)
    model = BertForSequenceClassification(config).half()
    run = tmp_path / "run"
    model.save_pretrained(run)
    (run / "train_log.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(sweep, "CHUNK", 400_000)  # force several chunks from a small model

    exported = tmp_path / "out"
    sweep.export(run, exported)
    parts = sorted(exported.glob("model.safetensors.part*"))
    assert len(parts) >= 3 and all(p.stat().st_size <= 400_000 for p in parts)

    checkpoint = tmp_path / "checkpoint"
    sweep.join(exported, checkpoint, base=None)
    rebuilt = BertForSequenceClassification.from_pretrained(checkpoint)
    assert next(rebuilt.parameters()).dtype == torch.float32
    for (name, before), after in zip(model.state_dict().items(), rebuilt.state_dict().values()):
        assert torch.equal(before.float(), after), name
    assert (checkpoint / "tokenizer.json").exists()


@pytest.mark.unit
def test_the_retriever_defaults_are_the_shipped_recipe():
    """`make train-retriever` must reproduce the shipped overlay's recipe, flag for flag."""
    import json
    from pathlib import Path

    from training import retriever as train_retriever

    folder = Path(train_retriever.__file__).resolve().parents[1] / "retrieval" / "retriever"
    log = json.loads((folder / "training" / "train_log.json").read_text(encoding="utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    parser_defaults = train_retriever.parse_args([])
    for name, value in log["args"].items():
        if name not in {"data", "out", "ship", "ship_only"}:
            assert str(getattr(parser_defaults, name)) == value, name
    assert manifest["chosen_epoch"] == log["chosen"]["epoch"] and manifest["tensors"] == log["trained_tensors"]


@pytest.mark.unit
def test_retriever_training_pairs_pair_each_gold_passage_with_its_claims_negatives():
    from training.retriever import training_pairs

    rows = [{"claim": "c1", "retrieved": [{"text": "gold", "gold": True}, {"text": "near miss", "gold": False}],
             "missing_gold": [{"text": "missed gold", "gold": True}]},
            {"claim": "c2", "retrieved": [{"text": "other", "gold": False}], "missing_gold": []}]
    assert training_pairs(rows) == [("c1", "gold", ["near miss"]), ("c1", "missed gold", ["near miss"])]


@pytest.mark.parametrize("argv, message", [
    (["--train-folds", "train,heldout"], "held out is for reporting"),
    (["--train-folds", "train,calibrate"], "needs --keep-epoch"),
    (["--keep-epoch", "4", "--epochs", "3"], "past --epochs"),
    (["--kfold", "1"], "K >= 2"),
    (["--kfold", "5", "--ship", "somewhere"], "ships nothing"),
    (["--kfold", "5", "--keep-epoch", "2"], "do not apply"),
])
def test_retriever_training_refuses_runs_that_would_leak_or_mislead(argv, message, tmp_path):
    """Refused before any data is read: a retriever trained on the held-out fold, or an epoch chosen on claims
    it trained on, would make every reported figure look better than it is."""
    from training import retriever as train_retriever

    with pytest.raises(SystemExit) as refused:
        train_retriever.main([*argv, "--data", str(tmp_path / "no-data"), "--out", str(tmp_path / "out")])
    assert message in str(refused.value)
    assert not (tmp_path / "out").exists()


def _tiny_classifier(seed: int):
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(seed)
    config = BertConfig(vocab_size=64, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, num_labels=3)
    return BertForSequenceClassification(config)


@pytest.mark.unit
def test_a_soup_is_the_mean_of_its_ingredients_weights():
    from training import soup

    states = [_tiny_classifier(seed).state_dict() for seed in (1, 2, 3)]
    mixed = soup.average(states)
    for name, tensor in mixed.items():
        if torch.is_floating_point(states[0][name]):
            expected = (states[0][name] + states[1][name] + states[2][name]) / 3
            assert torch.allclose(tensor, expected, atol=1e-6), name
        else:  # integer buffers (position ids) are copied, not averaged into floats
            assert tensor.dtype == states[0][name].dtype and torch.equal(tensor, states[0][name]), name
    assert mixed.keys() == states[0].keys()

    smaller = {k: v for k, v in states[1].items() if "classifier" not in k}
    with pytest.raises(soup.SoupError):
        soup.average([states[0], smaller])


def test_fine_tunes_from_different_starting_points_are_not_averaged(tmp_path, capsys):
    """Averaging only makes sense within one basin: the tool refuses, in one line, before loading anything."""
    import json

    from training import soup

    folders = []
    for seed, start in ((1, "a1b2c3d4e5f60718"), (2, "0f1e2d3c4b5a6978")):
        folder = tmp_path / f"run{seed}"
        _tiny_classifier(seed).save_pretrained(folder)
        (folder / "train_log.json").write_text(json.dumps({"init": f"runs/nli-{seed}", "start_digest": start}),
                                               encoding="utf-8")
        folders.append(folder)
    with pytest.raises(SystemExit) as stop:
        soup.main([*map(str, folders), "--out", str(tmp_path / "soup")])
    assert stop.value.code == 2
    message = capsys.readouterr().err.strip().splitlines()[-1]
    assert "different checkpoints" in message and "a1b2c3d4e5f60718" in message and "0f1e2d3c4b5a6978" in message
    assert not (tmp_path / "soup").exists()

    # A checkpoint whose log does not say where it started cannot be checked, so it is refused too.
    (folders[1] / "train_log.json").write_text(json.dumps({"args": {"stage1_out": "None"}}))
    with pytest.raises(SystemExit):
        soup.main([*map(str, folders), "--out", str(tmp_path / "soup")])
    assert "does not say" in capsys.readouterr().err


def _tiny_training_setup(tmp_path):
    """Made-up training and dev pairs in the shared data's layout, and a tiny BERT with the real tokenizer: the
    real training code runs on them in seconds."""
    import gzip
    import json
    import shutil

    from transformers import BertConfig, BertModel

    from retrieval.encoder import base_model_path

    data = tmp_path / "data"
    (data / "train").mkdir(parents=True)
    words = ["rain", "sun", "wind", "snow", "heat", "cold"]
    rows = [{"p": f"the {a} rose", "h": f"the {b} rose", "l": "SUPPORTS" if a == b else "REFUTES"}
            for a in words for b in words]
    for name in ("vitaminc_real_synthetic.jsonl.gz", "snli_train_100k.jsonl.gz", "snli_test.jsonl.gz"):
        with gzip.open(data / "train" / name, "wt", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r) + "\n" for r in rows)
    labels = ["SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO"]
    for dev in train.DEV_SETS:
        (data / "eval" / dev).mkdir(parents=True)
        # Each claim id has its own text: the dev split groups ids by text (evaluation.devset).
        pairs = [{"id": f"{dev}-pair{i}", "claim_id": f"{dev}-{i}", "claim": f"the {words[i % 6]} rose on day {i}",
                  "evidence": f"the {words[i % 4]} rose", "label": labels[int(i % 6 != i % 4)]}
                 for i in range(40)]  # 40 claim ids reach all three folds
        (data / "eval" / dev / "pairs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in pairs))
        claims = [{"id": p["claim_id"], "claim": p["claim"], "label": p["label"]} for p in pairs]
        (data / "eval" / dev / "claims.jsonl").write_text("".join(json.dumps(c) + "\n" for c in claims))

    base = tmp_path / "base"
    torch.manual_seed(0)
    BertModel(BertConfig(vocab_size=30522, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=32)).save_pretrained(base)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        shutil.copy(base_model_path() / name, base / name)
    return data, base


def test_a_saved_general_stage_is_where_a_later_domain_stage_starts(tmp_path):
    """--stage1-out saves the general-NLI model; --init starts the domain stage from it, skipping stage 1.
    Tiny made-up pairs and a tiny model, so the two runs take seconds; the code path is the real one."""
    import json

    from training import soup

    data, base = _tiny_training_setup(tmp_path)
    common = ["--data", str(data), "--base", str(base), "--device", "cpu", "--stage2-epochs", "1",
              "--replay", "5", "--batch-size", "8", "--stage1-batch-size", "8", "--threads", "1"]

    assert train.main([*common, "--out", str(tmp_path / "first"), "--stage1-out", str(tmp_path / "nli"),
                       "--stage1-epochs", "4", "--stage1-lr", "1e-3"]) == 0
    assert (tmp_path / "nli" / "model.safetensors").exists()
    first = json.loads((tmp_path / "first" / "train_log.json").read_text())

    assert train.main([*common, "--out", str(tmp_path / "second"), "--init", str(tmp_path / "nli"),
                       "--seed", "14"]) == 0
    second = json.loads((tmp_path / "second" / "train_log.json").read_text())
    assert [s["stage"] for s in second["stages"]] == ["nli (loaded)", "domain epoch 1"]
    # The second run starts from exactly the weights the first run's general stage ended with, and those are
    # not the base model's: the digest of the loaded weights is the saved stage's, and a fresh start differs.
    from transformers import AutoModelForSequenceClassification

    torch.manual_seed(14)
    fresh = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    assert second["start_digest"] == first["stage1_digest"] != train.weights_digest(fresh)
    assert second["stages"][0]["calibrate"] == first["stages"][0]["calibrate"]
    assert soup.starting_point(tmp_path / "first") == soup.starting_point(tmp_path / "second")


def test_the_shared_stage1_sweep_trains_one_general_stage_and_starts_the_rest_from_it(tmp_path):
    """The shared-stage-1 sweep mode, run on the CPU with the tiny setup: one general stage, the
    other recipes started from its saved weights, the soup tried, the winner exported in chunks."""
    import json

    data, base = _tiny_training_setup(tmp_path)
    out, exported = tmp_path / "sweep", tmp_path / "export"
    code = sweep.main(["--data", str(data), "--base", str(base), "--out", str(out), "--export", str(exported),
                       "--shared-stage1", "--only", "shared-seed13", "shared-seed14", "--kfold", "shared-balanced",
                       "--kfold-parts", "2",
                       "--extra", "--device", "cpu", "--stage2-epochs", "1", "--replay", "5", "--batch-size", "8",
                       "--stage1-batch-size", "8", "--threads", "1", "--stage1-epochs", "4", "--stage1-lr", "1e-3"])
    assert code == 0
    first = json.loads((out / "shared-seed13" / "train_log.json").read_text())
    second = json.loads((out / "shared-seed14" / "train_log.json").read_text())
    assert "init" not in first and second["init"] == str(out / "stage1")
    assert second["start_digest"] == first["stage1_digest"]
    assert [s["stage"] for s in second["stages"]][0] == "nli (loaded)"
    summary = json.loads((exported / "summary.json").read_text())
    assert set(summary["results"]) == {"shared-seed13", "shared-seed14"}
    assert len(summary["soup"]["trials"]) == 1  # the second-best run was tried in the soup
    assert summary["winner"] in {"shared-seed13", "shared-seed14", "soup"}
    assert list(exported.glob("model.safetensors.part*")) and (exported / "config.json").exists()
    # The cross-validated recipe started its parts from the same general stage, and is reported apart.
    cross = summary["kfold"]["shared-balanced"]
    assert cross["chosen_epoch"] == 1 and set(cross["macro_f1"]["1"]) == {"choosing", "calibrate", "heldout", "all"}
    assert not (out / "kfold-shared-balanced-part2").exists()
    for part in range(2):
        log = json.loads((out / f"kfold-shared-balanced-part{part}" / "train_log.json").read_text())
        assert log["start_digest"] == first["stage1_digest"] and log["args"]["balance_sets"] == "True"


def test_the_export_chooses_int8_on_the_calibrate_fold_and_records_both_folds(tmp_path):
    """training.export on a tiny trained checkpoint: the int8-or-fp32 choice follows --max-f1-loss as
    measured on the calibrate fold, the manifest records both folds, and the file it names loads with its hash."""
    import json

    pytest.importorskip("onnxruntime")
    from training import export
    from verification.stance import OnnxStanceModel

    data, base = _tiny_training_setup(tmp_path)
    checkpoint = tmp_path / "checkpoint"
    assert train.main(["--data", str(data), "--base", str(base), "--device", "cpu", "--stage1-epochs", "1",
                       "--stage2-epochs", "1", "--replay", "5", "--batch-size", "8", "--stage1-batch-size", "8",
                       "--threads", "1", "--out", str(checkpoint)]) == 0
    for tolerance, quantized in (("1.0", True), ("-1.0", False)):  # any loss is tolerated / none is
        out = tmp_path / f"model{tolerance}"
        assert export.main(["--checkpoint", str(checkpoint), "--out", str(out), "--data", str(data),
                            "--max-f1-loss", tolerance]) == 0
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["quantized"] is quantized
        assert set(manifest["fp32_vs_int8_macro_f1_calibrate"]) == {"fp32", "int8"}
        assert set(manifest["fp32_vs_int8_macro_f1"]["int8"]) == set(train.DEV_SETS)  # held out, on record
        probabilities = OnnxStanceModel(out).predict([("the rain rose", "the rain rose")])
        assert probabilities.shape == (1, 3)
    int8_size, fp32_size = ((tmp_path / name / "stance.onnx").stat().st_size for name in ("model1.0", "model-1.0"))
    assert int8_size < fp32_size


def test_a_domain_stage_started_from_a_checkpoint_cannot_save_a_general_stage(tmp_path):
    with pytest.raises(SystemExit) as stop:
        train.main(["--init", str(tmp_path / "nli"), "--stage1-out", str(tmp_path / "again")])
    assert "nothing for --stage1-out to save" in str(stop.value.code)


TINY = ["--device", "cpu", "--replay", "5", "--batch-size", "8", "--stage1-batch-size", "8", "--threads", "1"]


def test_kfold_scores_every_dev_pair_once_per_epoch_from_a_model_that_never_saw_its_claim(tmp_path):
    """training.kfold on the tiny setup: each part trains on the other parts' claims only, every dev pair
    gets exactly one out-of-fold prediction per epoch, and the epoch is chosen without the held-out fold."""
    import json

    from evaluation.devset import HELDOUT
    from training import kfold

    data, base = _tiny_training_setup(tmp_path)
    out = tmp_path / "kfold"
    final = tmp_path / "all-dev"
    assert kfold.main(["--out", str(out), "--k", "2", "--final", str(final), "--", "--data", str(data),
                       "--base", str(base), *TINY, "--stage1-epochs", "1", "--stage2-epochs", "2"]) == 0
    rows = kfold.read_oof([out / "part0", out / "part1"])
    dev = train.dev_rows(data / "eval")
    splits = train.dev_splits(data / "eval")
    every_pair = sorted(r["id"] for rs in dev.values() for r in rs)
    for epoch in (1, 2):
        assert sorted(r["pair_id"] for r in rows if r["epoch"] == epoch) == every_pair
    for part in (0, 1):
        log = json.loads((out / f"part{part}" / "train_log.json").read_text())
        # A part predicts its own claims only, and trained on every other claim.
        assert {splits[r["set"]].part(r["claim_id"], 2) for r in kfold.read_oof([out / f"part{part}"])} == {part}
        assert log["domain_claims"] == sum(
            len({r["claim_id"] for r in rs if splits[name].part(r["claim_id"], 2) != part})
            for name, rs in dev.items())
        assert not (out / f"part{part}" / "model.safetensors").exists()  # a part is a measurement, not a model
    report = json.loads((out / "kfold_report.json").read_text())
    assert report["chosen_epoch"] in (1, 2)
    choosing = report["macro_f1"][str(report["chosen_epoch"])]["choosing"]
    assert report["choosing_mean_macro_f1"] == pytest.approx(sum(choosing.values()) / 2, abs=1e-4)
    assert report["ship_with"][-4:] == ["--domain-folds", "train,calibrate,heldout", "--keep-epoch",
                                        str(report["chosen_epoch"])]
    # The held-out fold is reported apart and never enters the choice.
    held = [r for r in rows if r["fold"] == HELDOUT]
    assert all(r["fold"] == splits[r["set"]].fold(r["claim_id"]) for r in rows)
    assert held and set(report["macro_f1"]["1"]) == {"choosing", "calibrate", "heldout", "all"}

    # The model to ship trained on every dev pair and kept the chosen epoch.
    final_log = json.loads((final / "train_log.json").read_text())
    assert final_log["chosen_epoch"] == report["chosen_epoch"] and (final / "model.safetensors").exists()
    assert final_log["domain_pairs"] == len(every_pair) and final_log["kfold_report"].endswith("kfold_report.json")

    # Joining again trains nothing: the parts are on disk.
    assert kfold.main(["--out", str(out), "--k", "2", "--report-only"]) == 0


def test_a_model_trained_on_all_of_dev_keeps_the_given_epoch_and_is_exported_and_marked_as_such(tmp_path):
    """--domain-folds with the calibrate fold needs --keep-epoch; the run stops after that epoch, scores no
    fold it trained on, and the export chooses int8 on unseen SNLI test pairs, lists the claims it trained on,
    and leaves the verdict thresholds alone."""
    import json

    pytest.importorskip("onnxruntime")
    from evaluation.devset import claim_digest
    from training import calibrate, export

    data, base = _tiny_training_setup(tmp_path)
    common = ["--data", str(data), "--base", str(base), *TINY, "--stage1-epochs", "1", "--stage2-epochs", "3",
              "--domain-folds", "train,calibrate,heldout"]
    with pytest.raises(SystemExit) as stop:
        train.main([*common, "--out", str(tmp_path / "refused")])
    assert "--keep-epoch" in str(stop.value.code)

    checkpoint = tmp_path / "all-dev"
    assert train.main([*common, "--keep-epoch", "2", "--out", str(checkpoint)]) == 0
    log = json.loads((checkpoint / "train_log.json").read_text())
    assert [s["stage"] for s in log["stages"]] == ["nli", "domain epoch 1", "domain epoch 2"]
    assert all(set(s) <= {"stage", "elapsed_s", "steps", "stopped_by_budget"} for s in log["stages"])
    assert log["chosen_epoch"] == 2 and "chosen_calibrate_mean_macro_f1" not in log
    assert log["domain_pairs"] == sum(len(rs) for rs in train.dev_rows(data / "eval").values())

    out = tmp_path / "model"
    assert export.main(["--checkpoint", str(checkpoint), "--out", str(out), "--data", str(data)]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["domain_folds"] == ["calibrate", "heldout", "train"]
    assert "SNLI test" in manifest["int8_chosen_on"] and "fp32_vs_int8_macro_f1" not in manifest
    claims = {r["claim"] for rs in train.dev_rows(data / "eval").values() for r in rs}
    assert set(manifest["trained_claim_digests"]) == {claim_digest(c) for c in claims}

    assert calibrate.main(["--model", str(out), "--data", str(data)]) == 0
    assert json.loads((out / "manifest.json").read_text()) == manifest  # nothing fitted on trained claims

    # Exported again over a manifest with thresholds, the new model keeps them and says whose they were.
    manifest["calibration"] = {"vote_threshold": 0.4, "dominance": 0.1}
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert export.main(["--checkpoint", str(checkpoint), "--out", str(out), "--data", str(data)]) == 0
    again = json.loads((out / "manifest.json").read_text())
    assert again["calibration"] == {"vote_threshold": 0.4, "dominance": 0.1,
                                    "fitted_for_stance_model_sha256": manifest["sha256"]}


def test_a_kfold_part_is_not_exported(tmp_path):
    from training import export

    (tmp_path / "part").mkdir()
    (tmp_path / "part" / "train_log.json").write_text('{"args": {"kfold": "5", "fold": "0"}}')
    with pytest.raises(SystemExit) as stop:
        export.domain_folds(tmp_path / "part")
    assert "k-fold part" in str(stop.value.code)


@pytest.mark.unit
def test_a_claim_digest_ignores_case_and_spacing_only():
    from evaluation.devset import claim_digest

    assert claim_digest("Sea  levels rose\n") == claim_digest("sea levels rose")
    assert claim_digest("sea levels rose") != claim_digest("sea levels fell")


def test_balancing_the_dev_sets_repeats_the_smaller_one_whole(tmp_path):
    from types import SimpleNamespace

    data, _ = _tiny_training_setup(tmp_path)
    # Keep 10 of Check-COVID's 40 pairs, so Climate-FEVER has several times its training pairs.
    path = data / "eval" / "check_covid" / "pairs.jsonl"
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:10]))
    args = SimpleNamespace(kfold=None, fold=0, domain_folds="train,heldout", keep_epoch=None, sibling_nei=0,
                           sibling_nei_sets="check_covid")
    plan = train.DomainPlan(data / "eval", args)
    cf, cc = (train.as_pairs(plan.train_by_set[name]) for name in ("climate_fever", "check_covid"))
    assert len(cf) > 2 * len(cc) > 0
    balanced = plan.training_pairs(True)
    assert sorted(balanced) == sorted(cf + cc * round(len(cf) / len(cc)))
    assert plan.training_pairs(False) == cf + cc


@pytest.mark.parametrize("flags, message", [
    (["--kfold", "1"], "at least 2 parts"),
    (["--kfold", "5", "--fold", "5"], "at least 2 parts"),
    (["--domain-folds", "train,calibrate", "--keep-epoch", "7", "--stage2-epochs", "6"], "--keep-epoch must be"),
    (["--domain-folds", "train,news"], "--domain-folds takes"),
    (["--sibling-nei", "-1"], "--sibling-nei takes"),
    (["--sibling-nei", "1", "--sibling-nei-sets", "fever"], "--sibling-nei-sets takes"),
    (["--vote-targets", "1.5"], "--vote-targets takes"),
])
def test_domain_plans_that_cannot_be_honoured_are_refused_in_one_line(tmp_path, flags, message):
    data, base = _tiny_training_setup(tmp_path)
    with pytest.raises(SystemExit) as stop:
        train.main(["--data", str(data), "--base", str(base), *TINY, "--out", str(tmp_path / "x"), *flags])
    assert message in str(stop.value.code) and "\n" not in str(stop.value.code)


def test_sibling_nei_pairs_come_from_the_evidence_documents_and_never_relabel_a_labelled_passage(tmp_path):
    import json

    folder = tmp_path / "check_covid"
    folder.mkdir()
    corpus = [{"id": f"doc{d}:{s}", "title": f"Paper {d}", "text": f"sentence {s} of paper {d}"}
              for d in range(3) for s in range(4)]
    # One text under two ids (as Check-COVID's _0 / _2): what either is labelled against stays out.
    pairs = [
        {"id": "p0", "claim_id": "c_0", "claim": "Masks cut spread.", "evidence_id": "doc0:0",
         "evidence": "", "label": "SUPPORTS"},
        {"id": "p1", "claim_id": "c_2", "claim": "masks  cut spread.", "evidence_id": "doc0:1",
         "evidence": "", "label": "NOT_ENOUGH_INFO"},
        {"id": "p2", "claim_id": "d_0", "claim": "Vitamin D cures it.", "evidence_id": "doc1:3",
         "evidence": "", "label": "REFUTES"},
    ]
    claims = [{"id": "c_0", "claim": "Masks cut spread.", "evidence_ids": ["doc0:0"], "related_ids": ["doc0:2"]}]
    for name, rows in (("corpus.jsonl", corpus), ("pairs.jsonl", pairs), ("claims.jsonl", claims)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows))

    rows = train.sibling_nei_rows(folder, pairs, per_claim=5, seed=13)
    text_of = {c["id"]: c["text"] for c in corpus}
    by_claim: dict[str, set[str]] = {}
    for row in rows:
        by_claim.setdefault(row["claim"].casefold().replace("  ", " "), set()).add(row["evidence_id"])
        assert row["label"] == "NOT_ENOUGH_INFO" and row["evidence"] == text_of[row["evidence_id"]]
    # The masks text: only doc0:3 is unlabelled in its paper (0 gold, 1 NEI pair, 2 related), and it comes once.
    assert by_claim == {"masks cut spread.": {"doc0:3"}, "vitamin d cures it.": {"doc1:0", "doc1:1", "doc1:2"}}
    assert len(rows) == 4
    assert train.sibling_nei_rows(folder, pairs, per_claim=5, seed=13) == rows
    assert len(train.sibling_nei_rows(folder, pairs, per_claim=1, seed=13)) == 2


@pytest.mark.unit
def test_vote_targets_soften_split_votes_and_equal_cross_entropy_on_one_hot_targets():
    rows = [
        {"evidence": "e1", "claim": "c", "label": "NOT_ENOUGH_INFO", "votes": ["SUPPORTS", "REFUTES"]},
        {"evidence": "e2", "claim": "c", "label": "SUPPORTS", "votes": ["SUPPORTS", "SUPPORTS"]},
        {"evidence": "e3", "claim": "c", "label": "REFUTES"},  # no votes (Check-COVID): keeps its label
    ]
    targets = train.vote_targets(rows, 0.5)
    assert targets[("e1", "c", 2)] == pytest.approx([0.25, 0.25, 0.5])
    assert targets[("e2", "c", 0)] == pytest.approx([1.0, 0.0, 0.0])
    assert ("e3", "c", 1) not in targets

    torch.manual_seed(0)
    logits, labels = torch.randn(4, 3), torch.tensor([0, 1, 2, 1])
    weight = torch.tensor([1.0, 2.0, 0.5])
    one_hot = torch.nn.functional.one_hot(labels, 3).float()
    expected = (torch.nn.functional.cross_entropy(logits, labels, reduction="none") * weight[labels]).mean()
    assert train.VoteLoss(weight)(logits, labels, one_hot).item() == pytest.approx(expected.item())


@pytest.mark.unit
def test_listwise_reranker_groups_put_each_gold_first_among_its_own_claims_negatives():
    import random

    from training import reranker as train_reranker

    def row(claim, golds, negatives):
        return {"claim": claim, "missing_gold": [{"text": "missed gold", "gold": True}] if golds > 1 else [],
                "retrieved": [{"text": f"{claim} gold", "gold": True}] +
                             [{"text": f"{claim} other {i}", "gold": False} for i in range(negatives)]}

    sets = {"a": [row("c1", 1, 10), row("c2", 2, 7)], "b": [row("c3", 1, 2)]}  # c3: too few negatives
    groups = train_reranker.listwise_groups(sets, 4, random.Random(0))
    assert len(groups) == 3 and all(len(g) == 4 for g in groups)
    for group in groups:
        (gold, claim, label), *rest = group
        assert label == 1.0 and (gold.endswith("gold")) and claim != "c3"
        assert {y for *_, y in rest} == {0.0} and all(t.startswith(f"{c} other") and c == claim for t, c, _ in rest)
        assert len({t for t, _, _ in rest}) == 3
    assert train_reranker.listwise_groups(sets, 4, random.Random(0)) == groups


def test_a_listwise_group_larger_than_the_candidates_is_refused_in_one_line():
    from training import reranker as train_reranker

    with pytest.raises(SystemExit) as stop:
        train_reranker.main(["--loss", "listwise", "--group-size", "31", "--depth", "30"])
    assert "--group-size must be" in str(stop.value.code) and "\n" not in str(stop.value.code)


@pytest.mark.unit
def test_a_partial_label_constrains_only_the_stances_it_names():
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.0, 1.0, 1.0]])
    one = torch.tensor([[True, False, False], [False, True, False]])
    # A one-stance set is plain cross-entropy.
    assert train.set_loss(logits, one).item() == pytest.approx(
        torch.nn.functional.cross_entropy(logits, torch.tensor([0, 1])).item(), rel=1e-6)
    # NOT_SUPPORTS allows REFUTES or NOT_ENOUGH_INFO: the loss is -log(P(R) + P(N)), whichever of the two holds it.
    either = torch.tensor([[False, True, True]])
    p = torch.softmax(logits[:1], -1)[0]
    assert train.set_loss(logits[:1], either).item() == pytest.approx(-torch.log(p[1] + p[2]).item(), rel=1e-6)
    towards_refutes = train.set_loss(torch.tensor([[-3.0, 3.0, -3.0]]), either)
    towards_nei = train.set_loss(torch.tensor([[-3.0, -3.0, 3.0]]), either)
    assert towards_refutes.item() == pytest.approx(towards_nei.item(), rel=1e-3) and towards_nei.item() < 0.01


def _write_extra(folder, name, rows):
    import gzip
    import json

    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / f"{name}.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in rows)


@pytest.mark.unit
def test_extra_pairs_keep_what_their_label_says_and_each_label_gets_a_fair_share(tmp_path):
    import random

    extra = tmp_path / "extra"
    _write_extra(extra, "fever_nli_binary", [{"p": f"fact {i}", "h": f"claim {i}", "l": "NOT_SUPPORTS"}
                                             for i in range(30)] + [{"p": "fact s", "h": "claim s", "l": "SUPPORTS"}])
    _write_extra(extra, "fnc1", [{"p": "an agreeing article", "h": "a headline", "l": "SUPPORTS"},
                                 {"p": "an unrelated article", "h": "a headline", "l": "UNRELATED"},
                                 {"p": "", "h": "empty evidence is skipped", "l": "SUPPORTS"}])
    pairs, counts = train.read_extra(extra, "partial", 10, random.Random(1))
    # The cap is shared fairly: the one SUPPORTS pair is not crowded out by thirty NOT_SUPPORTS ones.
    assert counts["fever_nli_binary"] == {"NOT_SUPPORTS": 9, "SUPPORTS": 1}
    assert counts["fnc1"] == {"SUPPORTS": 1, "UNRELATED": 1}
    masks = {(p, h): m for p, h, m in pairs}
    assert {m for p, h, m in pairs if p.startswith("fact ") and p != "fact s"} == {(False, True, True)}
    # An agreeing article may not have agreed yet inside the window the model reads; an unrelated one never does.
    assert masks[("an agreeing article", "a headline")] == (True, False, True)
    assert masks[("an unrelated article", "a headline")] == (False, False, True)
    mapped, _ = train.read_extra(extra, "map", 10, random.Random(1))
    assert {m for p, h, m in mapped if p.startswith("fact ") and p != "fact s"} == {(False, False, True)}
    with pytest.raises(SystemExit, match="no \\*.jsonl.gz"):
        train.read_extra(tmp_path / "missing", "partial", 10, random.Random(1))


def test_the_extra_stage_trains_between_the_general_and_domain_stages_and_can_be_kept(tmp_path):
    import json

    data, base = _tiny_training_setup(tmp_path)
    extra = tmp_path / "extra"
    _write_extra(extra, "healthver", [{"p": f"the {w} rose", "h": f"the {w} fell", "l": "REFUTES"}
                                      for w in ("rain", "sun", "wind")])
    _write_extra(extra, "wice", [{"p": "the rain rose", "h": "the rain and the sun rose", "l": "PARTIAL"}])
    common = ["--data", str(data), "--base", str(base), "--device", "cpu", "--replay", "5", "--batch-size", "8",
              "--stage1-batch-size", "8", "--threads", "1", "--stage1-epochs", "1", "--extra", str(extra),
              "--extra-replay", "4"]
    assert train.main([*common, "--out", str(tmp_path / "run"), "--stage2-epochs", "1",
                       "--extra-out", str(tmp_path / "after-extra")]) == 0
    log = json.loads((tmp_path / "run" / "train_log.json").read_text())
    assert [s["stage"] for s in log["stages"]] == ["nli", "extra", "domain epoch 1"]
    assert log["extra_pairs"] == {"healthver": {"REFUTES": 3}, "wice": {"PARTIAL": 1}}
    assert log["chosen_stage"] in {"extra", "domain epoch 1"}
    assert (tmp_path / "after-extra" / "model.safetensors").exists()
    # With no domain epochs the model after the extra stage is the one saved.
    assert train.main([*common, "--out", str(tmp_path / "only"), "--stage2-epochs", "0"]) == 0
    only = json.loads((tmp_path / "only" / "train_log.json").read_text())
    assert only["chosen_stage"] == "extra" and (tmp_path / "only" / "model.safetensors").exists()


def test_the_shipped_int8_model_rebuilds_into_a_checkpoint_that_judges_like_it(tmp_path):
    """training.warm_start dequantises the shipped ONNX weights into a PyTorch checkpoint to train on from."""
    from retrieval.encoder import base_model_path
    from tests.conftest import REPO
    from training import warm_start

    model_dir = REPO / "verification" / "model"
    info = warm_start.rebuild(model_dir, tmp_path / "warm", base_model_path())
    assert info["weights"] > 100
    pairs = [("The bridge opened to traffic on 3 May 2021.", "The bridge opened in May 2021.", 0),
             ("The bridge opened to traffic on 3 May 2021.", "The bridge opened in 2019.", 1),
             ("The mayor praised the engineers at the ceremony.", "The bridge cost 40 million euros.", 2),
             ("Rainfall in the region fell by a third over the decade.", "Rainfall rose over the decade.", 1)]
    agreement = warm_start.agreement(model_dir, tmp_path / "warm", pairs, 128)
    # The ONNX model also quantises activations on the fly, so probabilities differ by a few points, not labels.
    assert agreement["same_label"] == 1.0 and agreement["largest_gap"] < 0.15


def test_a_remote_pack_cuts_evidence_and_labels_and_a_sweep_runs_from_it_exporting_no_reference_recipe(tmp_path):
    """training.remote_pack packs a sweep's inputs (fp16 base, general and dev data, train_extra cut to what the
    model reads); training.sweep then runs a recipe file whose flags name packed folders as {data}, and never
    exports a recipe given as --reference (the same run's control), however it scores."""
    import gzip
    import json

    from safetensors.torch import load_file

    from training import remote_pack

    data, base = _tiny_training_setup(tmp_path)
    _write_extra(data / "train_extra", "fnc1", [{"p": "x" * 5000, "h": f"headline {i}", "l": "UNRELATED"}
                                                for i in range(9)] + [{"p": "an article", "h": "h", "l": "REFUTES"}])
    packed = tmp_path / "packed"
    assert remote_pack.main(["--data", str(data), "--base", str(base), "--out", str(packed), "--per-label", "3"]) == 0
    assert {str(v.dtype) for v in load_file(str(packed / "base" / "model.safetensors")).values()
            if v.is_floating_point()} == {"torch.float16"}
    with gzip.open(packed / "data" / "train_extra" / "fnc1.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    assert sorted(r["l"] for r in rows) == ["REFUTES", "UNRELATED", "UNRELATED", "UNRELATED"]
    assert max(len(r["p"]) for r in rows) == remote_pack.EVIDENCE_CHARS

    recipes = tmp_path / "recipes.toml"
    recipes.write_text('[full."control"]\nflags = []\n\n'
                       '[full."extra"]\nflags = ["--extra", "{data}/train_extra", "--extra-replay", "2"]\n')
    out, exported = tmp_path / "sweep", tmp_path / "export"
    code = sweep.main(["--data", str(packed / "data"), "--base", str(packed / "base"), "--out", str(out),
                       "--export", str(exported), "--recipes", str(recipes), "--reference", "control",
                       "--extra", "--device", "cpu", "--stage2-epochs", "1", "--replay", "5", "--batch-size", "8",
                       "--stage1-batch-size", "8", "--threads", "1", "--stage1-epochs", "1"])
    assert code == 0
    summary = json.loads((exported / "summary.json").read_text())
    assert set(summary["results"]) == {"control", "extra"} and summary["winner"] == "extra"
    log = json.loads((out / "extra" / "train_log.json").read_text())
    assert log["args"]["extra"] == str(packed / "data" / "train_extra") and log["extra_pairs"]["fnc1"]


def test_every_stage_scores_the_recorded_product_pairs_and_sends_back_weights_that_join_into_the_model(tmp_path):
    """--score-pairs with --stage-out writes, after every stage, the probabilities of the product's own pairs (so
    a stage can be chosen on claim verdicts after the run); --stage-weights with frozen word embeddings writes
    each stage's other weights in int8, and training.compact joins them over the start checkpoint into the
    model the run trained, within int8 rounding."""
    import json

    import numpy as np
    from safetensors.torch import load_file
    from transformers import AutoModelForSequenceClassification

    from training import compact

    data, base = _tiny_training_setup(tmp_path)
    recorded = tmp_path / "pairs.jsonl"
    recorded.write_text("".join(json.dumps([f"the {w} rose", f"the {w} fell"]) + "\n" for w in ("rain", "sun", "wind")))
    common = ["--data", str(data), "--base", str(base), "--device", "cpu", "--replay", "5", "--batch-size", "8",
              "--stage1-batch-size", "8", "--threads", "1", "--stage1-epochs", "1", "--stage1-lr", "1e-2",
              "--stage2-epochs", "1", "--stage2-lr", "1e-2"]
    with pytest.raises(SystemExit, match="--stage-weights needs"):
        train.main([*common, "--out", str(tmp_path / "refused"), "--stage-out", str(tmp_path / "st"),
                    "--stage-weights"])
    stages = tmp_path / "stages"
    assert train.main([*common, "--out", str(tmp_path / "run"), "--freeze-word-embeddings", "--score-pairs",
                       str(recorded), "--stage-out", str(stages), "--stage-weights", "--stage1-out",
                       str(tmp_path / "start")]) == 0
    assert sorted(p.name for p in stages.iterdir()) == [
        "domain-epoch-1.npy", "domain-epoch-1.safetensors", "nli.npy", "nli.safetensors"]
    probs = np.load(stages / "domain-epoch-1.npy")
    assert probs.shape == (3, 3) and probs.dtype == np.float16 and np.allclose(probs.sum(1), 1, atol=1e-2)
    weights = load_file(str(stages / "domain-epoch-1.safetensors"))
    assert compact.WORD_EMBEDDINGS + ".q" not in weights and compact.WORD_EMBEDDINGS not in weights
    assert any(v.dtype == torch.int8 for v in weights.values())

    trained = AutoModelForSequenceClassification.from_pretrained(tmp_path / "run").state_dict()
    start = AutoModelForSequenceClassification.from_pretrained(tmp_path / "start").state_dict()
    assert torch.equal(trained[compact.WORD_EMBEDDINGS], start[compact.WORD_EMBEDDINGS])
    compact.join(stages / "domain-epoch-1.safetensors", tmp_path / "start", tmp_path / "joined")
    joined = AutoModelForSequenceClassification.from_pretrained(tmp_path / "joined").state_dict()
    moved = max((trained[k] - start[k]).abs().max().item() for k in trained if not k.endswith("position_ids"))
    for name, value in trained.items():
        if name.endswith("position_ids"):
            continue
        bound = value.abs().max().item() / 127 if value.dim() == 2 else value.abs().max().item() / 500
        assert (joined[name] - value).abs().max().item() <= bound + 1e-6, name
    assert moved > 0.01  # the domain stage moved the weights much further than int8 rounding
