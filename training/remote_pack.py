"""Pack what a stance sweep needs on a lent GPU machine into one folder small enough to carry there.

    python -m training.remote_pack --data ../shared/data --out .gpu [--extra-pairs DIR ...]

A lent machine reaches no network and takes a working tree of at most 64 MiB, so the sweep's inputs travel with
the call: the base encoder in fp16 (training.stance loads it as fp32 master weights), the general-NLI files, the
two dev sets, and ``train_extra`` with each evidence text cut to ``EVIDENCE_CHARS``. The cut loses nothing the
model reads: a pair is truncated to 128 word pieces, about 600 characters, before it reaches the model. FNC-1's
whole articles are most of train_extra's bytes, and most of its rows are UNRELATED, so ``--per-label`` keeps at
most that many rows of each label of a file (a seeded sample); training.stance then samples a file's labels
evenly up to ``--extra-per-source``. Each ``--extra-pairs`` folder (made by ``python -m training.contrastive``,
say) is packed beside train_extra, cut the same way, under its own name.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
from pathlib import Path

EVIDENCE_CHARS = 1_000
PER_LABEL = 5_000
TRAIN_FILES = ("vitaminc_real_synthetic.jsonl.gz", "snli_train_100k.jsonl.gz")
DEV_SETS = ("climate_fever", "check_covid")
DEV_FILES = ("claims.jsonl", "pairs.jsonl", "corpus.jsonl")
BASE_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")


def cut_pairs(source: Path, target: Path, chars: int = EVIDENCE_CHARS, per_label: int = PER_LABEL,
              seed: int = 13) -> dict[str, int]:
    """Copy a gzipped JSONL stance file with each evidence text cut to ``chars`` and at most ``per_label`` rows of
    each label (a seeded sample, in the file's order); the rows kept of each label."""
    with gzip.open(source, "rt", encoding="utf-8") as read:
        rows = [json.loads(line) for line in read]
    by_label: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        by_label.setdefault(str(row.get("l")), []).append(number)
    rng = random.Random(seed)
    kept = sorted(i for numbers in by_label.values() for i in rng.sample(numbers, min(per_label, len(numbers))))
    with gzip.open(target, "wt", encoding="utf-8") as write:
        for number in kept:
            row = rows[number]
            write.write(json.dumps({**row, "p": row.get("p", "")[:chars]}) + "\n")
    return {label: min(per_label, len(numbers)) for label, numbers in sorted(by_label.items())}


def pack_base(base: Path, target: Path) -> None:
    """The base encoder's config and tokenizer, and its weights in fp16."""
    import torch
    from safetensors.torch import load_file, save_file

    target.mkdir(parents=True, exist_ok=True)
    for name in BASE_FILES:
        if (base / name).exists():
            shutil.copy(base / name, target / name)
    weights = load_file(str(base / "model.safetensors"))
    save_file({k: v.to(torch.float16) if v.is_floating_point() else v for k, v in weights.items()},
              str(target / "model.safetensors"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--base", type=Path, default=None, help="base encoder (default: the packaged MiniLM)")
    parser.add_argument("--extra-pairs", type=Path, nargs="*", default=[],
                        help="more folders of stance pairs, packed under data/<folder name>")
    parser.add_argument("--per-label", type=int, default=PER_LABEL, help="most rows kept of each label of a file")
    args = parser.parse_args(argv)
    if args.base is None:
        from retrieval.encoder import base_model_path

        args.base = base_model_path()
    if args.out.exists():
        shutil.rmtree(args.out)
    pack_base(args.base, args.out / "base")
    data = args.out / "data"
    (data / "train").mkdir(parents=True)
    for name in TRAIN_FILES:
        shutil.copy(args.data / "train" / name, data / "train" / name)
    for name in DEV_SETS:
        (data / "eval" / name).mkdir(parents=True)
        for part in DEV_FILES:  # what evaluation.devset reads
            if (args.data / "eval" / name / part).exists():
                shutil.copy(args.data / "eval" / name / part, data / "eval" / name / part)
    counts = {}
    for folder in [args.data / "train_extra", *args.extra_pairs]:
        (data / folder.name).mkdir()
        for path in sorted(folder.glob("*.jsonl.gz")):
            counts[f"{folder.name}/{path.name}"] = cut_pairs(path, data / folder.name / path.name,
                                                             per_label=args.per_label)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(json.dumps({"rows": counts, "mib": round(size / 2**20, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
