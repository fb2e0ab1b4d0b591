"""The CLI contract, end to end on the demo, through the installed `claimdesk` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from verification.roles import ROLES
from verification.types import VERDICTS

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
CLAIMDESK = [sys.executable, "-m", "claimdesk.cli"]


def run(args, data_dir, extra_env=None, cwd=REPO, **kwargs):
    env = {**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir), **(extra_env or {})}
    return subprocess.run(CLAIMDESK + args, capture_output=True, text=True, cwd=cwd, env=env, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def indexed(data_dir, pipeline):
    """The demo index, built once through the CLI (and reused by the in-process pipeline)."""
    done = run(["index", str(REPO / "corpus" / "demo")], data_dir)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_index_reports_what_it_did(indexed):
    assert indexed["documents"] == 44 and indexed["passages"] >= 44 and indexed["skipped_records"] == 0


def test_check_json_contract(indexed, data_dir, tmp_path):
    out = tmp_path / "demo.json"
    done = run(["check", str(REPO / "corpus" / "demo_article.md"), "--out", str(out)], data_dir)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert {"id", "title", "outlet", "published"} <= set(result["article"])
    assert result["article"]["published"] == "2018-04-10"
    claims = result["claims"]
    assert len(claims) >= 12
    required = {"id", "text", "start", "end", "speaker", "cue", "outlet", "quote_type", "checkworthiness", "verdict",
                "confidence", "evidence"}
    evidence_keys = {"id", "doc_id", "source", "date", "text", "stance", "score", "flags"}
    for claim in claims:
        assert required <= set(claim)
        assert claim["verdict"] in VERDICTS
        for evidence in claim["evidence"]:
            assert evidence_keys <= set(evidence)
            assert evidence["stance"] in {"SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO"}
            assert evidence["role"] in ROLES
            # The temporal guard: nothing dated after the article by default.
            assert evidence["date"] is None or evidence["date"] <= "2018-04-10"
    verdicts = {c["verdict"] for c in claims}
    # The demo corpus plants a conflict and leaves one claim uncovered (corpus/README.md).
    assert {"supported", "conflicted", "not covered"} <= verdicts


def test_an_undated_article_is_checked_with_a_warning_and_marked_unguarded(indexed, data_dir, tmp_path):
    article = tmp_path / "undated.txt"
    article.write_text("Sergei Lavrov said he would visit Pyongyang. He accepted an invitation from North Korea.\n",
                       encoding="utf-8")
    done = run(["check", str(article), "--no-store"], data_dir)
    assert done.returncode == 0, done.stderr
    assert "no publication date found" in done.stderr and "--date" in done.stderr
    assert json.loads(done.stdout)["provenance"]["settings"]["date_guarded"] is False
    dated = run(["check", str(article), "--no-store", "--date", "2018-04-10"], data_dir)
    assert "no publication date" not in dated.stderr
    assert json.loads(dated.stdout)["provenance"]["settings"]["date_guarded"] is True


def test_a_folder_of_articles_is_checked_in_one_run_one_result_each(indexed, data_dir, tmp_path):
    articles = tmp_path / "inbox"
    articles.mkdir()
    (articles / "a.md").write_text("---\ntitle: Lavrov invited\ndate: 2018-04-10\n---\nSergei Lavrov accepted an "
                                   "invitation to visit Pyongyang, the ministry said on Tuesday.\n", encoding="utf-8")
    (articles / "b.txt").write_text("Kim Jong Un met Xi Jinping in Beijing in March, state media said.\n",
                                    encoding="utf-8")
    (articles / "c.txt").write_bytes(b"")  # unreadable: named, skipped, the rest still checked
    (articles / "notes.json").write_text("{}", encoding="utf-8")  # not an article format: not picked up
    (tmp_path / "private.txt").write_text("A draft nobody handed in said the port had closed.\n", encoding="utf-8")
    (articles / "z.txt").symlink_to(tmp_path / "private.txt")  # leads out of the folder: named, not read
    out = tmp_path / "results"
    done = run(["check", str(articles), "--out", str(out), "--no-store"], data_dir)
    assert done.returncode == 2, done.stderr
    assert f"skipped {articles / 'z.txt'}: a link to a file outside {articles}" in done.stderr
    assert "c.txt" in done.stderr and "empty" in done.stderr and "Traceback" not in done.stderr
    assert "2 of 3 articles checked" in done.stderr and "1 article (b.txt) had no publication date" in done.stderr
    results = sorted(out.glob("*.json"))
    assert len(results) == 2 and results[0].name.startswith("2018-04-10-lavrov-invited-art-")
    assert {json.loads(p.read_text(encoding="utf-8"))["article"]["origin"] for p in results} == {
        str(articles / "a.md"), str(articles / "b.txt")}
    refused = run(["check", str(articles / "a.md"), str(articles / "b.txt")], data_dir)
    assert refused.returncode == 2 and "give --out FOLDER" in refused.stderr


def test_demo_refuses_a_corpus_folder_that_is_not_there(data_dir, tmp_path):
    done = run(["demo", "--corpus", str(tmp_path / "nowhere")], data_dir)
    assert done.returncode == 2 and "no such folder" in done.stderr and "Traceback" not in done.stderr


def test_check_csv_by_extension(indexed, data_dir, tmp_path):
    out = tmp_path / "review.csv"
    done = run(["check", str(REPO / "corpus" / "demo_article.md"), "--out", str(out)], data_dir)
    assert done.returncode == 0, done.stderr
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("article_id,claim_id,claim_text,start,end,speaker,cue,outlet,quote_type")


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary"),
        ("latin1.txt", "Se\u00f1or L\u00f3pez said".encode("latin-1"), "UTF-8"),
        ("huge.txt", b"word " * 500_000, "limit"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_output(tmp_path, data_dir, name, content, fragment):
    article = tmp_path / name
    article.write_bytes(content)
    out = tmp_path / "out.json"
    done = run(["check", str(article), "--out", str(out)], data_dir)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in done.stderr
    assert not out.exists()


def test_missing_article_and_bad_corpus(tmp_path, data_dir):
    done = run(["check", str(tmp_path / "missing.txt")], data_dir)
    assert done.returncode == 2 and "no such file" in done.stderr and "Traceback" not in done.stderr
    done = run(["index", str(tmp_path / "no-corpus")], data_dir)
    assert done.returncode == 2 and "not found" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_reranker_is_one_line_only_when_reranking_is_on(tmp_path, data_dir, indexed):
    article = tmp_path / "a.txt"
    article.write_text("The port of Varna reopened on May 2, officials said.", encoding="utf-8")
    env = {"CLAIMDESK_RERANK_DEPTH": "30", "CLAIMDESK_RERANKER_DIR": str(tmp_path / "none")}
    done = run(["check", str(article)], data_dir, env)
    assert done.returncode == 2 and "reranker manifest missing" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    env["CLAIMDESK_RERANK_DEPTH"] = "0"  # reranking off: the reranker is never loaded
    done = run(["check", str(article)], data_dir, env)
    assert done.returncode == 0, done.stderr


def test_check_reranks_on_request_and_refuses_a_negative_depth(tmp_path, data_dir, indexed):
    article = tmp_path / "a.txt"
    article.write_text("The port of Varna reopened on May 2, officials said.", encoding="utf-8")
    done = run(["check", str(article), "--rerank-depth", "30", "--top-k", "3"], data_dir)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["rerank_depth"] == 30 and all(len(c["evidence"]) <= 3 for c in result["claims"])
    done = run(["check", str(article), "--rerank-depth", "-1"], data_dir)
    assert done.returncode == 2 and "rerank_depth must be at least 0" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_corrupt_retrieval_model_is_one_line(tmp_path, data_dir, indexed):
    import shutil

    folder = tmp_path / "retriever"
    shutil.copytree(REPO / "retrieval" / "retriever", folder)
    (folder / "overlay.safetensors").write_bytes(b"not a model")
    article = tmp_path / "a.txt"
    article.write_text("The port of Varna reopened on May 2, officials said.", encoding="utf-8")
    done = run(["check", str(article)], data_dir, {"CLAIMDESK_RETRIEVER_DIR": str(folder)})
    assert done.returncode == 2 and "retrieval model file is corrupt" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_malformed_corpus_lines_are_reported_with_file_and_line(tmp_path, data_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(
        '{"id": "1", "text": "The port reopened on May 2.", "source": "X", "date": "2019-05-03"}\n'
        '{"id": "2", "text": \n', encoding="utf-8")
    (corpus / "b.jsonl").write_text('{"id": "1", "text": "Another record that reused the id."}\n', encoding="utf-8")
    (corpus / "memo.docx").write_bytes(b"PK\x03\x04")
    done = run(["index", str(corpus), "--index", str(tmp_path / "idx")], data_dir)
    assert done.returncode == 0, done.stderr
    assert f"{corpus / 'a.jsonl'}:2" in done.stderr and f"first used at {corpus / 'a.jsonl'}:1" in done.stderr
    report = json.loads(done.stdout)
    assert report["skipped_records"] == 3
    assert report["skipped_by_kind"] == {"malformed record": 1, "duplicate id": 1, "unsupported file type": 1}


def test_export_writes_the_analysts_decisions(indexed, data_dir, tmp_path, pipeline):
    from claimdesk.results import store_result
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article
    from review.export import read_csv
    from review.store import open_store
    from review.types import Review

    article = read_article(DEMO_ARTICLE)
    result = pipeline.check(article)
    store = open_store(f"sqlite:///{tmp_path / 'reviews.db'}")
    store_result(store, result)
    first = result.claims[0].claim
    store.save(Review(article.id, first.id, status="Supported", note="+ confirmed by TASS", reviewer="ana"))
    url = ["--config", str(tmp_path / "c.toml")]
    (tmp_path / "c.toml").write_text(f'[claimdesk]\nreview_url = "sqlite:///{tmp_path / "reviews.db"}"\n')

    done = run(url + ["export", article.id, "--out", str(tmp_path / "all.csv")], data_dir)
    assert done.returncode == 0, done.stderr
    rows = read_csv((tmp_path / "all.csv").read_text(encoding="utf-8"))
    assert len(rows) == len(result.claims)
    assert rows[0]["analyst_verdict"] == "Supported" and rows[0]["note"] == "+ confirmed by TASS"
    assert "'+ confirmed" in (tmp_path / "all.csv").read_text(encoding="utf-8")

    done = run(url + ["export", article.id, "--out", str(tmp_path / "ok.json"), "--approved-only"], data_dir)
    assert done.returncode == 0, done.stderr
    approved = json.loads((tmp_path / "ok.json").read_text(encoding="utf-8"))
    assert [r["claim_id"] for r in approved["rows"]] == [first.id]
    assert approved["article"]["id"] == article.id and approved["provenance"]["encoder"] == pipeline.encoder.fingerprint

    # With no --out, the file is named by date and title in the working folder; --evidence all is the long format.
    work = tmp_path / "work"
    work.mkdir()
    done = run(url + ["export", article.id, "--evidence", "all"], data_dir, cwd=work)
    assert done.returncode == 0, done.stderr
    named = work / "2018-04-10-lavrov-to-visit-pyongyang-after-talks-with-north-korean-review.csv"
    long_rows = read_csv(named.read_text(encoding="utf-8"))
    assert len(long_rows) == sum(max(1, len(c.evidence)) for c in result.claims)
    assert (work / (named.name + ".provenance.json")).exists()

    done = run(url + ["export", "art-unknown", "--out", str(tmp_path / "x.csv")], data_dir)
    assert done.returncode == 2 and "not in the review store" in done.stderr and not (tmp_path / "x.csv").exists()


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["milvus-lite", "milvus-server"])
def test_index_to_milvus_then_check_there_gives_the_same_evidence(indexed, data_dir, tmp_path, engine, request):
    """The migration path: `claimdesk index CORPUS --to URL`, then checks (new processes) search Milvus, embedded
    or a real server on 127.0.0.1, and find the evidence the embedded index finds: both share rows and fusion."""
    milvus_server = (f"milvus-lite://{tmp_path / 'passages.db'}" if engine == "milvus-lite"
                     else request.getfixturevalue("milvus_server"))
    published = run(["index", str(REPO / "corpus" / "demo"), "--to", milvus_server], data_dir)
    assert published.returncode == 0, published.stderr
    summary = json.loads(published.stdout)
    assert summary["published"]["passages"] == indexed["passages"]

    embedded = run(["check", str(REPO / "corpus" / "demo_article.md"), "--out", str(tmp_path / "a.json")], data_dir)
    on_milvus = subprocess.run(
        CLAIMDESK + ["check", str(REPO / "corpus" / "demo_article.md"), "--out", str(tmp_path / "b.json")],
        capture_output=True, text=True, cwd=REPO, timeout=300,
        env={**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir), "CLAIMDESK_VECTOR_URL": milvus_server})
    assert embedded.returncode == 0 and on_milvus.returncode == 0, on_milvus.stderr
    first, second = (json.loads((tmp_path / name).read_text()) for name in ("a.json", "b.json"))
    # Dense ranks agree exactly (exact inner product on both); BM25 tokenises differently in Milvus, so the
    # fused order may differ: the top evidence and most of each claim's evidence set must match.
    ids = [[e["id"] for e in c["evidence"]] for c in first["claims"]]
    other = [[e["id"] for e in c["evidence"]] for c in second["claims"]]
    assert len(ids) == len(other) and sum(map(len, ids)) > 0
    shared = sum(len(set(a) & set(b)) for a, b in zip(ids, other)) / sum(map(len, ids))
    assert shared >= 0.8, shared
    assert sum(a[:1] == b[:1] for a, b in zip(ids, other)) >= 0.8 * len(ids)

    again = run(["index", str(REPO / "corpus" / "demo"), "--to", milvus_server], data_dir)
    assert again.returncode == 0, again.stderr
    from retrieval.milvus import ALIAS, connect

    client = connect(milvus_server)
    live = [c for c in client.list_collections() if c.startswith("claimdesk_passages_")]
    assert live == [json.loads(again.stdout)["published"]["collection"]]  # the old one was dropped
    assert client.describe_alias(ALIAS)["collection_name"] == live[0]


def test_milvus_problems_are_one_line_errors(indexed, data_dir, tmp_path):
    for target in ("ftp://archive.example/index", "http://127.0.0.1:9"):
        done = run(["index", str(REPO / "corpus" / "demo"), "--to", target], data_dir)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.strip().splitlines()[-1].startswith("claimdesk: error:")
    empty = f"milvus-lite://{tmp_path / 'empty.db'}"
    for url, expected in [(empty, "holds no Claimdesk index"), ("http://127.0.0.1:9", "Milvus")]:
        done = subprocess.run(CLAIMDESK + ["check", str(REPO / "corpus" / "demo_article.md")], capture_output=True,
                              text=True, cwd=REPO, timeout=300,
                              env={**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir), "CLAIMDESK_VECTOR_URL": url})
        assert done.returncode == 2, done.stderr
        assert expected in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_an_explicit_corpus_flag_searches_that_corpus_over_a_milvus_url(indexed, data_dir, tmp_path):
    done = subprocess.run(
        CLAIMDESK + ["check", str(REPO / "corpus" / "demo_article.md"), "--corpus", str(REPO / "corpus" / "demo")],
        capture_output=True, text=True, cwd=REPO, timeout=300,
        env={**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir),
             "CLAIMDESK_VECTOR_URL": f"milvus-lite://{tmp_path / 'empty.db'}"})
    assert done.returncode == 0, done.stderr
    assert any(c["evidence"] for c in json.loads(done.stdout)["claims"])


@pytest.mark.slow
def test_a_full_disk_during_export_keeps_the_old_file_and_says_so_in_one_line(indexed, data_dir, tmp_path, pipeline):
    """A real full disk: a 256 KiB tmpfs mounted in a private mount namespace (``unshare``, no root needed) is
    filled to 20 different levels, and each time an export of a changed review is written over the one there (the
    old export, or the last level's if it got through).
    Every time the file there is the old export or the new one, whole; a failed export says why in one line and
    leaves no temporary file."""
    import shutil

    from claimdesk.results import store_result
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article
    from review.store import open_store

    if not shutil.which("unshare") or subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"],
                                                     capture_output=True).returncode != 0:
        pytest.skip("unshare cannot make a private mount namespace here")
    article = read_article(DEMO_ARTICLE)
    result = pipeline.check(article)
    store_url = f"sqlite:///{tmp_path / 'reviews.db'}"
    store = open_store(store_url)
    store_result(store, result)
    (tmp_path / "c.toml").write_text(f'[claimdesk]\nreview_url = "{store_url}"\n')
    disk, seen = tmp_path / "disk", tmp_path / "seen"
    disk.mkdir()
    seen.mkdir()
    export = " ".join(CLAIMDESK + ["--config", str(tmp_path / "c.toml"), "export", article.id, "--out",
                                   str(disk / "review.csv")])
    claim = result.claims[0].claim.id
    # Between the two exports of a level the review changes (a 30,000-character note marked with the level), so the
    # second export differs from the first and is the bigger one.
    (tmp_path / "change.py").write_text(
        "import sys\nfrom review.store import open_store\nfrom review.types import Review\n"
        f"store = open_store({store_url!r})\n"
        f"current = store.get({article.id!r}, {claim!r})\n"
        "note = f'level-{sys.argv[1]}-marker ' + 'checked against the TASS wire ' * 1000\n"
        f"store.save(Review({article.id!r}, {claim!r}, status='Supported', note=note, reviewer='ana', "
        "version=current.version))\n", encoding="utf-8")
    script = f"""
set -u
mount -t tmpfs -o size=256k claimdesk-full {disk}
cd {REPO}
{export} >/dev/null 2>{seen}/first.err || exit 9
for n in $(seq 0 19); do
  rm -f {disk}/filler
  cp {disk}/review.csv {seen}/$n.before
  {sys.executable} {tmp_path / "change.py"} $n || exit 8
  free=$(( n * 3 ))
  avail=$(df -k --output=avail {disk} | tail -1)
  [ "$avail" -gt "$free" ] && dd if=/dev/zero of={disk}/filler bs=1k count=$(( avail - free )) 2>/dev/null
  {export} >/dev/null 2>{seen}/$n.err; echo $? > {seen}/$n.rc
  cp {disk}/review.csv {seen}/$n.after
  ls -a {disk} > {seen}/$n.ls
done
"""
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "bash", "-c", script],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir)})
    assert done.returncode == 0, done.stderr
    failed = 0
    for n in range(20):
        before, after = (seen / f"{n}.before").read_bytes(), (seen / f"{n}.after").read_bytes()
        rc, err = int((seen / f"{n}.rc").read_text()), (seen / f"{n}.err").read_text()
        assert [f for f in (seen / f"{n}.ls").read_text().split() if f.endswith(".tmp")] == [], f"level {n}"
        if rc == 0:
            assert f"level-{n}-marker".encode() in after and after.endswith(b"\n"), f"level {n}: not the new export"
            continue
        failed += 1
        assert rc == 2 and after == before, f"level {n}: the old export was damaged"
        assert err == f"claimdesk: error: {disk / 'review.csv'}: No space left on device; the file there is " \
                      "unchanged\n" or err.startswith(f"claimdesk: error: {disk / 'review.csv'}.provenance.json: "
                                                      "No space left on device; the file there is unchanged"), err
    assert 10 <= failed < 20  # most levels leave too little room, the last ones enough: both paths ran
