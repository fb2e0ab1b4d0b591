"""Run the product on a training stage's recorded probabilities instead of the exported model, to choose the stage
on claim verdicts rather than on pair macro-F1.

    python -m training.replay record --pairs runs/pairs.jsonl -- eval-trust --suite tests/trust --out F
    python -m training.replay replay --pairs runs/pairs.jsonl --probs STAGE.npy -- eval-trust --suite tests/trust ...

``record`` runs an evaluation (``eval-trust --suite S``, ``eval --data D --split S``, each with ``--out F`` and
``--predictions P`` as ``claimdesk`` takes them, or ``calibrate ...`` for ``training.calibrate``) with the stance
model the settings name (``CLAIMDESK_STANCE_MODEL_DIR``), and appends every (passage, claim) pair the product asks
it for to ``--pairs``. ``training.stance --score-pairs`` then scores those pairs after every stage, on a lent GPU
machine say (``--stage-out``). ``replay`` runs the same command answering each pair from one stage's
probabilities: the verdicts come out as the product would give them with that stage's model, without exporting
it, and in a fraction of the time, since the model is most of a check's cost.
A pair missing from the recording stops the run with a one-line error: the command is not the one recorded.

The stage's probabilities come from the PyTorch model (bf16 on a GPU), not from the int8 ONNX file an export would
write; labels agree on about 97% of pairs, so the final choice is still measured on the exported model.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np


class RecordedProbabilities:
    """The stance probabilities of recorded (passage, claim) pairs, looked up by their text."""

    def __init__(self, pairs: Path, probs: Path) -> None:
        keys = read_pairs(pairs)
        values = np.load(probs).astype(np.float32)
        if values.shape != (len(keys), 3):
            raise SystemExit(f"{probs}: {values.shape[0]} rows of probabilities for {len(keys)} recorded pairs")
        self.table = {key: row for key, row in zip(keys, values)}

    def __call__(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        rows = []
        for pair in pairs:
            row = self.table.get(tuple(pair))
            if row is None:
                raise SystemExit("training.replay: the product asked for a pair the recording lacks; record this "
                                 "command first")
            rows.append(row)
        return np.array(rows, dtype=np.float32).reshape(len(pairs), 3)


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """[passage, claim] rows of a JSONL file; a row of another shape stops with a one-line error."""
    from training.stance import read_score_pairs

    return [(p, h) for p, h, _ in read_score_pairs(path)]


class Recorder:
    """Appends each pair the product asks for, once, to a JSONL file of [passage, claim] rows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen = set(read_pairs(path)) if path.exists() else set()

    def add(self, pairs: list[tuple[str, str]]) -> None:
        new = [tuple(p) for p in pairs if tuple(p) not in self.seen]
        if new:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as write:
                write.writelines(json.dumps(list(p)) + "\n" for p in new)
            self.seen.update(new)


@contextmanager
def stance_model_answering(predict=None, recorder: Recorder | None = None):
    """Within the block, every ``OnnxStanceModel`` answers with ``predict`` (or itself), recording its pairs."""
    from verification.stance import OnnxStanceModel

    real = OnnxStanceModel.predict

    def answer(model, pairs):
        if recorder is not None:
            recorder.add(pairs)
        return predict(pairs) if predict is not None else real(model, pairs)

    OnnxStanceModel.predict = answer
    try:
        yield
    finally:
        OnnxStanceModel.predict = real


def run_command(command: list[str]) -> int:
    """An evaluation as ``claimdesk eval-trust`` or ``claimdesk eval`` runs it, or ``calibrate ...`` for
    ``training.calibrate``. Run here rather than through the CLI, which sits above training."""
    if command and command[0] == "calibrate":
        from training.calibrate import main as calibrate

        return calibrate(command[1:])
    parser = argparse.ArgumentParser(prog="training.replay -- eval-trust|eval")
    parser.add_argument("name", choices=("eval-trust", "eval"))
    parser.add_argument("--suite", type=Path)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--split", default="heldout")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--predictions", type=Path)
    args = parser.parse_args(command)
    from claimdesk.settings import Settings
    from common.files import write_report

    if args.name == "eval-trust":
        from evaluation.trust import run_trust

        if args.suite is None:
            raise SystemExit("training.replay: eval-trust needs --suite")
        report, predictions = run_trust(Settings.load(), args.suite)
    else:
        from evaluation.end_to_end import run_eval

        if args.data is None:
            raise SystemExit("training.replay: eval needs --data")
        report, predictions = run_eval(Settings.load(), args.data, split=args.split)
    print(write_report(report, predictions, args.out, args.predictions), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[argv.index("--") + 1:] if "--" in argv else []
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("record", "replay"))
    parser.add_argument("--pairs", type=Path, required=True, help="JSONL of [passage, claim] pairs")
    parser.add_argument("--probs", type=Path, help="replay: a stage's probabilities (.npy, one row per pair)")
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    if not command:
        raise SystemExit("training.replay: give the command after --, e.g. -- eval-trust --suite tests/trust")
    if args.mode == "record":
        with stance_model_answering(recorder=Recorder(args.pairs)):
            return run_command(command)
    if args.probs is None:
        raise SystemExit("training.replay replay needs --probs")
    with stance_model_answering(RecordedProbabilities(args.pairs, args.probs)):
        return run_command(command)


if __name__ == "__main__":
    raise SystemExit(main())
