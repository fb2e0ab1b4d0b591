"""The trained check-worthiness model: ranks concrete statements above chit-chat, says why, and refuses a tampered
file. Sentences are written for the test; the CLEF transcripts stay out of the repo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from claims.checkworthy import CheckworthyError, CheckworthyModel, features, score_and_explain
from claims.segment import load_nlp

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]

CONCRETE = "Unemployment fell to 4.1 percent in March, the lowest rate since 2001, the labour office reported."
CHATTER = ["Thank you all so much for being here tonight.", "What do you think about that?",
           "Well, I think we can do better.", "Okay."]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_a_concrete_statement_outranks_chit_chat(nlp):
    concrete, _ = score_and_explain(nlp(CONCRETE)[:], attributed=True)
    assert all(concrete > score_and_explain(nlp(text)[:], attributed=False)[0] + 0.2 for text in CHATTER)
    assert 0.0 <= concrete <= 1.0


def test_the_reasons_name_telling_features_not_stop_words(nlp):
    _, reasons = score_and_explain(nlp(CONCRETE)[:], attributed=True)
    assert "has a number" in reasons and 0 < len(reasons) <= 4
    assert not any(r in {"word 'the'", "word 'in'", "length (words, log)"} for r in reasons)
    # Chit-chat is raised by nothing that names a number, a date or an entity.
    _, chatter = score_and_explain(nlp(CHATTER[0])[:], attributed=False)
    assert not {"has a number", "has a date or time", "names people, places or organisations"} & set(chatter)


def test_features_are_named_for_the_analyst(nlp):
    names = features(nlp("Did the council spend $4 million on the bridge?")[:], attributed=False)
    assert {"is a question", "has a number", "entity MONEY", "word 'bridge'"} <= set(names)


def test_a_tampered_model_file_is_refused_with_one_line(tmp_path):
    shipped = json.loads((REPO / "claims" / "model" / "checkworthy.json").read_text(encoding="utf-8"))
    shipped["weights"]["has a number"] = 9.0
    path = tmp_path / "checkworthy.json"
    path.write_text(json.dumps(shipped), encoding="utf-8")
    with pytest.raises(CheckworthyError, match="corrupt") as raised:
        CheckworthyModel(path)
    assert "\n" not in str(raised.value)
    with pytest.raises(CheckworthyError, match="missing"):
        CheckworthyModel(tmp_path / "absent.json")


def _transcript(folder: Path, name: str, rows: list[tuple[str, int]]) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("".join(f"{n}\tSPEAKER\t{text}\t{label}\n" for n, (text, label) in
                                       enumerate(rows, start=1)), encoding="utf-8")


def test_eval_checkworthy_writes_one_prediction_per_sentence(tmp_path):
    data = tmp_path / "transcripts"
    _transcript(data, "debate_a.tsv", [(CHATTER[0], 0), (CONCRETE, 1), (CHATTER[1], 0), (CHATTER[3], 0)])
    _transcript(data, "debate_b.tsv", [("We spent 40 billion dollars on roads in 2019.", 1), (CHATTER[2], 0)])
    predictions = tmp_path / "rows.jsonl"
    done = subprocess.run([sys.executable, "-m", "claimdesk.cli", "eval-checkworthy", "--data", str(data),
                           "--predictions", str(predictions)], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "CLAIMDESK_DATA_DIR": str(tmp_path)}, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["transcripts"] == 2 and report["unseen_transcripts"] == 2 and report["seen_in_training"] == []
    assert report["map"] == report["map_unseen"] == 1.0  # each check-worthy sentence is ranked first
    rows = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines()]
    expected = [("debate_a.tsv", n) for n in range(1, 5)] + [("debate_b.tsv", n) for n in (1, 2)]
    assert [(r["file"], r["line"]) for r in rows] == expected and {r["type"] for r in rows} == {"checkworthy"}
    assert all(isinstance(r["score"], float) for r in rows)


def test_a_malformed_transcript_is_one_line_naming_the_row(tmp_path):
    data = tmp_path / "bad"
    data.mkdir()
    (data / "x.tsv").write_text("1\tA\tFine sentence here.\t0\nnot a row\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "claimdesk.cli", "eval-checkworthy", "--data", str(data)],
                          capture_output=True, text=True, cwd=REPO, timeout=300,
                          env={**os.environ, "CLAIMDESK_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0 and "x.tsv:2" in done.stderr
