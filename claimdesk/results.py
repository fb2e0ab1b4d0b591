"""A check's result as it is stored and exported: the article, each claim with its evidence, stances and verdict,
and the provenance that says which models, corpus and settings produced it.

A stored result is what the analyst reviewed. ``claimdesk export`` and the dashboard's Recent list read it back
(``CheckResult.from_record``) and never recompute it: a retrained model or a changed corpus would otherwise show
other verdicts and evidence than the ones the decisions were made on. Re-checking is an explicit action.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from datetime import date

from claims.types import Article
from verification.types import CheckedClaim

# Bumped when the stored record's shape changes in a way ``from_record`` cannot read.
RECORD_VERSION = 1


@dataclass(frozen=True)
class Provenance:
    """What produced a result. ``settings`` holds only the settings that change a result."""

    checked_at: str = ""  # ISO 8601, UTC
    claimdesk_version: str = ""
    encoder: str = ""  # the encoder's fingerprint: model id @ weights hash
    stance_model_sha256: str = ""
    reranker_sha256: str | None = None  # only when the evidence was reranked with the trained reranker
    index: dict = field(default_factory=dict)  # engine, generation, passages, built or published when
    settings: dict = field(default_factory=dict)  # top_k, rerank_depth, reranker, include_later, date guard, filters


@dataclass(frozen=True)
class CheckResult:
    article: Article
    claims: tuple[CheckedClaim, ...]
    rerank_depth: int = 0  # how many search results were reranked before the top ones were kept; 0 = search order
    provenance: Provenance = field(default_factory=Provenance)

    def to_json(self) -> dict:
        """The ``claimdesk check`` JSON (a contract: fields are added, never changed)."""
        article = self.article
        return {
            "article": {
                "id": article.id, "title": article.title, "outlet": article.outlet,
                "published": article.published.isoformat() if article.published else None,
                "origin": article.origin, "characters": len(article.text), "url": article.url,
            },
            "rerank_depth": self.rerank_depth,
            "provenance": encode(self.provenance),
            "claims": [_claim_json(item) for item in self.claims],
        }

    def to_record(self) -> dict:
        """Every field, for the store: ``from_record`` gives back an equal ``CheckResult``."""
        return {"version": RECORD_VERSION, "result": encode(self)}

    @classmethod
    def from_record(cls, record: dict) -> CheckResult:
        if record.get("version") != RECORD_VERSION:
            raise ValueError(f"stored result version {record.get('version')} is not {RECORD_VERSION}")
        return decode(cls, record["result"])


def _claim_json(item: CheckedClaim) -> dict:
    claim, attribution = item.claim, item.claim.attribution
    return {
        "id": claim.id, "text": claim.checked_text, "as_written": claim.text,
        "start": claim.start, "end": claim.end,
        "speaker": attribution.speaker, "cue": attribution.cue, "outlet": attribution.outlet,
        "quote_type": attribution.quote_type, "checkworthiness": claim.checkworthiness,
        "checkworthy_reasons": list(claim.checkworthy_reasons),
        "source_span": list(attribution.source) if attribution.source else None,
        "cue_span": list(attribution.cue_span) if attribution.cue_span else None,
        "content_spans": [list(span) for span in attribution.content],
        "entities": [m.text for m in claim.entities], "dates": [m.text for m in claim.dates],
        "numbers": [m.text for m in claim.numbers],
        "verdict": item.verdict.label, "confidence": item.verdict.confidence,
        "verdict_reason": item.verdict.reason, "deciding_evidence": list(item.verdict.deciding),
        "evidence": [
            {
                "id": e.passage.id, "doc_id": e.passage.doc_id, "source": e.passage.source,
                "date": e.passage.date.isoformat() if e.passage.date else None, "text": e.passage.text,
                "title": e.passage.title, "url": e.passage.url,
                "stance": s.label, "score": s.score, "scores": s.scores, "role": s.role, "weighed": s.weighed,
                "flags": [
                    {"kind": f.kind, "relation": f.relation, "claim": f.claim_value, "evidence": f.evidence_value,
                     "claim_span": list(f.claim_span) if f.claim_span else None,
                     "evidence_span": list(f.evidence_span) if f.evidence_span else None}
                    for f in s.flags
                ] + ([{"kind": "date", "relation": "after_article"}] if e.after_article else []),
                "retrieval_score": e.score, "rank": e.rank, "after_article": e.after_article,
                "duplicates": list(e.duplicates),
                "also_carried_by": [{"doc_id": c.doc_id, "source": c.source, "title": c.title,
                                     "date": c.date.isoformat() if c.date else None, "url": c.url}
                                    for c in e.copies],
            }
            for e, s in zip(item.evidence, item.stances)
        ],
        **({"quote_check": encode(item.quote_check)} if item.quote_check else {}),
        "fact_checks": [{**encode(match.check), "similarity": match.similarity, "after_article": match.after_article}
                        for match in item.fact_checks],
    }


def encode(value):
    """A frozen dataclass tree as JSON-ready data: dataclasses become objects, tuples lists, dates ISO strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list, frozenset, set)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode(kind, data):
    """The inverse of ``encode``, guided by the type annotations of the dataclasses."""
    if data is None:
        return None
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return decode(inner[0], data) if len(inner) == 1 else data
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(**{f.name: decode(hints[f.name], data[f.name]) for f in dataclasses.fields(kind)
                       if f.name in data})
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        return tuple(decode(a, v) for a, v in zip(args, data))
    if origin is frozenset:
        return frozenset(decode(args[0], v) for v in data)
    if origin is dict:
        return {k: decode(args[1], v) for k, v in data.items()}
    if kind is date:
        return date.fromisoformat(data)
    return data


def store_result(store, result: CheckResult) -> None:
    """Keep ``result`` in the review store, replacing an earlier check of the same article."""
    import json

    article = result.article
    store.save_check(article.id, article.text, json.dumps(result.to_record(), ensure_ascii=False),
                     len(result.claims), result.provenance.checked_at, article.title, article.outlet,
                     article.published.isoformat() if article.published else "", article.origin)


def stored_article(store, article_id: str, published: date | None = None):
    """An article as the review store keeps it, to check again: from its stored result when there is one (the exact
    ``Article`` that was checked), else from its stored text. ``published`` overrides the stored date. None if the
    store has no such article."""
    from dataclasses import replace

    from claims.ingest import article_from_text

    result = load_result(store, article_id)
    if result is not None:
        article = result.article
    else:
        meta = next((a for a in store.articles() if a["id"] == article_id), None)
        if meta is None:
            return None
        article = article_from_text(store.article_text(article_id), origin=meta["origin"] or "stored",
                                    published=date.fromisoformat(meta["published"]) if meta["published"] else None)
    return replace(article, published=published) if published else article


def load_result(store, article_id: str) -> CheckResult | None:
    """The stored result of an article's latest check, exactly as it was reviewed; None if there is none."""
    import json

    stored = store.stored_check(article_id)
    return None if stored is None else CheckResult.from_record(json.loads(stored))
