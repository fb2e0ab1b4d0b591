"""The one reader of a dev set (``claims.jsonl``, optional ``pairs.jsonl``, ``corpus.jsonl``), and its deterministic
split, so training never sees the claims we report on.

A pair belongs to the fold of its *claim*, and a claim's fold is decided by its *text*, not its id. Check-COVID
lists 155 claim texts under two ids each (``…_0`` / ``…_2``, often with other evidence and another label); split
by id, 57 held-out claims would share their text with a train-fold claim. Every claim text sits in one fold.

Each id hashes to a fold (50% train, 20% calibrate, 30% held out). A text under several ids takes the
*earliest* of its ids' folds, train before calibrate before held out, so no claim ever moves into a later fold
than its id alone would give it. The price: Check-COVID's held-out fold is smaller (74 pair claims, not 146),
because most shared texts have one id in the train fold.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
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


class DevSetError(ValueError):
    """A dev set file that cannot be read; the message names the file, the line and the problem."""


def read_jsonl(path: Path) -> list[dict]:
    """JSON objects, one per line; anything else is a one-line error naming the file and line."""
    rows = []
    number = 0
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DevSetError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
                if not isinstance(row, dict):
                    raise DevSetError(f"{path}:{number}: expected a JSON object")
                rows.append(row)
    except UnicodeDecodeError:
        raise DevSetError(f"{path}:{number + 1}: not UTF-8 text") from None
    return rows


def require(rows: Iterable[dict], path: Path, keys: tuple[str, ...]) -> list[dict]:
    """``rows`` unchanged, or a one-line error naming the first row without one of ``keys`` as a string."""
    rows = list(rows)
    for number, row in enumerate(rows, start=1):
        missing = [k for k in keys if not isinstance(row.get(k), str)]
        if missing:
            raise DevSetError(f"{path}: row {number}: no {', '.join(missing)}")
    return rows


def dev_file_rows(folder: Path, name: str) -> list[dict]:
    """The rows of one JSONL file of a dev set, or none where the set lacks that file (pairs.jsonl is optional)."""
    path = folder / name
    return read_jsonl(path) if path.exists() else []


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


@dataclass(frozen=True)
class DevSet:
    """One dev set as every evaluator, trainer and bench reads it: its claims, its gold pairs (None where the set
    has no pairs.jsonl), its corpus file and the split of its claims into folds."""

    folder: Path
    claims: tuple[dict, ...]
    pairs: tuple[dict, ...] | None

    @classmethod
    def read(cls, folder: Path, claim_keys: tuple[str, ...] = ("id", "claim"),
             pair_keys: tuple[str, ...] = ("id", "claim_id", "claim", "evidence", "label")) -> DevSet:
        folder = Path(folder)
        if not (folder / "claims.jsonl").exists():
            raise DevSetError(f"{folder}: missing claims.jsonl; expected the layout of climate_fever")
        claims = require(read_jsonl(folder / "claims.jsonl"), folder / "claims.jsonl", claim_keys)
        pairs_path = folder / "pairs.jsonl"
        pairs = require(read_jsonl(pairs_path), pairs_path, pair_keys) if pairs_path.exists() else None
        return cls(folder, tuple(claims), None if pairs is None else tuple(pairs))

    @cached_property
    def split(self) -> DevSplit:
        return DevSplit.of_rows(self.claims, self.pairs or ())

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def corpus_path(self) -> Path:
        return self.folder / "corpus.jsonl"

    def documents(self) -> list:
        """The corpus as the product reads it (``retrieval.corpus``)."""
        from retrieval.corpus import load_corpus

        return load_corpus(self.corpus_path)[0]

    def claims_in(self, *folds: str) -> list[dict]:
        """Claims of these folds (every claim when none is named), in file order."""
        return [c for c in self.claims if not folds or self.split.fold(c["id"]) in folds]

    def pairs_in(self, *folds: str) -> list[dict]:
        """Gold pairs whose claim is in these folds (every pair when none is named)."""
        return [p for p in self.pairs or () if not folds or self.split.fold(p["claim_id"]) in folds]

    def gold(self, *folds: str) -> dict[str, set[str]]:
        """Each claim's deciding passages (``evidence_ids``), for the claims of these folds."""
        return {c["id"]: set(c.get("evidence_ids") or []) for c in self.claims_in(*folds)}
