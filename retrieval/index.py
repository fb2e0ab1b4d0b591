"""The persisted passage index: vectors, BM25, passage metadata and a manifest.

Layout of an index folder::

    CURRENT            name of the live generation (switched with an atomic rename)
    gen-000007/        manifest.json, passages.jsonl (+ offsets.npy), vectors.npy, days.npy,
                       outlet_codes.npy, bm25/
    .tmp-*/            a build in progress; never opened, removed by the next build

Reopening reads no passage text: vectors, the BM25 index and passage lines are memory-mapped, and only the
date and outlet columns that filters need and the passages' byte offsets are loaded, so a million-passage index
opens in seconds.

A build writes a whole new generation and only then points CURRENT at it, so a crash or kill at any
moment leaves the previous generation intact: an index never opens with mixed or missing vectors.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from retrieval.corpus import CorpusProblem
from retrieval.encoder import corpus_encoder
from retrieval.passages import passages_of
from retrieval.store import FlatVectorStore, HnswVectorStore, RowFilter
from retrieval.syndication import collapse_syndicated
from retrieval.types import Document, Passage

FORMAT = 2
# Up to this many passages, search is exact (a flat scan); above it, an HNSW graph (retrieval/store.py).
EXACT_UP_TO = 200_000
# Up to this many passages, BM25 is exact (bm25s); above it, best-first over impact-ordered postings
# (retrieval/lexical.py), whose recall against exact BM25 bench/lexical_recall.py measures on real text.
LEXICAL_EXACT_UP_TO = 200_000


class IndexError_(RuntimeError):
    """An index that is missing, damaged or built for another encoder. The message says what to run."""


class IndexFormatError(IndexError_):
    """An index written by another version of Claimdesk: whole, but laid out differently. Derived data, so
    the next build replaces it."""


@dataclass
class BuildReport:
    documents: int = 0
    passages: int = 0
    embedded_documents: int = 0
    reused_documents: int = 0
    removed_documents: int = 0
    rebuilt: bool = False
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    skipped_by_kind: dict[str, int] = field(default_factory=dict)  # CorpusProblem kinds: "duplicate id", ...
    seconds: float = 0.0
    encoded_with: str = ""  # the backend that embedded the new passages ("onnx", "torch-bf16", ...)
    syndicated_copies: int = 0  # documents left out as another outlet's copy of an indexed one


def passage_text(passage: Passage) -> str:
    """What is embedded and matched: the title gives a one-sentence window its topic."""
    return f"{passage.title}. {passage.text}" if passage.title else passage.text


def _passage_to_row(passage: Passage) -> dict:
    row = asdict(passage)
    row["date"] = passage.date.isoformat() if passage.date else None
    return row


def _row_to_passage(row: dict) -> Passage:
    row = dict(row)
    row["date"] = date.fromisoformat(row["date"]) if row.get("date") else None
    return Passage(**row)


def _bm25_tokens(texts: list[str]):
    import bm25s

    return bm25s.tokenize(texts, stopwords="en", show_progress=False)


class PassageTable(Sequence):
    """Passages read on demand from passages.jsonl through a memory map and a row → byte-offset table."""

    def __init__(self, folder: Path) -> None:
        import mmap

        # In memory (8 bytes a passage): reading a scalar through a memory map costs more than the JSON it points at.
        self.offsets = np.load(folder / "offsets.npy")
        with open(folder / "passages.jsonl", "rb") as handle:
            self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if self.offsets[-1] else b""

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, row):
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return _row_to_passage(json.loads(self._data[int(self.offsets[row]) : int(self.offsets[row + 1])]))


class PassageIndex:
    """An opened generation of the embedded engine: passages, their vectors (``store``) and BM25.
    Implements ``retrieval.store.VectorStore``."""

    def __init__(self, folder: Path, manifest: dict, passages: Sequence[Passage], store, bm25,
                 days: np.ndarray, outlet_codes: np.ndarray, impact=None) -> None:
        self.folder = folder
        self.manifest = manifest
        self.passages = passages
        self.store = store
        self.bm25 = bm25
        self.impact = impact  # best-first BM25 above LEXICAL_EXACT_UP_TO passages (retrieval/lexical.py), else None
        self._days = days
        self._outlet_codes = outlet_codes
        self._outlets = manifest["outlets"]
        self._last_mask: tuple[RowFilter, np.ndarray | None] | None = None

    def __len__(self) -> int:
        return len(self.passages)

    @property
    def encoder_fingerprint(self) -> str:
        return self.manifest["encoder"]["fingerprint"]

    def mask(self, where: RowFilter) -> np.ndarray | None:
        # Dense and BM25 search of one batch share the filter: build the million-row mask once, not twice.
        if self._last_mask is None or self._last_mask[0] != where:
            self._last_mask = (where, where.mask(self._days, self._outlet_codes, self._outlets))
        return self._last_mask[1]

    def dense(self, vectors: np.ndarray, k: int, where: RowFilter) -> list[list[tuple[int, float]]]:
        mask = self.mask(where)
        if mask is not None and not mask.any():
            return [[] for _ in range(len(vectors))]
        rows, scores = self.store.search(vectors, min(k, len(self)), mask)
        return [[(r, s) for r, s in zip(row, score) if r >= 0 and math.isfinite(s)]
                for row, score in zip(rows.tolist(), scores.tolist())]

    def lexical(self, queries: list[str], k: int, where: RowFilter) -> list[list[tuple[int, float]]]:
        mask = self.mask(where)
        if mask is not None and not mask.any():
            return [[] for _ in queries]
        if self.impact is not None:
            import bm25s

            tokens = bm25s.tokenize(queries, stopwords="en", show_progress=False, return_ids=False)
            return self.impact.search(tokens, min(k, len(self)), mask)
        weight = mask.astype(np.float32) if mask is not None else None
        rows, scores = self.bm25.retrieve(_bm25_tokens(queries), k=min(k, len(self)), show_progress=False,
                                          weight_mask=weight)
        return [[(int(r), float(s)) for r, s in zip(row, score) if s > 0] for row, score in zip(rows, scores)]

    def fetch(self, rows: Sequence[int]) -> tuple[dict[int, Passage], dict[int, np.ndarray]]:
        rows = sorted({int(r) for r in rows})
        vectors = self.store.rows(rows) if rows else ()
        return ({r: self.passages[r] for r in rows}, dict(zip(rows, vectors)))

    @classmethod
    def open(cls, index_dir: str | Path) -> PassageIndex:
        import bm25s

        index_dir = Path(index_dir)
        pointer = index_dir / "CURRENT"
        if not pointer.exists():
            raise IndexError_(f"{index_dir}: no index here; run `claimdesk index CORPUS_DIR --index {index_dir}`")
        folder = index_dir / pointer.read_text(encoding="utf-8").strip()
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT:
                raise IndexFormatError(f"{folder}: index format {manifest.get('format')} is from another version of "
                                  "Claimdesk; rebuild it with `claimdesk index`")
            passages = PassageTable(folder)
            store = (HnswVectorStore if manifest.get("vector_index") == "hnsw" else FlatVectorStore).load(folder)
            bm25 = bm25s.BM25.load(str(folder / "bm25"), mmap=True)
            days = np.load(folder / "days.npy")
            outlet_codes = np.load(folder / "outlet_codes.npy")
            impact = None
            if manifest.get("lexical_index") == "impact":
                from retrieval.lexical import ImpactSearch

                impact = ImpactSearch(bm25, folder / "bm25")
        except (OSError, ValueError, KeyError) as exc:
            raise IndexError_(f"{folder}: index is damaged ({exc}); rebuild it with `claimdesk index`") from None
        n = len(passages)
        if not (len(store) == n == manifest["passages"] == len(days) == len(outlet_codes)):
            raise IndexError_(f"{folder}: index files disagree with the manifest; rebuild it with `claimdesk index`")
        return cls(folder, manifest, passages, store, bm25, days, outlet_codes, impact)


def indexed_corpora(index_root: str | Path) -> list[dict]:
    """The corpora that have an embedded index under ``index_root``, read from each live manifest without loading
    the index: ``{"corpus", "passages", "built_at", "index_dir"}``, newest first. An index built before manifests
    named their corpus, or whose corpus folder is gone, is left out: it cannot be rebuilt or updated."""
    found = []
    for pointer in sorted(Path(index_root).glob("*/CURRENT")):
        try:
            folder = pointer.parent / pointer.read_text(encoding="utf-8").strip()
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        corpus = manifest.get("corpus") or ""
        if corpus and Path(corpus).is_dir():
            found.append({"corpus": corpus, "passages": int(manifest.get("passages", 0)),
                          "built_at": manifest.get("built_at", ""), "index_dir": str(pointer.parent)})
    return sorted(found, key=lambda c: c["built_at"], reverse=True)


def build_index(
    documents: list[Document],
    index_dir: str | Path,
    encoder,
    problems: list[CorpusProblem] = (),
    progress: Callable[[int, int], None] | None = None,
    exact_up_to: int = EXACT_UP_TO,
    lexical_exact_up_to: int = LEXICAL_EXACT_UP_TO,
    precision: str = "auto",
    corpus: str = "",
) -> BuildReport:
    """Build or update the index. Unchanged documents keep their vectors; an encoder change rebuilds all.
    ``encoder`` is the query encoder; the passages may be embedded in bf16 (see ``corpus_encoder``). Above
    ``exact_up_to`` passages the dense engine is a graph, and above ``lexical_exact_up_to`` BM25 reads each claim's
    best postings under a budget (retrieval/lexical.py). ``corpus`` (the folder the documents came from) is kept in
    the manifest, so the dashboard can offer the index by name."""
    import bm25s

    started = time.time()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    for stale in index_dir.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)

    report = BuildReport(documents=len(documents), problems=[str(p) for p in problems],
                         skipped_by_kind=dict(Counter(p.kind for p in problems)))
    # The same wire story on several sites is indexed once; the other outlets go on its evidence card.
    documents, copies = collapse_syndicated(documents)
    report.syndicated_copies = sum(len(c) for c in copies.values())
    previous = _previous(index_dir)
    reusable: dict[str, tuple[list[Passage], np.ndarray]] = {}
    if previous is None:
        report.rebuilt, report.reason = True, "no previous index"
    elif previous.encoder_fingerprint != encoder.fingerprint:
        report.rebuilt, report.reason = True, (
            f"encoder changed ({previous.encoder_fingerprint} -> {encoder.fingerprint}); rebuilt from scratch"
        )
    else:
        old_hashes = previous.manifest["documents"]
        vectors = np.asarray(previous.store.vectors)
        rows_by_doc: dict[str, list[int]] = {}
        for row, passage in enumerate(previous.passages):
            rows_by_doc.setdefault(passage.doc_id, []).append(row)
        for document in documents:
            rows = rows_by_doc.get(document.id)
            if rows and old_hashes.get(document.id) == document.content_hash:
                reusable[document.id] = ([previous.passages[r] for r in rows], vectors[rows])
        report.removed_documents = len(set(old_hashes) - {d.id for d in documents})
        del vectors
    # What is reusable was copied out. An HNSW generation holds its own copy of every vector in memory (1.5 GB
    # at a million passages), so let it go before the new vectors are made.
    del previous

    passages: list[Passage] = []
    blocks: list[np.ndarray | None] = []  # one per document, in corpus order; None = to embed
    to_embed: list[Passage] = []
    fresh_counts: list[int] = []
    for document in documents:
        if document.id in reusable:
            kept, kept_vectors = reusable[document.id]
            passages.extend(kept)
            blocks.append(kept_vectors)
            report.reused_documents += 1
            continue
        fresh = passages_of(document)
        passages.extend(fresh)
        to_embed.extend(fresh)
        blocks.append(None)
        fresh_counts.append(len(fresh))
        report.embedded_documents += 1

    bulk = corpus_encoder(encoder, len(to_embed), precision) if to_embed else encoder
    report.encoded_with = getattr(bulk, "backend", "unknown")
    fresh_vectors = _embed(bulk, to_embed, progress, encoder.dimension)
    del to_embed
    # At a million passages the matrix is 1.5 GB: a fresh build uses the embedded vectors as they are, and an
    # update fills one preallocated matrix, so no step holds a second or third copy (bench/scale.py, peak RSS).
    if reusable:
        matrix = np.empty((len(passages), encoder.dimension), dtype=np.float32)
        row = cursor = 0
        counts = iter(fresh_counts)
        for block in blocks:
            if block is None:
                n = next(counts)
                block = fresh_vectors[cursor : cursor + n]
                cursor += n
            matrix[row : row + len(block)] = block
            row += len(block)
    else:
        matrix = fresh_vectors
    del blocks, reusable, fresh_vectors  # ``matrix`` is now the only reference to the vectors
    if matrix.shape[0] != len(passages):
        raise IndexError_("internal error: vectors and passages disagree; nothing was written")

    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=index_dir))
    try:
        approximate = len(passages) > exact_up_to
        (HnswVectorStore.build(matrix) if approximate else FlatVectorStore(matrix)).save(tmp)
        del matrix  # on disk now, and not needed by the steps below
        offsets = np.zeros(len(passages) + 1, dtype=np.int64)
        with open(tmp / "passages.jsonl", "wb") as handle:
            for row, passage in enumerate(passages):
                line = (json.dumps(_passage_to_row(passage), ensure_ascii=False) + "\n").encode("utf-8")
                handle.write(line)
                offsets[row + 1] = offsets[row] + len(line)
        np.save(tmp / "offsets.npy", offsets)
        outlets, outlet_codes = _outlet_codes(passages)
        np.save(tmp / "outlet_codes.npy", outlet_codes)
        np.save(tmp / "days.npy", np.array([p.date.toordinal() if p.date else 0 for p in passages], dtype=np.int64))
        bm25 = bm25s.BM25()
        bm25.index(_bm25_tokens([passage_text(p) for p in passages]), show_progress=False)
        bm25.save(str(tmp / "bm25"), show_progress=False)
        impact = len(passages) > lexical_exact_up_to
        if impact:
            from retrieval.lexical import write_impact_order  # numba: imported only for an index this large

            write_impact_order(bm25, tmp / "bm25")
        del bm25
        manifest = {
            "format": FORMAT,
            "encoder": {"id": encoder.fingerprint.split("@")[0], "fingerprint": encoder.fingerprint,
                        "dimension": int(encoder.dimension), "last_encoded_with": report.encoded_with},
            "passages": len(passages),
            "vector_index": "hnsw" if approximate else "flat",
            "lexical_index": "impact" if impact else "exact",
            "outlets": outlets,
            "documents": {d.id: d.content_hash for d in documents},
            "syndicated": {kept: [{"id": c.doc_id, "source": c.source, "title": c.title,
                                   "date": c.date.isoformat() if c.date else "", "url": c.url} for c in found]
                           for kept, found in copies.items()},
            "problems": report.problems,
            "corpus": corpus,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        _fsync_tree(tmp)
        generation = _next_generation(index_dir)
        os.rename(tmp, index_dir / generation)
        pointer_tmp = index_dir / ".CURRENT.tmp"
        pointer_tmp.write_text(generation, encoding="utf-8")
        os.replace(pointer_tmp, index_dir / "CURRENT")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for old in index_dir.glob("gen-*"):
        if old.name != generation:
            shutil.rmtree(old, ignore_errors=True)
    report.passages = len(passages)
    report.seconds = round(time.time() - started, 2)
    return report


def _outlet_codes(passages: Sequence[Passage]) -> tuple[list[str], np.ndarray]:
    """Casefolded outlet names, and each passage's index into them (filters compare integers, not strings)."""
    outlets: dict[str, int] = {}
    codes = np.array([outlets.setdefault(p.source.casefold(), len(outlets)) for p in passages], dtype=np.int32)
    return list(outlets), codes


def _embed(encoder, passages: list[Passage], progress, dimension: int) -> np.ndarray:
    """Unit vectors of the passages, float32, written into one preallocated matrix chunk by chunk (the texts too
    are made a chunk at a time): the matrix is the only full-size thing this step holds."""
    out = np.empty((len(passages), dimension), dtype=np.float32)
    step = 256
    for start in range(0, len(passages), step):
        chunk = passages[start : start + step]
        out[start : start + len(chunk)] = encoder.encode([passage_text(p) for p in chunk])
        if progress:
            progress(start + len(chunk), len(passages))
    return out


def _previous(index_dir: Path) -> PassageIndex | None:
    try:
        return PassageIndex.open(index_dir)
    except IndexError_:
        return None


def _next_generation(index_dir: Path) -> str:
    numbers = [int(p.name.split("-")[1]) for p in index_dir.glob("gen-*") if p.name.split("-")[1].isdigit()]
    return f"gen-{(max(numbers) + 1) if numbers else 1:06d}"


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
