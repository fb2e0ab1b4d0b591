"""An article in another language is refused with one line that names the language, never given verdicts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from claims.ingest import ArticleError, article_from_text
from common.language import detect

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]

GERMAN = ("Der russische Außenminister Sergej Lawrow wird am 25. April nach Pjöngjang reisen. Das teilte das "
          "Ministerium am Dienstag mit. Ein Termin für ein Gipfeltreffen stehe noch nicht fest.")
FRENCH = ("Kim Jong Un rencontrera le président sud-coréen Moon Jae-in le 27 avril, a annoncé mardi la présidence. "
          "Ce sera la première rencontre entre les dirigeants des deux Corées depuis dix ans.")
ENGLISH_WITH_A_FOREIGN_QUOTE = (
    "Russian Foreign Minister Sergey Lavrov will visit Pyongyang next week. Speaking in Moscow, he used a German "
    'phrase, "Vertrauen ist gut, Kontrolle ist besser", to describe the talks, which begin on April 25.')


@pytest.mark.parametrize("text, name", [(GERMAN, "German"), (FRENCH, "French")])
def test_a_foreign_article_is_refused_naming_its_language(text, name):
    with pytest.raises(ArticleError, match=rf"reads as {name} .*English articles only"):
        article_from_text(text, origin="pasted", html=False)


def test_an_english_article_with_a_foreign_quote_is_checked():
    assert article_from_text(ENGLISH_WITH_A_FOREIGN_QUOTE, origin="pasted", html=False).text
    assert detect(ENGLISH_WITH_A_FOREIGN_QUOTE)[0] == "en"


def test_a_few_words_are_not_judged():
    assert detect("Lawrow in Pjöngjang") is None


def test_check_refuses_a_foreign_article_with_one_line_and_writes_nothing(tmp_path):
    article = tmp_path / "artikel.txt"
    article.write_text(GERMAN, encoding="utf-8")
    out = tmp_path / "result.json"
    done = subprocess.run([sys.executable, "-m", "claimdesk.cli", "check", str(article), "--out", str(out),
                           "--no-store"], capture_output=True, text=True, cwd=REPO, timeout=300,
                          env={**os.environ, "CLAIMDESK_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0
    assert "German" in done.stderr and not out.exists()
