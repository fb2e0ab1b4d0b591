"""Stance pairs made from news articles: minimal pairs of support and contradiction, and same-story sentences
that decide nothing.

    python -m training.news_pairs --articles ../shared/data/train_extra/fnc1.jsonl.gz --out runs/news-pairs

Why: the trust suites' false supports are news claims one word away from the passage ("made the cut" against
"missed the cut", "is still alive" against "has died", the deed of one named person handed to another named in
the same report). The stance model learned NLI on Wikipedia and image captions, where such near-misses are rare,
and reads them as support. Here every passage is a window of two sentences of a news article, and one sentence of
it becomes three hypotheses that differ as little as possible:
- SUPPORTS: the sentence, shortened where that keeps it true (attribution, an opening phrase or a "who" clause
  taken out), so that support is not only a verbatim copy;
- REFUTES: the same shortened sentence with one detail changed that the passage states otherwise (a date, a
  figure, a rank, a "not" put in or taken out, a word swapped for its opposite, a stranger's name); a name
  swapped for another the passage gives is labelled NOT_SUPPORTS (refuted or undecided), the partial label that
  `training.stance --extra` trains with a loss that only rules out SUPPORTS;
- NOT_ENOUGH_INFO: another sentence of the same article, outside the window (same story, another fact).

The output is a `--extra` folder for `training.stance` (gzipped JSONL `{"p", "h", "l", "kind"}`). It holds
article text, so it belongs under runs/, never in the repository.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path

from training.contrastive import _actors, contradict

# "..., the minister said." / "..., he told reporters on Monday." at a sentence's end.
_TRAILING_SAID = re.compile(r",?\s+(?:he|she|they|it|(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}|"
                            r"the\s+\w+(?:\s+\w+)?)\s+(?:said|says|told\s+\w+|added|reported)"
                            r"(?:\s+on\s+\w+|\s+in\s+a\s+statement)?\s*\.$")
# "Police said on Monday that ..." at a sentence's start ("that" required: "said in November" is no clause).
_LEADING_SAID = re.compile(r"^(?:[A-Z][\w.'-]*(?:\s+[\w.'-]+){0,4})\s+(?:said|says|told\s+\w+)"
                           r"(?:\s+on\s+\w+)?\s+that\s+")
# "On Monday, ..." / "In a statement, ..." : an opening phrase of up to five words.
_OPENING = re.compile(r"^(?:On|In|At|After|Earlier|Later|Last|This)\b[^,]{0,40},\s+")
# ", who ... ," : a relative clause set off by commas.
_WHO_CLAUSE = re.compile(r",\s+(?:who|which)\s+[^,]{3,80},")
_WORDS = re.compile(r"[A-Za-z][\w'-]+")


def shorten(sentence: str, rng: random.Random) -> str:
    """The sentence with one part taken out that its truth does not rest on, or the sentence itself."""
    options = []
    m = _TRAILING_SAID.search(sentence)
    if m and len(sentence[:m.start()].split()) >= 6:
        options.append(sentence[:m.start()] + ".")
    m = _LEADING_SAID.match(sentence)
    if m and len(sentence[m.end():].split()) >= 6:
        rest = sentence[m.end():]
        options.append(rest[0].upper() + rest[1:])
    m = _OPENING.match(sentence)
    if m:
        rest = sentence[m.end():]
        options.append(rest[0].upper() + rest[1:])
    m = _WHO_CLAUSE.search(sentence)
    if m:
        options.append(sentence[:m.start()] + sentence[m.end() - 1:].lstrip(","))
    return rng.choice(options) if options else sentence


def sentences(body: str, nlp) -> list[str]:
    """The body's sentences of 8 to 45 words that end as statements."""
    out = []
    for paragraph in re.split(r"\n\s*\n", body):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        for sent in nlp(paragraph).sents:
            text = sent.text.strip()
            if 8 <= len(text.split()) <= 45 and text.endswith(".") and not text.startswith(('"', "“")):
                out.append(text)
    return out


def _content(text: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(text) if len(w) > 3}


def build(bodies: list[str], per_article: int, rng: random.Random) -> tuple[list[dict], dict[str, int]]:
    from claims.segment import load_nlp

    nlp = load_nlp()
    split = [sentences(b, nlp) for b in bodies]
    pool: dict[str, set[str]] = {}
    for sents in split[:300]:
        for s in sents[:6]:
            for label, name, _ in _actors(s):
                pool.setdefault(label, set()).add(name)
    names = {label: sorted(found) for label, found in pool.items()}
    rows: list[dict] = []
    counts: dict[str, int] = {}
    turn = 0
    for sents in split:
        if len(sents) < 4:
            continue
        for i in rng.sample(range(len(sents)), min(per_article, len(sents))):
            j = i - 1 if i > 0 and (i == len(sents) - 1 or rng.random() < 0.5) else i + 1
            window = sorted((i, j))
            premise = " ".join(sents[k] for k in window)
            if len(premise.split()) > 80:
                continue
            claim = shorten(sents[i], rng)
            found = contradict(claim, premise, turn, rng, names)
            turn += 1
            if found is None:
                continue
            made = [(claim, "SUPPORTS", "support"), found]
            topic = _content(sents[i])
            far = [s for k, s in enumerate(sents) if abs(k - i) > 1 and len(_content(s) & topic) >= 2]
            if far:
                made.append((shorten(rng.choice(far), rng), "NOT_ENOUGH_INFO", "same story"))
            for hypothesis, label, kind in made:
                rows.append({"p": premise, "h": hypothesis, "l": label, "kind": kind})
                counts[kind] = counts.get(kind, 0) + 1
    rng.shuffle(rows)
    return rows, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=Path, required=True,
                        help="gzipped JSONL whose 'p' field is an article body (FNC-1 in train_extra)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write news_pairs.jsonl.gz into")
    parser.add_argument("--articles-limit", type=int, default=900)
    parser.add_argument("--per-article", type=int, default=4, help="sentences made into pairs per article")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with gzip.open(args.articles, "rt", encoding="utf-8") as handle:
        bodies = sorted({json.loads(line)["p"] for line in handle})
    rng.shuffle(bodies)
    rows, counts = build(bodies[:args.articles_limit], args.per_article, rng)
    args.out.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out / "news_pairs.jsonl.gz", "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    print(json.dumps({"pairs": len(rows), "kinds": counts}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
