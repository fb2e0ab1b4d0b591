"""Quote check accuracy and cost, on quotes made from the demo corpus's own quotations.

    .venv/bin/python bench/quote_check.py [--corpus corpus/demo]

The demo corpus reports speech mostly without quote marks, so every passage that names a person gives one
"quotation": its longest sentence of eight words or more, cut to its first 16 words. Four cases are made of it:
the words as they are, attributed to that person (expected ``verbatim``); the same with two words changed
(``differs``); the words as they are, attributed to a person the passage does not name (``other_speaker``); and
the words of the quotation reversed into a sentence no passage holds (``not_found``). Each is checked through the
product's pipeline (search, then ``verification.quotes``). Reported: accuracy per expected status, the confusion
counts, and the median seconds per quote against the median seconds of the plain evidence search of the same
quotes in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

STRANGER = "Halvard Quist"  # a name no demo passage holds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus" / "demo")
    args = parser.parse_args()
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import Settings
    from claims.types import Attribution, Claim
    from retrieval.corpus import load_corpus
    from retrieval.passages import passages_of, sentence_spans
    from retrieval.search import SearchFilters

    pipeline = Pipeline(Settings.load(corpus_dir=args.corpus))
    pipeline.build_index()
    nlp = pipeline.extractor.nlp
    cases = []
    documents, _ = load_corpus(args.corpus)
    for passage in (p for document in documents for p in passages_of(document)):
        people = [e.text for e in nlp(passage.text).ents if e.label_ == "PERSON"]
        sentences = [passage.text[a:b].strip(" ,.") for a, b in sentence_spans(passage.text)]
        sentences = [" ".join(x.split()[:16]) for x in sentences if len(x.split()) >= 8]
        for words in sorted(sentences, key=len)[-1:] if people else []:
            changed = words.split()
            changed[1], changed[-2] = "never", "tomorrow"
            cases += [(words, people[0], "verbatim"), (" ".join(changed), people[0], "differs"),
                      (words, STRANGER, "other_speaker"), (" ".join(reversed(words.split())), people[0], "not_found")]
    seen, unique = set(), []
    for case in cases:
        if case[:2] not in seen:
            seen.add(case[:2])
            unique.append(case)
    claims = [Claim(f"q{i}", "bench", f'"{words}," {speaker} said.', 0, len(words) + len(speaker) + 9,
                    attribution=Attribution(speaker=speaker, quote_type="direct"))
              for i, (words, speaker, _) in enumerate(unique)]
    filters = SearchFilters(include_later=True)
    pipeline.quote_checks(claims[:2], filters)  # warm
    check_times, search_times, got = [], [], []
    for claim in claims:
        started = time.perf_counter()
        pipeline.searcher.search([claim.text], 20, filters)
        search_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = pipeline.quote_checks([claim], filters)
        check_times.append(time.perf_counter() - started)
        got.append(result[0].status if result else "no quote")
    confusion = Counter((expected, status) for (_, _, expected), status in zip(unique, got))
    per_status = {}
    for expected in ("verbatim", "differs", "other_speaker", "not_found"):
        total = sum(n for (e, _), n in confusion.items() if e == expected)
        per_status[expected] = {"cases": total, "right": confusion[(expected, expected)],
                                "accuracy": round(confusion[(expected, expected)] / total, 3) if total else None}
    report = {
        "corpus": str(args.corpus), "cases": len(unique), "per_status": per_status,
        "accuracy": round(sum(confusion[(e, e)] for e in per_status) / max(len(unique), 1), 3),
        "confusion": {f"{e} -> {g}": n for (e, g), n in sorted(confusion.items())},
        "median_check_s": round(statistics.median(check_times), 4),
        "median_search_s": round(statistics.median(search_times), 4),
        "ratio": round(statistics.median(check_times) / statistics.median(search_times), 2),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
