"""Syndicated copies: one wire story carried by several outlets is indexed once, with the others listed."""

from __future__ import annotations

from datetime import date

import pytest

from retrieval.syndication import collapse_syndicated
from retrieval.types import Document

WIRE = ("The port of Karsby reopened on Saturday after a storm closed it for three days, the harbour authority "
        "said. Ships had queued outside the harbour overnight, and the first ferry left at six in the morning. "
        "The authority said damage to the northern breakwater would take until the end of March to repair, and "
        "that cargo traffic would be limited to daylight hours until then. Fishermen said the closure had cost "
        "them a week of catches in the busiest month of the winter season.")


def _copy(doc_id: str, source: str, day: int, before: str = "", after: str = "") -> Document:
    return Document(doc_id, f"{before}{WIRE}{after}", title=f"Karsby port reopens ({source})", source=source,
                    date=date(2024, 2, day), url=f"https://{source.lower().replace(' ', '')}.example/karsby")


@pytest.mark.unit
def test_copies_of_one_wire_story_are_kept_once_with_the_other_outlets_listed():
    documents = [
        _copy("lakeside-1", "Lakeside Post", 4, before="LAKESIDE (Wire) — ", after=" Subscribe for more."),
        _copy("wire-1", "Nordic Wire", 3),  # the wire's own copy: the earliest, so the one kept
        _copy("coast-1", "Coast Daily", 4, after=" Additional reporting by Ana Ruiz in Karsby."),
        # Same port, same storm, different facts: not a copy.
        Document("coast-2", "The port of Karsby will close again on Monday for two days so that divers can inspect "
                 "the northern breakwater, the harbour authority said, adding that ferries would sail from Vik "
                 "instead. Cargo ships already at anchor will be moved to the outer roads, and the fishing fleet "
                 "has been asked to land its catch at Vik until the inspection is finished and the harbour "
                 "master has signed off the repairs.", source="Coast Daily", date=date(2024, 2, 9)),
        Document("short-1", "Karsby port reopened on Saturday.", source="Flash"),  # too short to judge: kept
        Document("short-2", "Karsby port reopened on Saturday.", source="Flash 2"),
    ]
    kept, copies = collapse_syndicated(documents)
    assert [d.id for d in kept] == ["wire-1", "coast-2", "short-1", "short-2"]
    assert sorted((c.doc_id, c.source, c.date.isoformat()) for c in copies["wire-1"]) == [
        ("coast-1", "Coast Daily", "2024-02-04"), ("lakeside-1", "Lakeside Post", "2024-02-04")]
    assert set(copies) == {"wire-1"}


@pytest.mark.integration
def test_the_evidence_card_and_export_list_the_other_outlets(tmp_path, encoder):
    from retrieval.index import PassageIndex, build_index
    from retrieval.search import Searcher
    from ui.render import evidence_card_html

    documents = [_copy("lakeside-1", "Lakeside Post", 4, before="LAKESIDE (Wire) — "),
                 _copy("wire-1", "Nordic Wire", 3),
                 Document("other", "The council of Vik approved a new school budget on Tuesday after a long debate "
                          "about teachers' pay, the mayor said, and work on the new sports hall will begin in May.",
                          source="Vik Times", date=date(2024, 1, 9))]
    report = build_index(documents, tmp_path / "idx", encoder)
    assert report.documents == 3 and report.syndicated_copies == 1
    index = PassageIndex.open(tmp_path / "idx")
    assert {p.doc_id for p in index.passages} == {"wire-1", "other"}
    [hits] = Searcher(index, encoder).search(["The port of Karsby reopened after a storm"], top_k=3)
    top = hits[0]
    assert top.passage.doc_id == "wire-1" and [c.source for c in top.copies] == ["Lakeside Post"]
    card = evidence_card_html({"source": "Nordic Wire", "date": "2024-02-03", "title": "", "text": top.passage.text,
                               "flags": [], "stance": "SUPPORTS", "score": 0.9,
                               "also_carried_by": [{"doc_id": "lakeside-1", "source": "Lakeside <Post>"}]})
    assert "also carried by Lakeside &lt;Post&gt; (the same story)" in card
