"""Which language a text is written in: a non-English article is refused instead of given verdicts, and a
non-English corpus document is counted and left out of search.

Every model Claimdesk checks with reads English only (the spaCy pipeline, the sentence encoder, the stance model,
the attribution tagger). A German article comes out split at "25." with no speakers found, and a French one was
called "conflicted" by a passage saying the same thing in English. So a check refuses an article that reads as
another language, with one line that says which, rather than give verdicts nobody should trust.

Detection is lingua's (rule- and n-gram-based, offline, no downloads), restricted to languages common in news so
that a short paragraph is not mistaken for a rare language; accuracy on single news paragraphs is measured by
``bench/language_detection.py``.
"""

from __future__ import annotations

from functools import lru_cache

ENGLISH = "en"
MIN_WORDS = 8  # fewer words than this carry too little to tell languages apart: not judged
SAMPLE_CHARS = 4000  # the head of the article is enough, and keeps the cost flat for long ones
_NEWS_LANGUAGES = (
    "ENGLISH", "GERMAN", "FRENCH", "SPANISH", "RUSSIAN", "ITALIAN", "PORTUGUESE", "DUTCH", "POLISH", "UKRAINIAN",
    "TURKISH", "ARABIC", "CHINESE", "JAPANESE", "KOREAN", "SWEDISH", "DANISH", "BOKMAL", "FINNISH", "CZECH",
    "HUNGARIAN", "ROMANIAN", "GREEK", "HEBREW", "PERSIAN", "HINDI", "INDONESIAN", "VIETNAMESE", "CROATIAN",
    "SERBIAN", "BULGARIAN",
)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in _NEWS_LANGUAGES)).build()


def detect(text: str, sample_chars: int = SAMPLE_CHARS) -> tuple[str, str, float] | None:
    """(ISO 639-1 code, language name, confidence 0-1) of the text's most likely language, or None when the text
    has too few words to judge. Only the first ``sample_chars`` characters are read."""
    sample = text[:sample_chars]
    if sum(1 for word in sample.split() if any(ch.isalpha() for ch in word)) < MIN_WORDS:
        return None
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), top.language.name.capitalize(), round(float(top.value), 3)
