"""Retrieval evaluation, FEVER-style: did the gold evidence come back, and how high?"""

from __future__ import annotations

KS = (1, 5, 10)


def ranked_documents(evidence, limit: int = 10) -> list[str]:
    """Document ids in rank order, each once (several windows of one document count once)."""
    seen: list[str] = []
    for item in evidence:
        for doc_id in (item.passage.doc_id, *(d.split("#")[0] for d in item.duplicates)):
            if doc_id not in seen:
                seen.append(doc_id)
    return seen[:limit]


def per_claim_figures(rankings: dict[str, list[str]], gold: dict[str, set[str]]) -> dict[str, list[float]]:
    """Each figure's value per claim with gold evidence (hit@k 0 or 1, recall@k, reciprocal rank), in the order of
    ``gold``: the report's figures are their means, and bootstrap intervals resample them."""
    judged = [claim_id for claim_id, ids in gold.items() if ids]
    figures: dict[str, list[float]] = {}
    for k in KS:
        figures[f"hit@{k}"] = [float(bool(set(rankings.get(c, [])[:k]) & gold[c])) for c in judged]
    for k in (5, 10):
        figures[f"recall@{k}"] = [len(set(rankings.get(c, [])[:k]) & gold[c]) / len(gold[c]) for c in judged]
    reciprocal = []
    for c in judged:
        ranks = [i for i, d in enumerate(rankings.get(c, []), start=1) if d in gold[c]]
        reciprocal.append(1 / ranks[0] if ranks else 0.0)
    figures["mrr@10"] = reciprocal
    return figures


def retrieval_report(rankings: dict[str, list[str]], gold: dict[str, set[str]]) -> dict:
    """hit@k, recall@k and MRR@10 over the claims that have gold evidence."""
    figures = per_claim_figures(rankings, gold)
    claims = len(figures["mrr@10"])
    return {"claims": claims, **{name: round(sum(values) / claims, 4) if claims else 0.0
                                 for name, values in figures.items()}}


def topic_report(rankings: dict[str, list[str]], gold: dict[str, set[str]],
                 related: dict[str, set[str]]) -> dict | None:
    """How often the search found the claim's topic but not its deciding passage.

    A dev set's ``related_ids`` are passages on the claim's topic that do not decide it (Climate-FEVER's
    NOT_ENOUGH_INFO sentences among each claim's annotated five). A top 5 that holds one of them and no gold
    passage is a miss of a different kind from a top 5 of strangers: the search reached the right article, and
    what is left is telling the deciding sentence from its neighbours. Over the claims with gold evidence, as
    hit@k; None when no such claim has a related list (Check-COVID has none)."""
    judged = {c: ids for c, ids in gold.items() if ids}
    if not any(related.get(c) for c in judged):
        return None
    # hit@k with a claim's related passages counted as gold; a gold hit is always a topic hit, so the claims
    # that only reached the topic are the difference.
    found = per_claim_figures(rankings, judged)
    topic = per_claim_figures(rankings, {c: ids | related.get(c, set()) for c, ids in judged.items()})
    return {"claims": len(judged),
            **{f"topic_hit@{k}": round(sum(topic[f"hit@{k}"]) / len(judged), 4) for k in (5, 10)},
            "topic_only@5": round((sum(topic["hit@5"]) - sum(found["hit@5"])) / len(judged), 4)}


def search_rankings(searcher, claims: list[dict], depth: int = 10) -> dict[str, list[str]]:
    """Each claim's top documents through the product's ``Searcher`` (no date or outlet filter)."""
    from retrieval.search import SearchFilters

    found = searcher.search([c["claim"] for c in claims], depth, SearchFilters())
    return {c["id"]: ranked_documents(evidence, depth) for c, evidence in zip(claims, found)}


def search_report(dev, searcher) -> dict:
    """A dev set's claims searched through ``searcher``: the retrieval report over all claims with evidence and
    over the held-out fold's (``evaluation.devset``), where a model trained on dev is measured fairly."""
    from evaluation.devset import HELDOUT

    rankings = search_rankings(searcher, list(dev.claims))
    return {"all": retrieval_report(rankings, dev.gold()), "heldout": retrieval_report(rankings, dev.gold(HELDOUT))}
