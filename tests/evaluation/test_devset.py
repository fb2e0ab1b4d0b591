"""The dev split: one claim text never sits in two folds, and no shipped model saw a text we report on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation import devset
from evaluation.devset import CALIBRATE, FOLDS, HELDOUT, TRAIN, DevSplit, claim_digest
from tests.conftest import shared_path

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]


def _ids_by_fold(count: int = 400) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {fold: [] for fold in FOLDS}
    for i in range(count):
        out[devset._fold_of_id(f"c-{i}")].append(f"c-{i}")
    return out


def test_ids_sharing_a_text_take_the_earliest_of_their_folds():
    by_fold = _ids_by_fold()
    train, calibrate, heldout = (by_fold[f][0] for f in FOLDS)
    lone = by_fold[HELDOUT][1]
    split = DevSplit({
        heldout: "Masks cut transmission.", train: "masks  cut TRANSMISSION.",  # same text up to case and spaces
        calibrate: "Vaccines alter DNA.", by_fold[HELDOUT][2]: "Vaccines alter DNA.",
        lone: "A claim of its own.",
    })
    assert split.fold(heldout) == split.fold(train) == TRAIN
    assert split.fold(calibrate) == split.fold(by_fold[HELDOUT][2]) == CALIBRATE
    assert split.fold(lone) == HELDOUT
    # Twins share their k-fold part too, for any k.
    for k in (2, 3, 5):
        assert split.part(heldout, k) == split.part(train, k)
    with pytest.raises(KeyError, match="not in this dev set"):
        split.fold("nobody")


def test_a_dev_set_is_grouped_over_the_claims_and_the_pairs_files(tmp_path):
    """A pair's claim may be missing from claims.jsonl (Climate-FEVER has 57 such claims): its text still joins
    the group."""
    by_fold = _ids_by_fold()
    train, heldout = by_fold[TRAIN][0], by_fold[HELDOUT][0]
    (tmp_path / "claims.jsonl").write_text(json.dumps({"id": heldout, "claim": "Same words."}) + "\n")
    (tmp_path / "pairs.jsonl").write_text(
        json.dumps({"id": "p1", "claim_id": train, "claim": "same words.", "evidence": "e", "label": "SUPPORTS"})
        + "\n\n")
    split = DevSplit.of_dir(tmp_path)
    assert split.fold(heldout) == TRAIN and train in split


@pytest.mark.parametrize("name", ["climate_fever", "check_covid"])
def test_on_the_real_dev_sets_no_text_crosses_folds_and_no_shipped_model_saw_a_reported_claim(name):
    folder = shared_path("data", "eval", name)
    split = DevSplit.of_dir(folder)
    texts = {}
    for file, key in (("claims.jsonl", "id"), ("pairs.jsonl", "claim_id")):
        for line in (folder / file).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts[row[key]] = row["claim"]
    folds_of_text: dict[str, set[str]] = {}
    for claim_id, text in texts.items():
        folds_of_text.setdefault(claim_digest(text), set()).add(split.fold(claim_id))
    assert all(len(folds) == 1 for folds in folds_of_text.values())
    # The rule only ever moves a claim to an earlier fold, so models trained on the id split's train fold
    # (every model shipped before the split went by text) saw nothing outside the new train fold ...
    assert all(split.fold(i) == TRAIN for i in texts if devset._fold_of_id(i) == TRAIN)
    # ... and the stance model's manifest agrees: none of the claims it lists is calibrated on or reported.
    manifest = json.loads((REPO / "verification" / "model" / "manifest.json").read_text(encoding="utf-8"))
    listed = set(manifest["trained_claim_digests"])
    reported = [i for i in texts if split.fold(i) in (CALIBRATE, HELDOUT)]
    assert reported and not any(claim_digest(texts[i]) in listed for i in reported)
