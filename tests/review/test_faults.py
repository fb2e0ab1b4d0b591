"""Faults under the review store while analysts save: the PostgreSQL server restarted or crashed, and the process
that saves killed with SIGKILL mid-save. Each fault is repeated (``RUNS``): a fault test that passes sometimes is
a failing one.

What must hold: every decision the store acknowledged (``save`` returned) is in it afterwards; one that was not
acknowledged was reported (``ReviewStoreError``), never dropped silently; no half-written decision; and the audit
log tells the same story as the decisions."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from review.store import ReviewStoreError, open_store
from review.types import DEFAULT_STATUSES, Review

pytestmark = pytest.mark.slow

RUNS = 20
REPO = Path(__file__).resolve().parents[2]
STATUSES = [s.name for s in DEFAULT_STATUSES if s.name != "Unreviewed"]


def assert_audit_tells_the_same_story(store, article_id: str) -> None:
    """For every decision: each audited field's history is one unbroken chain (each entry starts where the last
    ended) that ends at the stored value, so no save wrote its row without its audit entries or the reverse."""
    reviews = store.reviews(article_id)
    events = store.audit(article_id)
    assert {e.claim_id for e in events} == set(reviews), "audit rows without a decision, or decisions without"
    for claim_id, review in reviews.items():
        for name in ("status", "note"):
            chain = [e for e in events if e.claim_id == claim_id and e.field == name]
            value = "Unreviewed" if name == "status" else ""
            for event in chain:
                assert event.old == value, f"{claim_id} {name}: the audit chain is broken at {event}"
                value = event.new
            assert value == getattr(review, name), f"{claim_id} {name}: the audit ends at {value!r}"


def test_postgres_restarted_while_analysts_save_loses_no_acknowledged_decision(restartable_postgres):
    """Five analysts on two dashboard processes (one store connection each, as the dashboard keeps) save and revise
    decisions while the server is restarted 20 times, alternately shut down cleanly and crashed."""
    from tests.postgres import fresh_database

    server = restartable_postgres
    url = fresh_database(server.url)
    article = "pg-restart"
    stores = [open_store(url), open_store(url)]
    stop = threading.Event()
    lock = threading.Lock()
    possible: dict[str, list[tuple[str, str]]] = {}  # claim → what it may hold: the last acknowledged state first
    acknowledged: set[str] = set()
    acknowledged_at: list[float] = []
    reported: list[str] = []
    unexpected: list[BaseException] = []

    def analyst(name: str, store, seed: int) -> None:
        rng = random.Random(seed)
        mine: list[str] = []
        n = 0
        while not stop.is_set():
            n += 1
            revise = mine and rng.random() < 0.4
            claim = rng.choice(mine) if revise else f"{name}-{n}"
            wanted = (rng.choice(STATUSES), rng.choice(["", f"{name} checked the wire copy {n}"]))
            try:
                version = store.get(article, claim).version if revise else 0
                with lock:
                    possible.setdefault(claim, [])
                store.save(Review(article, claim, status=wanted[0], note=wanted[1], reviewer=name,
                                  seconds_spent=1.0, version=version))
            except ReviewStoreError as exc:  # what the dashboard shows the analyst: "not saved"
                with lock:
                    reported.append(str(exc))
                    possible[claim].append(wanted)  # it may or may not have committed
                time.sleep(0.05)
                continue
            except BaseException as exc:  # a stack trace in the dashboard
                unexpected.append(exc)
                return
            with lock:
                possible[claim] = [wanted]
                acknowledged.add(claim)
                acknowledged_at.append(time.monotonic())
            if not revise:
                mine.append(claim)

    threads = [threading.Thread(target=analyst, args=(f"analyst{i}", stores[i % 2], i), daemon=True)
               for i in range(5)]
    for thread in threads:
        thread.start()
    rng = random.Random(7)
    last_restart = 0.0
    for cycle in range(RUNS):
        time.sleep(rng.uniform(0.1, 0.5))
        server.restart("immediate" if cycle % 2 else "fast")
        last_restart = time.monotonic()
    time.sleep(1.0)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not unexpected, f"a save failed with something other than a reported store error: {unexpected[0]!r}"
    assert sum(1 for t in acknowledged_at if t > last_restart) > 0, "no decision was saved after the last restart"
    assert len(acknowledged_at) > 50

    check = open_store(url)
    for claim, states in possible.items():
        stored = check.get(article, claim)
        held = (stored.status, stored.note)
        if stored.version == 0:  # never committed: only allowed if no save of it was acknowledged
            assert claim not in acknowledged, f"{claim}: an acknowledged decision is missing"
            continue
        assert held in states, f"{claim}: holds {held}, but the store acknowledged {states[0]}"
    assert_audit_tells_the_same_story(check, article)
    for store in stores:
        store.close()
    check.close()


CHILD = r"""
import random, sys
from review.store import open_store
from review.types import Review

store, rng = open_store(sys.argv[1]), random.Random(int(sys.argv[2]))
statuses = sys.argv[3].split(",")
while True:
    claim = f"c{rng.randrange(6)}"
    current = store.get("killed", claim)
    status = rng.choice(statuses)
    note = rng.choice(["", "checked the wire copy", "see the ministry's statement; " * rng.randrange(1, 200)])
    saved = store.save(Review("killed", claim, status=status, note=note, reviewer="ana", seconds_spent=1.0,
                              version=current.version))
    sys.stdout.write(f"{claim}\t{saved.version}\t{status}\t{len(note)}\n")
    sys.stdout.flush()
"""


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_process_killed_mid_save_leaves_no_half_written_decision(engine, tmp_path, request):
    """The process saving decisions (through the store the dashboard uses) is SIGKILLed at a random moment, 20
    times: every acknowledged decision is there, at most the one in flight is missing, and the audit log matches."""
    if engine == "sqlite":
        url = f"sqlite:///{tmp_path / 'reviews.db'}"
    else:
        from tests.postgres import fresh_database

        url = fresh_database(request.getfixturevalue("postgres_server"))
    open_store(url).close()  # the tables exist before the first kill
    rng = random.Random(11)
    acknowledged: dict[str, tuple[int, str, int]] = {}
    for run in range(RUNS):
        errors = tmp_path / f"child-{run}.err"
        with open(errors, "w") as err:
            child = subprocess.Popen([sys.executable, "-c", CHILD, url, str(run), ",".join(STATUSES)], cwd=REPO,
                                     stdout=subprocess.PIPE, stderr=err, text=True)
        for _ in range(rng.randint(2, 40)):
            line = child.stdout.readline()
            assert line, f"the saving process died by itself: {errors.read_text()[-2000:]}"
            claim, version, status, note_length = line.rstrip("\n").split("\t")
            acknowledged[claim] = (int(version), status, int(note_length))
        time.sleep(rng.uniform(0, 0.01))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        rest = child.stdout.read()  # through the same buffer the lines above came from: none is skipped
        child.stdout.close()
        for line in rest.split("\n")[:-1]:  # whole lines printed before the kill: acknowledged too
            claim, version, status, note_length = line.rstrip("\n").split("\t")
            acknowledged[claim] = (int(version), status, int(note_length))
        assert child.returncode == -signal.SIGKILL
        store = open_store(url)
        for claim, (version, status, note_length) in acknowledged.items():
            stored = store.get("killed", claim)
            assert version <= stored.version <= version + 1, f"run {run}: {claim} lost an acknowledged decision"
            if stored.version == version:
                assert (stored.status, len(stored.note)) == (status, note_length), f"run {run}: {claim}"
        assert_audit_tells_the_same_story(store, "killed")
        for claim, review in store.reviews("killed").items():  # the next run starts from what is really there
            acknowledged[claim] = (review.version, review.status, len(review.note))
        store.close()
