"""``MilvusStore``: the passage index on Milvus, through one ``pymilvus.MilvusClient`` API from a laptop to a cluster.

The URL in Settings (``vector_url``) picks the deployment; the code is the same for all of them:

- ``milvus-lite:///path/to/passages.db`` (or a path ending in ``.db``): Milvus Lite, embedded in this
  process, a local file, no server;
- ``http://host:19530`` / ``https://…``: a Milvus server or cluster (``milvus-lite server`` speaks the same
  protocol, which is what the tests start on 127.0.0.1).

One collection holds everything a search needs: the vector, BM25 over the title-plus-passage text (Milvus's
built-in BM25 function), the filter fields (``day``, ``source_key``) and the passage itself. Rows keep the
embedded index's numbering, so both engines give the same rows.

Publishing (``claimdesk index CORPUS --to URL``) writes a new collection and then moves the alias the
searches use onto it, so readers never see a half-loaded index; the old collection is dropped afterwards.
The encoder fingerprint lives in a small manifest collection, so a mismatch is caught at open.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from retrieval.store import RowFilter
from retrieval.types import Passage

ALIAS = "claimdesk_passages"
MANIFESTS = "claimdesk_manifests"
BATCH = 2000
MAX_TEXT_BYTES = 65535  # Milvus's VARCHAR limit
_PASSAGE_FIELDS = ["id", "passage_id", "doc_id", "text", "start", "end", "title", "source", "date", "url"]


class MilvusError(RuntimeError):
    """Milvus is unreachable, empty or holds an index for another encoder. The message says what to run."""


def is_milvus_url(url: str) -> bool:
    return url.startswith(("milvus-lite://", "http://", "https://")) or url.endswith(".db")


def connect(url: str):
    """A ``MilvusClient`` for ``url``. Only the server the URL names is contacted."""
    from pymilvus import MilvusClient
    from pymilvus.exceptions import MilvusException

    uri = url[len("milvus-lite://"):] if url.startswith("milvus-lite://") else url
    # pymilvus logs each failed reconnect with its traceback on stderr; a server gone away is reported once, in
    # the MilvusError the caller prints (one line, with pymilvus's reason in it).
    logging.getLogger("pymilvus").setLevel(logging.CRITICAL)
    try:
        # No keepalive pings while idle: pymilvus pings every 10 s by default, and a gRPC server with the stock
        # policy (milvus-lite server, measured) answers an idle client's pings with GOAWAY "too_many_pings",
        # after which a new client in the same process could fail to connect. Calls still reconnect as needed.
        return MilvusClient(uri=uri, timeout=30, grpc_options={"grpc.keepalive_permit_without_calls": 0})
    except MilvusException as exc:
        raise MilvusError(f"cannot open Milvus at {_safe(url)}: {exc.message}") from None
    except OSError as exc:
        raise MilvusError(f"cannot open Milvus at {_safe(url)}: {exc}") from None


def _safe(url: str) -> str:
    return url.split("@")[-1]  # never echo credentials


def _engine_call(method):
    """Milvus failures mid-search (a server gone away, a timeout) become one clear MilvusError."""
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except MilvusError:
            raise
        except Exception as exc:  # pymilvus raises MilvusException, grpc errors and OSError alike
            raise MilvusError(f"Milvus at {_safe(self.url)} failed during a search: {exc}") from None
    return wrapper


class MilvusStore:
    """Implements ``retrieval.store.VectorStore`` on a Milvus collection (through its alias)."""

    def __init__(self, client, manifest: dict, url: str) -> None:
        self.client = client
        self.manifest = manifest
        self.url = url

    @classmethod
    def open(cls, url: str) -> MilvusStore:
        client = connect(url)
        try:
            if not client.has_collection(MANIFESTS) or ALIAS not in client.list_aliases().get("aliases", []):
                raise MilvusError(f"{_safe(url)} holds no Claimdesk index; run `claimdesk index CORPUS --to URL`")
            target = client.describe_alias(ALIAS)["collection_name"]
            client.load_collection(MANIFESTS)  # a fresh process finds collections released
            found = client.get(MANIFESTS, ids=[target], output_fields=["manifest"])
        except MilvusError:
            raise
        except Exception as exc:  # pymilvus raises several unrelated types for "unreachable"
            raise MilvusError(f"cannot read the Claimdesk index at {_safe(url)}: {exc}") from None
        if not found:
            raise MilvusError(f"{_safe(url)}: the index has no manifest; publish it again with `claimdesk index --to`")
        client.load_collection(ALIAS)
        return cls(client, json.loads(found[0]["manifest"]), url)

    @property
    def encoder_fingerprint(self) -> str:
        return self.manifest["encoder"]["fingerprint"]

    def __len__(self) -> int:
        return int(self.manifest["passages"])

    @_engine_call
    def dense(self, vectors: np.ndarray, k: int, where: RowFilter) -> list[list[tuple[int, float]]]:
        # One call for all of an article's claims: Milvus's cost is per call more than per query.
        hits = self.client.search(ALIAS, data=[v.tolist() for v in vectors], anns_field="vector", limit=k,
                                  filter=where.expression(), output_fields=["id"],
                                  search_params={"metric_type": "IP"})
        return [[(int(h["id"]), float(h["distance"])) for h in per_query] for per_query in hits]

    @_engine_call
    def lexical(self, queries: list[str], k: int, where: RowFilter) -> list[list[tuple[int, float]]]:
        # Results come best first; the sign of the BM25 "distance" differs between Milvus builds, so its
        # magnitude is the score. The fusion rescales each list to 0-1 anyway, so only order and spacing count.
        hits = self.client.search(ALIAS, data=list(queries), anns_field="sparse", limit=k,
                                  filter=where.expression(), output_fields=["id"],
                                  search_params={"metric_type": "BM25"})
        return [[(int(h["id"]), abs(float(h["distance"]))) for h in per_query] for per_query in hits]

    @_engine_call
    def fetch(self, rows: Sequence[int]) -> tuple[dict[int, Passage], dict[int, np.ndarray]]:
        passages: dict[int, Passage] = {}
        vectors: dict[int, np.ndarray] = {}
        rows = [int(r) for r in rows]
        for start in range(0, len(rows), BATCH):
            for found in self.client.get(ALIAS, ids=rows[start : start + BATCH],
                                         output_fields=[*_PASSAGE_FIELDS, "vector"]):
                row = int(found["id"])
                passages[row] = Passage(
                    id=found["passage_id"], doc_id=found["doc_id"], text=found["text"], start=int(found["start"]),
                    end=int(found["end"]), title=found["title"], source=found["source"],
                    date=date.fromisoformat(found["date"]) if found["date"] else None, url=found["url"])
                vectors[row] = np.asarray(found["vector"], dtype=np.float32)
        return passages, vectors


def _schema(client, dimension: int):
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)  # the row: the passage's position in corpus order
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_field("day", DataType.INT64)  # date ordinal; 0 = undated
    schema.add_field("source_key", DataType.VARCHAR, max_length=512)  # casefolded outlet, for filters
    schema.add_field("match_text", DataType.VARCHAR, max_length=MAX_TEXT_BYTES, enable_analyzer=True)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_field("passage_id", DataType.VARCHAR, max_length=512)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
    schema.add_field("text", DataType.VARCHAR, max_length=MAX_TEXT_BYTES)
    schema.add_field("start", DataType.INT64)
    schema.add_field("end", DataType.INT64)
    schema.add_field("title", DataType.VARCHAR, max_length=2048)
    schema.add_field("source", DataType.VARCHAR, max_length=512)
    schema.add_field("date", DataType.VARCHAR, max_length=16)
    schema.add_field("url", DataType.VARCHAR, max_length=2048)
    schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["match_text"],
                                 output_field_names=["sparse"]))
    indexes = client.prepare_index_params()
    # FLAT (exact) for laptop-sized corpora; SCALING.md gives the index type for a cluster.
    indexes.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
    indexes.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    return schema, indexes


def _manifest_schema(client):
    from pymilvus import DataType

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("collection", DataType.VARCHAR, max_length=256, is_primary=True)
    schema.add_field("manifest", DataType.VARCHAR, max_length=MAX_TEXT_BYTES)
    schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)  # Milvus requires a vector field
    indexes = client.prepare_index_params()
    indexes.add_index(field_name="unused", index_type="FLAT", metric_type="L2")
    return schema, indexes


def _clip(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", errors="ignore")


def _drop_unfinished(client) -> None:
    """Collections left by a publish that was killed before the switch: never aliased, so never searched.
    One publisher at a time is assumed (a newsroom's nightly job), as with the embedded index's builds."""
    live = client.describe_alias(ALIAS)["collection_name"] if ALIAS in client.list_aliases().get("aliases", []) \
        else None
    for name in client.list_collections():
        if name.startswith(f"{ALIAS}_") and name != live:
            client.drop_collection(name)


def publish(index, url: str, progress: Callable[[int, int], None] | None = None) -> dict:
    """Copy an opened embedded ``PassageIndex`` to Milvus at ``url`` and switch the alias to it. A failure on the
    way (the server gone, a rejected row) leaves the searched collection as it was and says so in one line."""
    try:
        return _publish(index, url, progress)
    except MilvusError:
        raise
    except Exception as exc:  # pymilvus raises MilvusException, grpc errors and OSError alike
        raise MilvusError(f"publishing to Milvus at {_safe(url)} failed; searches still use the previous "
                          f"index: {exc}") from None


def _publish(index, url: str, progress) -> dict:
    from retrieval.index import passage_text

    client = connect(url)
    started = time.time()
    _drop_unfinished(client)
    collection = f"claimdesk_passages_{time.strftime('%Y%m%d%H%M%S', time.gmtime())}_{int(time.time_ns() % 1e6)}"
    schema, indexes = _schema(client, int(index.manifest["encoder"]["dimension"]))
    client.create_collection(collection, schema=schema, index_params=indexes)
    try:
        total = len(index)
        for start in range(0, total, BATCH):
            stop = min(total, start + BATCH)
            passages, vectors = index.fetch(range(start, stop))
            client.insert(collection, [{
                "id": row, "vector": vectors[row].tolist(),
                "day": passages[row].date.toordinal() if passages[row].date else 0,
                "source_key": _clip(passages[row].source.casefold(), 512),
                "match_text": _clip(passage_text(passages[row]), MAX_TEXT_BYTES),
                "passage_id": _clip(passages[row].id, 512), "doc_id": _clip(passages[row].doc_id, 512),
                "text": _clip(passages[row].text, MAX_TEXT_BYTES), "start": passages[row].start,
                "end": passages[row].end, "title": _clip(passages[row].title, 2048),
                "source": _clip(passages[row].source, 512),
                "date": passages[row].date.isoformat() if passages[row].date else "",
                "url": _clip(passages[row].url, 2048),
            } for row in range(start, stop)])
            if progress:
                progress(stop, total)
        client.flush(collection)
        if not client.has_collection(MANIFESTS):
            manifest_schema, manifest_indexes = _manifest_schema(client)
            client.create_collection(MANIFESTS, schema=manifest_schema, index_params=manifest_indexes)
        # The per-document maps can outgrow the manifest field (64 KiB): only their sizes travel. So searches on
        # Milvus do not list a passage's syndicated copies ("also carried by"); the embedded index does.
        manifest = {**{k: v for k, v in index.manifest.items() if k not in ("documents", "syndicated")},
                    "documents": len(index.manifest.get("documents", {})),
                    "syndicated_documents": len(index.manifest.get("syndicated", {})), "collection": collection,
                    "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        client.upsert(MANIFESTS, [{"collection": collection, "manifest": json.dumps(manifest), "unused": [0.0, 0.0]}])
        client.flush(MANIFESTS)
        client.load_collection(collection)
    except BaseException:
        client.drop_collection(collection)
        raise
    # The switch: searches move to the new collection in one step; then the old one goes.
    previous = None
    if ALIAS in client.list_aliases().get("aliases", []):
        previous = client.describe_alias(ALIAS)["collection_name"]
        client.alter_alias(collection, ALIAS)
    else:
        client.create_alias(collection, ALIAS)
    if previous and previous != collection:
        client.drop_collection(previous)
        client.delete(MANIFESTS, ids=[previous])
    return {"collection": collection, "passages": len(index), "seconds": round(time.time() - started, 2),
            "url": _safe(url)}
