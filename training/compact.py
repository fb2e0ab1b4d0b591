"""Stance weights small enough to send back from a lent GPU machine, and the checkpoint they make again.

    python -m training.compact --join STAGE.safetensors --init WARM_START --out DIR

A lent machine sends back at most 64 MiB, and a MiniLM checkpoint is 91 MB in fp32. A run with
``--freeze-word-embeddings`` leaves the 11.7M word embeddings as it found them, so only the other ~11M weights need
to travel; stored as int8 with one scale per output row (as the ONNX export quantises them anyway), one stage is
about 11 MB. ``--join`` lays them over the checkpoint the run started from (``--init``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

WORD_EMBEDDINGS = "bert.embeddings.word_embeddings.weight"


def compact_state(model, skip: tuple[str, ...] = (WORD_EMBEDDINGS,)) -> dict:
    """Every weight but ``skip``: matrices as int8 with an fp16 scale per row, the rest in fp16."""
    import torch

    out = {}
    for name, tensor in model.state_dict().items():
        if name in skip or name.endswith("position_ids"):
            continue
        tensor = tensor.detach().float().cpu()
        if tensor.dim() == 2:
            scale = tensor.abs().amax(dim=1, keepdim=True).clamp(min=1e-12) / 127.0
            out[name + ".q"] = torch.round(tensor / scale).clamp(-127, 127).to(torch.int8).contiguous()
            out[name + ".scale"] = scale.to(torch.float16).contiguous()
        else:
            out[name] = tensor.to(torch.float16).contiguous()
    return out


def expand_state(compact: dict) -> dict:
    """The fp32 weights ``compact_state`` stored."""
    state = {}
    for name, tensor in compact.items():
        if name.endswith(".scale"):
            continue
        if name.endswith(".q"):
            base = name[: -len(".q")]
            state[base] = tensor.float() * compact[base + ".scale"].float()
        else:
            state[name] = tensor.float()
    return state


def save_compact(model, path: Path) -> None:
    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(compact_state(model), str(path))


def join(stage: Path, init: Path, out: Path) -> dict:
    """Write ``out``: the checkpoint ``init`` with the weights of ``stage`` laid over it."""
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(init, dtype=torch.float32)
    state = expand_state(load_file(str(stage)))
    unknown = set(state) - set(model.state_dict())
    if unknown:
        raise SystemExit(f"{stage}: weights the model does not have, e.g. {sorted(unknown)[:3]}")
    model.load_state_dict(state, strict=False)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(init).save_pretrained(out)
    return {"stage": str(stage), "init": str(init), "weights_replaced": len(state)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--join", type=Path, required=True, help="a stage's .safetensors from --stage-out")
    parser.add_argument("--init", type=Path, required=True, help="the checkpoint the run started from")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(join(args.join, args.init, args.out)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
