"""Train the check-worthiness model (``claims.checkworthy``) on the CLEF 2019 CheckThat! task 1 transcripts.

    python -m training.checkworthy --data ../shared/data/eval/clef2019_checkworthy --out claims/model

Writes ``claims/model/checkworthy.json`` (weights, their sha256, the transcripts it saw, the held-out figures) and
``docs/experiments/checkworthy-training.json`` (the whole search). About 3 minutes on 2 cores.

Why this recipe: a logistic regression over the named features of ``claims.checkworthy.features`` stays
transparent (each feature's weight is readable, and a sentence's largest terms say why it ranks high). Classes
are weighted equally because 3% of transcript sentences are check-worthy.

Folds: transcripts, never sentences (sentences of one debate share topics and speakers). A fixed quarter of the
transcripts (by a hash of the file name) is held out and scored once, at the end, with MAP per transcript (the
lab's measure). The regularisation strength and the minimum word count are chosen by leave-one-transcript-out
MAP on the other three quarters. The shipped model is then refitted on every transcript with the chosen
settings; its card records both the held-out figure and which transcripts it has seen.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

from evaluation.checkworthy import average_precision, read_transcript


def held_out(names: list[str], share: float = 0.25) -> list[str]:
    """The fixed quarter of transcripts whose file names hash lowest: chosen before any model was fitted."""
    ranked = sorted(names, key=lambda name: hashlib.sha1(Path(name).stem.encode()).hexdigest())
    return sorted(ranked[:round(len(names) * share)])


def read_transcripts(data: Path) -> dict[str, tuple[list[dict], list[int], list[int]]]:
    """file name → (feature dicts, labels, line numbers), parsed with the product's spaCy pipeline."""
    from claims.checkworthy import features
    from claims.segment import load_nlp

    nlp = load_nlp()
    out = {}
    for path in sorted(data.glob("*.tsv")):
        rows = read_transcript(path)
        docs = nlp.pipe([r[1] for r in rows], batch_size=256)
        out[path.name] = ([features(doc[:], attributed=False) for doc in docs], [r[2] for r in rows],
                          [r[0] for r in rows])
    return out


def _vocabulary(rows: list[dict], min_count: int) -> set[str]:
    counts: dict[str, int] = {}
    for row in rows:
        for name in row:
            counts[name] = counts.get(name, 0) + 1
    return {name for name, n in counts.items() if n >= min_count or not name.startswith("word")}


def fit(transcripts, names: list[str], c: float, min_count: int):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [row for name in names for row in transcripts[name][0]]
    labels = [y for name in names for y in transcripts[name][1]]
    keep = _vocabulary(rows, min_count)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([{k: v for k, v in row.items() if k in keep} for row in rows])
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(x, labels)
    return vectorizer, model


def map_of(vectorizer, model, transcripts, names: list[str]) -> dict[str, float]:
    return {name: average_precision(list(model.decision_function(vectorizer.transform(transcripts[name][0]))),
                                    transcripts[name][1]) for name in names}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/eval/clef2019_checkworthy"))
    parser.add_argument("--out", type=Path, default=Path("claims/model"))
    parser.add_argument("--c", type=float, nargs="+", default=[0.01, 0.03, 0.1])
    parser.add_argument("--min-count", type=int, nargs="+", default=[3, 5])
    parser.add_argument("--report", type=Path, default=Path("docs/experiments/checkworthy-training.json"))
    args = parser.parse_args(argv)
    transcripts = read_transcripts(args.data)
    test = held_out(list(transcripts))
    train = [name for name in transcripts if name not in test]
    search = []
    for c in args.c:
        for min_count in args.min_count:
            per = {}
            for left in train:
                vectorizer, model = fit(transcripts, [n for n in train if n != left], c, min_count)
                per.update(map_of(vectorizer, model, transcripts, [left]))
            search.append({"c": c, "min_count": min_count, "map": round(float(np.mean(list(per.values()))), 4)})
            print(search[-1], flush=True)
    chosen = max(search, key=lambda s: s["map"])
    vectorizer, model = fit(transcripts, train, chosen["c"], chosen["min_count"])
    held = map_of(vectorizer, model, transcripts, test)
    report = {
        "chosen": chosen, "search": search, "train_transcripts": train, "held_out_transcripts": test,
        "held_out_map": round(float(np.mean(list(held.values()))), 4),
        "held_out_per_transcript": {k: round(v, 4) for k, v in held.items()},
    }
    print(json.dumps({k: report[k] for k in ("chosen", "held_out_map", "held_out_per_transcript")}, indent=1))
    vectorizer, model = fit(transcripts, list(transcripts), chosen["c"], chosen["min_count"])
    weights = {name: round(float(w), 5) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])
               if abs(w) >= 1e-5}
    bias = round(float(model.intercept_[0]), 5)
    body = {"bias": bias, "weights": weights}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    args.out.mkdir(parents=True, exist_ok=True)
    shipped = {"sha256": digest, "trained_on": sorted(transcripts), "settings": chosen,
               "held_out": {k: report[k] for k in ("held_out_map", "held_out_per_transcript")}, **body}
    (args.out / "checkworthy.json").write_text(json.dumps(shipped, indent=0, sort_keys=True) + "\n",
                                               encoding="utf-8")
    args.report.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
