"""A dev set as the retrieval benches read it: the corpus, the claims, each claim's gold evidence, and the gold of
the held-out fold only (``verification/devsplit.py``), where a model trained on dev is measured fairly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DevSet:
    documents: list
    claims: list[dict]
    gold: dict[str, set[str]]
    heldout: dict[str, set[str]]

    @classmethod
    def read(cls, folder: Path) -> DevSet:
        from retrieval.corpus import load_corpus
        from verification.devsplit import HELDOUT, DevSplit

        documents, _ = load_corpus(folder / "corpus.jsonl")
        claims = [json.loads(line) for line in (folder / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
        gold = {c["id"]: set(c.get("evidence_ids") or []) for c in claims}
        split = DevSplit.of_dir(folder)
        return cls(documents, claims, gold, {c: ids for c, ids in gold.items() if split.fold(c) == HELDOUT})

    def search_report(self, index, encoder, mode: str) -> dict:
        """Every claim searched through the product's ``Searcher`` in ``mode``: the retrieval report over all
        claims with evidence and over the held-out fold's."""
        from retrieval.evaluate import ranked_documents, retrieval_report
        from retrieval.search import Searcher, SearchFilters

        found = Searcher(index, encoder, mode).search([c["claim"] for c in self.claims], 10, SearchFilters())
        rankings = {c["id"]: ranked_documents(e) for c, e in zip(self.claims, found)}
        return {"all": retrieval_report(rankings, self.gold), "heldout": retrieval_report(rankings, self.heldout)}
