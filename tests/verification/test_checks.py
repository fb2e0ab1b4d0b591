"""The checks mean what they say, and the verdict never calls a claim supported over a clash they find.

The pairs are the ones an analyst meets: the demo's planted date error, a plan taken for the deed, a denial, a
date named at two precisions, a figure in other units, a passage about another actor."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from retrieval.types import Evidence, Passage
from verification import roles
from verification.checks import compare, dates, quantities
from verification.types import Flag, Stance
from verification.verdict import decide

pytestmark = pytest.mark.unit


def found(claim: str, evidence: str, relation: str) -> set[tuple[str, str, str]]:
    return {(f.kind, f.claim_value, f.evidence_value) for f in compare(claim, evidence) if f.relation == relation}


def test_dates_are_compared_at_the_precision_both_sides_give():
    assert ("date", "June 2022", "July 21, 2022") in found("Rates rose in June 2022.", "Rates rose on July 21, 2022.",
                                                           "clashes")
    assert ("date", "2022", "July 21, 2022") in found("Rates rose in 2022.", "Rates rose on July 21, 2022.", "agrees")
    assert ("date", "February", "March") in found("Ri went to Sweden in February.", "Ri visited Sweden in March.",
                                                  "clashes")
    # A passage that names the claim's date among others agrees; another year elsewhere in it is not compared.
    assert not found("Lavrov visited in 2009.", "Lavrov, who visited in 2009, came back in 2018.", "clashes")
    assert [(d.year, d.month, d.day) for d in dates("On 21 March 2018 and in June 2022, then 2009")] == [
        (2018, 3, 21), (2022, 6, None), (2009, None, None)]


@pytest.mark.parametrize("claim, evidence", [
    ("The Bank raised rates by half a percentage point.", "The Bank raised rates by 50 basis points."),
    ("Three people were killed.", "3 people were killed."),
    ("The wall is 1.2 metres high.", "The wall stands four feet high."),
    ("More than 50 countries signed the pact.", "57 countries signed the pact."),
    ("Spain beat England 1-0 in the final.", "Spain beat England 1–0 in the final in Sydney."),
])
def test_quantities_agree_across_units_words_and_qualifiers(claim, evidence):
    assert {k for k, *_ in found(claim, evidence, "agrees")} >= {"number"}
    assert not found(claim, evidence, "clashes")


@pytest.mark.parametrize("claim, evidence, clash", [
    ("The plume rose about 30 kilometres.", "The plume rose 57 kilometres into the sky.", "about 30 kilometres"),
    ("The committee voted 9-0 for the rise.", "The committee voted 8-1 for the rise.", "9-0"),
    ("Rates went to 2% in August.", "Rates went to 1.75% in August.", "2%"),
])
def test_quantities_that_differ_clash(claim, evidence, clash):
    assert clash in {c for k, c, _ in found(claim, evidence, "clashes") if k == "number"}


def test_numbers_of_different_things_are_not_compared():
    # Unemployment's 6.3% is not inflation's 13%, and a mirror's 6.5 metres is not an orbit's 1.5 million km.
    assert not found("Unemployment will rise to 6.3%.", "Inflation will peak at just over 13% in October.", "clashes")
    assert not found("The mirror is 6.5 metres across.", "It orbits about 1.5 million kilometres from Earth.",
                     "clashes")
    assert [q.dimension for q in quantities("$4 billion, 120 votes, 57 km, 0.5 percentage points")] == [
        "USD", "count:vote", "metres", "points"]


def test_ordinals_clash_only_on_the_same_thing():
    assert ("ordinal", "third summit", "fourth summit") in found("It was the third summit.",
                                                                 "It was the fourth summit.", "clashes")
    assert not found("It was the third summit.", "It was the fourth visit.", "clashes")


def test_a_superlative_rank_is_compared_with_the_same_measure():
    # "Largest" alone ranks first; a lender is ranked as a bank is.
    assert ("ordinal", "second-largest stakeholder", "largest stakeholder") in found(
        "The fund became the mill's second-largest stakeholder.", "The fund is now the mill's largest stakeholder.",
        "clashes")
    assert ("ordinal", "fourth-largest bank", "third-largest lender") in found(
        "Harbour Trust, Norland's fourth-largest bank, was sold.", "Harbour Trust, the country's third-largest "
                                                                   "lender, was sold on Sunday.", "clashes")
    assert ("ordinal", "second-biggest port", "second-largest port") in found(
        "Varna is the second-biggest port.", "Varna, the second-largest port, reopened.", "agrees")
    # How hard a place was hit ranks it too, in either word.
    assert ("ordinal", "third-hardest-hit city", "second-worst-hit city") in found(
        "Varna, the third-hardest-hit city in the outbreak, recorded 299 deaths.",
        "Varna, the second-worst-hit city after Burgas, recorded 1,755 cases and 299 deaths.", "clashes")
    # Of two ranks in the passage, the one of what the claim ranks.
    assert ("ordinal", "fourth-largest bank", "third-largest lender") in found(
        "Norbank will buy Harbour Trust, Norland's fourth-largest bank.",
        "Norbank, Norland's biggest bank, agreed to buy Harbour Trust, the country's third-largest lender.", "clashes")
    # A rank the passage gives to someone else in apposition is not the claim's.
    assert not found("Norbank agreed to buy Harbour Trust, the country's second-largest bank.",
                     "Norbank, the country's largest bank, agreed to buy Harbour Trust.", "clashes")
    # A rank by size is not a rank in time, nor a rank of another thing.
    assert not found("The fund became its second-largest stakeholder.", "The fund was its second stakeholder.",
                     "clashes")
    assert not found("It is the second-largest bank.", "It is the largest city.", "clashes")


@pytest.mark.parametrize("claim, evidence", [
    # The passage never names the deed ("reached", "agreed", "held talks"); the clause that tells the claim is a plan.
    ("The winning crew reached the harbour in Varna on an open-top bus during the victory parade.",
     "The mayor declared Monday a holiday, and the crew was expected to parade through Varna on an open-top bus "
     "towards the harbour."),
    ("Norbank has agreed to take over its struggling rival Harbour Trust.",
     "Norbank is in talks to take over all or part of Harbour Trust, a newspaper reported on Friday."),
    ("Prime Minister Ana Petrova has held talks with President Ivo Marin in Sofia on her first trip abroad.",
     "Petrova rode through the capital after the ceremony. She is due to travel to Sofia on Monday to meet "
     "President Ivo Marin on her first trip abroad as prime minister."),
    # What someone expects of a thing: "expected the merger to produce savings" is no saving made.
    ("Dravia Motors achieved cost savings of about $2 billion in the first year after the merger.",
     "The company will be based in Varna. Executives said they expected the merger to produce cost savings of about "
     "$2 billion in its first year and said no plant closures were planned."),
])
def test_a_clause_that_tells_the_claim_as_a_plan_is_a_plan(claim, evidence):
    assert any(f.kind == "modality" and f.relation == "differs" for f in compare(claim, evidence))


@pytest.mark.parametrize("claim, evidence", [
    ("The crew reached the harbour on an open-top bus.", "The crew reached the harbour on an open-top bus and "
                                                         "will fly home on Monday."),
    # Reported speech tells a decision: "said it would buy" is the agreement.
    ("Norbank agreed to pay 40 crowns a share for Harbour Trust.", "Norbank said on Tuesday it would buy Harbour Trust "
                                                                  "for 40 crowns a share in cash."),
    # Too little of the claim in the planned clause to be its telling.
    ("Varna knocked Burgas out of the cup with a 2-1 win on Sunday.", "Varna will play in their fourth cup final."),
    # Another clause tells the deed done; the plan is what comes next.
    ("Norbank acquired Harbour Trust for 4 billion crowns.", "Norbank completed its 4 billion crown takeover of "
                                                            "Harbour Trust on Thursday. Norbank plans to expand "
                                                            "Harbour Trust's lending."),
    # A name, a cause and a fire, not plans: "Will Smith", "due to fog", "set on fire".
    ("At the awards, actor Will Petrov struck Ivo Marin on stage.", "At the awards on Sunday, actor Will Petrov walked "
                                                                   "on stage and slapped Ivo Marin."),
    ("Fog grounded 100 flights at Varna airport on Monday.", "Flights at Varna airport were grounded on Monday; the "
                                                            "delay was due to fog over the runway."),
    ("Protesters burned the parliament building in Varna.", "Parts of the parliament building in Varna were set on "
                                                           "fire by protesters."),
    # A name, not the modal: "May became".
    ("Ana May, who took office on Wednesday, is the third woman to lead the party.",
     "Ana May became the party's second female leader on Wednesday."),
])
def test_a_clause_that_tells_the_deed_or_too_little_of_the_claim_is_no_plan(claim, evidence):
    assert not any(f.kind == "modality" for f in compare(claim, evidence))


def test_a_participle_after_a_hyphenated_code_is_an_adjective_not_a_deed():
    from verification.checks import tells_deed

    assert not tells_deed("The more antibodies a batch has, the fewer COVID-19 related deaths.")
    assert tells_deed("Petrova, who was elected on February 21, told the court she was confused.")
    assert tells_deed("Apollo 11 landed on the Moon.")


def test_a_denial_reaches_past_a_short_aside():
    assert ("negation", "", "not") in found(
        "A health panel has concluded that the outbreak amounts to a national emergency.",
        "The panel said on Saturday that the outbreak did not, for now, constitute a national emergency.", "clashes")


def test_an_acronym_that_is_also_a_word_is_the_name_only_in_capitals():
    assert ("entity", "WHO", "") in {(f.kind, f.claim_value, f.evidence_value) for f in compare(
        "The WHO declared an emergency.", "Officials who met on Friday declared an emergency.")
        if f.relation == "missing"}
    assert ("entity", "WHO", "") in {(f.kind, f.claim_value, f.evidence_value) for f in compare(
        "The WHO declared an emergency.", "Who declared the emergency is unclear.") if f.relation == "missing"}
    assert ("entity", "WHO", "WHO") in found("The WHO declared an emergency.",
                                            "The WHO said on Friday it declared an emergency.", "agrees")
    assert ("entity", "US", "United States") in found("Drives were flown to the US.",
                                                      "Drives were flown to the United States.", "agrees")


def test_an_institution_named_only_by_its_nation_needs_more_than_the_nation():
    def named(evidence: str) -> str:
        return next(f.relation for f in compare("The Norwegian National Bank said no to Harbour Trust.", evidence)
                    if f.kind == "entity" and f.claim_value.startswith("Norwegian"))

    assert named("Harbour Trust borrowed 50 billion Norwegian crowns.") == "missing"
    assert named("Harbour Trust, the troubled Norwegian bank, said no.") == "missing"
    assert named("Norway's central bank said no.") == "agrees"
    assert named("The Norwegian central bank said no.") == "agrees"
    assert named("The NNB said no.") == "agrees"


def test_in_a_list_of_named_figures_the_claims_subject_has_its_own():
    tally = ("Petrova topped the first round with 31.2 percent, ahead of Ivo Marin on 24.5 percent, Dimov on 19.8 "
             "percent and Ana Kostova, who came fourth with 11.0 percent.")
    assert ("number", "19.8 percent", "24.5 percent") in found(
        "Ivo Marin reached the runoff with 19.8 percent of the vote.", tally, "clashes")
    assert ("number", "19.8 percent", "19.8 percent") in found("Dimov won 19.8 percent of the vote.", tally, "agrees")
    # A name a clause away owns no figure: the share rise is not the company's stake.
    assert not found("The fund became Norbank's second-largest shareholder with a 9.2% stake.",
                     "The fund has taken a 9.2% stake in Norbank Inc, making it the largest shareholder, a filing "
                     "showed on Monday, sending the bank's shares up more than 25%.", "clashes") - {
        ("ordinal", "second-largest shareholder", "largest shareholder")}


def test_a_plan_is_not_the_deed():
    flags = compare("The Bank of England raised interest rates by half a percentage point in August 2022.",
                    "Bank of England policymakers are considering whether to raise rates by half a percentage point "
                    "at their August meeting.")
    assert any(f.kind == "modality" and f.relation == "differs" for f in flags)
    # The deed stated plainly elsewhere in the passage is the deed.
    assert not any(f.kind == "modality" for f in compare("The Bank raised rates in August.",
                                                         "The Bank raised rates in August and may act again."))


def test_negation_counts_only_where_it_governs_the_claims_words():
    assert any(f.kind == "negation" for f in compare("The eruption did not damage the cable.",
                                                     "The eruption damaged the cable to Fiji."))
    assert not any(f.kind == "negation" for f in compare("The Bank raised rates in August.",
                                                         "The Bank raised rates in August, not ruling out more."))


def test_another_actor_doing_the_deed_is_an_actor_clash():
    flags = compare("China topped the Tokyo medal table with 39 gold medals.",
                    "The United States topped the Tokyo medal table with 39 gold medals, one more than China.")
    assert ("actor", "China", "United States") in {(f.kind, f.claim_value, f.evidence_value) for f in flags}
    # The same actor under a longer name, and a passive sentence, are no clash.
    assert not any(f.kind == "actor" for f in compare("Erdogan declared a state of emergency.",
                                                      "President Recep Tayyip Erdogan declared a state of emergency."))
    assert not any(f.kind == "actor" for f in compare("The ship was freed on March 29.",
                                                      "Salvage teams freed the ship on March 29."))


def test_an_institution_is_not_found_by_its_generic_word():
    flags = compare("The European Central Bank raised rates.", "The Bank of England raised rates.")
    assert ("entity", "European Central Bank") in {(f.kind, f.claim_value) for f in flags if f.relation == "missing"}


def _pair(claim: str, evidence: str, label: str = "SUPPORTS", score: float = 0.9) -> tuple[Evidence, Stance]:
    flags = compare(claim, evidence)
    scores = {"SUPPORTS": 0.05, "REFUTES": 0.05, "NOT_ENOUGH_INFO": 0.05, label: score}
    stance = Stance(label, score, scores, scores, flags, roles.role(claim, evidence, flags, label, score))
    return Evidence(Passage(evidence[:12], evidence[:12], evidence, 0, len(evidence), source="Wire"), 0.5, 1), stance


class _Agrees:
    """The stance model's seam, filled by a model that reads every pair as support: what the roles and the dates do
    with a support is then all that is tested."""

    calibration: dict = {}

    def predict(self, pairs):
        import numpy as np

        return np.tile(np.array([[0.9, 0.05, 0.05]], dtype=np.float32), (len(pairs), 1))


def _verdict(claim: str, *passages: tuple[str, str]) -> str:
    pairs = [_pair(claim, text, label) for text, label in passages]
    return decide([e for e, _ in pairs], [s for _, s in pairs], 0.4, 0.1).label


def test_a_date_is_the_date_of_the_deed_it_stands_with():
    # The passage dates the crash, and tells the pulling undated: no clash with the day the bodies were pulled out.
    assert _pair("Divers pulled two bodies from a sunken truck on March 27.",
                 "A cargo ship slammed into the Varna bridge on March 26. Rescuers pulled two people from the water.",
                 "NOT_ENOUGH_INFO", 0.6)[1].role != roles.CONFLICT
    # "one win short of clinching" clinches nothing on Sunday.
    assert _pair("Varna clinched the league title on 2 May 2016.",
                 "Varna drew 1-1 with Burgas on Sunday, May 1, 2016, one win short of clinching the league title.",
                 "NOT_ENOUGH_INFO", 0.6)[1].role != roles.CONFLICT
    # The day a report tells the deed undated is the deed's day.
    blocked = _pair("The competition authority blocked the takeover on 25 April 2023.",
                    "The competition authority has blocked the takeover of Harbour Trust. The authority said on "
                    "April 26, 2023 that the deal would harm competition.", "NOT_ENOUGH_INFO", 0.6)
    assert blocked[1].role == roles.CONFLICT
    # A deed told as done on another day clashes, whatever the passage says of the claim's other deeds.
    assert _pair("The Varna probe, which touched down on 13 November 2014, bounced twice.",
                 "The Varna probe touched down on 12 November 2014; scientists were checking whether it had bounced.",
                 "NOT_ENOUGH_INFO", 0.6)[1].role == roles.CONFLICT


def test_a_visible_clash_is_never_supported_even_when_the_model_reads_support():
    claim = "Ri arrived in Moscow after an unannounced trip to Sweden in February."
    clash = ("Ri Yong Ho arrived in Moscow for talks. The trip follows Ri's visit to Sweden in March.", "SUPPORTS")
    assert _verdict(claim, clash) == "conflicted"
    # A weaker passage that supports another part of the claim does not outvote the clash.
    assert _verdict(claim, clash, ("Ri arrived in Moscow on Monday for talks with Lavrov.", "SUPPORTS")) == \
        "conflicted"


def test_the_model_reading_support_over_a_denial_is_a_conflict():
    claim = "The eruption did not damage Tonga's undersea cable."
    assert _verdict(claim, ("The eruption damaged Tonga's undersea cable to Fiji.", "SUPPORTS")) == "conflicted"


def test_topic_is_not_support_and_a_plan_is_not_the_deed():
    claim = "The Bank of England raised interest rates by half a percentage point in August 2022."
    plan = ("Bank of England policymakers are considering whether to raise rates by half a percentage point at "
            "their August 2022 meeting.", "SUPPORTS")
    assert _verdict(claim, plan) == "no evidence"
    other_actor = ("The Federal Reserve raised rates by three-quarters of a point in July 2022.", "SUPPORTS")
    assert _verdict(claim, other_actor) == "not covered"


def test_a_clash_that_may_be_another_event_needs_review_unless_a_support_agrees_on_it():
    claim = "Lavrov visited Pyongyang in 2018."
    older = ("Lavrov visited Pyongyang in 2009 for talks on the nuclear programme.", "SUPPORTS")
    assert _verdict(claim, older) == "needs review"
    assert _verdict(claim, older, ("Lavrov visited Pyongyang in 2018 and met Kim.", "SUPPORTS")) == "supported"


def test_sources_that_disagree_on_the_claims_detail_are_mixed():
    claim = "Kim Jong Un will meet Moon Jae-in on April 27."
    assert _verdict(claim, ("Moon Jae-in will meet Kim Jong Un on April 27.", "SUPPORTS"),
                    ("Kim Jong Un will meet Moon Jae-in on April 29, officials said.", "SUPPORTS")) == "mixed"


def test_flags_describe_themselves_for_the_analyst():
    assert "plan" in Flag("modality", "differs", "raised", "considering whether to raise").describe()
    assert "denies" in Flag("negation", "clashes", "not").describe()


def test_old_reporting_does_not_decide_a_claim_about_the_present():
    """Lavrov's 2009 visit is no support for his 2018 invitation: for a claim about the article's present that
    names no date, reporting over a year older than the article is context only; a dated or past claim is not
    affected."""
    from datetime import date

    from verification.checks import places_in_time

    assert not places_in_time("Lavrov will visit Pyongyang after accepting an invitation.")
    assert not places_in_time("No date has been announced for the visit.")
    assert places_in_time("Donors pledged 846 million euros.") and places_in_time("Firefighters did not save it.")
    claim = "Lavrov will visit Pyongyang."
    old, new = _pair(claim, "Lavrov will visit Pyongyang, officials said."), _pair(claim, "Lavrov will visit "
                                                                                           "Pyongyang soon.")
    old = (Evidence(Passage("old", "old", old[0].passage.text, 0, 5, source="Wire", date=date(2009, 3, 30)), 0.5, 1),
           old[1])
    article = date(2018, 4, 10)
    alone = decide([old[0]], [old[1]], 0.4, 0.1, article, places_in_time(claim))
    assert alone.label == "no evidence" and "more than a year before" in alone.reason
    recent = (Evidence(Passage("new", "new", new[0].passage.text, 0, 5, source="Wire", date=date(2018, 4, 3)), 0.5, 2),
              new[1])
    assert decide([old[0], recent[0]], [old[1], recent[1]], 0.4, 0.1, article, False).label == "supported"
    # A claim that says when it happened is judged on its date, whatever the age of the reporting.
    assert decide([old[0]], [old[1]], 0.4, 0.1, article, True).label == "supported"


def test_a_date_without_a_year_is_read_in_the_year_of_its_publication():
    from datetime import date

    # "Dec. 13" in a report of December 2022 is 2022: against "March 2024" it is another year, not a lone month.
    flags = compare("Bankman-Fried was sentenced in March 2024.", "He was expected to testify on Dec. 13.",
                    evidence_written=date(2022, 12, 9))
    assert ("date", "March 2024", "Dec. 13 [2022]") in {(f.kind, f.claim_value, f.evidence_value) for f in flags}
    # Read around the turn of the year: "Dec. 28" in a report of January 5, 2021 is 2020.
    flags = compare("The vaccine was approved in December 2020.", "The vaccine was approved on Dec. 28.",
                    evidence_written=date(2021, 1, 5))
    assert [(f.relation, f.evidence_value) for f in flags if f.kind == "date"] == [("agrees", "Dec. 28 [2020]")]


def test_the_date_beside_the_deed_is_the_one_compared():
    """A failed attempt in August does not date the core collected on Sept. 1."""
    from datetime import date

    claim = "NASA's Perseverance rover collected its first rock core in August 2021."
    passage = ("Perseverance's first attempt to collect a sample on Aug. 6, 2021, came up empty. The rover "
               "collected its first core, from a rock nicknamed 'Rochette', on Sept. 1, NASA said.")
    flags = compare(claim, passage, evidence_written=date(2021, 9, 6))
    assert [(f.relation, f.evidence_value) for f in flags if f.kind == "date"] == [("clashes", "Sept. 1 [2021]")]


def test_names_are_read_in_any_latin_alphabet_and_in_camel_case():
    from verification.checks import names

    found_names = [n for n, _ in names("Jimmy Sánchez rode the Fénix 2 capsule from the San José mine; OceanGate "
                                       "and NASA said.")]
    assert found_names == ["Jimmy Sánchez", "Fénix", "San José", "OceanGate", "NASA"]
    # "Jimmy" alone is not "Jimmy Sánchez": a passage about Jimmy Smith does not name him.
    assert ("entity", "Jimmy Sánchez", "") in found("Jimmy Sánchez came up first.", "Jimmy Smith came up first.",
                                                    "missing")


def test_number_words_are_read_whole():
    assert [q.value for q in quantities("Fifty-two people were arrested after sixty nine days.")][:1] == [52.0]
    assert ("number", "sixty-nine days", "69 days") in found("They spent sixty-nine days below ground.",
                                                             "They spent 69 days underground.", "agrees")


def test_a_denied_deed_against_a_passage_that_tells_it_is_a_conflict():
    claim = "Argentina goalkeeper Emiliano Martinez failed to save any of France's penalties in the final."
    # The model is unsure (NOT_ENOUGH_INFO), yet the passage tells the very deed the claim denies.
    assert _verdict(claim, ("Goalkeeper Emiliano Martinez saved Kingsley Coman's spot kick in the final.",
                            "NOT_ENOUGH_INFO")) == "conflicted"
    # A denial in other words ("never left" against "flew to Cancun") is a conflict when the model reads support.
    assert _verdict("Senator Ted Cruz never left Texas during the storm.",
                    ("Senator Ted Cruz flew to Cancun with his family during the storm.", "SUPPORTS")) == "conflicted"
    # "Not in doubt" denies a state, not a deed: no conflict from the word alone.
    assert not any(f.kind == "negation" for f in compare("The CRU's honesty is not in doubt.",
                                                         "The inquiry praised the CRU's honesty."))


def test_support_needs_the_claims_subject_figures_and_wording():
    # The claim's figure is not in the passage: it names the explosion, not its magnitude.
    assert _verdict("The explosion at the port of Beirut on August 4, 2020 registered as a magnitude 3.3 seismic "
                    "event.", ("A massive explosion tore through the port of Beirut on Aug. 4, 2020, killing "
                               "more than 100 people.", "SUPPORTS")) == "no evidence"
    # The passage gives the deed to another agency: never support, and a clash of actors on the same deed.
    assert _verdict("The European Space Agency named the rover's landing site 'Octavia E. Butler Landing' in "
                    "March 2021.", ("NASA named the spot where Perseverance touched down 'Octavia E. Butler "
                                    "Landing' on March 5, 2021.", "SUPPORTS")) == "conflicted"
    # Little but the story's names in common: "ERCOT ordered outages" is no support for a law lawmakers passed.
    assert _verdict("Texas lawmakers passed a law requiring generators to be winterized, with state funding, after "
                    "Governor Greg Abbott made ERCOT reform an emergency item.",
                    ("ERCOT ordered rotating power outages across Texas early on Monday.", "SUPPORTS")) == \
        "no evidence"
    # A nationality or an organisation that only describes the person found is not asked for.
    assert _verdict("Lebanese Prime Minister Hassan Diab stepped down with his government on 10 August 2020.",
                    ("Prime Minister Hassan Diab announced the resignation of his government on Aug. 10, 2020, "
                     "saying he was stepping down.", "SUPPORTS")) == "supported"


def test_a_plan_is_not_outvoted_by_supports_that_do_not_tell_the_deed():
    claim = "The Coast Guard's Marine Board of Investigation recommended criminal sanctions over the Titan."
    pairs = [_pair(claim, "The Coast Guard convened a Marine Board of Investigation into the Titan; the board "
                          "could recommend civil or criminal sanctions.", "SUPPORTS"),
             _pair(claim, "The Coast Guard said debris found near the Titanic was consistent with a loss of the "
                          "Titan's pressure chamber and the Marine Board of Investigation began work.", "SUPPORTS")]
    verdict = decide([e for e, _ in pairs], [s for _, s in pairs], 0.4, 0.1, claim=claim)
    assert verdict.label == "no evidence" and "plan" in verdict.reason


def test_a_misdated_deed_with_the_same_particulars_is_a_conflict():
    claim = "NASA's Perseverance rover was launched from Cape Canaveral on an Atlas V rocket in July 2019."
    passage = ("NASA's Perseverance rover was launched on July 30, 2020, aboard an Atlas V rocket from Cape "
               "Canaveral.", "REFUTES")
    assert _verdict(claim, passage) == "conflicted"
    # Fewer particulars in common: the same deed in another year may be another visit.
    assert _verdict("Lavrov visited Pyongyang in 2018.", ("Lavrov visited Pyongyang in 2009.", "SUPPORTS")) == \
        "needs review"


def test_a_weekday_is_a_date_and_a_far_date_without_a_year_is_not_compared():
    from datetime import date

    # "released on Monday night" in a report of Tuesday, July 18, 2023 is July 17, 2023.
    flags = compare("Evergrande published its results in July 2023.", "Evergrande's results were released on "
                    "Monday night.", evidence_written=date(2023, 7, 18))
    assert [(f.relation, f.evidence_value) for f in flags if f.kind == "date"] == [("agrees", "Monday [2023-07-17]")]
    # "Jan. 6" in a report of August 2023 names the Capitol attack: its year cannot be told, so it is not compared.
    assert not [f for f in compare("Rhodes was sentenced in May 2023.", "Rhodes got the longest sentence in the "
                                   "Jan. 6 prosecutions.", evidence_written=date(2023, 5, 26)) if f.kind == "date"]


def test_a_doer_named_with_by_must_be_in_the_supporting_passage():
    claim = "The winding-up petition against China Evergrande Group was filed by the investor Top Shine Global."
    assert _verdict(claim, ("A court ordered the liquidation of China Evergrande Group, 19 months after the "
                            "winding-up petition against it was filed.", "SUPPORTS")) == "no evidence"


def test_a_participle_is_not_the_deed_of_the_name_before_it():
    assert not any(f.kind == "actor" for f in compare(
        "China Evergrande Group sought bankruptcy protection in New York.",
        "China Evergrande filed for bankruptcy protection in a Manhattan court, seeking recognition of its plan."))


def test_a_name_the_passage_lacks_but_its_title_gives_is_found_there():
    from verification.checks import named_in_title

    claim = "Joe Biden said the economy had added 15 million new jobs in three years."
    passage = "Now, our economy is literally the envy of the world: 15 million new jobs in just 3 years."
    flags = compare(claim, passage)
    assert [f.relation for f in flags if f.kind == "entity"] == ["missing"]
    titled = named_in_title(flags, "Joseph R. Biden Jr.: State of the Union address, 2024")
    found = [f for f in titled if f.kind == "entity"]
    assert [(f.relation, f.evidence_value, f.evidence_span) for f in found] == [
        ("agrees", "Biden (in the title)", None)]
    assert roles.names_subject(claim, titled) and not roles.names_subject(claim, flags)
    # Another speaker's title names nobody in the claim, and a title changes no other finding.
    assert named_in_title(flags, "Donald J. Trump: State of the Union address, 2019") == flags
    assert named_in_title(flags, "") == flags


def test_a_plan_told_after_the_subject_or_after_the_deed_is_not_the_deed():
    # The subject named only to say what they will do.
    claim = "Dana Reyes has replaced Lee Park as chief executive of Northwind, the company said."
    will = ("Northwind said on Tuesday that Lee Park will step down on Oct. 1 and be succeeded by Dana Reyes, who "
            "will become the first engineer to run the company.", "SUPPORTS")
    assert _verdict(claim, will) == "no evidence"
    done = ("Northwind said on Tuesday that Dana Reyes had replaced Lee Park as chief executive.", "SUPPORTS")
    assert _verdict(claim, done) == "supported"
    # The deed's noun, followed by its plan word; a deed begun ("started bringing") against its preparation.
    flags = compare("Tom Hale was sentenced to 12 years in prison.",
                    "Prosecutors asked a judge to sentence Tom Hale to 12 years. His sentencing is scheduled for May.")
    assert any(f.kind == "modality" and f.relation == "differs" for f in flags)
    flags = compare("Divers have started bringing the trapped boys out of the cave, officials said.",
                    "Officials said they were preparing to bring the boys out through the flooded passages.")
    assert any(f.kind == "modality" and f.relation == "differs" for f in flags)


def test_a_description_is_not_a_deed():
    from verification.checks import shares_deed, tells_deed

    # "the flooded cave" shares no deed with "the flooded passages"; "the trapped boys" tells nothing done.
    assert not shares_deed("Divers reached the trapped boys through the flooded passages.",
                           "The boys were found in the flooded cave.")
    assert not tells_deed("The trapped boys are alive.")


def test_opposite_deeds_done_to_the_same_thing_clash():
    claim = "The central bank held interest rates steady on Wednesday."
    flags = compare(claim, "The central bank raised its benchmark interest rate by a quarter point on Wednesday.")
    [opposed] = [f for f in flags if f.kind == "negation"]
    assert (opposed.claim_value, opposed.evidence_value) == ("held interest rates steady", "raised")
    assert "where the passage says 'raised'" in opposed.describe()
    # Both deeds told in the passage, or done to different things: no clash.
    assert not any(f.kind == "negation" for f in compare(
        claim, "The bank held interest rates steady on Wednesday after it raised them in March."))
    assert not any(f.kind == "negation" for f in compare(
        "Parliament approved the budget on Monday.", "Parliament rejected an amendment on fishing quotas."))
    assert not any(f.kind == "negation" for f in compare(
        "The minister held talks in Paris.", "The minister raised the issue of fishing rights in Paris."))
    # Help turned away is not help accepted; a decision welcomed is not one protested by the same people.
    [turned] = [f for f in compare("Dravia turned away foreign rescue teams after the quake.",
                                   "Dravia accepted rescue teams from Varna and Burgas.") if f.kind == "negation"]
    assert (turned.claim_value, turned.evidence_value) == ("turned away", "accepted")
    [taken] = [f for f in compare("Varna health officials welcomed the decision to close the port.",
                                  "Varna health officials and the mayor, Ana Ruiz, angrily protested the decision "
                                  "to close the port.") if f.kind == "negation"]
    assert (taken.claim_value, taken.evidence_value) == ("welcomed", "protested")
    # Others reacting otherwise, or the same reaction in other words: no clash.
    assert not any(f.kind == "negation" for f in compare(
        "Unions welcomed the ruling on pay.", "Employers criticised the ruling on pay, while unions said little."))
    assert not any(f.kind == "negation" for f in compare(
        "Unions welcomed the ruling on pay.", "Unions praised the ruling on pay and employers condemned it."))


def test_numbers_as_news_writes_them():
    from verification.checks import quantities

    # A unit joined by a hyphen; a number that says which one ("the No. 3 reactor") is no quantity.
    assert [q.value for q in quantities("expanded to a 20-kilometre radius from 10 kilometres")] == [20000.0, 10000.0]
    assert quantities("the No. 3 reactor and Unit 2") == ()
    # What a sum measures may stand after it ("a $16.5 billion discount") or before it ("a discount of $16.5
    # billion"): the discount agrees, and the deal's other sum is not compared with it.
    flags = compare("First Citizens bought $72 billion of its assets at a $16.5 billion discount.",
                    "The deal covers about $72 billion of the bank's assets, bought at a discount of $16.5 billion.")
    assert [(f.relation, f.evidence_value) for f in flags if f.kind == "number"] == [
        ("agrees", "about $72 billion"), ("agrees", "$16.5 billion")]


def test_ranks_in_names_are_not_ranks_and_a_described_noun_is_ranked():
    assert not any(f.kind == "ordinal" for f in compare("First Citizens took over the bank.",
                                                        "First Citizens will acquire the deposits."))
    [rank] = [f for f in compare("It was the third hydrogen blast at the plant.",
                                 "It was the second such blast at the plant since Saturday.") if f.kind == "ordinal"]
    assert rank.relation == "clashes" and rank.evidence_value == "second such blast"


def test_two_bounds_the_same_way_are_not_one_figure_and_a_count_may_say_of_its():
    claim = "Musk said spam accounts make up less than 10 percent of Twitter's users."
    flags = compare(claim, "Musk said spam accounts make up fewer than 5% of Twitter's users.")
    # Each bound is near the figure it bounds: "less than 10 percent" is not "fewer than 5%".
    assert [f.relation for f in flags if f.kind == "number"] == ["clashes"]
    assert [f.relation for f in compare("More than 80 million people watched the launch live.",
                                        "More than 8 million people watched the launch live.")
            if f.kind == "number"] == ["clashes"]
    assert [f.relation for f in compare("Varna Air will pay up to 5,000 euros per passenger.",
                                        "Varna Air said it would pay up to 50,000 euros per passenger.")
            if f.kind == "number"] == ["clashes"]
    assert _verdict(claim, ("Musk said spam accounts make up fewer than 5% of Twitter's users.", "SUPPORTS")) \
        != "supported"
    flags = compare("The carmaker said eight million vehicles were fitted with the engine.",
                    "The carmaker said 11 million of its vehicles were fitted with the engine.")
    assert [(f.relation, f.evidence_value) for f in flags if f.kind == "number"] == [
        ("clashes", "11 million of its vehicles")]


def test_the_doer_stands_before_the_aside_that_describes_them():
    [clash] = [f for f in compare(
        "Council leader Nicholas Paget-Brown resigned on Wednesday.",
        "Nicholas Holgate, chief executive of Kensington and Chelsea council, resigned on Wednesday.")
        if f.kind == "actor"]
    assert (clash.claim_value, clash.evidence_value) == ("Nicholas Paget-Brown", "Nicholas Holgate")
    [clash] = [f for f in compare(
        "Chief executive Matthias Mueller told a U.S. House subcommittee on Thursday that it was not a decision.",
        "Michael Horn, the head of the carmaker's U.S. operations, told a House subcommittee on Thursday that it "
        "was not a decision.") if f.kind == "actor"]
    assert clash.evidence_value == "Michael Horn"


def test_a_deed_to_come_is_a_plan():
    # "is to step down" (and "stepped" is "step"); "a trial to be held"; the deed's object under a plan word.
    for claim, passage in [
        ("Dana Cole has stepped down as commissioner of the fire brigade.",
         "Fire brigade commissioner Dana Cole is to step down at the end of December."),
        ("Judge Amy Price held a five-day trial over the lawsuit.",
         "Judge Amy Price on Tuesday ordered a five-day trial to be held in October over the lawsuit."),
        ("A federal judge has approved the carmaker's final settlement with regulators.",
         "The carmaker reached an agreement in principle with regulators, a federal judge said. The judge said a "
         "final settlement is expected to be filed by June 21."),
    ]:
        assert any(f.kind == "modality" for f in compare(claim, passage)), claim
    # A sum the deed was done to is compared as a sum, not taken for a plan's object.
    assert not any(f.kind == "modality" for f in compare("The carmaker has earmarked 6.5 billion euros.",
                                                         "The carmaker said it would set aside 6.5 billion euros."))


def test_review_findings_on_plans_directions_bounds_and_titles():
    from verification.checks import named_in_title

    # "is to", "is set to", "is expected to" after the subject are plans, as "will" is.
    for passage in ("Tom Hale is to step down on Oct. 1, Northwind said.",
                    "Tom Hale is set to step down on Oct. 1, Northwind said.",
                    "Tom Hale is expected to step down on Oct. 1, Northwind said."):
        assert _verdict("Tom Hale has left Northwind.", (passage, "SUPPORTS")) != "supported", passage
    # "declined to comment" is no fall; a shared weekday is not what rose or fell.
    assert not any(f.kind == "negation" for f in compare(
        "Tesla shares rose 5 percent on Monday.",
        "Tesla shares gained 5 percent on Monday, while Ford shares fell on Monday."))
    assert not any(f.kind == "negation" for f in compare(
        "Apple raised iPhone prices in China.",
        "Apple put up iPhone prices in China; a spokesperson declined to comment on prices."))
    # A toll past the passage's lower bound may be an updated toll: no clash, and no agreement either. One below it
    # understates the passage's toll.
    flags = compare("The floods killed more than 1,000 people.", "The floods killed more than 100 people.")
    assert [f.relation for f in flags if f.kind == "number"] == ["missing"]
    flags = compare("The floods killed more than 100 people.", "The floods killed more than 1,000 people.")
    assert [f.relation for f in flags if f.kind == "number"] == ["clashes"]
    # A headline naming someone the claim does not leaves the speaker open.
    claim = "Trump said the economy added 15 million jobs."
    flags = named_in_title(compare(claim, "'Our economy added 15 million new jobs,' the president said."),
                           "Biden hits back at Trump over jobs record")
    assert roles.is_relevant(claim, "", flags) and not roles.names_subject(claim, flags)


def _found(claim: str, evidence: str, claim_written=None, evidence_written=None) -> set[tuple[str, str]]:
    return {(f.kind, f.relation) for f in compare(claim, evidence, claim_written, evidence_written)
            if f.kind != "entity"}


def test_a_weekday_in_the_claim_is_a_day_held_against_passages_written_after_it():
    from datetime import date

    claim = "The regulator fined the airline on Tuesday for the delays."
    told = "The regulator fined the airline on Thursday over months of delays."
    # Claim of Friday 2024-03-08: Tuesday is March 5; the passage of March 7 says Thursday, March 7.
    assert ("date", "clashes") in _found(claim, told, date(2024, 3, 8), date(2024, 3, 7))
    # A passage written before the claim's Tuesday cannot tell of it; and a shared weekday alone agrees on nothing.
    assert ("date", "clashes") not in _found(claim, told, date(2024, 3, 8), date(2024, 3, 4))
    assert ("date", "agrees") not in _found(claim, "The regulator fined the airline on Tuesday.",
                                            date(2024, 3, 8), date(2024, 3, 5))


def test_degrees_of_a_charge_are_ranks_of_the_same_thing():
    assert ("ordinal", "clashes") in _found("Prosecutors charged the driver with first-degree murder.",
                                            "Prosecutors charged the driver with second-degree murder and "
                                            "first-degree assault.")


@pytest.mark.parametrize("claim, evidence", [
    ("The city council approved the stadium deal.", "The stadium deal requires the approval of the city council."),
    ("Tariffs on steel have been lifted.", "The talks ended on Friday, clearing the way for the lifting of tariffs "
                                           "on steel."),
    ("The board approved the merger.", "The merger, pending approval by the board, would create a giant."),
])
def test_a_deed_still_awaited_is_a_plan(claim, evidence):
    assert ("modality", "differs") in _found(claim, evidence)


def test_cleared_of_a_charge_against_found_guilty_of_it():
    claim = "The jury cleared the mayor of bribery but convicted him of perjury."
    assert ("negation", "clashes") in _found(claim, "The jury found Mayor Hill guilty of perjury, fraud and "
                                                    "bribery on Monday.")
    # Acquitted of one charge and convicted of another: no clash with a passage that tells the conviction.
    assert not _found("He was acquitted of murder but convicted of manslaughter.",
                      "He was convicted of manslaughter on Friday.") & {("negation", "clashes")}


def test_no_more_than_is_a_ceiling():
    [cap] = quantities("Emissions must fall to no more than 40 percent of the 1990 level.")
    assert cap.qualifier == "less" and cap.text == "no more than 40 percent"
    claim = "The rules let the firm sell no more than 40 percent of its output abroad."
    assert _found(claim, "The rules let the firm sell 45 percent of its output abroad.") == {("number", "clashes")}
    assert _found(claim, "The rules let the firm sell 35 percent of its output abroad.") == {("number", "agrees")}


def test_a_correction_or_a_name_after_not_denies_nothing_the_claim_says():
    assert ("negation", "clashes") not in _found(
        "The ship carried 2,400 passengers, not the 3,000 first reported.",
        "The ship carried about 3,000 passengers, officials first reported.")
    assert ("negation", "clashes") not in _found(
        "Ada Lovelace and Charles Babbage shared the medal.",
        "The society said it had been unable to reach Babbage before the medal was announced.")


def test_the_doer_named_under_a_plan_is_a_plan_too():
    assert ("modality", "differs") in _found("Smith and Jones have won the chemistry prize.",
                                             "The committee will name the winners on Monday; Smith and Jones are "
                                             "seen as favourites.")


def test_a_denial_reaches_past_possessives():
    assert ("negation", "clashes") in _found("The minister testified in her own defence on Monday.",
                                             "The minister said she would not testify in her own defence.")


def test_words_quoted_from_someone_else_are_an_actor_clash():
    claim = "Harbour board chair Ines Varga called the vote 'the worst day in our ninety years on this coast'."
    passage = ("Port director Tomas Reyes said the vote was 'the worst day in our ninety years on this coast', while "
               "board chair Ines Varga said the board would 'look again at every option'.")
    assert ("actor", "clashes") in _found(claim, passage)
    assert _verdict(claim, (passage, "SUPPORTS")) == "conflicted"
    # The same words from the same person, or an attribution after the words, agree.
    assert ("actor", "clashes") not in _found(
        "Port director Tomas Reyes called the vote 'the worst day in our ninety years on this coast'.", passage)
    assert ("actor", "clashes") in _found(
        "Ines Varga hailed the result, saying: 'This is a proud day for the whole valley.'",
        "'This is a proud day for the whole valley,' mayor Tomas Reyes said in a statement, while Ines Varga "
        "called it 'a start'.")
    assert ("actor", "clashes") not in _found(
        "Tomas Reyes hailed the result, saying: 'This is a proud day for the whole valley.'",
        "'This is a proud day for the whole valley,' mayor Tomas Reyes said in a statement.")
    # A capitalised word opening the sentence is no speaker: "Here is the quote: ...".
    assert ("actor", "clashes") not in _found(
        "But Varga's 'worst day in our ninety years' has gone on for a decade.",
        "Here is the quote: 'It was the worst day in our ninety years, and we cannot say why.'")


def test_the_opening_day_is_the_first():
    assert ("ordinal", "clashes") in _found("Ines Varga spoke on the opening day of the Port Alma summit.",
                                            "Ines Varga spoke on Wednesday, the second day of the Port Alma summit.")
    assert ("ordinal", "agrees") in _found("Ines Varga spoke on the opening day of the Port Alma summit.",
                                           "Ines Varga spoke on Tuesday, the first day of the Port Alma summit.")
    # An opening ceremony or statement ranks nothing.
    assert not any(kind == "ordinal" for kind, _ in _found(
        "Ines Varga gave the opening statement at the summit.", "Ines Varga spoke on the second day of the summit."))


def test_words_reported_from_someone_else_are_an_actor_clash():
    # Reported speech, no quotation marks: what the claim's speaker says, the passage has another named speaker say.
    claim = ("Harbour board chair Ines Varga, who led the talks for a year, said the closure would cost the town "
             "its ferry link for a decade.")
    passage = ("Port director Tomas Reyes, who led the talks for a year, said the closure would cost the town its "
               "ferry link for a decade. Board chair Ines Varga said the board would meet again in May.")
    assert ("actor", "clashes") in _found(claim, passage)
    assert _verdict(claim, (passage, "SUPPORTS")) != "supported"
    assert ("actor", "clashes") in _found(
        "Mayor Tomas Reyes told reporters on Monday that the river would reach its crest by Thursday night.",
        "County engineer Lia Brandt said the river would reach its crest by Thursday night. Mayor Tomas Reyes "
        "asked residents to stay away from the embankment.")


def test_a_deed_told_as_the_means_of_another_has_the_same_doer():
    claim = "Lena Ortiz sealed the championship by winning the final stage to Port Alma."
    passage = "Marco Bellini won the final stage to Port Alma on Sunday as Lena Ortiz kept the leader's jersey."
    assert ("actor", "clashes") in _found(claim, passage)
    assert _verdict(claim, (passage, "SUPPORTS")) != "supported"
    # The claim's own doer does it.
    assert ("actor", "clashes") not in _found(
        claim, "Lena Ortiz won the final stage to Port Alma on Sunday, with Marco Bellini second.")
    # A means in another sentence belongs to that sentence's doer.
    assert ("actor", "clashes") not in _found(
        "Lena Ortiz sealed the championship. The team celebrated by singing in the square.",
        "Marco Bellini sang in the square after Lena Ortiz sealed the championship.")


def test_words_reported_from_the_same_speaker_or_about_other_things_agree():
    passage = ("Port director Tomas Reyes said the closure would cost the town its ferry link for a decade. "
               "Board chair Ines Varga said the board would meet again in May.")
    # The claim's own speaker says it.
    assert ("actor", "clashes") not in _found(
        "Port director Tomas Reyes said the closure would cost the town its ferry link for ten years.", passage)
    # Two people saying different things in one report: no clash.
    assert ("actor", "clashes") not in _found(
        "Ines Varga said the town would lose its ferry service for good.", passage)
    # The claim's speaker, quoted after their words.
    assert ("actor", "clashes") not in _found(
        "Ines Varga said the closure would cost the town its ferry link for a decade.",
        "The closure would cost the town its ferry link for a decade, board chair Ines Varga said. Reyes said the "
        "closure would cost the town its ferry link for a decade as well.")
    # A company speaking through its officer, where the passage leaves the company out.
    assert ("actor", "clashes") not in _found(
        "Brightwater Ferries said it would press ahead with plans to sell two ships and cut costs.",
        "Interim chief executive Tomas Reyes said the group would press ahead with plans to sell two ships and cut "
        "costs.")
    # A capital opening the sentence is no name: "Investigators said" names no speaker to hold against another.
    assert ("actor", "clashes") not in _found(
        "Investigators said the fire was started by a faulty heater in the engine room.",
        "Greek investigators said the fire was started by a faulty heater in the engine room.")
    # The claim's speaker named with the passage's ("Fiona Clegg, a spokeswoman for Aldermoor Airways, said"),
    # words passed on from the claim's speaker, a joint statement, a pronoun after a capital, a body and its member.
    words = "the airline would resume flights to Port Alma on the first of the month"
    for claim, passage in (
            (f"Aldermoor Airways said {words}.", f"Fiona Clegg, a spokeswoman for Aldermoor Airways, said {words}."),
            (f"Governor Ana Diaz said {words}.", f"Union leader Rui Sousa said he had been told that {words}."),
            (f"Ana Diaz said {words}.", f"Ana Diaz and Rui Sousa said {words}."),
            (f"Rui Sousa said {words}.", f"Afterwards he said {words}."),
            (f"Transport Minister Rui Sousa said {words}.", f"Dravian officials said {words}.")):
        assert ("actor", "clashes") not in _found(claim, passage), passage
    # A name after a preposition is where they are, not who speaks.
    assert ("actor", "clashes") not in _found(
        "Ines Varga said the closure would cost the town its ferry link for a decade.",
        "Officials in Brightwater said the closure would cost the town its ferry link for a decade.")


def test_a_title_given_to_someone_else_needs_review_never_supports():
    claim = "Lena Ortiz was named Federation Coach of the Year at the awards in Lyon."
    passage = "Marco Bellini was named Federation Coach of the Year at the awards in Lyon on Sunday."
    assert ("actor", "differs") in _found(claim, passage)
    assert _verdict(claim, (passage, "SUPPORTS")) == "needs review"
    # An earlier holder ("a former ...", "X as ...") differs too; the claim's own holder agrees.
    assert ("actor", "differs") in _found("Ana Diaz had served as finance minister before the election.",
                                          "He named Rui Sousa as finance minister on Monday.")
    assert ("actor", "differs") not in _found(claim, "Lena Ortiz was named Federation Coach of the Year in Lyon.")
    # The one replaced is not the holder: "Hunt replaced Kwarteng as chancellor" gives Hunt the title.
    assert ("actor", "differs") not in _found("Ana Diaz was named finance minister on Friday.",
                                              "Ana Diaz replaced Rui Sousa as finance minister on Friday.")


def test_what_was_asked_for_or_opened_the_door_to_is_not_done():
    assert ("modality", "differs") in _found(
        "The regulator has granted emergency approval for the new vaccine.",
        "The makers on Friday asked the national medicines regulator for emergency approval of the vaccine.")
    assert ("modality", "differs") in _found(
        "The watchdog gave final approval to the merger on Friday.",
        "The watchdog said on Friday that the revised merger 'opens the door' to approval.")
    assert ("modality", "differs") in _found("The probe has ended its mission.",
                                             "The probe is due to end its mission on Friday.")


def test_a_deed_after_an_organisation_is_no_role_and_a_co_actor_is_asked_for():
    claim = "The Trade Council cleared the merger of Alto and Brisk without conditions."
    # "The Trade Council cleared ...": the council is the subject, not a description of Alto.
    assert _verdict(claim, ("Regulators sued to block the merger of Alto and Brisk.", "SUPPORTS")) != "supported"
    joint = "Agency chief Mara Holt announced the accord alongside Ivo Petrov in Geneva."
    assert _verdict(joint, ("Agency chief Mara Holt announced the accord in Geneva on Sunday.", "SUPPORTS")) != \
        "supported"
    # The person is the subject, not the organisation that gives their role.
    assert _verdict("Agency chief Mara Holt announced the accord in Geneva.",
                    ("Agency chief Dan Roe announced the accord in Geneva on Sunday.", "SUPPORTS")) != "supported"


def test_of_several_figures_in_one_unit_the_words_around_them_say_which_is_the_claims():
    claim = "The survey said the tremor was centred about 8 kilometres north-east of Valmont."
    passage = ("The tremor was centred about 20 km north-east of the town at a depth of about 8 km, the survey said.")
    assert ("number", "clashes") in _found(claim, passage)
    assert ("number", "agrees") in _found(
        "The survey said the tremor was centred about 20 kilometres north-east of Valmont.", passage)
    # Each figure's words stop at its neighbour's: "by about 40% and 150%, respectively, since ..." gives the
    # second figure no claim to the first one's words.
    assert ("number", "clashes") not in _found(
        "Nitrogen has increased 43 percent above the pre-industrial level.",
        "Nitrogen and argon had increased by about 45% and 150%, respectively, since pre-industrial times.")


def test_the_losers_figure_given_to_the_winner_clashes():
    passage = ("Ana Diaz was elected mayor of Valmont on Sunday, defeating the incumbent Rui Sousa by 12,480 votes to "
               "9,915 in a run-off.")
    assert ("number", "clashes") in _found("Ana Diaz won 9,915 votes to defeat Rui Sousa in the run-off.", passage)
    assert ("number", "agrees") in _found("Ana Diaz won 12,480 votes to defeat Rui Sousa.", passage)
    # The second figure is the loser's.
    found = _found("Rui Sousa won 9,915 votes but lost the run-off.", passage)
    assert ("number", "agrees") in found and ("number", "clashes") not in found


def test_a_figure_in_another_unit_or_scale_with_the_same_digits_clashes():
    # "about 40 metres" against "about 40 cm": the same digits, the wrong unit, however far apart the lengths are.
    assert ("number", "clashes") in _found("The drone rose about 40 metres before landing again.",
                                           "The drone rose about 40 cm before landing 30 cm away.")
    assert ("number", "clashes") in _found("The port paid $25 billion for the terminal.",
                                           "The port paid $25 million for the terminal.")
    # Lengths far apart with other digits are other things (a mirror is no orbit); one digit alike is no swap.
    assert ("number", "clashes") not in _found("The mirror is 6.5 metres wide.",
                                               "The telescope orbits 1.5 million km from Earth.")
    assert ("number", "clashes") not in _found("The rover drove 2 km on Monday.", "The rover drove 2 m on Monday.")


def test_an_attempt_a_forecast_or_a_search_is_not_the_deed():
    assert ("modality", "differs") in _found(
        "Engineers said they had re-established contact with the buoy.",
        "Engineers said they had heard nothing from the buoy since they began trying to re-establish contact.")
    assert ("modality", "differs") in _found(
        "The festival pumped 80 million euros into the region's economy, the tourist board said.",
        "The tourist board has projected that the festival will generate about 80 million euros for the region.")
    assert ("modality", "differs") in _found(
        "The probe also detected nitrogen near the crater.",
        "The probe also detected iron and silicon near the crater, and a search for nitrogen is under way.")
    assert ("modality", "differs") not in _found("The probe also detected nitrogen near the crater.",
                                                 "The probe detected nitrogen near the crater on Tuesday.")


def test_a_named_thing_set_up_only_in_a_manifesto_is_a_plan():
    # The named object of the deed ("established Northern Rail Fund") stands under "would": a pledge, not a deed.
    assert ("modality", "differs") in _found(
        "The new government has established Northern Rail Fund, a public investment bank based in Leeds.",
        "A Labour government would set up Northern Rail Fund, a public investment bank based in Leeds, the "
        "manifesto said.")
    # "and" between two names joins them: the plan clause is "Delta Mining and Orion Metals will consider ...".
    assert ("modality", "differs") in _found(
        "Orion Metals has since added a listing of its shares in Toronto.",
        "The choice of New York was a blow for the Toronto exchange. Delta Mining and Orion Metals have said they "
        "will consider a listing of the shares in Toronto later.")


def test_keeping_a_seat_is_no_losing_it():
    assert ("negation", "clashes") in _found("Former minister Ana Diaz narrowly held on to her Riverside seat.",
                                             "Former minister Ana Diaz lost her Riverside seat by 630 votes.")
    assert ("negation", "clashes") not in _found("Former minister Ana Diaz lost her Riverside seat.",
                                                 "Former minister Ana Diaz lost her Riverside seat by 630 votes.")
    # Someone else's loss, or no one's ("stocks lost ground"), says nothing of the seat kept.
    assert ("negation", "clashes") not in _found("Ana Diaz narrowly held on to her Riverside seat.",
                                                 "Tom Brown lost his Riverside seat by 630 votes.")


def test_a_verdict_on_some_charges_is_no_clash_with_the_rest():
    # The claim tells both: guilty on two charges, acquitted of the gravest. "charges" alone says nothing of which.
    assert ("negation", "clashes") not in _found(
        "Jurors found Varga guilty on two of the five charges but acquitted him of the most serious counts.",
        "He was acquitted of the two counts of aggravated fraud, the most serious charges, and of conspiracy.")
    # Cleared of one charge the passage convicts on: a clash.
    assert ("negation", "clashes") in _found(
        "The court cleared the captain of abandoning ship but convicted him of manslaughter.",
        "The court found the captain guilty of manslaughter, causing a shipwreck and abandoning his ship.")


def test_a_denial_in_an_aside_or_a_word_opening_a_figure_is_not_what_the_claim_asserts():
    assert ("negation", "clashes") not in _found(
        "Ivo Marsh, who had said he did not regret the decision, resigned the next day, citing his health.",
        "Marsh resigned on Thursday, citing health reasons, a day after his comments drew criticism.")
    # "failing to" denies as "failed to" does: no clash between the two.
    assert ("negation", "clashes") not in _found(
        "The county sued the utility, accusing it of failing to cut power despite the warnings.",
        "The county sued the utility, alleging it failed to shut off power lines despite the warnings.")
    # "More than ... watched" names no one: no actor to clash with whoever watched in the passage.
    assert ("actor", "clashes") not in _found("More than 120 million people watched the final on television.",
                                              "Lena Ortiz watched from a private box with her family.")


def test_a_figure_owned_by_another_rank_or_another_person_clashes():
    assert ("ordinal", "clashes") in _found(
        "The lander's second bounce lasted nearly two hours.",
        "Its first bounce lasted nearly two hours, while the second lasted about seven minutes.")
    assert ("actor", "clashes") in _found(
        "Rovers striker Tom Adebayo scored a 40-yard free kick, the longest of the season.",
        "United midfielder Sam Keller scored a 40-yard free kick, the longest of the season, after Tom Adebayo "
        "had hit the post.")
    # The claim names both people: the figure is the passage's owner's, and the claim says so.
    assert ("actor", "clashes") not in _found(
        "Sam Keller, who joined from Rovers, scored a 40-yard free kick.",
        "Rovers old boy Sam Keller scored a 40-yard free kick for United.")


def test_ranks_told_in_other_words_are_compared():
    assert ("ordinal", "clashes") in _found(
        "Saturday's win gave Portugal their third Nations Cup title.",
        "Portugal won the Nations Cup for the second time on Saturday, beating Spain 2-1.")
    assert ("ordinal", "clashes") in _found(
        "Ruth Ames, the second board member to resign over the deal, called it reckless.",
        "Professor Ruth Ames became the third member of the oversight board to resign over the deal.")
    assert ("ordinal", "agrees") in _found(
        "Ruth Ames, the third board member to resign over the deal, called it reckless.",
        "Professor Ruth Ames became the third member of the oversight board to resign over the deal.")


def test_a_quotation_only_supports_where_the_passage_has_the_words():
    from verification.checks import quotes_told

    claim = 'Mayor Ana Ruiz pleaded for help, saying "We are running out of water here."'
    assert not quotes_told(claim, "Mayor Ana Ruiz said on Saturday the federal response was improving.")
    assert quotes_told(claim, 'Mayor Ana Ruiz pleaded for help: "We are running out of water here," she said.')
    assert _verdict(claim, ("Mayor Ana Ruiz said on Saturday that federal help was improving and pleaded for more.",
                            "SUPPORTS")) != "supported"


def test_the_first_actor_and_an_agreeing_figure_make_a_passage_about_the_claim():
    claim = "Ortiz's Green Party won 211 of the 400 seats in the National Assembly, ending 12 years of Liberal rule."
    passage = "Lena Ortiz became prime minister after the Greens won 211 of the 400 seats in parliament."
    assert roles.is_relevant(claim, passage, compare(claim, passage))


def test_a_figure_the_passage_gives_to_an_earlier_period_clashes():
    assert ("number", "clashes") in _found("The final drew 98,000 spectators.",
                                           "Last year's final drew 98,000 spectators; this one drew fewer.")
    assert ("number", "clashes") not in _found("The final drew 98,000 spectators.",
                                               "The final drew 98,000 spectators, a record.")
    # A claim that names a period of its own may mean the earlier one; "a year earlier" in another clause is not
    # the claim's figure's.
    assert ("number", "clashes") not in _found("Last year the final drew 98,000 spectators.",
                                               "Last year's final drew 98,000 spectators; this one drew fewer.")
    assert ("number", "clashes") not in _found("Sales rose 12% to $4.1 billion.",
                                               "Sales rose 12% to $4.1 billion, up from $3.7 billion a year earlier.")


@pytest.mark.parametrize("claim, passage", [
    # Words that are as often nouns are plan words only before "to" or "that".
    ("The fund raised its global growth forecast to 3.2%.", "The fund's global growth forecast was raised to 3.2%."),
    ("Leinster beat Toulouse 32-19, scoring four tries.", "Leinster scored four tries and beat Toulouse 32-19."),
    ("The storm surge flooded the coastal town.", "The predicted storm surge flooded the coastal town overnight."),
    # A search that ended in the deed is the deed.
    ("Astronomers discovered a new moon orbiting Saturn.",
     "Astronomers searching for moons around Saturn discovered a new one orbiting the planet."),
    # Kept against another person's loss, or another thing lost.
    ("Jane Smith retained her seat in the election.",
     "Jane Smith won re-election to her seat, while her colleague Tom Brown lost his seat in the election."),
    ("Ana Diaz retained her Riverside title on Sunday.",
     "Ana Diaz defended her Riverside title on Sunday. Mia Holt lost the title match in four sets."),
    # The judge who passed the sentence owns no figure; an earlier win ranked "for the first time" is another rank.
    ("Tomas Reyes was jailed for 25 years.", "Tomas Reyes was sentenced by Judge Ines Varga to 25 years in prison."),
    ("Lena Ortiz won her eighth Golden Racquet on Monday.",
     "Lena Ortiz collected the Golden Racquet in Paris on Monday, 14 years after she won it for the first time."),
    # A company's chief does its deeds; an age is no duration.
    ("Orion unveiled the new handset on Tuesday.", "Orion's chief executive, Tim Hale, unveiled the new handset on "
                                                   "Tuesday."),
    ("The hostages were held for 15 days before being freed.",
     "The hostages, including a 15-year-old girl, were freed after more than two weeks in captivity."),
    # A quotation told in nearly the same words.
    ('The mayor called the attack "an act of pure evil" on Sunday.',
     'The mayor said on Sunday the attack was "an act of sheer evil".'),
])
def test_new_rules_leave_true_supports_alone(claim, passage):
    assert roles.role(claim, passage, compare(claim, passage), "SUPPORTS", 0.9) == roles.SUPPORT


def test_a_shared_figure_does_not_make_a_passage_about_other_places_support():
    claim = "Russia launched 40 drones at Kyiv overnight, Ukraine's air force said."
    passage = "Russia launched 40 drones at Odesa overnight, Moldova's government said."
    assert roles.role(claim, passage, compare(claim, passage), "SUPPORTS", 0.9) != roles.SUPPORT


def test_a_date_told_with_last_year_is_in_that_year_however_far_back():
    from datetime import date

    claim = "The storm that hit the coast on Oct. 12 last year flooded 300 homes."
    found = compare(claim, "A storm hit the coast on Oct. 11, flooding 300 homes.", date(2024, 6, 3),
                    date(2023, 10, 11))
    assert ("date", "clashes") in {(f.kind, f.relation) for f in found}
    agreeing = compare(claim, "A storm hit the coast on Oct. 12, flooding 300 homes.", date(2024, 6, 3),
                       date(2023, 10, 12))
    assert ("date", "agrees") in {(f.kind, f.relation) for f in agreeing}
    assert dates("on March 3 this year")[0].years_from_written == 0
    assert dates("on March 3")[0].years_from_written is None


def test_a_deed_owned_by_another_person_in_the_passage_is_an_actor_clash():
    claim = "Carla Mendes's late penalty won the match for Porto."
    passage = "Ines Rocha's late penalty gave Porto the win and Carla Mendes added a second goal in stoppage time."
    found = compare(claim, passage)
    assert any(f.kind == "actor" and f.relation == "clashes" and f.evidence_value == "Ines Rocha" for f in found)
    assert roles.role(claim, passage, found, "SUPPORTS", 0.9) != roles.SUPPORT
    # The claim's person owns the same thing in the passage: no clash, whoever else owns something else.
    same = "Carla Mendes's late penalty gave Porto the win, after Ines Rocha's header was ruled out."
    assert not any(f.kind == "actor" and f.relation == "clashes" for f in compare(claim, same))


@pytest.mark.parametrize("claim, plan, done", [
    ("The prime minister has received the champions at Rideau Hall after their title win.",
     "The prime minister congratulated the team and said she would welcome the players to Rideau Hall.",
     "The prime minister congratulated the team and welcomed the players to Rideau Hall on Monday."),
    # A plan told as past ("days after saying she would go") was the prelude to a deed told in other words.
    ("Iva Loren arrived in Port Amal on Thursday.",
     "Iva Loren reached the border on Thursday and said she would go to Port Amal next week.",
     "Iva Loren reached the besieged city on Thursday, days after saying she would go to Port Amal herself."),
])
def test_a_deed_whose_place_the_passage_names_only_under_a_plan_is_a_plan(claim, plan, done):
    assert roles.role(claim, plan, compare(claim, plan), "SUPPORTS", 0.9) == roles.PLAN
    assert roles.role(claim, done, compare(claim, done), "SUPPORTS", 0.9) == roles.SUPPORT


@pytest.mark.parametrize("text, points", [
    ("raised rates by a three-quarter-point", 0.75), ("a half-point increase", 0.5), ("a quarter-point cut", 0.25),
    ("by three-quarters of a percentage point", 0.75), ("by half a point", 0.5), ("a 75-basis-point rise", 0.75),
])
def test_shares_of_a_point_are_percentage_points(text, points):
    assert [(q.value, q.dimension) for q in quantities(text)] == [(points, "points")]


def test_fractions_of_a_point_compare_with_basis_points_and_leave_other_halves_alone():
    assert ("number", "agrees") in _found("The bank raised rates by a three-quarter-point.",
                                          "The bank raised rates by 75 basis points.")
    assert ("number", "clashes") in _found("The bank raised rates by a half-point.",
                                           "The bank raised rates by 75 basis points.")
    assert quantities("half the town was flooded") == () and quantities("a three-point shot") == ()


def test_a_whole_and_a_half_is_read_whole_and_a_single_digit_misscaled_clashes():
    assert [q.value for q in quantities("It took four and a half hours.")] == [4.5 * 3600]
    assert ("number", "clashes") in _found("The probe is 3 million miles from Earth.",
                                           "The probe is 3 billion miles from Earth.")
    assert ("number", "clashes") not in _found("The firm has 3 million customers.",
                                               "The firm, which has 3 million customers, raised 3 billion dollars.")


def test_held_on_in_a_seat_clashes_with_losing_it_named_earlier_in_the_sentence():
    claim = "Veteran MP Ruth Vale held on in Northmoor, the seat she has represented for 30 years."
    lost = "The party captured seats including Eastfield and Northmoor, where Ruth Vale lost the seat she had held."
    assert ("negation", "clashes") in _found(claim, lost)
    kept = "Tom Ash lost his seat in Eastfield, while Ruth Vale held on in Northmoor, the seat she has represented."
    assert ("negation", "clashes") not in _found(claim, kept)


def test_a_passage_published_before_the_claims_day_cannot_support_it():
    from datetime import date

    from verification.checks import dated_after
    from verification.stance import StanceJudge

    claim = "Governor Ana Ruiz vetoed the budget bill on Wednesday, saying it spent too much."
    thursday, march, same_day = date(2024, 6, 13), date(2024, 3, 14), date(2024, 6, 12)
    assert dated_after(claim, thursday, march) is not None and dated_after(claim, thursday, same_day) is None
    # A day that dates something else ("withdrew from Sunday's final", "before the March 4 vote") is left alone, as
    # is a claim of what is to come, or one that dates nothing.
    assert dated_after("Ana Ruiz withdrew from Wednesday's budget vote.", thursday, march) is None
    assert dated_after("Before the June 12 vote, Ana Ruiz vetoed the bill.", thursday, march) is None
    assert dated_after("Ana Ruiz will sign the bill on June 20.", thursday, march) is None
    assert dated_after("Ana Ruiz vetoed the budget bill.", thursday, march) is None

    passage = "Governor Ana Ruiz vetoed the budget bill, saying it spent too much."
    judge = StanceJudge(_Agrees())
    before, after = judge.judge([(claim, passage)] * 2, [(thursday, march), (thursday, same_day)])
    assert before.role == roles.RELATED and after.role == roles.SUPPORT
    said = [f.describe() for f in before.flags if f.relation == "earlier"]
    assert said == ["published 2024-03-14, before the claim's Wednesday [2024-06-12]: it cannot report it"]
    evidence = Evidence(Passage("p1", "d1", passage, 0, len(passage), source="Wire", date=march), 1.0, 1)
    verdict = decide([evidence], [before], published=thursday, claim=claim)
    assert verdict.label == "no evidence" and "published before the claim's Wednesday [2024-06-12]" in verdict.reason


def test_a_first_time_is_what_had_never_happened_before():
    from datetime import date

    sunday, saturday = date(2025, 4, 13), date(2025, 4, 12)
    claim = "Two shots behind Ana Ruiz, Mara Quinn won a title from behind after 54 holes for the first time."
    never = "Mara Quinn has never won a title without holding a share of the lead after 54 holes."
    assert ("negation", "clashes") not in _found(claim, never, sunday, saturday)
    assert ("negation", "clashes") in _found("Two shots behind Ana Ruiz, Mara Quinn won a title after 54 holes.", never,
                                             sunday, saturday)
    # "Never" written on the day, or against a first time "since 2019", is a denial.
    assert ("negation", "clashes") in _found(claim, never, sunday, sunday)
    since = "Mara Quinn won the Varna title for the first time since 2019."
    assert ("negation", "clashes") in _found(since, "Mara Quinn has never won the Varna title.", sunday, saturday)


def test_a_rank_given_to_another_person_is_theirs():
    claim = "The nine years between Dan Oyelaran's second and third titles are a record for the event."
    passage = ("Oyelaran is the oldest champion after Peter Lindqvist, who won his fourth title at 44. The nine years "
               "between Dan Oyelaran's second and third wins are a record.")
    assert ("ordinal", "clashes") not in _found(claim, passage)
    # A rank given to the claim's own person still clashes.
    assert ("ordinal", "clashes") in _found(claim, "Dan Oyelaran, who won his fourth title at 44, is a record holder.")


@pytest.mark.parametrize("claim, passage", [
    # A possession later in the passage's sentence is a detail, not whose deed the sentence tells.
    ("Ravi Desai's campaign raised $2 million in the first quarter.",
     "Ravi Desai raised $2 million in the first quarter, outpacing Mark Lunde's campaign."),
    ("Nadia Cole's coach, Lars Hovde, praised her on Sunday.",
     "Lars Hovde praised Nadia Cole on Sunday, while Mia Rowe's coach criticised the judges."),
    # "last year's champion" is no year for the date before it.
    ("On June 14, last year's champion Tomas Reyl crashed out of the Varna Open.",
     "Tomas Reyl crashed out of the Varna Open on June 14."),
    # Re-elected with a smaller majority is no seat lost.
    ("Joan Harte held on in Redwick with a reduced majority.",
     "Joan Harte lost much of her majority but was re-elected in Redwick."),
])
def test_reviewed_rules_leave_true_supports_alone(claim, passage):
    from datetime import date

    flags = compare(claim, passage, date(2025, 6, 16), date(2025, 6, 14))
    assert roles.role(claim, passage, flags, "SUPPORTS", 0.9) == roles.SUPPORT


@pytest.mark.parametrize("claim, passage", [
    ("Nadia Cole won her third world title on Sunday.", "Nadia Cole beat Mia Rowe to win her fourth world title."),
    ("Kai Moss won his third Arden Marathon.", "Kai Moss, trained by Ben Aldo, won his second Arden Marathon."),
    ("Joan Harte held on in Redwick.", "In Redwick, Joan Harte lost the seat to the Reform candidate."),
])
def test_reviewed_rules_still_catch_the_clash(claim, passage):
    assert roles.role(claim, passage, compare(claim, passage), "SUPPORTS", 0.9) == roles.CONFLICT


def test_one_and_a_half_points_is_no_half_point():
    assert ("number", "clashes") not in _found("The bank raised rates by 1.5 percentage points on Thursday.",
                                               "The bank announced a one-and-a-half-point rise on Thursday.")
    assert [q.value for q in quantities("It took four-and-a-half hours.")] == [4.5 * 3600]


def _dated(claim: str, evidence: str, written: date, published: date, relation: str = "clashes") -> set:
    return {(f.kind, f.claim_value, f.evidence_value)
            for f in compare(claim, evidence, written, published) if f.relation == relation}


def test_dates_told_from_the_day_of_writing_clash_with_the_deeds_day():
    # "Last week", in a report of Tuesday 27 September, is 19-25 September: a vote on the 13th is not in it.
    assert ("date", "last week [2022-09-19 to 2022-09-25]", "Tuesday [2022-09-13]") in _dated(
        "Harbour Trust shareholders voted last week to approve the sale.",
        "Harbour Trust shareholders voted on Tuesday to approve the sale to Calder Group.",
        date(2022, 9, 27), date(2022, 9, 13))
    # "In March", of a deed done, in a report of October, is March of that year, not an undated month.
    assert ("date", "March [2022]", "Monday [2022-04-04]") in _dated(
        "Vance, who first revealed a stake in Harbour Trust in March, completed the takeover on Thursday.",
        "Ola Vance has disclosed a 9 percent stake in Harbour Trust, a filing showed on Monday.",
        date(2022, 10, 29), date(2022, 4, 4))
    # "Last month" agrees with nothing by itself: it is inferred, so it only clashes.
    assert not _dated("The charge the bank announced last month was its first.",
                      "The bank said on Thursday it would charge banks for deposits.",
                      date(2015, 1, 15), date(2014, 12, 18))


def test_a_date_told_from_the_day_of_writing_is_held_only_against_its_own_deed():
    # "Late last month" dates the Senate vote, not the signing the passage dates.
    assert not _dated("The law Ruiz signed on Tuesday had cleared the Senate on a 61-36 vote late last month.",
                      "Ruiz on Tuesday signed the Harbour Act into law. The Senate passed the bill 61-36 on "
                      "November 29.", date(2022, 12, 14), date(2022, 12, 13))
    # "Cited last year" is not dated by a passage's Monday that dates the telling.
    assert not _dated("Prosecutors say the knee stayed for nine minutes, not the eight minutes cited last year.",
                      "A prosecutor told jurors on Monday that the knee stayed for 9 minutes, longer than the 8 "
                      "minutes first cited by prosecutors.", date(2021, 3, 30), date(2021, 3, 29))


def test_a_first_ever_is_not_a_first_since():
    assert ("ordinal", "first in the central bank's history",
            "first negative interest rate it has imposed since the 1970s") in found(
        "The negative deposit rate the bank announced was the first in the central bank's history.",
        "The bank said it would charge 0.25 percent, the first negative interest rate it has imposed since the 1970s.",
        "clashes")
    # Another thing's first since: "its first lunar mission since 1976" ranks missions, not landings.
    assert not found("The mission touched down, the first ever landing near the Moon's south pole.",
                     "Varna launched its lander on Friday, its first lunar mission since 1976.", "clashes")


def test_a_superlative_told_with_another_still_ranks_first():
    assert ("ordinal", "second-largest science", "largest and most powerful science") in found(
        "Vega, the second-largest science telescope ever launched, carries a gold mirror.",
        "The Vega telescope, the largest and most powerful science telescope ever launched, took a month to arrive.",
        "clashes")


def test_a_deed_done_to_anothers_thing_is_an_actor_clash():
    assert ("actor", "Tomas Bell", "Kai Dunn") in found(
        "Rui Ortiz saved Tomas Bell's penalty in the shootout.",
        "Rui Ortiz saved Kai Dunn's attempt and Tomas Bell shot wide in the shootout.", "clashes")
    assert not {f for f in found("Rui Ortiz saved Tomas Bell's penalty in the shootout.",
                                 "Rui Ortiz saved Tomas Bell's attempt in the shootout.", "clashes") if f[0] == "actor"}


def test_an_acronym_is_found_spelled_out_and_the_reverse():
    assert ("entity", "ECB", "European Central Bank") in found("The ECB raised rates.",
                                                                "The European Central Bank raised rates.", "agrees")
    assert ("entity", "FDA", "Food and Drug Administration") in found(
        "The FDA approved the drug.", "The U.S. Food and Drug Administration approved the drug.", "agrees")
    assert ("entity", "National Transportation Safety Board", "NTSB") in found(
        "The National Transportation Safety Board opened an inquiry.", "The NTSB opened an inquiry.", "agrees")
    # Two letters match too much to be read as initials.
    assert ("entity", "NY", "") in found("NY passed the law.", "New York passed the law.", "missing")


def test_a_names_number_is_no_count_and_a_duration_in_parts_is_one():
    assert not quantities("The probe flew on an Ariane 5 rocket from Kourou.")
    assert not quantities("Russia launched its Luna-25 lander.")
    assert [q.text for q in quantities("About 50 people died.")] == ["About 50 people"]
    assert [q.value for q in quantities("from 11 hours 55 minutes to 11 hours 23 minutes")] == [42900.0, 40980.0]
    # The part alone no longer agrees with another figure's part.
    assert ("number", "23 minutes", "11 hours 23 minutes") not in found(
        "The impact cut the orbit by 23 minutes.",
        "The impact shortened the orbit by 32 minutes, from 11 hours 55 minutes to 11 hours 23 minutes.", "agrees")


def test_a_figure_told_as_fact_is_no_plan_because_the_subject_plans_something_else():
    claim = "Varna Chips' sales slipped 1 percent to $2.68 billion in the year to March, according to its filing."
    passage = ("The company's revenue fell about 1% to $2.68 billion in the year to March. Varna Chips plans to trade "
               "under the ticker VRN.")
    assert _pair(claim, passage)[1].role == roles.SUPPORT


def test_a_later_report_that_agrees_on_the_figures_tells_how_a_plan_came_out():
    claim = "Varna Chips sold its shares at $51 apiece, netting Calder close to $5 billion."
    plan = _pair(claim, "Varna Chips is seeking a price range of $47 to $51 per share for the shares Calder is "
                        "offering.")
    done = _pair(claim, "Varna Chips priced its offering at $51 per share on Wednesday, raising $4.87 billion for "
                        "Calder.")
    assert plan[1].role == roles.PLAN and done[1].role == roles.SUPPORT

    def on(pair, day):
        evidence, stance = pair
        return replace(evidence, passage=replace(evidence.passage, date=day)), stance

    later = [on(plan, date(2023, 9, 5)), on(done, date(2023, 9, 13))]
    assert decide([e for e, _ in later], [s for _, s in later], 0.4, 0.1, claim=claim).label == "supported"
    # Told before the plan, the same passage cannot say how the plan came out.
    earlier = [on(plan, date(2023, 9, 5)), on(done, date(2023, 9, 1))]
    assert decide([e for e, _ in earlier], [s for _, s in earlier], 0.4, 0.1, claim=claim).label != "supported"


def test_a_denial_is_not_cancelled_by_the_passages_denial_of_something_else():
    # "did not represent a decision" denies nothing the claim names: "declined to confirm" still clashes.
    assert ("negation", "declined to", "") in found(
        "Chief Justice Ana Ruiz declined to confirm whether the leaked draft was genuine.",
        "Chief Justice Ana Ruiz confirmed that the leaked draft was genuine, but said it did not represent a decision.",
        "clashes")
    assert ("negation", "stopped short of", "") in found(
        "The agency stopped short of recommending wide use of the vaccine.",
        "The agency on Wednesday recommended wide use of the vaccine in children.", "clashes")
    # A failure in the passage, in other words, is the same denial: "unable to reach a consensus", "failed to agree".
    assert not {f for f in found("The director issued the order after his panel failed to agree.",
                                 "The director said the panel had been unable to reach a consensus, so he issued the "
                                 "order himself.", "clashes") if f[0] == "negation"}


def test_an_opening_participle_is_no_actor():
    # "Writing for the majority" opens both: the claim's actor is the justice the passage does not name.
    claim = "Writing for the majority, Justice Ana Ruiz said the charter makes no mention of the tax."
    passage = "Writing for the majority, Justice Tomas Bell said the charter makes no reference to the tax."
    assert _pair(claim, passage)[1].role != roles.SUPPORT


def test_a_plan_word_is_no_deed_of_the_claim():
    from verification.checks import tells_deed

    assert not tells_deed("The vaccine is expected to cost between $20 and $40 a dose.")
    assert tells_deed("The agency recommended the vaccine, which is expected to cost $20 a dose.")


def test_the_first_to_do_it_is_not_the_last():
    assert ("ordinal", "the first major economy to abandon", "the last central bank in the world to leave") in found(
        "By ending negative rates, Japan became the first major economy to abandon the policy.",
        "The decision makes Japan the last central bank in the world to leave them behind.", "clashes")
    assert not found("Japan became the first country to ban it.", "The last time Japan tried to ban it was in 1990.",
                     "clashes")


# Invented pairs from a review of the rules of 2026-12-03: the first list are true supports (no hard clash, no
# conflicting role) that those rules first misread; the second, clashes they missed or read as another kind.
REVIEWED_O_SUPPORTS = [
    ('Vance disclosed a stake in Calder last week.',
     'Vance disclosed a 6 percent stake in Calder last week, the company confirmed on Monday.',
     date(2023, 10, 11), date(2023, 10, 9)),
    ('Calder cut 300 jobs last week.',
     'Calder revealed on Monday that it had cut 300 jobs at its Dorn plant.',
     date(2023, 10, 18), date(2023, 10, 16)),
    ('Calder cut 300 jobs last month.',
     'Ruiz tweeted on Monday that Calder had cut 300 jobs at the Dorn plant.',
     date(2023, 11, 8), date(2023, 11, 6)),
    ('Calder, which won the league trophy last year, beat Dorn on Sunday.',
     'Calder beat Dorn 2-1 on Sunday to retain the league trophy.',
     date(2023, 6, 14), date(2023, 6, 11)),
    ("Calder's shares fell 40 percent over the last year.",
     "Calder's shares fell 40 percent in the 12 months to May 2023.",
     date(2023, 6, 9), date(2023, 6, 8)),
    ('Calder shares gained 12 percent in the last month.',
     'Calder shares gained 12 percent in the four weeks to March 17.',
     date(2023, 3, 20), date(2023, 3, 17)),
    ('Calder announced that its new Dorn plant opens in March.',
     "Calder's new Dorn plant opens on March 4, 2024, the company announced.",
     date(2023, 10, 25), date(2023, 10, 24)),
    ('Calder cut its main rate on Sept. 28.',
     'Calder cut its main rate last week and may cut it again later this month.',
     date(2023, 10, 30), date(2023, 10, 2)),
    ('Calder bought Dorn Foods on May 2, 2023.',
     'Calder, which bought a small stake in Dorn Foods last year, completed the takeover on Tuesday.',
     date(2023, 5, 10), date(2023, 5, 3)),
    ('Calder posted a loss last month, its first since listing.',
     'Calder disclosed on Wednesday that it had posted a quarterly loss, its first since listing.',
     date(2023, 11, 8), date(2023, 11, 1)),
    ('Calder said earlier this year that it had sold its Dorn unit in 2021.',
     'Calder sold its Dorn unit in 2021 for $3 billion.',
     date(2023, 11, 20), date(2023, 5, 2)),
    ("Calder's first-ever female chief executive took office on Monday.",
     'Ana Ruiz took office at Calder on Monday, the first chief executive hired from outside the company since 1987.',
     None, None),
    ("Rui Ortiz saved Tomas Bell's penalty in the shootout.",
     "Rui Ortiz saved Tomas Bell's penalty, and earlier Kai Dunn saved Leo Park's shot.",
     None, None),
    ("Police arrested Dorn's deputy mayor on Friday.",
     "Police arrested Dorn's deputy mayor on Friday, a week after they arrested Calder's finance chief.",
     None, None),
]
REVIEWED_O_CLASHES = [
    ('ordinal', 'Calder won its first-ever league title on Sunday.',
     'Calder won the league title on Sunday for the first time since 1986.',
     None, None),
    ('ordinal', 'Lind, the first woman ever to lead Calder, won the vote on Tuesday.',
     "Lind, who won Tuesday's vote, is the first woman to lead Calder since the 1950s.",
     None, None),
    ('ordinal', 'Dorn held its first-ever presidential debate on Monday.',
     "Monday's presidential debate was Dorn's first since the 1990s.",
     None, None),
    ('ordinal', "Calder's first-ever strike shut its plants on Monday.",
     'The strike, the first at Calder since the 1980s, shut its plants on Monday.',
     None, None),
    ('ordinal', 'Calder reported its first-ever quarterly loss on Thursday.',
     'Calder posted its first quarterly loss since 2009 on Thursday.',
     None, None),
    ('ordinal', 'The Vega is the most powerful and largest science telescope ever launched.',
     'The Vega, the second-largest science telescope ever launched, reached orbit on Friday.',
     None, None),
    ('number', 'Another 300 workers were laid off at Calder on Friday.',
     'Calder laid off another 200 workers on Friday.',
     None, None),
    ('number', 'Approximately 3,000 people were evacuated from Dorn.',
     'About 300 people were evacuated from Dorn.',
     None, None),
]


@pytest.mark.parametrize(("claim", "passage", "written", "published"), REVIEWED_O_SUPPORTS)
def test_rules_of_set_o_leave_true_supports_alone(claim, passage, written, published):
    flags = compare(claim, passage, written, published)
    assert not [f for f in flags if f.kind in roles.HARD and f.relation == "clashes"]
    assert roles.role(claim, passage, flags, "SUPPORTS", 0.9) not in (roles.CONFLICT, roles.DOUBT, roles.PLAN,
                                                                      roles.OTHER_EVENT)


@pytest.mark.parametrize(("kind", "claim", "passage", "written", "published"), REVIEWED_O_CLASHES)
def test_rules_of_set_o_catch_the_clash(kind, claim, passage, written, published):
    assert kind in {f.kind for f in compare(claim, passage, written, published) if f.relation == "clashes"}


@pytest.mark.parametrize("claim, passage, written, published, read", [
    # "on Sunday" in a report of the next day is the claim's date: the model reads the claim without it.
    ("Ben Stokes won the sports personality award on 15 December 2019.",
     "Ben Stokes was named sports personality of the year on Sunday night.", date(2019, 12, 16), date(2019, 12, 16),
     "Ben Stokes won the sports personality award."),
    ("On March 27, divers pulled two bodies from a pickup truck.",
     "Divers on Wednesday recovered two bodies from a submerged pickup truck.", date(2024, 3, 28), date(2024, 3, 28),
     "Divers pulled two bodies from a pickup truck."),
    ("The jury convicted him on April 20, 2021, of murder.", "A jury on Tuesday found him guilty of murder.",
     date(2021, 4, 21), date(2021, 4, 21), "The jury convicted him of murder."),
    # A date that clashes, or one that bounds the deed ("by"), stays for the model to read.
    ("The bridge reopened on March 27.", "The bridge reopened on Thursday.", date(2024, 3, 29), date(2024, 3, 29),
     "The bridge reopened on March 27."),
    ("The plant was shut by March 2024.", "The plant was shut in March 2024.", None, None,
     "The plant was shut by March 2024."),
    # A passage less precise than the claim does not confirm its day: the model still reads it.
    ("The plant closed on 15 December 2019.", "The plant closed in 2019.", None, None,
     "The plant closed on 15 December 2019."),
    ("The company laid off workers in 2020.", "The company laid off workers in March 2020.", None, None,
     "The company laid off workers."),
    # A year that names a thing, a figure's basis, or one date of several stays.
    ("Johnson won a landslide in the 2019 election.", "Johnson won a landslide in the 2019 election.", None, None,
     "Johnson won a landslide in the 2019 election."),
    ("The estimate is based on 2019 figures.", "The census gave 2019 figures.", None, None,
     "The estimate is based on 2019 figures."),
    ("The team won the title in 2019, 2021 and 2023.", "The team won it in 2019, 2021 and 2023.", None, None,
     "The team won the title in 2019, 2021 and 2023."),
    ("Bolt won gold in 2012 in London.", "Bolt won gold in London in 2012.", None, None, "Bolt won gold in London."),
])
def test_the_model_reads_the_claim_without_the_dates_the_checks_found_agreeing(claim, passage, written, published,
                                                                               read):
    from verification.stance import for_model

    assert for_model(claim, compare(claim, passage, written, published)) == read


@pytest.mark.parametrize("claim, passage", [
    ("Matthias Müller was appointed chief executive.", "The board named Matthias Mueller its chief executive."),
    ("Erdogan won the runoff.", "Recep Tayyip Erdoğan won the runoff on Sunday."),
    ("Erdoğan won the runoff.", "Recep Tayyip Erdogan won the runoff on Sunday."),
    ("Recep Tayyip Erdoğan won the runoff.", "Erdogan won the runoff on Sunday."),
    ("Thomas Müller scored the winner.", "Muller scored the winner on Sunday."),
])
def test_a_name_written_with_or_without_accents_is_the_same_name(claim, passage):
    named = [f for f in compare(claim, passage) if f.kind == "entity"]
    assert named and all(f.relation == "agrees" for f in named)
    found = named[-1].evidence_span
    assert passage[found[0]:found[1]].endswith(("Mueller", "Muller", "Erdoğan", "Erdogan"))  # the passage's own
    # A folded name still matches only as a name: "Åre" is not "are".
    assert [f.relation for f in compare("Åre hosted the race.", "There are no plans to move the race.")
            if f.kind == "entity"] == ["missing"]


def test_a_name_in_an_opening_phrase_is_not_the_claims_subject():
    claim = "Starting the day two strokes behind Francesco Molinari, Woods won a major from behind."
    assert roles.names_subject(claim, compare(claim, "Woods won a major from behind for the first time."))
    # The subject after the comma must still be there.
    assert not roles.names_subject(claim, compare(claim, "Molinari lost a major from ahead for the first time."))
    claim = "Citing a report by the IMF, the minister said growth would slow."
    assert roles.names_subject(claim, compare(claim, "The minister said growth would slow this year."))
    # An adjective in -ing, or a gerund that tells the deed, opens no such phrase: the name in it is the subject.
    claim = "Defending champion Novak Djokovic, the top seed, lost in the final."
    assert not roles.names_subject(claim, compare(claim, "Carlos Alcaraz lost in the final."))
    claim = "Hosting the World Cup cost Qatar about $220 billion, officials said."
    assert not roles.names_subject(claim, compare(claim, "Officials said the tournament cost about $220 billion."))


@pytest.mark.parametrize("claim, passage, relation", [
    ("Lopez, the fifth of the six missing workers to be recovered, was found on Tuesday.",
     "Divers recovered the body of the sixth and last missing worker, Lopez, on Tuesday.", "clashes"),
    ("Ghana became the second country to deploy the vaccine.",
     "Kenya became the third and last country to deploy the vaccine.", "clashes"),
    ("It was the third of four test flights planned this year.", "The third of the four test flights was a success.",
     "agrees"),
])
def test_a_rank_told_with_of_or_and_last_compares(claim, passage, relation):
    assert [f.relation for f in compare(claim, passage) if f.kind == "ordinal"] == [relation]


def test_what_a_rank_ranks_is_its_noun_and_a_share_or_an_open_group_is_no_rank():
    from verification.checks import ordinals

    def ranks(text):
        return [(rank, noun) for rank, noun, _, _ in ordinals(text)]

    assert ranks("The second of the two ferries sank on Monday.") == [(2, "ferry")]
    assert ranks("It was the first and last time the band played Moscow.") == [(1, "time")]
    for text in ("A third of the victims were children.", "It is the first of its kind in Europe.",
                 "It was the first of many.", "Nearly a third of the workers were laid off."):
        assert ranks(text) == [], text
    # "The first of its kind in Europe" is no clash with "the second of its kind in the world".
    assert not [f for f in compare("The plant is the first of its kind in Europe.",
                                   "The plant is the second of its kind in the world.") if f.kind == "ordinal"]


@pytest.mark.parametrize("claim, passage, clash", [
    # A claim that a thing did not happen, against a passage that tells it called off: the same in other words.
    ("The festival did not take place in 2020.", "The 2020 festival was cancelled because of the pandemic.", False),
    ("The match did not go ahead on Saturday.", "The match was called off on Saturday because of the storm.", False),
    # Not when the claim denies the calling off itself, nor when something else was called off.
    ("The Games were not postponed because of the pandemic.", "The Games were postponed because of the pandemic.",
     True),
    ("The summit did not take place in Geneva.", "The summit took place in Geneva, though a dinner was cancelled.",
     True),
])
def test_a_thing_called_off_is_a_thing_that_did_not_happen(claim, passage, clash):
    assert any(f.kind == "negation" for f in compare(claim, passage)) is clash


def test_the_base_year_of_a_figure_is_no_date():
    assert [d.text for d in dates("GDP grew 2% in 2023 at 2015 prices.")] == ["2023"]
    assert [d.text for d in dates("Wages in constant 2019 dollars fell in 2022.")] == ["2022"]
    assert [d.text for d in dates("In 2015 prices rose.")] == ["2015"]  # a year that dates the rise
    assert not [f for f in compare("GDP grew 2% in 2023 at 2015 prices.", "GDP grew 2% in 2023, the office said.")
                if f.relation == "clashes"]


def test_a_passage_date_one_claim_date_agrees_with_is_not_held_against_another():
    found = compare("The law, passed in 2019, took effect on January 1, 2020.", "The law took effect on Jan. 1, 2020.")
    assert [(f.relation, f.claim_value) for f in found if f.kind == "date"] == [("agrees", "January 1, 2020")]
    # A second date still clashes with the passage's other date for the same deed.
    found = compare("X was elected in 2019 and resigned in March 2021.",
                    "X resigned in March 2020, a year after being elected in 2019.")
    assert {(f.relation, f.claim_value) for f in found if f.kind == "date"} == {("agrees", "2019"),
                                                                               ("clashes", "March 2021")}
    found = compare("Game 3 on Oct. 29 was the first game played at the park since 1945.",
                    "The Cubs lost 1-0 on Friday, Oct. 28, in Game 3, the first game played at the park since 1945.",
                    date(2016, 11, 4), date(2016, 10, 28))
    assert {(f.relation, f.claim_value) for f in found if f.kind == "date"} == {("agrees", "1945"),
                                                                               ("clashes", "Oct. 29")}


@pytest.mark.parametrize("claim, passage, planned", [
    # A deed the claim tells as done, which the passage's best clause gives under "would": a plan.
    ("Days after his win, the golfer was presented with the medal by the president at the White House.",
     "The president said on Monday he would present the golfer with the medal at the White House.", True),
    # "Would" after "said" reports a decision where the claim tells one.
    ("The company agreed to buy the chip designer for $40 billion.",
     "The company said it would buy the chip designer for $40 billion in cash and stock.", False),
    ("The prime minister has so far declined to order a public inquiry into the fire.",
     "The prime minister said on Thursday there would be a full public inquiry into the fire.", False),
])
def test_would_is_a_plan_for_a_deed_done_and_a_decision_for_a_decision(claim, passage, planned):
    from verification.checks import planned_clause

    assert (planned_clause(claim, passage) is not None) is planned


@pytest.mark.parametrize("claim, passage, planned", [
    # The passage tells one part of the claim as done and the part only it gives as a plan: a plan.
    ("Hampden Park was lit up in the club's colours on Saturday night after Mayor Reid praised the team.",
     "Mayor Reid praised the team in a speech at the town hall. A council official said Hampden Park would be lit "
     "in the club's colours on Saturday evening to mark the title.", True),
    ("The chain has handed half of its property windfall back to its shareholders.",
     "The chain sold 40 stores for $2 billion. Its chief executive has pledged to return at least half of the "
     "property proceeds to shareholders.", True),
    # The plan runs on through the sentence's phrases ("after a ... report"), not into a deed told as done.
    ("The Riksbank has approved a half-point rate rise in response to the hotter-than-expected jobs data.",
     "Riksbank officials are likely to consider raising rates by 50 basis points this week after a "
     "hotter-than-expected jobs report, according to people familiar with the matter.", True),
    # The passage tells the same words as done elsewhere: no plan only.
    ("The broadcaster showed the final live on free-to-air television.",
     "The broadcaster showed the final live on free-to-air television and will show the replay on Sunday.", False),
    # The claim tells a plan itself.
    ("The broadcaster will show the final live on free-to-air television.",
     "The final will be shown live on free-to-air television by the broadcaster.", False),
])
def test_what_a_passage_gives_only_as_a_plan_is_no_deed(claim, passage, planned):
    from verification.checks import told_only_as_plan

    assert (told_only_as_plan(claim, passage) is not None) is planned
    # Read as support, such a passage gives the claim only as a plan.
    assert (roles.role(claim, passage, compare(claim, passage), "SUPPORTS", 0.9) == roles.PLAN) is planned


def test_a_noun_of_the_deeds_stem_does_not_tell_the_deed():
    from verification.checks import tells_same_deed

    assert not tells_same_deed("The minister has cut stamp duty.", "She promised tax cuts and reform.")
    assert tells_same_deed("The minister has cut stamp duty.", "The minister cut stamp duty on Friday.")
    assert tells_same_deed("The agency has launched the probe.", "The agency launched the probe in May.")


def test_people_are_counted_alike_and_a_bound_given_otherwise_is_not_the_claims_figure():
    assert ("number", "Some 8,000 residents", "about 800 people") in found(
        "Some 8,000 residents were evacuated from the valley.",
        "Floods forced about 800 people to evacuate the valley.", "clashes")
    # "at least 16" against "at least 18": the claim's toll is below the passage's, and the 16 elsewhere in the
    # passage is another toll's, so the passage does not state the claim's figure.
    claim = "The avalanche at the base camp killed at least 16 people."
    passage = ("The avalanche swept through the base camp, killing at least 18 people. The previous worst, a year "
               "earlier, killed 16 guides.")
    flags = compare(claim, passage)
    assert [(f.relation, f.evidence_value) for f in flags if f.kind == "number"] == [("clashes", "at least 18 people")]
    assert _verdict(claim, (passage, "SUPPORTS")) != "supported"
    # A toll past the passage's bound is not stated there either, so the passage cannot support it.
    claim = "The avalanche at the base camp killed at least 20 people."
    flags = compare(claim, passage)
    assert [f.relation for f in flags if f.kind == "number"] == ["missing"]
    assert not roles.states_figures(claim, passage, flags)


def test_a_deed_told_by_its_doer_is_theirs_as_a_possession_would_be():
    assert ("actor", "Sam Kerr", "Mary Fowler") in found(
        "Sam Kerr's second-half hat-trick in Leeds sent the club through to the final.",
        "Mary Fowler scored a second-half hat-trick as the club came from behind in Leeds. The winner was set up by "
        "Sam Kerr.", "clashes")
    # The same doer: no clash.
    assert not found("Sam Kerr's second-half hat-trick sent the club through.",
                     "Sam Kerr scored a second-half hat-trick as the club came from behind.", "clashes")


@pytest.mark.parametrize("claim, passage", [
    # Both sides deny the same thing, in other words.
    ("Doctors concluded that the athlete was not mentally ill at the time.",
     "A panel found the athlete was not suffering from a mental illness at the time."),
    # A compound with "no" and a bound written "no higher than" deny nothing.
    ("The referendum asked a single question about independence.",
     "The referendum asked a single yes-or-no question about independence."),
    ("The maker promised to charge no more than 5 percent above cost.",
     "The maker will charge a price no higher than cost plus 5 percent."),
])
def test_a_denial_both_sides_make_or_no_denial_at_all_is_no_clash(claim, passage):
    assert not [f for f in compare(claim, passage) if f.kind == "negation"]


def test_a_claim_that_names_no_one_is_not_supported_over_a_denial_the_checks_find():
    claim = "During the collision no burst of gamma rays accompanied the gravitational signal, scientists said."
    passage = "A telescope recorded a burst of gamma rays 1.7 seconds after the gravitational signal."
    flags = compare(claim, passage)
    assert any(f.kind == "negation" and f.relation == "clashes" for f in flags)
    assert roles.role(claim, passage, flags, "SUPPORTS", 0.9) != roles.SUPPORT


def test_close_to_a_unitless_figure_and_a_point_in_time_against_a_span():
    # "close to 40 percent" is about 40 percent: 38 agrees within its rounding.
    assert ("number", "close to 40 percent", "38 percent") in found(
        "The stock jumped close to 40 percent on its first day.", "The stock closed 38 percent higher.", "agrees")
    # The passage gives the claim's figure without its unit beside another's figure with it: no clash.
    assert not found("Okafor was runner-up in 9.91 seconds.",
                     "Lind won in 9.80 seconds, and Okafor finished second in 9.91.", "clashes")
    # "two years ago" says when; "over four years" how long.
    assert not [f for f in compare("The firm bought the app two years ago.",
                                   "The shares granted to the app's founders vest over four years.")
                if f.kind == "number"]
    assert ("number", "two years", "four years") in found("The rocket first flew two years ago.",
                                                          "The rocket first flew four years ago.", "clashes")


def test_a_unitless_figure_for_another_thing_does_not_hide_a_clash():
    assert ("number", "About 80,000 people", "13,789 people") in found(
        "About 80,000 people in the region received a first dose in the first week.",
        "A total of 13,789 people in the region received a first dose in the first week. The doses came from an "
        "initial delivery of 80,000.", "clashes")


def test_a_passage_that_tells_the_claims_words_of_someone_else_is_an_actor_clash():
    claim = "Deputy governor Lena Holm told reporters after the meeting that borrowing costs would stay low for now."
    passage = "Governor Erik Sand told a news conference after the meeting that borrowing costs would stay low for now."
    flags = compare(claim, passage)
    assert ("actor", "Lena Holm", "Erik Sand") in {(f.kind, f.claim_value, f.evidence_value) for f in flags}
    assert roles.is_relevant(claim, passage, flags)
    assert roles.role(claim, passage, flags, "NOT_ENOUGH_INFO", 0.9) == roles.CONFLICT
    # Another actor's other words are no doubt: the passage is about something else.
    other = "Governor Erik Sand told a news conference that the bank's new headquarters would open in May."
    assert roles.role(claim, other, compare(claim, other), "NOT_ENOUGH_INFO", 0.9) == roles.UNRELATED


def test_a_title_given_to_another_in_the_claims_words_puts_the_claim_in_doubt():
    claim = "Mia Lund was named player of the match in the cup final at Wembley."
    passage = ("Ada Berg was named player of the match in the final at Wembley, while Cara Holt was named player of "
               "the tournament.")
    flags = compare(claim, passage)
    assert any(f.kind == "actor" and f.relation == "differs" for f in flags)
    assert roles.is_relevant(claim, passage, flags)
    assert roles.role(claim, passage, flags, "NOT_ENOUGH_INFO", 0.9) == roles.DOUBT


def test_review_findings_on_bounds_groups_denials_deeds_and_other_events():
    from verification.checks import tells_same_deed, told_only_as_plan

    # A bound the passage gives without its noun is the claim's figure, not a figure left unstated.
    claim = "The quake injured more than 200 people."
    passage = "The quake killed more than 50 people, and more than 200 were injured."
    flags = compare(claim, passage)
    assert not [f for f in flags if f.kind == "number"] and roles.states_figures(claim, passage, flags)
    # A group within the people counted is no count of them all.
    assert ("number", "30 civilians", "12 civilians") in found(
        "The airstrike killed 30 civilians.", "The airstrike killed 30 people, including 12 civilians.", "clashes")
    # A denial in another clause is no denial of the claim's thing; "no-one" denies.
    assert any(f.kind == "negation" for f in compare(
        "Ilsa Moreau was not charged over the crash.",
        "The passenger was not injured, but Ilsa Moreau was charged over the crash."))
    assert any(f.kind == "negation" for f in compare("Two workers were injured in the blast.",
                                                     "No-one was injured in the blast."))
    # A deed under a plan word, or a noun of it, is no deed done.
    assert not tells_same_deed("The bank has cut interest rates.", "The bank is expected to cut interest rates.")
    assert not tells_same_deed("The bank has cut interest rates.", "Markets priced in a quarter-point cut.")
    # A passage that tells every deed of the claim as done is no plan, whatever it plans next.
    assert told_only_as_plan("Mayor Rita Osei opened the new Eastfield library for children.",
                             "Rita Osei opened the Eastfield branch on Monday, and the library will host weekly "
                             "reading sessions for children.") is None
    # Another event of the same kind, in a few generic words and none of the claim's other names, is not about it.
    claim = "Nexa Corp agreed to buy rival chipmaker Daltex."
    passage = "Vorn Holdings agreed to buy rival chipmaker Kello."
    assert not roles.is_relevant(claim, passage, compare(claim, passage))
    # Praising a goal does not make it the praiser's.
    assert not found("Sara Voss's winning goal sealed the title.",
                     "Coach Dario Mensah praised the winning goal by Sara Voss.", "clashes")


def test_a_person_the_claim_names_and_the_passage_leaves_out_blocks_support():
    claim = "The Tarn rover is named after Maria Kowalski, regarded as the mother of the country's space programme."
    passage = "The Tarn rover, named after a pioneer of the country's space programme, landed on Mars on Monday."
    flags = compare(claim, passage)
    assert not roles.names_every_person(claim, flags)
    assert roles.role(claim, passage, flags, "SUPPORTS", 0.9) != roles.SUPPORT
    # A place or an institution of two words is no person: "Westminster Abbey" left out decides nothing here.
    claim = "Carrying the sword into Westminster Abbey, council president Ada Quill became the first woman in the role."
    passage = "Ada Quill carried the sword into the abbey, the first woman in the role."
    assert roles.names_every_person(claim, compare(claim, passage))


def test_only_a_name_that_can_do_the_deed_is_its_doer():
    # A place after "in", a name inside a prepositional phrase, or a name that modifies the noun doing the deed is
    # no doer: no actor clash with whoever the passage says did it.
    assert ("actor", "clashes") not in _found("Creditors gathered in Lisbon pledged nearly $4 billion for Varnia.",
                                              "President Tomas Reyes pledged an initial $50m for Varnia.")
    assert ("actor", "clashes") not in _found(
        "Norland's run to the Kestrel Park showpiece gave them their first final in 40 years.",
        "Ivo Brandt gave Norland the lead after two minutes at Kestrel Park.")
    assert ("actor", "clashes") not in _found("Varnia lifted its curfew after EU monitors certified the count.",
                                              "Varnia lifted its curfew after the OSCE certified the count.")
    # In the passage too: the name of the one the deed was done to is not the doer of the next verb.
    assert ("actor", "clashes") not in _found(
        "Mark Ellery meant to kill when he opened fire.",
        "Mark Ellery denied the murder of Lina Dorsey as his trial opened in Halden.")
    # The claim's actor through its officer ("UN Secretary-General ...") is the claim's actor.
    assert ("actor", "clashes") not in _found(
        "The United Nations confirmed that its envoy Omar Haddad died in the collapse.",
        "UN Secretary-General Paula Nieto confirmed that envoy Omar Haddad died in the collapse.")
    # "Became" is a deed of the same title only where the two tell the same thing.
    assert ("actor", "clashes") not in _found(
        "Zelvox became the first new migraine drug cleared in a decade.",
        "Professor Ana Ruiz became the third member of the advisory panel to resign over Zelvox.")
    # Real swaps still clash: a possessive owner, a named group, a comma aside, the same title.
    assert ("actor", "clashes") in _found("Moody's downgraded Corvan Group to restricted default in May.",
                                          "Rating agency Fitch downgraded Corvan Group to restricted default in May.")
    assert ("actor", "clashes") in _found(
        "Kerlia claimed responsibility for the attack on the Ostrava refinery.",
        "Drone strikes hit the Ostrava refinery. Kerlia-backed Sarn movement claimed responsibility.")
    assert ("actor", "clashes") in _found(
        "Paulo Reis told reporters the president had authorized the transition.",
        "Afterward his chief of staff, Dora Lima, told reporters the president had authorized the transition.")
    assert ("actor", "clashes") in _found("Jan Novak became the first of the miners to be hoisted to the surface.",
                                          "Petr Svoboda became the first miner hoisted to the surface.")
    # A relative clause names its doer ("Tyler Hamilton, who filed"); one done to the claim's actor ("was also
    # ordered") has none.
    assert ("actor", "clashes") in _found(
        "Ivo Brandt, who filed the original complaint in 2010, will get $1.1 million from the settlement.",
        "The rider agreed to pay $5 million. The cyclist Petr Lasko, who filed the original complaint in 2010, will "
        "receive $1.1 million from the settlement.")
    assert ("actor", "clashes") not in _found(
        "Nora Vale was also ordered to pay $452 million in restitution.",
        "Nora Vale was sentenced to 11 years by Judge Omar Haddad, who ordered her to surrender in April.")


def test_a_denial_both_sides_make_and_a_failed_thing_are_no_clash():
    # "should never have received" and "should not have been issued" deny one permit.
    assert ("negation", "clashes") not in _found(
        "Half of the victims died in the Arlo building, which an inquiry said should never have received a permit.",
        "An inquiry found the Arlo building had design faults and should not have been issued a permit in 1990.")
    # "the failed operator" describes; it denies nothing.
    assert ("negation", "clashes") not in _found(
        "Brisa Travel has taken over all of the failed operator's 300 shops.",
        "Brisa Travel said it had bought all 300 of Sunway's shops from the administrator.")
    assert ("negation", "clashes") in _found("The operator failed to pay its staff in March.",
                                             "The operator paid its staff in March.")


def test_a_figure_with_thousands_is_one_clause_and_the_estimated_toll_tells_no_deed():
    from verification.checks import told_only_as_plan

    # The plan runs on through "the estimated 150,000 travellers": a comma inside a figure ends no clause, and a
    # past form after "the" describes.
    claim = "The ferry Aurora has carried hundreds of travellers home across the strait."
    passage = ("Minister Eva Lind said on Monday the navy would send ships including the ferry Aurora to help bring "
               "home some of the estimated 150,000 travellers waiting across the strait.")
    assert told_only_as_plan(claim, passage) is not None
    from verification.checks import _clauses

    text = "Some 150,000 travellers waited, officials said."
    assert [text[a:b] for a, b in _clauses(text)] == ["Some 150,000 travellers waited", ", officials said."]


def test_a_word_that_opens_a_clause_is_no_part_of_the_name_after_it():
    from verification.checks import names

    assert [n for n, _ in names("Although Norland's navy issued a warning, the waves hit Porto Vell.")] == [
        "Norland", "Porto Vell"]
    assert [n for n, _ in names("Like the rovers before it, Tarn draws its power from solar panels.")] == ["Tarn"]
    assert [n for n, _ in names("Despite threatening skies, the final on Centre Court was played.")] == [
        "Centre Court"]


def test_denials_in_two_sentences_do_not_cancel_and_rather_than_denies():
    # One sentence denies the claim's deed, another denies something else: still a denial of the claim.
    assert ("negation", "clashes") in _found(
        "Although Norland's navy issued a timely tsunami warning, the waves devastated Porto Vell.",
        "Norland's navy admitted failing to issue a tsunami warning. Residents said they were told there was no "
        "danger before the waves struck.")
    # "Rather than" denies what follows it.
    assert ("negation", "clashes") in _found("The Tarn rover draws its power from solar panels.",
                                             "The Tarn rover is powered by a nuclear generator rather than solar "
                                             "panels.")
    # A contrast denies the claim's thing only where two of its words say which: "rather than for two years" is no
    # denial of "a year".
    assert ("negation", "clashes") not in _found(
        "The minister scrapped the tax cuts, a U-turn he said would bring in £32 billion a year.",
        "The minister reversed the tax cuts, and the price cap will last until April rather than for two years.")
    # A denial of knowledge denies nothing the claim says, though both sides say "that".
    assert ("negation", "clashes") in _found(
        "Filings show that no Corvan executives sold any shares after the company found the breach.",
        "Three Corvan executives sold shares after the company found the breach, filings show. Corvan said they had "
        "no knowledge that an intrusion had occurred.")
    # Within one sentence two denials still cancel.
    assert ("negation", "clashes") not in _found("The club signed the striker in May.",
                                                 "The club never refused to sign the striker in May.")


def test_a_passage_that_denies_the_deed_the_claim_tells_done_is_a_conflict():
    claim = "Norland's navy issued a timely tsunami warning after the quake."
    passage = "Norland's navy acknowledged that it had erred by failing to issue a tsunami warning after the quake."
    flags = compare(claim, passage)
    assert roles.role(claim, passage, flags, "NOT_ENOUGH_INFO", 0.5) == roles.CONFLICT


def test_a_toll_a_multiple_and_how_often_a_deed_was_done_are_figures():
    assert ("number", "clashes") in _found(
        "The government said the confirmed death toll from the quake had climbed to 1,723.",
        "The government said the confirmed death toll from the quake had risen to 723, with thousands of homes hit.")
    assert ("number", "agrees") in _found("Officials said the death toll had risen to 723.",
                                          "The death toll rose to 723, officials said.")
    assert ("number", "agrees") in _found("A study led officials to raise the death toll from 64 to nearly 3,000.",
                                          "Officials raised the death toll from the storm to 2,975 from 64 on Tuesday.")
    assert ("number", "clashes") in _found(
        "Officials described the compound as about three times the size of neighbouring homes.",
        "Officials said the compound was about eight times larger than other homes in the area.")
    assert ("number", "clashes") in _found("Vale fired three times through the locked door, the court heard.",
                                           "He fired four shots through the locked door, the court heard.")
    assert ("number", "clashes") not in _found("Crespo scored twice before the break.",
                                               "Crespo scored two goals before the break.")


def test_a_plan_runs_on_through_a_description_of_the_place():
    from verification.checks import told_only_as_plan

    claim = "Having crossed the crater, the Tarn rover has begun climbing the lower layers of Mount Arle."
    passage = ("Scientists hope the Tarn rover will eventually drive to Mount Arle, a mound of layered rock 5 km high "
               "at the centre of the crater, and climb its lower slopes.")
    assert told_only_as_plan(claim, passage) is not None


def test_speeds_staying_or_leaving_and_efforts_ended():
    # A speed in other units: "12,300 mph" is no "12,300 kilometres per hour".
    assert ("number", "clashes") in _found("The probe will hit the atmosphere at roughly 12,300 kilometres per hour.",
                                           "The probe will hit the atmosphere at about 12,300 mph (19,800 kph).")
    assert ("number", "agrees") in _found("The probe will hit the atmosphere at about 19,800 km/h.",
                                          "The probe will hit the atmosphere at about 12,300 mph.")
    # Staying in a pact against leaving it.
    assert ("negation", "clashes") in _found(
        "Ana Reyes said Varnia would remain in the Lisbon fisheries accord.",
        "Ana Reyes said on Thursday that Varnia would withdraw from the Lisbon fisheries accord.")
    # Efforts ended are a plan dropped: no support for the deed done.
    from verification.checks import drops_plan

    assert drops_plan("The agency said the probe's drill had buried itself in the soil.",
                      "The agency said it had ended efforts to bury the probe's drill in the clumpy soil.")


def test_a_rank_by_height_a_plan_reported_after_the_deed_and_harm_in_other_words():
    from verification.checks import told_only_as_plan

    # "the highest orbit" ranks first, against "the second-highest orbit".
    assert ("ordinal", "clashes") in _found(
        "The release point was the second-highest orbit a shuttle had ever flown.",
        "The crew released the telescope about 380 miles up, the highest orbit ever reached by a shuttle.")
    # A plan word after the claim's deed reports an argument; the deed itself is told as done, the passage plans it.
    assert told_only_as_plan(
        "Vale's lawyers have filed an appeal with the regional appeals court, arguing the trial should have moved.",
        "Vale's lawyers said they planned to appeal to the regional appeals court, arguing the case should have "
        "been moved.") is not None
    # "Harmed", "hurt", "injured" and "wounded" tell one deed for a denial.
    assert ("negation", "clashes") in _found("Officials said several soldiers had been wounded in the raid.",
                                             "Officials said the raid went to plan and that no soldiers were harmed.")


def test_near_misses_of_the_doer_figure_and_denial_rules():
    from verification.checks import denies_claimed_deed, drops_plan

    # A name that describes the doer is held against another name describing the same noun.
    assert ("actor", "clashes") in _found("On Friday, Kelvarian troops captured the town of Ossel.",
                                          "On Friday, Dravian troops captured the town of Ossel.")
    # A rival or a former executive does not speak for the claim's actor.
    assert ("actor", "clashes") in _found("Corvin United signed striker Pavel Hruby on Friday.",
                                          "Corvin United rivals Ostbury Rovers signed striker Pavel Hruby on Friday.")
    # "The failed takeover" denies the takeover; "the failed bank" only describes the bank.
    assert ("negation", "clashes") in _found("Tarsin Motors completed its takeover of Ostmark.",
                                             "The failed takeover of Ostmark by Tarsin Motors cost both firms dearly.")
    # "Twice as a junior" is no multiple; "two of them" is the claim's count.
    assert ("number", "clashes") not in _found(
        "Ivo Marek won the Orsk race twice as a junior.",
        "Marek, who won the Orsk race four times as a professional, also won it twice in his junior years.")
    assert ("number", "clashes") not in _found("Dara Kell scored twice against Ostbury.",
                                               "Dara Kell scored three goals in the cup run, two of them against "
                                               "Ostbury.")
    # Leaving an office is no leaving of a pact; "must not" is a rule, not a deed denied.
    assert ("negation", "clashes") not in _found("Premier Ada Wexley will remain in office.",
                                                 "Premier Ada Wexley will leave the office early on Friday.")
    assert ("negation", "clashes") not in _found("The court ruled that the Delvin mine must not reopen.",
                                                 "The court ordered that the Delvin mine stay closed.")
    # "By year's end the plan ... had won approval" drops nothing.
    assert not drops_plan("Work on the Orsk plant began in March.",
                          "By year's end the plan to build the Orsk plant had won approval.")
    # A passage that tells the deed done as well as denying another of its kind does not deny the claim's.
    assert not denies_claimed_deed("Osei resigned on Friday.",
                                   "Osei resigned as minister on Friday, though he did not resign from the board.")


def test_a_rank_in_a_counted_group_a_part_of_a_group_and_a_beaten_winner():
    # "The second of two test flights" against "the first of two test flights".
    assert ("ordinal", "clashes") in _found(
        "Friday's climb to 20,000 feet was the second of two planned test flights before the record attempt.",
        "Mara Lind climbed to 20,000 feet on Friday in the first of two planned test flights before her record try.")
    assert ("ordinal", "agrees") in _found(
        "Friday's climb was the first of two planned test flights.",
        "Mara Lind flew on Friday in the first of two planned test flights before her record try.")
    # "Nine of the 28 counts" is nine counts, against "19 of 28 counts".
    assert ("number", "clashes") in _found("The jury found Osric Vale guilty on nine of the 28 counts he faced.",
                                           "Osric Vale was found guilty on 19 of 28 counts on Thursday.")
    assert ("number", "clashes") not in _found("The jury found Osric Vale guilty on 19 of the 28 counts he faced.",
                                               "Osric Vale was found guilty on 19 of 28 counts on Thursday.")
    # The claim's winner is the one the passage says was beaten, with another verb for the win.
    assert ("actor", "clashes") in _found(
        "Tomas Ek won the 400 metres on Sunday, with Rafe Dunn taking silver.",
        "Rafe Dunn retained his 400 metres title on Sunday, ahead of his teammate Tomas Ek.")
    assert ("actor", "clashes") not in _found(
        "Rafe Dunn won the 400 metres on Sunday, ahead of Tomas Ek.",
        "Rafe Dunn retained his 400 metres title on Sunday, ahead of his teammate Tomas Ek.")
    # A loser's share is no claim that the loser won.
    assert ("actor", "clashes") not in _found(
        "Tomas Ek won 4,120 votes but lost the seat.",
        "Rafe Dunn defeated Tomas Ek by 5,310 votes to 4,120.")


def test_a_plan_a_hope_or_a_request_is_not_the_deed_done():
    from verification.checks import told_only_as_plan

    # "Has been flying" is a deed done, which "planned to fly" only plans.
    assert told_only_as_plan(
        "Since retiring, Ivo Marek has been flying helicopters on rescue missions in the Alps.",
        "Ivo Marek said he planned to settle down and fly helicopters on rescue missions in the Alps.") is not None
    # A request to do it is not the deed.
    assert told_only_as_plan(
        "After the inquiry's report, the minister opened a criminal investigation into the collapse, officials said.",
        "The inquiry said there was evidence of negligence in the collapse. It urged the minister to open a "
        "criminal investigation.") is not None
    # A hope in a participle ("hoping to move in") and a possibility inside the plan ("possibly armed").
    assert told_only_as_plan(
        "Orsk Rovers have moved into the rebuilt Delvin Arena and now play their home matches there.",
        "The council named Orsk Rovers as tenant of the Delvin Arena, with the club hoping to move in for the "
        "2030 season.") is not None
    assert told_only_as_plan(
        "Armed police officers have been deployed to secure the Delvin crash site, the mayor said.",
        "The mayor said on Friday the city was considering sending a police team, possibly armed, to secure the "
        "Delvin crash site.") is not None
    # The deed done elsewhere in the passage is no plan only.
    assert told_only_as_plan(
        "Orsk Rovers have moved into the Delvin Arena.",
        "Orsk Rovers moved into the Delvin Arena in March, hoping to move their training ground there too.") is None


def test_a_finding_of_nothing_denies_and_one_denial_in_other_words_agrees():
    # "Found nothing to show that" denies what the passage states.
    assert ("negation", "clashes") in _found(
        "Investigators said they had found nothing to show that the launcher had been brought in from Varnia.",
        "Investigators said on Wednesday that the launcher had been brought in from Varnia and later taken back.")
    # "Stopped short of sanctioning" and "did not sanction" deny one thing.
    assert ("negation", "clashes") not in _found(
        "The report found that Prince Oren approved the raid, yet the government stopped short of sanctioning him.",
        "The report said Prince Oren approved the raid. The government did not sanction the prince himself.")
    # "Did not say who" and "did not address who" deny one thing.
    assert ("negation", "clashes") not in _found(
        "Investigators said a missile brought the jet down, though their report did not say who launched it.",
        "The board said a missile brought the jet down, and that its report did not address who fired the missile.")
    # "No decision had yet been taken" denies no deployment.
    assert ("negation", "clashes") not in _found(
        "Police officers have been deployed to the Delvin crash site.",
        "The mayor said no decision had yet been taken on sending police officers to the Delvin crash site.")


def test_what_a_figure_counts_a_part_of_a_group_and_a_small_count_on_another_date():
    from verification.checks import quantities

    # What is counted is the plural noun after a describing word or two.
    assert [q.dimension for q in quantities("Orsk set three small hopping rovers down.")] == ["count:rover"]
    assert [q.dimension for q in quantities("The jury heard 17 capital counts.")] == ["count:count"]
    assert [q.dimension for q in quantities("It posted a 1.1 billion pound first-half loss.")] != ["count:los"]
    assert ("number", "clashes") in _found("Orsk set three small hopping rovers down on the comet.",
                                           "Two small rovers released by Orsk landed on the comet.")
    # A part of a group is not the whole group: "six of the 17 counts" says nothing against "30 counts".
    assert ("number", "clashes") not in _found(
        "The jury found Osric Vale deserved prison on six of the 17 counts that carried it.",
        "A grand jury indicted Osric Vale on 30 counts, and 17 of the charges carry prison terms.")
    # Six powers agreeing is no sign of one event when the dates differ: they met twice.
    claim = "Varnia and six world powers reached a deal in Lisbon on 14 July 2031 to limit its reactor programme."
    passage = ("Varnia and six world powers reached an interim deal in Geneva on 24 November 2029 to cap its reactor "
               "programme for six months.")
    assert roles.role(claim, passage, compare(claim, passage), "NOT_ENOUGH_INFO", 0.6) != roles.CONFLICT


def test_a_turned_clause_denies_its_own_deed_and_a_linking_participle_is_no_deed():
    from verification.checks import shares_deed, told_only_as_plan

    # "Yet it stopped short of sanctioning him" against a passage that never speaks of sanctions.
    assert ("negation", "clashes") not in _found(
        "The report found that Prince Oren approved the raid, yet the government stopped short of sanctioning him.",
        "Officials concluded that Prince Oren ordered the raid, contradicting assertions that he was not involved.")
    # ... but against one that tells the deed done, it clashes.
    assert ("negation", "clashes") in _found("Tarsin said it made a profit, but it did not pay a dividend.",
                                             "Tarsin made a profit and paid a dividend of 5 cents.")
    # "Documents related to the company" tells no deed a plan in the passage could stand for.
    assert told_only_as_plan(
        "A jury found the auditor Orsk & Co guilty of destroying documents related to the energy company.",
        "A jury found Orsk & Co guilty of destroying documents. The firm said it would stop auditing public "
        "companies.") is None
    # Deeds of one kind in other words tell the same kind of event.
    assert shares_deed("Tarsin abandoned its planned takeover of Ostmark on May 2.",
                       "Tarsin called off its acquisition of Ostmark on Wednesday.")
    assert not shares_deed("Tarsin abandoned its planned takeover of Ostmark.", "Tarsin reported a loss.")


def test_rates_per_period_parts_of_a_count_and_money_in_words():
    # "$200 million a week" is not "$200 million a day".
    assert ("number", "clashes") in _found("The carriers' group said the bans cost airlines more than $200 million "
                                           "a week.",
                                           "The carriers' group said the bans cost airlines more than $200 million "
                                           "a day in lost revenue.")
    assert ("number", "agrees") in _found("The bans cost airlines more than $200 million a day.",
                                          "The bans were costing airlines more than $200 million a day.")
    # "Four shots, three of which struck her" is no "fired three times through the door".
    assert ("number", "clashes") in _found("Osric Vale fired three times through the locked door, the court heard.",
                                           "He fired four shots through the locked door, three of which struck Ana.")
    # Millions of pounds are money: not the dollars the passage gives.
    assert ("number", "clashes") in _found("Mara Lind earned 2.5 million pounds for winning the title.",
                                           "Mara Lind won the title and collects 2.5 million dollars.")


def test_verdicts_on_some_counts_denials_in_other_words_and_hedged_denials():
    # Guilty of investor fraud, acquitted of patient fraud: the claim's patient fraud conviction clashes.
    assert ("negation", "clashes") in _found(
        "The jury found Ana Lutz guilty of defrauding Orsk patients.",
        "A jury found Ana Lutz guilty of conspiracy to defraud investors. Jurors acquitted her on four counts "
        "related to defrauding patients.")
    assert ("negation", "clashes") not in _found(
        "The jury found Ana Lutz guilty of defrauding investors.",
        "A jury found Ana Lutz guilty of conspiracy to defraud investors. Jurors acquitted her on four counts "
        "related to defrauding patients.")
    # "Stopping short of revoking" denies the revoking.
    assert ("negation", "clashes") in _found(
        "The government revoked Orsk Roads' motorway concession.",
        "The government reached a deal with Orsk Roads, stopping short of revoking the motorway concession.")
    # A hedged denial is a judgment the passage may make in other words.
    assert ("negation", "clashes") not in _found(
        "Creditor banks will probably never recover the 3.2 billion euros they lent Tarsin, prosecutors warned.",
        "Banks that lent Tarsin some 3.2 billion euros are likely to lose that money, prosecutors said.")
    assert ("negation", "clashes") not in _found(
        "Tarsin conceded that the 1.9 billion euros it listed as cash most probably never existed.",
        "Tarsin said its auditor could not confirm 1.9 billion euros of cash held in trust accounts.")
    # A doer set off by an aside before "had": the claim gives the deed to someone the passage does not.
    assert ("actor", "clashes") in _found(
        "Ana Lutz, who beat defending champion Mia Ross on her way to the final, won the title.",
        "Kira Vell, ranked 73rd, had beaten defending champion Mia Ross on her way to the final.")


def test_a_side_in_a_vote_is_no_denial_and_a_split_verdict_agrees_with_itself():
    # "Voting No" names a side.
    assert ("negation", "clashes") not in _found(
        "Voters in Varnia rejected the Orsk accord by 50.2 percent to 49.8 percent on Oct. 2.",
        "Voters in Varnia narrowly rejected the Orsk accord on Sunday, with 50.2 percent voting No and 49.8 percent "
        "Yes.")
    # A split verdict told in the claim as the passage tells it.
    assert ("negation", "clashes") not in _found(
        "Jurors convicted Ana Lutz on four counts of defrauding investors but cleared her of the counts tied to "
        "patients.",
        "A jury found Ana Lutz guilty on Monday of four of the 11 counts she faced: three counts of wire fraud and "
        "one of conspiracy to defraud investors. Jurors acquitted her on four counts related to defrauding patients.")


def test_one_doer_of_two_deeds_joined_by_and():
    # "Ivo Marek apologised and pledged": the pledge is Marek's, not the claim's mayor's.
    assert ("actor", "clashes") in _found(
        "Orsk mayor Ana Lutz pledged 500 million euros to help the victims.",
        "Tarsin Roads chief executive Ivo Marek apologised and pledged 500 million euros to help the victims.")
    # Reporting joined to a deed names no doer of it.
    assert ("actor", "clashes") not in _found(
        "Orsk mayor Ana Lutz pledged 500 million euros to help the victims.",
        "Ivo Marek said the mayor and the council pledged 500 million euros to help the victims.")
    # Counts on which the jury could not agree are no acquittal.
    assert ("negation", "clashes") not in _found(
        "The jury convicted Ana Lutz on four charges of defrauding investors while clearing her of the charges "
        "involving patients.",
        "A jury found Ana Lutz guilty of four of the 11 counts she faced, convicting her of three counts of wire "
        "fraud and one count of conspiracy to commit wire fraud against investors. The jury acquitted her on the "
        "four counts relating to patients and could not reach a verdict on three further counts involving "
        "investors.")


def test_ranks_from_the_end_a_day_in_apposition_and_a_phrasal_deed_planned():
    from verification.checks import told_only_as_plan

    # "The next-to-last flight" against "the final flight"; a rank from the end is no rank from the start.
    assert ("ordinal", "clashes") in _found("Ivo Marek, who piloted the next-to-last shuttle flight, will command it.",
                                            "It is the first crewed launch since the final shuttle flight in 2031.")
    assert ("ordinal", "agrees") in _found("Ivo Marek piloted the final shuttle flight.",
                                           "Ivo Marek flew on the final shuttle flight in July 2031.")
    assert not {f for f in _found("Ivo Marek piloted the last shuttle flight.",
                                  "Ivo Marek flew the 135th shuttle flight in July 2031.") if f[0] == "ordinal"}
    # "On Monday, the first time it has ...": the day is not what is ranked.
    assert ("ordinal", "clashes") in _found(
        "The regulator's ban on shorting Tarsin marks the second time it has taken such a step against a stock.",
        "The regulator banned short positions in Tarsin on Monday, the first time it has barred short selling in a "
        "single stock.")
    # "Have lifted off" against "is scheduled to launch".
    assert told_only_as_plan("Four astronauts have lifted off aboard the Orsk capsule on its first crew mission.",
                             "The first crew mission of the Orsk capsule is scheduled to launch four astronauts on "
                             "Saturday.") is not None


def test_a_part_of_a_group_named_by_its_owner():
    # "Four of Varnia's 20 regions" against "three of Varnia's 20 regions".
    assert ("number", "clashes") in _found("The Yes side carried four of Varnia's 20 regions, among them Orsk.",
                                           "The Yes camp prevailed in just three of Varnia's 20 regions, Orsk, Delvin "
                                           "and Ostmark.")


def test_near_misses_of_the_plan_winner_count_verdict_and_denial_rules():
    from verification.checks import told_only_as_plan

    # A hope the sentence then tells fulfilled, and "pressed on to win", are no plans.
    assert told_only_as_plan("Orsk Rovers signed Ivo Marek from Delvin on Tuesday.",
                             "Orsk Rovers, who had been hoping to sign Ivo Marek since the summer, completed his "
                             "transfer from Delvin on Tuesday.") is None
    assert told_only_as_plan("Mara Lind won the Varnia Grand Prix on Sunday.",
                             "Mara Lind pressed on to win the Varnia Grand Prix on Sunday.") is None
    # A winner beaten in another contest is no clash.
    assert ("actor", "clashes") not in _found("Mia Ross won the Varnia Open.",
                                              "Kira Vell clinched the Orsk Open title, beating Mia Ross in the "
                                              "semi-finals.")
    # A part written with number words is no total; one person is no two.
    assert ("number", "clashes") not in _found("An avalanche swept away five climbers on Orsk Peak, killing two.",
                                               "Two of the five climbers swept away on Orsk Peak were killed.")
    assert ("number", "clashes") in _found("One person remains missing after the Delvin floods.",
                                           "Two people remain missing after the Delvin floods.")
    # A co-defendant's acquittal is not the claim's defendant's.
    assert ("negation", "clashes") not in _found(
        "Jurors convicted Ivo Marek of seditious conspiracy.",
        "Ivo Marek was found guilty of the sedition charge, while three co-defendants were acquitted of seditious "
        "conspiracy.")
    # "Nothing short of" praises; a hedged denial clashes with the deed told done.
    assert ("negation", "clashes") not in _found(
        "Tarsin's results were nothing short of spectacular, with revenue up 8 percent.",
        "Tarsin reported spectacular results, with revenue up 8 percent.")
    assert ("negation", "clashes") in _found("Creditors will probably never recover the 3.2 billion euros.",
                                             "Creditors have recovered most of the 3.2 billion euros.")
    # Pounds of chicken are a weight.
    assert ("number", "agrees") in _found("Tarsin Foods recalled 8.5 million pounds of chicken nuggets.",
                                          "Tarsin Foods recalled about 8,500,000 pounds of chicken nuggets on Monday.")
    # "Did not signal" against "signalled".
    assert ("negation", "clashes") in _found("The bank held rates steady, but it did not signal a cut.",
                                             "The bank held rates steady and signalled that a cut was likely.")
    # "Acquitted of two other charges" is the defendant's own acquittal.
    assert ("negation", "clashes") in _found(
        "Besides homicide, Ivo Marek was found guilty of firing through a car's sunroof.",
        "Ivo Marek was convicted on Friday of homicide. He was acquitted of two other firearms charges: firing a gun "
        "through the sunroof of a car and possessing ammunition.")


def test_a_relative_clause_after_a_plan_is_no_deed_that_fulfils_it():
    from verification.checks import told_only_as_plan

    assert told_only_as_plan(
        "Armed police officers have been deployed to secure the Delvin crash site, which had been under rebel "
        "control, the mayor said.",
        "The mayor said on Friday the city was considering sending a police team, possibly armed, to secure the Delvin "
        "crash site, which remained under rebel control.") is not None


def test_shares_of_a_unit_and_units_and_a_half_are_measured():
    # "a tenth of a second" is 0.1 s, not a count of tenths; "one hundredth of a second" 0.01 s.
    assert ("number", "a tenth of a second", "one hundredth of a second") in found(
        "Tamsin Okafor won the 200m final by a tenth of a second.",
        "Tamsin Okafor won the 200m final by one hundredth of a second.", "clashes")
    assert ("number", "an hour and a half", "90 minutes") in found(
        "The Port Alma ferry was delayed by an hour and a half.", "The Port Alma ferry was delayed by 90 minutes.",
        "agrees")
    # A bound in the same words: "more than a minute and a half" is not 78 seconds.
    assert ("number", "more than a minute and a half", "78 seconds") in found(
        "The new mark took more than a minute and a half off the record.",
        "The new mark took 78 seconds off the record.", "clashes")
    assert [(q.value, q.dimension) for q in quantities("She finished half a second clear.")] == [(0.5, "seconds")]


def test_an_age_told_after_a_name_is_compared():
    assert ("number", "32", "33") in found("Halvard Rask, 32, said he would not appeal.",
                                           "Halvard Rask, 33, smiled as the verdict was read.", "clashes")
    assert ("number", "33", "33") in found("Halvard Rask, 33, said he would not appeal.",
                                           "Halvard Rask, 33, smiled as the verdict was read.", "agrees")
    assert [(round(q.value / 31557600), q.dimension) for q in quantities(
        "Halvard Rask, 45, and Mara Lind, 33, were charged.")] == [(45, "age"), (33, "age")]
    # The same age told the other way agrees: "the 33-year-old" is "Rask, 33,".
    assert ("number", "33-year", "33") in found("The 33-year-old Halvard Rask said he would not appeal.",
                                                "Halvard Rask, 33, smiled as the verdict was read.", "agrees")
    # Numbers between commas after a common word are no age, nor is a date's day.
    assert not any(q.dimension == "age" for q in quantities("In the end, 12, perhaps 13, boats sailed."))
    assert not any(q.dimension == "age" for q in quantities("On March 5, 2019, Halvard Rask resigned."))


def test_a_rank_told_by_age_or_toll_is_a_rank():
    assert ("ordinal", "second-youngest prime", "youngest prime") in found(
        "Ines Varga became Dravia's second-youngest prime minister in 2014.",
        "Ines Varga took office in 2014 as the youngest prime minister in Dravia's history.", "clashes")
    assert ("ordinal", "second-deadliest disaster", "deadliest disaster") in found(
        "The avalanche was the second-deadliest disaster on the mountain.",
        "The avalanche killed 18 people, making it the deadliest disaster on the mountain.", "clashes")
    assert ("ordinal", "oldest woman", "oldest woman") in found(
        "Mara Lind became the oldest woman to win the race.", "Mara Lind is now the oldest woman to win the race.",
        "agrees")


def test_a_year_reckoned_from_is_no_date_of_the_deed():
    # "the youngest winner since 1909" places no deed in 1909: it clashes only with another point reckoned from.
    assert not found("Aged 22, Tomas Vela is the youngest winner of the race since 1909.",
                     "Tomas Vela won the opening stage of the race on July 6.", "clashes")
    assert ("date", "1908", "1945") in found("It was the Harbour Sox's first title since 1908.",
                                             "It was the Harbour Sox's first title since 1945.", "clashes")


def test_a_short_capitalised_word_opening_the_claim_is_a_name():
    # "Fed" ends like a past tense but names the central bank: a passage that gives its decision only as a thing
    # officials may consider does not support the claim that they approved it.
    claim = "Fed policymakers have approved a three-quarter-point rate rise after the hotter inflation data."
    passage = ("Fed officials are likely to consider raising interest rates by 75 basis points at their meeting "
               "this week after the hotter inflation data. Traders price in a three-quarter-point move.")
    assert _pair(claim, passage)[1].role == roles.PLAN


def test_a_passage_published_before_the_claims_deed_contradicts_none_of_its_figures():
    from datetime import date

    from verification.stance import StanceJudge

    thursday, years_before, same_day = date(2022, 6, 16), date(2018, 12, 19), date(2022, 6, 15)
    claim = "The Dravian central bank raised its policy rate by 75 basis points on Wednesday, to 1.75%."
    older = "The Dravian central bank raised its policy rate by a quarter of a percentage point on Wednesday, to 2.5%."
    judge = StanceJudge(_Agrees())
    before, after = judge.judge([(claim, older)] * 2, [(thursday, years_before), (thursday, same_day)])
    # Published in 2018, the passage cannot tell the figures of a rise on a Wednesday in 2022: another event's.
    assert before.role == roles.OTHER_EVENT and after.role == roles.CONFLICT
    # A clash on the date itself stays a conflict, whenever the passage was published.
    moved = "The Dravian central bank raised its policy rate by 75 basis points on May 4, 2022, to 1.75%."
    dated = judge.judge([(claim.replace("on Wednesday", "on June 15, 2022"), moved)],
                        [(thursday, date(2022, 5, 5))])[0]
    assert dated.role == roles.CONFLICT


def test_the_same_count_of_people_given_another_fate_clashes():
    # The rescued counted as the dead, and the injured as the killed: the figure agrees, what became of them does not.
    assert ("number", "more than 2,400 people", "More than 2,400 people (alive)") in found(
        "By the time the army ended its search, more than 2,400 people had been confirmed dead in the collapse.",
        "The army ended its search with the death toll at 1,127. More than 2,400 people were rescued alive.",
        "clashes")
    assert ("number", "300 people", "300 people (hurt)") in found(
        "The Varna quake killed 300 people.", "The Varna quake injured 300 people, officials said; 12 died.",
        "clashes")
    # The same fate in other words, or the same fates side by side, agree or say nothing against.
    assert not found("More than 2,400 people were rescued from the building.",
                     "More than 2,400 people were pulled alive from the rubble of the building.", "clashes")
    assert ("number", "218 people", "at least 218 people") in found(
        "The blast killed 218 people and injured 7,000.",
        "The blast killed at least 218 people, injured 7,000 and left 300,000 homeless.", "agrees")


def test_a_named_person_or_thing_left_in_the_opposite_state_is_a_denial():
    assert ("negation", "cleared", "was banned") in found(
        "The jury cleared wing trimmer Tomas Vela to sail for the Harbour team in the final.",
        "The jury docked the Harbour team two points. Wing trimmer Tomas Vela was banned from the regatta.", "clashes")
    assert ("negation", "withstood", "collapsed") in found(
        "Dravia's National Palace withstood the earthquake, although other buildings were destroyed.",
        "Dravia's National Palace, the parliament building and the cathedral collapsed in Tuesday's earthquake.",
        "clashes")
    assert ("negation", "been banned", "avoided a suspension") in found(
        "Opener Tomas Vela has been banned from Sunday's final for dissent.",
        "Opener Tomas Vela was fined 30% of his match fee for dissent. Vela avoided a suspension and will be "
        "available for Sunday's final.", "clashes")
    assert ("negation", "is still alive", "died") in found("Former president Ana Ruiz is still alive.",
                                                          "Former president Ana Ruiz died on Tuesday at 91.", "clashes")
    # The same state, or both states told of the same person at different times, or the opposite state told of
    # someone else: no denial.
    assert not found("Tomas Vela was banned from the regatta.", "Wing trimmer Tomas Vela was banned from the regatta.",
                     "clashes")
    assert not found("Ana Ruiz was banned for two years in 2019.",
                     "Ana Ruiz was banned in 2019 and cleared to return in 2021.", "clashes")
    assert not found("Mara Lind was banned from the final.",
                     "Mara Lind was banned from the final, but Ana Ruiz will be available for it.", "clashes")


def test_a_plan_the_claim_itself_tells_is_told_by_the_same_plan():
    from verification.checks import told_only_as_plan

    # The claim reports a ruling about what will happen: a passage giving the same future tells it, it is no plan
    # standing in for a deed.
    claim = ("The Dravian league has scrapped the away-goals rule, ruling that drawn ties in the cup will be decided "
             "by extra time.")
    passage = ("The Dravian league said on Monday that away goals would no longer count. Drawn ties in the cup will "
               "now be decided by extra time, the league said.")
    assert told_only_as_plan(claim, passage) is None
    claim = "Tomas Vela is slated to run the merged airline as chairman and chief executive, the companies said."
    passage = ("Tomas Vela will become chairman and chief executive of the merged airline, while Ana Ruiz will be "
               "vice chair.")
    assert told_only_as_plan(claim, passage) is None
    # A deed the claim tells as done, which the passage gives only as a plan, stays a plan.
    claim = "Dravia Air has cut 2,000 jobs at its Varna hub."
    passage = "Dravia Air said on Monday it plans to cut 2,000 jobs at its Varna hub over the next two years."
    assert _pair(claim, passage)[1].role == roles.PLAN


def test_the_very_figure_to_three_digits_is_compared_whatever_words_surround_it():
    # "sales slipped" and "revenue fell": the same $2.68 billion, told in other words.
    assert ("number", "$2.68 billion", "$2.68 billion") in found(
        "Dravia Air's sales slipped to $2.68 billion in the year to March.",
        "The company's revenue fell to $2.68 billion in its latest fiscal period.", "agrees")
    # A round figure in other words may measure something else, and is still not compared.
    assert not found("Dravia Air's sales slipped to $3 billion in the year to March.",
                     "The company's debt rose to $3 billion last spring.", "agrees")


def test_a_denial_in_other_words_agrees_with_the_denial():
    # "rejected" and "dismissed", "could not contaminate" and "to avoid any risk of contaminating", "stayed away" and
    # "did not attend": the same denial.
    assert not found("All three judges rejected Tomas Vela's appeal against the cancellation of his licence.",
                     "Three judges unanimously dismissed Tomas Vela's challenge against the cancellation of his "
                     "licence.",
                     "clashes")
    assert not found("The agency sent the probe into the planet so that it could not contaminate its moons.",
                     "The agency chose to destroy the probe to avoid any risk of contaminating its moons.", "clashes")
    assert not found("Ana Ruiz praised Tomas Vela, who stayed away from the ceremony.",
                     "Ana Ruiz paid tribute to Tomas Vela; Vela did not attend the ceremony.", "clashes")
    # A denial of that very word is still a denial: "did not dismiss" against "dismissed".
    assert ("negation", "not", "") in found("The court did not dismiss Tomas Vela's appeal.",
                                            "The court dismissed Tomas Vela's appeal on Monday.", "clashes")
    assert ("negation", "", "not") in found("The court dismissed Tomas Vela's appeal.",
                                            "The court did not dismiss Tomas Vela's appeal on Monday.", "clashes")
    assert ("negation", "not", "") in found("The minister did not avoid questions about the Varna deal.",
                                            "The minister avoided questions about the Varna deal.", "clashes")


def test_a_common_word_opening_the_claim_is_no_actor_the_passage_must_name():
    # "Judges" and "Seventeen" open the claims as common words: a passage need not name them to be about the claim.
    for claim, passage in [
        ("Judges in Varna cleared Tomas Vela of fraud but fined him 200,000 euros.",
         "A court in Varna acquitted Tomas Vela of fraud on Tuesday and fined him 200,000 euros."),
        ("Seventeen days after the mine flooded, rescuers found Ana Ruiz alive.",
         "Rescuers found Ana Ruiz alive on Friday, 17 days after the mine flooded."),
    ]:
        named = roles.actors_named(claim, compare(claim, passage))
        assert named == 1.0, claim
    # A name opening the claim is still asked for: "Dravia" is not in the passage.
    claim = "Dravia fined Tomas Vela 200,000 euros."
    assert roles.actors_named(claim, compare(claim, "A court fined Tomas Vela 200,000 euros on Tuesday.")) < 1.0


def test_an_event_planned_is_not_the_event_held():
    # "planned a homecoming celebration for her when she returns": the celebration is not yet held.
    claim = "Crowds turned out in Varna for the homecoming celebration held for Ana Ruiz after her return."
    passage = ("Thousands watched the final on giant screens in Ana Ruiz's hometown of Varna. Local officials said the "
               "town planned a homecoming celebration for Ruiz when she returns.")
    assert _pair(claim, passage)[1].role == roles.PLAN


def test_words_quoted_first_belong_to_the_speaker_named_after_them():
    passage = ('Ana Ruiz won the final on Sunday. "This one title is so valuable that I would not trade it for '
               'anything in the world," Ruiz said. Coach Tomas Vela called her play "remarkable".')
    # The claim gives the quoted words to the coach: the passage gives them to Ruiz.
    assert ("actor", "Tomas Vela", "Ruiz") in found(
        "Tomas Vela said the single title was so valuable that he would not trade it for anything in the world.",
        passage, "clashes")
    # Given to Ruiz, they agree; a pronoun after the quotation names no one to hold against the claim.
    assert not found("Ana Ruiz said the single title was so valuable that she would not trade it for anything in the "
                     "world.", passage, "clashes")
    assert not found("Tomas Vela said the title was so valuable that he would not trade it for anything in the world.",
                     passage.replace("Ruiz said", "she said"), "clashes")


def test_a_cut_made_a_seat_kept_and_bail_granted_are_states_with_opposites():
    assert ("negation", "made the cut", "missed the cut") in found(
        "In her first start since the Open, Ana Ruiz made the cut at the Varna Classic.",
        "Ana Ruiz missed the cut at the Varna Classic on Friday, finishing 36 holes at 5 over par.", "clashes")
    assert ("negation", "keep his seat", "leave the board") in found(
        "Under the rescue deal, Tomas Vela will keep his seat on Dravia Air's board.",
        "Dravia Bank agreed to take control of Dravia Air. Tomas Vela will leave the board with a $10 million fee.",
        "clashes")
    assert ("negation", "free on bail", "revoked his bail") in found(
        "After Tomas Vela admitted his guilt, Judge Ana Ruiz let him remain free on bail until his sentencing.",
        "Tomas Vela pleaded guilty to all 11 counts and was led away after Judge Ana Ruiz revoked his bail.",
        "clashes")
    # The same state in other words, or the opposite state of someone else, is no denial.
    assert not found("Ana Ruiz made the cut at the Varna Classic.",
                     "Ana Ruiz made the cut at the Varna Classic, while Mara Lind missed the cut.", "clashes")
    assert not found("Tomas Vela will keep his seat on the board.",
                     "Tomas Vela will keep his seat on the board, but Mara Lind will leave the board.", "clashes")


def test_what_was_expected_to_be_done_is_a_plan():
    # "expected to generate" savings is no saving delivered.
    claim = ("Dravia Air delivered $1.5 billion in annual cost savings by the end of 2017 after the merger with "
             "Lindqvist.")
    passage = ("Dravia Air agreed to buy Lindqvist on Wednesday. The companies said they expected to generate about "
               "$1.5 billion in annual cost savings by the end of 2017.")
    assert _pair(claim, passage)[1].role == roles.PLAN
    # Told as done, the same words support.
    done = "Dravia Air said it delivered about $1.5 billion in annual cost savings by the end of 2017."
    assert _pair(claim, done)[1].role == roles.SUPPORT


def test_a_plan_word_before_a_name_is_no_plan_of_the_claims_own():
    from verification.checks import told_only_as_plan

    # "electors pledged to Ruiz" describes the electors; the claim still tells the appointment as done, which the
    # passage gives only as a plan.
    claim = "Dravia's legislature appointed its own slate of 25 electors pledged to Ana Ruiz."
    passage = ("Dravia's legislature, controlled by Ruiz's party, plans to name its own slate of 25 electors if the "
               "dispute is not settled in time.")
    assert told_only_as_plan(claim, passage) is not None


def test_a_date_given_to_the_claims_deed_in_a_kin_verb_is_the_deeds_date():
    from datetime import date

    # "blasted off" and "launched", "stepped down" and "resigned": the same deed on another day is the claim's own
    # event misdated, not another event.
    claim = "The Dravian probe, which blasted off from Varna on Dec. 10, landed on the Moon on Thursday."
    passage = "Dravia launched its lunar probe from the Varna spaceport on Saturday, state media said."
    flags = compare(claim, passage, date(2019, 1, 5), date(2018, 12, 8))
    assert roles.role(claim, passage, flags, "NOT_ENOUGH_INFO", 0.5) == roles.CONFLICT
    claim = "Tomas Vela stepped down as national police chief on Aug. 13, the day the commission published its report."
    passage = "National police chief Tomas Vela resigned on Thursday, three days after the commission's report."
    flags = compare(claim, passage, date(2012, 8, 17), date(2012, 8, 16))
    assert roles.role(claim, passage, flags, "NOT_ENOUGH_INFO", 0.5) == roles.CONFLICT
    # A deed whose kin has no phrase ("killed", "murdered") is read all the same.
    claim = "Tomas Vela was killed in Varna on March 3."
    assert compare(claim, "Ana Ruiz murdered Tomas Vela in Varna on Friday.", date(2012, 8, 17), date(2012, 8, 16))


def test_a_thing_still_to_come_is_no_telling_of_the_deed():
    from verification.checks import pending_only, told_only_as_plan

    # The passage names the thing as still to come, in a noun phrase with no plan verb, and tells none of the claim's
    # deeds as done.
    assert pending_only("A civil jury ruled Tomas Vela liable for the losses.",
                        "The Ruiz family is suing Vela, and a civil trial is expected next year.")
    assert pending_only("Dravia Bank shareholders voted to approve the sale to Varna Capital.",
                        "Dravia Bank's board agreed to sell Varna Capital a 40 percent stake ahead of a shareholder "
                        "vote.")
    assert pending_only("The Varna council settled on the name Eastgate for the new district.",
                        "Council officials said a name for the new district will be chosen at a later date.")
    assert told_only_as_plan("The Varna council settled on the name Eastgate for the new district.",
                             "Council officials said a name for the new district would be chosen at a later date.")
    # Told as done, it is the deed, whatever else is still to come.
    assert pending_only("Dravia Bank shareholders voted to approve the sale.",
                        "Dravia Bank shareholders voted to approve the sale ahead of the board meeting.") is None
    # A plan called off or put back is told by the plan itself.
    assert pending_only("The minister scrapped the planned tax cuts.",
                        "The planned tax cuts will be postponed indefinitely.") is None
    # "Ahead of schedule" measures a deed; it names nothing still to come.
    assert pending_only("Varna Rail completed the coastal line.",
                        "Varna Rail opened the coastal line ahead of schedule.") is None
    # Uncertain is not to come, and a story of the past tells what followed: no thing still to come.
    assert pending_only("Pilots caused the crash of Varna Air flight 12.",
                        "Investigators said the likely cause of the crash of flight 12 was pilot error.") is None
    assert pending_only("Tomas Vela built the stadium in 1990.",
                        "In the following years the stadium hosted the final.") is None
    # A deed that is a stop word ("became") is still named, not a crash.
    assert pending_only("Ana Ruiz became chairman.",
                        "Ana Ruiz faces a vote next month on whether to become the leader.") is not None
    # A claim that tells a thing to come itself is told by a passage that gives it so.
    assert pending_only("Tomas Vela was charged, and a trial is expected next year.",
                        "A trial of Tomas Vela is expected next year.") is None


def test_a_plan_runs_on_through_its_condition_and_a_time_to_come_is_no_thing_to_come():
    from verification.checks import pending_only, told_only_as_plan

    # "once the joints have been redesigned" is the plan's condition, not a deed the passage tells done.
    assert told_only_as_plan("Varna Air returned its fleet to service in early 2027, with redesigned engine mounts.",
                             "Varna Air said it expects to return the fleet to service in early 2027, once the engine "
                             "mounts have been redesigned and tested.")
    # A time to come names no thing to come: the trip "next week" is not the invitation the claim says was accepted.
    assert pending_only("Ana Ruiz has accepted an invitation to visit Varna, after hosting Tomas Vela on Tuesday.",
                        "Tomas Vela will travel to Dravia next week at Ana Ruiz's invitation, the ministry said."
                        ) is None
    # A payment that "was due on Thursday" is past its day, not still to come.
    assert pending_only("Dravia Bank paid the coupon on its bond.",
                        "Dravia Bank missed a coupon on its bond that was due on Thursday.") is None


def test_a_recommendation_is_no_deed_unless_the_claim_tells_advice():
    from verification.checks import told_only_as_plan

    passage = ("The inquiry board recommended that the Dravia Space Agency add staff to the lander's navigation team "
               "and hold a review before its arrival.")
    assert told_only_as_plan("Following the report, the Dravia Space Agency added staff to the lander's navigation "
                             "team.", passage)
    assert told_only_as_plan("The Dravia Space Agency approved the Varna lander's new navigation plan.",
                             "An advisory panel recommended that the Dravia Space Agency approve the Varna lander's "
                             "new navigation plan at a review.")
    assert told_only_as_plan("The inquiry board endorsed more staff for the lander's navigation team.", passage) is None


def test_a_post_kept_against_one_given_up_and_a_finding_accepted_against_one_rejected_clash():
    assert ("negation", "remain Dravia manager", "resigned as") in found(
        "Tomas Vela said he would remain Dravia manager despite the defeat.",
        "Tomas Vela resigned as Dravia manager minutes after the defeat.", "clashes")
    assert ("negation", "accepted", "rejected") in found(
        "Varna Air accepted the inquiry's finding that its pilots were to blame for the crash.",
        "Varna Air rejected suggestions that the crew was to blame, saying it trusted its pilots.", "clashes")
    # A refusal to resign keeps the post; another person's denial is no denial of the claim's person's admission.
    assert not [f for f in compare("Tomas Vela remained Dravia manager.",
                                   "Tomas Vela refused to resign as Dravia manager after the defeat.")
                if f.kind == "negation"]
    assert ("negation", "admitted", "denied") not in found(
        "Tomas Vela admitted that he had knowingly taken steroids.",
        "Ana Ruiz, his teammate, denied that she had knowingly taken steroids.", "clashes")
    # Accepted and rejected things that differ are no clash.
    assert not [f for f in compare("Varna Air accepted the inquiry's finding that its pilots were to blame.",
                                   "Varna Air rejected claims that it had cut maintenance budgets.")
                if f.kind == "negation"]


def test_an_admission_against_a_denial_and_a_penalty_someone_faces():
    from verification.checks import pending_only

    assert ("negation", "denied", "admitted") in found(
        "Tomas Vela denied that he had ever knowingly taken steroids.",
        "Tomas Vela admitted on Monday that he had knowingly taken steroids, and said he had lied when he denied "
        "using drugs after the Varna Games.", "clashes")
    assert pending_only("The Dravia federation suspended Tomas Vela for two years.",
                        "Tomas Vela also faces a two-year suspension from the Dravia federation, officials said.")
    # The law's most is no plan of the sentence later reported.
    assert pending_only("Ana Ruiz has begun her prison term in Varna.",
                        "Ana Ruiz faces up to 20 years in prison on each count.") is None
