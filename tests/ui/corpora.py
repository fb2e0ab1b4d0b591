"""A second small corpus for the dashboard tests: the analyst's own archive beside the demo's."""

from __future__ import annotations

import json
from pathlib import Path

HARBOUR_TEXTS = ["The port of Varna reopened on May 2 after repairs to the grain terminal.",
                 "Repairs closed the port of Varna for three weeks in April.",
                 "Officials in Varna said the grain terminal would handle ships again from May."]


def write_harbour_archive(parent: Path, name: str = "harbour-archive") -> Path:
    """``parent``/``name`` with three dated Harbour Gazette records about the port of Varna. Tests that index it
    into one data folder give it different names: two corpora of one name are labelled by their parent folders."""
    folder = parent / name
    folder.mkdir()
    records = [{"id": f"h{i}", "title": "Varna port", "source": "Harbour Gazette", "date": f"2024-05-0{i}",
                "url": f"https://harbour.example/{i}", "text": text} for i, text in enumerate(HARBOUR_TEXTS, start=1)]
    (folder / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return folder
