"""Write each model card's manifest section from the model's own ``manifest.json``, so a card can never describe
another file than the one that ships (in the spirit of sentence-transformers' generated model cards).

    python -m training.model_card           # rewrite the sections
    python -m training.model_card --check   # exit 1 if any card differs from its manifest (a test runs this)

The section sits between ``<!-- manifest:begin -->`` and ``<!-- manifest:end -->``. Figures measured through the
product (``claimdesk eval``) stay in each card's Figures section with the command that produced them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CARDS = {
    "stance model": REPO / "verification" / "model",
    "evidence reranker": REPO / "retrieval" / "reranker",
    "retrieval encoder": REPO / "retrieval" / "retriever",
}
BEGIN, END = "<!-- manifest:begin -->", "<!-- manifest:end -->"


def _steps(xs: list[float], ys: list[float]) -> str:
    """A monotone map's flat steps: "0.44–0.57 → 0.56; ..." (between steps it rises in a straight line)."""
    steps: list[list[float]] = []
    for x, y in zip(xs, ys):
        if steps and steps[-1][2] == y:
            steps[-1][1] = x
        else:
            steps.append([x, x, y])
    return "; ".join(f"{a:.2f}–{b:.2f} → {y:.2f}" if b > a else f"{a:.2f} → {y:.2f}" for a, b, y in steps)


def _pair(values: dict) -> str:
    return " / ".join(f"{values[name]:.3f}" for name in ("climate_fever", "check_covid") if name in values)


def facts(folder: Path) -> list[tuple[str, str]]:
    """(what, value) rows for one model, read from its manifest and its file."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    size = (folder / manifest["file"]).stat().st_size / 1e6
    rows = [("file", f"`{manifest['file']}`, {size:.1f} MB"), ("sha256", f"`{manifest['sha256'][:16]}…`")]
    if "quantized" in manifest:
        rows.append(("weights", "int8 (dynamic quantisation)" if manifest["quantized"] else "fp32"))
    if "dtype" in manifest:
        rows.append(("weights", f"{manifest['dtype']} overlay on {manifest.get('base', 'the base model')}"))
    if "max_length" in manifest:
        rows.append(("max tokens", str(manifest["max_length"])))
    if "inputs" in manifest:
        rows.append(("reads", manifest["inputs"]))
    if "fp32_vs_int8_macro_f1" in manifest:
        f1 = manifest["fp32_vs_int8_macro_f1"]
        rows.append(("held-out macro-F1 at export, fp32 → int8 (CF / CC)",
                     f"{_pair(f1['fp32'])} → {_pair(f1['int8'])}"))
    if "calibration" in manifest:
        c = manifest["calibration"]
        rows.append(("check weights (clash / agree / missing)",
                     f"{c.get('clash_weight', 0)} / {c.get('agree_weight', 0)} / {c.get('missing_weight', 0)}"))
        if "vote_threshold" in c:
            rows.append(("verdict vote threshold / dominance", f"{c['vote_threshold']} / {c.get('dominance', 0)}"))
        mapped = c.get("confidence_map")
        if mapped:
            rows.append(("calibration kept (chosen on the calibrate fold)",
                         "an isotonic map of the top stance's probability to the confidence shown; the verdict "
                         "weighs the probability"))
            rows.append(("top stance's probability → confidence shown", _steps(mapped["x"], mapped["y"])))
        elif "temperature" in c:
            rows.append(("calibration kept (chosen on the calibrate fold)",
                         f"{c.get('temperature_chosen', '')}: temperature "
                         f"{' / '.join(f'{t:g}' for t in c['temperature'])} when SUPPORTS / REFUTES / NEI is on top"))
        held = c.get("ece", {}).get("heldout")
        if held:
            def ece(name: str) -> str:
                raw, shown = held[name]["raw"], held[name]["calibrated"]
                return f"{shown:.3f}" if raw == shown else f"{raw:.3f} → {shown:.3f}"
            rows.append(("held-out top-stance ECE, CF / CC / both ([reliability plot](reliability.svg))",
                         " / ".join(ece(n) for n in ("climate_fever", "check_covid", "pooled"))))
            by = held["pooled"]["by_stance"]["calibrated"]
            rows.append(("held-out confidence / accuracy of each stance when on top",
                         "; ".join(f"{k} {v['confidence']:.2f} / {v['accuracy']:.2f}" for k, v in by.items())))
    if "combine" in manifest:
        c = manifest["combine"]
        rows.append(("rerank score", f"{c['reranker']}·logit + {c['stance_relevance']}·(1 − P(NEI)) + "
                                     f"{c['rank']} / rank, over the top {c['depth']}"))
        rows.append(("calibrate hit@5 of that score (mean of CF and CC)", f"{c['hit@5']:.3f}"))
    if "hybrid_hit@5_calibrate" in manifest:
        rows.append(("calibrate hybrid hit@5 at training (CF / CC)", _pair(manifest["hybrid_hit@5_calibrate"])))
    for key in ("chosen_epoch",):
        if key in manifest:
            rows.append(("epoch kept", str(manifest[key])))
    folds = manifest.get("domain_folds") or manifest.get("trained_folds")
    if folds:
        rows.append(("dev folds trained on", ", ".join(folds)))
    if "trained_claim_digests" in manifest:
        rows.append(("dev claims trained on (listed by digest)", str(len(manifest["trained_claim_digests"]))))
    return rows


def section(folder: Path) -> str:
    lines = ["| | |", "|---|---|", *(f"| {what} | {value} |" for what, value in facts(folder))]
    return "\n".join([BEGIN, *lines, END])


def rendered(card: Path, folder: Path) -> str:
    text = card.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{card}: no {BEGIN} … {END} section to write")
    head, rest = text.split(BEGIN, 1)
    return head + section(folder) + rest.split(END, 1)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report cards that differ from their manifests")
    args = parser.parse_args(argv)
    stale = []
    for folder in CARDS.values():
        card = folder / "MODEL_CARD.md"
        text = rendered(card, folder)
        if text != card.read_text(encoding="utf-8"):
            stale.append(str(card.relative_to(REPO)))
            if not args.check:
                card.write_text(text, encoding="utf-8")
    if args.check and stale:
        print(f"model cards differ from their manifests: {', '.join(stale)}; run `make model-cards`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
