"""Every claim can be read alone: no fragments, no bare attribution tails, split-off pieces keep their subject,
and sources written as pronouns or roles are named in the text the model reads. Offsets still point into the
article."""

from __future__ import annotations

import pytest

from claims.ingest import article_from_text, read_article

pytestmark = pytest.mark.integration

ARTICLE = "\n\n".join([
    "Lander makes history",
    "Japan's lander touched down near the Moon's south pole on August 23, 2023, a first for that region.",
    '"The instruments are working better than we hoped," said Jane Rigby, Webb\'s operations project scientist.',
    "The space agency's director Kenji Sato spoke to reporters on Friday. The director said the mission had cost "
    "18 billion yen, adding that a second lander was planned for 2026.",
    "He said.",
    "The board asked who had signed the contract and who approved the payments.",
]) + "\n"


@pytest.fixture(scope="module")
def claims(extractor):
    return extractor.extract(article_from_text(ARTICLE, origin="test", html=False))


def _fragment_problems(claims, nlp) -> list[str]:
    problems = []
    for claim in claims:
        doc = nlp(claim.checked_text)
        words = [t for t in doc if not t.is_punct]
        if len(words) < 4:
            problems.append(f"under 4 words: {claim.checked_text!r}")
        if not any(t.pos_ in {"VERB", "AUX"} for t in doc):
            problems.append(f"no verb: {claim.checked_text!r}")
        if claim.checked_text.lower().startswith(("adding", "a first", "the latest", "the first")):
            problems.append(f"starts as a fragment: {claim.checked_text!r}")
    return problems


def test_offsets_point_into_the_article_and_the_text_the_model_reads_stands_alone(claims, extractor):
    article = article_from_text(ARTICLE, origin="test", html=False)
    for claim in claims:
        assert article.text[claim.start:claim.end] == claim.text
    assert _fragment_problems(claims, extractor.nlp) == []


def test_an_event_appositive_is_checked_with_its_subject(claims):
    first = [c for c in claims if "a first for that region" in c.text]
    assert first and all("Japan's lander" in c.checked_text for c in first)


def test_a_role_appositive_is_not_a_claim_of_its_own(claims):
    assert not any(c.text.startswith("Webb's operations") for c in claims)


def test_a_role_source_is_named_and_an_adding_tail_keeps_its_subject(claims):
    cost = next(c for c in claims if "18 billion yen" in c.text)
    assert cost.speaker == "Kenji Sato" and cost.checked_text.startswith("Kenji Sato said")
    planned = [c for c in claims if "second lander" in c.text]
    assert planned and all("Kenji Sato" in c.checked_text and "mission" in c.checked_text for c in planned)


def test_a_who_clause_is_not_split_from_its_question(claims):
    assert not any(c.text.startswith("who ") for c in claims)
    assert any("who approved the payments" in c.checked_text and "board asked" in c.checked_text for c in claims)


def test_a_role_with_a_nationality_is_still_a_role(extractor):
    text = ("Russian Foreign Minister Sergey Lavrov arrived in Pyongyang on Monday.\n\n"
            "The long-time Russian foreign minister said the talks would cover trade and energy.\n")
    said = next(c for c in extractor.extract(article_from_text(text, origin="test", html=False)) if "talks" in c.text)
    assert said.speaker == "Sergey Lavrov"
    assert said.checked_text == "Sergey Lavrov said the talks would cover trade and energy."
    assert said.text.startswith("The long-time Russian foreign minister said")


def test_a_bare_attribution_is_not_a_claim(claims):
    assert not any(c.text.strip(" .") == "He said" for c in claims)


def test_the_seed_article_has_no_fragment_claims(extractor, seed_article_path):
    claims = extractor.extract(read_article(seed_article_path))
    assert len(claims) >= 12
    assert _fragment_problems(claims, extractor.nlp) == []
    latest = next(c for c in claims if c.text.startswith("the latest in a series"))
    assert "Lavrov will visit Pyongyang" in latest.checked_text
