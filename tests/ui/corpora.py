"""A second small corpus for the dashboard tests: the analyst's own archive beside the demo's."""

from __future__ import annotations

import json
from pathlib import Path

HARBOUR_TEXTS = ["The port of Varna reopened on May 2 after repairs to the grain terminal.",
                 "Repairs closed the port of Varna for three weeks in April.",
                 "Officials in Varna said the grain terminal would handle ships again from May."]


def write_harbour_archive(parent: Path) -> Path:
    """``parent``/harbour-archive with three dated Harbour Gazette records about the port of Varna."""
    folder = parent / "harbour-archive"
    folder.mkdir()
    records = [{"id": f"h{i}", "title": "Varna port", "source": "Harbour Gazette", "date": f"2024-05-0{i}",
                "url": f"https://harbour.example/{i}", "text": text} for i, text in enumerate(HARBOUR_TEXTS, start=1)]
    (folder / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder
