"""Quote check: the quoted words searched for in the corpus, through the real index and extractor."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from claims.types import Attribution, Claim
from retrieval.types import Evidence, Passage
from verification.quotes import match_quote, quoted_words
from verification.types import QUOTE_STATUSES

pytestmark = pytest.mark.integration

# Invented passages and article (no shared data): one quote each for the four statuses.
CORPUS = [
    {"id": "wire-1", "title": "Reservoir outlook", "source": "Lakeside Wire", "date": "2024-02-01",
     "text": 'Speaking in Karsby, water chief Maria Okafor said: "The reservoir will be full by the end of March and '
             'nobody will go thirsty this summer."'},
    {"id": "wire-2", "title": "Reservoir outlook, again", "source": "Valley Post", "date": "2024-01-20",
     "text": 'Maria Okafor repeated that "the reservoir will be full by the end of March and nobody will go thirsty '
             'this summer" at a later briefing.'},
    {"id": "wire-3", "title": "Pumping station", "source": "Lakeside Wire", "date": "2024-02-02",
     "text": 'Okafor said the new pumping station "will triple the supply to the northern districts by July", '
             'according to the utility.'},
    {"id": "wire-4", "title": "Grid record", "source": "Energy Daily", "date": "2024-01-15",
     "text": 'Energy minister Tomas Berg said: "Our grid has never failed a single household in ten years of '
             'operation."'},
    {"id": "wire-5", "title": "Rainfall", "source": "Energy Daily", "date": "2024-01-10",
     "text": "Rainfall in the northern districts was twelve percent above the average for January."},
    {"id": "wire-6", "title": "Audit", "source": "Valley Post", "date": "2024-01-05",
     "text": "The water company's accounts for last year were approved by the regional council in December."},
]
ARTICLE = "\n\n".join([
    "Reservoir full by March, says water chief",
    "Karsby, 5 February 2024",
    '"The reservoir will be full by the end of March and nobody will go thirsty this summer," water chief Maria '
    'Okafor said on Monday.',
    '"The new pumping station will double the supply to the northern districts by June," Okafor added.',
    '"Our grid has never failed a single household in ten years of operation," Okafor told reporters.',
    '"We will publish the full audit of the water company before the end of the year," Okafor said.',
]) + "\n"


@pytest.fixture(scope="module")
def quote_result(pipeline, tmp_path_factory):
    from claimdesk.pipeline import Pipeline
    from claims.ingest import article_from_text

    work = tmp_path_factory.mktemp("quotes")
    corpus = work / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in CORPUS), encoding="utf-8")
    story = Pipeline(replace(pipeline.settings, corpus_dir=corpus, index_dir=work / "index", vector_url=""))
    for loaded in ("encoder", "judge", "reranker", "extractor"):
        story.__dict__[loaded] = getattr(pipeline, loaded)
    story.build_index()
    return story.check(article_from_text(ARTICLE, origin="test", html=False))


def _by_quote(result) -> dict[str, object]:
    return {item.quote_check.quote.split()[1].lower(): item.quote_check
            for item in result.claims if item.quote_check is not None}


def test_each_quote_gets_the_status_the_corpus_supports(quote_result):
    checks = _by_quote(quote_result)
    assert {k: v.status for k, v in checks.items()} == {
        "reservoir": "verbatim", "new": "differs", "grid": "other_speaker", "will": "not_found"}
    assert all(c.status in QUOTE_STATUSES for c in checks.values())


def test_a_verbatim_quote_names_who_said_it_and_its_earliest_appearance(quote_result):
    check = _by_quote(quote_result)["reservoir"]
    assert {m.doc_id for m in check.matches if m.kind == "verbatim"} == {"wire-1", "wire-2"}
    assert all(m.speaker == "same" for m in check.matches)
    assert check.earliest.startswith("wire-2#")  # 20 January, before the 1 February wire


def test_changed_words_are_listed(quote_result):
    check = _by_quote(quote_result)["new"]
    changes = {(c.quote, c.passage) for c in check.matches[0].changes}
    assert ("double", "triple") in changes and ("june", "july") in changes


def test_the_other_speaker_is_named(quote_result):
    match = _by_quote(quote_result)["grid"].matches[0]
    assert match.speaker == "other" and "Tomas Berg" in match.names


def test_the_check_json_carries_quote_check_only_for_quotes_and_survives_storage(quote_result):
    from claimdesk.results import CheckResult

    assert CheckResult.from_record(json.loads(json.dumps(quote_result.to_record()))) == quote_result
    rows = json.loads(json.dumps(quote_result.to_json()))["claims"]
    with_check = [r for r in rows if "quote_check" in r]
    # The first quotation is split into two claims at "and"; both carry the check of the whole quotation.
    assert len(with_check) == 5 and len({r["quote_check"]["quote"] for r in with_check}) == 4
    for row in with_check:
        assert row["quote_check"]["status"] in QUOTE_STATUSES
        assert isinstance(row["quote_check"]["matches"], list)
    assert all(r["quote_type"] in {"direct", "mixed"} for r in with_check)


def _evidence(text: str, passage_id: str = "p1", day: date | None = None) -> Evidence:
    return Evidence(Passage(passage_id, "d1", text, 0, len(text), source="Wire", date=day), 0.5, 1)


def test_punctuation_and_case_do_not_make_a_quote_differ():
    check = match_quote("We Will not Sign this deal, not now and not ever", "Ana Ruiz",
                        [_evidence("Ruiz: \u201cwe will not sign this deal \u2014 not now, and not ever.\u201d")],
                        lambda text: ["Ruiz"])
    assert check.status == "verbatim"


def test_a_passage_with_unrelated_words_is_not_a_match():
    check = match_quote("the bridge will reopen to traffic in early September", "Ana Ruiz",
                        [_evidence("Ruiz said the harvest was the largest in a decade.")], lambda text: ["Ruiz"])
    assert check.status == "not_found" and check.matches == ()


def test_short_quotes_are_not_checked():
    claim = Claim("c", "a", 'She called it "a disgrace" on Monday.', 0, 37,
                  attribution=Attribution(speaker="Ana Ruiz", quote_type="mixed"))
    assert quoted_words(claim) == ""
