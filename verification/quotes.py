"""Quote check: did they really say it? A direct quote's words searched for in the corpus of prior reporting.

For each passage that holds the words or nearly (rapidfuzz's partial ratio, which aligns the quote with its best
stretch of the passage), the check says whether the wording is the same or which words differ, and whom the
passage names beside the words: the claim's speaker, someone else, or nobody. The claim's status is then:

- ``verbatim``: the words appear as quoted, with the speaker named or nobody named;
- ``differs``: close wording (some words changed), with the speaker named or nobody named;
- ``other_speaker``: the words appear, but every passage that has them names other people and not the speaker;
- ``not_found``: no passage has words close to the quote.

Thresholds (``VERBATIM``, ``NEAR``) are on rapidfuzz's 0-100 scale over lowercased words without punctuation,
so a changed comma or curly quote is still verbatim. They were set on quotes written for the tests and the demo
corpus; they are a reading aid, not a verdict.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from claims.types import Claim
from retrieval.types import Evidence
from verification.types import QuoteCheck, QuoteMatch, WordChange

VERBATIM = 97.0
NEAR = 80.0
MIN_QUOTE_WORDS = 5
_QUOTED = re.compile(r"[\"“]([^\"“”\n]{3,}?)[\"”]")
_WORD = re.compile(r"[\w'’-]+")


def quoted_words(claim: Claim, article_text: str = "") -> str:
    """The longest quotation (straight or curly marks) that the claim's span overlaps in ``article_text``, so a
    quotation split into two claims is checked whole; without the article, the longest one inside the claim.
    Empty when it has fewer than MIN_QUOTE_WORDS words."""
    if article_text:
        pieces = [m.group(1).strip() for m in _QUOTED.finditer(article_text)
                  if m.start() < claim.end and claim.start < m.end()]
    else:
        pieces = [m.group(1).strip() for m in _QUOTED.finditer(claim.text)]
    best = max(pieces, key=lambda p: len(_WORD.findall(p)), default="")
    return best if len(_WORD.findall(best)) >= MIN_QUOTE_WORDS else ""


def _normalise(text: str) -> tuple[str, list[int]]:
    """Lowercased words joined by single spaces, and for each character its offset in ``text``."""
    out, where = [], []
    for match in _WORD.finditer(text):
        if out:
            out.append(" ")
            where.append(match.start())
        for offset, ch in enumerate(match.group().lower().replace("’", "'")):
            out.append(ch)
            where.append(match.start() + offset)
    return "".join(out), where


def _changes(quote: str, words: str) -> tuple[WordChange, ...]:
    a, b = quote.split(), words.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            out.append(WordChange(" ".join(a[i1:i2]), " ".join(b[j1:j2])))
    return tuple(out)


def _surname(speaker: str) -> str:
    words = _WORD.findall(speaker)
    return words[-1].lower() if words else ""


def match_quote(quote: str, speaker: str, evidence: list[Evidence],
                people_in: Callable[[str], list[str]]) -> QuoteCheck:
    """Compare ``quote`` with each retrieved passage; ``people_in(text)`` names the people a passage mentions."""
    from rapidfuzz import fuzz

    wanted, _ = _normalise(quote)
    surname = _surname(speaker)
    matches = []
    for item in evidence:
        passage = item.passage
        text, where = _normalise(passage.text)
        if not text:
            continue
        aligned = fuzz.partial_ratio_alignment(wanted, text)
        if aligned is None or aligned.score < NEAR:
            continue
        start, end = where[aligned.dest_start], where[max(aligned.dest_end - 1, aligned.dest_start)] + 1
        # Widen to whole words: the alignment may start or stop inside one.
        while start > 0 and (passage.text[start - 1].isalnum() or passage.text[start - 1] in "'’"):
            start -= 1
        while end < len(passage.text) and (passage.text[end].isalnum() or passage.text[end] in "'’"):
            end += 1
        words = passage.text[start:end]
        # The passage's people are looked for (a parse) only when it does not name the speaker.
        names = []
        if surname and re.search(rf"\b{re.escape(surname)}\b", passage.text.lower()):
            relation = "same"
        else:
            names = [n for n in dict.fromkeys(people_in(passage.text)) if n.strip()]
            relation = "other" if names else "unknown"
        kind = "verbatim" if aligned.score >= VERBATIM else "differs"
        matches.append(QuoteMatch(
            passage_id=passage.id, doc_id=passage.doc_id, source=passage.source,
            date=passage.date.isoformat() if passage.date else None, url=passage.url,
            similarity=round(float(aligned.score), 1), kind=kind, words=words, words_span=(start, end),
            speaker=relation, names=tuple(names[:5]) if relation == "other" else (),
            changes=() if kind == "verbatim" else _changes(wanted, _normalise(words)[0]),
        ))
    matches.sort(key=lambda m: (m.speaker == "other", -m.similarity, m.date or "9999"))
    own = [m for m in matches if m.speaker != "other"]
    if any(m.kind == "verbatim" for m in own):
        status = "verbatim"
    elif own:
        status = "differs"
    elif matches:
        status = "other_speaker"
    else:
        status = "not_found"
    dated = [m for m in matches if m.date]
    earliest = min(dated, key=lambda m: m.date).passage_id if dated else None
    return QuoteCheck(quote=quote, status=status, matches=tuple(matches), earliest=earliest)
