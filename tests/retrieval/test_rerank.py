"""The trained evidence reranker: batch independence, and what it does to the evidence order. Its integrity
check (hash, missing file) is tested beside the stance model's, in test_verification.py."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.rerank import OnnxReranker

pytestmark = pytest.mark.integration


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


@pytest.mark.unit
def test_the_combined_rerank_score_uses_the_fitted_weights():
    from retrieval.rerank import RerankWeights

    ranks = [1, 2, 3]
    relevance = [0.1, 0.7, 0.2]  # 1 − P(NEI)
    logits = [-3.0, 1.0, 2.5]
    assert RerankWeights(1.0, 0.0, 0.0).order(ranks, logits, relevance) == [2, 1, 0]
    assert RerankWeights(0.0, 0.0, 1.0).order(ranks, logits, relevance) == [0, 1, 2]
    # 0.5·logit + relevance + 4 / rank: p1 = -1.5 + 0.1 + 4, p2 = 0.5 + 0.7 + 2, p3 = 1.25 + 0.2 + 1.33
    assert RerankWeights(0.5, 1.0, 4.0).order(ranks, logits, relevance) == [1, 2, 0]
    # Without the trained reranker: 1 / rank + weight · relevance, and no logits are needed.
    assert RerankWeights.stance_only(2.0).order(ranks, None, relevance) == [1, 0, 2]
    # A term whose weight is 0 never reads its input.
    assert RerankWeights(1.0, 0.0, 0.0).order(ranks, logits, None) == [2, 1, 0]


@pytest.mark.unit
def test_the_rerank_depth_is_resolved_in_one_place():
    from retrieval.rerank import RERANKER_DIR, RerankerError, fitted_depth, resolve_depth

    assert resolve_depth(0) == 0 and resolve_depth(12) == 12
    assert resolve_depth(12, 5) == 5 and resolve_depth(12, False) == 0
    # The dashboard's switch: the configured depth, else the one the weights were fitted at.
    assert resolve_depth(12, True) == 12 and resolve_depth(0, True) == fitted_depth(RERANKER_DIR)
    with pytest.raises(RerankerError, match="rerank depth -1"):
        resolve_depth(0, -1)


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
    weights = reranked.reranker.weights
    from retrieval.index import passage_text

    for item in after.claims[:5]:
        logits = reranked.reranker.scores([(passage_text(e.passage), item.claim.text) for e in item.evidence])
        keys = [weights.reranker * x + weights.stance_relevance * (1 - s.model_scores["NOT_ENOUGH_INFO"])
                + weights.rank / e.rank for x, s, e in zip(logits, item.stances, item.evidence)]
        assert keys == sorted(keys, reverse=True)


def test_when_the_fitted_score_ignores_the_stance_only_the_kept_passages_are_judged(settings):
    """Same evidence, same order, same stances as judging every candidate; a sixth of the stance work."""
    from dataclasses import replace

    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article
    from retrieval.index import passage_text
    from retrieval.search import SearchFilters

    pipeline = Pipeline(settings.with_overrides(rerank_depth=10, top_k=3, reranker="model"))
    # A fit that gives the stance no weight.
    pipeline.reranker.weights = replace(pipeline.reranker.weights, stance_relevance=0.0)
    judged = []
    judge = pipeline.judge.judge
    pipeline.judge.judge = lambda pairs, written=None, titles=None, **options: judged.append(len(pairs)) or judge(
        pairs, written, titles, **options)
    texts = [c.text for c in pipeline.extractor.extract(read_article(DEMO_ARTICLE))][:6]
    found = pipeline.evidence_for(texts, SearchFilters())
    lean = pipeline.judged(texts, found)
    assert judged == [sum(len(pairs) for pairs in lean)] and all(len(pairs) <= 3 for pairs in lean)
    # The full path: every candidate judged, then ordered by the same score (stance weight 0).
    # (A passage about something else is not put to the stance model on either path.)
    every = iter(judge([(t, e.passage.text) for t, ev in zip(texts, found) for e in ev], weigh_unrelated=False))

    for text, evidence, kept in zip(texts, found, lean):
        stances = [next(every) for _ in evidence]
        logits = pipeline.reranker.scores([(passage_text(e.passage), text) for e in evidence]).tolist()
        order = pipeline.reranker.weights.order([e.rank for e in evidence], logits)[:3]
        assert [(evidence[i].passage.id, stances[i].label, stances[i].scores) for i in order] == [
            (e.passage.id, s.label, s.scores) for e, s in kept]


def test_the_weights_are_fitted_on_the_stance_the_product_computes(settings):
    """The fit (training.reranker) and the product must feed the stance model the same text: the fit
    once gave it the titled passage while the product judged the passage alone, so a fitted stance weight
    would have ranked on inputs the product never produces."""
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article
    from retrieval.search import SearchFilters
    from training.reranker import candidate, stance_relevance

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
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article
    from retrieval.rerank import RerankerError

    article = read_article(DEMO_ARTICLE)
    plain = Pipeline(settings.with_overrides(top_k=3, reranker="model"))
    reranking = Pipeline(settings.with_overrides(rerank_depth=10, top_k=3, reranker="model"))

    def shown(result):
        return [[e.passage.id for e in item.evidence] for item in result.claims]

    in_search_order, switched_on = plain.check(article), plain.check(article, rerank_depth=10)
    assert shown(switched_on) == shown(reranking.check(article)) != shown(in_search_order)
    assert shown(reranking.check(article, rerank_depth=0)) == shown(in_search_order)
    assert switched_on.to_json()["rerank_depth"] == 10 and in_search_order.to_json()["rerank_depth"] == 0
    with pytest.raises(RerankerError, match="rerank depth -1"):
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
