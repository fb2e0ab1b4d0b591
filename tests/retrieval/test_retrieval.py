"""Corpus loading, the persisted index, and hybrid search, with the real encoder and bm25s."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from retrieval.corpus import CorpusError, load_corpus
from retrieval.index import IndexError_, PassageIndex, build_index, passage_text
from retrieval.passages import passages_of
from retrieval.search import Searcher, SearchFilters
from retrieval.types import Document

pytestmark = pytest.mark.integration

REPORTS = [
    {"id": "r1", "title": "Port reopens",
     "text": "The port of Varna reopened on May 2 after repairs. Ships queued overnight.",
     "source": "Coast Times", "date": "2019-05-03", "url": "https://example.invalid/r1"},
    {"id": "r2", "title": "Budget vote",
     "text": "Parliament passed the budget with 120 votes. The opposition walked out.",
     "source": "Capital Post", "date": "2019-04-01", "url": ""},
    {"id": "r3", "title": "Late report", "text": "The port of Varna closed again in June because of a strike.",
     "source": "Coast Times", "date": "2019-06-20", "url": ""},
    {"id": "r4", "title": "Budget vote",
     "text": "Parliament passed the budget with 120 votes. The opposition walked out!",
     "source": "Wire Copy", "date": "2019-04-01", "url": ""},
    {"id": "r5", "title": "Football", "text": "The home side won the cup final 2-1 in extra time.",
     "source": "Sports Daily", "date": "2019-03-01", "url": ""},
]


def write_corpus(folder: Path, extra_lines: list[str] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r) for r in REPORTS[:3]] + list(extra_lines)
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "wire.csv").write_text(
        "id,title,text,source,date,url\n"
        f"r4,{REPORTS[3]['title']},\"{REPORTS[3]['text']}\",{REPORTS[3]['source']},{REPORTS[3]['date']},\n",
        encoding="utf-8",
    )
    (folder / "r5.md").write_text(
        f"---\nid: r5\ntitle: Football\nsource: Sports Daily\ndate: 2019-03-01\n---\n{REPORTS[4]['text']}\n",
        encoding="utf-8",
    )
    return folder


def test_all_formats_load_and_bad_lines_are_reported(tmp_path):
    folder = write_corpus(tmp_path / "c", ['{"id": "bad", "text": ', '{"id": "x", "title": "no text"}',
                                            '{"id": "d", "text": "ok", "date": "yesterday"}'])
    documents, problems = load_corpus(folder)
    assert sorted(d.id for d in documents) == ["r1", "r2", "r3", "r4", "r5"]
    assert [str(p).split(": ", 1)[0] for p in problems] == [f"{folder / 'news.jsonl'}:{n}" for n in (4, 5, 6)]
    assert "not valid JSON" in problems[0].message and "text" in problems[1].message
    r5 = next(d for d in documents if d.id == "r5")
    assert r5.source == "Sports Daily" and r5.date == date(2019, 3, 1)


def test_missing_or_empty_corpus(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        load_corpus(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="no readable documents"):
        load_corpus(tmp_path / "empty")


def test_passages_keep_offsets():
    document = Document("d", "First sentence here. Second one follows. Third ends it.")
    passages = passages_of(document)
    assert len(passages) == 2
    for passage in passages:
        assert document.text[passage.start : passage.end] == passage.text


def test_reindex_embeds_only_changed_documents(tmp_path, encoder):
    folder = write_corpus(tmp_path / "c")
    documents, _ = load_corpus(folder)
    first = build_index(documents, tmp_path / "idx", encoder)
    assert first.embedded_documents == 5 and first.rebuilt
    vectors_before = np.asarray(PassageIndex.open(tmp_path / "idx").store.vectors).copy()

    again = build_index(documents, tmp_path / "idx", encoder)
    assert (again.embedded_documents, again.reused_documents) == (0, 5)
    np.testing.assert_array_equal(np.asarray(PassageIndex.open(tmp_path / "idx").store.vectors), vectors_before)

    changed = [replace(d, text=d.text + " A correction was appended.") if d.id == "r2" else d for d in documents]
    update = build_index([d for d in changed if d.id != "r5"], tmp_path / "idx", encoder)
    assert (update.embedded_documents, update.reused_documents, update.removed_documents) == (1, 3, 1)
    index = PassageIndex.open(tmp_path / "idx")
    assert {p.doc_id for p in index.passages} == {"r1", "r2", "r3", "r4"}
    assert len(index.store) == len(index.passages)
    # Reused and fresh vectors are interleaved in corpus order: every row holds its own passage's vector.
    stored = np.asarray(index.store.vectors)
    expected = encoder.encode([passage_text(p) for p in index.passages])
    assert stored.dtype == np.float32 and np.all(np.sum(stored * expected, axis=1) > 0.999)


def test_encoder_change_forces_a_clean_rebuild(tmp_path, encoder):
    documents, _ = load_corpus(write_corpus(tmp_path / "c"))
    build_index(documents, tmp_path / "idx", encoder)

    class RetrainedEncoder:
        """The real encoder under a new fingerprint, as after a model upgrade."""

        dimension = encoder.dimension
        fingerprint = encoder.fingerprint + "-v2"

        def encode(self, texts, progress=False):
            return encoder.encode(texts)

    report = build_index(documents, tmp_path / "idx", RetrainedEncoder())
    assert report.rebuilt and "encoder changed" in report.reason and report.embedded_documents == 5
    with pytest.raises(RuntimeError, match="another encoder"):
        Searcher(PassageIndex.open(tmp_path / "idx"), encoder)


def test_interrupted_build_leaves_the_previous_index_whole(tmp_path, encoder):
    documents, _ = load_corpus(write_corpus(tmp_path / "c"))
    build_index(documents[:2], tmp_path / "idx", encoder)

    def crash(done, total):
        raise KeyboardInterrupt("killed mid-embedding")

    with pytest.raises(KeyboardInterrupt):
        build_index(documents, tmp_path / "idx", encoder, progress=crash)
    index = PassageIndex.open(tmp_path / "idx")
    assert {p.doc_id for p in index.passages} == {d.id for d in documents[:2]}
    assert len(index.store) == len(index.passages)
    assert not list((tmp_path / "idx").glob(".tmp-*"))


def test_damaged_index_is_a_clear_error(tmp_path, encoder):
    documents, _ = load_corpus(write_corpus(tmp_path / "c"))
    build_index(documents, tmp_path / "idx", encoder)
    generation = (tmp_path / "idx" / "CURRENT").read_text()
    (tmp_path / "idx" / generation / "vectors.npy").write_bytes(b"garbage")
    with pytest.raises(IndexError_, match="damaged"):
        PassageIndex.open(tmp_path / "idx")
    with pytest.raises(IndexError_, match="no index here"):
        PassageIndex.open(tmp_path / "elsewhere")


@pytest.fixture(scope="module", params=["embedded", "embedded-hnsw", "embedded-archive", "milvus-lite",
                                        "milvus-server"])
def searcher(request, tmp_path_factory, encoder):
    """The same search suite on each engine: the embedded index files (exact; with the HNSW graph used for large
    corpora; and as an archive-size index is built, the graph with impact-ordered BM25), Milvus Lite in-process,
    and a Milvus server on 127.0.0.1 reached over its real protocol."""
    from retrieval.milvus import MilvusStore, publish

    folder = write_corpus(tmp_path_factory.mktemp("corpus") / "c")
    documents, _ = load_corpus(folder)
    index_dir = tmp_path_factory.mktemp("index")
    archive = request.param == "embedded-archive"
    graph = archive or request.param == "embedded-hnsw"
    build_index(documents, index_dir, encoder, exact_up_to=0 if graph else 10**9,
                lexical_exact_up_to=0 if archive else 10**9)
    index = PassageIndex.open(index_dir)
    assert index.manifest["vector_index"] == ("hnsw" if graph else "flat")
    assert index.manifest["lexical_index"] == ("impact" if archive else "exact")
    assert (index.impact is not None) == archive
    if request.param.startswith("embedded"):
        return Searcher(index, encoder)
    url = (f"milvus-lite://{tmp_path_factory.mktemp('lite') / 'passages.db'}" if request.param == "milvus-lite"
           else request.getfixturevalue("milvus_server"))
    publish(index, url)
    return Searcher(MilvusStore.open(url), encoder)


def test_hybrid_search_finds_the_right_passage(searcher):
    [evidence] = searcher.search(["Varna port reopened in May"], top_k=3)
    assert evidence[0].passage.doc_id == "r1"
    assert evidence[0].lexical_rank is not None and evidence[0].dense_rank is not None


def test_fused_scores_are_each_engines_scaled_score_weighed_by_its_share(searcher):
    """On every engine: the evidence comes best first with a 0-1 fused score, and a passage both engines put
    first scores 1. The BM25 scale differs between bm25s and Milvus (and Milvus builds differ in its sign);
    scaling per list is what makes the fusion the same code on both."""
    [evidence] = searcher.search(["Varna port reopened in May"], top_k=5)
    scores = [e.score for e in evidence]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
    assert evidence[0].dense_rank == 1 and evidence[0].lexical_rank == 1 and evidence[0].score == 1.0


def test_scaling_puts_each_engines_best_at_1_and_its_last_at_0():
    from retrieval.search import DENSE_SHARE, fuse, scaled

    assert scaled([(7, 12.0), (3, 9.0), (5, 6.0)]) == {7: 1.0, 3: 0.5, 5: 0.0}
    assert scaled([(4, 0.31)]) == {4: 1.0} and scaled([]) == {}
    assert scaled([(1, 2.0), (2, float("nan")), (3, 1.0)]) == {1: 1.0, 3: 0.0}
    # A passage one engine scores far above the rest outranks a narrow winner of the other engine that the
    # first engine ranks second: rank fusion (RRF) would have tied them.
    dense = scaled([(1, 0.80), (2, 0.79), (9, 0.40)])
    lexical = scaled([(2, 30.0), (1, 5.0), (9, 4.0)])
    assert fuse(dense[2], lexical[2]) > fuse(dense[1], lexical[1])
    assert fuse(1.0, 0.0) == DENSE_SHARE and fuse(0.0, 1.0) == 1.0 - DENSE_SHARE


def test_later_evidence_is_excluded_by_default_and_flagged_on_request(searcher):
    before = date(2019, 5, 10)
    [default] = searcher.search(["Varna port closed because of a strike"], 5, SearchFilters(before=before))
    assert "r3" not in {e.passage.doc_id for e in default}
    [shown] = searcher.search(["Varna port closed because of a strike"], 5,
                              SearchFilters(before=before, include_later=True))
    later = next(e for e in shown if e.passage.doc_id == "r3")
    assert later.after_article and not any(e.after_article for e in shown if e.passage.doc_id != "r3")


def test_outlet_filters_apply_inside_the_engines(searcher):
    [allowed] = searcher.search(["budget vote"], 5, SearchFilters(allow_outlets=frozenset({"capital post"})))
    assert {e.passage.source for e in allowed} == {"Capital Post"}
    [denied] = searcher.search(["port"], 5, SearchFilters(deny_outlets=frozenset({"Coast Times"})))
    assert "Coast Times" not in {e.passage.source for e in denied}


def test_syndicated_copies_are_collapsed(searcher):
    [evidence] = searcher.search(["parliament passed the budget with 120 votes"], top_k=5)
    budget = [e for e in evidence if e.passage.doc_id in {"r2", "r4"}]
    assert len(budget) == 1 and len(budget[0].duplicates) == 1


def test_onnx_encoder_gives_the_reference_vectors(encoder):
    from retrieval.encoder import TorchEncoder

    assert encoder.backend == "onnx"
    texts = [d["text"] for d in REPORTS] + ["Lavrov arrived in Pyongyang.", "x"]
    reference = TorchEncoder(weights=encoder.weights).encode(texts)
    served = encoder.encode(texts * 3)  # several batches, run on both cores at once
    assert float(np.min(np.sum(np.tile(reference, (3, 1)) * served, axis=1))) >= 0.999
    # Each text gets its own vector back, whatever is encoded beside it.
    alone = np.stack([encoder.encode([text])[0] for text in texts])
    assert float(np.min(np.sum(np.tile(alone, (3, 1)) * served, axis=1))) >= 0.99999
    assert encoder.fingerprint == TorchEncoder(weights=encoder.weights).fingerprint


def test_the_default_encoder_is_the_retrieval_fine_tune_laid_over_the_packaged_weights(encoder):
    from safetensors.numpy import load_file

    from retrieval.encoder import ENCODER_ID, RETRIEVER_DIR, RETRIEVER_ID, base_weights

    assert encoder.fingerprint.startswith(RETRIEVER_ID + "@")
    base = base_weights()
    assert base.fingerprint.startswith(ENCODER_ID + "@") and base.fingerprint != encoder.fingerprint
    packaged = load_file(str(base.path / "model.safetensors"))
    merged = load_file(str(encoder.weights.path / "model.safetensors"))
    overlay = load_file(str(RETRIEVER_DIR / "overlay.safetensors"))
    assert overlay and all(name.startswith("encoder.layer.") for name in overlay)
    # Everything the overlay does not name is the packaged tensor, bit for bit; what it names was trained.
    assert all(np.array_equal(packaged[name], merged[name]) for name in packaged if name not in overlay)
    assert all(np.array_equal(overlay[name].astype(np.float32), merged[name]) for name in overlay)
    # Trained, not just re-rounded: most overlay tensors differ from the packaged ones stored in fp16.
    changed = [n for n in overlay if not np.array_equal(overlay[n], packaged[n].astype(np.float16))]
    assert len(changed) > len(overlay) // 2


@pytest.mark.parametrize("damage", ["missing", "corrupt", "other base", "bad manifest"])
def test_a_damaged_retrieval_model_is_a_one_line_error(tmp_path, damage):
    import shutil

    from retrieval.encoder import RETRIEVER_DIR, RetrieverModelError, tuned_weights

    folder = tmp_path / "retriever"
    shutil.copytree(RETRIEVER_DIR, folder)
    if damage == "missing":
        (folder / "overlay.safetensors").unlink()
    elif damage == "bad manifest":
        (folder / "manifest.json").write_text('{"file": "overlay.safetensors"', encoding="utf-8")
    elif damage == "corrupt":
        data = bytearray((folder / "overlay.safetensors").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (folder / "overlay.safetensors").write_bytes(bytes(data))
    else:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest["base_fingerprint"] = "0" * 16
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(RetrieverModelError) as raised:
        tuned_weights(tmp_path / "models", folder)
    message = str(raised.value)
    assert "\n" not in message and "CLAIMDESK_ENCODER=base" in message
    assert {"missing": "missing", "corrupt": "corrupt", "other base": "other MiniLM",
            "bad manifest": "manifest unreadable"}[damage] in message
    assert not list((tmp_path / "models").glob("retriever-*"))  # nothing half-written for a later run to trust


def test_the_merged_retrieval_model_is_written_once_and_repaired_when_damaged(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from retrieval.encoder import tuned_weights

    with ThreadPoolExecutor(3) as pool:  # three first runs at once: one copy wins, none fails
        paths = set(pool.map(lambda _: tuned_weights(tmp_path / "models").path, range(3)))
    [path] = paths
    merged = (path / "model.safetensors").read_bytes()
    assert [p.name for p in (tmp_path / "models").iterdir()] == [path.name]  # no temporary folders left behind
    (path / "model.safetensors").unlink()
    assert tuned_weights(tmp_path / "models").path == path
    assert (path / "model.safetensors").read_bytes() == merged


def test_switching_encoders_rebuilds_the_index(tmp_path, encoder):
    from retrieval.encoder import TorchEncoder, base_weights

    folder = write_corpus(tmp_path / "c")
    documents, _ = load_corpus(folder)
    build_index(documents, tmp_path / "idx", encoder)
    report = build_index(documents, tmp_path / "idx", TorchEncoder(weights=base_weights()))
    assert report.rebuilt and "encoder changed" in report.reason
    with pytest.raises(Exception, match="another encoder"):
        Searcher(PassageIndex.open(tmp_path / "idx"), encoder)


def test_bf16_corpus_encoding_is_used_only_when_it_pays_and_matches(encoder):
    from retrieval.encoder import BULK_MIN_PASSAGES, Bf16TorchEncoder, corpus_encoder, native_bf16

    assert corpus_encoder(encoder, 10, "auto") is encoder  # too few passages to pay for importing torch
    assert corpus_encoder(encoder, 10 * BULK_MIN_PASSAGES, "fp32") is encoder
    large = corpus_encoder(encoder, 10 * BULK_MIN_PASSAGES, "auto")
    # Only hardware bf16 is faster than fp32; where it is emulated the query encoder keeps the job.
    assert isinstance(large, Bf16TorchEncoder) if native_bf16() else large is encoder

    forced = corpus_encoder(encoder, 10, "bf16")
    assert forced.backend == "torch-bf16" and forced.fingerprint == encoder.fingerprint
    texts = [d["text"] for d in REPORTS] + ["Lavrov arrived in Pyongyang on April 10.", "x"]
    assert float(np.min(np.sum(forced.encode(texts) * encoder.encode(texts), axis=1))) >= 0.9995

    class Other:  # a different model may never fill this index, whatever its precision
        fingerprint, dimension, backend = "other@0", 384, "onnx"

    assert corpus_encoder(Other(), 10, "bf16").backend == "onnx"


def test_an_index_embedded_in_bf16_ranks_like_fp32_and_says_how_it_was_built(tmp_path, encoder):
    documents, _ = load_corpus(write_corpus(tmp_path / "c"))
    fp32 = build_index(documents, tmp_path / "fp32", encoder, precision="fp32")
    bf16 = build_index(documents, tmp_path / "bf16", encoder, precision="bf16")
    assert (fp32.encoded_with, bf16.encoded_with) == ("onnx", "torch-bf16")
    index = PassageIndex.open(tmp_path / "bf16")
    assert index.manifest["encoder"]["last_encoded_with"] == "torch-bf16"
    queries = ["Varna port reopened in May", "budget passed with 120 votes", "cup final in extra time"]
    full, half = ([{e.passage.doc_id: (e.score, e.dense_score) for e in found} for found in
                   Searcher(PassageIndex.open(tmp_path / name), encoder).search(queries, top_k=5)]
                  for name in ("fp32", "bf16"))
    for exact, rounded in zip(full, half):
        # bf16 keeps about three significant digits: each passage's cosine within 0.01 of fp32's, the same top
        # passage, and the same order wherever fp32's ranking score tells two passages apart by more than 0.01 (two
        # at 0.0172 and 0.0171 may swap).
        both = [d for d in exact if d in rounded]
        assert all(abs(exact[d][1] - rounded[d][1]) < 0.01 for d in both)
        assert next(iter(exact)) == next(iter(rounded))
        order = [d for d in rounded if d in exact]
        assert all(exact[a][0] > exact[b][0] - 0.01 for a, b in zip(order, order[1:]))


@pytest.mark.slow
def test_kill_9_during_indexing_leaves_the_previous_index_whole(tmp_path, data_dir, pipeline):
    """A real SIGKILL while `claimdesk index` writes: the index still opens, whole, at the old generation."""
    import os
    import signal
    import subprocess
    import sys
    import time

    repo = Path(__file__).resolve().parents[2]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(json.dumps(REPORTS[0]) + "\n", encoding="utf-8")
    env = {**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-m", "claimdesk.cli", "index", str(corpus), "--index", str(tmp_path / "idx")]
    # The first generation is built in this process (the same encoder the command loads): only the build that
    # is killed needs a process of its own.
    from retrieval.corpus import load_corpus

    build_index(load_corpus(corpus)[0], tmp_path / "idx", pipeline.encoder)

    big = [{"id": f"n{i}", "text": f"Report {i}: the council met on day {i} and approved {i * 3} new homes. "
            f"The vote was {i % 7} to {i % 5}.", "source": "Town Crier", "date": "2019-01-01"} for i in range(3000)]
    (corpus / "b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in big), encoding="utf-8")
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=repo)
    deadline = time.time() + 120
    while time.time() < deadline and not list((tmp_path / "idx").glob(".tmp-*")) and child.poll() is None:
        time.sleep(0.005)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)  # killed while the new generation is being written
    child.wait()
    index = PassageIndex.open(tmp_path / "idx")
    assert len(index.store) == len(index.passages) == index.manifest["passages"]
    docs = {p.doc_id for p in index.passages}
    if child.returncode == -signal.SIGKILL:
        assert docs == {"r1"}  # the old generation, whole
    else:
        assert docs == {"r1"} | {r["id"] for r in big}  # finished first: the new generation, whole


def test_a_killed_publish_leaves_nothing_searchable_and_is_cleaned_up(tmp_path, encoder):
    """A publish killed before its alias switch leaves a collection nobody searches; the next one drops it."""
    from pymilvus import DataType

    from retrieval.milvus import ALIAS, MilvusStore, connect, publish

    documents, _ = load_corpus(write_corpus(tmp_path / "c"))
    build_index(documents, tmp_path / "idx", encoder)
    url = f"milvus-lite://{tmp_path / 'passages.db'}"
    first = publish(PassageIndex.open(tmp_path / "idx"), url)
    client = connect(url)
    orphan_schema = client.create_schema(auto_id=False)
    orphan_schema.add_field("id", DataType.INT64, is_primary=True)
    orphan_schema.add_field("vector", DataType.FLOAT_VECTOR, dim=2)
    client.create_collection(f"{ALIAS}_killed_mid_insert", schema=orphan_schema)
    assert client.describe_alias(ALIAS)["collection_name"] == first["collection"]  # searches never saw it
    second = publish(PassageIndex.open(tmp_path / "idx"), url)
    assert [c for c in client.list_collections() if c.startswith(f"{ALIAS}_")] == [second["collection"]]
    assert len(MilvusStore.open(url)) == len(PassageIndex.open(tmp_path / "idx"))


def test_an_index_from_an_older_version_is_rebuilt_not_a_stack_trace(tmp_path, settings, encoder):
    """Upgrading Claimdesk changed the index layout: the first check rebuilds it (it is derived data)."""
    from claimdesk.pipeline import Pipeline

    folder = write_corpus(tmp_path / "c")
    documents, _ = load_corpus(folder)
    build_index(documents, tmp_path / "idx", encoder)
    generation = tmp_path / "idx" / (tmp_path / "idx" / "CURRENT").read_text()
    manifest = json.loads((generation / "manifest.json").read_text())
    (generation / "manifest.json").write_text(json.dumps({**manifest, "format": 1}))
    with pytest.raises(IndexError_, match="another version"):
        PassageIndex.open(tmp_path / "idx")
    pipeline = Pipeline(settings.with_overrides(corpus_dir=folder, index_dir=tmp_path / "idx"))
    pipeline.__dict__["encoder"] = encoder  # the session's encoder: same model, no second load
    assert len(pipeline.index) == len(PassageIndex.open(tmp_path / "idx")) > 0
    assert PassageIndex.open(tmp_path / "idx").manifest["format"] != 1


@pytest.mark.slow
def test_a_milvus_server_that_goes_away_mid_publish_never_leaves_the_alias_on_a_partial_collection(tmp_path,
                                                                                                    encoder):
    """A publish (`claimdesk index --to URL`) runs while the Milvus server is SIGKILLed at a random moment and started
    again, 20 times: the publish either finishes or fails in one line, and searches always open a whole index (the
    old one or the new one), never a half-loaded collection."""
    import random
    import signal
    import subprocess
    import sys
    import time

    from retrieval.milvus import MilvusStore, connect
    from tests.conftest import start_milvus

    small = write_corpus(tmp_path / "small")
    big = write_corpus(tmp_path / "big", [json.dumps({"id": f"wire-{n}", "title": f"Harbour report {n}",
                                                      "source": "Wire", "date": f"2024-05-0{1 + n % 9}",
                                                      "text": f"Report {n}: the harbour at Varna handled {n} ships "
                                                              "on the day, the port authority said."})
                                          for n in range(300)])
    sizes = {}
    for name, folder in (("small", small), ("big", big)):
        documents, _ = load_corpus(folder)
        build_index(documents, tmp_path / f"idx-{name}", encoder)
        sizes[name] = len(PassageIndex.open(tmp_path / f"idx-{name}"))
    data = tmp_path / "milvus"
    data.mkdir()
    server, url = start_milvus(data)
    port = int(url.rsplit(":", 1)[1])
    # What `claimdesk index --to URL` runs once the embedded index is up to date, in a process of its own.
    child = ("import sys\nfrom retrieval.index import PassageIndex\nfrom retrieval.milvus import MilvusError, publish\n"
             "try:\n    publish(PassageIndex.open(sys.argv[1]), sys.argv[2])\nexcept MilvusError as exc:\n"
             "    print(f'claimdesk: error: {exc}', file=sys.stderr)\n    sys.exit(2)\n")

    def publish(name: str):
        return subprocess.Popen([sys.executable, "-c", child, str(tmp_path / f"idx-{name}"), url],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    first = publish("small")
    assert first.wait(timeout=300) == 0, first.stderr.read()
    started = time.time()
    timing = publish("big")
    assert timing.wait(timeout=300) == 0, timing.stderr.read()
    took = time.time() - started
    rng = random.Random(5)
    outcomes = []
    try:
        for run in range(20):
            publisher = publish("big" if run % 2 else "small")
            time.sleep(rng.uniform(0.5, took))
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=30)
            server, _ = start_milvus(data, port)
            _, err = publisher.communicate(timeout=300)
            assert publisher.returncode in (0, 2), err
            if publisher.returncode == 2:
                assert err.count("\n") == 1 and "Traceback" not in err, err
            store = MilvusStore.open(url)  # what a search would open now
            assert len(store) in (sizes["small"], sizes["big"])
            assert len(store) == store.manifest["passages"]
            live = connect(url).describe_alias("claimdesk_passages")["collection_name"]
            assert store.manifest["collection"] == live
            outcomes.append(publisher.returncode)
    finally:
        server.kill()
        server.wait(timeout=30)
    assert 2 in outcomes  # the kill really landed mid-publish in some runs


def test_search_reads_only_the_passages_it_shows(tmp_path, encoder):
    # Twenty reports, all about ports: both engines return every one as a candidate. The search must read the few it
    # shows (top_k x 2 per claim at most, here no copies to collapse), not all forty candidates of the two engines.
    reports = [Document(id=f"p{i}", text=f"The port of Town{i} reopened after {i + 2} days of repairs to its cranes.",
                        title=f"Port {i}", source="Coast Times", date=date(2019, 5, 1)) for i in range(20)]
    build_index(reports, tmp_path / "idx", encoder)

    fetched: list[int] = []

    class CountingIndex(PassageIndex):  # the real index, with the rows each fetch asks for written down
        def fetch(self, rows):
            fetched.extend(rows)
            return super().fetch(rows)

    index = CountingIndex.open(tmp_path / "idx")
    [hits] = Searcher(index, encoder).search(["Which port reopened after repairs to its cranes?"], top_k=3)
    assert len(hits) == 3
    assert len(fetched) <= 6 and len(set(fetched)) == len(fetched)
    assert {h.passage.doc_id for h in hits} <= {index.passages[r].doc_id for r in fetched}
