"""The product's text speaks of the product: model cards agree with the models they describe, and no file or name
narrates how the team got here (that belongs in commit messages and docs/CHANGELOG.md's dated entries)."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.unit

HISTORY = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|this|"
                     r"last|next|previous|earlier)[ -]session\b|\bsession[ _-]?\d+|\bsession\d*[-_]round|\blease\b",
                     re.IGNORECASE)


def test_the_model_cards_say_what_their_manifests_say():
    from training import model_card

    assert model_card.main(["--check"]) == 0


def test_the_history_check_finds_history():
    # Built from parts, so that this file does not itself read as history to a plain grep.
    assert HISTORY.search("since the eighth " + "session") and HISTORY.search("session" + "11-round.json")
    assert HISTORY.search("the next GPU " + "lease") and not HISTORY.search("st.session_state")


def test_no_file_narrates_the_team_history():
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in tracked:
        if HISTORY.search(name):
            found.append(name)
        if not name.endswith((".py", ".md", ".toml", ".txt", ".cfg", "Makefile", "run")) or name.startswith(".ci/"):
            continue
        for number, line in enumerate((REPO / name).read_text(encoding="utf-8").splitlines(), start=1):
            if HISTORY.search(line) and "HISTORY" not in line:
                found.append(f"{name}:{number}: {line.strip()[:100]}")
    assert found == []
