"""The trained attribution tagger: its windows and decoding, the shipped model's hash check, and what it finds on
text written for the test."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from claims.tagger import (
    BEGIN,
    INSIDE,
    LAYERS,
    OUTSIDE,
    STRIDE,
    TAGGER_DIR,
    WINDOW,
    AttributionTagger,
    TaggerError,
    best_window_logits,
    decode,
    windows,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tagger():
    return AttributionTagger()


def test_windows_cover_every_piece_with_overlap():
    ids = list(range(1000, 1000 + 700))
    parts = windows(ids, 101, 102)
    assert all(w.ids[0] == 101 and w.ids[-1] == 102 and len(w.ids) <= WINDOW for w in parts)
    covered = {w.first + i for w in parts for i in range(len(w.ids) - 2)}
    assert covered == set(range(700))
    assert [w.first for w in parts] == list(range(0, STRIDE * len(parts), STRIDE))
    assert windows([5], 1, 2)[0].ids == [1, 5, 2]


def test_each_piece_takes_the_window_where_it_is_farthest_from_an_edge():
    parts = windows(list(range(400)), 0, 0)
    logits = [(w, np.full((len(w.ids), 9), float(n), dtype=np.float32)) for n, w in enumerate(parts)]
    best = best_window_logits(400, logits)
    # Piece 200 sits 200 from the first window's start and 54 from its end; 8 from the second window's start.
    assert best[200, 0] == 0.0 and best[260, 0] == 1.0 and best[399, 0] == 1.0


def _one_hot(labels_per_layer: list[list[int]]) -> np.ndarray:
    count = len(labels_per_layer[0])
    out = np.zeros((count, 3 * len(LAYERS)), dtype=np.float32)
    for layer, labels in enumerate(labels_per_layer):
        for i, label in enumerate(labels):
            out[i, 3 * layer + label] = 1.0
    return out


def test_decoding_begin_inside_outside_into_character_spans():
    text = "The mayor said taxes would rise."
    offsets = [(0, 3), (4, 9), (10, 14), (15, 20), (21, 26), (27, 31), (31, 32)]
    o, b, i = OUTSIDE, BEGIN, INSIDE
    spans = decode(_one_hot([[b, i, o, o, o, o, o], [o, o, b, o, o, o, o], [o, o, o, b, i, i, o]]), offsets, text)
    assert [text[s:e] for s, e in spans["source"]] == ["The mayor"]
    assert [text[s:e] for s, e in spans["cue"]] == ["said"]
    assert [text[s:e] for s, e in spans["content"]] == ["taxes would rise"]
    # An INSIDE after OUTSIDE starts a span; a BEGIN right after a span starts another.
    spans = decode(_one_hot([[o, i, b, o, o, o, o], [o] * 7, [o] * 7]), offsets, text)
    assert [text[s:e] for s, e in spans["source"]] == ["mayor", "said"]


def test_the_shipped_tagger_finds_who_said_what(tagger):
    text = ("The harbour will close for repairs in May, the port authority's director Ines Valdez said on Monday. "
            "Fishermen fear the closure will cost them a season, according to their union.")
    spans = tagger.spans(text)
    words = {layer: [text[s:e] for s, e in found] for layer, found in spans.items()}
    assert any("said" in cue for cue in words["cue"]) and any("according to" in cue for cue in words["cue"])
    assert any("Ines Valdez" in source for source in words["source"])
    assert any("union" in source for source in words["source"])
    assert any("harbour will close" in content for content in words["content"])
    for found in spans.values():
        assert all(0 <= s < e <= len(text) for s, e in found)


def test_a_long_article_is_read_in_windows(tagger):
    paragraph = "The council said the new bridge would open in June after three years of work. " * 60
    spans = tagger.spans(paragraph)
    assert len(tagger.tokenizer.encode(paragraph, add_special_tokens=False).ids) > 2 * WINDOW
    # The same sentence repeated: its cue is found all along, not only in the first window.
    assert len(spans["cue"]) >= 50 and spans["cue"][-1][0] > len(paragraph) - 200
    assert tagger.spans("") == {layer: [] for layer in LAYERS}


def test_a_tampered_or_missing_tagger_is_one_line(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    manifest = json.loads((TAGGER_DIR / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    shutil.copy(TAGGER_DIR / "tokenizer.json", folder / "tokenizer.json")
    with pytest.raises(TaggerError, match="missing"):
        AttributionTagger(folder)
    (folder / manifest["file"]).write_bytes(b"not a model")
    with pytest.raises(TaggerError, match="corrupt") as raised:
        AttributionTagger(folder)
    assert "\n" not in str(raised.value)
    with pytest.raises(TaggerError, match="manifest missing"):
        AttributionTagger(tmp_path / "empty")


def test_the_rules_name_the_speaker_of_a_claim_the_tagger_attributes(extractor):
    from claims.ingest import article_from_text

    text = ("Maria Lindqvist runs the city's water board.\n\n"
            "Lindqvist projected that the reservoir holds enough water for two dry summers.\n")
    claims = extractor.extract(article_from_text(text, origin="test", html=False))
    view = next(c for c in claims if "reservoir" in c.text)
    rules_alone = type(extractor)(extractor.nlp, tagger=None).extract(article_from_text(text, origin="t", html=False))
    assert not next(c for c in rules_alone if "reservoir" in c.text).attribution.is_attributed
    # "projected" is no cue of the rules; the tagger finds it, and the rules still name the person in full.
    assert view.speaker == "Maria Lindqvist" and view.attribution.cue == "projected"



def test_tagging_beside_the_parse_finds_the_claims_tagging_first_does(extractor):
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article

    article = read_article(DEMO_ARTICLE)
    beside = extractor.extract(article)  # the tagger on its own thread while spaCy parses
    first = extractor.extract(article, tagged=extractor.tag(article))  # the tagger's spans taken before the parse
    assert beside == first and any(c.attribution.is_attributed for c in beside)


@pytest.mark.unit
def test_the_one_blas_thread_limit_is_restored_when_the_last_of_overlapping_users_leaves():
    import threading

    from threadpoolctl import threadpool_info

    import claims.segment as segment

    def blas():  # numpy's own BLAS, the one spaCy's layers multiply through (other libraries may load later)
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas" and "numpy" in i["filepath"]]

    before = blas()
    assert before
    seen = []
    with segment.one_blas_thread():
        with segment.one_blas_thread():  # a second user while the first holds the limit
            seen.append(blas())
        seen.append(blas())  # the second has left; the first still holds it
    assert seen == [[1] * len(before)] * 2 and blas() == before
    # Users on other threads, overlapping: the last one out restores what was there before.
    entered, leave = threading.Barrier(3), threading.Event()

    def user():
        with segment.one_blas_thread():
            entered.wait(10)
            leave.wait(10)

    threads = [threading.Thread(target=user) for _ in range(2)]
    for thread in threads:
        thread.start()
    entered.wait(10)
    assert segment._blas_users == 2
    leave.set()
    for thread in threads:
        thread.join(10)
    assert segment._blas_users == 0 and segment._blas_limit is None and blas() == before
