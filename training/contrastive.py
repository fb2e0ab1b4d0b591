"""Contrastive stance pairs: a supported claim with one detail changed, labelled REFUTES.

Why: the product's hardest promise is that a passage agreeing on everything but the date, the figure, the rank, the
actor or the "not" is a contradiction, not support. Natural data has few such near-misses (VitaminC has them for
Wikipedia revisions only), so they are made from pairs whose passage supports the claim: the detail changed is one
the passage states, so the passage visibly contradicts the new claim.

Each kind changes exactly one detail:
- date: the year (by one to three) or the month of a date the passage also gives;
- number: a figure the passage also gives, scaled or shifted so that no rounding covers it;
- ordinal: a rank word the passage also gives ("third" -> "fourth");
- actor: a name the passage gives, replaced by a name from another claim that the passage does not mention;
- negation: "not" after the claim's first auxiliary ("was" -> "was not"), in a claim that denies nothing.
"""

from __future__ import annotations

import random
import re

from verification.checks import MONTHS, dates, ordinals

KINDS = ("date", "number", "ordinal", "actor", "negation")
_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NUMBER = re.compile(r"(?<![\w.,-])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,])|(?<![\w.,-])\d+(?:\.\d+)?(?![\w,]|\.\d)")
# "has" counts as an auxiliary only before a participle: "has hardware" is not "has not hardware".
_AUX = re.compile(r"\b(?:(?:is|are|was|were|can|will|could|would|should)\b(?!\s+(?:only|more|less|over|under)\b)"
                  r"|(?:has|have|had)\b(?=\s+(?:been|\w+ed|\w+en)\b))", re.IGNORECASE)
_DENIES = re.compile(r"\b(?:not|no|never|none|nor|without)\b|n't\b", re.IGNORECASE)
# A bound, not a value: "more than 115" or "before 19 July" is not contradicted by another figure or date in turn.
_BOUND = re.compile(r"(?:more than|less than|fewer than|at least|at most|up to|under|over|below|above|before|after|"
                    r"since|until|by|nearly|almost|only|exceeding)\s+(?:the\s+)?$", re.IGNORECASE)
# Organisations are left out: the small model tags too many titles and products as ORG.
_ACTOR_LABELS = ("PERSON", "GPE", "NORP")


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in spans)


def _change_date(claim: str, premise: str, rng: random.Random) -> str | None:
    premise_years = set(re.findall(r"\b\d{4}\b", premise))
    premise_months = {m for m in MONTHS if m in premise.lower()}
    choices = []
    for mention in dates(claim):
        text = mention.text
        if _BOUND.search(claim[:mention.span[0]]):
            continue
        if mention.year and str(mention.year) in premise_years:
            year = mention.year + rng.choice((-3, -2, -1, 1, 2, 3))
            choices.append((mention.span, text.replace(str(mention.year), str(year))))
        if mention.month and MONTHS[mention.month - 1] in premise_months:
            word = re.search(r"[A-Za-z]+", text)
            if word:
                other = rng.choice([m for i, m in enumerate(MONTHS, start=1) if i != mention.month]).capitalize()
                choices.append((mention.span, text[:word.start()] + other + text[word.end():]))
    if not choices:
        return None
    (start, end), new = rng.choice(choices)
    return claim[:start] + new + claim[end:]


def _change_number(claim: str, premise: str, rng: random.Random) -> str | None:
    taken = [d.span for d in dates(claim)]
    found = [m for m in _NUMBER.finditer(claim) if not _inside(m.span(), taken)
             and not _BOUND.search(claim[:m.start()]) and re.search(
        rf"(?<![\w.,]){re.escape(m.group(0))}(?![\w]|[.,]\d)", premise)]
    if not found:
        return None
    m = rng.choice(found)
    digits = m.group(0).replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = float(digits)
    factor = rng.choice((0.5, 2.0, 3.0, 1.5)) if value >= 4 else None
    new = value * factor if factor else value + rng.choice((2, 3, 5))
    text = f"{new:,.{decimals}f}" if "," in m.group(0) else f"{new:.{decimals}f}"
    if text == m.group(0):
        return None
    return claim[:m.start()] + text + claim[m.end():]


def _change_ordinal(claim: str, premise: str, rng: random.Random) -> str | None:
    found = [(span, surface) for _, _, span, surface in ordinals(claim)
             if surface.split()[0].lower() in _ORDINAL_WORDS and surface.split()[0].lower() in premise.lower()]
    if not found:
        return None
    (start, _), surface = rng.choice(found)
    word = surface.split()[0]
    other = rng.choice([w for w in _ORDINAL_WORDS if w != word.lower()])
    other = other.capitalize() if word[0].isupper() else other
    return claim[:start] + other + claim[start + len(word):]


def _actors(text: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(label, name, span) of the people, organisations, places and groups spaCy finds in the text."""
    from claims.segment import load_nlp

    return [(e.label_, e.text, (e.start_char, e.end_char)) for e in load_nlp()(text).ents if e.label_ in _ACTOR_LABELS]


def _change_actor(claim: str, premise: str, rng: random.Random, pool: dict[str, list[str]]) -> str | None:
    """A name the premise gives, swapped for another of the same kind (a person for a person, a country for a
    country) that the premise does not mention."""
    found = [(label, span) for label, name, span in _actors(claim) if name in premise]
    rng.shuffle(found)
    for label, (start, end) in found:
        strangers = [n for n in pool.get(label, ()) if n not in premise and n not in claim]
        if strangers:
            return claim[:start] + rng.choice(strangers) + claim[end:]
    return None


def _negate(claim: str, rng: random.Random) -> str | None:
    if _DENIES.search(claim):
        return None
    m = _AUX.search(claim)
    if not m:
        return None
    return claim[:m.end()] + " not" + claim[m.end():]


def perturb(claim: str, premise: str, kind: str, rng: random.Random, pool: dict[str, list[str]]) -> str | None:
    """The claim with one detail of ``kind`` changed so that ``premise`` contradicts it, or None when the claim
    has no such detail that the premise states."""
    if kind == "date":
        return _change_date(claim, premise, rng)
    if kind == "number":
        return _change_number(claim, premise, rng)
    if kind == "ordinal":
        return _change_ordinal(claim, premise, rng)
    if kind == "actor":
        return _change_actor(claim, premise, rng, pool)
    if kind == "negation":
        return _negate(claim, rng)
    raise ValueError(f"unknown contrastive kind {kind!r}; one of {', '.join(KINDS)}")


def contrastive_pairs(pairs: list[tuple[str, str, int]], count: int, rng: random.Random,
                      supports: int = 0, refutes: int = 1) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """Up to ``count`` REFUTES pairs made from the SUPPORTS pairs among ``pairs`` (premise, claim, label), the
    kinds taken in turn so that no one kind dominates; also how many of each kind were made."""
    source = [(p, h) for p, h, y in pairs if y == supports]
    rng.shuffle(source)
    by_label: dict[str, set[str]] = {}
    for _, claim in source[:3 * count]:
        for label, name, _ in _actors(claim):
            by_label.setdefault(label, set()).add(name)
    pool = {label: sorted(found) for label, found in by_label.items()}
    made: list[tuple[str, str, int]] = []
    counts = dict.fromkeys(KINDS, 0)
    seen: set[str] = set()
    for i, (premise, claim) in enumerate(source):
        if len(made) >= count:
            break
        kinds = list(KINDS[i % len(KINDS):] + KINDS[:i % len(KINDS)])
        for kind in kinds:
            new = perturb(claim, premise, kind, rng, pool)
            if new and new != claim and new not in seen:
                seen.add(new)
                made.append((premise, new, refutes))
                counts[kind] += 1
                break
    return made, counts


# Words whose swap turns a news sentence into its contradiction ("made the cut" / "missed the cut"): the contrast
# the trust suites' unseen claims defeat the rules with, and one a sentence-pair model learns only from examples.
# Both directions are used. Words with everyday second senses ("left", "down", "passed") are left out.
_ANTONYMS = (
    ("won", "lost"), ("win", "lose"), ("wins", "loses"), ("rose", "fell"), ("rise", "fall"), ("rises", "falls"),
    ("increased", "decreased"), ("raised", "lowered"), ("higher", "lower"), ("approved", "rejected"),
    ("accepted", "rejected"), ("opened", "closed"), ("acquitted", "convicted"), ("confirmed", "denied"),
    ("allowed", "banned"), ("agreed", "refused"), ("supported", "opposed"), ("supports", "opposes"),
    ("alive", "dead"), ("survived", "died"), ("gained", "lost"), ("above", "below"), ("ahead", "behind"),
    ("guilty", "innocent"), ("legal", "illegal"), ("successful", "unsuccessful"), ("likely", "unlikely"),
    ("able", "unable"), ("largest", "smallest"), ("biggest", "smallest"), ("highest", "lowest"),
    ("best", "worst"), ("expanded", "shrank"), ("strengthened", "weakened"), ("hired", "fired"),
    ("bought", "sold"), ("buy", "sell"), ("imported", "exported"), ("admitted", "denied"),
    ("praised", "criticised"), ("backed", "opposed"), ("welcomed", "condemned"), ("before", "after"),
    ("made", "missed"), ("started", "stopped"), ("increase", "decrease"), ("boosted", "cut"),
    ("included", "excluded"), ("arrived", "departed"), ("succeeded", "failed"), ("true", "false"),
)
_ANTONYM = {a: b for a, b in _ANTONYMS} | {b: a for a, b in _ANTONYMS}
_ANTONYM_WORD = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, _ANTONYM), key=len, reverse=True)) + r")\b",
                           re.IGNORECASE)
# A denial the sentence states, and what it says without it: "was not" -> "was", "has never been" -> "has been".
# "did not enter" is left alone: its undenied form needs the verb inflected.
_DENIAL = re.compile(r"\b(?P<aux>is|are|was|were|has|have|had|will|would|could|can|should)(?: not|n't)\b"
                     r"|\b(?P<contracted>isn|aren|wasn|weren|hasn|haven|hadn|wouldn|couldn|shouldn)'t\b"
                     r"|(?P<wont>\bwon't\b)|(?P<cant>\bcan't\b)|\b(?:never|no longer)\s+", re.IGNORECASE)


def swap_antonym(sentence: str, rng: random.Random) -> str | None:
    """The sentence with one word swapped for its opposite, or None when it has none in the table."""
    found = list(_ANTONYM_WORD.finditer(sentence))
    if not found:
        return None
    m = rng.choice(found)
    word = m.group(0)
    other = _ANTONYM[word.lower()]
    other = other.capitalize() if word[0].isupper() else other
    return sentence[:m.start()] + other + sentence[m.end():]


def undeny(sentence: str, rng: random.Random) -> str | None:
    """The sentence with one of its denials taken out, or None when it denies nothing this can undo."""
    found = list(_DENIAL.finditer(sentence))
    if not found:
        return None
    m = rng.choice(found)
    if m.group("aux"):
        kept = m.group("aux")
    elif m.group("contracted"):
        kept = m.group("contracted")[:-1]
    elif m.group("wont"):
        kept = "will"
    elif m.group("cant"):
        kept = "can"
    else:
        kept = ""
    if m.group(0)[0].isupper() and kept:
        kept = kept.capitalize()
    return sentence[:m.start()] + kept + sentence[m.end():]


def swap_role(sentence: str, premise: str, rng: random.Random) -> str | None:
    """The sentence with a name it gives replaced by another name of the same kind that the premise also gives:
    the deed handed to someone else in the same report (Barker helmed the boat; Dalton, also named, did not)."""
    own = _actors(sentence)
    names = {name for _, name, _ in own}
    others: dict[str, list[str]] = {}
    for label, name, _ in _actors(premise):
        if name not in names and not any(name in n or n in name for n in names):
            others.setdefault(label, []).append(name)
    rng.shuffle(own)
    for label, _, (start, end) in own:
        if others.get(label):
            return sentence[:start] + rng.choice(others[label]) + sentence[end:]
    return None


# Kinds beyond KINDS, for pairs made from news and from paraphrased supports: a denial taken out, a word swapped
# for its opposite, a name swapped for another the passage gives (labelled NOT_SUPPORTS: the passage may not say
# that person did not do it, only that someone else did).
MORE_KINDS = ("undeny", "antonym", "role")


def contradict(claim: str, premise: str, turn: int, rng: random.Random, pool: dict) -> tuple[str, str, str] | None:
    """(hypothesis, label, kind): the claim with one detail changed, the kinds tried in turn from ``turn``."""
    kinds = list(KINDS) + list(MORE_KINDS)
    kinds = kinds[turn % len(kinds):] + kinds[:turn % len(kinds)]
    for kind in kinds:
        if kind == "undeny":
            new = undeny(claim, rng)
        elif kind == "antonym":
            new = swap_antonym(claim, rng)
        elif kind == "role":
            new = swap_role(claim, premise, rng)
        else:
            new = perturb(claim, premise, kind, rng, pool)
        if new and new != claim:
            return new, ("NOT_SUPPORTS" if kind == "role" else "REFUTES"), kind
    return None


def minimal_pairs(pairs: list[tuple[str, str, int]], count: int, rng: random.Random,
                  supports: int = 0) -> tuple[list[dict], dict[str, int]]:
    """Up to ``count`` minimal pairs from the SUPPORTS pairs among ``pairs`` (premise, claim, label): the supported
    claim as it is (SUPPORTS) and with one detail changed (REFUTES, or NOT_SUPPORTS for a role swap). The claim is
    the source's own wording, usually a paraphrase of its passage, so the pair teaches the changed detail and not
    "a copy supports"."""
    source = [(p, h) for p, h, y in pairs if y == supports]
    rng.shuffle(source)
    pool: dict[str, set[str]] = {}
    for _, claim in source[:600]:
        for label, name, _ in _actors(claim):
            pool.setdefault(label, set()).add(name)
    names = {label: sorted(found) for label, found in pool.items()}
    rows: list[dict] = []
    counts: dict[str, int] = {}
    for turn, (premise, claim) in enumerate(source):
        if len(rows) >= 2 * count:
            break
        found = contradict(claim, premise, turn, rng, names)
        if found is None:
            continue
        new, label, kind = found
        rows += [{"p": premise, "h": claim, "l": "SUPPORTS", "kind": "support"},
                 {"p": premise, "h": new, "l": label, "kind": kind}]
        counts[kind] = counts.get(kind, 0) + 1
    return rows, counts


def main(argv: list[str] | None = None) -> int:
    """Write minimal pairs made from the SUPPORTS pairs of stance files as a `training.stance --extra` folder."""
    import argparse
    import gzip
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--pairs", type=Path, nargs="+", required=True,
                        help="gzipped JSONL stance pairs {p, h, l} (VitaminC, FEVER in train_extra)")
    parser.add_argument("--count", type=int, default=1500, help="minimal pairs per file")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    report = {}
    for path in args.pairs:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            pairs = [(r["p"], r["h"], 0 if r["l"] == "SUPPORTS" else 1) for r in map(json.loads, handle)]
        rows, counts = minimal_pairs(pairs, args.count, rng)
        name = path.name.split(".")[0]
        with gzip.open(args.out / f"minimal_{name}.jsonl.gz", "wt", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row) + "\n" for row in rows)
        report[name] = {"pairs": len(rows), "kinds": counts}
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
