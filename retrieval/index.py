"""The persisted passage index: vectors, BM25, passage metadata and a manifest.

Layout of an index folder::

    CURRENT            name of the live generation (switched with an atomic rename)
    gen-000007/        manifest.json, passages.jsonl, vectors.npy, bm25/
    .tmp-*/            a build in progress; never opened, removed by the next build

A build writes a whole new generation and only then points CURRENT at it, so a crash or kill at any
moment leaves the previous generation intact: an index never opens with mixed or missing vectors.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from retrieval.corpus import CorpusProblem
from retrieval.passages import passages_of
from retrieval.store import FlatVectorStore
from retrieval.types import Document, Passage

FORMAT = 1


class IndexError_(RuntimeError):
    """An index that is missing, damaged or built for another encoder. The message says what to run."""


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
    seconds: float = 0.0


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


class PassageIndex:
    """An opened generation: passages, their vectors (``store``) and the BM25 index."""

    def __init__(self, folder: Path, manifest: dict, passages: list[Passage], store, bm25) -> None:
        self.folder = folder
        self.manifest = manifest
        self.passages = passages
        self.store = store
        self.bm25 = bm25
        self._dates = np.array(
            [p.date.toordinal() if p.date else 0 for p in passages], dtype=np.int64
        )
        self._sources = np.array([p.source.casefold() for p in passages], dtype=object)

    def __len__(self) -> int:
        return len(self.passages)

    @property
    def encoder_fingerprint(self) -> str:
        return self.manifest["encoder"]["fingerprint"]

    def mask(self, before: date | None = None, allow: set[str] | None = None,
             deny: set[str] | None = None) -> np.ndarray | None:
        """Rows that pass the date and outlet filters. Undated passages pass the date filter."""
        if before is None and not allow and not deny:
            return None
        keep = np.ones(len(self.passages), dtype=bool)
        if before is not None:
            keep &= (self._dates == 0) | (self._dates <= before.toordinal())
        if allow:
            keep &= np.isin(self._sources, [s.casefold() for s in allow])
        if deny:
            keep &= ~np.isin(self._sources, [s.casefold() for s in deny])
        return keep

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
            with open(folder / "passages.jsonl", encoding="utf-8") as handle:
                passages = [_row_to_passage(json.loads(line)) for line in handle]
            store = FlatVectorStore.load(folder)
            bm25 = bm25s.BM25.load(str(folder / "bm25"))
        except (OSError, ValueError, KeyError) as exc:
            raise IndexError_(f"{folder}: index is damaged ({exc}); rebuild it with `claimdesk index`") from None
        if manifest.get("format") != FORMAT or len(store) != len(passages) or manifest["passages"] != len(passages):
            raise IndexError_(f"{folder}: index files disagree with the manifest; rebuild it with `claimdesk index`")
        return cls(folder, manifest, passages, store, bm25)


def build_index(
    documents: list[Document],
    index_dir: str | Path,
    encoder,
    problems: list[CorpusProblem] = (),
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Build or update the index. Unchanged documents keep their vectors; an encoder change rebuilds all."""
    import bm25s

    started = time.time()
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    for stale in index_dir.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)

    report = BuildReport(documents=len(documents), problems=[str(p) for p in problems])
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

    fresh_vectors = _embed(encoder, to_embed, progress)
    cursor = 0
    counts = iter(fresh_counts)
    for slot, block in enumerate(blocks):
        if block is None:
            n = next(counts)
            blocks[slot] = fresh_vectors[cursor : cursor + n]
            cursor += n
    matrix = np.concatenate(blocks).astype(np.float32) if blocks else np.zeros((0, encoder.dimension), np.float32)
    if matrix.shape[0] != len(passages):
        raise IndexError_("internal error: vectors and passages disagree; nothing was written")

    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=index_dir))
    try:
        FlatVectorStore(matrix).save(tmp)
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as handle:
            for passage in passages:
                handle.write(json.dumps(_passage_to_row(passage), ensure_ascii=False) + "\n")
        bm25 = bm25s.BM25()
        bm25.index(_bm25_tokens([passage_text(p) for p in passages]), show_progress=False)
        bm25.save(str(tmp / "bm25"), show_progress=False)
        manifest = {
            "format": FORMAT,
            "encoder": {"id": encoder.fingerprint.split("@")[0], "fingerprint": encoder.fingerprint,
                        "dimension": int(encoder.dimension)},
            "passages": len(passages),
            "documents": {d.id: d.content_hash for d in documents},
            "problems": report.problems,
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


def _embed(encoder, passages: list[Passage], progress) -> np.ndarray:
    texts = [passage_text(p) for p in passages]
    out = []
    step = 256
    for start in range(0, len(texts), step):
        out.append(encoder.encode(texts[start : start + step]))
        if progress:
            progress(min(start + step, len(texts)), len(texts))
    return np.concatenate(out) if out else np.zeros((0, encoder.dimension), dtype=np.float32)


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
