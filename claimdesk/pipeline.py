"""Wire the stages once, from ``Settings``: article → claims → evidence → stances → verdicts.

Used by the CLI, the dashboard and the evaluation commands. Models load lazily and once per
``Pipeline``, so a long-lived process (the dashboard) pays for them a single time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

from claimdesk.results import CheckResult, Provenance
from claimdesk.settings import Settings, SettingsError

# Reading an article is the pipeline's first step; the dashboard and the CLI take these from here.
from claims.ingest import ArticleError, article_from_text, decode_article_bytes, read_article  # noqa: F401
from claims.types import Article
from retrieval.offline import enforce_offline
from verification.types import CheckedClaim

Progress = Callable[[str, float], None]

QUOTE_SEARCH_DEPTH = 20  # passages searched for a direct quote's words


def user_errors() -> tuple[type[BaseException], ...]:
    """Errors whose message is the whole story for an analyst or operator (bad input, a missing or damaged
    index or model, an unreachable engine): shown as one line, never as a stack trace."""
    from claims.checkworthy import CheckworthyError
    from claims.tagger import TaggerError
    from retrieval.corpus import CorpusError
    from retrieval.encoder import RetrieverModelError
    from retrieval.index import IndexError_
    from retrieval.milvus import MilvusError
    from retrieval.rerank import RerankerError
    from retrieval.store import EncoderMismatch
    from review.store import ReviewStoreError
    from verification.stance import StanceModelError

    return (ArticleError, CorpusError, IndexError_, MilvusError, EncoderMismatch, StanceModelError, RerankerError,
            RetrieverModelError, ReviewStoreError, SettingsError, TaggerError, CheckworthyError)


def corpus_searcher(documents: list, index_dir, encoder, mode: str = "hybrid", **build_options):
    """Index ``documents`` in ``index_dir`` (reusing what is there) and return the product's ``Searcher`` over it:
    how training, evaluation and the benches search a dev corpus exactly as a check searches the analyst's."""
    from retrieval.index import PassageIndex, build_index
    from retrieval.search import Searcher

    build_index(documents, index_dir, encoder, **build_options)
    return Searcher(PassageIndex.open(index_dir), encoder, mode)


def indexed_corpora(index_root) -> list[dict]:
    """The corpora with an embedded index under ``index_root`` (``retrieval.index.indexed_corpora``), for the
    dashboard's corpus choice."""
    from retrieval.index import indexed_corpora as found

    return found(index_root)


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
                            model=self.settings.encoder, folder=self.settings.retriever_dir,
                            threads=self.settings.threads)

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

    def build_index(self, progress: Callable[[int, int], None] | None = None,
                    reading: Callable[[int, int], None] | None = None):
        """``progress`` follows the embedding (passages), ``reading`` the corpus files read and extracted."""
        from retrieval.corpus import load_corpus
        from retrieval.index import build_index

        documents, problems = load_corpus(self.settings.corpus_dir, reading)
        report = build_index(documents, self.settings.resolved_index_dir, self.encoder, problems, progress,
                             precision=self.settings.index_precision,
                             corpus=str(Path(self.settings.corpus_dir).resolve()))
        self.__dict__.pop("index", None)
        self.__dict__.pop("searcher", None)
        return report

    def for_corpus(self, corpus_dir) -> Pipeline:
        """The same models searching another corpus: the dashboard's corpus choice loads no model twice."""
        from dataclasses import replace

        other = Pipeline(replace(self.settings, corpus_dir=Path(corpus_dir), index_dir=None, vector_url=""))
        for model in ("extractor", "encoder", "judge"):  # loaded here first if need be, then shared
            other.__dict__[model] = getattr(self, model)
        if "reranker" in self.__dict__:
            other.__dict__["reranker"] = self.reranker
        return other

    @cached_property
    def reranker(self):
        from retrieval.rerank import OnnxReranker

        return OnnxReranker(self.settings.reranker_dir, threads=self.settings.threads)

    def rerank_depth_for(self, rerank_depth: int | bool | None) -> int:
        """The depth one check reranks (``retrieval.rerank.resolve_depth``): the caller's, else Settings'."""
        from retrieval.rerank import resolve_depth

        return resolve_depth(self.settings.rerank_depth, rerank_depth, self.settings.reranker_dir)

    @property
    def rerank_weights(self):
        """The trained reranker's fitted weights, or the stance model's relevance alone (Settings' ``reranker``)."""
        from retrieval.rerank import RerankWeights

        if self.settings.reranker == "model":
            return self.reranker.weights
        return RerankWeights.stance_only(self.settings.rerank_weight)

    def evidence_for(self, queries: list[str], filters, top_k: int | None = None, rerank_depth: int | None = None):
        """Retrieved candidates per query: top_k, or the rerank depth when reranking is on."""
        top_k = top_k or self.settings.top_k
        return self.searcher.search(queries, max(top_k, self.rerank_depth_for(rerank_depth)), filters)

    def judged(self, texts: list[str], found, top_k: int | None = None,
               rerank_depth: int | None = None, published: date | None = None) -> list[list[tuple]]:
        """(evidence, stance) per claim text, best first, cut to top_k. One batch through the stance model.
        ``published`` is the article's date (with each passage's own, it dates what is written without a year)."""
        top_k = top_k or self.settings.top_k
        reorder = bool(self.rerank_depth_for(rerank_depth))
        weights = self.rerank_weights if reorder else None
        logits = None
        if reorder and self.settings.reranker == "model":
            from retrieval.index import passage_text

            flat = iter(self.reranker.scores([(passage_text(e.passage), t) for t, ev in zip(texts, found)
                                              for e in ev]).tolist())
            logits = [[next(flat) for _ in evidence] for evidence in found]
            if not weights.uses_stance:
                # The fitted score does not use the stance: rank first, then judge only the passages kept
                # (at depth 30 and top 5, a sixth of the stance work).
                found = [[evidence[i] for i in weights.order([e.rank for e in evidence], scores)][:top_k]
                         for evidence, scores in zip(found, logits)]
                reorder = False
        # A passage about something else decides nothing, so the stance model does not read it, unless the order
        # is fitted on the model's reading of every passage (the reranker's stance weight).
        stances = iter(self.judge.judge([(t, e.passage.text) for t, ev in zip(texts, found) for e in ev],
                                        [(published, e.passage.date) for ev in found for e in ev],
                                        [e.passage.title for ev in found for e in ev], weigh_unrelated=reorder))
        out = []
        for index, evidence in enumerate(found):
            pairs = [(e, next(stances)) for e in evidence]
            if reorder:
                # The reranker's weights were fitted on the stance model's own probabilities, before the checks'
                # calibration; the stance-only order reads the calibrated ones.
                relevance = [1.0 - ((s.model_scores or s.scores) if logits is not None else s.scores)[
                    "NOT_ENOUGH_INFO"] for _, s in pairs]
                order = weights.order([e.rank for e, _ in pairs], None if logits is None else logits[index],
                                      relevance)
                pairs = [pairs[i] for i in order]
            out.append(pairs[:top_k])
        return out

    def check(self, article: Article, progress: Progress | None = None,
              rerank_depth: int | None = None) -> CheckResult:
        """``rerank_depth`` overrides Settings for this check only: the dashboard lets an analyst who needs the
        deciding passage trade seconds for it (bench/RESULTS.md, "Evidence reranking")."""

        def step(message: str, fraction: float) -> None:
            if progress:
                progress(message, fraction)

        step("Finding claims and who made them", 0.05)
        claims = self.extractor.extract(article)
        step(f"Searching prior reporting for {len(claims)} claims", 0.35)
        depth = self.rerank_depth_for(rerank_depth)
        checked = self.verify(claims, article.published, depth,
                              lambda: step("Reranking and weighing each passage against its claim" if depth else
                                           "Weighing each passage against its claim", 0.6), article.text)
        step("Done", 1.0)
        return CheckResult(article, tuple(checked), depth, self.provenance(article, depth))

    def verify(self, claims: list, published=None, rerank_depth: int | None = None,
               searched: Callable[[], None] | None = None, article_text: str = "") -> list[CheckedClaim]:
        """Evidence, stances and a verdict for each claim, searching what was published before ``published``
        (Settings decide whether later evidence is shown). ``claims`` are ``Claim`` objects, or plain claim texts
        (the trust suite checks claims as written, without finding them in an article first). ``article_text``,
        the text the claims' offsets point into, lets a quote check see a whole quotation."""
        from claims.types import Claim
        from retrieval.search import SearchFilters
        from verification.checks import places_in_time

        claims = [c if isinstance(c, Claim) else Claim(Claim.make_id(Article.make_id(c), 0, len(c)), "", c, 0, len(c))
                  for c in claims]
        filters = SearchFilters(
            before=published, include_later=self.settings.include_later,
            allow_outlets=self.settings.allow_outlets, deny_outlets=self.settings.deny_outlets,
        )
        depth = self.rerank_depth_for(rerank_depth)
        texts = [c.checked_text for c in claims]
        found = self.evidence_for(texts, filters, rerank_depth=depth)
        quote_checks = self.quote_checks(claims, filters, article_text)
        fact_checks = self.fact_checks_for(texts, published)
        if searched:
            searched()
        checked = []
        for index, (claim, judged) in enumerate(zip(claims, self.judged(texts, found, rerank_depth=depth,
                                                                                  published=published))):
            evidence, claim_stances = tuple(e for e, _ in judged), tuple(s for _, s in judged)
            verdict = self.judge.verdict(evidence, claim_stances, published, places_in_time(claim.checked_text),
                                         claim.checked_text)
            checked.append(CheckedClaim(claim, evidence, claim_stances, verdict, quote_checks.get(index),
                                        fact_checks[index]))
        return checked

    @cached_property
    def fact_check_matcher(self):
        """The corpus folder's earlier fact-checks (ClaimReview records), embedded once per process."""
        from retrieval.factchecks import FactCheckMatcher, read_fact_checks

        folder = self.settings.corpus_dir
        checks = read_fact_checks(folder)[0] if folder and Path(folder).exists() else []
        return FactCheckMatcher.build(checks, self.encoder)

    def fact_checks_for(self, texts: list[str], published=None) -> list[tuple]:
        """Per claim text: the earlier fact-checks of the same claim, closest first (retrieval/factchecks.py).
        One published after the article is shown too, marked: an analyst wants to know it exists."""
        from verification.types import FactCheckMatch

        matcher = self.fact_check_matcher
        if not matcher.checks or not texts:
            return [() for _ in texts]
        return [tuple(FactCheckMatch(check, score, bool(published and check.date and check.date > published))
                      for check, score in found) for found in matcher.match(self.encoder.encode(texts))]

    def quote_checks(self, claims: list, filters, article_text: str = "") -> dict:
        """Claim index → QuoteCheck for each claim that quotes someone directly (verification/quotes.py): the
        quoted words searched for on their own, deeper than evidence, because a reworded quote ranks lower."""
        from claims.segment import one_blas_thread
        from verification.quotes import match_quote, quoted_words

        quotes = {i: quoted_words(c, article_text) for i, c in enumerate(claims)}
        quotes = {i: q for i, q in quotes.items() if q}
        if not quotes:
            return {}
        distinct = list(dict.fromkeys(quotes.values()))  # a quotation split into two claims is searched once
        found = dict(zip(distinct, self.searcher.search(distinct, QUOTE_SEARCH_DEPTH, filters)))
        nlp = self.extractor.nlp

        @lru_cache(maxsize=256)  # one passage may hold several of the article's quotes
        def people_in(text: str) -> list[str]:
            with one_blas_thread():
                return [e.text for e in nlp(text).ents if e.label_ == "PERSON"]

        return {i: match_quote(q, claims[i].speaker, list(found[q]), people_in) for i, q in quotes.items()}

    def provenance(self, article: Article, rerank_depth: int) -> Provenance:
        """Which models, index and settings a check of ``article`` used now."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            claimdesk_version = version("claimdesk")
        except PackageNotFoundError:
            claimdesk_version = ""
        index = self.index
        manifest = index.manifest
        settings = self.settings
        return Provenance(
            checked_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            claimdesk_version=claimdesk_version,
            encoder=self.encoder.fingerprint,
            stance_model_sha256=self.judge.model.manifest["sha256"],
            reranker_sha256=self.reranker.manifest["sha256"] if rerank_depth and settings.reranker == "model" else None,
            index={"engine": "milvus" if settings.vector_url else "embedded",
                   "location": settings.vector_url or str(settings.resolved_index_dir),
                   "corpus": "" if settings.vector_url else str(settings.corpus_dir),
                   "generation": manifest.get("collection") or (index.folder.name if hasattr(index, "folder") else ""),
                   "passages": int(manifest.get("passages", 0)),
                   "built_at": manifest.get("published_at") or manifest.get("built_at", "")},
            settings={"top_k": settings.top_k, "rerank_depth": rerank_depth,
                      "reranker": settings.reranker if rerank_depth else None,
                      "include_later": settings.include_later,
                      "evidence_before": article.published.isoformat() if article.published else None,
                      # False when nothing kept later reporting out: an undated article, or include_later set.
                      "date_guarded": article.published is not None and not settings.include_later,
                      "allow_outlets": sorted(settings.allow_outlets), "deny_outlets": sorted(settings.deny_outlets)},
        )
