"""Language detection on single news paragraphs: English, German, French, Spanish and Russian.

    .venv/bin/python bench/language_detection.py

The sample (``bench/data/news_paragraphs.jsonl``) was written for this bench: short news paragraphs, one to three
sentences, full of names, numbers and dates, which is where detectors slip. Reported: accuracy per language and
overall through ``common.language.detect`` (what decides whether an article is refused), the paragraphs it got
wrong, and the median milliseconds per paragraph.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    from common.language import detect

    rows = [json.loads(line) for line in (REPO / "bench" / "data" / "news_paragraphs.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    detect(rows[0]["text"])  # the models load on first use
    right, total, wrong, times = Counter(), Counter(), [], []
    for row in rows:
        started = time.perf_counter()
        found = detect(row["text"])
        times.append(time.perf_counter() - started)
        code = found[0] if found else "too short"
        total[row["lang"]] += 1
        if code == row["lang"]:
            right[row["lang"]] += 1
        else:
            wrong.append({"expected": row["lang"], "got": code, "text": row["text"][:80]})
    report = {
        "paragraphs": len(rows),
        "accuracy": round(sum(right.values()) / len(rows), 4),
        "per_language": {lang: f"{right[lang]}/{total[lang]}" for lang in sorted(total)},
        "wrong": wrong,
        "median_ms": round(statistics.median(times) * 1000, 2),
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
