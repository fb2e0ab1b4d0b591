"""Expected calibration error and the reliability plot, on confidences whose calibration is known by construction."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from evaluation.calibration import reliability, reliability_svg
from verification.stance import Calibration, StanceModelError, combine


@pytest.mark.unit
def test_a_model_right_as_often_as_it_says_has_no_calibration_error():
    # In each bin the share of right answers equals the confidence: 0.25 right 1 in 4, 0.75 right 3 in 4.
    confidences = [0.25] * 4 + [0.75] * 4
    correct = [True, False, False, False, True, True, True, False]
    assert reliability(confidences, correct)["ece"] == 0.0


@pytest.mark.unit
def test_an_overconfident_model_scores_the_gap_weighted_by_bin_size():
    # 0.95 confident, right half the time (gap 0.45, 6 of 8 predictions); 0.55 confident, always right (0.45, 2).
    confidences = [0.95] * 6 + [0.55] * 2
    correct = [True, False] * 3 + [True, True]
    result = reliability(confidences, correct)
    assert result["ece"] == pytest.approx(0.45)
    full = [b for b in result["bins"] if b["count"]]
    assert [(b["count"], b["accuracy"]) for b in full] == [(2, 1.0), (6, 0.5)]
    with pytest.raises(ValueError):
        reliability([0.5], [True, False])


@pytest.mark.unit
def test_the_reliability_plot_is_valid_svg_with_escaped_names():
    curve = reliability([0.9, 0.8, 0.3], [True, False, True])
    svg = reliability_svg({"raw <model>": curve, "scaled": curve}, "Stance & confidence")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert "raw <model>" in text and "Stance & confidence" in text
    assert len([e for e in root.iter() if e.tag.endswith("polyline")]) == 2


@pytest.mark.unit
def test_the_top_stances_temperature_softens_or_sharpens_but_never_changes_the_stance():
    supports, nei = np.array([0.7, 0.2, 0.1]), np.array([0.2, 0.1, 0.7])
    calibration = Calibration(temperature=(2.0, 1.0, 0.5))  # SUPPORTS overconfident, NEI underconfident
    assert combine(supports, (), Calibration()) == pytest.approx(supports)
    softened, sharpened = combine(supports, (), calibration), combine(nei, (), calibration)
    assert softened.argmax() == 0 and softened.max() < 0.7 and softened.sum() == pytest.approx(1.0)
    assert sharpened.argmax() == 2 and sharpened.max() > 0.7
    assert Calibration.from_dict({"temperature": 1.5}).temperature == (1.5, 1.5, 1.5)
    assert Calibration.from_dict({"temperature": [2, 3, 0.5]}).temperature == (2.0, 3.0, 0.5)
    assert Calibration.from_dict({}).temperature == (1.0, 1.0, 1.0)
    for bad in ([1.0, 0.0, 1.0], 0, -1.5, [1.0, 2.0]):
        with pytest.raises(StanceModelError):
            Calibration.from_dict({"temperature": bad})


class _FixedModel:
    """Stands in for the stance model's probabilities, which is all the fit reads: each row's are looked up by
    its evidence text."""

    def __init__(self, probs: dict[str, list[float]]):
        self.probs = probs

    def rows(self, rows):
        return np.array([self.probs[r["evidence"]] for r in rows], dtype=np.float32)


def _rows(prefix: str, n: int, probs: list[float], right_every: int, table: dict) -> list[dict]:
    """n pairs the model reads with ``probs``; the top stance is right for every ``right_every``-th."""
    top = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO")[int(np.argmax(probs))]
    rows = []
    for i in range(n):
        table[f"{prefix}{i}"] = probs
        rows.append({"evidence": f"{prefix}{i}", "claim": "c", "claim_id": f"{prefix}{i}",
                     "label": top if i % right_every == 0 else ("REFUTES" if top != "REFUTES" else "SUPPORTS")})
    return rows


@pytest.mark.unit
def test_the_fit_softens_a_model_overconfident_on_every_set_and_leaves_a_calibrated_one_alone():
    from training.calibrate import fit_temperature

    table: dict = {}
    # 0.9 sure and right half the time, on both dev sets alike.
    over = {name: _rows(name, 60, [0.9, 0.05, 0.05], 2, table) for name in ("a", "b")}
    temperature, report = fit_temperature(_FixedModel(table).rows, over, over)
    assert report["chosen"] != "none"
    assert report["heldout"]["pooled"]["after"]["ece"] < report["heldout"]["pooled"]["before"]["ece"] - 0.2
    if report["chosen"] == "isotonic":  # the confidence shown for 0.9 is how often it was right: a half
        mapped = report["confidence_map"]
        assert temperature == (1.0, 1.0, 1.0) and np.interp(0.9, mapped["x"], mapped["y"]) == pytest.approx(0.5)
    else:
        assert temperature[0] > 1.5

    table = {}
    honest = {name: _rows(name, 60, [0.5, 0.3, 0.2], 2, table) for name in ("a", "b")}  # 0.5 sure, right half
    temperature, report = fit_temperature(_FixedModel(table).rows, honest, honest)
    assert report["chosen"] == "none" and temperature == (1.0, 1.0, 1.0) and report["confidence_map"] is None
    assert set(report["candidates"]) == {"none", "one", "per stance", "isotonic"}


@pytest.mark.unit
def test_a_confidence_map_changes_the_confidence_shown_and_nothing_the_verdict_weighs():
    mapped = Calibration.from_dict({"confidence_map": {"x": [0.4, 0.6, 0.99], "y": [0.34, 0.55, 0.7]}})
    assert mapped.shown(0.99) == pytest.approx(0.7) and mapped.shown(0.5) == pytest.approx(0.445)
    assert mapped.shown(0.2) == pytest.approx(0.34) and Calibration().shown(0.83) == 0.83
    probs = np.array([0.9, 0.05, 0.05])
    assert combine(probs, (), mapped) == pytest.approx(combine(probs, (), Calibration()))
    for bad in ({"x": [0.6, 0.4], "y": [0.3, 0.5]}, {"x": [0.4], "y": [0.3, 0.5]}, {"x": [0.4, 1.5], "y": [0.3, 0.5]},
                {"y": [0.3]}, [0.4, 0.5]):
        with pytest.raises(StanceModelError):
            Calibration.from_dict({"confidence_map": bad})
