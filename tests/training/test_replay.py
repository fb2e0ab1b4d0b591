"""training.replay: the product's verdicts on a stage's recorded probabilities are the verdicts the product gives
with the model that produced them, and a pair the recording lacks is refused."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from tests.conftest import REPO
from training import replay

pytestmark = pytest.mark.slow


def _verdicts(path):
    return {r["claim_id"]: r["verdict"] for r in map(json.loads, path.read_text().splitlines()) if r.get("claim_id")}


def test_replaying_the_shipped_models_own_probabilities_gives_its_verdicts_and_other_probabilities_change_them(
        tmp_path):
    from verification.stance import OnnxStanceModel

    suite = tmp_path / "suite"
    shutil.copytree(REPO / "tests" / "trust" / "artemis-one", suite / "artemis-one")
    pairs = tmp_path / "pairs.jsonl"

    def eval_trust(mode, name, *extra):
        out = tmp_path / f"{name}.jsonl"
        code = replay.main([mode, "--pairs", str(pairs), *extra, "--", "eval-trust", "--suite", str(suite),
                            "--out", str(tmp_path / f"{name}.json"), "--predictions", str(out)])
        assert code == 0
        return _verdicts(out)

    recorded = eval_trust("record", "recorded")
    keys = replay.read_pairs(pairs)
    assert len(keys) == len(set(keys)) > 5
    shipped = OnnxStanceModel(REPO / "verification" / "model").predict(keys)
    np.save(tmp_path / "shipped.npy", shipped)
    assert eval_trust("replay", "replayed", "--probs", str(tmp_path / "shipped.npy")) == recorded
    # Every pair read as a sure support: the same product, other verdicts.
    np.save(tmp_path / "supports.npy", np.tile([0.98, 0.01, 0.01], (len(keys), 1)))
    assert eval_trust("replay", "supports", "--probs", str(tmp_path / "supports.npy")) != recorded

    pairs.write_text("".join(json.dumps(list(k)) + "\n" for k in keys[:-1]))
    np.save(tmp_path / "short.npy", shipped[:-1])
    with pytest.raises(SystemExit, match="lacks"):
        eval_trust("replay", "short", "--probs", str(tmp_path / "short.npy"))


def test_a_pairs_file_of_another_shape_is_refused_in_one_line(tmp_path):
    bad = tmp_path / "pairs.jsonl"
    bad.write_text('["a passage", "a claim"]\n{"p": "not a pair"}\n')
    with pytest.raises(SystemExit, match="line 2 is not a \\[passage, claim\\] pair"):
        replay.read_pairs(bad)
