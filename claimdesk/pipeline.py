"""Wire the stages once, from ``Settings``: article → claims → evidence → stances → verdicts.

Used by the CLI, the dashboard and the evaluation commands. Models load lazily and once per
``Pipeline``, so a long-lived process (the dashboard) pays for them a single time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from claimdesk.offline import enforce_offline
from claimdesk.settings import Settings, SettingsError
from claims.types import Article
from verification.types import CheckedClaim

Progress = Callable[[str, float], None]


def user_errors() -> tuple[type[BaseException], ...]:
    """Errors whose message is the whole story for an analyst or operator (bad input, a missing or damaged
    index or model, an unreachable engine): shown as one line, never as a stack trace."""
    from claims.ingest import ArticleError
    from retrieval.corpus import CorpusError
    from retrieval.encoder import RetrieverModelError
    from retrieval.index import IndexError_
    from retrieval.milvus import MilvusError
    from retrieval.rerank import RerankerError
    from retrieval.store import EncoderMismatch
    from review.store import ReviewStoreError
    from verification.stance import StanceModelError

    return (ArticleError, CorpusError, IndexError_, MilvusError, EncoderMismatch, StanceModelError, RerankerError,
            RetrieverModelError, ReviewStoreError, SettingsError)


@dataclass(frozen=True)
class CheckResult:
    article: Article
    claims: tuple[CheckedClaim, ...]
    rerank_depth: int = 0  # how many search results were reranked before the top ones were kept; 0 = search order

    def to_json(self) -> dict:
        article = self.article
        return {
            "article": {
                "id": article.id, "title": article.title, "outlet": article.outlet,
                "published": article.published.isoformat() if article.published else None,
                "origin": article.origin, "characters": len(article.text),
            },
            "rerank_depth": self.rerank_depth,
            "claims": [_claim_json(item) for item in self.claims],
        }


def _claim_json(item: CheckedClaim) -> dict:
    claim, attribution = item.claim, item.claim.attribution
    return {
        "id": claim.id, "text": claim.text, "start": claim.start, "end": claim.end,
        "speaker": attribution.speaker, "cue": attribution.cue, "outlet": attribution.outlet,
        "quote_type": attribution.quote_type, "checkworthiness": claim.checkworthiness,
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
                "stance": s.label, "score": s.score, "scores": s.scores,
                "flags": [
                    {"kind": f.kind, "relation": f.relation, "claim": f.claim_value, "evidence": f.evidence_value,
                     "claim_span": list(f.claim_span) if f.claim_span else None,
                     "evidence_span": list(f.evidence_span) if f.evidence_span else None}
                    for f in s.flags
                ] + ([{"kind": "date", "relation": "after_article"}] if e.after_article else []),
                "retrieval_score": e.score, "rank": e.rank, "after_article": e.after_article,
                "duplicates": list(e.duplicates),
            }
            for e, s in zip(item.evidence, item.stances)
        ],
    }


def rerank(evidence, stances, weight: float, logits=None, combine: dict | None = None) -> list[tuple]:
    """Order (evidence, stance) pairs, best first, for the analyst.

    Stance only (``logits`` None): 1 / search rank + weight · relevance, where relevance = 1 − P(NEI): a passage
    that takes a side on the claim is worth more than one on topic. With the trained reranker's ``logits``:
    a·logit + b·relevance + w / search rank, with a, b, w from ``combine`` (fitted on the calibrate fold)."""
    pairs = list(zip(evidence, stances))
    if logits is None:
        return sorted(pairs, key=lambda p: -(1.0 / p[0].rank + weight * (1.0 - p[1].scores["NOT_ENOUGH_INFO"])))
    a, b, w = combine["reranker"], combine["stance_relevance"], combine["rank"]
    # The weights were fitted on the stance model's own probabilities, before the checks' calibration. With
    # b = 0 the stance plays no part, and may be None (not judged yet).
    keys = [a * logit + (b * (1.0 - (s.model_scores or s.scores)["NOT_ENOUGH_INFO"]) if b else 0.0) + w / e.rank
            for (e, s), logit in zip(pairs, logits)]
    order = sorted(range(len(pairs)), key=lambda i: -keys[i])
    return [pairs[i] for i in order]


class Pipeline:
    def __init__(self, settings: Settings | None = None) -> None:
        enforce_offline()
        self.settings = settings or Settings.load()

    @cached_property
    def extractor(self):
        from claims.segment import ClaimExtractor

        return ClaimExtractor()

    @cached_property
    def encoder(self):
        from retrieval.encoder import load_encoder

        return load_encoder(self.settings.data_dir / "models", prefer_onnx=self.settings.encoder_backend == "onnx",
                            model=self.settings.encoder, folder=self.settings.retriever_dir)

    @cached_property
    def judge(self):
        from verification.stance import OnnxStanceModel, StanceJudge

        return StanceJudge(OnnxStanceModel(self.settings.stance_model_dir, threads=self.settings.threads))

    @cached_property
    def index(self):
        """The engine checks search: Milvus when Settings name one, else the embedded index (built on first use)."""
        from retrieval.index import IndexFormatError, PassageIndex

        if self.settings.vector_url:
            from retrieval.milvus import MilvusStore

            return MilvusStore.open(self.settings.vector_url)
        index_dir = self.settings.resolved_index_dir
        if not (index_dir / "CURRENT").exists():
            self.build_index()
        try:
            return PassageIndex.open(index_dir)
        except IndexFormatError:
            # Written by an older Claimdesk: the index is derived data, so rebuild it in the new layout. A damaged
            # index still stops with its message (rebuilding a large one unasked could take hours).
            self.build_index()
            return PassageIndex.open(index_dir)

    @cached_property
    def searcher(self):
        from retrieval.search import Searcher

        return Searcher(self.index, self.encoder)

    def build_index(self, progress: Callable[[int, int], None] | None = None):
        from retrieval.corpus import load_corpus
        from retrieval.index import build_index

        documents, problems = load_corpus(self.settings.corpus_dir)
        report = build_index(documents, self.settings.resolved_index_dir, self.encoder, problems, progress,
                             precision=self.settings.index_precision)
        self.__dict__.pop("index", None)
        self.__dict__.pop("searcher", None)
        return report

    @cached_property
    def reranker(self):
        from retrieval.rerank import OnnxReranker

        return OnnxReranker(self.settings.reranker_dir, threads=self.settings.threads)

    def rerank_depth_for(self, rerank_depth: int | None) -> int:
        """The depth one check reranks: the caller's (the dashboard's "Rerank evidence" switch), else Settings'."""
        depth = self.settings.rerank_depth if rerank_depth is None else int(rerank_depth)
        if depth < 0:
            raise SettingsError(f"rerank depth {depth}: use 0 (off) or a positive number of passages")
        return depth

    def evidence_for(self, queries: list[str], filters, top_k: int | None = None, rerank_depth: int | None = None):
        """Retrieved candidates per query: top_k, or the rerank depth when reranking is on."""
        top_k = top_k or self.settings.top_k
        return self.searcher.search(queries, max(top_k, self.rerank_depth_for(rerank_depth)), filters)

    def judged(self, texts: list[str], found, top_k: int | None = None,
               rerank_depth: int | None = None) -> list[list[tuple]]:
        """(evidence, stance) per claim text, best first, cut to top_k. One batch through the stance model."""
        top_k = top_k or self.settings.top_k
        reorder = bool(self.rerank_depth_for(rerank_depth))
        logits = None
        if reorder and self.settings.reranker == "model":
            from retrieval.index import passage_text

            flat = iter(self.reranker.scores([(passage_text(e.passage), t) for t, ev in zip(texts, found)
                                              for e in ev]).tolist())
            logits = [[next(flat) for _ in evidence] for evidence in found]
            combine = self.reranker.combine
            if not combine["stance_relevance"]:
                # The fitted score does not use the stance: rank first, then judge only the passages kept
                # (at depth 30 and top 5, a sixth of the stance work).
                found = [[e for e, _ in rerank(evidence, [None] * len(evidence), 0.0, scores, combine)][:top_k]
                         for evidence, scores in zip(found, logits)]
                reorder = False
        stances = iter(self.judge.judge([(t, e.passage.text) for t, ev in zip(texts, found) for e in ev]))
        out = []
        for index, evidence in enumerate(found):
            pairs = [(e, next(stances)) for e in evidence]
            if reorder:
                pairs = rerank([e for e, _ in pairs], [s for _, s in pairs], self.settings.rerank_weight,
                               None if logits is None else logits[index],
                               self.reranker.combine if logits is not None else None)
            out.append(pairs[:top_k])
        return out

    def check(self, article: Article, progress: Progress | None = None,
              rerank_depth: int | None = None) -> CheckResult:
        """``rerank_depth`` overrides Settings for this check only: the dashboard lets an analyst who needs the
        deciding passage trade seconds for it (bench/RESULTS.md, "Evidence reranking")."""
        from retrieval.search import SearchFilters

        def step(message: str, fraction: float) -> None:
            if progress:
                progress(message, fraction)

        step("Finding claims and who made them", 0.05)
        claims = self.extractor.extract(article)
        step(f"Searching prior reporting for {len(claims)} claims", 0.35)
        filters = SearchFilters(
            before=article.published, include_later=self.settings.include_later,
            allow_outlets=self.settings.allow_outlets, deny_outlets=self.settings.deny_outlets,
        )
        depth = self.rerank_depth_for(rerank_depth)
        found = self.evidence_for([c.text for c in claims], filters, rerank_depth=depth)
        step("Reranking and weighing each passage against its claim" if depth else
             "Weighing each passage against its claim", 0.6)
        checked = []
        for claim, judged in zip(claims, self.judged([c.text for c in claims], found, rerank_depth=depth)):
            evidence, claim_stances = tuple(e for e, _ in judged), tuple(s for _, s in judged)
            verdict = self.judge.verdict(evidence, claim_stances)
            checked.append(CheckedClaim(claim, evidence, claim_stances, verdict))
        step("Done", 1.0)
        return CheckResult(article, tuple(checked), depth)
