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


def retrieval_report(rankings: dict[str, list[str]], gold: dict[str, set[str]]) -> dict:
    """hit@k and recall@k over the claims that have gold evidence."""
    judged = [claim_id for claim_id, ids in gold.items() if ids]
    report: dict = {"claims": len(judged)}
    for k in KS:
        hits = [bool(set(rankings.get(c, [])[:k]) & gold[c]) for c in judged]
        report[f"hit@{k}"] = round(sum(hits) / len(judged), 4) if judged else 0.0
    for k in (5, 10):
        recalls = [len(set(rankings.get(c, [])[:k]) & gold[c]) / len(gold[c]) for c in judged]
        report[f"recall@{k}"] = round(sum(recalls) / len(judged), 4) if judged else 0.0
    reciprocal = []
    for c in judged:
        ranks = [i for i, d in enumerate(rankings.get(c, []), start=1) if d in gold[c]]
        reciprocal.append(1 / ranks[0] if ranks else 0.0)
    report["mrr@10"] = round(sum(reciprocal) / len(judged), 4) if judged else 0.0
    return report
