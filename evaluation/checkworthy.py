"""`claimdesk eval-checkworthy`: check-worthiness ranking on CLEF 2019 CheckThat! task 1 transcripts.

The shipped model was trained on the 19 CLEF 2019 training transcripts, so a figure on those is a fit, not a
measurement; the report says which transcripts the model has seen and gives MAP over the unseen ones
separately (the lab's test transcripts, or any other folder in the same layout). The held-out measurement made
in training is in the model's card.
"""

from __future__ import annotations

import csv
from pathlib import Path

from claims.ingest import ArticleError
from claims.segment import load_nlp


def average_precision(scores: list[float], labels: list[int]) -> float:
    """Ties keep the transcript's order, so a constant score is not rewarded by chance."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, i in enumerate(order, start=1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / max(sum(labels), 1)


def read_transcript(path: Path) -> list[tuple[int, str, int]]:
    """(line, sentence, label) rows of a CLEF TSV; rows with fewer than four fields or a non-numeric line or
    label raise ArticleError naming the file and row."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for n, fields in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if not fields or not "".join(fields).strip():
                continue
            if len(fields) < 4 or not fields[0].strip().isdigit() or fields[3].strip() not in {"0", "1"}:
                raise ArticleError(f"{path}:{n}: expected line, speaker, sentence, label (0 or 1)")
            rows.append((int(fields[0]), fields[2], int(fields[3])))
    return rows


def evaluate_checkworthiness(data: Path) -> tuple[dict, list[dict]]:
    """Mean average precision over transcripts (the lab's official measure), and one prediction per sentence."""
    from claims.checkworthy import features, shipped_model

    files = sorted(data.glob("*.tsv"))
    if not files:
        raise ArticleError(f"{data}: no .tsv transcripts found")
    nlp = load_nlp()
    seen_names = set(shipped_model().trained_on)
    per_file, predictions = {}, []
    for path in files:
        rows = read_transcript(path)
        # Unrounded: the product shows three decimals, but a ranking measure should not see ties it made.
        scores = [round(shipped_model().probability(features(doc[:], attributed=False)), 6)
                  for doc in nlp.pipe([r[1] for r in rows], batch_size=256)]
        per_file[path.name] = round(average_precision(scores, [r[2] for r in rows]), 4)
        predictions += [{"type": "checkworthy", "file": path.name, "line": line, "score": score}
                        for (line, _, _), score in zip(rows, scores)]

    def mean(names):
        return round(sum(per_file[n] for n in names) / len(names), 4) if names else None

    unseen = [name for name in per_file if name not in seen_names]
    report = {
        "transcripts": len(per_file),
        "map": mean(list(per_file)),
        "map_unseen": mean(unseen),
        "unseen_transcripts": len(unseen),
        "seen_in_training": sorted(set(per_file) & seen_names),
        "per_transcript": {name.removesuffix(".tsv"): ap for name, ap in per_file.items()},
    }
    return report, predictions
