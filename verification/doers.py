"""Who does the claim's deed, read from spaCy's parse of the claim and of a passage that would support it.

The checks in ``verification.checks`` find the doer by the words around a past-tense verb. They miss a deed told
in the future or with "said" ("Masayoshi Son will become WeWork's executive chairman" against "SoftBank chief
operating officer Marcelo Claure will become WeWork's executive chairman"; a quote given to another speaker the
passage also names) and a passive passage ("a statement read in court by his eldest son, Jason"). The parse gives
the subject of the claim's main verb and, in the passage, the subject (or the "by" agent) of the same verb used on
the same thing. Asked only of a passage about to count as support, so a check parses a few passages, not all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from verification.checks import plain_forms
from verification.types import Flag

# Parts of a subject that describe it rather than name it: "Raducanu, who knocked out Osaka" names Raducanu only;
# "Jones's own lawyer, Andino Reynal" names Reynal, not Jones.
_NOT_THE_NAME = {"relcl", "acl", "advcl", "punct", "cc", "conj", "prep", "poss"}
# Verbs that report words: a passage tells with one what a claim tells with another ("revealed", "said", "told").
_REPORTING = {"say", "tell", "add", "state", "declare", "announce", "reveal", "write", "insist", "warn", "note",
              "explain", "claim"}
_RELATIVE = {"who", "which", "that"}
_PERSONAL = {"he", "she"}
# The entity kinds of a country or a people, which act through their bodies.
_STATES = {"GPE", "NORP"}


@lru_cache(maxsize=1024)
def _parse(text: str, names: bool = True):
    """spaCy's parse; ``names=False`` leaves out the entity recogniser, half the time of a parse, for passages (whose
    doers are read from the parse alone). The same tokens either way (no pipe of the model retokenises), so a
    token's index in one parse is its index in the other. The Doc's tensor, which nothing here reads and which is
    most of its size, is dropped, so the cache stays small in a long-running dashboard."""
    import numpy as np

    from claims.segment import load_nlp, one_blas_thread

    with one_blas_thread():
        doc = load_nlp()(text, disable=[] if names else ["ner"])
    doc.tensor = np.zeros((0,), dtype="float32")
    return doc


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _names(token) -> list:
    """The proper nouns that name ``token``'s phrase, without its relative clauses, asides and prepositions; for a
    common noun, the name set beside it ("his eldest son, Jason"). A thing described by a name is not named by it:
    "the missing Air France plane" is the plane, which "the Airbus A330-200" may be too."""
    if token.pos_ != "PROPN":
        beside = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if beside is None:
            return []
        token = beside
    found, stack = [], [token]
    while stack:
        word = stack.pop()
        if word.pos_ == "PROPN":
            found.append(word)
        stack.extend(child for child in word.children if child.dep_ not in _NOT_THE_NAME)
    return sorted(found, key=lambda w: w.i)


def _doer(verb, resolve: bool = True) -> list:
    """The names of who does ``verb``: its subject, or its "by" agent when passive; a verb joined to another by "and"
    has that one's doer; a relative clause's, the name it describes ("Acton, who will join the board"); "he" or "she",
    the last person named before them in that sentence or the one before ("Reagan spoke to the nation ... 'The future
    belongs to the brave,' he said")."""
    # The first subject that names someone: the parse may give two ("Committee chair Damian Collins said": "chair" and
    # "Collins").
    for child in verb.children:
        if child.dep_ != "nsubj":
            continue
        if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
            return _names(verb.head)
        if child.lower_ in _PERSONAL:
            # In a claim "she" is as often the person a clause names last ("X endorsed Le Pen, and she said"): read
            # only in a passage, where a report names the speaker in the sentences before.
            return _last_person(child) if resolve else []
        if named := _names(child):
            return named
    if any(child.dep_ == "nsubj" for child in verb.children):
        return []
    for child in verb.children:
        if child.dep_ == "agent":
            return next((_names(c) for c in child.children if c.dep_ == "pobj"), [])
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _doer(verb.head, resolve)
    return []


def _last_person(pronoun) -> list:
    """The names of the last named subject before ``pronoun``, in its sentence or the one before."""
    doc = pronoun.doc
    sentence = pronoun.sent
    earlier = doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start
    subjects = [_names(w) for w in doc[earlier:pronoun.i] if w.dep_ in ("nsubj", "nsubjpass")]
    return next((names for names in reversed(subjects) if names), [])


def _reports(verb) -> bool:
    """A reporting verb that reports words: "told the crowd that ...", "'...,' he said"; not "added 500 jobs" or
    "claimed the gold medal"."""
    return verb.lemma_ in _REPORTING and any(child.dep_ in ("ccomp", "parataxis") for child in verb.children)


# Verbs that tell one deed in other words: "started his takeoff roll" and "began his takeoff".
_KIN = {"begin": "start", "start": "start", "buy": "buy", "acquire": "buy", "purchase": "buy"}


def _same_verb(mine, theirs) -> bool:
    return mine.lemma_ == theirs.lemma_ or (_reports(mine) and _reports(theirs)) \
        or _KIN.get(mine.lemma_, mine.lemma_) == _KIN.get(theirs.lemma_)


def _keys(doer) -> set[str]:
    return {form for word in doer for form in plain_forms(word.text)}


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


def _state(text: str, doer) -> bool:
    """The doer is a country or a people, which acts through its bodies: "Russia ratified" is no clash with "the
    Federation Council ratified", but is with "Ukraine ratified". Read by the entity recogniser, run only here."""
    named = _parse(text)
    return any(e.label_ in _STATES and e.start <= doer[-1].i < e.end for e in named.ents)


def _span(names: list) -> tuple[int, int]:
    return names[0].idx, names[-1].idx + len(names[-1].text)


# Content words of what is done or said that two uses of a verb must share to be about the same thing: one is often a
# word of the story ("told the committee" and "appear before the committee").
SAME_THING = 2


@dataclass(frozen=True)
class _Deed:
    """One verb of the claim with a named doer: what the passage is searched for."""

    verb: object  # the spaCy token
    doer: tuple  # the doer's proper nouns (tokens)
    what: frozenset[str]  # content lemmas of what is done or said
    forms: re.Pattern  # a cheap test that a passage may use the verb at all


@lru_cache(maxsize=2048)
def _claim_deeds(claim: str) -> tuple[_Deed, ...]:
    """The claim's main verbs (and those joined to them, and relative clauses on a name) that have a named doer and
    say what is done. Parsed once per claim, whatever the number of its passages."""
    deeds = []
    for sentence in _parse(claim, names=False).sents:
        root = sentence.root
        if root.pos_ not in ("VERB", "AUX"):
            continue
        joined = [c for c in root.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        # A relative clause on a name tells a deed of its own: "Brian Acton, who will join Facebook's board, ...".
        # So does one on the person a cleft sentence singles out: "it was the Pan Am captain who had started ...".
        described = [w for w in sentence if w.dep_ == "relcl" and w.pos_ == "VERB"
                     and (w.head.pos_ == "PROPN" or (w.head.dep_ == "attr" and w.head.head.lemma_ == "be"
                                                     and any(c.lower_ == "it" for c in w.head.head.children
                                                             if c.dep_ in ("nsubj", "expl"))))]
        for verb in (root, *joined, *described):
            doer, what = _doer(verb, resolve=False), _what(verb)
            if doer and what:
                deeds.append(_Deed(verb, tuple(doer), frozenset(what), _verb_forms(verb)))
    return tuple(deeds)


def _verb_forms(verb) -> re.Pattern:
    if verb.lemma_ in _REPORTING:
        return _REPORTING_FORMS
    # The verb's own stem and its kin's ("beg" finds "began" for "started"), and the form the claim uses.
    kin = [lemma for lemma, kind in _KIN.items() if kind == _KIN.get(verb.lemma_)] or [verb.lemma_]
    stems = {lemma.lower()[:max(3, len(lemma) - 2)] for lemma in kin} | {verb.text.lower()}
    return re.compile(rf"\b(?:{'|'.join(re.escape(form) for form in sorted(stems))})", re.IGNORECASE)


_REPORTING_FORMS = re.compile(r"\b(?:sa(?:y|id|ys)|t(?:ell|old)|add|stat|declar|announc|reveal|wr(?:ite|ote|itten)|"
                              r"insist|warn|not(?:e|ed|ing)\b|explain|claim)", re.IGNORECASE)


def _may_tell(deed: _Deed, evidence: str) -> bool:
    """Without parsing: the passage has a form of the verb and enough of the words of what is done."""
    if not deed.forms.search(evidence):
        return False
    lowered = evidence.lower()
    found = sum(1 for word in deed.what if word[:max(3, len(word) - 2)] in lowered)
    return found >= min(len(deed.what), SAME_THING)


@lru_cache(maxsize=8192)
def other_doer(claim: str, evidence: str) -> Flag | None:
    """An actor clash: where the passage uses the claim's main verb (or one joined to it) on the same thing (two of
    the content words of what is done or said), it is always someone else, named, who does it; never the claim's
    doer (names compared as the checks compare them, with or without accents). None when the passage's doer is a
    pronoun it cannot read or a common noun, when the claim names no doer, or when the claim's doer is a country and
    the passage's is not. The passage is parsed only when it may tell one of the claim's deeds."""
    deeds = [deed for deed in _claim_deeds(claim) if _may_tell(deed, evidence)]
    if not deeds:
        return None
    theirs_doc = _parse(evidence, names=False)
    for deed in deeds:
        my_words = _keys(deed.doer)
        other = None
        for word in theirs_doc:
            if not _same_verb(deed.verb, word) or word.pos_ not in ("VERB", "AUX") \
                    or len(deed.what & _what(word)) < min(len(deed.what), SAME_THING):
                continue
            theirs = _doer(word)
            if not theirs:
                continue  # "he said", "the committee voted": no name to compare
            if my_words & _keys(theirs):
                other = None
                break  # the claim's own doer does it somewhere in the passage
            other = other or theirs
        if other and not (_state(claim, deed.doer) and not _state(evidence, other)):
            a, b = _span(list(deed.doer))
            c, d = _span(other)
            return Flag("actor", "clashes", claim[a:b], evidence[c:d], (a, b), (c, d))
    return None
