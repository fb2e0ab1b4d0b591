"""Who said what: each PARC/PolNeAR pattern on short sentences of our own, and the seed article."""

from __future__ import annotations

import pytest

from claims.ingest import article_from_text, read_article

pytestmark = pytest.mark.integration


def claims_of(extractor, text: str):
    return extractor.extract(article_from_text(text))


def only(extractor, text: str):
    found = claims_of(extractor, text)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


def test_cue_after_content(extractor):
    claim = only(extractor, '"The port will reopen in June," Maria Lopez said on Friday.')
    a = claim.attribution
    assert (a.speaker, a.cue, a.quote_type) == ("Maria Lopez", "said", "direct")
    text = claim.text
    assert [text[s - claim.start : e - claim.start] for s, e in a.content] == ["The port will reopen in June"]


def test_cue_before_content_indirect(extractor):
    claim = only(extractor, "Finance Minister Ana Duarte said the deficit fell to 3 percent last year.")
    a = claim.attribution
    assert a.speaker == "Ana Duarte" and a.cue == "said" and a.quote_type == "indirect"


def test_split_quote_around_cue(extractor):
    text = '"We are ready," Ana Duarte said, "and the budget will pass by March."'
    claim = only(extractor, text)
    assert claim.attribution.speaker == "Ana Duarte"
    assert claim.attribution.quote_type == "direct"
    content = [text[s:e] for s, e in claim.attribution.content]
    assert any("We are ready" in c for c in content) and any("budget will pass" in c for c in content)


def test_mixed_quote(extractor):
    claim = only(extractor, 'Ana Duarte said the plan would bring "lasting stability" to the region.')
    assert claim.attribution.quote_type == "mixed"


def test_according_to_an_outlet(extractor):
    claim = only(extractor, "The talks covered border security, according to state news agency Xinhua.")
    assert claim.attribution.outlet == "Xinhua"
    assert claim.attribution.cue == "according to"


def test_according_to_a_person(extractor):
    claim = only(extractor, "Exports rose by 12 percent in May, according to trade minister Paulo Reis.")
    assert claim.attribution.speaker == "Paulo Reis"
    assert claim.attribution.outlet == ""


def test_told_and_said_in_a_statement(extractor):
    told = only(extractor, "Retired general Omar Haddad told reporters the base had closed in 2015.")
    assert (told.attribution.speaker, told.attribution.cue) == ("Omar Haddad", "told")
    statement = only(extractor, "The ministry said in a statement that 40 people were evacuated.")
    assert statement.attribution.cue == "said" and "ministry" in statement.attribution.speaker.lower()


def test_nested_attribution_keeps_speaker_and_outlet(extractor):
    claim = only(extractor, "Lavrov said, according to TASS, that Moscow would send aid to the region.")
    assert claim.attribution.speaker == "Lavrov"
    assert claim.attribution.outlet == "TASS"


def test_nested_attribution_counts_both_sources(extractor):
    """For the attribution evaluation (PARC counts every attribution): Lavrov's and TASS's, one each."""
    text = "Lavrov said, according to TASS, that Moscow would send aid to the region."
    found = {(a.source_text, a.cue) for a in extractor.attributions(article_from_text(text))}
    assert found == {("Lavrov", "said"), ("TASS", "according to")}


def test_pronoun_and_role_resolve_to_the_named_person(extractor):
    text = (
        "Italian Foreign Minister Carla Bruni-Rossi arrived in Oslo on Monday.\n\n"
        "\"The talks went well,\" she said.\n\n"
        "The Italian foreign minister said the two countries would sign a fisheries deal in June."
    )
    found = claims_of(extractor, text)
    speakers = [c.attribution.speaker for c in found if c.attribution.cue]
    assert speakers == ["Carla Bruni-Rossi", "Carla Bruni-Rossi"]


def test_indefinite_role_is_not_resolved(extractor):
    text = (
        "Italian Foreign Minister Carla Bruni-Rossi arrived in Oslo on Monday.\n\n"
        "An Italian diplomat said the visit would last three days."
    )
    speakers = [c.attribution.speaker for c in claims_of(extractor, text) if c.attribution.cue]
    assert speakers == ["An Italian diplomat"]


def test_multi_sentence_quote(extractor):
    text = '"The bridge is finished. It opens to traffic on May 2," Mayor Lena Holm said.'
    found = claims_of(extractor, text)
    assert len(found) == 2
    assert all(c.attribution.speaker == "Lena Holm" for c in found)
    assert all(c.attribution.quote_type == "direct" for c in found)


def test_unattributed_claim_is_the_articles_own(extractor):
    claim = only(extractor, "The summit will take place in Geneva on June 4.")
    assert not claim.attribution.is_attributed
    assert claim.attribution.quote_type == "none"


def test_adding_that_splits_into_two_claims_with_the_same_speaker(extractor):
    found = claims_of(
        extractor,
        "Lavrov said Moscow wanted good relations with Pyongyang, adding that Russia would continue "
        "humanitarian assistance.",
    )
    assert len(found) == 2
    assert [c.attribution.speaker for c in found] == ["Lavrov", "Lavrov"]
    assert found[1].text.startswith("adding that Russia would continue")


def test_checkworthiness_ranks_facts_above_chatter(extractor):
    fact = only(extractor, "The government spent $4 billion on 12 new hospitals in 2019, the ministry said.")
    opinion = only(extractor, "I think this is a wonderful and beautiful day for everyone.")
    question = only(extractor, "What will the minister do about the hospitals next year?")
    assert fact.checkworthiness > opinion.checkworthiness
    assert fact.checkworthiness > question.checkworthiness


def test_claim_ids_are_stable(extractor):
    text = "The summit will take place in Geneva on June 4. Officials said 300 delegates would attend."
    first = [c.id for c in claims_of(extractor, text)]
    second = [c.id for c in claims_of(extractor, text)]
    assert first == second and len(set(first)) == len(first)


def test_seed_article_acceptance(extractor, seed_article_path):
    article = read_article(seed_article_path)
    claims = extractor.extract(article)
    assert len(claims) >= 18
    texts = [c.text for c in claims]
    for furniture in ("Nada Bashir", "Ben Westcott", "(CNN) —", "Copyright", "Posted", "World News"):
        assert not any(furniture in t for t in texts), furniture
    for claim in claims:
        assert article.text[claim.start : claim.end] == claim.text

    def claim_with(fragment):
        return next(c for c in claims if fragment in c.text)

    tass = claim_with("Moscow wanted to develop")
    a = tass.attribution
    assert (a.speaker, a.cue, a.outlet) == ("Sergey Lavrov", "said", "TASS")
    october = claim_with("October will mark 70 years")
    assert october.attribution.speaker == "Sergey Lavrov" and october.attribution.outlet == "TASS"
    assert october.attribution.quote_type == "direct"
    assert claim_with("humanitarian assistance").attribution.speaker == "Sergey Lavrov"
    assert claim_with("very happy about the invitation").attribution.speaker == "Sergey Lavrov"
    assert claim_with("regularly exchange statements").attribution.speaker == "Sergey Lavrov"
    assert claim_with("trilateral projects").attribution.speaker == "Sergey Lavrov"
    assert claim_with("North Korean regime likely wants").attribution.speaker == "William Courtney"
    assert claim_with("late May or early June").attribution.speaker == "US officials"
    assert claim_with("resolving the situation").attribution.outlet == "TASS"
    own = claim_with("Kim is scheduled to meet")
    assert not own.attribution.is_attributed


@pytest.mark.parametrize("pronoun_text", ["he said", "he added"])
def test_pronoun_follows_last_named_speaker(extractor, pronoun_text):
    text = (f"Prime Minister Jonas Berg said taxes would fall in 2020. "
            f"\"Growth is strong,\" {pronoun_text}.")
    found = claims_of(extractor, text)
    assert [c.attribution.speaker for c in found] == ["Jonas Berg", "Jonas Berg"]


def test_cue_split_off_after_a_question_quote(extractor):
    found = claims_of(extractor, '"How many times must this happen in our city?" Mayor Lena Holm said.')
    assert len(found) == 1
    assert found[0].attribution.speaker == "Lena Holm" and found[0].attribution.quote_type == "direct"


def test_parenthetical_cue(extractor):
    claim = only(extractor, "The port will reopen in June, the harbour master Ivo Petrov said, after repairs.")
    assert claim.attribution.speaker == "Ivo Petrov" and claim.attribution.cue == "said"
