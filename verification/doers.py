"""Who does the claim's deed, read from spaCy's parse of the claim and of a passage that would support it.

The checks in ``verification.checks`` find the doer by the words around a past-tense verb. They miss a deed told
in the future or with "said" ("Masayoshi Son will become WeWork's executive chairman" against "SoftBank chief
operating officer Marcelo Claure will become WeWork's executive chairman"; a quote given to another speaker the
passage also names) and a passive passage ("a statement read in court by his eldest son, Jason"). The parse gives
the subject of the claim's main verb and, in the passage, the subject (or the "by" agent) of the same verb used on
the same thing. Asked only of a passage about to count as support, so a check parses a few passages, not all.
"""

from __future__ import annotations

from functools import lru_cache

from verification.types import Flag

# Parts of a subject that describe it rather than name it: "Raducanu, who knocked out Osaka" names Raducanu only;
# "Jones's own lawyer, Andino Reynal" names Reynal, not Jones.
_NOT_THE_NAME = {"relcl", "acl", "advcl", "punct", "cc", "conj", "prep", "poss"}
# Verbs that report words: a passage tells with one what a claim tells with another ("revealed", "said", "told").
_REPORTING = {"say", "tell", "add", "state", "declare", "announce", "reveal", "write", "insist", "warn", "note",
              "explain", "claim"}
_RELATIVE = {"who", "which", "that"}
_PERSONAL = {"he", "she"}
# A country or a people acts through its bodies ("Russia ratified" where "the Federation Council ratified"): only a
# doer of the same kind is another doer.
_STATES = {"GPE", "NORP"}


@lru_cache(maxsize=4096)
def _parse(text: str):
    from claims.segment import load_nlp, one_blas_thread

    with one_blas_thread():
        return load_nlp()(text)


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _names(token) -> list:
    """The proper nouns that name ``token``'s phrase, without its relative clauses, asides and prepositions."""
    found, stack = [], [token]
    while stack:
        word = stack.pop()
        if word.pos_ == "PROPN":
            found.append(word)
        stack.extend(child for child in word.children if child.dep_ not in _NOT_THE_NAME)
    return sorted(found, key=lambda w: w.i)


def _doer(verb) -> list:
    """The names of who does ``verb``: its subject, or its "by" agent when passive; a verb joined to another by "and"
    has that one's doer; a relative clause's, the name it describes ("Acton, who will join the board"); "he" or "she",
    the last person named before them in that sentence or the one before ("Reagan spoke to the nation ... 'The future
    belongs to the brave,' he said")."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return _names(verb.head)
            if child.lower_ in _PERSONAL:
                return _last_person(child)
            return _names(child)
    for child in verb.children:
        if child.dep_ == "agent":
            return next((_names(c) for c in child.children if c.dep_ == "pobj"), [])
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _doer(verb.head)
    return []


def _last_person(pronoun) -> list:
    doc = pronoun.doc
    sentence = pronoun.sent
    earlier = doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start
    people = [e for e in doc.ents if e.label_ == "PERSON" and earlier <= e.start and e.end <= pronoun.i]
    return [w for w in people[-1] if w.pos_ == "PROPN"] if people else []


def _same_verb(mine, theirs) -> bool:
    return mine.lemma_ == theirs.lemma_ or (mine.lemma_ in _REPORTING and theirs.lemma_ in _REPORTING)


def _what(verb) -> set[str]:
    """The content words of what ``verb`` does or says: its subtree less its subject and the verbs joined to it."""
    stop = _stop_words()
    words = set()
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass", "punct", "cc", "conj", "agent"):
            continue
        words |= {t.lemma_.lower() for t in child.subtree
                  if t.is_alpha and len(t) > 2 and t.lower_ not in stop and t.pos_ != "PROPN"}
    if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":
        words.add(verb.head.lemma_.lower())  # "a statement read in court by his son": the statement is what is read
    return words


def _kind(doc, names: list) -> str:
    return next((e.label_ for e in doc.ents if e.start <= names[-1].i < e.end), "")


def _span(names: list) -> tuple[int, int]:
    return names[0].idx, names[-1].idx + len(names[-1].text)


# Content words of what is done or said that two uses of a verb must share to be about the same thing: one is often a
# word of the story ("told the committee" and "appear before the committee").
SAME_THING = 2


@lru_cache(maxsize=8192)
def other_doer(claim: str, evidence: str) -> Flag | None:
    """An actor clash: where the passage uses the claim's main verb (or one joined to it) on the same thing (two of
    the content words of what is done or said), it is always someone else, named, who does it; never the claim's
    doer. None when the passage's doer is a pronoun or a common noun, when the claim names no doer, or when the
    claim's doer is a country and the passage's is not (a state acts through its bodies)."""
    mine_doc, theirs_doc = _parse(claim), _parse(evidence)
    for sentence in mine_doc.sents:
        root = sentence.root
        if root.pos_ not in ("VERB", "AUX"):
            continue
        joined = [c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        # A relative clause on a name tells a deed of its own: "Brian Acton, who will join Facebook's board, ...".
        described = [w for w in sentence if w.dep_ == "relcl" and w.pos_ == "VERB" and w.head.pos_ == "PROPN"]
        for verb in (root, *joined, *described):
            mine = _doer(verb)
            what = _what(verb)
            if not mine or not what:
                continue
            my_words = {w.text.lower() for w in mine}
            other = None
            for word in theirs_doc:
                if not _same_verb(verb, word) or word.pos_ not in ("VERB", "AUX") \
                        or len(what & _what(word)) < min(len(what), SAME_THING):
                    continue
                theirs = _doer(word)
                if not theirs:
                    continue  # "he said", "the committee voted": no name to compare
                if my_words & {w.text.lower() for w in theirs}:
                    other = None
                    break  # the claim's own doer does it somewhere in the passage
                if _kind(mine_doc, mine) in _STATES and _kind(theirs_doc, theirs) not in _STATES:
                    continue
                other = other or theirs
            if other:
                a, b = _span(mine)
                c, d = _span(other)
                return Flag("actor", "clashes", claim[a:b], evidence[c:d], (a, b), (c, d))
    return None
