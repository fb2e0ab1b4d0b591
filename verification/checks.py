"""Consistency checks between a claim and a passage: dates, numbers, names and negation.

Each finding is a ``Flag`` with the spans involved, so the dashboard can highlight exactly what
agrees and what clashes. Extraction is rule-based (regular expressions), because it runs on every
claim × evidence pair and must stay far cheaper than the stance model.
"""

from __future__ import annotations

import re

from verification.types import Flag

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|" \
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_MONTH_DAY = re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b|"
                        rf"\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>{_MONTH})\b")
_BARE_MONTH = re.compile(rf"\b(?:in|since|during|until|by|early|late|mid-?)\s+(?P<month>{_MONTH})\b(?!\.?\s+\d)")
_YEAR = re.compile(r"\b(?:1[6-9]\d\d|20\d\d)\b")
_NUMBER = re.compile(
    r"(?<![\w.])(?P<value>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?P<scale>%|(?:percent|per cent|million|billion|"
    r"thousand|trillion)\b)|\s+(?!(?:to|and|or|in|of|the|a|an|on|at|by|for|from|per|with|than|after|before)\b)"
    r"(?P<unit>[a-z]+))?",
    re.IGNORECASE,
)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40,
                 "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
                 "dozen": 12, "decade": 10}
_WORD_NUMBER = re.compile(r"\b(?P<value>" + "|".join(_WORD_NUMBERS) + r")\s+(?P<unit>[a-z]{3,})", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|n't|denied|denies|deny|refused|refuses|"
                       r"rejected|rejects|cannot|failed|fails)\b|n't\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+|-[a-z]+)*\b")
_STOP_NAMES = {"The", "A", "An", "In", "On", "At", "But", "And", "He", "She", "It", "They", "We", "This", "That",
               "There", "His", "Her", "Its", "Their", "Meanwhile", "However", "After", "Before", "During", "As",
               "When", "While", "If", "According", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
               "Saturday", "Sunday", "Last", "Next", "Earlier", "Later", "Also"} | {m.capitalize() for m in MONTHS}
_SCALE = {"%": 1, "percent": 1, "per cent": 1, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _month_number(text: str) -> int:
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(text.lower()[:3]))


def month_days(text: str) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    out = []
    for m in _MONTH_DAY.finditer(text):
        month = m["month"] or m["month2"]
        day = int(m["day"] or m["day2"])
        if 1 <= day <= 31:
            out.append(((_month_number(month), day), m.span(), m.group(0)))
    return out


def bare_months(text: str) -> list[tuple[int, tuple[int, int], str]]:
    """"in March", "since October": a month named without a day."""
    return [(_month_number(m["month"]), m.span("month"), m["month"]) for m in _BARE_MONTH.finditer(text)]


def years(text: str) -> list[tuple[int, tuple[int, int], str]]:
    return [(int(m.group(0)), m.span(), m.group(0)) for m in _YEAR.finditer(text)]


def quantities(text: str) -> list[tuple[float, str, tuple[int, int], str]]:
    """(value, unit, span, surface) for numbers that are not years or days of a month."""
    taken = [span for _, span, _ in month_days(text)] + [span for _, span, _ in years(text)]
    out = []
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        value = float(m["value"].replace(",", "")) * _SCALE.get((m["scale"] or "").lower(), 1)
        unit = ("%" if (m["scale"] or "").lower() in {"%", "percent", "per cent"} else (m["unit"] or "").lower())
        out.append((value, unit.rstrip("s"), m.span(), m.group(0).strip()))
    for m in _WORD_NUMBER.finditer(text):
        out.append((float(_WORD_NUMBERS[m["value"].lower()]), m["unit"].lower().rstrip("s"), m.span(), m.group(0)))
    return out


def names(text: str) -> list[tuple[str, tuple[int, int]]]:
    found = []
    for m in _NAME.finditer(text):
        words = [w for w in m.group(0).split() if w not in _STOP_NAMES]
        if words and (m.start() > 0 or len(words) > 1 or m.group(0) not in _STOP_NAMES):
            surface = " ".join(words)
            start = m.start() + m.group(0).find(words[0])
            found.append((surface, (start, start + len(surface))))
    return found


def compare(claim: str, evidence: str) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    flags += _compare_month_days(claim, evidence)
    flags += _compare_bare_months(claim, evidence)
    flags += _compare_years(claim, evidence)
    flags += _compare_quantities(claim, evidence)
    flags += _compare_names(claim, evidence)
    claim_neg = len(_NEGATION.findall(claim)) % 2
    evidence_neg = len(_NEGATION.findall(evidence)) % 2
    if claim_neg != evidence_neg:
        flags.append(Flag("negation", "missing"))
    return tuple(flags)


def _compare_month_days(claim: str, evidence: str) -> list[Flag]:
    flags = []
    theirs = month_days(evidence)
    for value, span, surface in month_days(claim):
        same = next((t for t in theirs if t[0] == value), None)
        if same:
            flags.append(Flag("date", "agrees", surface, same[2], span, same[1]))
            continue
        same_month = next((t for t in theirs if t[0][0] == value[0]), None)
        other = same_month or (theirs[0] if theirs else None)
        if other:
            flags.append(Flag("date", "clashes", surface, other[2], span, other[1]))
    return flags


def _compare_bare_months(claim: str, evidence: str) -> list[Flag]:
    flags = []
    theirs = bare_months(evidence) + [(value[0], span, surface) for value, span, surface in month_days(evidence)]
    for value, span, surface in bare_months(claim):
        same = next((t for t in theirs if t[0] == value), None)
        if same:
            flags.append(Flag("date", "agrees", surface, same[2], span, same[1]))
        elif theirs:
            flags.append(Flag("date", "clashes", surface, theirs[0][2], span, theirs[0][1]))
    return flags


def _compare_years(claim: str, evidence: str) -> list[Flag]:
    flags = []
    theirs = years(evidence)
    for value, span, surface in years(claim):
        same = next((t for t in theirs if t[0] == value), None)
        if same:
            flags.append(Flag("date", "agrees", surface, same[2], span, same[1]))
        elif theirs:
            nearest = min(theirs, key=lambda t: abs(t[0] - value))
            if abs(nearest[0] - value) <= 30:
                flags.append(Flag("date", "clashes", surface, nearest[2], span, nearest[1]))
    return flags


def _compare_quantities(claim: str, evidence: str) -> list[Flag]:
    flags = []
    theirs = quantities(evidence)
    for value, unit, span, surface in quantities(claim):
        same_unit = [t for t in theirs if t[1] == unit and unit]
        match = next((t for t in theirs if abs(t[0] - value) <= 1e-9 * max(1.0, value)), None)
        if match:
            flags.append(Flag("number", "agrees", surface, match[3], span, match[2]))
        elif same_unit:
            other = same_unit[0]
            flags.append(Flag("number", "clashes", surface, other[3], span, other[2]))
    return flags


def _compare_names(claim: str, evidence: str) -> list[Flag]:
    flags = []
    evidence_lower = evidence.lower()
    seen = set()
    for surface, span in names(claim):
        key = surface.lower()
        if key in seen:
            continue
        seen.add(key)
        last = key.split()[-1]
        position = evidence_lower.find(key)
        if position < 0 and len(last) > 3:
            position = evidence_lower.find(last)
            length = len(last)
        else:
            length = len(key)
        if position >= 0:
            flags.append(Flag("entity", "agrees", surface, evidence[position : position + length], span,
                              (position, position + length)))
        else:
            flags.append(Flag("entity", "missing", surface, "", span, None))
    return flags
