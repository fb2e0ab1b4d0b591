"""Stance pairs from the trust suites: each passage the product weighs for a claim, labelled from what the claim
tests and the verdict it should get.

    python -m training.suite_pairs --suite bench/trust-blind --out runs/suite-pairs \
        --exclude-suite tests/trust --exclude-story challenger-shuttle-disaster ...

The suites are news claims against prior reporting, the product's own domain, where the general NLI and
train_extra data are not. The labels say only what the suite knows about a pair:
- a claim that should not be supported: no passage supports it (``NOT_SUPPORTS``: refuted or undecided, the
  partial label of ``training.stance``), and more where the kind says more: a passage on which the checks found a
  clash of the claim's own kind (a date, number, ordinal or denial) ``REFUTES``; a passage for a claim that tests
  another fact, a plan or a story the corpus does not cover ``NOT_ENOUGH_INFO``;
- a claim that should be supported: the passages the product already reads as its support, when its verdict is
  right, and for a support it misses, one passage only where one stands clear of the rest (the model's support
  plus the words it shares with the claim, ``PICK_OVERLAP`` and ``PICK_MARGIN``): ``SUPPORTS``. Its other
  passages get no label: which of them supports it is not known.
Support pairs are fewer, so each is written ``--support-repeat`` times.

Stories are split into two folds (alternately, in name order) so that a model trained on one fold can be measured
on the other (``fold0``, ``fold1``); ``all`` holds every story. The output is made from the suites through the
product and the shipped model; it lives under runs/, like every training set.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
from collections import Counter
from pathlib import Path

CLASH_KINDS = ("date", "number", "ordinal", "negation")
UNDECIDED_KINDS = ("other_fact", "not_covered", "plan")
PICK_OVERLAP = 0.35
PICK_MARGIN = 0.15


def clear_pick(claim: str, checked) -> int | None:
    """The index of the one weighed passage that stands clear as a missed support's evidence, or None."""
    from verification.checks import content_overlap

    scored = []
    for i, (evidence, stance) in enumerate(zip(checked.evidence, checked.stances)):
        if stance.weighed:
            overlap = content_overlap(claim, evidence.passage.text)
            scored.append((stance.model_scores.get("SUPPORTS", 0.0) + overlap, overlap, i))
    scored.sort(reverse=True)
    if not scored or scored[0][1] < PICK_OVERLAP or (len(scored) > 1 and scored[0][0] - scored[1][0] < PICK_MARGIN):
        return None
    return scored[0][2]


def label_pairs(claim: dict, checked) -> list[tuple[str, str, str]]:
    """(passage, claim as the model reads it, label) for the pairs of one checked claim that the suite decides."""
    from verification.roles import SUPPORT
    from verification.stance import for_model

    expected = set(claim["expected"])
    text = claim["claim"]
    pick = None
    if expected == {"supported"} and checked.verdict.label != "supported":
        pick = clear_pick(text, checked)
    out = []
    for number, (evidence, stance) in enumerate(zip(checked.evidence, checked.stances)):
        if not stance.weighed:
            continue
        if "supported" not in expected:
            if expected == {"conflicted"} and claim["kind"] in CLASH_KINDS \
                    and any(f.relation == "clashes" and f.kind == claim["kind"] for f in stance.flags):
                label = "REFUTES"
            elif claim["kind"] in UNDECIDED_KINDS:
                label = "NOT_ENOUGH_INFO"
            else:
                label = "NOT_SUPPORTS"
        elif expected == {"supported"} and ((checked.verdict.label == "supported" and stance.role == SUPPORT)
                                            or number == pick):
            label = "SUPPORTS"
        else:
            continue
        out.append((evidence.passage.text, for_model(text, stance.flags), label))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, nargs="+", required=True, help="trust suites to take pairs from")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--exclude-suite", type=Path, nargs="*", default=[],
                        help="suites whose stories are left out (kept unseen, to measure on)")
    parser.add_argument("--exclude-story", nargs="*", default=[], help="story folder names left out")
    parser.add_argument("--support-repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from claimdesk.settings import Settings
    from evaluation.devset import DevSetError
    from evaluation.trust import checked_claims, stories

    try:
        left_out = set(args.exclude_story) | {p.name for s in args.exclude_suite for p in stories(s)}
        folders = sorted((p for s in args.suite for p in stories(s) if p.name not in left_out), key=lambda p: p.name)
    except (DevSetError, OSError) as exc:
        raise SystemExit(f"training.suite_pairs: {exc}") from None
    fold_of = {p.name: i % 2 for i, p in enumerate(folders)}
    rows: dict[int, list[dict]] = {0: [], 1: []}
    counts: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="claimdesk-suite-pairs-") as work:
        for folder, claim, checked in checked_claims(Settings.load(), folders, Path(work)):
            for passage, hypothesis, label in label_pairs(claim, checked):
                rows[fold_of[folder.name]].append({"p": passage, "h": hypothesis, "l": label, "story": folder.name})
                counts[label] += 1

    def write(name: str, items: list[dict]) -> None:
        (args.out / name).mkdir(parents=True, exist_ok=True)
        with gzip.open(args.out / name / "suites.jsonl.gz", "wt", encoding="utf-8") as handle:
            for row in items:
                handle.writelines([json.dumps(row) + "\n"] * (args.support_repeat if row["l"] == "SUPPORTS" else 1))

    write("fold0", rows[0])
    write("fold1", rows[1])
    write("all", rows[0] + rows[1])
    (args.out / "folds.json").write_text(json.dumps(fold_of, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"stories": len(folders), "left_out": len(left_out), "pairs": dict(counts)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
