"""`claimdesk eval`: retrieval, stance and end-to-end verdict figures side by side, FEVER-style.

Each stage is measured on its own first (retrieval on gold evidence ids, stance on gold pairs), then
end to end (verdicts from retrieved, not gold, evidence).
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from claimdesk.pipeline import Pipeline
from claimdesk.settings import Settings
from evaluation import devset, intervals
from evaluation.devset import CALIBRATE, HELDOUT, DevSet, DevSetError, claim_digest, read_jsonl
from evaluation.metrics import classification_report
from evaluation.retrieval import per_claim_figures, ranked_documents, retrieval_report, topic_report
from evaluation.stance import stance_report
from retrieval import search
from retrieval.search import SearchFilters
from verification.types import STANCES

VERDICT_TO_LABEL = {"supported": "SUPPORTS", "conflicted": "REFUTES", "no evidence": "NOT_ENOUGH_INFO",
                    "needs review": "NOT_ENOUGH_INFO", "not covered": "NOT_ENOUGH_INFO",
                    "mixed": "NOT_ENOUGH_INFO"}


def _retriever_trained_digests(settings: Settings) -> set[str] | None:
    """Digests of the claims the retrieval encoder trained on: none for the packaged MiniLM, the manifest's list
    for the fine-tune (None when an older manifest does not list them)."""
    if settings.encoder != "tuned":
        return set()
    try:
        manifest = json.loads((Path(settings.retriever_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # the encoder's own loader reports a missing or broken manifest, in one line
    listed = manifest.get("trained_claim_digests") if isinstance(manifest, dict) else None
    return set(listed) if isinstance(listed, list) else None


def run_eval(settings: Settings, data: Path, split: str = "all") -> tuple[dict, list[dict]]:
    if not (data / "corpus.jsonl").exists():
        raise DevSetError(f"{data}: missing corpus.jsonl; expected the layout of climate_fever")
    started = time.time()
    # Read and checked once, before the index is built: a broken file should not cost an indexing run.
    dev = DevSet.read(data, claim_keys=("id", "claim", "label"))
    # heldout: the claims every figure is reported on; calibrate: the claims choices are made on (thresholds,
    # weights, which model ships). Neither holds a claim text any shipped model trained on (evaluation.devset).
    claims = dev.claims_in(split) if split in (HELDOUT, CALIBRATE) else list(dev.claims)
    all_pairs = None if dev.pairs is None else list(dev.pairs)
    # The eval indexes DIR's own corpus in the embedded engine, whatever engine the Settings name for checks:
    # a Milvus index holds the newsroom's corpus, not this one (bench/retrieval_ablation.py compares engines).
    settings = replace(settings, corpus_dir=data / "corpus.jsonl", index_dir=settings.index_dir, vector_url="")
    pipeline = Pipeline(settings)
    index_report = pipeline.build_index()
    report: dict = {"data": str(data), "split": split, "rerank_depth": settings.rerank_depth,
                    "dev_split_version": devset.VERSION if split != "all" else None,
                    "reranker": settings.reranker if settings.rerank_depth else None, "index": {
        "documents": index_report.documents, "passages": index_report.passages,
        "skipped_records": len(index_report.problems)}}
    # Which models produced these figures: a report outlives the checkout, and a retrained model changes them.
    report["models"] = {"encoder": pipeline.encoder.fingerprint,
                        "stance_model_sha256": pipeline.judge.model.manifest["sha256"],
                        "reranker_sha256": pipeline.reranker.manifest["sha256"]
                        if settings.rerank_depth and settings.reranker == "model" else None}
    # How the two engines' results were fused: a change of fusion changes every figure.
    report["search"] = {"fusion": "min-max scaled scores", "dense_share": search.DENSE_SHARE,
                        "candidates_per_engine": search.CANDIDATES}
    # Claims whose gold pairs the stance model trained on score high for that reason alone: the report counts
    # them (by a digest of the claim's text, which the model's manifest lists), so no one mistakes them for
    # held-out figures. Null for a model exported before the manifest listed them.
    listed = pipeline.judge.model.manifest.get("trained_claim_digests")
    seen = None if listed is None else set(listed)
    report["stance_model_domain_folds"] = pipeline.judge.model.manifest.get("domain_folds", ["train"])
    report["claims_seen_by_stance_model"] = None if seen is None else sum(
        1 for c in claims if claim_digest(c["claim"]) in seen)
    # The same count for the retrieval fine-tune: a claim it learned to find is found for that reason alone.
    learned = _retriever_trained_digests(settings)
    report["claims_seen_by_retriever"] = None if learned is None else sum(
        1 for c in claims if c.get("evidence_ids") and claim_digest(c["claim"]) in learned)
    predictions: list[dict] = []

    # One search and one stance pass serve both figures. Retrieval is measured on what the product ranks
    # (with reranking on, the reranked order); the verdict sees the first top_k of that same order.
    queries = [c["claim"] for c in claims]
    found = pipeline.evidence_for(queries, SearchFilters(), top_k=10)
    if settings.rerank_depth:
        judged = pipeline.judged(queries, found, top_k=10)
        ordered = [[e for e, _ in pairs] for pairs in judged]
    else:
        judged = pipeline.judged(queries, [evidence[: settings.top_k] for evidence in found])
        ordered = [evidence[:10] for evidence in found]
    rankings = {c["id"]: ranked_documents(evidence) for c, evidence in zip(claims, ordered)}
    gold = {c["id"]: set(c.get("evidence_ids") or []) for c in claims}
    report["retrieval"] = retrieval_report(rankings, gold)
    # Where the misses are: on the claim's topic (a related passage in the top 5) or off it.
    report["retrieval_topic"] = topic_report(
        rankings, gold, {c["id"]: set(c.get("related_ids") or []) for c in claims})
    # How far each figure could move on another draw of claims like these (evaluation/intervals.py).
    report["ci95"] = {"method": intervals.METHOD,
                      "retrieval": intervals.mean_intervals(per_claim_figures(rankings, gold))}
    predictions += [{"type": "retrieval", "claim_id": c["id"], "ranked_ids": rankings[c["id"]]} for c in claims]

    if all_pairs is not None:
        claim_ids = {c["id"] for c in claims}
        pairs = [p for p in all_pairs if p["claim_id"] in claim_ids]
        stance, stance_predictions = stance_report(pipeline.judge, pairs)
        report["stance"] = stance
        report["ci95"]["stance"] = intervals.classification_intervals(
            [p["claim_id"] for p in pairs], [p["label"] for p in pairs], [s["label"] for s in stance_predictions],
            STANCES)
        predictions += stance_predictions

    gold_labels, predicted = [], []
    for c, pairs in zip(claims, judged):
        kept = pairs[: settings.top_k]
        verdict = pipeline.judge.verdict([e for e, _ in kept], [s for _, s in kept], claim=c["claim"])
        label = VERDICT_TO_LABEL[verdict.label]
        gold_labels.append(c["label"])
        predicted.append(label)
        predictions.append({"type": "verdict", "claim_id": c["id"], "label": label, "verdict": verdict.label,
                            "confidence": verdict.confidence, "evidence_ids": list(verdict.deciding)})
    report["verdict"] = classification_report(gold_labels, predicted, STANCES)
    report["ci95"]["verdict"] = intervals.classification_intervals([c["id"] for c in claims], gold_labels,
                                                                   predicted, STANCES)
    report["seconds"] = round(time.time() - started, 1)
    return report, predictions


def _read_predictions(path: Path) -> dict[str, dict[str, dict]]:
    """Rows of `claimdesk eval --predictions`, by type and id. A row of an unknown type is skipped (a later
    version may add some); a row without its id is an error."""
    keys = {"retrieval": "claim_id", "verdict": "claim_id", "stance": "pair_id"}
    out: dict[str, dict[str, dict]] = {kind: {} for kind in keys}
    for number, row in enumerate(read_jsonl(path), start=1):
        kind = row.get("type")
        if kind not in keys:
            continue
        if keys[kind] not in row:
            raise DevSetError(f"{path}: row {number}: a {kind} prediction without {keys[kind]}")
        if kind == "retrieval" and not (isinstance(row.get("ranked_ids"), list)
                                        and all(isinstance(i, str) for i in row["ranked_ids"])):
            raise DevSetError(f"{path}: row {number}: ranked_ids must be a list of corpus ids")
        if kind != "retrieval" and row.get("label") not in STANCES:
            raise DevSetError(f"{path}: row {number}: label must be one of {', '.join(STANCES)}")
        out[kind][str(row[keys[kind]])] = row
    return out


def compare_predictions(data: Path, baseline_path: Path, candidate_path: Path) -> dict:
    """Two systems' predictions on the same dev set (files from `claimdesk eval --predictions`), compared claim
    by claim: each figure's difference with a paired bootstrap interval over the claims both files cover."""
    dev = DevSet.read(data, claim_keys=("id",), pair_keys=("id", "claim_id"))
    claims = {c["id"]: c for c in dev.claims}
    baseline, candidate = _read_predictions(baseline_path), _read_predictions(candidate_path)
    report: dict = {"data": str(data), "baseline": str(baseline_path), "candidate": str(candidate_path),
                    "method": "paired " + intervals.METHOD}

    shared = [c for c in claims if c in baseline["retrieval"] and c in candidate["retrieval"]
              and claims[c].get("evidence_ids")]
    if shared:
        gold = {c: set(claims[c]["evidence_ids"]) for c in shared}
        a = per_claim_figures({c: baseline["retrieval"][c]["ranked_ids"] for c in shared}, gold)
        b = per_claim_figures({c: candidate["retrieval"][c]["ranked_ids"] for c in shared}, gold)
        draws = intervals.resample_claims(len(shared))
        report["retrieval"] = {"claims": len(shared), **{
            name: intervals.paired_difference(np.asarray(a[name])[draws].mean(axis=1),
                                              np.asarray(b[name])[draws].mean(axis=1),
                                              (float(np.mean(a[name])), float(np.mean(b[name]))))
            for name in a}}

    def classification(items: list[tuple[str, str, str, str]], unit: str) -> dict:
        """items: (claim id, gold, baseline label, candidate label)."""
        claim_ids = sorted({i[0] for i in items})
        draws = intervals.resample_claims(len(claim_ids))
        args = (claim_ids, [i[0] for i in items], [i[1] for i in items])
        a = intervals.classification_samples(*args, [i[2] for i in items], STANCES, draws)
        b = intervals.classification_samples(*args, [i[3] for i in items], STANCES, draws)
        gold = [i[1] for i in items]
        points = {name: (classification_report(gold, [i[2] for i in items], STANCES)[name],
                         classification_report(gold, [i[3] for i in items], STANCES)[name])
                  for name in ("accuracy", "macro_f1")}
        return {unit: len(items), "claims": len(claim_ids),
                **{name: intervals.paired_difference(a[name], b[name], points[name]) for name in points}}

    if dev.pairs is not None:
        pairs = {p["id"]: p for p in dev.pairs}
        both = [i for i in pairs if i in baseline["stance"] and i in candidate["stance"]
                and pairs[i].get("label") in STANCES]
        items = [(pairs[i]["claim_id"], pairs[i]["label"], baseline["stance"][i]["label"],
                  candidate["stance"][i]["label"]) for i in both]
        if items:
            report["stance"] = classification(items, "pairs")
    items = [(c, claims[c]["label"], baseline["verdict"][c]["label"], candidate["verdict"][c]["label"])
             for c in claims if c in baseline["verdict"] and c in candidate["verdict"]
             and claims[c].get("label") in STANCES]
    if items:
        report["verdict"] = classification(items, "verdicts")
    if not {"retrieval", "stance", "verdict"} & set(report):
        raise DevSetError(f"{baseline_path} and {candidate_path} share no predictions on {data}")
    return report
