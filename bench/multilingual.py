"""What checking articles in other languages would take: does the shipped sentence encoder find the English report of
the same story from a German, French, Spanish or Russian paragraph?

    .venv/bin/python bench/multilingual.py

``bench/data/news_paragraphs.jsonl`` holds 12 short news paragraphs per language, the same 12 stories in each
(written for the project; place names localised). For each non-English paragraph the 12 English ones are ranked by
cosine similarity under the encoder the product searches with; reported is hit@1 (its own story ranked first) and
the mean rank of its own story. Chance is 1/12 = 0.083 hit@1 and a mean rank of 6.5. English paragraphs against
themselves are the ceiling (1.0 by construction) and are not reported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import Settings

    rows = [json.loads(line) for line in (REPO / "bench" / "data" / "news_paragraphs.jsonl").open(encoding="utf-8")]
    by_language: dict[str, list[str]] = {}
    for row in rows:
        by_language.setdefault(row["lang"], []).append(row["text"])
    encoder = Pipeline(Settings.load()).encoder
    english = np.asarray(encoder.encode(by_language["en"]))
    report = {"encoder": getattr(encoder, "name", type(encoder).__name__), "stories": len(by_language["en"]),
              "chance_hit@1": round(1 / len(by_language["en"]), 3), "languages": {}}
    for language, texts in sorted(by_language.items()):
        if language == "en":
            continue
        vectors = np.asarray(encoder.encode(texts))
        scores = vectors @ english.T
        ranks = [int((scores[i] > scores[i, i]).sum()) + 1 for i in range(len(texts))]
        report["languages"][language] = {"hit@1": round(sum(r == 1 for r in ranks) / len(ranks), 3),
                                         "mean_rank": round(float(np.mean(ranks)), 2)}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
