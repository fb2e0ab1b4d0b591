"""The trained evidence reranker: batch independence, and what it does to the evidence order. Its integrity
check (hash, missing file) is tested beside the stance model's, in test_verification.py."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.rerank import OnnxReranker
from retrieval.types import Evidence, Passage


@pytest.fixture(scope="module")
def reranker():
    return OnnxReranker()


def test_a_passages_score_does_not_depend_on_its_companions(reranker):
    pairs = [("Varna port. The port of Varna reopened on May 2 after repairs.", "The port of Varna reopened in May."),
             ("Budget vote. Parliament passed the budget with 120 votes.", "The budget failed in parliament."),
             ("Football. The home side won the cup final 2-1 in extra time after a long and tense evening "
              "that the coach later called the best of his career.", "The home side lost the final.")]
    alone = np.array([reranker.scores([pair])[0] for pair in pairs])
    assert np.array_equal(alone, reranker.scores(pairs))
    assert np.array_equal(alone, reranker.scores(pairs[::-1])[::-1])


def test_the_deciding_passage_scores_above_passages_that_only_share_the_topic(reranker):
    claim = "The port of Varna reopened on May 2 after repairs."
    texts = ["Varna tourism. Varna is a port city on the Black Sea with beaches and a long history.",
             "Port traffic. Ports along the Black Sea coast handled more grain this year.",
             "Varna port. Repairs finished and the port of Varna reopened to ships on May 2."]
    scores = reranker.scores([(text, claim) for text in texts])
    assert int(np.argmax(scores)) == 2


def test_the_combined_rerank_score_uses_the_fitted_weights():
    from claimdesk.pipeline import rerank
    from verification.types import Stance

    evidence = [Evidence(Passage(f"p{r}", f"p{r}", "t", 0, 1), score=0.1, rank=r) for r in (1, 2, 3)]
    stances = [Stance("NOT_ENOUGH_INFO", 0.9, {"SUPPORTS": 0.05, "REFUTES": 0.05, "NOT_ENOUGH_INFO": 0.9}),
               Stance("SUPPORTS", 0.6, {"SUPPORTS": 0.6, "REFUTES": 0.1, "NOT_ENOUGH_INFO": 0.3}),
               Stance("NOT_ENOUGH_INFO", 0.8, {"SUPPORTS": 0.1, "REFUTES": 0.1, "NOT_ENOUGH_INFO": 0.8})]
    logits = [-3.0, 1.0, 2.5]
    only_logit = {"reranker": 1.0, "stance_relevance": 0.0, "rank": 0.0}
    assert [e.passage.id for e, _ in rerank(evidence, stances, 0.0, logits, only_logit)] == ["p3", "p2", "p1"]
    only_rank = {"reranker": 0.0, "stance_relevance": 0.0, "rank": 1.0}
    assert [e.passage.id for e, _ in rerank(evidence, stances, 0.0, logits, only_rank)] == ["p1", "p2", "p3"]
    # 0.5·logit + relevance + 4 / rank: p1 = -1.5 + 0.1 + 4, p2 = 0.5 + 0.7 + 2, p3 = 1.25 + 0.2 + 1.33
    mixed = {"reranker": 0.5, "stance_relevance": 1.0, "rank": 4.0}
    assert [e.passage.id for e, _ in rerank(evidence, stances, 0.0, logits, mixed)] == ["p2", "p3", "p1"]


def test_the_pipeline_reranks_the_search_depth_and_keeps_top_k(settings):
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article

    plain = Pipeline(settings.with_overrides(top_k=3))
    reranked = Pipeline(settings.with_overrides(rerank_depth=10, top_k=3, reranker="model"))
    article = read_article(DEMO_ARTICLE)
    before, after = plain.check(article), reranked.check(article)
    assert all(len(item.evidence) <= 3 for item in after.claims)
    # Reranking brings in passages the plain top 3 did not show, for some claims at least.
    changed = sum({e.passage.id for e in a.evidence} != {e.passage.id for e in b.evidence}
                  for a, b in zip(after.claims, before.claims))
    assert changed > 0
    # And the order it shows is the combined score's order.
    combine = reranked.reranker.combine
    from retrieval.index import passage_text

    for item in after.claims[:5]:
        logits = reranked.reranker.scores([(passage_text(e.passage), item.claim.text) for e in item.evidence])
        keys = [combine["reranker"] * x + combine["stance_relevance"] * (1 - s.model_scores["NOT_ENOUGH_INFO"])
                + combine["rank"] / e.rank for x, s, e in zip(logits, item.stances, item.evidence)]
        assert keys == sorted(keys, reverse=True)


def test_when_the_fitted_score_ignores_the_stance_only_the_kept_passages_are_judged(settings):
    """Same evidence, same order, same stances as judging every candidate; a sixth of the stance work."""
    from claimdesk.pipeline import Pipeline, rerank
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article
    from retrieval.index import passage_text
    from retrieval.search import SearchFilters

    pipeline = Pipeline(settings.with_overrides(rerank_depth=10, top_k=3, reranker="model"))
    # A fit that gives the stance no weight (the fourth session's was one; the seventh's is not).
    pipeline.reranker.combine = {**pipeline.reranker.combine, "stance_relevance": 0.0}
    judged = []
    judge = pipeline.judge.judge
    pipeline.judge.judge = lambda pairs: judged.append(len(pairs)) or judge(pairs)
    texts = [c.text for c in pipeline.extractor.extract(read_article(DEMO_ARTICLE))][:6]
    found = pipeline.evidence_for(texts, SearchFilters())
    lean = pipeline.judged(texts, found)
    assert judged == [sum(len(pairs) for pairs in lean)] and all(len(pairs) <= 3 for pairs in lean)
    # The full path: every candidate judged, then ordered by the same score (stance weight 0).
    every = iter(judge([(t, e.passage.text) for t, ev in zip(texts, found) for e in ev]))

    for text, evidence, kept in zip(texts, found, lean):
        stances = [next(every) for _ in evidence]
        logits = pipeline.reranker.scores([(passage_text(e.passage), text) for e in evidence]).tolist()
        full = rerank(evidence, stances, 0.0, logits, pipeline.reranker.combine)[:3]
        assert [(e.passage.id, s.label, s.scores) for e, s in full] == [
            (e.passage.id, s.label, s.scores) for e, s in kept]


def test_the_weights_are_fitted_on_the_stance_the_product_computes(settings):
    """The fit (verification.train_reranker) and the product must feed the stance model the same text: the fit
    once gave it the titled passage while the product judged the passage alone, so a fitted stance weight
    would have ranked on inputs the product never produces."""
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article
    from retrieval.search import SearchFilters
    from verification.train_reranker import candidate, stance_relevance

    pipeline = Pipeline(settings.with_overrides(rerank_depth=10, top_k=10, reranker="stance"))
    texts = [c.text for c in pipeline.extractor.extract(read_article(DEMO_ARTICLE))][:3]
    found = pipeline.evidence_for(texts, SearchFilters())
    rows = [{"claim": t, "retrieved": [candidate(e, set()) for e in ev]} for t, ev in zip(texts, found)]
    fitted = stance_relevance(pipeline.judge.model, rows)
    served = {(t, e.passage.id): 1.0 - s.model_scores["NOT_ENOUGH_INFO"]
              for t, pairs in zip(texts, pipeline.judged(texts, found)) for e, s in pairs}
    assert sum(map(len, fitted)) == len(served) > 0
    for t, ev, values in zip(texts, found, fitted):
        for e, value in zip(ev, values):
            assert value == pytest.approx(served[(t, e.passage.id)], abs=1e-4)  # the product rounds to 4 places


def test_one_check_can_rerank_when_settings_do_not(settings):
    """The dashboard's "Rerank evidence" switch: a per-check depth gives exactly what the same depth in Settings
    gives, records itself in the result, and 0 restores the search order on a pipeline that reranks."""
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import DEMO_ARTICLE, SettingsError
    from claims.ingest import read_article

    article = read_article(DEMO_ARTICLE)
    plain = Pipeline(settings.with_overrides(top_k=3, reranker="model"))
    reranking = Pipeline(settings.with_overrides(rerank_depth=10, top_k=3, reranker="model"))

    def shown(result):
        return [[e.passage.id for e in item.evidence] for item in result.claims]

    in_search_order, switched_on = plain.check(article), plain.check(article, rerank_depth=10)
    assert shown(switched_on) == shown(reranking.check(article)) != shown(in_search_order)
    assert shown(reranking.check(article, rerank_depth=0)) == shown(in_search_order)
    assert switched_on.to_json()["rerank_depth"] == 10 and in_search_order.to_json()["rerank_depth"] == 0
    with pytest.raises(SettingsError, match="rerank depth -1"):
        plain.check(article, rerank_depth=-1)


def test_the_switch_uses_the_depth_the_weights_were_fitted_at(tmp_path):
    import json
    import shutil

    from retrieval.rerank import RERANKER_DIR, fitted_depth

    assert fitted_depth() == json.loads((RERANKER_DIR / "manifest.json").read_text())["depth"] == 30
    folder = tmp_path / "reranker"
    shutil.copytree(RERANKER_DIR, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "depth": 20}))
    assert fitted_depth(folder) == 20
    (folder / "manifest.json").write_text("{not json")
    assert fitted_depth(folder) == 30  # the model's own load reports the damage; the switch only falls back
