"""Expected calibration error and the reliability plot, on confidences whose calibration is known by construction."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from evaluation.calibration import reliability, reliability_svg
from verification.stance import Calibration, combine


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
def test_a_temperature_softens_the_probability_but_never_changes_the_stance():
    probs = np.array([0.7, 0.2, 0.1])
    raw = combine(probs, (), Calibration())
    softened = combine(probs, (), Calibration(temperature=2.0))
    assert raw == pytest.approx(probs)
    assert softened.argmax() == raw.argmax()
    assert softened.max() < raw.max()
    assert softened.sum() == pytest.approx(1.0)
    assert Calibration.from_dict({"temperature": 1.5}).temperature == 1.5
    assert Calibration.from_dict({}).temperature == 1.0
