"""Check and index speed, and peak memory, on the demo corpus; each figure beside a baseline from the same run.

    .venv/bin/python bench/check_speed.py [--article PATH] [--runs 5]

- cold check: a fresh `claimdesk check` process (index already built), against the floor of any such
  process: starting Python and importing sentence-transformers and spaCy;
- warm check: `Pipeline.check` again in a process whose models are loaded;
- index: a fresh build of the demo corpus, against plain `SentenceTransformer.encode` of the same texts;
- peak RSS: of the cold check process, and of the dashboard with the demo loaded (AppTest in a fresh process,
  which runs the same script and models as `streamlit run`, without a browser).
Medians over --runs; machines are noisy, so read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def timed_process(args: list[str], env: dict) -> float:
    """Wall seconds of a child process."""
    start = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr[-500:]}")
    return elapsed


def peak_rss(args: list[str], env: dict) -> float:
    """Peak RSS (MB) of one child. ru_maxrss of children is a maximum over all of them, so a fresh
    wrapper process measures each command alone."""
    wrapper = ("import resource,subprocess,sys;subprocess.run(sys.argv[1:],check=True,capture_output=True);"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", wrapper, *args], env=env, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr[-500:]}")
    return int(done.stdout.strip()) / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--article", default=str(REPO / "corpus" / "demo_article.md"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="claimdesk-bench-"))
    env = {**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir)}
    cli = [sys.executable, "-m", "claimdesk.cli"]
    subprocess.run(cli + ["index", str(REPO / "corpus" / "demo")], env=env, check=True, capture_output=True)

    floor = [sys.executable, "-c", "import retrieval.offline as o; o.enforce_offline(); "
             "import sentence_transformers, spacy, onnxruntime"]
    check = cli + ["check", args.article, "--out", str(data_dir / "out.json")]
    cold = [timed_process(check, env) for _ in range(args.runs)]
    floors = [timed_process(floor, env) for _ in range(args.runs)]
    check_rss = peak_rss(check, env)

    from retrieval.offline import enforce_offline

    enforce_offline()
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import Settings
    from claims.ingest import read_article

    pipeline = Pipeline(Settings.load(data_dir=data_dir))
    article = read_article(args.article)
    pipeline.check(article)
    warm = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = pipeline.check(article)
        warm.append(time.perf_counter() - start)

    from retrieval.corpus import load_corpus
    from retrieval.encoder import TorchEncoder
    from retrieval.index import build_index, passage_text
    from retrieval.passages import passages_of

    plain = TorchEncoder(weights=pipeline.encoder.weights).model  # the baseline: plain SentenceTransformer.encode

    documents, _ = load_corpus(REPO / "corpus" / "demo")
    texts = [passage_text(p) for d in documents for p in passages_of(d)]
    index_times, encode_times = [], []
    for run in range(args.runs):
        start = time.perf_counter()
        build_index(documents, data_dir / f"fresh-{run}", pipeline.encoder)
        index_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain.encode(texts, batch_size=64)
        encode_times.append(time.perf_counter() - start)

    app = (f"from streamlit.testing.v1 import AppTest; at = AppTest.from_file({str(REPO / 'app.py')!r}, "
           "default_timeout=300).run(); assert not at.exception, at.exception")
    app_rss = peak_rss([sys.executable, "-c", app], env)

    figures = {
        "article": Path(args.article).name,
        "claims": len(result.claims),
        "runs": args.runs,
        "cold_check_s_median": round(statistics.median(cold), 2),
        "import_floor_s_median": round(statistics.median(floors), 2),
        "cold_over_floor": round(statistics.median(cold) / statistics.median(floors), 2),
        "warm_check_s_median": round(statistics.median(warm), 3),
        "index_demo_s_median": round(statistics.median(index_times), 2),
        "plain_encode_demo_s_median": round(statistics.median(encode_times), 2),
        "index_over_plain_encode": round(statistics.median(index_times) / statistics.median(encode_times), 2),
        "check_peak_rss_mb": round(check_rss),
        "dashboard_peak_rss_mb": round(app_rss),
        "passages": len(texts),
        "encoder_backend": pipeline.encoder.backend,
    }
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
