"""Who is who in one article: full names, their titles, and resolution of "Lavrov", "he" and
"the long-time Russian foreign minister" to the person the article named earlier."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PRONOUNS = {"he", "she", "they", "him", "her", "his", "i", "we"}
TITLE_WORDS = {
    "minister", "president", "leader", "ambassador", "secretary", "spokesman", "spokeswoman", "spokesperson",
    "diplomat", "official", "chancellor", "premier", "envoy", "ruler", "king", "queen", "general", "senator",
    "governor", "mayor", "chairman", "chief", "director", "prime", "foreign", "defense", "defence",
    "commander", "head", "representative", "lawmaker", "adviser", "advisor", "negotiator", "analyst",
}
# A role that names an office by another word: "the country's top diplomat" is its foreign minister.
ROLE_SYNONYMS = {"diplomat": {"foreign", "minister"}, "ruler": {"leader"}, "premier": {"prime", "minister"}}
_IGNORED_ROLE_WORDS = {"the", "a", "an", "long", "time", "long-time", "longtime", "former", "retired", "top",
                       "'s", "country", "new", "veteran", "current", "then", "-"}


@dataclass
class Person:
    name: str
    title_words: set[str] = field(default_factory=set)
    last_seen: int = 0


class People:
    """Per-article registry, filled in reading order so that resolution only looks backwards."""

    def __init__(self) -> None:
        self.by_name: dict[str, Person] = {}
        self.last_speaker: Person | None = None

    def observe(self, doc_or_span, offset: int) -> None:
        """Record every multi-word person name, with the title words written just before it."""
        for ent in doc_or_span.ents:
            if ent.label_ != "PERSON" or len(ent) < 2:
                continue
            end = ent.end
            doc = ent.doc
            # NER cuts "Bruni-Rossi" at the hyphen; a hyphen with no spaces joins one name.
            while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
                    and not doc[end].whitespace_ and doc[end + 1].is_alpha:
                end += 2
            name = doc[ent.start : end].text.strip()
            person = self.by_name.setdefault(name, Person(name))
            person.last_seen = offset + ent.start_char
            for token in reversed(list(ent.doc[max(ent.start - 5, 0) : ent.start])):
                word = token.text.lower()
                if token.is_punct or token.pos_ in {"DET", "VERB", "ADP", "AUX"}:
                    break
                person.title_words.add(word)

    def _by_surname(self, text: str) -> Person | None:
        last = text.split()[-1] if text.split() else ""
        matches = [p for p in self.by_name.values() if p.name.split()[-1] == last]
        return max(matches, key=lambda p: p.last_seen) if matches else None

    def resolve(self, source_text: str) -> str:
        """Best name for a source as written; the text itself when nobody in the article fits."""
        text = re.sub(r"\s+", " ", source_text).strip(" ,\"“”")
        if not text:
            return ""
        lowered = text.lower()
        if lowered in PRONOUNS:
            if lowered in {"i", "we", "they"}:
                return text
            if self.last_speaker:
                return self.last_speaker.name
            recent = max(self.by_name.values(), key=lambda p: p.last_seen, default=None)
            return recent.name if recent else text
        for name in self.by_name:
            if name in text:
                return name
        person = self._by_surname(text)
        if person and text[0].isupper() and len(text.split()) <= 2:
            return person.name
        # Only a definite description ("the minister", "Russia's top diplomat") points back to someone
        # named earlier; "a Russian diplomat" introduces a new, unnamed source.
        definite = lowered.startswith("the ") or "'s " in lowered
        role = self._by_role(lowered) if definite else None
        if role:
            return role.name
        return text

    def _by_role(self, lowered: str) -> Person | None:
        words = {w for w in re.findall(r"[a-z'-]+", lowered) if w not in _IGNORED_ROLE_WORDS}
        if not words & TITLE_WORDS:
            return None
        wanted = set(words)
        for word in list(words):
            wanted |= ROLE_SYNONYMS.get(word, set())
        best, best_score = None, 0
        for person in self.by_name.values():
            score = len(wanted & person.title_words)
            head_ok = bool(wanted & person.title_words & TITLE_WORDS)
            if head_ok and (score > best_score or (score == best_score and best and person.last_seen > best.last_seen)):
                best, best_score = person, score
        return best

    def spoke(self, name: str) -> None:
        """Remember the last named speaker, which is what a later "he said" usually points to."""
        person = self.by_name.get(name)
        if person is not None:
            self.last_speaker = person
