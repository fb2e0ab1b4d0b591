"""Source / cue / content attribution for one sentence, following the PARC and PolNeAR schema.

Works on spaCy's dependency parse: a cue is a reporting verb (or "according to"), its subject is the
source, and the rest of the sentence, minus source and cue, is the content. Offsets are absolute
(into ``Article.text``): ``base`` is where the parsed text starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.people import People
from claims.types import Attribution, Span

SPEECH_LEMMAS = {
    "say", "tell", "add", "announce", "state", "claim", "report", "note", "warn", "insist", "accuse", "deny",
    "confirm", "explain", "write", "tweet", "argue", "acknowledge", "admit", "assert", "declare", "stress",
    "emphasize", "emphasise", "reiterate", "urge", "promise", "pledge", "vow", "contend", "maintain", "allege",
    "reveal", "disclose", "indicate", "predict", "estimate", "believe", "suggest", "recall", "reply", "respond",
    "quote", "cite", "testify", "observe", "remark", "comment", "conclude", "caution", "concede",
}
# PARC/PolNeAR also count verbs of judgement, demand and stance as attribution cues: "X criticized the
# plan", "X called for ...", "X wants ...". They yield to a speech verb above them in the same sentence.
STANCE_LEMMAS = {
    "call", "show", "agree", "describe", "attack", "criticize", "criticise", "ask", "decline", "condemn",
    "blast", "demand", "oppose", "liken", "point", "expect", "find", "feel", "praise", "worry", "want",
    "hope", "think", "slam", "question", "reject", "dismiss", "mock", "tout", "boast", "threaten", "fear",
    "doubt", "recommend", "propose", "announce", "speak", "insinuate", "charge", "blame", "defend",
}
CUE_LEMMAS = SPEECH_LEMMAS | STANCE_LEMMAS
# Cues whose content can be a prepositional phrase: "called for talks", "pointed to the data".
PREPOSITIONAL_CUES = {"call", "point", "speak", "ask", "agree", "worry", "hope"}
MEDIA_WORDS = {
    "media", "agency", "news", "newspaper", "times", "post", "journal", "tass", "reuters", "xinhua", "kcna",
    "yonhap", "ap", "afp", "bbc", "cnn", "ria", "interfax", "television", "tv", "broadcaster", "outlet",
    "daily", "herald", "tribune", "gazette", "press", "wire", "radio", "channel", "network", "magazine",
}
_QUOTES = "\"“”"


@dataclass(frozen=True)
class Cue:
    """A reporting verb or "according to", with its source and outlet found in the parse."""

    token_i: int
    span: Span
    text: str
    source: Span | None
    source_text: str
    speaker: str
    outlet: str


def _span_of(tokens, base: int) -> Span:
    tokens = [t for t in tokens if not t.is_punct or t.text in "'"]
    if not tokens:
        return (0, 0)
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    return (base + start, base + end)


def _subject(verb):
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    return None


def _noun_phrase(head):
    """The subject phrase without relative clauses or appositive asides that trail it."""
    def aside(a) -> bool:
        # A proper-noun appositive names the thing ("the state news agency TASS"); others are asides.
        return a.i != head.i and (a.dep_ in {"relcl", "acl"} or (a.dep_ == "appos" and a.pos_ != "PROPN"))

    keep = [t for t in head.subtree if not any(aside(a) for a in _ancestors_until(t, head))]
    while keep and keep[0].is_punct:
        keep.pop(0)
    while keep and keep[-1].is_punct:
        keep.pop()
    return keep


def _ancestors_until(token, stop):
    node = token
    chain = []
    while node.i != stop.i and node.head.i != node.i:
        chain.append(node)
        node = node.head
    return chain


def is_media(words: str) -> bool:
    lowered = {w.lower().strip(".,") for w in words.split()}
    return bool(lowered & MEDIA_WORDS)


def _outlet_name(tokens) -> str:
    """"Russian state media TASS" is outlet TASS; "state media" alone is itself the outlet."""
    proper = [t for t in tokens if t.pos_ == "PROPN" or (t.text.isupper() and len(t.text) > 1)]
    if proper:
        run = [proper[-1]]
        for t in reversed(proper[:-1]):
            if t.i == run[0].i - 1:
                run.insert(0, t)
        return " ".join(t.text for t in run)
    return " ".join(t.text for t in tokens)


def _depth(token) -> int:
    depth = 0
    while token.head.i != token.i:
        token = token.head
        depth += 1
    return depth


def _reporting_subject(token):
    node = token.head
    while True:
        subject = _subject(node)
        if subject is not None and node.lemma_.lower() in SPEECH_LEMMAS:
            return subject
        if node.head.i == node.i:
            return _subject(token.head)
        node = node.head


def find_cues(sent, base: int, people: People) -> list[Cue]:
    cues: list[Cue] = []
    for token in sent:
        if token.lemma_.lower() == "accord" and token.text.lower() == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is None:
                continue
            phrase = _noun_phrase(obj)
            text = " ".join(t.text for t in phrase)
            media = is_media(text) or any(e.label_ == "ORG" for e in sent.ents if e.start <= obj.i < e.end)
            outlet = _outlet_name(phrase) if media else ""
            speaker = "" if media else people.resolve(text)
            cues.append(Cue(token.i, _span_of([token, to], base), "according to", _span_of(phrase, base), text,
                            speaker, outlet))
        elif token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in CUE_LEMMAS:
            subject = _subject(token)
            lemma = token.lemma_.lower()
            # A parenthetical cue ("..., Graham said, since ...") hangs off the clause it reports.
            parenthetical = token.dep_ == "parataxis" and lemma in SPEECH_LEMMAS
            has_content = parenthetical or any(
                c.dep_ in {"ccomp", "xcomp", "dobj", "parataxis"} for c in token.children) or any(
                t.text in _QUOTES for t in sent) or (
                lemma in PREPOSITIONAL_CUES and any(c.dep_ == "prep" for c in token.children))
            if subject is None and token.dep_ == "advcl":
                # "..., adding that ...": the subject is that of the reporting verb above it.
                subject = _reporting_subject(token)
            if subject is not None and not has_content and lemma in SPEECH_LEMMAS:
                # 'Clinton said.' on its own, after a quote that ended the sentence before it.
                rest = [t for t in sent if not t.is_punct and t.i != token.i
                        and not (subject.left_edge.i <= t.i <= subject.right_edge.i)]
                has_content = len(rest) <= 3
            if subject is None or not has_content:
                continue
            phrase = _noun_phrase(subject)
            text = " ".join(t.text for t in phrase)
            outlet = _outlet_name(phrase) if is_media(text) else ""
            speaker = people.resolve(text)
            cues.append(Cue(token.i, _span_of([token], base), token.text, _span_of(phrase, base), text,
                            speaker, outlet))
    return cues


def quote_type(text: str, content: tuple[Span, ...], base_text: str) -> str:
    """direct: the content is all inside quote marks; mixed: part of it is; indirect: none of it is."""
    inside = 0
    total = 0
    for start, end in content:
        chunk = base_text[start:end]
        depth = _quote_depth_before(base_text, start)
        for ch in chunk:
            if ch in _QUOTES:
                depth = 1 - depth if ch == '"' else (1 if ch == "“" else 0)
                continue
            if ch.isalnum():
                total += 1
                inside += depth
    if total == 0 or inside == 0:
        return "indirect"
    return "direct" if inside >= 0.9 * total else "mixed"


def _quote_depth_before(text: str, position: int) -> int:
    """Whether ``position`` sits inside an open quotation within its paragraph."""
    paragraph_start = text.rfind("\n\n", 0, position) + 1
    depth = 0
    for ch in text[paragraph_start:position]:
        if ch == '"':
            depth = 1 - depth
        elif ch == "“":
            depth = 1
        elif ch == "”":
            depth = 0
    return depth


def subtract(span: Span, holes: list[Span]) -> tuple[Span, ...]:
    """``span`` with the holes (source, cue) cut out, as the content's pieces."""
    pieces = [span]
    for hole_start, hole_end in sorted(holes):
        next_pieces = []
        for start, end in pieces:
            if hole_end <= start or hole_start >= end:
                next_pieces.append((start, end))
                continue
            if start < hole_start:
                next_pieces.append((start, hole_start))
            if hole_end < end:
                next_pieces.append((hole_end, end))
        pieces = next_pieces
    return tuple(pieces)


def trim(text: str, pieces: tuple[Span, ...]) -> tuple[Span, ...]:
    """Drop connecting punctuation and "that" left at the edges of content pieces."""
    trimmed = []
    for start, end in pieces:
        chunk = text[start:end]
        left = len(chunk) - len(chunk.lstrip(" ,;:—–-\n"))
        lead = re.match(r"(that|,)\s+", chunk[left:])
        if lead:
            left += lead.end()
        right = len(chunk.rstrip(" ,;:—–-.\n"))
        if right - left >= 3:
            trimmed.append((start + left, start + right))
    return tuple(trimmed)


def _reported_clause(sent, base: int, cue: Cue, span: Span) -> tuple[Span, ...]:
    """The content of a reporting verb is its clausal complement (with any quote marks around it),
    not the adjuncts of the reporting event ("Tuesday after a meeting in Moscow")."""
    if cue.text == "according to":
        return ()
    verb = sent.doc[cue.token_i]
    pieces = []
    for child in verb.children:
        clausal = child.dep_ in {"ccomp", "parataxis", "xcomp"} or (child.dep_ == "dobj" and child.pos_ == "VERB")
        complement = child.dep_ in {"dobj", "prep"} and verb.lemma_.lower() not in {"say", "tell"}
        if clausal or complement:
            tokens = list(child.subtree)
            start, end = _span_of(tokens, base)
            start, end = max(start, span[0]), min(end, span[1])
            if end - start > 3:
                pieces.append((start, end))
    return tuple(sorted(pieces))


Tagged = dict[str, list[Span]]  # the tagger's spans by layer: "source", "cue", "content" (claims/tagger.py)
_FIRST_PERSON = {"i", "we", "me", "us", "my", "our"}


def _inside(inner: Span, outer: Span) -> bool:
    return inner[0] >= outer[0] - 1 and inner[1] <= outer[1] + 1


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def tagged_attribution(sent, base: int, text: str, people: People, span: Span, tagged: Tagged) -> Attribution:
    """The learned tagger's attribution of ``span``, for a claim the rules found no cue in: a tagged cue inside the
    claim, the tagged source nearest to it in the sentence, and the tagged content the claim overlaps. The rules
    still name the person (pronouns, roles) and the outlet. A first-person source ("I think", inside someone
    else's quote) is left to the quote it sits in."""
    sentence = (base + sent.start_char, base + sent.end_char)
    cues = [c for c in tagged.get("cue", []) if _inside(c, span)]
    sources = [s for s in tagged.get("source", []) if _inside(s, sentence)
               and text[s[0]:s[1]].strip().lower() not in _FIRST_PERSON]
    if not cues or not sources:
        return Attribution()
    cue = cues[0]
    source = min(sources, key=lambda s: min(abs(s[0] - cue[1]), abs(cue[0] - s[1])))
    source_text = " ".join(text[source[0]:source[1]].split())
    outlet = source_text if is_media(source_text) else ""
    speaker = people.resolve(source_text) or outlet
    content = tuple((max(s, span[0]), min(e, span[1])) for s, e in tagged.get("content", []) if _overlap((s, e), span))
    content = trim(text, content or subtract(span, [cue, source]))
    if speaker:
        people.spoke(speaker)
    return Attribution(speaker=speaker, source=source, source_text=source_text, cue=text[cue[0]:cue[1]],
                       cue_span=cue, content=content, outlet=outlet,
                       quote_type=quote_type(text, content, text) if content else "indirect")


def attribute(sent, base: int, text: str, people: People, span: Span, tagged: Tagged | None = None) -> Attribution:
    """Attribution of the claim ``span`` (absolute offsets) inside the parsed sentence ``sent``: the rules' first,
    then the tagger's (``tagged``) where the rules find no cue."""
    cues = [c for c in find_cues(sent, base, people) if c.span[0] >= span[0] - 1 and c.span[1] <= span[1] + 1]
    if not cues:
        return tagged_attribution(sent, base, text, people, span, tagged) if tagged else Attribution()
    # The reporting verb highest in the parse is the cue; a speech verb beats a stance verb below it
    # ("Lavrov said Moscow wanted ..." is Lavrov's claim, not Moscow's).
    verbs = sorted((c for c in cues if c.text != "according to"),
                   key=lambda c: (sent.doc[c.token_i].lemma_.lower() not in SPEECH_LEMMAS,
                                  _depth(sent.doc[c.token_i])))
    according = [c for c in cues if c.text == "according to"]
    main = verbs[0] if verbs else according[0]
    attribution = _attribution(sent, base, text, span, main, cues)
    if attribution.speaker:
        people.spoke(attribution.speaker)
    return attribution


def every_attribution(sent, base: int, text: str, people: People) -> list[Attribution]:
    """One attribution per speech cue in the sentence, nested ones included ("Lavrov said, according to TASS,
    ...": Lavrov's and TASS's). A claim keeps only its main one (``attribute``); the attribution evaluation,
    like PARC and PolNeAR, counts them all. Stance verbs ("wants", "thinks") count only as a claim's own cue:
    on the PolNeAR dev fold, adding them everywhere cost more precision than it gained recall."""
    span = (base + sent.start_char, base + sent.end_char)
    cues = [c for c in find_cues(sent, base, people)
            if c.text == "according to" or sent.doc[c.token_i].lemma_.lower() in SPEECH_LEMMAS]
    return [_attribution(sent, base, text, span, cue, [cue]) for cue in cues]


def _attribution(sent, base: int, text: str, span: Span, main: Cue, cues: list[Cue]) -> Attribution:
    according = [c for c in cues if c.text == "according to"]
    outlet = next((c.outlet for c in cues if c.outlet), "")
    speaker = main.speaker
    source, source_text = main.source, main.source_text
    if not speaker and according and according[0].speaker:
        speaker, source, source_text = according[0].speaker, according[0].source, according[0].source_text
    if not speaker and outlet:
        speaker = outlet
    holes = [c.span for c in cues] + [c.source for c in cues if c.source]
    content = trim(text, _reported_clause(sent, base, main, span) or subtract(span, holes))
    return Attribution(
        speaker=speaker,
        source=source,
        source_text=source_text,
        cue=main.text,
        cue_span=main.span,
        content=content,
        outlet=outlet,
        quote_type=quote_type(text, content, text) if content else "indirect",
    )


def tagged_attributions(text: str, tagged: Tagged, sentences: list[Span]) -> list[Attribution]:
    """An attribution for each tagged cue. Each tagged source goes to the
    nearest cue in its sentence (or, with none there, the nearest cue at all), each tagged content span to the
    nearest cue, because a quotation often runs over several sentences before its cue. A cue with no source is
    kept (PolNeAR also annotates sourceless attributions). Speakers are the source as written: this serves the
    attribution evaluation, which scores spans, not the names a claim gets."""
    cues = list(tagged.get("cue", []))
    if not cues:
        return []

    def sentence_of(span: Span) -> Span:
        return next((s for s in sentences if s[0] <= span[0] < s[1]), span)

    def distance(a: Span, b: Span) -> int:
        return max(a[0] - b[1], b[0] - a[1], 0)

    sources: dict[Span, list[Span]] = {c: [] for c in cues}
    for source in tagged.get("source", []):
        here = [c for c in cues if sentence_of(c) == sentence_of(source)]
        sources[min(here or cues, key=lambda c: distance(c, source))].append(source)
    content: dict[Span, list[Span]] = {c: [] for c in cues}
    for piece in tagged.get("content", []):
        content[min(cues, key=lambda c: distance(c, piece))].append(piece)
    out = []
    for cue in cues:
        pieces = tuple(content[cue])
        for n, source in enumerate(sources[cue] or [None]):
            source_text = " ".join(text[source[0]:source[1]].split()) if source else ""
            given = pieces if n == 0 else ()
            out.append(Attribution(speaker=source_text, source=source, source_text=source_text,
                                   cue=text[cue[0]:cue[1]], cue_span=cue, content=given,
                                   outlet=source_text if is_media(source_text) else "",
                                   quote_type=quote_type(text, given, text) if given else "indirect"))
    return out
