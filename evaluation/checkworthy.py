"""`claimdesk eval-checkworthy`: check-worthiness ranking on CLEF 2019 CheckThat! task 1 transcripts."""

from __future__ import annotations

import csv
from pathlib import Path

from claims.ingest import ArticleError
from claims.segment import load_nlp


def evaluate_checkworthiness(data: Path) -> dict:
    """Mean average precision over transcripts (CLEF 2019 CheckThat! task 1's official measure)."""
    from claims.checkworthy import score_span

    files = sorted(data.glob("*.tsv"))
    if not files:
        raise ArticleError(f"{data}: no .tsv transcripts found")
    nlp = load_nlp()
    per_file = {}
    for path in files:
        with open(path, encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.reader(handle, delimiter="\t") if len(r) >= 4]
        sentences = [r[2] for r in rows]
        labels = [int(r[3]) for r in rows]
        scores = [score_span(doc[:], attributed=False) for doc in nlp.pipe(sentences, batch_size=256)]
        order = sorted(range(len(rows)), key=lambda i: -scores[i])
        hits, precisions = 0, []
        for rank, i in enumerate(order, start=1):
            if labels[i]:
                hits += 1
                precisions.append(hits / rank)
        per_file[path.stem] = round(sum(precisions) / max(sum(labels), 1), 4)
    return {
        "transcripts": len(per_file),
        "map": round(sum(per_file.values()) / len(per_file), 4),
        "per_transcript": per_file,
    }
