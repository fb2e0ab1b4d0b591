"""The review deck's keys (``ui/deck/deck.js``): single keys do what the deck's buttons do.

Keys map to button labels, so the keyboard can do nothing the mouse cannot, and every decision still reaches the
same versioned save (``ui/views/review.py``). Typing in a text field is left alone.
"""

from __future__ import annotations

LETTERS = {"s": "Supported", "c": "Conflicted", "i": "Inconclusive", "n": "Not check-worthy"}
NAVIGATION = {"j": "Next →", "k": "← Previous", "u": "Undo", "?": "⌨ Keys"}


def key_map(statuses: list[str]) -> dict[str, str]:
    """Letters for the default statuses that are configured, digits 1-9 for every decision status, and
    navigation keys. ``statuses`` are the configured names, "Unreviewed" first."""
    keys = {k: name for k, name in LETTERS.items() if name in statuses}
    keys.update({str(i): name for i, name in enumerate(statuses[1:10], start=1)})
    return {**keys, **NAVIGATION}


def help_rows(statuses: list[str]) -> list[tuple[str, str]]:
    letters = {name: k for k, name in LETTERS.items()}
    rows = [(" / ".join(filter(None, [letters.get(name), str(i)])), f"mark {name}, then go to the next claim")
            for i, name in enumerate(statuses[1:10], start=1)]
    return rows + [("j / k", "next / previous claim"), ("u", "undo your last decision"), ("?", "show this list")]
