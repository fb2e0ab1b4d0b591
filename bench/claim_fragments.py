"""Fragment claims on real news: claims under four words, without a verb, or opening as a tail of another sentence.

    .venv/bin/python bench/claim_fragments.py [--articles ../shared/data/eval/polnear_dev/text]

Every article of the folder goes through the product's claim finder (rules and tagger). Each claim's checked text
is parsed again on its own, as a reader would meet it, and flagged when it has fewer than four words, no verb,
or opens in lower case like a piece cut from a sentence ("adding that", "which", "a first for"). Reported:
claims, flagged claims by reason, and every flagged claim's text, so that each can be judged by eye.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Lower case on purpose: "Which brings us to ..." is a sentence as its writer wrote it; "which brings ..." is a
# piece of one.
TAIL_OPENINGS = ("adding ", "saying that", "which ", "who ", "whose ", "a first ", "the latest in",
                 "the first time", "according to")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=REPO.parent / "shared" / "data" / "eval" / "polnear_dev"
                        / "text")
    args = parser.parse_args()
    from retrieval.offline import enforce_offline

    enforce_offline()
    from claims.ingest import ArticleError, article_from_text
    from claims.segment import ClaimExtractor

    extractor = ClaimExtractor()
    reasons, flagged, claims, articles = Counter(), [], 0, 0
    for path in sorted(args.articles.glob("*.txt")):
        try:
            article = article_from_text(path.read_text(encoding="utf-8"), origin=str(path), html=False)
        except ArticleError:
            continue
        articles += 1
        for claim in extractor.extract(article):
            claims += 1
            doc = extractor.nlp(claim.checked_text)
            found = []
            if len([t for t in doc if not t.is_punct]) < 4:
                found.append("under 4 words")
            if not any(t.pos_ in {"VERB", "AUX"} for t in doc):
                found.append("no verb")
            if claim.checked_text.startswith(TAIL_OPENINGS):
                found.append("opens as a tail")
            if found:
                reasons.update(found)
                flagged.append({"article": path.stem, "why": found, "claim": claim.checked_text[:160]})
    print(json.dumps({"articles": articles, "claims": claims, "flagged": len(flagged), "by_reason": reasons,
                      "flagged_claims": flagged}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
