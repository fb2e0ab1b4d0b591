"""Consistency checks, the shipped stance model, and the verdict."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from retrieval.types import Evidence, Passage
from verification.checks import compare
from verification.stance import MODEL_DIR, OnnxStanceModel, StanceJudge, StanceModelError
from verification.types import Stance
from verification.verdict import decide

pytestmark = pytest.mark.integration


def kinds(flags, relation):
    return {(f.kind, f.claim_value, f.evidence_value) for f in flags if f.relation == relation}


@pytest.mark.unit
def test_dates_numbers_and_names_agree_or_clash_with_spans():
    claim = "The summit with Moon Jae-in is on April 27 and ties date from 1948, 70 years ago."
    evidence = "Moon Jae-in hosts the summit on April 28; relations began in 1948, 69 years ago."
    flags = compare(claim, evidence)
    assert ("date", "April 27", "April 28") in kinds(flags, "clashes")
    assert ("number", "70 years", "69 years") in kinds(flags, "clashes")
    assert ("date", "1948", "1948") in kinds(flags, "agrees")
    assert any(f.kind == "entity" and f.claim_value == "Moon Jae-in" for f in flags if f.relation == "agrees")
    for flag in flags:
        if flag.claim_span:
            assert claim[flag.claim_span[0] : flag.claim_span[1]] == flag.claim_value
        if flag.evidence_span:
            assert evidence[flag.evidence_span[0] : flag.evidence_span[1]] == flag.evidence_value


@pytest.mark.unit
def test_bare_months_and_negation():
    flags = compare("Ri visited Sweden in February.", "Ri's visit to Sweden in March ended quietly.")
    assert ("date", "February", "March") in kinds(flags, "clashes")
    negated = compare("The port did not reopen.", "The port reopened on Monday.")
    assert any(f.kind == "negation" for f in negated)


@pytest.mark.unit
def test_same_values_do_not_clash():
    flags = compare("Exports rose 12 percent to $4 billion.", "Exports climbed 12% to $4 billion last year.")
    assert not kinds(flags, "clashes")
    assert ("number", "12 percent", "12%") in kinds(flags, "agrees")


@pytest.fixture(scope="module")
def judge():
    return StanceJudge(OnnxStanceModel())


def test_stance_model_separates_support_from_conflict(judge):
    pairs = [
        ("The bridge opened to traffic in 2015.", "The bridge was opened to traffic in 2015 after six years of work."),
        ("The bridge opened to traffic in 2015.", "The bridge opened to traffic in 2019, four years late."),
        ("The bridge opened to traffic in 2015.", "The city council elected a new mayor on Tuesday."),
    ]
    supports, refutes, unrelated = judge.judge(pairs)
    assert supports.scores["SUPPORTS"] > refutes.scores["SUPPORTS"]
    assert refutes.scores["REFUTES"] > supports.scores["REFUTES"]
    assert unrelated.label == "NOT_ENOUGH_INFO"
    assert any(f.relation == "clashes" and f.kind == "date" for f in refutes.flags)
    assert "2015" in refutes.explanation and "2019" in refutes.explanation


@pytest.mark.parametrize("kind", ["stance", "reranker"])
def test_corrupt_or_missing_model_is_a_clear_error(tmp_path, kind):
    from retrieval.rerank import RERANKER_DIR, OnnxReranker, RerankerError

    folder, file, load, error = {
        "stance": (MODEL_DIR, "stance.onnx", OnnxStanceModel, StanceModelError),
        "reranker": (RERANKER_DIR, "reranker.onnx", OnnxReranker, RerankerError),
    }[kind]
    copy = tmp_path / "model"
    shutil.copytree(folder, copy)
    with open(copy / file, "r+b") as handle:
        handle.seek(1000)
        handle.write(b"\x00\x01\x02\x03")
    with pytest.raises(error, match="corrupt"):
        load(copy)
    (copy / file).unlink()
    with pytest.raises(error, match="missing"):
        load(copy)


def _evidence(pid: str, later: bool = False) -> Evidence:
    return Evidence(Passage(pid, pid, "text", 0, 4), score=0.1, rank=1, after_article=later)


def _stance(label: str, p: float, role: str | None = None) -> Stance:
    scores = {"SUPPORTS": 0.0, "REFUTES": 0.0, "NOT_ENOUGH_INFO": 0.0}
    scores[label] = p
    rest = [k for k in scores if k != label]
    for key in rest:
        scores[key] = (1 - p) / 2
    default = {"SUPPORTS": "support", "REFUTES": "refute"}.get(label, "related")
    return Stance(label, p, scores, role=role or default)


@pytest.mark.unit
def test_verdicts():
    assert decide([_evidence("a")], [_stance("SUPPORTS", 0.9)]).label == "supported"
    conflicted = decide([_evidence("a"), _evidence("b")], [_stance("REFUTES", 0.8), _stance("NOT_ENOUGH_INFO", 0.9)])
    assert conflicted.label == "conflicted" and conflicted.deciding == ("a",) and conflicted.confidence == 0.8
    both = [_stance("SUPPORTS", 0.8), _stance("REFUTES", 0.75)]
    assert decide([_evidence("a"), _evidence("b")], both).label == "mixed"
    assert decide([], []).label == "not covered"
    # Evidence from after the article never decides the verdict.
    assert decide([_evidence("a", later=True)], [_stance("SUPPORTS", 0.95)]).label == "no evidence"
    # Passages about something else: the corpus does not cover the claim, whatever the model read into them.
    assert decide([_evidence("a")], [_stance("REFUTES", 0.9, "unrelated")]).label == "not covered"
    # About the claim, deciding nothing: no evidence either way.
    assert decide([_evidence("a")], [_stance("NOT_ENOUGH_INFO", 0.9)]).label == "no evidence"


@pytest.mark.unit
def test_rerank_prefers_passages_that_take_a_side():
    from retrieval.rerank import RerankWeights

    stances = [_stance("NOT_ENOUGH_INFO", 0.95), _stance("NOT_ENOUGH_INFO", 0.9), _stance("REFUTES", 0.9)]
    relevance = [1.0 - s.scores["NOT_ENOUGH_INFO"] for s in stances]
    assert RerankWeights.stance_only(2.0).order([1, 2, 3], None, relevance) == [2, 0, 1]
    assert RerankWeights.stance_only(0.0).order([1, 2, 3], None, relevance) == [0, 1, 2]


def test_pipeline_with_reranking_keeps_top_k(settings):
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article

    pipeline = Pipeline(settings.with_overrides(rerank_depth=10, top_k=3, reranker="stance"))
    result = pipeline.check(read_article(DEMO_ARTICLE))
    assert all(len(item.evidence) <= 3 for item in result.claims)
    assert any(len(item.evidence) == 3 for item in result.claims)
    for item in result.claims:
        keys = [1.0 / e.rank + 2.0 * (1 - s.scores["NOT_ENOUGH_INFO"]) for e, s in zip(item.evidence, item.stances)]
        assert keys == sorted(keys, reverse=True)


def test_a_pairs_stance_does_not_depend_on_its_companions(judge):
    pairs = [("The bridge opened in 2015.", "The bridge opened to traffic in 2015 after six years of work."),
             ("Exports rose 12 percent.", "Exports fell by 3 percent last year, the ministry said in a long report "
              "that also covered imports, tariffs, shipping costs and the exchange rate over the decade."),
             ("The mayor resigned.", "The mayor said she would not resign.")]
    alone = [judge.model.predict([pair])[0] for pair in pairs]
    together = judge.model.predict(pairs)
    reversed_order = judge.model.predict(pairs[::-1])[::-1]
    assert np.array_equal(np.array(alone), together) and np.array_equal(together, reversed_order)


class _Counting:
    """The shipped model, counting the pairs it is asked about."""

    def __init__(self, model) -> None:
        self.model, self.asked = model, []
        self.calibration = model.calibration

    def predict(self, pairs):
        self.asked += pairs
        return self.model.predict(pairs)


def test_a_check_does_not_put_a_passage_about_something_else_to_the_model(judge):
    pairs = [("Lavrov met Kim Jong Un in Pyongyang on Thursday.",
              "Russian Foreign Minister Sergei Lavrov met Kim Jong Un in Pyongyang on Thursday."),
             ("Lavrov met Kim Jong Un in Pyongyang on Thursday.",
              "The city council of Leeds elected a new mayor on Tuesday.")]
    counting = _Counting(judge.model)
    checked = StanceJudge(counting, judge.calibration).judge(pairs, weigh_unrelated=False)
    assert counting.asked == [pairs[0][::-1]]  # only the passage about the claim, as (evidence, claim)
    everything = judge.judge(pairs)
    # The passage about the claim reads exactly as when every pair is weighed; the other is the checks' alone.
    assert checked[0] == everything[0] and checked[0].weighed
    assert everything[1].role == checked[1].role == "unrelated"
    assert not checked[1].weighed and checked[1].label == "NOT_ENOUGH_INFO" and not checked[1].model_scores
    assert checked[1].flags == everything[1].flags


@pytest.mark.unit
def test_not_covered_is_surer_the_fewer_of_the_claims_actors_the_nearest_passage_names():
    claim = "Lavrov met Kim Jong Un in Pyongyang."
    none = "The city council of Leeds elected a new mayor on Tuesday."
    half = "Kim Jong Un inspected a factory in Pyongyang."  # not the claim's first actor, Lavrov
    verdicts = {}
    for name, text in (("none", none), ("half", half)):
        flags = compare(claim, text)
        verdicts[name] = decide([_evidence(name)], [Stance("NOT_ENOUGH_INFO", 1.0, flags=flags, role="unrelated",
                                                           weighed=False)], claim=claim)
    assert verdicts["none"].label == verdicts["half"].label == "not covered"
    assert verdicts["none"].confidence == 1.0
    assert verdicts["half"].confidence == 0.333  # it names Kim Jong Un and Pyongyang, not Lavrov
    # A passage set aside for a claim that names no actors (by a rule of an older result): nothing to measure.
    unnamed = decide([_evidence("a")], [_stance("REFUTES", 0.9, "unrelated")])
    assert unnamed.label == "not covered" and unnamed.confidence == 1.0


def test_the_model_reads_a_claim_without_the_date_the_checks_matched(judge):
    from datetime import date

    from verification.stance import for_model

    claim = "The striker was named player of the year at a ceremony in London on 15 December 2019."
    passage = "The striker was voted player of the year on Sunday night at a ceremony in London."
    counting = _Counting(judge.model)
    checked = StanceJudge(counting, judge.calibration).judge([(claim, passage)],
                                                             written=[(date(2019, 12, 16), date(2019, 12, 16))])
    assert any(f.kind == "date" and f.relation == "agrees" for f in checked[0].flags)  # Sunday is December 15
    assert counting.asked == [(passage, "The striker was named player of the year at a ceremony in London.")]
    assert counting.asked[0][1] == for_model(claim, checked[0].flags)
    # Read with the date it cannot place, the model leaves the claim undecided; without it, it reads the support.
    assert judge.model.predict([(passage, claim)])[0].argmax() == 2
    assert checked[0].label == "SUPPORTS" and checked[0].role == "support"


def test_the_confidence_shown_is_the_calibrated_one_and_the_verdict_weighs_the_probability(judge):
    from verification.stance import Calibration

    pairs = [("The bridge opened in 2015.", "The bridge opened to traffic in 2015 after six years of work."),
             ("The mayor resigned.", "The mayor said she would not resign.")]
    settings = {**judge.calibration.__dict__, "confidence_map": ((), ())}
    plain = StanceJudge(judge.model, Calibration(**settings)).judge(pairs)
    honest = Calibration(**{**settings, "confidence_map": ((0.3, 0.99), (0.34, 0.6))})  # never more than 0.6 sure
    for mapped, raw in zip(StanceJudge(judge.model, honest).judge(pairs), plain):
        assert mapped.scores == raw.scores and mapped.label == raw.label and mapped.role == raw.role
        assert raw.score == raw.scores[raw.label]
        assert mapped.score == pytest.approx(honest.shown(raw.scores[raw.label]), abs=1e-3) and mapped.score <= 0.6
    # The shipped model's manifest gives the map that training.calibrate chose; what it shows is read through it.
    shipped = judge.judge(pairs)
    assert [s.score for s in shipped] == pytest.approx([judge.calibration.shown(s.scores[s.label]) for s in shipped],
                                                       abs=1e-3)


def test_a_plan_found_in_the_passages_clauses_is_shown_and_named_in_the_verdict(judge):
    claim = "The Riksbank has approved a half-point rate rise in response to the hotter-than-expected jobs data."
    passage = ("Riksbank officials are likely to consider raising rates by 50 basis points this week after a "
               "hotter-than-expected jobs report, according to people familiar with the matter.")
    stance = judge.judge([(claim, passage)])[0]
    assert stance.role == "plan"
    planned = [f for f in stance.flags if f.kind == "modality" and f.relation == "differs"]
    assert planned and "likely to consider raising rates" in planned[0].evidence_value
    verdict = decide([_evidence("plan")], [stance], claim=claim)
    assert verdict.label == "no evidence" and "likely to consider raising rates" in verdict.reason


@pytest.mark.unit
def test_the_verdict_quotes_the_plan_of_the_passage_it_names():
    from verification.types import Flag

    scores = {"SUPPORTS": 0.1, "REFUTES": 0.1, "NOT_ENOUGH_INFO": 0.8}
    bare = Stance("NOT_ENOUGH_INFO", 0.8, scores=scores, role="plan")
    worded = Stance("NOT_ENOUGH_INFO", 0.8, scores=scores, role="plan",
                    flags=(Flag("modality", "differs", "cut", "is expected to cut rates"),))
    named_first = decide([_evidence("a"), _evidence("b")], [bare, worded], claim="The bank cut rates.")
    assert named_first.label == "no evidence" and "expected to cut" not in named_first.reason
    quoted = decide([_evidence("b"), _evidence("a")], [worded, bare], claim="The bank cut rates.")
    assert quoted.reason.endswith(": 'is expected to cut rates'")


def test_a_deed_or_quote_the_passage_gives_to_someone_else_is_no_support(judge):
    from verification.doers import other_doer

    # The same verb on the same thing, done by another person the passage names: future tense, a quote, a passive.
    flag = other_doer("Ana Ruiz will become Dravia Bank's executive chairman.",
                      "Chief operating officer Tomas Vela will become Dravia Bank's executive chairman, while chief "
                      "executive Ana Ruiz said the group remained committed to the bank.")
    assert flag and flag.kind == "actor" and flag.claim_value == "Ana Ruiz" and "Vela" in flag.evidence_value
    quote = ('Ana Ruiz said it was "absolutely astonishing" that the minister would not appear in person.',
             'Committee chair Tomas Vela said it was "absolutely astonishing" that the minister would not appear in '
             'person. Ana Ruiz told the committee on Tuesday that the data had been misused.')
    assert "Vela" in other_doer(*quote).evidence_value
    assert "Marco" in other_doer("Tomas Vela read a statement in court for his father.",
                                 "In a statement read in court by his son, Marco, the father thanked the jury."
                                 ).evidence_value
    # Words told with another reporting verb, by a "he" who is the last person named; a relative clause's deed.
    assert "Vela" in other_doer("Ana Ruiz told the crowd that the bridge belongs to the people of Varna.",
                                "Mayor Tomas Vela cut the ribbon on Monday. 'The bridge belongs to the people of "
                                "Varna,' he said. Ana Ruiz said the works had run late.").evidence_value
    assert "Ruiz" in other_doer("Marco Lind, who will join the Dravia Bank board, founded the firm in 2009.",
                                "Ana Ruiz will join the Dravia Bank board, and Marco Lind founded the firm in 2009."
                                ).evidence_value
    # A cleft sentence singles out its doer; a verb's kin tells the same deed ("started" and "began").
    assert "Lind" in other_doer("Investigators said it was Tomas Vela who started the fire at the depot.",
                                "Police said Marco Lind began the fire at the depot on Tuesday night.").evidence_value
    # Names match with or without accents; a verb of reporting that reports no words ("added 500 jobs") is no saying.
    assert other_doer("Recep Tayyip Erdoğan signed the decree on Friday.",
                      "Erdogan signed the decree on Friday.") is None
    assert other_doer("Dravia Motors added 500 new jobs at its Varna plant.",
                      "Governor Tomas Vela said the 500 new jobs at the Varna plant were welcome.") is None
    # The claim's own doer does it, or a country acts through its parliament: no clash.
    assert other_doer("Tomas Vela read a statement in court.", "Vela read a statement in court on Monday.") is None
    assert other_doer("Portugal ratified the treaty on Friday.",
                      "The Assembly of the Republic ratified the treaty on Friday.") is None
    # Through the judge: the passage is no support, and the verdict says whose deed it gives.
    stance = judge.judge([quote])[0]
    assert stance.role == "doubt" and any(f.kind == "actor" and f.relation == "clashes" for f in stance.flags)
    verdict = decide([_evidence("quote")], [stance], claim=quote[0])
    assert verdict.label == "needs review" and "Tomas Vela" in verdict.reason
