"""What the consistency checks and the passage roles cost beside the stance model, per claim × passage pair.

    .venv/bin/python bench/checks_speed.py [--pairs 1000] [--runs 3]

Both run on the same held-out dev pairs in one process: `StanceJudge.judge` (the shipped ONNX model, one pair per
run on one thread per core, plus the checks and roles) against the checks and roles alone
(`verification.checks.compare` + `verification.roles.role`, and `verification.doers.other_doer` where the role is
support: every pair is read as a confident support there, so this side is an upper bound), their parse caches cleared
before each run. Medians over --runs; read the share, not the times.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from retrieval.offline import enforce_offline

    enforce_offline()
    from evaluation.devset import HELDOUT, DevSet
    from verification import checks
    from verification.checks import compare
    from verification.roles import SUPPORT, role
    from verification.stance import OnnxStanceModel, StanceJudge

    try:  # the parse of who does the claim's deed, for a passage about to count as support
        from verification import doers
    except ImportError:  # rules from before it, measured through a worktree
        doers = None

    pairs = [(p["claim"], p["evidence"]) for name in ("climate_fever", "check_covid")
             for p in DevSet.read(args.data / "eval" / name).pairs_in(HELDOUT)][: args.pairs]
    judge = StanceJudge(OnnxStanceModel())
    judge.judge(pairs[:16])  # warm up the sessions

    def checks_only() -> None:
        for claim, evidence in pairs:
            flags = compare(claim, evidence)
            if role(claim, evidence, flags, "SUPPORTS", 0.9) == SUPPORT and doers:
                doers.other_doer(claim, evidence)

    timings: dict[str, list[float]] = {"judge (model + checks + roles)": [], "checks + roles alone": []}
    for _ in range(args.runs):
        for name, run in (("judge (model + checks + roles)", lambda: judge.judge(pairs)),
                          ("checks + roles alone", checks_only)):
            parsed = (doers.other_doer, doers._claim_deeds, doers._parse) if doers else ()
            for cached in (checks.dates, checks.quantities, checks.names, checks.ordinals, *parsed):
                cached.cache_clear()  # each run pays for its own parsing, as a fresh check does
            started = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(json.dumps({
        "pairs": len(pairs), "runs": args.runs,
        **{f"{name}: pairs/s": round(len(pairs) / value, 1) for name, value in medians.items()},
        "checks share of the judge's time": round(medians["checks + roles alone"]
                                                  / medians["judge (model + checks + roles)"], 3),
    }, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
