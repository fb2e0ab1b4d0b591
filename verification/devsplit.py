"""Deterministic split of the shared dev sets, so training never sees the claims we report on.

A pair belongs to the fold of its *claim*, and a claim's fold is decided by its *text*, not its id. Check-COVID
lists 155 claim texts under two ids each (``…_0`` / ``…_2``, often with other evidence and another label); split
by id, 57 held-out claims shared their text with a train-fold claim. Every claim text now sits in one fold.

Each id still hashes to a fold (50% train, 20% calibrate, 30% held out). A text under several ids takes the
*earliest* of its ids' folds, train before calibrate before held out. That rule never moves a claim into a
later fold, so every model trained on the train fold of the id split (all the shipped ones) has still seen no
calibrate or held-out text, and needs no retraining to be measured honestly. The price: Check-COVID's held-out
fold shrinks (146 pair claims to 74), because most shared texts had one id in the train fold.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

TRAIN, CALIBRATE, HELDOUT = "train", "calibrate", "heldout"
FOLDS = (TRAIN, CALIBRATE, HELDOUT)
# Written into eval reports: figures from two versions of the split are not comparable.
VERSION = 2


def _fold_of_id(claim_id: str) -> str:
    bucket = int(hashlib.sha1(claim_id.encode("utf-8")).hexdigest(), 16) % 10
    if bucket < 5:
        return TRAIN
    if bucket < 7:
        return CALIBRATE
    return HELDOUT


def _part_of_id(claim_id: str, k: int) -> int:
    # Its own (salted) hash, so the k-fold parts cut across the three folds instead of copying their boundaries.
    return int(hashlib.sha1(f"kfold:{claim_id}".encode()).hexdigest(), 16) % k


def claim_digest(claim: str) -> str:
    """A short digest of a claim's text: a model's manifest lists the claims it trained on this way, so a later
    measurement can count them out without the repository holding the dev text. It is also the key that
    groups one text's ids into one fold."""
    return hashlib.sha1(" ".join(claim.split()).casefold().encode()).hexdigest()[:12]


def dev_file_rows(folder: Path, name: str) -> list[dict]:
    """The rows of one JSONL file of a dev set, or none where the set lacks that file (pairs.jsonl is optional)."""
    path = folder / name
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class DevSplit:
    """The folds of one dev set's claims, grouped by claim text (see the module's docstring)."""

    def __init__(self, texts: Mapping[str, str]):
        """``texts``: every claim id of the set and its text."""
        groups: dict[str, list[str]] = defaultdict(list)
        for claim_id, text in texts.items():
            groups[claim_digest(text)].append(claim_id)
        self._fold: dict[str, str] = {}
        self._part_key: dict[str, str] = {}
        for ids in groups.values():
            fold = min((_fold_of_id(i) for i in ids), key=FOLDS.index)
            # k-fold parts follow one id of the group, so that a text's ids share a part as well.
            key = min(ids)
            for claim_id in ids:
                self._fold[claim_id] = fold
                self._part_key[claim_id] = key

    @classmethod
    def of_rows(cls, claims: Iterable[Mapping], pairs: Iterable[Mapping] = ()) -> DevSplit:
        """From a dev set's claims.jsonl rows and its pairs.jsonl rows. Both count: a Climate-FEVER pair's claim
        is not always in claims.jsonl, and a text must be grouped over every id it has."""
        texts = {c["id"]: c["claim"] for c in claims}
        for p in pairs:
            texts.setdefault(p["claim_id"], p["claim"])
        return cls(texts)

    @classmethod
    def of_dir(cls, folder: Path) -> DevSplit:
        """From the files of a dev set (the shared ones, read by training and calibration tools)."""
        return cls.of_rows(dev_file_rows(folder, "claims.jsonl"), dev_file_rows(folder, "pairs.jsonl"))

    def fold(self, claim_id: str) -> str:
        try:
            return self._fold[claim_id]
        except KeyError:
            raise KeyError(f"claim {claim_id!r} is not in this dev set's split") from None

    def part(self, claim_id: str, k: int) -> int:
        """The claim's part in a k-fold cross-validation over all of dev."""
        try:
            return _part_of_id(self._part_key[claim_id], k)
        except KeyError:
            raise KeyError(f"claim {claim_id!r} is not in this dev set's split") from None

    def __contains__(self, claim_id: str) -> bool:
        return claim_id in self._fold
