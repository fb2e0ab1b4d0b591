"""The browser side of the review deck (``ui/deck/deck.js``) for Streamlit's AppTest, which runs no JavaScript.

It does what the deck does with the state it sends: a decision or an undo is an action with a sequence number,
a move is a new cursor, and a move the server asks for (``goto``) is taken once. The server side it drives is the
real one (``ui/views/review.py``); the deck itself is tested in a real browser (tests/ui/test_browser.py).
"""

from __future__ import annotations

import json
from itertools import count

from streamlit.testing.v1 import AppTest

_tokens = count(1)


class Deck:
    def __init__(self, at: AppTest) -> None:
        self.at = at
        self.token = f"test-{next(_tokens)}"
        self.seq = 0
        self.cursor = 0
        self.goto_seen = None
        self.article = None
        self.pending: list[dict] = []  # sent and not yet answered, as the deck keeps them

    def data(self) -> dict:
        """What the server last sent the deck."""
        (element,) = [e for e in self.at.get("bidi_component") if e.proto.component_name == "review_deck"]
        data = json.loads(element.proto.json)
        if data["article"] != self.article or data["goto"]["nonce"] != self.goto_seen:
            self.article, self.goto_seen, self.cursor = data["article"], data["goto"]["nonce"], data["goto"]["cursor"]
        return data

    @property
    def claim(self) -> dict:
        return self.data()["claims"][str(self.cursor)]

    def decision(self, claim_id: str | None = None) -> dict:
        data = self.data()
        return data["decisions"][claim_id or data["claims"][str(self.cursor)]["id"]]

    def decide(self, status: str | None, note: str | None = None, force: bool = False) -> list[dict]:
        """Press a status (None: Save note) on the current claim; the server's answers to it. Without a reviewer
        the deck's buttons are disabled and nothing is sent, unless ``force`` (a browser that sends it anyway)."""
        data = self.data()
        if not data["reviewer"] and not force:
            return []
        claim_id = data["claims"][str(self.cursor)]["id"]
        shown = data["decisions"][claim_id]
        action = {"kind": "decide", "claim": claim_id, "status": status,
                  "note": shown["note"] if note is None else note, "version": shown["version"], "seconds": 1.5,
                  "cursor": self.cursor}
        if status is not None and self.cursor + 1 < data["count"]:
            self.cursor += 1
        return self._send(action)

    def undo(self) -> list[dict]:
        return self._send({"kind": "undo", "cursor": self.cursor})

    def move(self, to: int) -> None:
        self.data()
        self.cursor = to
        self._send(None)

    def resend_if_unseen(self) -> list[dict]:
        """What the deck does when drawn by a server run that has not seen its state (a reconnect, or a run that
        failed before drawing it): send its unanswered actions again."""
        if self.pending and self.data()["token"] != self.token:
            return self._send(None)
        return []

    def _send(self, action: dict | None) -> list[dict]:
        if action:
            self.seq += 1
            self.pending.append({"seq": f"{self.token}:{self.seq}", "article": self.article,
                                 "reviewer": self.data()["reviewer"], **action})
        sent = [a["seq"] for a in self.pending]
        self.at.session_state["deck"] = {"review": {"token": self.token, "article": self.article,
                                                   "cursor": self.cursor, "goto_seen": self.goto_seen,
                                                   "actions": list(self.pending)}}
        self.at.run()
        assert not self.at.exception, self.at.exception
        try:
            answers = {a["seq"]: a for a in self.data()["acks"]}
        except ValueError:  # no deck on the page (the store could not be read): nothing answered
            return []
        self.pending = [a for a in self.pending if a["seq"] not in answers]
        return [answers[seq] for seq in sent if seq in answers]
