"""Consistency checks between a claim and a passage: dates, quantities, ordinals, names, negation and modality.

Each finding is a ``Flag`` with the spans involved, so the dashboard can highlight exactly what agrees and what
clashes, and the verdict can name the finding that decided it. Extraction is rule-based (regular expressions),
because it runs on every claim × evidence pair and must stay far cheaper than the stance model.

What the checks mean:
- Dates are compared at the precision both sides give: "June 2022" and "July 21, 2022" clash on the month;
  "2022" and "July 21, 2022" agree on the year. A date written without a year ("on Tuesday, Aug. 4") is read in
  the year nearest the day its text was published. A claim date agrees when a date in the passage agrees with it;
  where the passage tells the claim's deed as done, only the date beside that deed counts ("collected its first
  core on Sept. 1" is not dated by the failed attempt of Aug. 6 in the sentence before).
- Quantities are compared in one unit per dimension: "half a percentage point" is 50 basis points, "three" is 3,
  "1.2 metres" and "four feet" agree within rounding, "more than 50" agrees with 57. Counts compare only when
  they count the same thing ("120 votes" against "100 votes").
- Ordinals compare when they rank the same thing ("the third summit" against "the fourth summit").
- Negation: the claim says a thing did not happen and the passage says it did, or the other way round.
- Modality: the claim states a deed ("raised rates") that the passage only gives as a plan, an expectation or a
  possibility ("considering whether to raise rates"): a plan is not the deed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from verification.types import Flag

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|" \
         r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)"
# Words after a four-digit number that make it a count or a measure, not a year ("2000 metres", "1650 passengers")
_COUNTED = (r"(?:people|persons|votes|troops|soldiers|deaths|cases|homes|houses|jobs|workers|residents|tonnes|tons|"
            r"units|members|times|passengers|students|patients|children|ships|vessels|cars|flights|metres|meters|"
            r"kilometres|kilometers|km|miles|feet|kg|dollars|euros|pounds|points|seats|acres|hectares)")
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])"
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<year>{_YEAR_RE})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"),  # 2022-07-21
    # July 21, 2022 | July 21 2022 | 21 July 2022 | July 2022 | 21 July | July 21
    re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>{_DAY_RE})(?:st|nd|rd|th)?,?\s+(?P<year>{_YEAR_RE})\b"),
    re.compile(rf"\b(?P<day>{_DAY_RE})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\.?,?\s+(?P<year>{_YEAR_RE})\b"),
    re.compile(rf"\b(?P<month>{_MONTH})\.?,?\s+(?:of\s+)?(?P<year>{_YEAR_RE})\b"),
    re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>{_DAY_RE})(?:st|nd|rd|th)?\b(?!\s*(?:%|percent|per cent))"),
    re.compile(rf"\b(?P<day>{_DAY_RE})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\b"),
    # A month named without a day, after a word that makes it a date ("in March", not "March on")
    re.compile(rf"\b(?:in|since|during|until|by|from|early|late|mid|last|next|this|of|before|after)\s+"
               rf"(?P<month>{_MONTH})\b"),
    re.compile(rf"\bmid-(?P<month>{_MONTH})\b"),
    # A year, unless it counts something ("2000 people", "1800 votes")
    re.compile(rf"(?<![\d.,$£€])\b(?P<year>{_YEAR_RE})\b(?!\s*(?:%|percent|per cent|{_COUNTED})\b)"),
]

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}
_WORD_VALUES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
                "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
                "dozen": 12, "half": 0.5, "a half": 0.5, "a quarter": 0.25, "quarter": 0.25,
                "three-quarters": 0.75, "three quarters": 0.75}
# "sixty-nine", "twenty one": read whole, or "sixty-nine days" reads as "nine days".
_WORD_VALUES.update({f"{tens}{joint}{unit}": _WORD_VALUES[tens] + _WORD_VALUES[unit]
                     for tens in ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
                     for unit in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
                     for joint in ("-", " ")})
# "four and a half hours" (or "four-and-a-half") is 4.5 hours, not "a half hours".
_WORD_VALUES.update({f"{whole}{joint}and{joint}a{joint}half": _WORD_VALUES[whole] + 0.5
                     for whole in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                   "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                   "eighteen", "nineteen", "twenty")
                     for joint in (" ", "-")})
# unit word -> (dimension, factor to the dimension's base unit)
_UNITS = {
    "%": ("percent", 1.0), "percent": ("percent", 1.0), "per cent": ("percent", 1.0),
    "percentage point": ("points", 1.0), "percentage-point": ("points", 1.0), "basis point": ("points", 0.01),
    "basis-point": ("points", 0.01),
    "bp": ("points", 0.01), "bps": ("points", 0.01),
    "km": ("metres", 1000.0), "kilometre": ("metres", 1000.0), "kilometer": ("metres", 1000.0),
    "m": ("metres", 1.0), "metre": ("metres", 1.0), "meter": ("metres", 1.0),
    "cm": ("metres", 0.01), "centimetre": ("metres", 0.01), "centimeter": ("metres", 0.01),
    "mm": ("metres", 0.001), "millimetre": ("metres", 0.001), "millimeter": ("metres", 0.001),
    "ft": ("metres", 0.3048), "foot": ("metres", 0.3048), "feet": ("metres", 0.3048),
    "inch": ("metres", 0.0254), "inche": ("metres", 0.0254), "mile": ("metres", 1609.344),
    "yard": ("metres", 0.9144),
    "kg": ("kilograms", 1.0), "kilogram": ("kilograms", 1.0), "gram": ("kilograms", 0.001),
    "tonne": ("kilograms", 1000.0), "ton": ("kilograms", 1000.0),
    "second": ("seconds", 1.0), "minute": ("seconds", 60.0), "hour": ("seconds", 3600.0),
    "day": ("seconds", 86400.0), "week": ("seconds", 604800.0), "month": ("seconds", 2629800.0),
    "year": ("seconds", 31557600.0),
    # Speeds, in metres a second: "12,300 mph" is no "12,300 kilometres per hour".
    "mph": ("speed", 0.44704), "miles per hour": ("speed", 0.44704), "mile per hour": ("speed", 0.44704),
    "kph": ("speed", 1 / 3.6), "km/h": ("speed", 1 / 3.6), "kmh": ("speed", 1 / 3.6),
    "kilometres per hour": ("speed", 1 / 3.6), "kilometers per hour": ("speed", 1 / 3.6),
    "kilometre per hour": ("speed", 1 / 3.6), "kilometer per hour": ("speed", 1 / 3.6),
    "$": ("USD", 1.0), "dollar": ("USD", 1.0), "usd": ("USD", 1.0), "£": ("GBP", 1.0), "sterling": ("GBP", 1.0),
    "€": ("EUR", 1.0), "euro": ("EUR", 1.0), "yen": ("JPY", 1.0),
}
_UNIT_WORDS = sorted((u for u in _UNITS if u not in {"$", "£", "€", "%"}), key=len, reverse=True)
_NUMBER_WORD = "|".join(sorted((re.escape(w) for w in _WORD_VALUES), key=len, reverse=True))
_QUALIFIER = (r"(?P<qualifier>more than|over|at least|upwards of|nearly|almost|about|around|roughly|some|close to|"
              r"approximately|up to|less than|fewer than|under|at most)")
_NO_MORE = re.compile(r"\b(?:no|not)\s+$", re.IGNORECASE)
_QUANTITY = re.compile(
    rf"(?:\b{_QUALIFIER}\s+)?(?:(?P<currency>[$£€])\s?)?"
    rf"(?:(?P<digits>(?<![\w.])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|(?<![\w.,])\d+(?:\.\d+)?)|\b(?P<word>{_NUMBER_WORD})\b)"
    rf"(?:\s*(?P<scale>thousand|million|billion|trillion|bn\b|k\b))?"
    rf"(?:\s*(?P<percent>%|percent\b|per cent\b)"
    rf"|(?:\s*|-)(?:an?\s+)?(?P<unit>{'|'.join(re.escape(u) for u in _UNIT_WORDS)})(?:e?s)?\b"
    rf"|\s+(?:of\s+(?:its|their|the|his|her|our)\s+)?"  # "11 million of its vehicles"
    rf"(?P<noun>(?!(?:to|and|or|in|of|the|a|an|on|at|by|for|from|per|with|than|after|before|times|is|was|"
    rf"were|are|has|had|have|percent|million|billion)\b)[a-z]{{3,}}))?",
    re.IGNORECASE,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
             "fifteenth": 15, "twentieth": 20}
# Measures a rank is told by: "the second-largest bank", "the deadliest disaster on the mountain", "the youngest
# prime minister in Italy's history" (first by age, against "second-youngest").
_SUPERLATIVES = ("largest|biggest|highest|lowest|smallest|youngest|oldest|deadliest|costliest|longest|shortest|"
                 "tallest|richest|busiest|fastest|heaviest|strongest|hardest-hit|worst-hit|worst-affected")
_ORDINAL = re.compile(r"\b(?P<ordinal>" + "|".join(_ORDINALS) +
                      r"|(?P<digit>\d{1,3})(?:st|nd|rd|th))\b(?:[- ](?:ever|straight|consecutive|successive|"
                      r"(?P<superlative>" + _SUPERLATIVES + r")|major|such|annual|official|full|"
                      r"inter-korean|round|degree)\b)*\s*(?P<noun>(?!(?:the|and|for|of|in|on|at|to|was|is|are|were|with|from|by|time"
                      r"s?\b(?=\s+(?:in|that|since)))\b)[a-z]{3,})?", re.IGNORECASE)
# Not inside a compound: "a yes-or-no question" denies nothing.
# "Rather than" and "instead of" deny what follows them: "powered by a generator rather than solar panels".
_NEGATION = re.compile(r"\bno-one\b|(?<!-)\b(?:not|no|never|none|neither|nor|without|denied|denies|deny|refused|"
                       r"refuses|refusing|rejected|rejects|cannot|failed|fails|failing|unable|rather\s+than|"
                       r"instead\s+of|nothing|stop(?:ped|s|ping)?\s+short\s+of)\b(?!-)|n't\b", re.IGNORECASE)
# Words that make what follows a plan, an expectation or a possibility rather than a deed.
_MODAL = re.compile(r"\b(?:consider(?:s|ed|ing)?|weigh(?:s|ed|ing)?|mull(?:s|ed|ing)?|plan(?:s|ned|ning)?|"
                    r"intend(?:s|ed|ing)?|expect(?:s|ed|ing)?|propos(?:e|es|ed|ing)|aim(?:s|ed|ing)?|"
                    r"hope(?:s|d)?|seek(?:s|ing)?|want(?:s|ed)?|could|may|might|would|will|shall|should|"
                    r"likely|poised|whether|threaten(?:s|ed)?|prepar(?:e|es|ed|ing)|ready|urge(?:s|d)?|ask(?:s|ed|ing)?|"
                    r"request(?:s|ed|ing)?|sought|schedul(?:e|es|ed|ing)|requir(?:e|es|ed|ing)|pending|await(?:s|ed|ing)?|"
                    r"tipped|favou?rites?|"
                    # An attempt is not the deed ("trying to re-establish contact"), nor a forecast the outcome ("has
                    # projected that the game will generate $500 million").
                    r"tr(?:y|ies|ying)|attempt(?:s|ing)?|project(?:s|ed|ing)|forecast(?:s|ing)?|predict(?:s|ed|ing)?)\b",
                    re.IGNORECASE)
# Letters of the Latin alphabets, accented ones included: "José", "Sánchez", "Łódź" are names like any other.
_UP = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper() and c.isalpha())
_LOW = "".join(c for c in map(chr, range(0x61, 0x250)) if c.islower() and c.isalpha())
# A capitalised word, also in camel case ("OceanGate", "McDonald"), runs of them ("Luis Urzúa"), or an acronym.
_CAP = rf"[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)*"
_NAME = re.compile(rf"(?<![\w'’])(?:{_CAP}(?:[ -]{_CAP}|-[{_LOW}]+)*|[{_UP}]{{2,}})(?![\w])")
_STOP_NAMES = {"The", "A", "An", "In", "On", "At", "But", "And", "He", "She", "It", "They", "We", "This", "That",
               "There", "His", "Her", "Its", "Their", "Meanwhile", "However", "After", "Before", "During", "As",
               "When", "While", "If", "According", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
               "Saturday", "Sunday", "Last", "Next", "Earlier", "Later", "Also", "No", "Not", "Some", "Many",
               "Both", "Each", "Every", "One", "Two", "Three", "First", "Second", "Third", "Our", "My", "Your",
               "Officials", "Mr", "Mrs", "Ms", "Dr", "President", "Minister", "Prime", "Foreign", "Governor",
               "Chairman", "Chief", "Executive", "Leader", "Government", "Parliament", "Congress", "Senate",
               # Words that open a figure ("More than 123 million people watched"), never a name on their own.
               "More", "Fewer", "Less", "Most", "Several", "Nearly", "Almost", "Roughly", "Only", "Just", "About",
               "Around", "Over", "Under", "Up",
               # Words that open a clause or a phrase before a name ("Although Chile's navy", "Like the rovers
               # before it, Curiosity", "Despite threatening skies"): the name is what follows them.
               "Although", "Though", "Despite", "Like", "Unlike", "Because", "Unless", "Whether", "Amid", "Once",
               "Until", "Upon", "Including", "Following", "Whereas", "Having", "Without", "Within", "Against",
               "Through", "Throughout", "Beyond", "Besides", "Toward", "Towards", "Inside", "Outside", "Since"} | \
              {m.capitalize() for m in MONTHS}
# Demonyms and adjectives that name the same place as a country ("Russian" is about Russia).
_SAME_PLACE = {"chinese": "china", "french": "france", "british": "britain", "uk": "britain", "english": "england",
               "spanish": "spain", "dutch": "netherlands", "greek": "greece", "swiss": "switzerland",
               "turkish": "turkey", "swedish": "sweden", "danish": "denmark", "finnish": "finland",
               "norwegian": "norway", "polish": "poland", "irish": "ireland", "welsh": "wales", "scottish": "scotland",
               "portuguese": "portugal", "vietnamese": "vietnam", "thai": "thailand", "filipino": "philippines",
               "american": "us", "u.s.": "us", "united states": "us", "japanese": "japan", "lebanese": "lebanon",
               "israeli": "israel", "iranian": "iran", "iraqi": "iraq", "pakistani": "pakistan", "tongan": "tonga",
               "nepalese": "nepal", "ukrainian": "ukraine", "german": "germany", "italian": "italy",
               "chilean": "chile", "peruvian": "peru", "bolivian": "bolivia", "moldovan": "moldova",
               "argentine": "argentina", "argentinian": "argentina", "mexican": "mexico", "canadian": "canada",
               "australian": "australia", "brazilian": "brazil", "indian": "india", "egyptian": "egypt",
               "syrian": "syria", "afghan": "afghanistan", "kenyan": "kenya", "nigerian": "nigeria",
               "belgian": "belgium", "austrian": "austria", "hungarian": "hungary", "romanian": "romania",
               "czech": "czechia", "saudi": "saudi arabia", "emirati": "uae", "qatari": "qatar",
               "colombian": "colombia", "venezuelan": "venezuela", "cuban": "cuba", "haitian": "haiti",
               "south african": "south africa", "new zealander": "new zealand", "indonesian": "indonesia",
               "malaysian": "malaysia", "singaporean": "singapore", "bangladeshi": "bangladesh",
               "sri lankan": "sri lanka", "ethiopian": "ethiopia", "sudanese": "sudan", "libyan": "libya",
               "moroccan": "morocco", "algerian": "algeria", "tunisian": "tunisia", "jordanian": "jordan",
               "palestinian": "palestine", "yemeni": "yemen", "icelandic": "iceland", "estonian": "estonia",
               "latvian": "latvia", "lithuanian": "lithuania", "serbian": "serbia", "croatian": "croatia",
               "bulgarian": "bulgaria", "slovak": "slovakia", "belarusian": "belarus", "georgian": "georgia",
               "armenian": "armenia", "kazakh": "kazakhstan", "mongolian": "mongolia", "taiwanese": "taiwan"}
DEMONYMS = frozenset(_SAME_PLACE) - {"uk", "u.s.", "united states", "english"}


@dataclass(frozen=True)
class DateMention:
    year: int | None
    month: int | None
    day: int | None
    span: tuple[int, int]
    text: str
    # "Sept. 5 last year": the year told relative to the day the text was written (-1, 0 or +1), else None.
    years_from_written: int | None = None

    def fields(self) -> dict[str, int]:
        return {k: v for k, v in (("year", self.year), ("month", self.month), ("day", self.day)) if v is not None}


@dataclass(frozen=True)
class Quantity:
    value: float
    dimension: str  # "percent", "points", "metres", "USD", ..., "count:<noun>" or "part:<noun>" ("nine of 28 counts")
    qualifier: str  # "", "more", "less" or "about"
    step: float  # the rounding the writer used, in base units: 0.1 million for "1.2 million", 1,000 for "50,000"
    unit: str  # the unit as written (singular), before conversion to the dimension's base unit
    span: tuple[int, int]
    text: str
    period: str = ""  # the time a rate is per, as written: "week" for "$200 million a week"


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)  # an ISO date's month
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(text.lower()[:3]))


_RELATIVE_YEAR = re.compile(r",?\s+(?P<which>last|this|next)\s+year\b(?!['’]s)", re.IGNORECASE)
_YEARS_FROM_WRITTEN = {"last": -1, "this": 0, "next": 1}


# A year that gives the base of a figure: "at 2015 prices", "in 2010 dollars", "in constant 2019 terms".
_PRICE_BASE = re.compile(r"\s+(?:prices|dollars|euros|pounds|terms|values)\b", re.IGNORECASE)
_PRICE_BASE_BEFORE = re.compile(r"\b(?:at|constant|real)\s+$", re.IGNORECASE)


@lru_cache(maxsize=8192)
def dates(text: str) -> tuple[DateMention, ...]:
    """Every date the text names, at the precision it names it, without overlaps (the most precise first)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            start = min(m.start(g) for g in ("month", "day", "year") if groups.get(g))
            span = (start, m.end())
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            if not groups.get("month") and _PRICE_BASE.match(text, m.end()) \
                    and _PRICE_BASE_BEFORE.search(text, 0, span[0]):
                continue  # "at 2015 prices": the base of a figure, no date
            taken.append(span)
            relative = None if groups.get("year") else _RELATIVE_YEAR.match(text, m.end())
            found.append(DateMention(
                int(groups["year"]) if groups.get("year") else None,
                _month_number(groups["month"]) if groups.get("month") else None,
                int(groups["day"]) if groups.get("day") else None, span, text[span[0]:span[1]],
                _YEARS_FROM_WRITTEN[relative["which"].lower()] if relative else None))
    return tuple(sorted(found, key=lambda d: d.span))


def _singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


_MONTH_NEAR = re.compile(rf"\s*(?:of\s+)?{_MONTH}\b")
_TALLY = re.compile(r"(?<![\d.,])(\d{1,3})\s?[-–]\s?(\d{1,3})(?![\d.,%])")


# Counted nouns for people in general: "8,000 residents were evacuated" and "forcing about 800 people to evacuate"
# count the same thing. Not groups within them ("200 workers", "30 civilians"), which a passage may count beside a
# toll, nor words that are as often adjectives ("local", "individual").
_PEOPLE = {w: "people" for w in ("person", "persons", "resident", "inhabitant", "villager")}


def _rounding(digits: str | None) -> float:
    """The step a written number is rounded to: 0.01 for "1.75", 1 for "57", 1,000 for "50,000" (a round number
    of thousands reads as rounded), 1 for a number word."""
    if not digits:
        return 1.0
    plain = digits.replace(",", "")
    if "." in plain:
        return 10.0 ** -len(plain.split(".")[1])
    zeros = len(plain) - len(plain.rstrip("0"))
    return 10.0 ** (zeros - 1) if zeros >= 2 else 1.0


@lru_cache(maxsize=8192)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Numbers with what they measure, in one base unit per dimension; years and days of a month are dates, and a
    score or a vote ("1-0", "voted 8-1") is one tally."""
    taken = [d.span for d in dates(text)]
    out = []
    for m in _TALLY.finditer(text):
        if any(s <= m.start() < e for s, e in taken) or _MONTH_NEAR.match(text, m.end()):
            continue  # a date, or a range of days ("21-22 July")
        taken.append(m.span())
        out.append(Quantity(int(m[1]) * 1000 + int(m[2]), "tally", "", 0.0, "tally", m.span(), m.group(0)))
    out += _parts_of_units(text, taken) + _ages(text, taken)
    for m in _SHARE_OF_A_POINT.finditer(text):
        # "a half-point increase", "three-quarters of a point": central banks' moves, in percentage points.
        if any(s <= m.start() < e for s, e in taken):
            continue
        taken.append(m.span())
        share = m["share"].lower()
        value = 0.5 if share == "half" else 0.75 if share.startswith("three") else 0.25
        out.append(Quantity(value, "points", "", 1.0, "percentage point", m.span(), m.group(0)))
    for m in _QUANTITY.finditer(text):
        if not (m["digits"] or m["word"]):
            continue
        number_start = m.start("digits") if m["digits"] else m.start("word")
        if any(s <= number_start < e for s, e in taken):
            continue
        if _IDENTIFIER.search(text, max(0, number_start - 12), number_start):
            continue  # "the No. 3 reactor", "Unit 2": which one, not how many (another number is another thing)
        if m["digits"] and not (m["currency"] or m["scale"] or m["unit"] or m["percent"]) \
                and _MODEL_NAME.search(text, max(0, number_start - 30), number_start):
            continue  # "an Ariane 5 rocket", "Luna-25": a name's number, not a count
        if m["word"] and not (m["unit"] or m["percent"] or m["scale"]) and m["word"].lower() in {"half", "quarter",
                                                                                              "a half", "a quarter"}:
            continue  # "half the town": a share of something unnamed
        value = float(m["digits"].replace(",", "")) if m["digits"] else float(_WORD_VALUES[m["word"].lower()])
        step = _rounding(m["digits"]) * _SCALES.get((m["scale"] or "").lower(), 1.0)
        value *= _SCALES.get((m["scale"] or "").lower(), 1.0)
        if m["currency"] and (m["unit"] or "").lower() == "m":
            value, step = value * 1e6, step * 1e6  # "$6.5m" is millions; "6.5m" alone is metres
            unit = m["currency"]
            dimension, factor = _UNITS[unit]
        elif m["currency"]:
            unit = m["currency"]
            dimension, factor = _UNITS[unit]
        elif m["percent"]:
            unit = "%"
            dimension, factor = _UNITS[unit]
        elif m["unit"]:
            unit = m["unit"].lower()
            dimension, factor = _UNITS[unit]
        elif m["noun"]:
            # "17 capital counts", "three small hopping rovers", "one of his eight finals": what is counted is the
            # plural noun after the describing words.
            after = _COUNTED_AFTER.match(text, m.end())
            describing = m["noun"][0].isupper() or m["noun"].lower() in _DESCRIBING \
                or m["noun"].lower().endswith(_DESCRIBING_ENDINGS) or m["noun"].lower() in _WORD_VALUES
            unit = _singular(after["noun"] if after and describing and not _plural(m["noun"])
                             and _plural(after["noun"]) and not any(w.lower() in _NOT_DESCRIBING
                                                                     for w in after["between"].split())
                             else m["noun"])
            if unit == "pound" and m["scale"] and m["noun"].lower().startswith("pound") \
                    and not re.match(r"\s+of\s+[a-z]", text[m.end():]):
                unit = "sterling"  # "2.5 million pounds" is money; "400 pounds" may be a weight
            dimension, factor = _UNITS.get(unit) or (f"count:{_PEOPLE.get(unit, unit)}", 1.0)
            if m["noun"].lower() in _WORD_VALUES and re.match(r"\s+of\b", text[m.end("word") if m["word"] else
                                                                                m.end("digits"):]):
                dimension = f"part:{_PEOPLE.get(unit, unit)}"  # "two of the five climbers": a part of them
        elif group := _OF_GROUP.match(text, m.end()):
            # "nine of the 28 counts": a part of the counts, as "19 of 28 counts" is; not the "30 counts" of all.
            unit = _singular(group["noun"])
            dimension, factor = f"part:{_PEOPLE.get(unit, unit)}", 1.0
        else:
            continue  # a bare number: nothing to say what it measures
        if re.match(r"[-\s]old\b", text[m.end():]) and dimension == "seconds":
            dimension = "age"  # "a 15-year-old girl": an age, never a duration in another unit
        kind = _bound(m["qualifier"])
        span = m.span()
        negated = _NO_MORE.search(text[max(0, m.start() - 8):m.start()]) if kind else None
        if negated:
            # "no more than 5 percent" is at most 5, "not less than 300" at least 300
            kind = {"more": "less", "less": "more"}.get(kind, kind)
            span = (m.start() - len(negated.group(0)), m.end())
        if m["noun"] and (m["currency"] or m["percent"]) and re.search(r"\bof\s+\w+\s+$", text[:m.start("noun")]):
            # "$72 billion of the bank's assets": the sum is "$72 billion" (the assets stay its context)
            span = (m.start(), m.end("scale") if m["scale"] else m.end("digits") if m["digits"] else m.end("word"))
        # A sum or a share per period ("$200 million a week", "5% a year"): the period is part of what it says.
        period = m["unit"].lower().rstrip("s") if (m["currency"] or m["percent"]) and m["unit"] \
            and m["unit"].lower().rstrip("s") in ("hour", "day", "week", "month", "year") \
            and re.search(r"\b(?:a|an|per)\s+$", text[:m.start("unit")], re.IGNORECASE) else ""
        out.append(Quantity(value * factor, dimension, kind, step * factor, unit, span,
                            text[span[0]:span[1]].strip(), period))
    return tuple(_durations(text, _tolls_and_multiples(text, out, taken)))


_COUNTED_AFTER = re.compile(r"(?P<between>(?:\s+[a-z][a-z-]*)?)\s+(?P<noun>[a-z]{3,}s)\b")
# Words that describe what is counted rather than name it: "three small hopping rovers", "17 capital counts".
_DESCRIBING = {"small", "big", "large", "major", "minor", "world", "key", "top", "new", "old", "young", "other",
               "more", "extra", "former", "senior", "junior", "main", "separate", "further", "foreign", "military",
               "test", "state", "private", "public", "rival", "member", "permanent"}
_DESCRIBING_ENDINGS = ("al", "ic", "ive", "ous", "ful", "less", "ed", "ing", "ary", "ese", "ish", "ian")
_NOT_DESCRIBING = {"of", "in", "on", "at", "to", "for", "from", "with", "and", "or", "by", "the", "a", "an", "than",
                   "as", "per", "who", "which", "that", "were", "are", "was", "is", "have", "has", "had", "be", "been"}
_NOT_PLURAL = {"was", "has", "does", "its", "his", "hers", "theirs", "ours", "yes", "thus", "whereas", "perhaps",
               "always", "afterwards", "towards", "besides", "news", "this", "series", "species"}


def _plural(word: str) -> bool:
    word = word.lower()
    return word.endswith("s") and not word.endswith(("ss", "us", "is")) and word not in _NOT_PLURAL


# A part of a counted group: "nine of the 28 counts", "three of its five reactors".
_OF_GROUP = re.compile(rf"\s+of\s+(?:the|its|their|his|her|our|all|[A-Z][\w.-]*['’]s)?\s*(?:\d[\d,]*|{_NUMBER_WORD})\s+"
                       r"(?:[a-z-]+\s+)?(?P<noun>[a-z]{3,}s)\b", re.IGNORECASE)


# A toll told with a bare figure ("the confirmed death toll ... had risen to 723") counts people; a multiple ("about
# eight times larger", "three times the size", "twice as large") is a figure of its own kind, compared where the words
# around it say it measures the same thing.
# Every figure of the toll's clause: "stood at 541 on Friday and had risen to 723 by Sunday".
_TOLL = re.compile(r"\btoll\b[^.;:]{0,100}", re.IGNORECASE)
_TOLL_FIGURE = re.compile(r"\b(?:to|at|of|reached|hit|passed|topped)\s+(?P<qualifier>more\s+than|over|at\s+least|"
                          r"nearly|almost|about|around|some)?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?![\d%]|[,.]\d|"
                          r"\s*(?:percent|per\s*cent))", re.IGNORECASE)
# "as large as", "as many", "the size of"; not "twice as a junior" nor "four times as prime minister".
_AS_BIG = r"as\s+[a-z]+\s+as\b|as\s+(?:much|many)\b|the\s+(?:size|number|amount|level|rate|area|weight|height)"
_MULTIPLE = re.compile(rf"\b(?:(?P<digits>\d+(?:\.\d+)?)|(?P<word>two|three|four|five|six|seven|eight|nine|ten|twenty|"
                       rf"hundred))\s+times\s+(?=larger|bigger|greater|higher|smaller|more|less|fewer|heavier|faster|"
                       rf"longer|{_AS_BIG})|\btwice\s+(?={_AS_BIG})", re.IGNORECASE)


def _tolls_and_multiples(text: str, found: list[Quantity], taken: list[tuple[int, int]]) -> list[Quantity]:
    out = list(found)
    busy = [*taken, *(q.span for q in found)]
    figures = [m for toll in _TOLL.finditer(text) for m in _TOLL_FIGURE.finditer(text, toll.start(), toll.end())]
    for m in {m.span(): m for m in figures}.values():
        start = m.start("qualifier") if m["qualifier"] else m.start("digits")
        if any(s <= m.start("digits") < e for s, e in busy):
            continue
        qualifier = (m["qualifier"] or "").lower()
        kind = "more" if qualifier in {"more than", "over", "at least"} else "about" if qualifier else ""
        out.append(Quantity(float(m["digits"].replace(",", "")), "count:people", kind, _rounding(m["digits"]), "person",
                            (start, m.end("digits")), text[start:m.end("digits")]))
    for m in _MULTIPLE.finditer(text):
        if any(s <= m.start() < e for s, e in busy):
            continue
        value = float(m["digits"]) if m["digits"] else float(_WORD_VALUES[m["word"].lower()]) if m["word"] else 2.0
        out.append(Quantity(value, "multiple", "", 1.0, "times", m.span(), m.group(0).strip()))
    return out


def _durations(text: str, found: list[Quantity]) -> list[Quantity]:
    """A duration told in several units is one: "11 hours 55 minutes", "nine minutes and 29 seconds", "2 hours,
    3 minutes" (each part alone would agree with another figure's part)."""
    out: list[Quantity] = []
    for q in sorted(found, key=lambda q: q.span):
        last = out[-1] if out else None
        if last is not None and q.dimension == last.dimension == "seconds" and q.value < last.value \
                and not q.qualifier and q.step < last.step and q.value < last.step \
                and not re.match(r"\s+(?:after|later|before|earlier|ago|of|into|from|left)\b", text[q.span[1]:]) \
                and re.fullmatch(r"\s*(?:,\s*|and\s+|,\s*and\s+)?", text[last.span[1]:q.span[0]]):
            span = (last.span[0], q.span[1])
            out[-1] = replace(last, value=last.value + q.value, step=q.step, unit=q.unit, span=span,
                              text=text[span[0]:span[1]])
            continue
        out.append(q)
    return out


# A share of one unit, or a unit and a half: "a tenth of a second", "one hundredth of a second", "three quarters of
# a mile", "a minute and a half", "an hour and a half". Read before the plain figures, which would take "one
# hundredth" for a count of hundredths and leave "a minute and a half" unread.
_PARTS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "tenth": 0.1, "hundredth": 0.01,
          "thousandth": 0.001}
_PART_UNITS = ("second", "minute", "hour", "day", "week", "month", "year", "mile", "metre", "meter", "kilometre",
               "kilometer", "inch", "foot")
_PART_OF_A_UNIT = re.compile(
    rf"(?:\b{_QUALIFIER}\s+)?\b(?P<count>an?|one|two|three|four|five|six|seven|eight|nine)[\s-]+"
    rf"(?P<part>{'|'.join(_PARTS)})s?\s+of\s+an?\s+(?P<unit>{'|'.join(_PART_UNITS)})\b"
    rf"|(?:\b{_QUALIFIER.replace('qualifier', 'qualifier2')}\s+)?\b(?P<whole>an?|one)\s+"
    rf"(?P<unit2>{'|'.join(_PART_UNITS)})\s+and\s+a\s+half\b", re.IGNORECASE)
# "Breivik, 33, smiled": a person's age, told between commas after the name, as the wires write it.
_AGE_APPOSITION = re.compile(r"(?<=[a-z’'])\s*,\s*(?P<age>[1-9]\d?|1[01]\d),\s")
_NAME_BEFORE = re.compile(rf"(?:{_CAP})$")


def _bound(qualifier: str | None) -> str:
    """What a figure's qualifier makes of it: a lower bound ("more"), an upper one ("less"), an estimate ("about")."""
    qualifier = (qualifier or "").lower()
    return ("more" if qualifier in {"more than", "over", "at least", "upwards of"} else
            "less" if qualifier in {"up to", "less than", "fewer than", "under", "at most"} else
            "about" if qualifier else "")


def _parts_of_units(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    """Shares of a unit and units and a half, as durations or lengths in the unit's dimension."""
    out = []
    for m in _PART_OF_A_UNIT.finditer(text):
        if any(s <= m.start() < e or m.start() <= s < m.end() for s, e in taken):
            continue
        if m["part"]:
            count = 1.0 if m["count"].lower() in ("a", "an") else float(_WORD_VALUES[m["count"].lower()])
            value, unit, qualifier = count * _PARTS[m["part"].lower()], m["unit"].lower(), m["qualifier"]
        else:
            value, unit, qualifier = 1.5, m["unit2"].lower(), m["qualifier2"]
        dimension, factor = _UNITS[unit]
        taken.append(m.span())
        out.append(Quantity(value * factor, dimension, _bound(qualifier), value * factor / 10, unit, m.span(),
                            m.group(0)))
    return out


def _ages(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    """Ages told after a name between commas: "Breivik, 33,", "Anders Behring Breivik, 33,"."""
    out = []
    for m in _AGE_APPOSITION.finditer(text):
        start = m.start("age")
        if any(s <= start < e for s, e in taken) or not _NAME_BEFORE.search(text[:m.start()].rstrip("’'s")):
            continue
        taken.append(m.span("age"))
        year = _UNITS["year"][1]  # in the base unit of "a 33-year-old", so the two forms compare
        out.append(Quantity(float(m["age"]) * year, "age", "", year, "year", m.span("age"), m["age"]))
    return out


_SHARE_OF_A_POINT = re.compile(r"(?<!and-a-)(?<!and a )\b(?P<share>half|quarter|three[- ]quarters?)"
                               r"(?:-|\s+of\s+an?\s+|\s+an?\s+|\s+)(?:percentage[- ])?point\b", re.IGNORECASE)
# A capitalised word and a number written after it, in a name: "Ariane 5", "Falcon 9", "Luna-25", "Apollo
# 11". Not a month ("March 5" is a date, read apart), nor a word that opens a figure ("About 50", "Some 300").
_NOT_NAMES = {'Some', 'Almost', 'All', 'Another', 'Of', 'With', 'Those', 'These', 'Between', 'Among', 'Since', 'For',
              'From', 'To', 'By', 'Exactly', 'Approximately', 'Precisely', 'Fully', 'Category', 'Level', 'Grade',
              'Tier', 'Phase', 'Stage', 'Class', 'Game', 'Round', 'Week', 'Day', 'Year', 'Article', 'Section'}
# Not a word that opens a figure or a sentence ("Another 300", "Of 240", "Approximately 3,000"), nor a graded scale,
# whose number is a figure to compare ("Category 4", "Level 3", "Game 7").
_MODEL_NAME = re.compile(rf"(?<![\w'’-])(?!(?:{'|'.join(sorted(_STOP_NAMES | _NOT_NAMES))})\b)(?![A-Z][a-z]+ly\b)"
                         rf"{_CAP}[ -]$|"
                         rf"(?<![\w.])[A-Z][A-Za-z]*-$")
_IDENTIFIER = re.compile(r"(?:\bNo\.?|\bNos?\.|\bNumber|#|\bUnit|\bGate|\bPier|\bRunway|\bFlight|\bRoute)\s*$")


# "Its largest shareholder" ranks first what "the second-largest shareholder" ranks second.
_TOP = re.compile(r"\b(?:the|its|their|his|her|our|(?<![\w.])\w[\w.]*['’]s)\s+"
                  r"(?:(?:most\s+[a-z]+|[a-z]+est)(?:\s+and|,)\s+)?(?P<superlative>" + _SUPERLATIVES + r")\s+"
                  # "the largest and most powerful science telescope" ranks telescopes by size too
                  r"(?:(?:and|,)\s+(?:most\s+[a-z]+|[a-z]+est)\s+)?"
                  r"(?P<noun>(?!(?:ever|and|for|of|in|on|at|to|was|is|are|were|with|from|by|since)\b)[a-z]{3,})",
                  re.IGNORECASE)
# Words that rank the same things: "the country's second-largest lender" ranks banks.
_RANKED_ALIKE = {"lender": "bank", "carmaker": "automaker", "firm": "company"}


# The group a rank is taken in, after the ordinal, where the passage counts it or calls the rank the last: "the fifth
# of the six missing workers", "the sixth and last worker". Its noun is the last word before a function word, a
# verb or a stop. Not a share ("a third of the victims"), nor an open group ("the first of its kind", "of many").
_RANKED_GROUP = re.compile(r"\s*(?:of\s+(?:the\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                           r"twelve)\s+|and\s+(?:last|final)\s+)(?P<run>(?:[a-z][a-z-]*\s+){0,2}?[a-z]{3,})"
                           r"(?=\s+(?:to|who|that|which|the|a|an|in|on|at|of|for|from|with|by|was|were|is|are|has|had|"
                           r"have|before|after|ahead|since|during|over|under|into|and|but|while|when|[a-z]+ed)\b|"
                           r"\s*[,.;:]|$)")
_SHARE = re.compile(r"\b(?:a|an|one|two|three)\s*$", re.IGNORECASE)


def _ranked(superlative: str | None, noun: str) -> str:
    """What a rank ranks: the noun, and the measure a superlative ranks it by ("largest bank")."""
    noun = _singular(noun)
    noun = _RANKED_ALIKE.get(noun, noun)
    if not superlative:
        return noun
    measure = superlative.lower()
    measure = {"biggest": "largest", "worst-hit": "hardest-hit", "worst-affected": "hardest-hit"}.get(measure, measure)
    return measure + " " + noun


@lru_cache(maxsize=8192)
def ordinals(text: str) -> tuple[tuple[int, str, tuple[int, int], str], ...]:
    """(rank, what is ranked, span, surface): "the third summit" is (3, "summit"), "the second-largest bank" is
    (2, "largest bank") and "its largest shareholder" (1, "largest shareholder")."""
    out = []
    for m in _ORDINAL.finditer(text):
        rank = int(m["digit"]) if m["digit"] else _ORDINALS[m["ordinal"].lower()]
        if not m["noun"]:
            # What is ranked, told after "of" or "and last": "the fifth of the six missing workers", "the sixth and
            # last missing worker".
            group = _RANKED_GROUP.match(text, m.end())
            noun = next((w for w in reversed(group["run"].split()) if w not in _PAST_IRREGULAR), None) \
                if group and not m["superlative"] and not _SHARE.search(text, 0, m.start()) else None
            if noun:
                end = group.start("run") + group["run"].rfind(noun) + len(noun)
                out.append((rank, _ranked(None, noun), (m.start(), end), text[m.start():end]))
            continue
        if m.group(0)[0].isupper() and m["noun"][0].isupper():
            continue  # a name: "First Citizens", "Second Avenue"
        out.append((rank, _ranked(m["superlative"], m["noun"]), m.span(), m.group(0)))
    for m in _TOP.finditer(text):
        start = m.start("superlative")
        out.append((1, _ranked(m["superlative"], m["noun"]), (start, m.end()), text[start:m.end()]))
    for m in _OPENING.finditer(text):
        # "the opening day of the summit" is its first day, against "the second day of the summit".
        out.append((1, _ranked(None, m["noun"]), m.span(), m.group(0)))
    for m in _FROM_LAST.finditer(text):
        # Ranks counted from the end: "the final shuttle flight" is -1, "the next-to-last shuttle flight" -2.
        noun = m["run"].split()[-1]
        if _singular(noun) not in _NOT_RANKED_FROM_LAST:
            rank = -1 if m["which"].lower() in ("last", "final") else -2
            out.append((rank, _ranked(None, noun), m.span(), m.group(0)))
    return tuple(sorted(out, key=lambda o: o[2]))


# The first of a run told as its opening: "on the opening day", "in the opening round".
_OPENING = re.compile(r"\bthe\s+opening\s+(?P<noun>day|round|stage|game|match|night|leg|session|week|weekend|lap)\b",
                      re.IGNORECASE)
_FROM_LAST = re.compile(r"\b(?:the|its|their|his|her)\s+"
                        r"(?P<which>next-to-last|penultimate|second-to-last|last|final)\s+(?P<run>(?:[a-z][a-z-]*\s+){0,2}?[a-z]{3,})(?=\s+(?:in|on|at|of|for|from|with|by|to|that|"
                        r"which|who|was|were|is|are|has|had|and|before|after|since)\b|\s*[,.;:]|$)")
_NOT_RANKED_FROM_LAST = {"week", "month", "year", "day", "time", "season", "night", "weekend", "decade", "minute",
                         "hour", "quarter", "round", "word", "say", "resort", "stage", "straw", "chance", "hole",
                         "election", "meeting", "match", "game", "visit"}


@lru_cache(maxsize=8192)
def names(text: str) -> tuple[tuple[str, tuple[int, int]], ...]:
    """Capitalised names with their spans. A title or a sentence word inside a run splits it: "Federal Reserve
    Chairman Jerome Powell" is "Federal Reserve" and "Jerome Powell"."""
    found = []
    for m in _NAME.finditer(text):
        run: list[re.Match] = []
        for word in [*re.finditer(r"\S+", m.group(0)), None]:
            if word is not None and word.group(0) not in _STOP_NAMES:
                run.append(word)
                continue
            if run:
                start, end = m.start() + run[0].start(), m.start() + run[-1].end()
                found.append((text[start:end], (start, end)))
            run = []
    return tuple(found)


def compare(claim: str, evidence: str, claim_written: date | None = None,
            evidence_written: date | None = None) -> tuple[Flag, ...]:
    """Every finding for one claim and one passage. ``claim_written`` and ``evidence_written`` are the days the
    article and the passage were published: they give a year to a date written without one ("on Tuesday, Aug. 4")."""
    flags: list[Flag] = []
    flags += _compare_dates(claim, evidence, claim_written, evidence_written)
    flags += _compare_quantities(claim, evidence)
    flags += _first_since(claim, evidence) or _compare_ordinals(claim, evidence) or _first_or_last(claim, evidence)
    flags += _figure_rank(claim, evidence, flags)
    flags += _compare_names(claim, evidence)
    flags += _compare_actor(claim, evidence) or _winner_beaten(claim, evidence) \
        or _compare_quote_speaker(claim, evidence) or _compare_reported_speaker(claim, evidence) \
        or _owned_by_another(claim, evidence) \
        or _done_to_another(claim, evidence)
    flags += _compare_title_holder(claim, evidence)
    flags += _compare_negation(claim, evidence, claim_written, evidence_written) \
        or _compare_direction(claim, evidence) or _compare_state(claim, evidence)
    flags += _compare_modality(claim, evidence)
    return tuple(flags)


_BE = re.compile(r"\b(?:was|were|is|are|been|being|be|got|gets)\s+(?:(?:\w+ly|also|then|later|not|never|since)\s+)?$",
                 re.IGNORECASE)


def _passive(text: str, verb_start: int) -> bool:
    return bool(_BE.search(text[max(0, verb_start - 25):verb_start]))


def _only_name(text: str) -> bool:
    """``text`` is a name and nothing else: "his chief of staff, Ciro Nogueira, told reporters" sets off the doer,
    not a description of them."""
    found = names(text)
    return len(found) == 1 and found[0][0] == text.strip()


# Words that may stand between a doer's name and its verb: "The FDA on Monday approved", "Nakamura also told".
_DOER_GAP = {"has", "have", "had", "was", "were", "is", "are", "also", "then", "later", "finally", "eventually",
             "first", "again", "jointly", "on", "late", "early", "last", "this", "week", "month", "year", "today",
             "yesterday", "tonight", "not", "never", "already", "once", "monday", "tuesday", "wednesday", "thursday",
             "friday", "saturday", "sunday"}
_OBJECT_OF = {"in", "at", "to", "from", "of", "on", "for", "with", "into", "onto", "near", "by", "against", "over",
              "under", "after", "before", "during", "outside", "inside", "across", "toward", "towards", "beside",
              "behind", "between", "among", "via", "than", "like", "about"}
_GROUP_HEADS = {"movement", "group", "party", "government", "company", "bank", "forces", "army", "militia", "rebels",
                "team", "club", "side", "family", "campaign", "coalition", "alliance"}
_BEFORE_NAME = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that"}
_BEFORE_OBJECT = re.compile(r"\b(?:in|at|to|from|of|on|for|with|into|by|against|over|after|than)\s+(?:the\s+)?$",
                            re.IGNORECASE)


def _doer_at(text: str, span: tuple[int, int], verb: int) -> str | None:
    """How the name at ``span`` does the verb at ``verb``: "" where it is the doer itself, with nothing but
    auxiliaries, adverbs and a time between them ("The FDA on Monday approved"); the noun it names ("troops",
    "nuclear inspectors") where it describes the doer ("Kelvarian troops captured", "UN nuclear inspectors
    certified"), which another name is held against only for the same noun; None where it does not do it at all,
    as the object of a preposition ("Donors gathered in New York pledged", "England's run to the Wembley showpiece
    gave")."""
    gap = text[span[1]:verb]
    joined = re.fullmatch(r"\s+([a-z]+)(?:\s+[\w'’-]+){0,4}?\s+and\s+", gap)
    if joined and _told_as_done(joined.group(1)) and joined.group(1) not in _REPORTING | {"says", "tells"} \
            and not _BEFORE_OBJECT.search(text[max(0, span[0] - 20):span[0]]):
        # "Giovanni Castellucci apologised and pledged": one doer of two deeds joined by "and".
        return ""
    if re.fullmatch(r"\s*,\s*(?:who\s+)?", gap):
        # "his chief of staff, Ciro Nogueira, told": the comma closes an aside naming the doer; "Tyler Hamilton, who
        # filed": a relative clause about the name.
        return ""
    if any(c in gap for c in ",;:()\"“”"):
        return None
    before = _WORD.findall(text[max(0, span[0] - 40):span[0]])
    if before and before[-1].lower() in _BEFORE_NAME:
        before = before[:-1]
    if before and before[-1].lower() in _OBJECT_OF:
        return None
    possessive = re.match(r"['’]s\b", gap)
    words = _WORD.findall(gap[possessive.end():] if possessive else gap)
    if possessive:
        # "Moody's downgraded", "Aaron Peirsol's anchor leg that overhauled": the name's own thing did it.
        words = [w for w in words if w.lower() not in ("that", "which")][2:]
    if words and words[0].lower() in _GROUP_HEADS:
        words = words[1:]  # "Yemen's Iran-aligned Houthi movement claimed": the name names the group that did it
    described = []
    while words and words[0].lower() not in _DOER_GAP and not words[0].lower().endswith("ly"):
        described.append(words.pop(0).lower())
    if len(described) > 2 or any(w.lower() not in _DOER_GAP and not w.lower().endswith("ly") for w in words):
        return None
    return " ".join(described)


def _officer_of(evidence: str, start: int, doer_at: int, mine: tuple[tuple[str, tuple[int, int]], ...]) -> bool:
    """The passage's doer holds an office of the claim's actor, named just before them ("UN Secretary-General Ban
    Ki-moon confirmed" for "The United Nations confirmed"): the claim's actor speaking through its officer."""
    lead = evidence[start:doer_at]
    for name, _ in mine:
        # Its initials too, even of two words: right before an office, "UN" is the United Nations.
        initials = "".join(w[0] for w in name.split() if w[0].isupper()) if " " in name else ""
        acronym = re.search(rf"(?<![\w-]){initials}(?![\w-])", lead) if len(initials) >= 2 else None
        found = _find_name(name, lead) or (acronym.span() if acronym else None)
        if found and len(lead) - found[1] <= 40:
            between = _WORD.findall(re.sub(r"^['’]s\b", "", lead[found[1]:].strip()))
            # Only an office stands between them: "Secretary-General", "chief executive"; not "rivals", "former".
            if len(between) <= 3 and all(w.lower() in _OFFICES or (w[0].isupper() and w.lower() not in _NOT_OFFICES)
                                         for w in between):
                return True
    return False


_OFFICES = {"chief", "executive", "president", "chairman", "chairwoman", "chair", "spokesman", "spokeswoman",
            "spokesperson", "secretary", "secretary-general", "minister", "director", "head", "general", "officer",
            "commissioner", "governor", "ambassador", "envoy", "leader", "boss", "ceo"}
_NOT_OFFICES = {"former", "ex", "rival", "rivals", "deputy-turned", "critic", "critics"}


# A deed told as the means of another: "by winning the stage", "by ending Alcaraz's title defence".
_BY_MEANS = re.compile(r"\bby\s+([a-z]{3,}ing)\b")


def _compare_actor(claim: str, evidence: str) -> list[Flag]:
    """Who did the claim's deed: where the passage states the deed, the name just before it (its doer, in an
    active sentence) must be one the claim names. "China topped the medal table" against "The United States
    topped the medal table, one more than China" is another actor, though both name China."""
    mine = names(claim)
    if not mine:
        return []
    words = list(_WORD.finditer(evidence))
    deeds: list[tuple[str, tuple[int, int], list]] = []
    for stem, span in _deeds(claim):
        if _passive(claim, span[0]):
            continue  # "the ship was freed": the name before the verb is what was done to, not who did it
        claim_doers = [(n, s, head) for n, s in mine if span[0] - 25 <= s[1] <= span[0]
                       and (head := _doer_at(claim, s, span[0])) is not None]
        if claim_doers:  # else "the long-time Russian foreign minister has visited": no name does the deed
            deeds.append((stem, span, claim_doers))
    for means in _BY_MEANS.finditer(claim):
        # "Bernal sealed the title by winning the 20th stage": whoever did the deed did the means too, so the
        # passage's "Nibali won the 20th stage" gives it to another.
        done = [d for d in deeds if d[1][1] <= means.start() and not re.search(r"[.;]", claim[d[1][1]:means.start()])]
        if done:
            deeds.append((_stem(means.group(1)), means.span(1), done[-1][2]))
    for stem, span, claim_doers in deeds:
        others = []
        for w in words:
            if _stem(w.group(0)) != stem or _passive(evidence, w.start()) or not _told_as_done(w.group(0)):
                continue  # "..., seeking recognition": a participle's doer is not the name just before it
            if stem == "become" \
                    and not _content(claim[span[1]:span[1] + 40]) & _content(evidence[w.end():w.end() + 40]):
                continue  # "became the third member of the panel" is not what "became the first new medicine" is
            start = _sentence_of(evidence, w.start())[0]  # the doer is in the same sentence ("U.S." ends none)
            end = w.start()
            aside = re.search(r"^([^,]*),([^,]+),\s*(?:(?:has|had|have|also|then|later)\s+)?$", evidence[start:end])
            if aside and _only_name(aside.group(2)) and any(_find_name(n, aside.group(1)) for n, _ in mine):
                return []  # "Apple's chief executive, Tim Cook, unveiled": the claim's actor, through its chief
            if aside and not _only_name(aside.group(2)):
                # "Nicholas Holgate, chief executive of Kensington and Chelsea council, resigned": the doer stands
                # before the aside that describes them.
                end = start + aside.end(1)
            doers = [(n, s) for n, s in names(evidence[start:end]) if s[1] + start >= end - 25
                     and (" " in n or n.isupper() or evidence[start:start + s[0]].strip())]  # a lone capital
            if not doers:  # opening a sentence is no name, unless it is an acronym ("NASA has named")
                continue
            doer, where = doers[-1]
            if any(_find_name(n, doer) or _find_name(doer, n) for n, _ in mine) \
                    or _officer_of(evidence, start, start + where[0], mine):
                return []  # somewhere in the passage the claim's own actor does the deed
            if _doer_at(evidence[start:end], where, end - start) != claim_doers[-1][2]:
                # "the murder of Reeva Steenkamp as his trial opened": the name is not who opened it; "the IAEA
                # certified" is no clash with "UN nuclear inspectors certified", "Dravian troops" is with "Kelvarian
                # troops".
                continue
            others.append((doer, (where[0] + start, where[1] + start)))
        if others:
            claim_doer = claim_doers[-1][:2]
            return [Flag("actor", "clashes", claim_doer[0], others[0][0], claim_doer[1], others[0][1])]
    return []


# Who won, told by a winning deed right after the name ("Yohan Blake won", "Truss defeated"), and who was beaten,
# told by what comes before or after the name in the passage ("ahead of teammate Yohan Blake", "Blake took silver").
_WON = re.compile(r"\s+(?:(?:has|had|also|then|narrowly|comfortably|easily)\s+)?(?:won|wins|retained|clinched|"
                  r"captured|beat|defeated|edged|finished\s+first|took\s+(?:the\s+)?gold)\b")
_BEATEN_BEFORE = re.compile(r"\b(?:ahead\s+of|beating|defeating|edging|(?:victory|win|triumph)\s+over|runner-up)\s+"
                            r"(?:[\w-]+\s+){0,3}$")
_BEATEN_AFTER = re.compile(r"\s+(?:(?:was|were)\s+(?:second|third|runner-up)|finished\s+(?:second|third|behind)|"
                           r"(?:took|won|claimed|taking|winning)\s+(?:the\s+)?(?:silver|bronze))\b")


def _winner_beaten(claim: str, evidence: str) -> list[Flag]:
    """The claim's winner is the one the passage says was beaten, by someone else: "Yohan Blake won the 100 metres"
    against "Usain Bolt retained his title ... ahead of Jamaican teammate Yohan Blake", where the two verbs differ
    and the doer check has no deed to compare."""
    if _LOSER.search(claim):
        return []  # "Sunak won 60,399 votes but lost": the claim tells a loser's share, not who won
    for name, span in names(claim):
        won = _WON.match(claim, span[1])
        if not won or re.match(rf"\s+(?:about\s+|nearly\s+|some\s+)?(?:\d|{_NUMBER_WORD}\b)", claim[won.end():],
                                 re.IGNORECASE):
            continue  # "won 60,399 votes", "won three seats": a share, which a loser wins too
        for found in _find_all(name, evidence):
            start, end = _sentence_of(evidence, found[0])
            if not (_BEATEN_BEFORE.search(evidence[start:found[0]]) or _BEATEN_AFTER.match(evidence, found[1])):
                continue
            winners = [(n, (s[0] + start, s[1] + start)) for n, s in names(evidence[start:end])
                       if _WON.match(evidence, s[1] + start)]
            others = [(n, s) for n, s in winners if not (_find_name(name, n) or _find_name(n, name))]
            if others and len(others) == len(winners) and _same_contest(claim, won.end(), evidence[start:end]):
                return [Flag("actor", "clashes", name, others[0][0], span, others[0][1])]
    return []


def _same_contest(claim: str, after_win: int, sentence: str) -> bool:
    """What the claim's winner won is what the passage's sentence tells: its names ("the French Open", "Iowa") are
    there, or, where it names none, one of its words ("the 100 metres"). "Won the French Open" says nothing of "the
    Italian Open, beating Swiatek"."""
    contest = re.split(r"[,;.]|\b(?:with|after|before|while|when|as|on)\b", claim[after_win:], maxsplit=1)[0]
    named = [n for n, _ in names(contest)]
    if named:
        return all(_find_name(n, sentence) for n in named)
    return bool(_content(contest) & _content(sentence))


def _find_all(name: str, text: str) -> list[tuple[int, int]]:
    """Every place ``text`` names ``name``."""
    out, at = [], 0
    while (found := _find_name(name, text[at:])) is not None:
        out.append((found[0] + at, found[1] + at))
        at += found[1]
    return out


# Reported speech: a speaker's verb and what it says, with or without quotation marks ("Fritz Henderson said the
# government would be a reluctant shareholder"). "told" may take a listener: "told reporters on Monday that".
_REPORTED_SPEECH = re.compile(r"\b(?:said|says|told|tells|added|warned|revealed|announced|insisted|stated|"
                              r"acknowledged|argued|predicted)\b(?:\s+(?:on\s+\w+|reporters|journalists|lawmakers|"
                              r"parliament|the\s+\w+(?:\s+\w+)?\s+committee))*(?:\s+that)?", re.IGNORECASE)
# A description set off by commas between a speaker and the verb: "Skipper Dean Barker, who helmed the boat, said",
# "Rick Wagoner, chief executive of GM, said".
_SPEAKER_ASIDE = re.compile(r"^(?P<speaker>.*?),\s*(?P<aside>(?:who\s+|which\s+|the\s+|a\s+|an\s+)?[^,]{3,90}),\s*$")
# Offices whose holder speaks for an organisation: a company's chief, spokesperson or director.
_SPEAKS_FOR = {"executive", "ceo", "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair",
               "director", "boss", "head", "officer", "chief", "commissioner", "inspector", "official"}
# How much of what the claim's speaker says the passage's speaker must say too: half its content words, and three.
REPORTED_LIKENESS = 0.5


class _Statement(NamedTuple):
    """A reported statement: who said it (and where), the content words of what they said, and the sentence's text
    up to the verb and after it."""
    speaker: str
    span: tuple[int, int]
    said: set[str]
    through_officer: bool  # "Interim chief executive Keith Cochrane said": for an organisation left unnamed
    titled: bool  # "Harbour board chair Ines Varga said": a person, named with their office
    joint: bool  # "X and Y said": more than one speaker
    before: str
    words: str


# Titles and offices that are part of how a speaker is named, not who they are: "Justice Clarence Thomas".
_NAME_TITLES = _OFFICES | {"prime", "mr", "mrs", "ms", "dr", "sir", "justice", "judge", "senator", "governor", "mayor",
                           "skipper", "coach", "interim", "deputy", "vice", "senior", "economist", "analyst",
                           "professor", "detective", "inspector", "sergeant", "lawyer", "attorney", "prosecutor",
                           "chancellor", "treasurer", "manager", "captain", "rep", "sen"}
# Speakers that are many people of one body: "Dravian officials", "British police".
_GROUP_SPEAKERS = {"officials", "authorities", "police", "investigators", "prosecutors", "officers", "sources",
                   "spokesmen", "ministers", "diplomats", "lawmakers", "regulators", "researchers", "scientists"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
# Words passed on from someone else: "said he had been told by the coach that", "according to the bank".
_RELAYED = re.compile(r"\b(?:told|assured|informed|confirmed\s+by|according\s+to|citing|quoted)\b", re.IGNORECASE)


def _group(speaker: str) -> bool:
    return speaker.split()[-1].lower() in _GROUP_SPEAKERS


def _name_words(speaker: str) -> set[str]:
    """The words that pick a speaker out: "Jerome Powell" of "Fed Chair Jerome Powell"."""
    return {w for w in _WORD.findall(speaker) if w[0].isupper() and len(w) > 2 and w.lower() not in _NAME_TITLES}


def _reported(text: str) -> list[_Statement]:
    """Each reported statement whose sentence names the speaker right before the verb, in the same clause."""
    out = []
    for m in _REPORTED_SPEECH.finditer(text):
        start, end = _sentence_of(text, m.start())
        before = text[start:m.start()]
        aside = _SPEAKER_ASIDE.match(before)
        lead = aside.group("speaker") if aside else before
        if aside and _only_name(aside.group("aside")):
            # "A Chinese researcher, He Jiankui, says": the aside names the speaker the words before describe.
            lead, aside = before[:aside.end("aside")], None
        if re.search(r"[,;:\"“”]", lead) and not aside:
            lead = re.split(r"[,;:\"“”]", lead)[-1]
        found = names(lead)
        if not found:
            continue
        name, (a, b) = found[-1]
        gap = _WORD.findall(lead[b:])
        if any(w.lower() in _PRONOUNS for w in gap):
            continue  # "Afterwards he said", "Now she says": a pronoun speaks, not the capital before it
        if " " not in name and not name.isupper() and not lead[:a].strip() and not aside and not gap:
            continue  # "Investigators said": a capital opening the sentence is no name ("British police" is one)
        # Only auxiliaries, adverbs or a time between the speaker and the verb: "Obama also said", not "officials
        # in Washington said" (the name is where they are) nor "the man identified by police said".
        if len(gap) > 2 or any(w.lower() in _OBJECT_OF for w in gap) \
                or (_WORD.findall(lead[:a]) and _WORD.findall(lead[:a])[-1].lower() in _OBJECT_OF):
            continue
        said = _content(text[m.end():end])
        if len(said) >= 3:
            offset = start + (len(before) - len(lead) if not aside else 0)
            # "Interim chief executive Keith Cochrane said": an officer of an organisation the sentence leaves
            # unnamed, who may speak for the claim's.
            office = bool(set(w.lower() for w in _WORD.findall(lead[:a])[-3:]) & _SPEAKS_FOR) \
                and not any(" " in n or n.isupper() or lead[:where[0]].strip() for n, where in names(lead[:a]))
            # The noun a name describes is part of who speaks: "British police", "French investigators".
            noun = re.match(r"\s+([a-z][\w-]+)", lead[b:])
            if noun and noun.group(1) not in _DOER_GAP and not noun.group(1).endswith("ly"):
                name, b = lead[a:b + noun.end()], b + noun.end()
            titled = bool({w.lower() for w in _WORD.findall(lead[:a])[-3:] + name.split()} & _NAME_TITLES)
            joint = bool(re.search(r"\b(?:and|along\s+with|together\s+with)\s", lead))
            out.append(_Statement(name, (offset + a, offset + b), said, office, titled, joint, before,
                                  text[m.end():end]))
    return out + _quoted_first(text)


# The speaker named after a quotation that opens their words: '"This one win is so valuable ...," Lee said.',
# '"...", Harbour board chair Ines Varga told reporters.'
_THEN_SPEAKER = re.compile(r"\s*,?\s*(?P<lead>(?:[\w.'’-]+\s+){1,6}?)(?:said|says|added|told|insisted|warned)\b")


def _quoted_first(text: str) -> list[_Statement]:
    """Each quotation followed by its speaker's name and a verb of saying: what the speaker said is the quotation."""
    out = []
    for quoted, (start, end) in _quotations(text):
        then = _THEN_SPEAKER.match(text, end)
        if not then:
            continue
        lead = then.group("lead")
        found = names(lead)
        if not found or _WORD.findall(lead[found[-1][1][1]:]):
            continue  # a pronoun ("he said"), or a name that does not stand right before the verb
        name, (a, b) = found[-1]
        said = _content(quoted)
        if len(said) < 3:
            continue
        offset = then.start("lead")
        titled = bool({w.lower() for w in _WORD.findall(lead)} & _NAME_TITLES)
        joint = bool(re.search(r"\b(?:and|along\s+with|together\s+with)\s", lead))
        before = text[_sentence_of(text, start)[0]:start] + " " + lead
        out.append(_Statement(name, (offset + a, offset + b), said, False, titled, joint, before, quoted))
    return out


def _compare_reported_speaker(claim: str, evidence: str) -> list[Flag]:
    """What the claim's speaker says, the passage has another named speaker say, and never the claim's own:
    "Grant Dalton said the loss would hurt for a long time" against "Skipper Dean Barker ... said the defeat would
    hurt for a long time". The words said must largely agree (half the claim's content words, three at least), so
    two people saying different things in one report are no clash. Words passed on ("said he had been told by"),
    joint statements and a speaker who may talk for the other's organisation are left alone."""
    mine = [s for s in _reported(claim) if not s.joint and not _RELAYED.search(s.words)]
    if not mine:
        return []
    theirs = _reported(evidence)
    for statement in mine:
        who = _name_words(statement.speaker)
        if not who:
            continue
        matching = [other for other in theirs
                    if len(statement.said & other.said) >= 3
                    and len(statement.said & other.said) >= REPORTED_LIKENESS * len(statement.said)
                    # "Carillion said" against "Interim chief executive Keith Cochrane said": a company through
                    # its officer, where the passage leaves the company out; the same the other way round.
                    and not (other.through_officer and not statement.titled)
                    and not (statement.through_officer and not other.titled)
                    # "Dravian officials said" against "Defence Minister Avi Ronen said": a body through its member.
                    and not (_group(other.speaker) and statement.titled)
                    and not (_group(statement.speaker) and other.titled)]
        if not matching:
            continue
        initials = "".join(w[0] for w in statement.speaker.split() if w[0].isupper())
        if any(_find_name(statement.speaker, o.speaker) or _find_name(o.speaker, statement.speaker)
               or who & set(_WORD.findall(o.before))
               or (len(initials) >= 2 and re.search(rf"\b{initials}\b", o.before)) for o in matching):
            # The claim's own speaker says it somewhere in the passage, or is named with the speaker ("Helene
            # Marchal, a spokeswoman for Orvane Pharma, said"; "X and Y said").
            continue
        other = matching[0]
        if _RELAYED.search(other.words) or who & set(_WORD.findall(other.words)) \
                or _name_words(other.speaker) & set(_WORD.findall(statement.words)):
            continue  # words passed on from the claim's speaker, or the two speakers naming each other
        surname = re.escape(statement.speaker.split()[-1])
        if re.search(rf",\s*(?:[\w.'’-]+\s+){{0,4}}?{surname}\s+(?:said|says|added|told|warned)"
                     rf"(?:\s+on\s+\w+)?\s*(?:[.]|$)", evidence):
            continue  # "..., Henderson said.": the claim's speaker, quoted after their words
        if _officer_of(evidence, _sentence_of(evidence, other.span[0])[0], other.span[0],
                       ((statement.speaker, statement.span),)):
            continue  # "GM chief executive Fritz Henderson said" for "GM said": the claim's speaker, through its chief
        return [Flag("actor", "clashes", statement.speaker, other.speaker, statement.span, other.span)]
    return []


# A quotation: double marks, straight or curly, or single marks that open after a space and close before one
# ("called it 'the darkest day'"), so an apostrophe inside a word ("Britain's") is never taken for one.
_QUOTATION = re.compile(r"[\"“](?P<double>[^\"“”\n]{12,}?)[\"”]|(?<![\w'’])['‘](?P<single>[^'‘’\n]{12,}?)['’](?![\w])")
_SPEECH = re.compile(r"\b(?:said|says|say|told|tells|added|adds|called|calls|wrote|writes|declared|insisted|"
                     r"stated|hailed|warned|described|saying|according)\b", re.IGNORECASE)
# Where one speaker's part of a sentence ends and another's begins: "X said '...', while Y said '...'".
_SPEAKER_TURN = re.compile(r";|\b(?:while|but|whereas|although|and\s+(?=[A-Z]))\b|[\"“”‘]|(?<=\s)'|'(?=\s)")


def _quotations(text: str) -> list[tuple[str, tuple[int, int]]]:
    out = []
    for m in _QUOTATION.finditer(text):
        group = "double" if m.group("double") else "single"
        if len(_WORD.findall(m.group(group))) >= 4:
            out.append((m.group(group), m.span()))
    return out


def _speakers(text: str, span: tuple[int, int]) -> list[str]:
    """The names a sentence gives as the source of the quotation at ``span``: those in the words leading up to it
    ("Microsoft president Brad Smith said the decision was '...'"), or, for a quotation that opens the sentence or
    is followed by its attribution, those just after it ("'...,' Pfizer chief executive Albert Bourla said")."""
    start, end = _sentence_of(text, span[0])
    before = text[start:span[0]]
    turns = list(_SPEAKER_TURN.finditer(before))
    before = before[turns[-1].end():] if turns else before
    after = text[span[1]:max(end, span[1])]
    turn = _SPEAKER_TURN.search(after, 2)  # past the comma and mark that close the quotation
    after = after[:turn.start()] if turn else after
    said = list(_SPEECH.finditer(before))
    lead = [n for n, (a, _) in names(before[:said[-1].start()] if said else before)  # "Kotick called the ruling"
            if " " in n or n.isupper() or turns or before[:a].strip()]  # opening the sentence: "Here is the quote"
    if (not re.search(r"[A-Za-z]", before) or not lead) and _SPEECH.search(after):
        return [n for n, _ in names(after)]
    return lead


def quotes_told(claim: str, evidence: str) -> bool:
    """Every quotation of the claim (four words or more) stands in the passage, give or take a word: a passage
    without the words cannot support that someone said them ("Governor Ricardo Rossello pleaded for faster federal
    aid, saying 'We are dying here'" against a passage where Rossello only says the response was improving)."""
    from rapidfuzz import fuzz

    told = " ".join(_WORD.findall(evidence.lower()))
    for quoted, _ in _quotations(claim):
        wanted = " ".join(_WORD.findall(quoted.lower()))
        # The passage must be long enough to hold the words: a short passage is not a part of the quotation.
        if len(told) < 0.8 * len(wanted) or fuzz.partial_ratio(wanted, told) < QUOTE_LIKENESS:
            return False
    return True


# How alike the passage's words must be to a quotation (rapidfuzz partial ratio): "an act of sheer evil" tells "an
# act of pure evil"; a passage without the words scores well below it.
QUOTE_LIKENESS = 75


def _compare_quote_speaker(claim: str, evidence: str) -> list[Flag]:
    """Words the claim quotes that the passage quotes too, from someone else: "Kotick called the ruling 'probably
    the darkest day ...'" against "Brad Smith said the decision was 'probably the darkest day ...'". Only when both
    sentences name the speaker, and none of the claim's names is among the passage's."""
    from rapidfuzz import fuzz

    for quoted, span in _quotations(claim):
        mine = _speakers(claim, span)
        if not mine:
            continue
        wanted = " ".join(_WORD.findall(quoted.lower()))
        for theirs_quoted, theirs_span in _quotations(evidence):
            words = " ".join(_WORD.findall(theirs_quoted.lower()))
            if fuzz.partial_ratio(wanted, words) < 90 if len(wanted) <= len(words) else \
                    fuzz.partial_ratio(words, wanted) < 90 or len(words.split()) < 4:
                continue
            theirs = _speakers(evidence, theirs_span)
            if not theirs:
                continue
            if any(_find_name(a, b) or _find_name(b, a) for a in mine for b in theirs):
                return []
            where = _find_name(theirs[-1], evidence) or theirs_span
            return [Flag("actor", "clashes", mine[-1], theirs[-1], _find_name(mine[-1], claim) or span, where)]
    return []


# A title given to someone: "Kolbe was named World Rugby Player of the Year", "Truss had served as foreign secretary".
_TAKES_TITLE = re.compile(r"\s+(?:(?:was|were|is|has\s+been|had\s+been)\s+(?:named|elected|appointed|chosen|voted|"
                          r"crowned|made)(?:\s+as)?|(?:became|becomes|has\s+become|had\s+become)|(?:served|serves|"
                          r"has\s+served|had\s+served)\s+as)\s+(?:the\s+|a\s+|an\s+)?(?=\w)", re.IGNORECASE)
# How a passage ties a title to its holder, the holder's name just before: "du Toit was named ...", "Kwarteng as
# chancellor", "Jeremy Hunt, a former foreign secretary".
_HOLDS = re.compile(r"(?:\s+(?:(?:was|were|is|has\s+been|had\s+been)\s+(?:named|elected|appointed|chosen|voted|"
                    r"crowned|made)(?:\s+as)?|(?:became|becomes|has\s+become|had\s+become)|(?:served|serves|"
                    r"has\s+served|had\s+served)\s+as|as)|,\s*(?:a|an|the))\s+(?:the\s+|a\s+|an\s+)?(?:former\s+|new\s+|"
                    r"current\s+|then\s+|outgoing\s+|incoming\s+|acting\s+|interim\s+)?$", re.IGNORECASE)
_TITLE_ENDS = {"in", "at", "on", "after", "before", "by", "for", "from", "to", "with", "and", "who", "which", "when",
               "while", "since", "during", "until", "under", "over", "than", "as", "but", "a", "an"}
# A holder given after "replaced" is the one who left: "Hunt replaced Kwarteng as chancellor".
_DISPLACED = re.compile(r"\b(?:replac|succeed|oust|fir|sack|dismiss|defeat|beat)\w*\s+$", re.IGNORECASE)


def _title_after(text: str, position: int) -> str:
    words = []
    for w in re.finditer(r"[^\s,.;:!?()]+|[,.;:!?()]", text[position:]):
        word = w.group(0)
        if not re.fullmatch(r"[A-Za-z][A-Za-z'’-]*", word) or word.lower() in _TITLE_ENDS or len(words) == 6:
            break
        words.append(word)
    while words and words[-1].lower() in {"of", "the"}:
        words.pop()
    return " ".join(words)


def _holders(evidence: str, title: str) -> list[tuple[str, tuple[int, int]]]:
    """Who the passage gives ``title`` to, wherever it names the holder beside it."""
    out = []
    for m in re.finditer(rf"(?<![\w-]){re.escape(title)}(?![\w-])", evidence, re.IGNORECASE):
        lead = evidence[max(0, m.start() - 80):m.start()]
        tie = _HOLDS.search(lead)
        if tie:
            before = names(lead[:tie.start()])
            if before and before[-1][1][1] == tie.start() and not _DISPLACED.search(lead[:before[-1][1][0]]):
                offset = m.start() - len(lead)
                out.append((before[-1][0], (before[-1][1][0] + offset, before[-1][1][1] + offset)))
                continue
        follows = names(evidence[m.end():m.end() + 60])
        if follows and follows[0][1][0] == 1 and evidence[m.end()] == " ":  # "Foreign Secretary James Cleverly"
            out.append((follows[0][0], (m.end() + follows[0][1][0], m.end() + follows[0][1][1])))
    return out


def _compare_title_holder(claim: str, evidence: str) -> list[Flag]:
    """A title the claim gives to someone that the passage gives to someone else: "Cheslin Kolbe was named World
    Rugby Player of the Year" against "Pieter-Steph du Toit was named World Rugby Player of the Year". Told as
    "differs", not as a clash: a title passes from one holder to the next, so another holder may be a different
    year's (an earlier foreign secretary), and the claim then needs an analyst, not a contradiction."""
    mine = names(claim)
    for tie in _TAKES_TITLE.finditer(claim):
        holder = next((n for n, s in reversed(mine) if s[1] == tie.start()), None)
        title = _title_after(claim, tie.end())
        if not holder or len(title) < 4 or not re.search(r"[a-z]{3}", title.lower()):
            continue
        found = _holders(evidence, title)
        if not found or any(_find_name(n, holder) or _find_name(holder, n) for n, _ in found):
            continue
        others = [(n, s) for n, s in found if not any(_find_name(n, c) or _find_name(c, n) for c, _ in mine)]
        if others:
            name, span = others[0]
            where = next(s for n, s in mine if n == holder)
            return [Flag("actor", "differs", holder, f"{name} ({title})", where, span)]
    return []


_CLAUSE_END = re.compile(r"(?<!\d)[,.]|[,.](?!\d)|[;:!?]|\b(?:but|while|although|whereas|who|which)\b",
                         re.IGNORECASE)  # "1.9 billion", "150,000": a figure ends no clause


def _cues(text: str) -> list[re.Match]:
    """The negation cues in ``text`` that deny something: not a correction, not a bound."""
    out = []
    for cue in _NEGATION.finditer(text):
        if cue.group(0) == "No" and (re.search(r"[a-z,]\s+$", text[:cue.start()])
                                     or _SIDE.match(text, cue.end())):
            continue  # "50.2 percent voting No", "the No camp": a side in a vote, not a denial
        if _CONTRAST.match(text, cue.start()) and re.search(r",\s*$", text[:cue.start()]):
            continue  # "nine minutes and 29 seconds, not the eight minutes cited last year": a correction
        if _BOUND.match(text, cue.end()):
            continue  # "no more than 5 percent": a bound, compared as a number
        if cue.group(0).lower() == "nothing" and re.match(r"\s+(?:short\s+of|but|less\s+than|more\s+than|new|else)\b",
                                                           text[cue.end():], re.IGNORECASE):
            continue  # "nothing short of spectacular": praise, not a denial
        if cue.group(0).lower() in ("failed", "failing") \
                and _DESCRIBED.search(text[max(0, cue.start() - 12):cue.start()]) \
                and re.match(r"\s+(?:[\w-]+\s+)?(?:operator|bank|lender|firm|company|airline|retailer|carrier|"
                             r"group|business|insurer|state|regime)s?\b", text[cue.end():], re.IGNORECASE):
            continue  # "the failed operator's 555 branches": a description, not a denial ("the failed takeover" is)
        out.append(cue)
    return out


_DESCRIBED = re.compile(r"\b(?:the|a|an|its|their|his|her)\s+$", re.IGNORECASE)
_SIDE = re.compile(r"\s+(?:camp|campaign|side|voters|supporters|backers)\b")
# A past form after an article or a preposition describes a thing ("the estimated 150,000", "a mound of layered rock").
_DESCRIBED_THING = re.compile(r"\b(?:the|a|an|its|their|his|her|of|with|in|from|for|on|at|by)\s+$", re.IGNORECASE)


def _denied_words(text: str, cue: re.Match) -> set[str]:
    """The first six letters of the content words among the six after a cue in its clause: what it denies, loosely
    enough that "not mentally ill" and "not suffering from a mental illness" deny one thing, not "police" and
    "policy"."""
    from spacy.lang.en.stop_words import STOP_WORDS  # imported here: see _content

    end = _CLAUSE_END.search(text, cue.end())  # within the cue's clause: "not injured, but Moreau was charged"
    words = [w.group(0).lower() for w in _WORD.finditer(text[cue.end():end.start() if end else len(text)])][:6]
    # One deed in other words is one thing denied ("did not say who" and "did not address who").
    return {_deed_stem(w) if _deed_stem(w) in _ONE_DEED.values() else w[:6] for w in words
            if (len(w) > 3 and w not in STOP_WORDS) or _deed_stem(w) in _ONE_DEED.values()}


# Words that deny without a negation word: "dismissed the challenge" denies what "rejected the appeal" does, "to avoid
# any risk of contaminating" what "so that it could not contaminate" does, "Mugabe did not attend" what "stayed away"
# does, "the first time in the history of the Fifth Republic" what "had never happened before under" it does.
_DENIAL_IN_OTHER_WORDS = re.compile(
    r"\b(?:dismiss(?:ed|es|ing)|threw\s+out|thrown\s+out|turned\s+down|rebuff(?:ed|s)|declin(?:ed|es)|"
    r"avoid(?:ed|s|ing)?|prevent(?:ed|s|ing)?|lack(?:ed|s|ing)?|absence|absent|failure|refusal|rejection|"
    r"st(?:ay(?:ed|s)?|ood)\s+away|kept\s+away|(?:for\s+)?the\s+first\s+time|(?:the|a)\s+first\s+[a-z]+\s+(?=to\b))",
    re.IGNORECASE)


def _denied_in_other_words(text: str, cue: re.Match, other: str) -> bool:
    """``other`` denies what the cue in ``text`` denies, in a word of denial that is not itself what the cue denies:
    "rejected Novak Djokovic's appeal" and "dismissed Novak Djokovic's challenge"; not "did not dismiss the appeal"
    and "dismissed the appeal"."""
    governed = {w.lower()[:4] for w in _governed(text, cue.end()) if len(w) > 3}
    denied = _denied_words(text, cue)
    for found in _DENIAL_IN_OTHER_WORDS.finditer(other):
        if {w.lower()[:4] for w in _WORD.findall(found.group(0)) if len(w) > 3} & governed:
            continue  # the cue denies that very word: "did not avoid" against "avoided"
        if denied & _denied_words(other, found):
            return True
    return False


def _same_denial(claim: str, mine: re.Match, evidence: str, theirs: re.Match) -> bool:
    """Two cues deny the same thing: "whose accusations were not part of the charges" and "whose allegations were not
    part of the charges"."""
    return bool(_denied_words(claim, mine) & _denied_words(evidence, theirs))


_CONTRAST_CUE = re.compile(r"rather\s+than|instead\s+of", re.IGNORECASE)
# Words that name one deed, for what a denial denies: "no Americans were harmed" denies that any were "wounded".
# Speaking of a thing in other words: "did not say who launched it" denies what "did not address who fired" does.
_ONE_DEED = {"hurt": "harm", "injur": "harm", "wound": "harm", "addres": "say", "address": "say", "specify": "say",
             "mention": "say", "disclos": "say", "reveal": "say", "identify": "say", "comment": "say"}


def _deed_stem(word: str) -> str:
    stem = _stem(word)
    return _ONE_DEED.get(stem, stem)


def _governing(text: str, words: set[str]) -> list[re.Match]:
    """The negation cues in ``text`` that govern one of ``words`` (stems): one of the next four words, in the
    same clause ("failed, but Japan's lander touched down" does not deny the landing)."""
    out = []
    for cue in _cues(text):
        # A short aside after the cue does not end what it denies: "did not, for now, constitute an emergency".
        aside = _ASIDE.match(text, cue.end())
        after = aside.end() if aside else cue.end()
        evidential = _EVIDENTIAL.match(text, after) if cue.group(0).lower() in ("no", "nothing") else None
        if evidential:
            after = evidential.end()  # "found nothing to show that the system had been brought": denies the system
        following = _governed(text, after)
        if _EXISTS.match(text, after):
            # "the 1.9 billion euros it listed ... most probably never existed": what never existed is the subject.
            start = _sentence_of(text, cue.start())[0]
            following = _WORD.findall(text[start:cue.start()]) + following
        # What is denied is a deed or a thing, not a name: "unable to reach Higgs" says nothing against a claim
        # about Higgs that shares no other word with it.
        denied = [w for w in following if _deed_stem(w) in words and not w[0].isupper()]
        # A contrast ("rather than for two years") denies the claim's thing only where two of its words say which
        # ("rather than solar panels"): one shared "year" is any period.
        if len(denied) >= (2 if _CONTRAST_CUE.fullmatch(cue.group(0)) else 1):
            out.append(cue)
    return out


_EXISTS = re.compile(r"\s*(?:exist(?:s|ed)?|happen(?:s|ed)?|occur(?:s|red)?|took\s+place|materiali[sz]ed)\b",
                     re.IGNORECASE)
# What a finding of nothing denies follows its "that": "found nothing to show that", "no evidence that".
_EVIDENTIAL = re.compile(r"\s+(?:(?:evidence|signs?|proof|indications?)\s+)?(?:to\s+(?:show|suggest|indicate|prove|"
                         r"support)\s+)?that\b", re.IGNORECASE)
_LITTLE = {"his", "her", "its", "their", "our", "my", "your", "own"}  # possessives: "in his own defence"
# Words that say nothing of what is denied: "had no knowledge that an intrusion had occurred" shares a "that" with
# any claim.
_FUNCTION_WORDS = {"that", "this", "these", "those", "which", "what", "there", "they", "them", "their", "been", "being",
                   "were", "will", "would", "could", "should"}


def _governed(text: str, position: int) -> list[str]:
    """The four words a cue ending at ``position`` governs, within its clause and not counting possessives: "would
    not testify in his own defence" denies the defence."""
    end = _CLAUSE_END.search(text, position)
    return [w.group(0) for w in _WORD.finditer(text[position:end.start() if end else len(text)])
            if w.group(0).lower() not in _LITTLE][:4]
_ASIDE = re.compile(r"\s*,\s*(?:(?:at\s+least\s+)?for\s+now|so\s+far|as\s+yet|yet|however|still|at\s+present|"
                    r"for\s+the\s+time\s+being)\s*,", re.IGNORECASE)
_BOUND = re.compile(r"\s+(?:more|less|fewer|later|earlier|higher|lower|greater|bigger|larger|smaller)\s+than\b",
                    re.IGNORECASE)
_CONTRAST = re.compile(r"not\s+(?:the|a|an|his|her|its|their|\d)", re.IGNORECASE)


# A negation of what was done: "did not step down", "never left", "refused to resign", "failed to save".
# "Is not in doubt" denies a state, not a deed, and is left to the shared-word rule above.
_DENIED_DEED = re.compile(r"\b(?:(?:did|does|do|has|have|had|will|would|could|can|should)\s+(?:not|never)"
                          r"|never|(?:did|does|do|has|have|had|wo|would|could|ca)n[’']t"
                          r"|(?:refused|failed|failing|declined|unable)\s+to|stop(?:ped|s|ping)?\s+short\s+of)\b",
                          re.IGNORECASE)


# A denial the claim itself hedges ("will probably never recover", "most likely never existed") is a judgment, which a
# passage may make in other words ("are likely to lose that money"), not a deed denied: see ``_HEDGED_DENIAL``.
def _denied_told_done(claim: str, cue: re.Match, evidence: str) -> bool:
    """The passage tells as done the verb the claim's denial denies: "have recovered" against "will probably never
    recover"."""
    verb = next((w for w in _governed(claim, cue.end()) if w.islower() and w not in ("be", "have", "been")), None)
    return bool(verb) and any(_told_as_done(w.group(0)) and _stem(w.group(0)) == _stem(verb)
                              for w in _WORD.finditer(evidence))


# A clause that turns from what the claim asserts to what did not follow: "..., yet it stopped short of sanctioning
# him". Its denial is of a deed of its own, which a passage that never speaks of that deed neither confirms nor denies.
_CONTRAST_CLAUSE = re.compile(r"(?:,\s*(?:yet|but|though|although|while)|\b(?:though|although))\b[^,;]*$",
                              re.IGNORECASE)


def _in_aside(text: str, position: int) -> bool:
    """``position`` lies in a relative clause set off by commas: ", who had said he did not regret ...,"."""
    opened = text.rfind(",", 0, position)
    return opened >= 0 and bool(re.match(r",\s*(?:who|which|whose)\b", text[opened:])) \
        and "," in text[position:]


def _compare_negation(claim: str, evidence: str, claim_written: date | None = None,
                      evidence_written: date | None = None) -> list[Flag]:
    """The claim denies what the passage states, or the reverse. On either side a negation counts only where it
    governs words both share, so a "not" in an aside ("who did not attend") or about something else does not.
    A claim that denies a deed ("never left Texas") against a passage that denies no deed at all is a denial too,
    though the passage tells the deed in other words ("flew to Cancun"): whether the two are about one deed is
    then the stance model's call (verification/roles.py)."""
    shared = ({_deed_stem(w.group(0)) for w in _WORD.finditer(claim) if len(w.group(0)) > 3
               and w.group(0).lower() not in _FUNCTION_WORDS}
              & {_deed_stem(w.group(0)) for w in _WORD.finditer(evidence) if len(w.group(0)) > 3
                 and w.group(0).lower() not in _FUNCTION_WORDS})
    mine, theirs = _governing(claim, shared), _governing(evidence, shared)
    # A denial on one side that the other side makes too, of the same thing, is agreement, whatever else either
    # side denies: the claim's two "not"s against the passage's one ("jurors should not have heard from women whose
    # accusations were not part of the charges") are no clash where the passage also says they "were not part".
    all_mine, all_theirs = _cues(claim), _cues(evidence)
    mine, theirs = ([c for c in mine if not any(_same_denial(claim, c, evidence, p) for p in all_theirs)
                     and not _denied_in_other_words(claim, c, evidence)],
                    [p for p in theirs if not any(_same_denial(claim, c, evidence, p) for c in all_mine)
                     and not _denied_in_other_words(evidence, p, claim)])
    # Two denials cancel only within one sentence ("did not fail to"); in two sentences each denies its own thing.
    odd = [c for c in theirs if sum(_sentence_of(evidence, o.start()) == _sentence_of(evidence, c.start())
                                    for o in theirs) % 2]
    if len(mine) % 2 == bool(odd):
        # A denial in an aside about someone ("Herman Andaya, who had said he did not regret ..., quit") is not
        # what the claim asserts.
        denial = next((d for d in _DENIED_DEED.finditer(claim) if not _in_aside(claim, d.start())
                       and not (_HEDGED_DENIAL.search(claim, 0, d.start())
                                and not _denied_told_done(claim, d, evidence))
                       and not (_CONTRAST_CLAUSE.search(claim, 0, d.start())
                                and not _denied_words(claim, d) & {w.lower()[:6] for w in _WORD.findall(evidence)})),
                      None)
        # A denial in the passage counts only where it denies something the claim names: "said it did not represent
        # a decision" leaves "declined to confirm" against "confirmed that a draft ... was authentic" a clash.
        # Or the same denial of a deed, in its six words ("should never have received a permit" against "should not
        # have been issued a permit").
        if denial and not any(_denies_shared(evidence, d, shared) or _same_denial(claim, denial, evidence, d)
                              for d in _DENIED_DEED.finditer(evidence)) \
                and not _denied_in_other_words(claim, denial, evidence) \
                and not _called_off(claim, evidence, shared):
            return [Flag("negation", "clashes", denial.group(0), "", denial.span(), None)]
        return []
    if len(mine) % 2:
        if _called_off(claim, evidence, shared):
            return []  # "did not take place" against "was cancelled": the passage denies it in other words
        if all(_HEDGED_DENIAL.search(claim, 0, c.start()) and not _denied_told_done(claim, c, evidence) for c in mine):
            return []  # "will probably never recover" is a judgment, as "are likely to lose that money" is
        return [Flag("negation", "clashes", mine[0].group(0), "", mine[0].span(), None)]
    if odd[-1].group(0).lower() == "never" and _FIRST_TIME.search(claim) and claim_written and evidence_written \
            and evidence_written < claim_written:
        # "won a major from behind for the first time" against "has never won a major without the lead", written the
        # day before: what had never happened is what the claim says happened for the first time. Not "for the
        # first time since 2019" or "in a decade", which say it happened before.
        return []
    # The passage's denial shown is the one that denies most of what the claim says.
    shown = max(odd, key=lambda c: sum(_stem(w) in shared for w in _governed(evidence, c.end())))
    return [Flag("negation", "clashes", "", shown.group(0), None, shown.span())]


# A thing told as not happening after all: "Glastonbury 2020 was cancelled", "the match was called off".
_CALLED_OFF = re.compile(r"\b(?:cancell?ed|called\s+off|scrapped|postponed|abandoned|shelved|axed|suspended|"
                         r"halted)\b", re.IGNORECASE)


def _called_off(claim: str, text: str, words: set[str]) -> bool:
    """``text`` tells one of ``words`` (stems) called off, in the clause that says so, and the claim, which denies a
    deed, does not deny the calling off itself ("were not postponed" against "were postponed" clashes)."""
    if _CALLED_OFF.search(claim):
        return False
    for cue in _CALLED_OFF.finditer(text):
        start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, cue.start())), default=0)
        end = _CLAUSE_END.search(text, cue.end())
        clause = text[start:end.start() if end else len(text)]
        if any(_stem(w) in words for w in _WORD.findall(clause) if w.lower() != cue.group(0).lower()):
            return True
    return False


def _denies_shared(text: str, cue: re.Match, words: set[str]) -> bool:
    """The denial ``cue`` governs one of ``words`` (stems): one of the next four words of its clause. A failure or a
    refusal ("unable to reach a consensus") denies a deed whatever its words ("failed to agree")."""
    if re.match(r"(?:refused|failed|declined|unable)\b", cue.group(0), re.IGNORECASE):
        return True
    return any(_deed_stem(w) in words for w in _governed(text, cue.end()))


_FIRST_TIME = re.compile(r"\bfor\s+the\s+first\s+time\b(?!\s+(?:since\b|in\s+(?:a|an|\d+|two|three|four|five|six|"
                         r"seven|eight|nine|ten|more|over|nearly|almost)\b))", re.IGNORECASE)


# Deeds that exclude one another when done to the same thing: a rate raised is not a rate held or cut, a bill
# passed is not a bill rejected, a defendant convicted is not one acquitted. Past forms only (a present "hikes" is
# as often a noun), and a hold needs its complement ("held rates steady"), since "held talks" is no hold.
_OPPOSED = {
    "up": r"raised|hiked|increased|lifted|rose|grew|climbed|jumped|surged|boosted|gained|soared",
    "down": r"cut|lowered|reduced|fell|dropped|shrank|slashed|decreased|plunged|slipped|eased|tumbled",
    "hold": r"(?:held|kept|left|leaves|holds|keeps)\s+(?:[\w-]+\s+){0,4}?(?:steady|unchanged|on hold)|paused|pausing|"
            r"froze",
    "approve": r"approved|passed|accepted|ratified|upheld|endorsed",
    "reject": r"rejected|blocked|vetoed|defeated|overturned|struck down|voted down|turned down|turned away|rebuffed|"
              r"spurned",
    "convict": r"convicted|found\s+(?:[A-Z][\w'-]*\s+){0,3}guilty",
    "acquit": r"acquitted|cleared|found\s+(?:[A-Z][\w'-]*\s+){0,3}not\s+guilty",
    "admit": r"admitted|confessed|acknowledged",
    "deny": r"denied",
    # How someone took a decision or an event: "welcomed the decision" against "angrily protested the decision".
    "welcome": r"welcomed|praised|hailed|applauded|lauded",
    "protest": r"protested|condemned|critici[sz]ed|denounced|deplored|decried",
    "keep": r"(?:held|hung|clung)\s+on(?:to|\s+to|\s+in)|retained|kept",
    "lose": r"lost|forfeited",
    # Staying in a pact or a body, or leaving it: "would remain in the Paris climate accord" against "would withdraw
    # from the Paris climate accord".
    "stay": r"(?:remain|remains|remained|stay|stays|stayed)\s+(?:in|part\s+of|a\s+member\s+of)",
    "leave": r"(?:withdr(?:aw|aws|ew|awn|awing)\s+from|pull(?:s|ed|ing)?\s+out\s+of|quit|quits|exit|exits|exited|"
             r"leave|leaves|leaving|left)\s+(?=(?:the\s+)?(?:[\w-]+\s+){0,3}(?:accord|agreement|pact|treaty|alliance|"
             r"union|bloc|coalition|deal|league|eurozone|euro|EU|NATO)\b)",
}
_OPPOSITES = {"up": ("down", "hold"), "down": ("up", "hold"), "hold": ("up", "down"), "approve": ("reject",),
              "reject": ("approve",), "convict": ("acquit",), "acquit": ("convict",), "keep": ("lose",),
              "lose": ("keep",), "stay": ("leave",), "leave": ("stay",), "admit": ("deny",), "deny": ("admit",),
              "welcome": ("protest",), "protest": ("welcome",)}
_OPPOSED_RE = {kind: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for kind, words in _OPPOSED.items()}


# A verdict names its charges in a list that runs on ("guilty of multiple manslaughter, causing a shipwreck and
# abandoning his ship"); the list ends where a contrast begins ("cleared of murder but convicted of manslaughter").
_CHARGES_END = re.compile(r"\b(?:but|while|whereas|although|though|yet|could\s+not|unable|deadlocked)\b|[.;]")


def _done_to(text: str, match: re.Match, kind: str = "") -> set[str]:
    """The stems of the four words after a deed: what it was done to ("raised its benchmark interest rate"); for a
    verdict, every charge it names."""
    if kind in ("convict", "acquit"):
        end = _CHARGES_END.search(text, match.end())
        after = list(_WORD.finditer(text[match.start():end.start() if end else len(text)]))[1:41]
    elif kind == "keep" and match.group(0).lower().endswith(" in"):
        return {"seat"}  # "held on in Bolsover": what is held on in a constituency is its seat
    elif kind in ("keep", "lose"):
        # What was kept or lost may follow a name: "held on to her South West Norfolk seat".
        after = list(_WORD.finditer(text[match.end():]))[:6]
    elif kind in ("approve", "reject", "admit", "deny") \
            and re.match(r"\s+(?:[\w'’]+\s+){0,4}?that\b", text[match.end():]):
        # What was accepted or rejected, admitted or denied, is what the clause after "that" says: "accepted the
        # investigators' finding that its pilots were to blame" and "rejected suggestions that the crew was to
        # blame"; "denied that he had knowingly taken steroids" and "admitted that he had knowingly taken them".
        end = _CLAUSE_END.search(text, text.index("that", match.end()) + 4)
        after = list(_WORD.finditer(text[match.start():end.start() if end else len(text)]))[1:14]
    else:
        after = list(_WORD.finditer(text[match.start():]))[1:5]  # "held interest rates steady": inside the match
    # Lower-case words only: a shared "Monday" or "March" says when, not what was raised or cut; "charges" and
    # "counts" say nothing of which ("guilty on two of the five charges" is no clash with "acquitted of the most
    # serious charges").
    return {_stem(w.group(0)) for w in after if len(w.group(0)) > 3 and w.group(0).islower()
            and w.group(0) not in _CONTEXT_STOP and w.group(0) not in _ANY_CHARGE}


_ANY_CHARGE = {"charge", "charges", "count", "counts", "against", "five", "four", "three", "seven", "eight", "nine",
               "guilty"}


def _doer(text: str, match: re.Match) -> str:
    """The name just before a deed in its sentence ("Former prime minister Liz Truss lost"); "" when none."""
    start = _sentence_of(text, match.start())[0]
    found = [n for n, (a, b) in names(text[start:match.start()]) if match.start() - (start + b) <= 25]
    return found[-1] if found else ""


def _kept_and_lost(claim: str, mine: re.Match, evidence: str, theirs: re.Match) -> bool:
    """A seat, a title or control kept against the same one lost, by the same person: "Liz Truss held on to her
    South West Norfolk seat" against "Liz Truss lost her South West Norfolk seat"; not "Jane Smith retained her seat"
    against "Tom Brown lost his seat", nor "kept rates unchanged" against "stocks lost ground"."""
    a, b = _doer(claim, mine), _doer(evidence, theirs)
    if not (a and b and (_find_name(a, b) or _find_name(b, a))):
        return False
    def named(text: str, match: re.Match) -> set[str]:  # noqa: E306 - the capitalised words of what was kept or lost
        words = [w.group(0) for w in _WORD.finditer(text[match.end():])][:6]
        return {w.lower() for w in words if w[0].isupper()}
    x, y = named(claim, mine), named(evidence, theirs)
    if x and not x & y:
        # "held on in Bolsover" against "Bolsover, where Dennis Skinner lost the seat to the Reform candidate": the
        # place may be named before the loss, in its sentence.
        start = _sentence_of(evidence, theirs.start())[0]
        y |= {w.group(0).lower() for w in _WORD.finditer(evidence[start:theirs.start()]) if w.group(0)[0].isupper()}
    return not (x or y) or bool(x & y)


def _same_reactor(claim: str, mine: re.Match, evidence: str, theirs: re.Match) -> bool:
    """Who welcomed or protested in the claim is among who did the opposite in the passage: at least half of the
    words before the claim's verb in its clause ("Canadian health officials") stand before the passage's in its
    sentence ("Canadian health officials and Toronto's mayor, Mel Lastman, angrily protested")."""
    def before(text: str, match: re.Match, reach: int) -> set[str]:  # noqa: E306
        start = _sentence_of(text, match.start())[0]
        cut = max([start, *(c.end() for c in re.finditer(r"[;]|\b(?:but|while|whereas|although|though)\b",
                                                          text[:match.start()]) if c.end() > start)])
        words = [w.group(0) for w in _WORD.finditer(text, cut, match.start())][-reach:]
        return {_stem(w) for w in words if len(w) > 3 and w.lower() not in _CONTEXT_STOP}
    who = before(claim, mine, 6)
    return bool(who) and 2 * len(who & before(evidence, theirs, 14)) >= len(who)


def _compare_direction(claim: str, evidence: str) -> list[Flag]:
    """The claim and the passage do opposite things to the same thing: "held interest rates steady" against
    "raised its benchmark interest rate by a quarter point". Only when the passage nowhere tells the claim's own
    deed ("held rates steady in March after raising them in January" says both)."""
    for kind, pattern in _OPPOSED_RE.items():
        # A verdict, an admission or a denial may stand beside its opposite on other counts or other words: the
        # passage's nearest in what it is about decides ("denied using drugs after Seoul", "admitted that he had
        # knowingly taken steroids").
        verdict = kind in ("convict", "acquit", "admit", "deny")
        if pattern.search(evidence) and not verdict:
            continue
        for mine in pattern.finditer(claim):
            what = _done_to(claim, mine, kind)
            # A jury convicts on some counts and acquits on others: the passage's verdict on the claim's charges is
            # the one whose charges share most with them ("acquitted her on four counts related to defrauding
            # patients" against "found Holmes guilty of defrauding patients", beside "guilty of wire fraud").
            same = max((len(what & _done_to(evidence, m, kind)) for m in pattern.finditer(evidence)), default=0)
            for other in _OPPOSITES[kind]:
                for theirs in _OPPOSED_RE[other].finditer(evidence):
                    if kind in ("keep", "lose") and not _kept_and_lost(claim, mine, evidence, theirs):
                        continue
                    if kind in ("welcome", "protest") and not _same_reactor(claim, mine, evidence, theirs):
                        continue  # "unions welcomed the ruling" is no clash with "employers criticised it"
                    if verdict and not _verdict_on(claim, evidence, theirs):
                        continue  # "while three co-defendants were acquitted": another defendant's verdict; "Ana Ruiz,
                        # his teammate, denied": another person's denial
                    if len(what & _done_to(evidence, theirs, other)) > same:
                        return [Flag("negation", "clashes", mine.group(0), theirs.group(0), mine.span(),
                                     theirs.span())]
    return []


# What became of a named person or thing, in opposite pairs: let play or kept out, left standing or brought down,
# alive or dead. "Wing trimmer Dirk de Ridder was banned from the regatta" against "cleared Dirk de Ridder to sail";
# "Haiti's National Palace ... collapsed" against "the National Palace withstood the earthquake".
_STATES = {
    "barred": r"(?:was|were|been|is|are)\s+(?:banned|barred|suspended|ruled\s+out|excluded|disqualified)|"
              r"(?:banned|barred|suspended|disqualified)\s+(?=[A-Z])",
    "allowed": r"(?:was|were|been|is|are)\s+(?:cleared|allowed|permitted)\s+to|(?:cleared|allowed|permitted)\s+"
               r"(?=(?:[A-Za-z'’-]+\s+){1,5}?to\b)|avoided\s+(?:a\s+)?(?:ban|suspension)|"
               r"(?:will\s+be|is|was)\s+(?:available|eligible|fit)\s+(?:for|to)",
    "standing": r"withst(?:ood|ands?)|survived|(?:was|were)\s+spared|remained\s+standing|"
                r"escaped\s+(?:damage|unscathed)",
    "destroyed": r"collapsed|(?:was|were|been)\s+(?:destroyed|flattened|razed|levelled|leveled|reduced\s+to\s+rubble)",
    "alive": r"(?:is|was|are|were|remains?|remained)\s+(?:still\s+)?alive",
    "dead": r"(?:has|have|had)\s+died|\bdied\b|(?:is|was|are|were)\s+(?:found\s+)?dead",
    # A golfer through to the weekend, or out.
    "made the cut": r"made\s+the\s+cut",
    "missed the cut": r"missed\s+the\s+cut|failed\s+to\s+make\s+the\s+cut",
    # A seat kept or given up: "will keep his seat on the board" against "will leave the board".
    "kept the seat": r"(?:keep|keeps|kept|retain|retains|retained)\s+(?:his|her|its|their|a)\s+(?:seat|place)\b|"
                     r"(?:stay|stays|stayed|remain|remains|remained)\s+on\s+the\s+board",
    "left the seat": r"(?:leave|leaves|left|quit|quits|step\s+down\s+from|steps\s+down\s+from|stepped\s+down\s+from|"
                     r"give\s+up|gives\s+up|gave\s+up)\s+(?:his|her|its|their|the)\s+(?:seat|board)\b",
    # A post kept or given up: "said he would remain England manager" against "resigned as England manager".
    "stays in post": r"(?:remain|remains|remained|stay|stays|stayed|continue|continues|continued)\s+(?:on\s+)?"
                     r"(?:as\s+)?(?:the\s+)?(?:(?-i:[A-Z])[\w'’-]*\s+){0,3}(?:manager|coach|captain|chief|leader|president|chairman|"
                     r"chairwoman|prime\s+minister|minister|governor|head|boss)\b",
    # Done, not refused, denied or asked for: "refused to resign as", "will not resign as", "urged him to quit as".
    "left the post": r"(?<!\bto\s)(?<!\bnot\s)(?<!n't\s)(?:resigned|quit|stepped\s+down|stood\s+down)\s+as\b",
    # A defendant free on bail, or held.
    "free on bail": r"(?:free|freed|released)\s+on\s+bail|granted\s+bail",
    "held": r"(?:revoked|denied|refused)\s+(?:him\s+|her\s+|them\s+)?(?:his\s+|her\s+|their\s+)?bail|"
            r"(?:was|were)\s+(?:remanded\s+in\s+custody|jailed|led\s+away\s+in\s+handcuffs)",
}
_STATE_OPPOSITE = {"barred": "allowed", "allowed": "barred", "standing": "destroyed", "destroyed": "standing",
                   "alive": "dead", "dead": "alive", "made the cut": "missed the cut", "missed the cut": "made the cut",
                   "kept the seat": "left the seat", "left the seat": "kept the seat", "free on bail": "held",
                   "held": "free on bail", "stays in post": "left the post", "left the post": "stays in post"}
_STATE_RE = {kind: re.compile(rf"\b(?:{words})", re.IGNORECASE) for kind, words in _STATES.items()}


def _states_of(text: str, name: str) -> dict[str, re.Match]:
    """The states the text gives ``name`` (as ``_find_name`` finds it: a person by their surname too) in a clause
    that names it, before the state word or just after one ("banned Vela", "cleared de Ridder to sail"), each with
    its words."""
    found: dict[str, re.Match] = {}
    for kind, pattern in _STATE_RE.items():
        for m in pattern.finditer(text):
            start, end = _sentence_of(text, m.start())
            before = text[start:m.start()]
            cut = max([0, *(c.end() for c in re.finditer(r"[;:]|\b(?:but|while|whereas|although|though)\b", before))])
            clause = before[cut:] + text[m.start():min(end, m.end() + 60)]
            if _find_name(name, clause):
                found.setdefault(kind, m)
    return found


def _compare_state(claim: str, evidence: str) -> list[Flag]:
    """A person or thing both name is left in one state by the claim and in the opposite by the passage, which
    nowhere gives it the claim's: the passage contradicts the claim whatever words they share."""
    if not any(pattern.search(claim) for pattern in _STATE_RE.values()):
        return []  # most claims give no one a state: no names to look up
    for name, _ in names(claim):
        if not _find_name(name, evidence):
            continue
        mine = _states_of(claim, name)
        theirs = _states_of(evidence, name) if mine else {}
        for kind, said in mine.items():
            cue = theirs.get(_STATE_OPPOSITE[kind])
            if cue is not None and kind not in theirs:
                return [Flag("negation", "clashes", said.group(0).strip(), cue.group(0).strip(), said.span(),
                             cue.span())]
    return []


def _verdict_on(claim: str, evidence: str, verdict: re.Match) -> bool:
    """The passage's verdict may be the claim's defendant's: it names them in its clause, or names no other defendant
    there ("while three co-defendants were acquitted", "her co-defendant Ben Ode was acquitted" are others')."""
    start = max([0, *(m.end() for m in _CLAUSE_END.finditer(evidence, 0, verdict.start()))])
    clause = evidence[start:verdict.end() + 25]
    mine = names(claim)
    if any(_find_name(n, clause) for n, _ in mine):
        return True
    if re.search(r"\b(?:co-?defendants?|others)\b", clause, re.IGNORECASE):
        return False
    # Another person named at the verdict is theirs, where the claim names its defendant.
    return not (mine and any(_person(n) for n, _ in names(clause)))


def denies_stated_deed(claim: str, evidence: str) -> bool:
    """The claim denies a deed that the passage tells as done: "failed to save any penalties" against "saved
    Coman's spot kick", "did not launch" against "launched". The negated verb is the first word after the
    negation (past "to" and "be"), found in the passage in a past form."""
    stated = {_stem(w.group(0)) for w in _WORD.finditer(evidence) if _told_as_done(w.group(0))}
    for cue in _DENIED_DEED.finditer(claim):
        following = [w.group(0) for w in _WORD.finditer(claim[cue.end():cue.end() + 40])]
        verb = next((w for w in following if w.lower() not in {"to", "be", "been", "have", "yet", "ever"}), None)
        if verb and _stem(verb) in stated:
            return True
    return False


def denies_claimed_deed(claim: str, evidence: str) -> bool:
    """The passage denies a deed that the claim tells as done, and nowhere tells it done itself: "erred by failing to
    issue a tsunami warning" against "issued a timely tsunami warning"; not "resigned on Friday, though he did not
    resign from the party board"."""
    told = {_stem(w.group(0)) for w in _WORD.finditer(evidence) if _told_as_done(w.group(0))}
    for cue in _DENIED_DEED.finditer(evidence):
        following = [w.group(0) for w in _WORD.finditer(evidence[cue.end():cue.end() + 40])]
        verb = next((w for w in following if w.lower() not in {"to", "be", "been", "have", "yet", "ever"}), None)
        if verb and _stem(verb) not in told and denies_stated_deed(evidence[cue.start():], claim):
            return True
    return False


def _compatible(a: DateMention, b: DateMention) -> bool:
    fa, fb = a.fields(), b.fields()
    shared = set(fa) & set(fb)
    return bool(shared) and all(fa[k] == fb[k] for k in shared)


def _closeness(mine: DateMention, theirs: DateMention) -> tuple[int, int]:
    shared = set(theirs.fields()) & set(mine.fields())
    return sum(theirs.fields()[k] == mine.fields()[k] for k in shared), len(shared)


# How far from its publication a date written without a year may lie and still be read in the nearest year. News
# gives the year only when the date is not recent; "Jan. 6" in a report of August 2023 names the Capitol attack of
# 2021, not a day of 2023.
RECENT_DAYS = 92


def resolve_year(mention: DateMention, written: date | None) -> DateMention | None:
    """A date written without a year ("Dec. 13", "on Tuesday, Aug. 4") in the year that puts it nearest the day
    the text was published: news dates its recent events by the day and month, rarely by the year. None when that
    nearest reading is more than ``RECENT_DAYS`` away: the year cannot be told, so the date is not compared. A
    date told with "last year", "this year" or "next year" is in that year, however far it lies."""
    if mention.year is not None or mention.month is None or written is None:
        return mention
    if mention.years_from_written is not None:
        return replace(mention, year=written.year + mention.years_from_written)  # "Sept. 5 last year"
    def distance(year: int) -> int:
        return abs((date(year, mention.month, min(mention.day or 15, 28)) - written).days)
    year = min((written.year - 1, written.year, written.year + 1), key=distance)
    return replace(mention, year=year) if distance(year) <= RECENT_DAYS else None


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ON_WEEKDAY = re.compile(r"\b(?:on|late on|early on|last)\s+(?P<day>" + "|".join(_WEEKDAYS) + r")\b(?!,?\s+"
                         + _MONTH + r")", re.IGNORECASE)


def weekday_dates(text: str, written: date | None) -> list[DateMention]:
    """"On Thursday" in a report is the last Thursday on or before the day it was published ("released on Monday
    night" in a report of Tuesday, July 18, 2023 is July 17). A weekday followed by its date ("on Tuesday, Aug. 4")
    is that date, read by ``dates``."""
    if written is None:
        return []
    out = []
    for m in _ON_WEEKDAY.finditer(text):
        day = _last_weekday(m["day"], written)
        out.append(DateMention(day.year, day.month, day.day, m.span("day"), m.group("day")))
    return out


# A time told relative to the day of writing, as a month or a year: "last month", "earlier this month", "last year"
# (not "last year's champion", which names what is described, not when the deed was done).
_RELATIVE_TIME = re.compile(r"(?<!\bthe\s)(?<!\bpast\s)\b(?P<phrase>last\s+(?P<last>month|year)|"
                            r"(?:earlier\s+)?(?<!later\s)this\s+(?P<this>month)|"
                            r"earlier\s+this\s+(?P<early>year))\b(?!['’]s)", re.IGNORECASE)
# "Last week": the seven days from the Monday of the week before the day of writing.
_LAST_WEEK = re.compile(r"\blast\s+week\b(?!['’]s)", re.IGNORECASE)


def relative_dates(text: str, written: date | None) -> list[DateMention]:
    """"Last month" in a report of Jan. 15, 2015 is December 2014; "earlier this month" is January 2015; "last year"
    is 2014: dates at the precision the words give, read from the day the text was published."""
    if written is None:
        return []
    out = []
    for m in _RELATIVE_TIME.finditer(text):
        if m["last"] and m["last"].lower() == "year" or m["early"]:
            year = written.year - 1 if m["last"] else written.year
            out.append(DateMention(year, None, None, m.span(), f"{m['phrase']} [{year}]"))
            continue
        month, year = written.month, written.year
        if m["last"]:
            month, year = (12, year - 1) if month == 1 else (month - 1, year)
        out.append(DateMention(year, month, None, m.span(), f"{m['phrase']} [{year}-{month:02d}]"))
    return out


def last_week(text: str, written: date | None) -> list[tuple[date, date, tuple[int, int], str]]:
    """Each "last week" the text says, as the first and last day of the week before the one it was published in."""
    if written is None:
        return []
    monday = date.fromordinal(written.toordinal() - written.weekday() - 7)
    sunday = date.fromordinal(monday.toordinal() + 6)
    return [(monday, sunday, m.span(), f"{m.group(0)} [{monday.isoformat()} to {sunday.isoformat()}]")
            for m in _LAST_WEEK.finditer(text)]


def _past_month(mention: DateMention | None, raw: DateMention, text: str, written: date | None) -> DateMention | None:
    """A month named without a year or a day, "in March", told of a deed done ("first revealed a stake in Twitter
    in March", in a report of October): the last such month on or before the day of writing. A month further off
    than ``RECENT_DAYS`` is otherwise left undated (``resolve_year``); a plan ("will launch in March") stays so."""
    if mention is not None or written is None or raw.day is not None or raw.month is None or raw.year is not None:
        return mention
    start = _sentence_of(text, raw.span[0])[0]
    before = text[start:raw.span[0]]
    before = re.split(r"\b(?:that|which|who|whose)\b|[,;]", before)[-1]  # the month's own clause
    if re.search(r"\bdue\b", before, re.IGNORECASE):
        return None
    if not re.search(r"\bin\s+(?:early\s+|late\s+|mid-?)?$", before, re.IGNORECASE) \
            or not any(_told_as_done(w) for w in _WORD.findall(before)) or _MODAL.search(before):
        return None
    year = written.year if raw.month <= written.month else written.year - 1
    return replace(raw, year=year, text=f"{raw.text} [{year}]")


def _last_weekday(name: str, written: date) -> date:
    """The last day called ``name`` ("Thursday") on or before ``written``."""
    return date.fromordinal(written.toordinal() - (written.weekday() - _WEEKDAYS.index(name.lower())) % 7)


_SINCE = re.compile(r"\bsince\s+(?:the\s+)?(?:(?:early|mid|late)[- ])?$", re.IGNORECASE)


def _since(text: str, mention: DateMention) -> bool:
    """The date is a point reckoned from ("the youngest winner since 1909", "the first time since 1945"), not the day
    of a deed: it clashes only with another such point."""
    return bool(_SINCE.search(text[max(0, mention.span[0] - 20):mention.span[0]]))


def dated_after(claim: str, claim_written: date | None, evidence_written: date | None) -> DateMention | None:
    """A date the claim gives what it tells as done that falls after the passage was published (a day's grace for
    time zones): a passage reports nothing of a later day. "Nadia Cole withdrew from the final on Friday", in a
    report of that Saturday, is not supported by a passage from the Wednesday before. Only a date told with "on" or
    "in", which dates the deed: "Before the March 4 vote", "ahead of Tuesday's vote" or "withdrew from Sunday's
    final" date something else. A date after the claim's own day is a plan the claim tells of, and is left out."""
    if claim_written is None or evidence_written is None or not tells_deed(claim):
        return None
    for raw in [*dates(claim), *weekday_dates(claim, claim_written)]:
        before = claim[max(0, raw.span[0] - 40):raw.span[0]]
        if not re.search(r"\b(?:on|in)\s+(?:the\s+)?$", before, re.IGNORECASE) \
                or re.search(r"\b(?:before|ahead\s+of|until|prior\s+to)\b[^,;.]*$", before, re.IGNORECASE):
            continue
        mention = resolve_year(raw, claim_written)
        if mention is None or mention.year is None:
            continue
        earliest = date(mention.year, mention.month or 1, mention.day or 1)
        if (earliest - evidence_written).days > 1 and earliest <= claim_written:
            return replace(mention, text=_shown(mention, raw))  # "Friday [2025-03-07]", as date flags show it
    return None


def _shown(mention: DateMention, raw: DateMention) -> str:
    """The date as the text gives it, with the day or year it was read as when the text gives none."""
    if raw.month is None and raw.year is not None:
        return raw.text
    if raw.text.lower() in _WEEKDAYS:
        return f"{raw.text} [{mention.year}-{mention.month:02d}-{mention.day:02d}]"
    return raw.text if mention.year == raw.year else f"{raw.text} [{mention.year}]"


# A full stop that ends a sentence, not one after an abbreviation ("Aug. 6", "U.S. Coast Guard", "St. John's").
_STOP = re.compile(r"[.!?][\"')’”]?\s+(?=[A-Z\"“‘'])")
_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mr", "mrs",
                  "ms", "dr", "st", "jr", "sr", "no", "gen", "gov", "sen", "rep", "col", "sgt", "lt", "capt", "prof"}


def _sentence_of(text: str, position: int) -> tuple[int, int]:
    start, end = 0, len(text)
    for m in _STOP.finditer(text):
        before = re.search(r"([A-Za-z]+)$", text[max(0, m.start() - 6):m.start()])
        word = before.group(1) if before else ""
        if text[m.start()] == "." and word and (word.lower() in _ABBREVIATIONS or len(word) == 1):
            continue
        if m.end() <= position:
            start = m.end()
        else:
            end = m.start() + 1
            break
    return start, end


def sentence_of(text: str, position: int) -> tuple[int, int]:
    """The span of the sentence of ``text`` that holds ``position``."""
    return _sentence_of(text, position)


def _deed_dates(claim: str, evidence: str, theirs: list[DateMention]) -> list[DateMention]:
    """The passage's dates that go with the claim's deed: where the passage tells that deed as done ("collected
    its first core ... on Sept. 1"), the date nearest it in the same sentence. "The first attempt to collect a
    sample on Aug. 6 came up empty. The rover collected its first core on Sept. 1" dates the collecting to
    September, whatever else the passage dates."""
    stems = {stem for stem, _ in _deeds(claim)}
    if not stems or not theirs:
        return []
    found: list[DateMention] = []
    for word in _WORD.finditer(evidence):
        if _stem(word.group(0)) not in stems or not _told_as_done(word.group(0)):
            continue
        start, end = _sentence_of(evidence, word.start())
        near = [t for t in theirs if start <= t.span[0] < end]
        if near:
            nearest = min(near, key=lambda t, w=word: min(abs(t.span[0] - w.end()), abs(w.start() - t.span[1])))
            # "for 2021 and 2022", "between March 3 and March 5": dates listed together go with the deed together.
            for t in near:
                if t not in found and (t is nearest or abs(t.span[0] - nearest.span[1]) <= 12
                                       or abs(nearest.span[0] - t.span[1]) <= 12):
                    found.append(t)
    return found


def dates_the_deed(claim: str, evidence: str, span: tuple[int, int] | None) -> bool:
    """The passage's date at ``span`` stands in a sentence where the passage tells one of the claim's deeds as done:
    it is the date of that deed, not of another the passage tells ("slammed into the bridge on Tuesday. Rescuers
    pulled two people from the water" dates the crash, not the pulling)."""
    if span is None:
        return False
    told = _deed_sentences(claim, evidence)
    if any(start <= span[0] < end for start, end in told):
        return True
    # A report tells the deed undated and the day of its telling: "The watchdog has blocked the takeover ... The
    # authority said on Wednesday" dates the blocking.
    undated = not any(start <= m.span[0] < end for m in dates(evidence) for start, end in told)
    return bool(told) and undated and bool(_ANNOUNCED.search(evidence[max(0, span[0] - 40):span[0]]))


def _deed_sentences(claim: str, evidence: str) -> list[tuple[int, int]]:
    """The passage's sentences that tell one of the claim's deeds as done, in its own verb or a kin of it ("launched"
    for "blasted off", "resigned" for "stepped down")."""
    stems = {stem for stem, _ in _deeds(claim)}
    kin = _kin_of(stems, claim)
    told = [_sentence_of(evidence, w.start()) for w in _WORD.finditer(evidence)
            if (_stem(w.group(0)) in stems or _KIN.get(_stem(w.group(0))) in kin) and _told_as_done(w.group(0))]
    told += [_sentence_of(evidence, m.start()) for kind in kin & _KIN_PHRASES.keys()
             for m in _KIN_PHRASES[kind].finditer(evidence)
             if _told_as_done(m.group(0).split()[0])
             and not re.search(r"\b(?:to|will|would|could|may|might)\s+$", evidence[max(0, m.start() - 12):m.start()])]
    return told


def dates_the_same_thing(claim: str, evidence: str, flag: Flag) -> bool:
    """The two clashing dates stand beside the same name ("a trip to Sweden in February", "Ri's visit to Sweden in
    March"): they date the same thing, whatever verb the claim uses."""
    if not (flag.claim_span and flag.evidence_span):
        return False

    def beside(text: str, span: tuple[int, int]) -> set[str]:
        start, end = _sentence_of(text, span[0])
        before = _WORD.findall(text[start:span[0]])[-5:]
        after = _WORD.findall(text[span[1]:end])[:5]
        return {w.lower() for w in before + after if w[0].isupper() and w not in _STOP_NAMES}

    return bool(beside(claim, flag.claim_span) & beside(evidence, flag.evidence_span)) \
        or _same_deed_dated(claim, flag.claim_span, evidence, flag.evidence_span)


_ANNOUNCED = re.compile(r"\b(?:said|announced|confirmed|declared|ruled|told\s+\w+)\s+(?:late\s+|early\s+)?(?:on\s+)?$",
                        re.IGNORECASE)


def _compare_dates(claim: str, evidence: str, claim_written: date | None = None,
                   evidence_written: date | None = None) -> list[Flag]:
    flags = []
    raw = list(dates(evidence)) + weekday_dates(evidence, evidence_written)
    pairs = [(resolve_year(t, evidence_written), t) for t in raw]
    # The passage's dates read from its day of writing ("last month", "in March" of a deed done) count only where
    # they date the claim's deed (``_deed_dates``), not as any date the passage gives.
    relative = [(_past_month(None, t, evidence, evidence_written), t) for r, t in pairs if r is None]
    relative += [(t, t) for t in relative_dates(evidence, evidence_written)]
    plain = [t for t, _ in pairs if t is not None]
    resolved = plain + [t for t, _ in relative if t is not None]
    shown = {id(t): _shown(t, r) for t, r in pairs + relative if t is not None}
    theirs = sorted(_deed_dates(claim, evidence, resolved) or plain, key=lambda t: t.span)
    also = _deed_dates(claim, evidence, plain)
    # "On Wednesday" in the claim is a day too, counted back from the day the article was published. It is held
    # only against a passage published on or after that day (an earlier one cannot tell of that day's deed), and
    # only to clash: the day is inferred, and a weekday shared within a week is weak evidence of the same event.
    days = [d for d in weekday_dates(claim, claim_written)
            if evidence_written is not None and date(d.year, d.month, d.day) <= evidence_written]
    read = [(resolve_year(m, claim_written), m) for m in dates(claim)]
    # A date read from the day of writing ("last month", "in March" of a past deed, "last week") is held only to
    # clash, as a weekday is, and only against a date the passage gives to the same deed: the date is inferred,
    # and the claim's other clauses may date other deeds ("signed on Tuesday ... had cleared the Senate late last
    # month").
    inferred = [_past_month(None, m, claim, claim_written) for r, m in read if r is None]
    inferred += relative_dates(claim, claim_written)
    told = [m for m in [r for r, _ in read] + days if m is not None]
    matched = {id(mine): next((t for t in theirs + also if _compatible(mine, t)), None) for mine in told}
    # A passage's date that one of the claim's dates agrees with is that date's: "passed in 2019, took effect on
    # January 1, 2020" against "took effect on Jan. 1, 2020" does not clash on 2019.
    taken = {id(t) for t in matched.values() if t is not None}
    for mine in told:
        same = matched[id(mine)]
        if same:
            if mine not in days:
                flags.append(Flag("date", "agrees", mine.text, shown[id(same)], mine.span, same.span))
            continue
        free = [t for t in theirs if id(t) not in taken]
        if theirs and not free:
            # The date that tells the deed is another of the claim's: the passage's other dates are what is left
            # ("the first game at Wrigley since 1945" has its 1945; "Friday, Oct. 28" dates the claim's Oct. 29).
            free = [t for t in plain if id(t) not in taken]
        comparable = [t for t in free if set(t.fields()) & set(mine.fields())
                      and (not _since(claim, mine) or _since(evidence, t))]
        if comparable:
            # The passage's date that shares most with the claim's: same year, other month before another year.
            other = max(comparable, key=lambda t, mine=mine: _closeness(mine, t))
            flags.append(Flag("date", "clashes", mine.text, shown[id(other)], mine.span, other.span))
    for mine in inferred:
        tied = [t for t in resolved if mine is not None and _same_deed_dated(claim, mine.span, evidence, t.span)]
        if tied and not any(_compatible(mine, t) for t in tied):
            other = max(tied, key=lambda t, mine=mine: _closeness(mine, t))
            flags.append(Flag("date", "clashes", mine.text, shown[id(other)], mine.span, other.span))
    # "Voted last week" against a passage that gives the vote a day outside that week.
    for first, last, span, text in last_week(claim, claim_written):
        days_told = [(date(t.year, t.month, t.day), t) for t in resolved
                     if t.day is not None and t.month is not None and _same_deed_dated(claim, span, evidence, t.span)]
        if days_told and not any(first <= d <= last for d, _ in days_told):
            other = min(days_told, key=lambda p: min(abs((p[0] - first).days), abs((p[0] - last).days)))[1]
            flags.append(Flag("date", "clashes", text, shown[id(other)], span, other.span))
    return flags


def _same_deed_dated(claim: str, mine: tuple[int, int], evidence: str, theirs: tuple[int, int]) -> bool:
    """The passage's date at ``theirs`` dates the deed the claim dates at ``mine``: the claim's deed nearest that date
    in its sentence is told in the passage's sentence, or a word between that deed and the date is ("revealed a
    stake in Twitter in March" and "has disclosed a 9.2 percent passive stake ... a filing showed on Monday")."""
    start, end = _sentence_of(claim, mine[0])
    deeds = _deeds(claim)
    near = [(stem, span) for stem, span in deeds if start <= span[0] < end]
    if not near:
        return False

    def gap(deed: tuple[int, int]) -> str:
        return claim[deed[1]:mine[0]] if deed[1] <= mine[0] else claim[mine[1]:deed[0]]

    # The nearest deed of the date's own clause ("who first revealed a stake in Twitter in March, completed ..."
    # dates the revealing), else the nearest in the sentence.
    stem, span = min(near, key=lambda d: (bool(re.search(r"[,;:()]", gap(d[1]))), len(gap(d[1]))))
    between = gap(span)
    if re.search(r"\bthat\b", between):
        return False  # "said earlier this year that it had sold": the date is the saying's
    words = {_stem(w) for w in _WORD.findall(between) if w.islower() and len(w) > 3 and w not in _CONTEXT_STOP}
    first, last = _sentence_of(evidence, theirs[0])
    # The deed the passage dates is the past verb nearest its date: "told jurors on Monday that ... the 8 minutes
    # and 46 seconds first cited by prosecutors" dates the telling, not the citing; "drew 1-1 with Burgas on Sunday,
    # ... one win short of clinching the league title" dates the draw. A report's own verb ("a filing showed on
    # Monday") dates the deed it reports.
    verbs = [w for w in _WORD.finditer(evidence, first, last)
             if _told_as_done(w.group(0)) and w.group(0).lower() not in _REPORTING]
    nearest = min(verbs, key=lambda w: min(abs(w.start() - theirs[1]), abs(theirs[0] - w.end())), default=None)
    if nearest is None:
        return bool(words & {_stem(w.group(0)) for w in _WORD.finditer(evidence[first:last])})
    if re.match(r"\s+that\b", evidence[theirs[1]:]) and nearest.end() <= theirs[0]:
        return False  # "revealed on Monday that it had cut": the date is the telling's
    reporter = min((w for w in _WORD.finditer(evidence, first, last) if w.group(0).lower() in _REPORTING),
                   key=lambda w: min(abs(w.start() - theirs[1]), abs(theirs[0] - w.end())), default=None)
    if reporter is not None and abs(reporter.end() - theirs[0]) < abs(nearest.end() - theirs[0]):
        own = re.split(r"[,;:()]", evidence[nearest.start():last], maxsplit=1)[0]
        if _RELATIVE_TIME.search(own) or _LAST_WEEK.search(own) or dates(own) or _ON_WEEKDAY.search(own):
            return False  # "disclosed a stake last week, the company confirmed on Monday": dated in its own clause
    if _stem(nearest.group(0)) != stem and _stem(nearest.group(0)) in {s for s, _ in deeds}:
        return False  # the passage's date is of another deed the claim tells ("beat Dorn on Sunday")
    if _stem(nearest.group(0)) == stem:
        return True
    clause = re.split(r"[,;:()]|\bthat\b", evidence[nearest.start():last], maxsplit=1)[0]
    return bool(words & {_stem(w.group(0)) for w in _WORD.finditer(clause)})


_REPORTING = {"said", "showed", "told", "announced", "reported", "confirmed", "added", "stated", "wrote"}


def _same_bounds(mine: Quantity, theirs: Quantity) -> bool:
    return mine.qualifier in ("more", "less") and theirs.qualifier == mine.qualifier


def _agrees(mine: Quantity, theirs: Quantity) -> bool:
    a, b = mine.value, theirs.value
    # A bound against a figure agrees when the figure lies within it ("more than 50" and 57); two bounds the same
    # way agree only on one figure, by the rounding rule below ("less than 10 percent" is not "fewer than 5%").
    if not _same_bounds(mine, theirs):
        if (mine.qualifier == "more" and b >= a) or (mine.qualifier == "less" and b <= a):
            return True
        if (theirs.qualifier == "more" and a >= b) or (theirs.qualifier == "less" and a <= b):
            return True
    scale = max(abs(a), abs(b), 1e-12)
    if "about" in (mine.qualifier, theirs.qualifier):
        return abs(a - b) <= 0.1 * scale
    if mine.unit != theirs.unit:
        return abs(a - b) <= 0.05 * scale  # "1.2 metres" is "four feet" once both are rounded
    # Within the rounding of the less precise side, and never more than 5% apart: "11%" is "11.1%", "1.2 million"
    # is "1.23 million", "50,000" is "50,783"; "70 years" is not "69 years", nor "2%" "1.75%".
    return abs(a - b) <= max(min(0.5 * max(mine.step, theirs.step), 0.05 * scale), 1e-9 * scale)


def _context(text: str, span: tuple[int, int], bounds: tuple[int, int] = (0, 1 << 30)) -> set[str]:
    """Content words around a number: what it measures ("inflation to peak at 13%", "a crowd of 55,000",
    "1.5 million kilometres from Earth"), within ``bounds`` (where the neighbouring figures stand)."""
    before = [w.group(0) for w in _WORD.finditer(text[max(0, bounds[0], span[0] - 60):span[0]])][-5:]
    inside = [w.group(0) for w in _WORD.finditer(text[span[0]:span[1]])]  # "a $16.5 billion discount"
    after = [w.group(0) for w in _WORD.finditer(text[span[1]:min(span[1] + 40, bounds[1])])][:4]
    return {_stem(w) for w in before + inside + after if len(w) > 3 and w.lower() not in _CONTEXT_STOP}


# Dimensions many different things are measured in (rates, shares, prices): their numbers compare only when
# the words around them overlap.
_SHARED_DIMENSIONS = {"percent", "points", "USD", "GBP", "EUR", "JPY", "multiple"}
_CURRENCIES = {"USD", "GBP", "EUR", "JPY"}
_COUNTS = ("count:", "part:")  # a count of things, and a part of a counted group ("nine of the 28 counts")


def _NOUN_OF(quantity: Quantity) -> set[str]:  # noqa: N802 - reads as a set difference above
    """The counted noun itself is no context: it is what makes the two numbers comparable at all."""
    return {_stem(quantity.dimension.split(":", 1)[1])} if quantity.dimension.startswith(_COUNTS) else set()
_CONTEXT_STOP = {
    "will", "would", "could", "should", "might", "must", "shall", "also", "then", "there", "what",
    "when", "which", "while", "about", "around", "more", "than", "over", "nearly", "almost", "some",
    "just", "least", "with", "from", "into", "that", "this", "were", "have", "been", "said", "says",
    "upwards", "roughly", "approximately", "under", "fewer", "less", "most",
    "thousand", "million", "billion", "trillion", "percent", "cent",
}


def _unit_swap(mine: Quantity, theirs: Quantity) -> bool:
    """The same figure in another unit or scale of one dimension: "rose about 40 metres" against "rose about 40 cm",
    "$40 billion" against "$40 million", is the claim's figure with the wrong unit, however far apart the two values
    are. Two digits at least: a "2" in two units is as often two different things; but a "3" in one unit with
    another scale word ("3 million miles" against "3 billion miles") is the same figure misscaled."""
    digits = [re.search(r"\d[\d,]*(?:\.\d+)?", q.text) for q in (mine, theirs)]
    if not (all(digits) and mine.value != theirs.value
            and digits[0].group(0).replace(",", "") == digits[1].group(0).replace(",", "")):
        return False
    scales = [set(re.findall(r"\b(?:thousand|million|billion|trillion)\b", q.text.lower())) for q in (mine, theirs)]
    return len(digits[0].group(0).replace(".", "")) >= 2 or (mine.unit == theirs.unit and all(scales)
                                                              and scales[0] != scales[1])


def _comparable(mine: Quantity, theirs: Quantity, claim: str, evidence: str) -> bool:
    """Two numbers of one dimension measure the same thing: values within a factor of 20 (a mirror's 6.5 metres is
    not an orbit's 1.5 million kilometres), and the words before them overlap where both sides have such words."""
    if theirs.dimension != mine.dimension or _other_period(mine, theirs):
        return False
    low, high = sorted((abs(mine.value), abs(theirs.value)))
    if mine.dimension != "tally" and high > 20 * max(low, 1e-12) and not _unit_swap(mine, theirs):
        return False
    ago = [bool(re.match(r"\s+ago\b", text[q.span[1]:])) for q, text in ((mine, claim), (theirs, evidence))]
    if ago[0] != ago[1]:
        return False  # "two years ago" says when; "vesting over four years" how long
    ago = ago[0]
    if mine.dimension not in _SHARED_DIMENSIONS and not mine.dimension.startswith(_COUNTS) and not ago:
        return True  # a unit already says what is measured; "20 years ago" says when, of anything
    if not ago and mine.value == theirs.value and _precise(mine) and _precise(theirs):
        # The very figure, to three significant digits or more ("$2.68 billion", "115.1 million"): the same
        # measure told in other words ("sales slipped" and "revenue fell"), which no round figure is.
        return True
    # Rates, prices and counts: the words around them must overlap ("three people were killed" is not "12 people
    # were injured"), where both sides have such words.
    a, b = _context(claim, mine.span) - _NOUN_OF(mine), _context(evidence, theirs.span) - _NOUN_OF(theirs)
    return not (a and b) or bool(a & b)


def _precise(quantity: Quantity) -> bool:
    """A figure written with three significant digits or more: "$2.68 billion", "88,966", not "2,000" or "1%"."""
    digits = "".join(re.findall(r"\d", quantity.text)).strip("0")
    return len(digits) >= 3


def _other_period(mine: Quantity, theirs: Quantity) -> bool:
    """Both figures are rates, per different periods: "$200 million a week" is not "$200 million a day"."""
    return bool(mine.period and theirs.period and mine.period != theirs.period)


def _between(found: tuple[Quantity, ...], quantity: Quantity) -> tuple[int, int]:
    """From the end of the figure before ``quantity`` to the start of the one after: the words that are its own
    ("increased by about 40% and 150%, respectively, since pre-industrial times")."""
    return (max((q.span[1] for q in found if q.span[1] <= quantity.span[0]), default=0),
            min((q.span[0] for q in found if q.span[0] >= quantity.span[1]), default=1 << 30))


# A contest's result, the winner's figure first: "defeating Rishi Sunak by 81,326 votes to 60,399".
_BY_TO = re.compile(r"\bby\s+(?P<a>\d[\d,.]*)\s*(?:votes?|seats?|%|percent|points)?\s+to\s+(?P<b>\d[\d,.]*)")
_LOSER = re.compile(r"\b(?:lost|losing|loses|trailed|trailing|defeated\s+by|beaten\s+by|runner-up)\b", re.IGNORECASE)


def _loser_figure(claim: str, evidence: str) -> list[Flag]:
    """The loser's figure given to the winner: "Truss secured 60,399 votes to defeat Sunak" against "Truss ...,
    defeating Sunak by 81,326 votes to 60,399". Only when the claim names the sentence's subject (the winner) first,
    states the second figure and not the first, and tells of no loss. The second figure given to the loser, named
    in that sentence, agrees ("Sunak won 60,399 votes but lost")."""
    mine = names(claim)
    if not mine:
        return []
    digits = {m.group(0).replace(",", "") for m in re.finditer(r"\d[\d,.]*\d|\d", claim)}
    for m in _BY_TO.finditer(evidence):
        a, b = m.group("a").replace(",", "").rstrip("."), m.group("b").replace(",", "").rstrip(".")
        if a == b or b not in digits or a in digits:
            continue
        start = _sentence_of(evidence, m.start())[0]
        subject = names(evidence[start:m.start()])
        if not subject:
            continue
        where = next(q for q in re.finditer(r"\d[\d,.]*\d|\d", claim) if q.group(0).replace(",", "") == b)
        winner = _find_name(mine[0][0], subject[0][0]) or _find_name(subject[0][0], mine[0][0])
        if winner and not _LOSER.search(claim):
            return [Flag("number", "clashes", where.group(0), m.group("a"), where.span(), m.span("a"))]
        if not winner and _find_name(mine[0][0], evidence[start:m.start()]):
            return [Flag("number", "agrees", where.group(0), m.group("b"), where.span(), m.span("b"))]
    return []


# How often a deed was done: "fired three times", "scored twice"; in the passage also as a count of what it made
# ("fired four shots").
_NUMBER_WORDS = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_DEED_TIMES = re.compile(rf"\b(?P<verb>[a-z]+)\s+(?:(?P<n>{_NUMBER_WORDS})\s+times|(?P<twice>once|twice|thrice))\b",
                         re.IGNORECASE)
_DEED_COUNT = re.compile(rf"\b(?P<verb>[a-z]+)\s+(?P<n>{_NUMBER_WORDS})\s+(?P<noun>[a-z]+s)\b", re.IGNORECASE)
_ONCE = {"once": 1, "twice": 2, "thrice": 3}


_PART_OF = re.compile(r"\s+of\s+(?:them|which|whom|those|these)\b(?P<rest>[^,.;]*)", re.IGNORECASE)


def _deed_frequency(claim: str, evidence: str) -> list[Flag]:
    """The claim says how often its deed was done and the passage says it differently, of the same verb: "fired
    three times through the door" against "fired four shots through the door"."""
    def count(m: re.Match) -> int:
        n = (m.groupdict().get("twice") or m["n"]).lower()
        return _ONCE.get(n) or (int(n) if n.isdigit() else _WORD_VALUES[n])

    flags = []
    for mine in _DEED_TIMES.finditer(claim):
        if not _told_as_done(mine["verb"]):
            continue
        stem = _stem(mine["verb"])
        theirs = [m for pattern in (_DEED_TIMES, _DEED_COUNT) for m in pattern.finditer(evidence)
                  if _told_as_done(m["verb"]) and _stem(m["verb"]) == stem]
        # The claim's count anywhere in the sentence agrees: "scored three goals, two of them against Ostbury". Not
        # a part that tells something else: "fired four shots ..., three of which struck Steenkamp" is no "fired
        # three times through the door".
        after = _content(claim[mine.end():])
        said = set()
        for t in theirs:
            start, end = _sentence_of(evidence, t.start())
            for w in re.finditer(r"\w+", evidence[start:end]):
                part = _PART_OF.match(evidence, start + w.end())
                if part and not _content(part["rest"]) & after:
                    continue
                said.add(_ONCE.get(w.group(0).lower()) or (int(w.group(0)) if w.group(0).isdigit()
                                                          else _WORD_VALUES.get(w.group(0).lower())))
        if theirs and count(mine) not in said:
            span = (mine.start("verb"), mine.end())
            flags.append(Flag("number", "clashes", claim[span[0]:span[1]], theirs[0].group(0), span, theirs[0].span()))
    return flags


def _compare_quantities(claim: str, evidence: str) -> list[Flag]:
    if flags := _loser_figure(claim, evidence):
        return flags
    if flags := _deed_frequency(claim, evidence):
        return flags
    flags = []
    theirs = quantities(evidence)
    for mine in quantities(claim):
        same_kind = [t for t in theirs if _comparable(mine, t, claim, evidence)]
        match = next((t for t in same_kind if _agrees(mine, t)), None)
        per_other = None if same_kind else next(
            (t for t in theirs if t.dimension == mine.dimension and _other_period(mine, t)
             and _agrees(replace(mine, period=""), replace(t, period=""))), None)
        if per_other:
            # The claim's sum per another period: "more than $200 million a week" against "a day".
            flags.append(Flag("number", "clashes", mine.text, per_other.text, mine.span, per_other.span))
            continue
        swapped = None if same_kind or mine.dimension not in _CURRENCIES else next(
            (t for t in theirs if t.dimension in _CURRENCIES and t.dimension != mine.dimension
             and _agrees(replace(mine, dimension=t.dimension), t)), None)
        if swapped:
            # The claim's sum in another currency: "2.5 million pounds" against "2.5 million dollars".
            flags.append(Flag("number", "clashes", mine.text, swapped.text, mine.span, swapped.span))
            continue
        owned = _owner_figures(claim, mine, evidence, [t for t in theirs if t.dimension == mine.dimension])
        if owned and not any(_agrees(mine, t) for t in owned):
            # The passage gives the claim's subject a figure of this kind, and it is not the claim's: "ahead of Le Pen
            # on 21.30 percent, Fillon on 20.01 percent" against "Le Pen qualified with 20.01 percent".
            flags.append(Flag("number", "clashes", mine.text, owned[0].text, mine.span, owned[0].span))
            continue
        if match and len(same_kind) > 1:
            # The passage gives several figures in the claim's unit: the words around each say which is the
            # claim's ("centred 10 km west-southwest" against "centred 15 km west-southwest ... at a depth of 10 km").
            # Two shared words, not one: neighbouring figures share a word or so of their windows ("the mine").
            around = _context(claim, mine.span, _between(quantities(claim), mine)) - _NOUN_OF(mine)
            told = [t for t in same_kind
                    if len(around & (_context(evidence, t.span, _between(theirs, t)) - _NOUN_OF(t))) >= 2]
            if told and match not in told and not any(_agrees(mine, t) for t in told):
                flags.append(Flag("number", "clashes", mine.text, told[0].text, mine.span, told[0].span))
                continue
        if match and (earlier := _of_another_period(claim, evidence, match)):
            # The claim's figure is the passage's figure for an earlier period: "That topped the 115.1 million who
            # watched last year's Super Bowl" is no audience for this year's.
            flags.append(Flag("number", "clashes", mine.text, f"{match.text} ({earlier})", mine.span, match.span))
            continue
        if match and (fate := _other_fate(claim, mine, evidence, match)):
            # The same count of people, given another fate: "killed 300" against "injured 300 ... 12 died".
            flags.append(Flag("number", "clashes", mine.text, f"{match.text} ({fate})", mine.span, match.span))
            continue
        if match:
            flags.append(Flag("number", "agrees", mine.text, match.text, mine.span, match.span))
            flags += _figure_owner(claim, mine, evidence, match)
        elif same_kind and _written_bare(claim, mine, evidence, theirs, same_kind):
            # The passage gives the claim's figure without its unit ("Gay finished second in an American record of
            # 9.71" beside "a world record 9.58 seconds", "more than 200 were injured" beside "more than 50
            # people"), in words as near the claim's: the figure is there, and the other one is someone else's.
            continue
        elif same_kind and all(_same_bounds(mine, t) for t in same_kind):
            other = min(same_kind, key=lambda t: abs(t.value - mine.value))
            # Two bounds the same way are each near the figure they bound, as news copy writes them: "more than 80
            # million viewers" is not "more than 8 million", nor "up to 5,000 euros" "up to 50,000 euros". Only a
            # toll may have grown past a lower bound ("killed more than 100" against "more than 1,000"): neither
            # agrees nor clashes, and a passage that does not state the claim's figure cannot support it
            # (verification.roles.states_figures).
            grown = mine.qualifier == "more" and mine.value > other.value and _tolls(claim, mine)
            flags.append(Flag("number", "missing" if grown else "clashes", mine.text, other.text, mine.span,
                              other.span))
        elif same_kind:
            other = min(same_kind, key=lambda t: abs(t.value - mine.value))
            flags.append(Flag("number", "clashes", mine.text, other.text, mine.span, other.span))
    return _fate_swapped(claim, evidence, flags)


# What became of the people a figure counts, by the stems of the words around it: the dead, the rescued, the injured,
# the missing. "2,400 confirmed dead" is no "2,400 people were rescued alive".
_FATES = {
    "dead": {"dead", "death", "died", "kill", "toll", "body", "fatality", "perish"},
    "alive": {"rescu", "aliv", "surviv", "survivor", "sav"},
    "hurt": {"injur", "wound", "hurt", "hospitalis", "hospitaliz"},
    "missing": {"miss", "unaccount"},
}


def _tolls(claim: str, mine: Quantity) -> bool:
    """The claim's figure counts people by their fate (the dead, the injured, the missing), a toll that grows from one
    report to the next."""
    return mine.dimension.startswith("count:") \
        and bool(_fates(_context(claim, mine.span, _between(quantities(claim), mine))))


def _fates(words: set[str]) -> set[str]:
    return {fate for fate, stems in _FATES.items() if words & stems}


def _other_fate(claim: str, mine: Quantity, evidence: str, theirs: Quantity) -> str:
    """The fate the passage gives its figure, where the claim gives the same count of people another one and the
    words around the passage's figure name none of the claim's ("dead" against "rescued alive"); "" otherwise."""
    if not (mine.dimension.startswith("count:") and theirs.dimension == mine.dimension):
        return ""
    fate = _fates(_context(claim, mine.span, _between(quantities(claim), mine)))
    told = _fates(_context(evidence, theirs.span, _between(quantities(evidence), theirs)))
    return ", ".join(sorted(told)) if fate and told and not fate & told else ""


def _fate_swapped(claim: str, evidence: str, flags: list[Flag]) -> list[Flag]:
    """A count of people the checks compared with nothing, which the passage gives with the same figure to another
    fate: the rescued counted as the dead, the injured as the missing."""
    compared = {f.claim_span for f in flags}
    theirs = quantities(evidence)
    for mine in quantities(claim):
        if mine.span in compared:
            continue
        for other in theirs:
            if _agrees(mine, other) and (told := _other_fate(claim, mine, evidence, other)):
                flags = [*flags, Flag("number", "clashes", mine.text, f"{other.text} ({told})", mine.span,
                                      other.span)]
                break
    return flags


def _written_bare(claim: str, mine: Quantity, evidence: str, theirs: tuple[Quantity, ...],
                  same_kind: list[Quantity]) -> bool:
    """The claim's figure, in its digits, stands in the passage outside any of the passage's measured figures, with
    as many of the claim's words around it as the nearest measured figure of its kind has: "an American record of
    9.71" against "a world record 9.58 seconds" for "runner-up in 9.71 seconds, a U.S. record"; not "an initial
    delivery of 800,000" beside "137,897 people received a first dose" for "800,000 people received a first dose"."""
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", mine.text)
    if not digits:
        return False
    around = _context(claim, mine.span) - _NOUN_OF(mine)
    nearest = min(same_kind, key=lambda t: abs(t.value - mine.value))
    rival = len(around & (_context(evidence, nearest.span) - _NOUN_OF(nearest)))
    for m in re.finditer(rf"(?<![\w.,]){re.escape(digits.group(0))}(?![\w]|[.,]\d)", evidence):  # not "4th"
        if not any(t.span[0] <= m.start() < t.span[1] for t in theirs) \
                and len(around & _context(evidence, m.span())) >= max(rival, 1):
            return True
    return False


_EARLIER = re.compile(r"\b(?:last|the\s+previous|the\s+prior)\s+(?:year|season|month|week)['’]s|\b(?:a|one|the)\s+"
                      r"(?:year|season)\s+(?:earlier|before)\b|\bthe\s+previous\s+(?:record|high|year|season)\b",
                      re.IGNORECASE)


def _of_another_period(claim: str, evidence: str, theirs: Quantity) -> str:
    """The words that give the passage's figure to an earlier period ("last year's", "a year earlier"), in its
    clause, when the claim says nothing of that period; "" otherwise."""
    start, end = _sentence_of(evidence, theirs.span[0])
    before = evidence[start:theirs.span[0]]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    after = evidence[theirs.span[1]:end]
    stop = _CLAUSE_END.search(after)
    clause = before[cut:] + " " + after[:stop.start() if stop else len(after)]
    found = _EARLIER.search(clause)
    # A claim that names a period of its own ("last year", "in 2022", "the year before") may mean that one.
    own = _EARLIER.search(claim) or re.search(r"\b(?:last|previous|prior)\s+(?:year|season|month|week)\b|"
                                              r"\b(?:earlier|before)\b", claim, re.IGNORECASE) \
        or any(d.year for d in dates(claim))
    return found.group(0) if found and not own else ""


_OFFICE = {"judge", "justice", "prosecutor", "attorney", "officer", "detective", "sergeant", "inspector",
           "magistrate", "coroner", "lawyer", "referee", "umpire", "commissioner"}


def _person(name: str) -> bool:
    """A name that reads as a person's: two or three capitalised words, none a kind of institution, a place or an
    office ("Judge Lewis Kaplan" sentences; the years are the defendant's)."""
    words = name.split()
    return 2 <= len(words) <= 3 and words[0].lower() not in _OFFICE \
        and not any(w.lower() in _GENERIC or name_key(w) in _SAME_PLACE.values() or w.isupper() for w in words)


def _figure_owner(claim: str, mine: Quantity, evidence: str, theirs: Quantity) -> list[Flag]:
    """The claim's figure given to another person: "Jake Moody booted a 57-yard field goal" against "Harrison
    Butker made a 57-yard field goal ... the record of 55 yards set by Jake Moody". Only between two people the
    passage both names, each just before the figure."""
    if mine.dimension in ("tally",) or mine.dimension.startswith(_COUNTS):
        return []
    whose = _owner(claim, mine.span, _between(quantities(claim), mine)[0])
    theirs_owner = _owner(evidence, theirs.span, _between(quantities(evidence), theirs)[0])
    if not (whose and theirs_owner and _person(whose) and _person(theirs_owner)) or _same_person(whose, theirs_owner):
        return []
    if re.search(r"\bby\s+(?:\w+\s+){0,2}$", evidence[:evidence.rfind(theirs_owner, 0, theirs.span[0])]):
        return []  # "sentenced by Judge Kaplan to 25 years": the agent of a passive owns no figure
    if not _find_name(whose, evidence) or _find_name(theirs_owner, claim):
        # The passage does not name the claim's person (whose figure it is, it cannot say), or the claim names the
        # passage's too ("Stewart Rhodes, who founded the Oath Keepers, received an 18-year prison term").
        return []
    start, other = claim.rfind(whose, 0, mine.span[0]), evidence.rfind(theirs_owner, 0, theirs.span[0])
    return [Flag("actor", "clashes", whose, theirs_owner, (start, start + len(whose)),
                 (other, other + len(theirs_owner)))]


_POSSESSED = re.compile(r"(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){1,2})['’]s\s+"
                        r"(?P<thing>[a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)")
_NOT_THING = {"own", "first", "second", "third", "last", "late", "new", "former", "then", "in", "of", "the", "to",
              "for", "at", "on", "by", "and", "with", "a", "an", "that", "was", "is", "had", "has"}


_PRESENT_DEEDS = {"gives", "wins", "puts", "sends", "takes", "makes", "is", "was"}


def _thing_phrase(phrase: str) -> list[str]:
    """The words of a thing's noun phrase, without words that only rank or place it ("late", "first"): it ends
    where a verb, a preposition or a linking word begins ("Dele Alli's hat-trick gave ...", "scored a hat-trick as
    Tottenham came")."""
    words = []
    for w in phrase.split():
        if _told_as_done(w) or w in _PRESENT_DEEDS or w in _ENDS_PHRASE or w in {"when", "while", "but"}:
            break
        if w not in _NOT_THING:
            words.append(w)
    return words


def _possessions(text: str) -> list[tuple[str, set[str], tuple[int, int]]]:
    """(person, the words of what is theirs, where the person is) for each "<Full Name>'s <thing>" that opens its
    sentence, the subject of what the sentence tells: "Ben Zobrist's run-scoring double in the 10th gave Chicago the
    lead" gives (Ben Zobrist, {double}); hyphenated describing words are left out. A possession later in a sentence
    ("outpacing Mark Lunde's campaign") is a detail, not whose deed the sentence tells."""
    out = []
    for m in _POSSESSED.finditer(text):
        owner = m["owner"]
        if not _person(owner) or text[_sentence_of(text, m.start())[0]:m.start()].strip(" \"'“‘"):
            continue
        words = _thing_phrase(m["thing"])
        # The last word is the thing itself, hyphenated or not ("second-half hat-trick"); a hyphenated word before it
        # only describes it ("run-scoring double").
        things = {_stem(w) for i, w in enumerate(words) if ("-" not in w or i == len(words) - 1) and len(w) > 3}
        if things:
            out.append((owner, things, m.span("owner")))
    return out


# A sentence that opens with a person making a thing: "Lucas Moura scored a second-half hat-trick" makes the hat-trick
# his, as "Lucas Moura's hat-trick" would. Verbs of making only, and a new thing ("a", "his"): "Coach Dario Mensah
# praised the winning goal" makes no goal his.
_DOER_OF = re.compile(r"(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){1,2})\s+"
                      r"(?P<verb>scored|netted|converted|struck|kicked|headed|fired|made|won|set|broke|earned|sealed|"
                      r"hit|threw|completed|delivered|bagged|grabbed|claimed)\s+"
                      r"(?:a|an|his|her|their)\s+(?P<thing>(?:[a-z][a-z-]*\s+){0,2}[a-z][a-z-]*)")


def _deeds_of(text: str) -> list[tuple[str, set[str], tuple[int, int]]]:
    """(person, the thing they did, where the person is) for each sentence that opens "<Full Name> <past verb> a
    <thing>", the thing being the last word of its phrase."""
    out = []
    for m in _DOER_OF.finditer(text):
        if not _person(m["owner"]) or text[_sentence_of(text, m.start())[0]:m.start()].strip(" \"'“‘"):
            continue
        phrase = _thing_phrase(m["thing"])
        thing = phrase[-1] if phrase else ""
        if len(thing) > 3:
            out.append((m["owner"], {_stem(thing)}, m.span("owner")))
    return out


def _owned_by_another(claim: str, evidence: str) -> list[Flag]:
    """The claim's deed given to the wrong person, told as a possession: "Miguel Montero's go-ahead double" against
    "Ben Zobrist's run-scoring double in the 10th gave Chicago the lead and Miguel Montero added an RBI single".
    Only where the passage names the claim's person too, and not as the owner of the same thing, and the claim does
    not name the passage's."""
    mine = _possessions(claim)
    found = _possessions(evidence) + _deeds_of(evidence) if mine else []
    for whose, things, span in mine:
        if not _find_name(whose, evidence) or any(_same_person(whose, o) and things & t for o, t, _ in found):
            continue
        for other, theirs, where in found:
            if things & theirs and not _same_person(whose, other) and not _find_name(other, claim):
                return [Flag("actor", "clashes", whose, other, span, where)]
    return []


def _owner(text: str, span: tuple[int, int], since: int) -> str:
    """The name a figure belongs to in a list of named figures: the last name between the figure before it and this
    one, in the same clause ("ahead of Le Pen on 21.30 percent"); "" when there is none."""
    stretch = text[since:span[0]]
    if re.search(r"[.;:]\s", stretch):
        return ""
    found = names(stretch)
    # Close to its figure: "Le Pen on 21.30 percent", "Melenchon, who came fourth with 19.58 percent", not a name a
    # clause away ("Twitter Inc, making him its largest shareholder, ... sending shares up more than 25%").
    if not found or len(stretch[found[-1][1][1]:].split()) > OWNER_REACH:
        return ""
    return found[-1][0]


OWNER_REACH = 6  # words between a name and the figure it owns


_OWNED_AFTER = re.compile(rf"\s+(?:the\s+)?(?P<whose>{_CAP}(?:[ -]{_CAP})*)['’]s?\s+[a-z]")


def _done_to_another(claim: str, evidence: str) -> list[Flag]:
    """The claim's deed done to one person's thing, and the passage's same deed, by the same words, to another's:
    "Martinez saved Tchouameni's penalty" against "Martinez saved Kingsley Coman's attempt and Aurelien Tchouameni
    shot wide". Only where the passage names the claim's person too, elsewhere: it tells of both."""
    for stem, span in _deeds(claim):
        mine = _OWNED_AFTER.match(claim, span[1])
        if not mine or mine["whose"] in _STOP_NAMES:
            continue
        whose = mine["whose"]
        if not _find_name(whose, evidence):
            continue
        same = [w for w in _WORD.finditer(evidence) if _stem(w.group(0)) == stem and _told_as_done(w.group(0))]
        if any(re.search(rf"\b{re.escape(whose.split()[-1])}\b", _object_of(evidence, w.end())) for w in same):
            continue  # the passage tells the claim's deed done to the claim's person ("saved Bell's penalty, and ...")
        for word in same:
            theirs = _OWNED_AFTER.match(evidence, word.end())
            if theirs and theirs["whose"] not in _STOP_NAMES and not _same_person(whose, theirs["whose"]):
                return [Flag("actor", "clashes", whose, theirs["whose"], mine.span("whose"), theirs.span("whose"))]
    return []


def _object_of(text: str, position: int) -> str:
    """What a verb ending at ``position`` was done to: the words up to the end of its clause."""
    return re.split(r"[,;.]|\b(?:after|before|while|as|and|but|when|then)\b", text[position:], maxsplit=1)[0]


def _same_person(a: str, b: str) -> bool:
    """Two names that share a distinctive word of three letters or more ("Marine Le Pen", "Le Pen")."""
    words = lambda name: {w.lower() for w in name.split() if len(w) > 2} - _GENERIC  # noqa: E731
    return bool(words(a) & words(b))


def _owner_figures(claim: str, mine: Quantity, evidence: str, same_unit: list[Quantity]) -> list[Quantity]:
    """The passage's figures in the claim's unit that belong, in a list of several named figures, to the name the
    claim gives its own figure to; [] unless the passage names several owners. Owners say what a share or a count
    is of, so the words around the figures need not match."""
    if len(same_unit) < 2:
        return []
    whose = _owner(claim, mine.span, 0)
    if not whose:
        return []
    theirs = quantities(evidence)
    owners = [_owner(evidence, t.span, _between(theirs, t)[0]) for t in same_unit]
    if len({o for o in owners if o}) < 2:
        return []  # not a list of figures with their owners
    return [t for t, o in zip(same_unit, owners) if o and _same_person(o, whose)]


def _next_noun(text: str, span: tuple[int, int]) -> set[str]:
    """The word after an ordinal's noun, when it is a noun the first one describes ("hydrogen blast")."""
    following = re.match(r"\s+([a-z]{3,})\b", text[span[1]:])
    return {_singular(following[1])} if following and following[1] not in _CONTEXT_STOP | _LINK_WORDS else set()


_LINK_WORDS = {"and", "for", "the", "was", "were", "are", "has", "had", "since", "after", "before", "that", "who",
               "which", "when", "with", "from", "into", "than", "this", "its", "their", "his", "her", "our", "not"}


# "UBS, the country's largest bank", "Credit Suisse, Switzerland's third-largest bank": whom a rank is given to.
_RANKED = re.compile(rf"(?P<name>{_CAP}(?:\s+{_CAP})*|[{_UP}]{{2,}}),\s+(?:the\s+)?(?:[\w.]+['’]s\s+)?$")


def _ranks_the_same(claim: str, mine: tuple[int, int], evidence: str, theirs: tuple[int, int]) -> bool:
    """A rank the passage gives, in apposition, to someone the claim does not rank ("UBS, the country's largest bank"
    against "UBS agreed to buy Credit Suisse, the country's second-largest bank") is not the claim's rank."""
    given = _RANKED.search(evidence[max(0, theirs[0] - 60):theirs[0]])
    if not given or given["name"].lower() in _WEEKDAYS or given["name"].lower() in MONTHS:
        return True  # "on Monday, the first time it has barred": a day, not what is ranked
    ranked = _RANKED.search(claim[max(0, mine[0] - 60):mine[0]])
    if ranked:
        return _same_person(ranked["name"], given["name"])
    return _find_name(given["name"], claim[:mine[0]]) is not None


def _words_before(text: str, position: int) -> set[str]:
    return {w.lower() for w in _WORD.findall(text[max(0, position - 40):position]) if len(w) > 2}


_TO_DEED = re.compile(r"(?:\s+[\w'’-]+){0,6}?\s+to\s+(?P<verb>[a-z]+)\b")


def _ranks_same_deed(claim: str, mine: tuple[int, int], evidence: str, theirs: tuple[int, int]) -> bool:
    """Two ranks of whoever did one deed, named differently: "the second adviser to resign" and "the third member
    of the committee to resign"."""
    a, b = _TO_DEED.match(claim, mine[1]), _TO_DEED.match(evidence, theirs[1])
    return bool(a and b) and _stem(a["verb"]) == _stem(b["verb"]) and a["verb"] not in {"be", "have", "the"}


def _ranks_in_sentence(claim: str, mine: tuple[int, int], evidence: str, theirs: tuple[int, int]) -> bool:
    """"For the second time" ranks what its sentence tells: "won the European Championship for the second time"
    ranks the title that "their third European Championship title" does, when the sentence names what the claim
    ranks."""
    ranked = [w for w in _WORD.findall(claim[mine[1]:mine[1] + 40])[:3] if w[0].isupper()]
    start, end = _sentence_of(evidence, theirs[0])
    # Its own clause: "collected the Ballon d'Or on Monday, 14 years after he won it for the first time" ranks an
    # earlier win, not Monday's.
    breaks = [m.end() for m in _RANK_CLAUSE.finditer(evidence, start, theirs[0])]
    stop = _RANK_CLAUSE.search(evidence, theirs[1], end)
    clause = evidence[max([start, *breaks]):stop.start() if stop else end]
    return bool(ranked) and all(_word_at(w, clause) for w in ranked)


_RANK_CLAUSE = re.compile(r"[,;:]|\b(?:after|since|before|when|while|as|than|ago)\b", re.IGNORECASE)


def _compare_ordinals(claim: str, evidence: str) -> list[Flag]:
    flags = []
    theirs = ordinals(evidence)
    for rank, noun, span, surface in ordinals(claim):
        # "the third hydrogen blast" ranks blasts as "the second such blast" does: the word after the first counts.
        mine = {noun} | _next_noun(claim, span)
        # A rank from the end is compared only with another from the end: "the last flight" may be the 135th.
        same_noun = [t for t in theirs if mine & ({t[1]} | _next_noun(evidence, t[2])) and (t[0] < 0) == (rank < 0)
                     and _ranks_the_same(claim, span, evidence, t[2])]
        if not same_noun and rank > 0:
            same_noun = [t for t in theirs if t[0] > 0 and (_ranks_same_deed(claim, span, evidence, t[2])
                         or (t[1] == "time" and _ranks_in_sentence(claim, span, evidence, t[2])))]
        match = next((t for t in same_noun if t[0] == rank), None)
        if match:
            flags.append(Flag("ordinal", "agrees", surface, match[3], span, match[2]))
            continue
        # A rank the passage gives to a person the claim does not name is theirs: "Jack Nicklaus, who won his sixth
        # green jacket" says nothing against "Woods' fourth and fifth green jackets".
        same_noun = [t for t in same_noun if not _rank_of_another(claim, span, evidence, t[2])]
        if same_noun:
            # Of several ranks of the same thing, the one given to what the claim ranks: "UBS, Switzerland's biggest
            # bank, agreed to buy Credit Suisse, the country's second-largest lender" for Credit Suisse's rank.
            ranked = _words_before(claim, span[0])
            other = max(same_noun, key=lambda t: len(ranked & _words_before(evidence, t[2][0])))
            flags.append(Flag("ordinal", "clashes", surface, other[3], span, other[2]))
    return flags


# A first that was never before: "the first in the central bank's history", "its first-ever", "the first ever".
_FIRST_EVER = re.compile(r"\bfirst(?:[- ]ever\b|\b[^.;:,]{0,40}?\b(?:ever|in\s+(?:its|their|the\s+[\w\s]{1,30}?['’]s|"
                         r"[A-Z]\w+['’]s)\s+(?:\d+-year\s+)?history|in\s+history)\b)", re.IGNORECASE)
# A first since some earlier time, which says there were others before it: "the first negative rate it has imposed
# since the 1970s".
_FIRST_SINCE = re.compile(r"\bfirst\b(?P<what>[^.;:]{0,60}?)\bsince\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?"
                          r"(?:\d{4}s?|\w+\s+\d{4}|[a-z]+\s+(?:war|crisis|era|century))\b", re.IGNORECASE)


def _first_since(claim: str, evidence: str) -> list[Flag]:
    """The claim gives something as the first ever, and the passage as the first only since an earlier time ("the
    first negative interest rate it has imposed since the 1970s"), of something the claim names: a rank clash."""
    mine = _FIRST_EVER.search(claim)
    if not mine or re.search(r"\bsince\b", claim, re.IGNORECASE):
        return []
    theirs = _FIRST_SINCE.search(evidence)
    if not theirs:
        return []
    # What the claim ranks: the words after "first" ("the first ever landing"), or, where none stand there ("was
    # the first in the central bank's history"), what its sentence says before.
    ranked = re.match(r"[\s-]*(?:ever\s+)?((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)", claim[mine.start() + 5:])
    words = _content(ranked.group(1)) if ranked and not re.match(r"(?:in|ever)\b", ranked.group(1)) else set()
    if not words or words <= {_stem("time")}:
        words = _content(claim[_sentence_of(claim, mine.start())[0]:mine.start()])
    what = re.sub(r"^\s*time\b", "", theirs["what"])
    if re.match(r"\s*(?:in|on|at)\s+which\b", what) or re.search(r"\b(?:by|among|from|of)\s+(?:a|an|any)\b", what):
        return []  # "the first in which a woman took part", "the first cut by a G7 bank": another first
    begin = _sentence_of(evidence, theirs.start())[0]
    owner = [w for w in (x.removesuffix("'s") for x in _WORD.findall(evidence[begin:theirs.start()]))
             if w[0].isupper() and w not in _STOP_NAMES]
    if owner and not re.search(rf"\b{re.escape(owner[-1])}\b", claim, re.IGNORECASE):
        return []  # "Dorn Motors posted its first quarterly loss since 2009": another's first
    parts = re.split(r"\b(it|that|which|who|by|from|to|in|at|for|of|on|with|among)\b", what, maxsplit=1)
    group = parts[0]
    if not _content(group):
        # "for the first time since 1986", "Dorn's first since the 1990s", "the first at Calder since": what is
        # ranked stands before "first" in the passage
        named = _content(evidence[begin:theirs.start()]) & words
    else:
        if _content(group.split()[-1]) - _content(claim):
            return []  # "its first lunar landing attempt": the passage ranks attempts
        rest = "".join(parts[2:]) if len(parts) > 1 and parts[1] in ("by", "from", "in", "at", "for", "on", "with",
                                                                    "among") else ""
        if _content(rest) - _content(claim):
            return []  # "the first flight from Dorn airport since 2015": a qualifier the claim lacks
        named = _content(group) & words
    if not named:
        return []  # the passage's first is of something the claim does not name
    return [Flag("ordinal", "clashes", mine.group(0), theirs.group(0), mine.span(), theirs.span())]


_FIRST_OR_LAST = re.compile(r"\b(?:the|its|their)\s+(?P<rank>first|last)\s+(?!times?\b|week|month|year|day)"
                            r"(?:[\w-]+\s+){0,5}?to\s+[a-z]+",
                            re.IGNORECASE)


def _first_or_last(claim: str, evidence: str) -> list[Flag]:
    """"Japan became the first major economy to abandon negative rates" against "makes Japan the last central bank
    in the world to leave them behind": the first and the last to do it, of a name both give in that sentence."""
    for mine in _FIRST_OR_LAST.finditer(claim):
        whose = {n.lower() for n, _ in names(claim[slice(*_sentence_of(claim, mine.start()))])}
        for theirs in _FIRST_OR_LAST.finditer(evidence):
            if theirs["rank"].lower() == mine["rank"].lower():
                continue
            start, end = _sentence_of(evidence, theirs.start())
            if whose & {n.lower() for n, _ in names(evidence[start:end])}:
                return [Flag("ordinal", "clashes", mine.group(0), theirs.group(0), mine.span(), theirs.span())]
    return []


def _rank_of_another(claim: str, mine: tuple[int, int], evidence: str, theirs: tuple[int, int]) -> bool:
    """The passage's rank is told as another person's ("Jack Nicklaus, who won his sixth", "Jack Nicklaus's sixth"),
    a person the claim does not name, while the claim's belongs to a name the passage gives too. A person named
    between ("beat Mia Rowe to win her fourth") owns nothing."""
    whose, other = _owner(claim, mine, 0), _owner(evidence, theirs, 0)
    if not (whose and other and _person(other)):
        return False
    told = evidence[evidence.rfind(other, 0, theirs[0]) + len(other):theirs[0]]
    return bool(re.match(r"(?:['’]s?\s|,\s+who\s)", told)) and not _same_person(whose, other) \
        and not _find_name(other, claim) and bool(_find_name(whose, evidence))


def _rank_before(text: str, span: tuple[int, int]) -> tuple[int, str, tuple[int, int], str] | None:
    """The rank that owns a figure: the last ordinal before it in its sentence with no other figure between ("its
    first bounce lasted nearly two hours")."""
    start = _sentence_of(text, span[0])[0]
    ranked = [o for o in ordinals(text) if start <= o[2][0] and o[2][1] <= span[0]]
    if not ranked:
        return None
    last = ranked[-1]
    between = text[last[2][1]:span[0]]
    return None if re.search(r"\d", between) or re.search(r"[;:]|\s[-–—]\s", between) else last


def _figure_rank(claim: str, evidence: str, flags: list[Flag]) -> list[Flag]:
    """A figure both give, owned by different ranks of one thing: "Philae's second bounce lasted nearly two hours"
    against "its first bounce lasted nearly two hours, while the second lasted about seven minutes"."""
    out = []
    for f in flags:
        if f.kind != "number" or f.relation != "agrees" or not f.claim_span or not f.evidence_span:
            continue
        mine, theirs = _rank_before(claim, f.claim_span), _rank_before(evidence, f.evidence_span)
        if mine and theirs and mine[0] != theirs[0] and mine[1] == theirs[1]:
            out.append(Flag("ordinal", "clashes", mine[3], theirs[3], mine[2], theirs[2]))
    return out


def name_key(name: str) -> str:
    """How a name is matched: lower case, a demonym as its country ("Russian" is "russia")."""
    key = name.lower().removesuffix("'s")
    return _SAME_PLACE.get(key, key)


# Words that name a kind of institution or thing, not which one: "European Central Bank" is found by "European",
# never by "Bank"; a person's name is found by its last word ("Sergei Lavrov" by "Lavrov").
_GENERIC = {"bank", "central", "federal", "reserve", "national", "international", "united", "new", "space",
            "telescope", "agency", "council", "party", "ministry", "committee", "university", "company", "group",
            "airport", "station", "union", "court", "office", "service", "police", "army", "force", "forces",
            "department", "association", "organization", "organisation", "institute", "authority", "commission",
            "fund", "centre", "center", "world", "cup", "league", "club", "republic", "kingdom", "state", "states",
            "south", "north", "east", "west", "southern", "northern", "eastern", "western", "lander", "rover",
            "mission", "stadium", "government", "news", "times", "post", "express", "daily", "olympics", "games",
            "winter", "summer", "championship", "championships", "open", "festival", "prize", "award", "summit",
            "conference", "war", "crisis", "canal", "sea", "ocean", "river", "island", "islands", "mount",
            "cathedral", "church", "palace", "museum", "square", "ship"}


_STOP_ACRONYMS = {"who", "it", "us", "am", "an", "as", "at", "be", "do", "go", "he", "if", "in", "is", "me", "no", "of",
                  "on", "or", "so", "to", "up", "we", "all", "and", "are", "can", "for", "not", "one", "our", "out",
                  "was", "aid", "art", "cap", "fed", "net", "sun"}


def _word_at(word: str, text: str, case: bool = False) -> tuple[int, int] | None:
    """Where ``word`` (or words) stands in ``text`` as whole words, ignoring case unless ``case``: "US" is not in
    "thus". A name written with accents on one side and without on the other is the same name ("Erdoğan" and
    "Erdogan", "Müller" and "Mueller" or "Muller"), matched in its capitals ("Åre" is not "are")."""
    flags = 0 if case else re.IGNORECASE
    found = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, flags)
    if found:
        return found.span()
    if word.isascii() and text.isascii():
        return None
    for umlauts in (True, False):
        folded, where = _folded(text, umlauts)
        found = re.search(rf"(?<![\w-]){re.escape(_folded(word, umlauts)[0])}(?![\w-])", folded)
        if found:
            return where[found.start()], where[found.end() - 1] + 1
    return None


# Letters written as two in English text: German umlauts ("Mueller", or dropped: "Muller") and a few ligatures.
# Other accents are dropped.
_FOLDS = {"ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
          "Đ": "D", "ı": "i"}
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}


@lru_cache(maxsize=4096)
def _folded(text: str, umlauts: bool = True) -> tuple[str, tuple[int, ...]]:
    """``text`` in plain letters, with where each of its letters stands in ``text``; umlauts as two letters or one."""
    out, where = [], []
    for i, ch in enumerate(text):
        plain = ch if ch.isascii() else (_UMLAUTS.get(ch) if umlauts else None) or _FOLDS.get(ch) or "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)) or ch
        out.append(plain)
        where.extend([i] * len(plain))
    return "".join(out), tuple(where)


def plain_forms(name: str) -> set[str]:
    """A name's plain lower-case spellings, as the checks match names: "Erdoğan" is "erdogan"; "Müller" is "mueller"
    or "muller"."""
    return {_folded(name, umlauts)[0].lower() for umlauts in (True, False)}


def _same_place(a: str, b: str) -> bool:
    """One place under two forms: a listed demonym ("Chinese" / "China"), or a country and its "-n" adjective
    ("Russia" / "Russian", "Korea" / "Korean"); never by a shared prefix ("Austria" is not "Australia")."""
    a, b = name_key(a), name_key(b)
    return a == b or (" " not in a + b and (a + "n" == b or b + "n" == a))


def _find_name(surface: str, evidence: str) -> tuple[int, int] | None:
    if surface.isupper() and surface.isalpha() and surface.lower() in _STOP_ACRONYMS:
        # An acronym that is also a common word ("WHO", "IT", "US") is the name only in capitals: "who" is no WHO.
        found = re.search(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", evidence)
        # "United States" or "U.S." for "US"; a capitalised "Who" opening a sentence is still no WHO.
        return found.span() if found else next((span for other, span in names(evidence)
                                                 if _same_place(surface, other) and other != other.capitalize()),
                                                None)
    found = _word_at(surface.removesuffix("'s"), evidence)
    if found:
        return found
    words = surface.lower().split()
    if (initials := _initials(surface)) and (found := re.search(rf"(?<![\w-]){initials}(?![\w-])", evidence)):
        return found.span()  # "National Transportation Safety Board" as "NTSB"
    distinctive = [w for w in words if w not in _GENERIC]
    if len(words) > 1 and len(distinctive) < len(words):
        # An institution: every word that says which one must be there.
        if distinctive and all(w in _SAME_PLACE for w in distinctive):
            # Only its nation says which one ("Swiss National Bank"): the nation with the kind of institution after
            # it ("the Swiss central bank"), or its initials, not any "Swiss" ("Swiss francs", "Swiss authorities").
            kinds = r"\s+".join(re.escape(w) for w in words if w in _GENERIC)
            nations = "|".join(re.escape(f) for w in distinctive for f in (w, _SAME_PLACE[w]))
            initials = "".join(w[0] for w in surface.split()).upper()
            # Its kind in full ("Swiss National Bank") or a central bank ("Switzerland's central bank"); "the
            # troubled Swiss bank" may be any Swiss bank.
            found = (re.search(rf"(?<![\w-])(?:{nations})(?:['’]s)?\s+(?:{kinds}|central\s+bank)\b", evidence,
                               re.IGNORECASE)
                     or re.search(rf"(?<![\w-]){initials}(?![\w-])", evidence))
            return found.span() if found else None
        spans = [_word_at(w, evidence) for w in distinctive]
        return spans[0] if distinctive and all(spans) else None
    if len(surface) >= 2 and surface.isupper() and surface.isalpha() and (found := _spelled_out(surface, evidence)):
        return found  # "SNB" as "Swiss National Bank", "FDA" as "Food and Drug Administration"
    last = surface.split()[-1]
    if len(words) > 1 and len(last) > 3 and (found := _word_at(last, evidence, case=True)):
        return found  # a person by their last name, capitalised ("Sergei Lavrov" as "Lavrov", not "given")
    return next((span for other, span in names(evidence) if _same_place(surface, other)), None)


_INITIAL_SKIPS = {"of", "and", "the", "for", "&"}


def _initials(name: str) -> str:
    """The acronym of a name of three words or more ("Food and Drug Administration" is "FDA"); "" for a shorter one,
    whose initials would match too much ("New York" is not "NY" everywhere)."""
    words = [w for w in name.split() if w.lower() not in _INITIAL_SKIPS]
    initials = "".join(w[0] for w in words).upper() if len(words) >= 3 and all(w[0].isupper() for w in words) else ""
    if initials in _COMMON_ABBREVIATIONS or not any(w.lower() in _GENERIC | _BODIES for w in words):
        return ""  # "Juan Pablo Moreno" is no "JPM"; "Calder Energy Office" no "CEO"
    return initials


_COMMON_ABBREVIATIONS = {"CEO", "CFO", "COO", "CTO", "GDP", "IPO", "AGM", "ETF", "EPS", "VAT", "GMT", "PDF", "ATM",
                         "SUV", "DNA", "MVP", "TBC", "FAQ", "HQ", "PPE", "ICU", "EBIT", "EBITDA"}
_BODIES = {"board", "office", "partners", "workers", "bureau", "administration", "agency", "council", "exchange",
           "corporation", "company", "committee", "authority", "commission", "foundation", "institute", "programme",
           "program", "conference", "federation", "confederation", "alliance", "front", "movement", "network"}


def _spelled_out(acronym: str, evidence: str) -> tuple[int, int] | None:
    """Where the passage spells out ``acronym`` as capitalised words with those initials, small linking words
    allowed between them: "ECB" in "the European Central Bank", "FDA" in "the Food and Drug Administration"."""
    if not 3 <= len(acronym) <= 6:
        return None
    link = r"\s+(?:(?:of|and|the|for|to|on|in|&)\s+)*"
    pattern = link.join(rf"{letter}[a-z]+(?:-[a-z]+)*" for letter in acronym)
    found = re.search(rf"(?<![\w-]){pattern}(?![\w-])", evidence)
    return found.span() if found else None


def _compare_names(claim: str, evidence: str) -> list[Flag]:
    flags = []
    seen = set()
    for surface, span in names(claim):
        key = surface.lower()
        if key in seen:
            continue
        seen.add(key)
        found = _find_name(surface, evidence)
        if found:
            flags.append(Flag("entity", "agrees", surface, evidence[found[0]:found[1]], span, found))
        else:
            flags.append(Flag("entity", "missing", surface, "", span, None))
    return flags


BESIDE_OTHERS = "(in a title naming others too)"


def named_in_title(flags: tuple[Flag, ...], title: str) -> tuple[Flag, ...]:
    """The findings with a name the passage lacks but its document's title gives counted as found: a passage of a
    speech in its speaker's first person ("our economy ... 15 million new jobs", in "Joseph R. Biden Jr.: State of
    the Union address, 2024": the speaker before the colon), or a report that says "the president" under "Biden
    touts jobs record", is about that actor. A headline that also names someone the claim does not ("Biden hits back
    at Trump") makes the passage about the claim but leaves open whose words it gives: such a name is marked
    BESIDE_OTHERS and never makes the passage name the claim's subject (``verification.roles.names_subject``). The
    finding has no span in the passage; its value says where the name was found."""
    if not title or not any(f.kind == "entity" and f.relation == "missing" for f in flags):
        return flags
    # "Joseph R. Biden Jr.: State of the Union address": a transcript, its speaker named before the colon; a name
    # after the colon is what the speech is about, as is every name of a headline that names others too.
    speaker_end = title.index(":") if ":" in title else 0
    headline = title[speaker_end:]
    claimed = [f.claim_value for f in flags if f.kind == "entity"]
    others = any(not any(_find_name(c, name) or _find_name(name, c) for c in claimed) for name, _ in names(headline))
    found = []
    for flag in flags:
        span = _find_name(flag.claim_value, title) if flag.kind == "entity" and flag.relation == "missing" else None
        if span:
            where = BESIDE_OTHERS if span[0] >= speaker_end and (others or speaker_end) else "(in the title)"
            flag = replace(flag, relation="agrees", evidence_value=f"{title[span[0]:span[1]]} {where}")
        found.append(flag)
    return tuple(found)


_PAST_IRREGULAR = {"ran": "run", "became": "become", "met": "meet", "won": "win", "rose": "rise", "fell": "fall",
                   "cut": "cut", "hit": "hit", "made": "make", "took": "take", "sent": "send", "left": "leave",
                   "began": "begin", "struck": "strike", "sank": "sink", "grew": "grow", "shot": "shoot",
                   "held": "hold", "led": "lead", "beat": "beat", "sold": "sell", "paid": "pay", "lost": "lose",
                   "went": "go", "came": "come", "gave": "give", "built": "build", "spent": "spend",
                   "signed": "sign", "flew": "fly", "knelt": "kneel", "fought": "fight", "caught": "catch",
                   "brought": "bring", "bought": "buy", "taught": "teach", "sought": "seek", "drove": "drive",
                   "wrote": "write", "spoke": "speak", "broke": "break", "chose": "choose", "froze": "freeze",
                   "rode": "ride", "stole": "steal", "swore": "swear", "tore": "tear", "wore": "wear",
                   "threw": "throw", "drew": "draw", "blew": "blow", "stood": "stand", "understood": "understand",
                   "kept": "keep", "slept": "sleep", "swept": "sweep", "fled": "flee", "fed": "feed",
                   "bled": "bleed", "dealt": "deal", "dug": "dig", "hung": "hang", "sang": "sing", "rang": "ring",
                   "sprang": "spring", "swam": "swim", "shook": "shake", "forbade": "forbid", "forgave": "forgive",
                   "withdrew": "withdraw", "overtook": "overtake", "undertook": "undertake", "awoke": "awake",
                   "bore": "bear", "bent": "bend", "lent": "lend", "shut": "shut", "split": "split",
                   "spread": "spread", "slid": "slide", "laid": "lay", "told": "tell",
                   # Past participles that are nothing else: "has flown its first mission", "was lit up", "had
                   # broadcast the final live".
                   "flown": "fly", "shown": "show", "drawn": "draw", "grown": "grow", "thrown": "throw",
                   "sunk": "sink", "begun": "begin", "gone": "go", "beaten": "beat", "chosen": "choose",
                   "given": "give", "taken": "take", "written": "write", "ridden": "ride", "risen": "rise",
                   "fallen": "fall", "stolen": "steal", "spoken": "speak", "driven": "drive", "withdrawn": "withdraw",
                   "overtaken": "overtake", "undertaken": "undertake", "forgiven": "forgive", "sworn": "swear",
                   "torn": "tear", "worn": "wear", "sung": "sing", "rung": "ring", "swum": "swim", "lit": "light",
                   "broadcast": "broadcast", "broken": "break"}
_WORD = re.compile(rf"[{_UP}{_LOW}][{_UP}{_LOW}'-]*")


def _told_as_done(word: str) -> bool:
    """A verb in a past form ("launched", "flew"): the passage tells the deed as done, not planned or ongoing."""
    word = word.lower()
    return word in _PAST_IRREGULAR or (word.endswith("ed") and len(word) > 4)


def told_as_done(word: str) -> bool:
    """``word`` is a verb in a past form ("cleared", "won"), a deed told as done."""
    return _told_as_done(word)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # Cached: a check of one article stems the same few thousand words some hundred thousand times.
    word = word.lower()
    if word in _PAST_IRREGULAR:
        return _PAST_IRREGULAR[word]
    if word.endswith(("val", "sal", "wal")) and len(word) > 6:
        word = word[:-2]  # "approval" and "approved", "refusal" and "refused", "withdrawal" and "withdraw"
    if word.endswith(("ied", "ies")) and len(word) > 5:
        return word[:-3] + "y"  # "testified" and "testify", "carries" and "carry"
    for suffix in ("ation", "ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] in "bgmnprt":
                word = word[:-1]  # "stepped" and "step", "planned" and "plan" ("added" keeps its "dd")
            break
    return word.rstrip("e")


def _hedge(word: re.Match) -> bool:
    """A word that makes what follows a plan or a possibility; "May" with a capital is the month. Words that are as
    often nouns or adjectives ("four tries", "its growth forecast", "the predicted surge") count only before "to" or
    "that" ("trying to", "has projected that")."""
    text = word.group(0)
    if text.lower() in _HEDGE_IF_FOLLOWED:
        return bool(re.match(r"\s+(?:to|that)\b", word.string[word.end():]))
    return bool(_MODAL.fullmatch(text)) and text != "May"


_HEDGE_IF_FOLLOWED = {"try", "tries", "attempt", "attempts", "project", "projects", "projected", "forecast",
                      "forecasts", "predict", "predicts", "predicted"}


@lru_cache(maxsize=8192)
def _deeds(claim: str) -> tuple[tuple[str, tuple[int, int]], ...]:
    """Verbs the claim states as done (past tense, not under a modal word of its own). Cached: every check of a
    claim against each of its passages asks for them again."""
    out = []
    words = list(_WORD.finditer(claim))
    for i, m in enumerate(words):
        if i >= 2 and m.group(0).endswith("ing") and m.group(0).islower() and m.group(0) not in _NOT_ING_DEEDS \
                and words[i - 1].group(0).lower() == "been" \
                and words[i - 2].group(0).lower() in ("has", "have", "had") and not _hedge(m) \
                and not any(_hedge(w) or w.group(0).lower() in _OWN_HEDGES for w in words[max(0, i - 5):i - 2]):
            # "has been flying helicopters": a deed done and still going on, which a passage may give only as a plan
            # ("said he planned to fly helicopters").
            out.append((_stem(m.group(0)), m.span()))
            continue
        if not _told_as_done(m.group(0)):
            continue
        if m.group(0)[0].isupper():
            # A name ("Bankman-Fried", "Reed", the "Fed" that opens a claim), not a verb; a capitalised past form
            # that opens a claim opens a phrase about its subject ("Founded in 1998, ...", "Hit by sanctions, ...").
            continue
        if ("-" in m.group(0) and not m.group(0).lower().startswith("re-")) \
                or re.search(r"[A-Za-z]+-\d+\s+$", claim[max(0, m.start() - 12):m.start()]):
            # "low-enriched uranium", "state-owned bank", "COVID-19 related death": an adjective, not a deed
            # ("re-opened" is a verb)
            continue
        if any(_hedge(w) or w.group(0).lower() in _OWN_HEDGES for w in words[max(0, i - 3):i]):
            continue  # "were apparently knocked loose": the claim itself tells a possibility
        if i and words[i - 1].group(0).lower() in _DETERMINERS:
            continue  # "the trapped boys", "the flooded passages": a description, not a deed
        if m.group(0).lower() in _LINKING_PARTICIPLES:
            continue  # "documents related to the company", "a group based in Russia": what a thing is, not a deed
        if _hedge(m):
            continue  # "is expected to cost", "had planned to": the plan word itself is no deed
        out.append((_stem(m.group(0)), m.span()))
        following = words[i + 1] if i + 1 < len(words) else None
        if m.group(0).lower() in _BEGUN and following and following.group(0).endswith("ing"):
            # "started bringing the boys out": the deed begun is the bringing out, which a passage may give as a
            # plan ("preparing to bring the boys out") without the word "started".
            out.append((_stem(following.group(0)), following.span()))
    return tuple(out)


_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our"}
_NOT_ING_DEEDS = {"ongoing", "during", "nothing", "something", "anything", "everything", "king", "thing", "outstanding",
                  "missing", "willing", "leading", "amazing", "interesting", "pending", "boring", "working"}
_LINKING_PARTICIPLES = {"related", "linked", "based", "located", "connected", "associated", "affiliated", "dedicated"}
_OWN_HEDGES = {"apparently", "probably", "possibly", "presumably", "seemingly", "likely"}
# An adverb right before a past form makes it no deed done: "possibly armed". A denial a word or two after one is
# hedged: "will probably never recover".
_HEDGED = re.compile(r"\b(?:possibly|probably|perhaps|likely|apparently)\s+$", re.IGNORECASE)
_HEDGED_DENIAL = re.compile(r"\b(?:probably|likely|possibly|perhaps)\s+(?:\w+\s+)?$", re.IGNORECASE)
_BEGUN = {"started", "began", "begun", "resumed", "continued"}
# Finite verbs that tell what the passage states, before any plan word could: "Hayward has left", "BP said".
_STATED = {"is", "are", "was", "were", "has", "have", "had", "says", "said", "tells", "told", "does", "did"}


def plan_follows(evidence: str, position: int) -> bool:
    """What the passage says right after ``position`` (where it names someone), up to the end of the sentence, is a
    plan or a possibility before it is anything done: "Tony Hayward will leave the job", "Robert Dudley, who will
    become the first American to run the company"."""
    words = list(_WORD.finditer(evidence[position:_sentence_of(evidence, position)[1]]))[:6]
    for i, word in enumerate(words):
        if _hedge(word):
            return True  # "will leave"
        if word.group(0).lower() in _STATED:
            # "is to step down", "is set to leave", "is expected to resign": a plan; "has left", "said": stated
            following = [w.group(0).lower() for w in words[i + 1:i + 3]]
            return bool(following) and (following[0] == "to" or following[0] in {"set", "due", "about"}
                                        or any(_hedge(w) for w in words[i + 1:i + 3]))
        if _told_as_done(word.group(0)):
            return False
    return False


# What makes a clause a plan, an expectation or talks when its own words do not tell the claim's deed: "was expected
# to parade", "is due to travel to Berlin", "is in talks to take over", "will be shown live". Not "would": in reported
# speech it tells a decision as often as a plan ("Microsoft said it would buy Activision").
_CLAUSE_PLAN = re.compile(
    r"\b(?:(?:is|are|was|were|be|been)\s+(?:\w+ly\s+)?(?:expected|set|scheduled|slated|poised|likely|about|"
    r"planning|preparing|hoping|aiming|seeking|considering|weighing|negotiating)\s+to\s+(?!the\b|a\b|an\b)[a-z]+|"
    # "due to travel", not "due to fog"
    r"(?:is|are|was|were)\s+due\s+to\s+(?:be|travel|meet|visit|arrive|leave|start|begin|hold|sign|announce|open|"
    r"return|make|give|face|appear|speak|fly|launch|vote|decide|publish|release|resume|take|end)\b|"
    r"(?-i:will|could|may|might|shall)\s+(?:\w+ly\s+)?(?:be\s+)?(?!(?:of|the|a|an|and|to|in)\b)[a-z]+|"
    r"(?:plans?|planned|intends?|intended|aims?|aimed|hopes?|hoped|wants?|wanted|seeks?|sought|proposes?|proposed|"
    r"promised|pledged|vowed|threatened|offered|expects?|expected)\s+to|in\s+talks\s+(?:to|over|about|with)|"
    # "expected the merger to produce savings": what someone expects of a thing, not yet done ("more than expected"
    # compares a figure)
    r"(?<!than\s)(?:expects?|expected)\s+(?:[\w.'’-]+\s+){1,4}?to\s+(?!the\b|a\b|an\b)[a-z]+|"
    # "the town planned a homecoming celebration for him when he returns": the event planned, not yet held
    r"(?:plans?|planned|planning)\s+(?:a|an)\s+[a-z]+|"
    # "were considering sending a police mission", "weighing whether to raise rates"
    r"(?:considering|weighing|mulling|discussing|exploring|contemplating)\s+(?:whether\s+(?:or\s+not\s+)?to\s+"
    r"[a-z]+|[a-z]+ing)|"
    # "with the club hoping to move in", "planning to list": the participle alone tells the plan
    r"(?:hoping|planning|aiming|seeking|preparing|intending|expecting|looking)\s+to\s+(?!the\b|a\b|an\b)[a-z]+|"
    # "urged Guterres to open an investigation": a request to do it, not the deed
    r"(?:urg(?:ed|es|ing)|call(?:ed|s|ing)\s+on|ask(?:ed|s|ing)|appeal(?:ed|s|ing)\s+to)"
    r"\s+(?!on\b|ahead\b)(?:[\w.'’-]+\s+){1,5}?to\s+(?!the\b|a\b|an\b)[a-z]+|"
    # "the board recommended that NASA add staff": advice, not the deed
    r"recommend(?:s|ed|ing)?\s+that|"
    # "the stadium is to be converted": a thing yet to be done
    r"(?:is|are|was|were)\s+to\s+be\s+[a-z]+(?:ed|en))\b", re.IGNORECASE)
# "Would" makes a plan of a deed the claim tells as done ("said the building would be lit" against "was lit up"),
# but reports a decision where the claim tells one ("said it would buy" against "agreed to buy", "said it would set
# aside 6.5 billion euros" against "has earmarked" them).
_WOULD = re.compile(r"\bwould\s+(?:\w+ly\s+)?(?:be\s+)?[a-z]+")
_DECISION = re.compile(r"\b(?:agree[sd]?|decided?|decision|moved\s+to|announc\w*|said|says|told|pledged|promised|vowed|"
                       r"plan\w*|offer\w*|propos\w*|chose|voted|confirm\w*|intend\w*|order\w*|declin\w*|refus\w*|"
                       r"earmark\w*|allocat\w*|commit\w*|set\s+aside|would|will|deal|bid|accepted)\b",
                       re.IGNORECASE)
_CUE_FILLER = {"is", "are", "was", "were", "be", "been", "to", "in", "over", "about", "with"}
# A claim that tells advice given ("endorsed broad use of the vaccine") is told by a passage's recommendation.
# Not "approved": a panel that recommends approval is no agency that approves.
_ADVICE = re.compile(r"\b(?:recommend(?:s|ed)?|endors(?:e|es|ed)|advis(?:e|es|ed)|urg(?:e|es|ed)|back(?:ed|s)|"
                     r"call(?:s|ed)\s+for|propos(?:e|es|ed))\b", re.IGNORECASE)


def _plan_cue(claim: str, text: str) -> re.Match | None:
    """The words that make the passage's clause a plan, for this claim: "would" only where the claim tells no
    decision (``_WOULD``), a recommendation only where the claim tells no advice."""
    cue = _CLAUSE_PLAN.search(text) or (None if _DECISION.search(claim) else _WOULD.search(text))
    if cue and cue.group(0).lower().startswith("recommend") and _ADVICE.search(claim):
        return None
    return cue
# The share of the claim's content words that a clause must hold to be the passage's telling of the claim.
PLANNED_SHARE = 0.4
# A comma inside a figure ("150,000") breaks nothing.
_CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d{3}\b)|[;:()]|\s[-–—]\s|\b(?:and|but|while|whereas|although|though|as|"
                           r"after|before|when|where|who|which)\b(?!-)", re.IGNORECASE)


def _own_content(claim: str) -> set[str]:
    """The claim's own content words: its lower-case words, not its names (what was done or said, not by whom)."""
    return _content(" ".join(w for w in _WORD.findall(claim) if w.islower()))


def _content(text: str) -> set[str]:
    """Content words, stemmed: no stop words, none under three letters."""
    # Imported here: the stop-word list loads all of spaCy, which commands that verify nothing should not pay for.
    from spacy.lang.en.stop_words import STOP_WORDS

    return {_stem(w.removesuffix("'s")) for w in _WORD.findall(text) if len(w) > 2 and w.lower() not in STOP_WORDS}


def planned_clause(claim: str, evidence: str) -> tuple[int, int] | None:
    """The span of the passage's clause that shares the most of the claim's words, when that clause gives what it
    tells as a plan, an expectation, talks or a possibility ("the squad was expected to parade through Buenos Aires
    on an open-top bus") and tells none of the claim's deeds as done; None otherwise, and for a claim that tells no
    deed. The clause, not the sentence: "the government declared a holiday, and the squad was expected to parade"
    tells the holiday as done, the parade only as expected."""
    deeds = {stem for stem, _ in _deeds(claim)}
    if not deeds:
        return None
    mine = _content(claim)
    spans = _clauses(evidence)
    shared = [(len(mine & _content(evidence[a:b])), (a, b)) for a, b in spans]
    best = max((n for n, _ in shared), default=0)
    if best < max(3, PLANNED_SHARE * len(mine)):
        return None  # no clause tells enough of the claim to be its telling ("England will play in the final" is
        # no telling of "England knocked the All Blacks out")
    # Of the clauses that tell enough, the ones that share most of the claim's own words, not its names: the
    # story's names stand in every clause ("a setback for the London Stock Exchange"), what was done to them
    # ("a secondary listing") in the clause that tells it.
    common = _own_content(claim)
    told_enough = [(n + len(common & _content(evidence[a:b])), (a, b)) for n, (a, b) in shared
                   if n >= max(3, PLANNED_SHARE * len(mine))]
    most = max(n for n, _ in told_enough)
    top = [span for n, span in told_enough if n == most]
    planned = []
    for a, b in top:
        text = evidence[a:b]
        cue = _plan_cue(claim, text)
        word = next((w for w in cue.group(0).split() if w.lower() not in _CUE_FILLER), "") if cue else ""
        if word and re.search(rf"\b{re.escape(word)}\b", claim, re.IGNORECASE):
            return None  # the claim tells it as the same kind of plan ("ruling that super overs will be repeated")
        told = [w.group(0) for w in _WORD.finditer(text) if _told_as_done(w.group(0))
                and not (cue and cue.start() <= w.start() < cue.end())]
        perfect = cue and next((p for p in re.finditer(r"\b(?:has|have|had)\s+(?:\w+\s+)?(\w+(?:ed|en))\b",
                                                       text[:cue.start()], re.I)
                                if not _MODAL.fullmatch(p.group(1))), None)  # "has projected that": no deed
        if perfect or any(_stem(w) in deeds for w in told):
            return None  # one of the best clauses tells it as done: not a plan only
        if cue:
            planned.append((a, b))
    if not planned:
        return None  # the best clauses tell no plan ("UBS and Credit Suisse declined to comment" ties with "UBS is
        # in talks to take over Credit Suisse" on the names alone: the talks decide)
    # Another clause that tells some of the claim as done ("Pfizer completed its takeover of Seagen ... Pfizer plans
    # to expand Seagen's pipeline"): the passage tells the deed, whatever it plans next.
    # Names alone are no telling: "UBS and Credit Suisse declined to comment" tells nothing of the takeover.
    told_words = common
    for n, (a, b) in shared:
        clause = evidence[a:b]
        if (a, b) not in top and n >= 2 and told_words & _content(clause) \
                and any(_told_as_done(w) for w in _WORD.findall(clause)):
            return None
    return planned[0]


# Words of the claim's own (not its names) that the passage uses only in clauses that tell a plan: at this many, the
# passage tells that part of the claim only as a plan, whatever else it tells as done.
PLANNED_ONLY = 2


def _clauses(evidence: str) -> list[tuple[int, int]]:
    """The passage's clauses: from one break (a sentence's end, a comma, a linking word) to the next. "and" between
    two names joins them ("the Las Vegas Convention and Visitors Authority", "SoftBank and Arm")."""
    cuts = [m.start() for m in (*_STOP.finditer(evidence), *_CLAUSE_BREAK.finditer(evidence))
            if not (m.group(0) == "and" and re.search(r"[A-Z]\w*\s+$", evidence[:m.start()])
                    and re.match(r"\s+[A-Z]", evidence[m.end():]))]
    bounds = sorted({0, len(evidence), *cuts})
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if evidence[a:b].strip()]


_PARTICIPLE_CUE = re.compile(r"(?:hoping|planning|aiming|seeking|preparing|intending|expecting|looking|considering|"
                             r"weighing|mulling|discussing|exploring|contemplating|urg|call|ask|appeal)", re.IGNORECASE)


def _hope_fulfilled(evidence: str, start: int, end: int) -> bool:
    """A hope or a request set in a relative clause or an aside as the state before a deed, or one the same sentence
    then tells done: "who had been hoping to sign him, completed his transfer"."""
    sentence_end = _sentence_of(evidence, start)[1]
    return bool(_EARLIER_HOPE.search(evidence, max(0, start - 30), start)) \
        or any(_told_as_done(w.group(0)) and "-" not in w.group(0)
               and not _DESCRIBED_THING.search(evidence[max(0, w.start() - 8):w.start()])
               and not _HEDGED.search(evidence[max(0, w.start() - 14):w.start()])
               # not a verb of a relative clause about something else ("the site, which remained under rebel control")
               and not re.search(r"\b(?:which|who|that|where|whose)\s+(?:\w+\s+){0,2}$",
                                 evidence[max(end, w.start() - 30):w.start()], re.IGNORECASE)
               for w in _WORD.finditer(evidence, end, sentence_end))


_CONDITION = re.compile(r"\W*(?:once|if|unless|until|provided)\b", re.IGNORECASE)
_EARLIER_HOPE = re.compile(r"\b(?:who|which|that|after|while)\s+(?:had\s+)?(?:been\s+)?(?:\w+\s+){0,3}$",
                           re.IGNORECASE)
_REPORTED_AT_END = re.compile(r",\s+(?:[\w.'’-]+\s+){1,5}?(?:said|says)\W*$")
_TURN = re.compile(r"\W*(?:but|while|whereas|although|though|yet)\b|\W*;", re.IGNORECASE)


@lru_cache(maxsize=4096)  # the passage's role asks, then the judge's finding for a plan asks again
def told_only_as_plan(claim: str, evidence: str) -> tuple[tuple[int, int], str] | None:
    """The passage's clause that gives part of what the claim tells as done only as a plan (``_told_as_plan``), or
    that gives a thing still to come where the passage tells none of the claim's deeds (``pending_only``)."""
    return _told_as_plan(claim, evidence) or pending_only(claim, evidence)


# A thing still to come, told without a verb of planning: "a civil trial is expected next year", "ahead of a
# shareholder vote", "the proposed merger", "awaiting trial", "at a later date". Not "ahead of schedule" or "ahead of
# forecasts", which measure a deed done.
_PENDING = re.compile(
    # "is due on Thursday"; "was due on Thursday" may be a payment missed
    # "is set for release"; not "is set in Paris"
    r"\b(?:(?:is|are)\s+(?:now\s+|still\s+)?(?:expected|scheduled|due|planned|slated)\s+"
    r"(?:for|in|on|by|next|later|this|within|before|after|early|late|around)\b|(?:is|are)\s+set\s+for\b|"
    r"ahead\s+of\s+(?:a|an|the|its|their|his|her|next|this|(?:mon|tues|wednes|thurs|fri|satur|sun)day's|"
    r"tomorrow's)\s+(?:[\w'’-]+\s+){0,2}?(?:votes?|ballot|meeting|election|referendum|trial|hearing|ruling|"
    r"verdict|sentencing|decision|summit|talks|launch|final|visit|announcement|debate|listing|flotation|merger|"
    r"deal|opening|ceremony|release|budget|inauguration|sale)\b|"
    # Not "the likely cause", "a possible motive": uncertain, not to come.
    r"(?:a|an|the|its|their|his|her)\s+(?:upcoming|forthcoming|pending|proposed|planned|impending|prospective|"
    r"scheduled|mooted)\s+[a-z]+|"
    r"await(?:s|ing|ed)?\s+(?:a|an|the|its|their|his|her|trial|sentencing|approval|word|results?)\b|"
    # "also faces a two-year suspension", "is facing trial": what is still to come to someone (not "faces up to 20
    # years in prison", the law's most, which a later report of the sentence does not undo)
    r"fac(?:es|ing)\s+(?:a|an|possible|trial|charges|sentencing|extradition)\b|"
    r"at\s+a\s+(?:later|future)\s+date|in\s+the\s+coming\s+(?:days|weeks|months|years?))",
    re.IGNORECASE)


_PUT_OFF = {_stem(w) for w in ("postponed", "delayed", "halted", "dropped", "reversed", "withdrew",
                                   "deferred", "paused", "froze", "blocked", "vetoed", "rejected")}


@lru_cache(maxsize=4096)  # the plan checks of every claim ask it of the same passages
def _done_stems(evidence: str) -> frozenset[str]:
    """The stems of the verbs the passage tells as done, not under a plan word or a mood."""
    words = list(_WORD.finditer(evidence))
    return frozenset(_stem(w.group(0)) for i, w in enumerate(words)
                     if _told_as_done(w.group(0)) and _done_here(words, i))


def _planned_before(claim: str, first: int) -> bool:
    """A plan word or a mood before the claim's first deed done ("is expected to have", "will"): the claim tells a
    plan, not the deed."""
    return any(_hedge(w) for w in _WORD.finditer(claim[:first])) or bool(_CLAUSE_PLAN.search(claim[:first]))


def pending_only(claim: str, evidence: str) -> tuple[tuple[int, int], str] | None:
    """A clause of the passage that gives a thing still to come, sharing one of the claim's own words, where
    the passage tells none of the claim's deeds as done, nor one of their kin: "a civil trial is expected next year"
    against "a civil jury found Simpson liable", "ahead of a shareholder vote" against "shareholders voted to approve
    the sale", "a name would be chosen at a later date" against "settled on the name". The passage is about the
    thing, and tells it as not yet done; the model reads the shared names as support."""
    told = _deeds(claim)
    if not told or not _PENDING.search(evidence):
        return None
    first = told[0][1][0]
    if _planned_before(claim, first) or _PENDING.search(claim) \
            or any(_own_plan(claim, a, b) for a, b in _clauses(claim)):
        return None  # the claim tells a plan, or a thing to come, of its own
    deeds = {stem for stem, _ in told}
    if deeds & _PUT_OFF or "abandon" in _kin_of(deeds, claim):
        return None  # a plan called off or put back is told by the plan itself ("scrapped the planned tax cuts")
    done = _done_stems(evidence)
    if deeds & done or _kin_of(deeds, claim) & _kin_of(done, evidence):
        return None
    mine = _own_content(claim)
    for a, b in _clauses(evidence):
        text = evidence[a:b]
        if not _PENDING.search(text):
            continue  # a plan told with a verb is ``_told_as_plan``'s to weigh
        shared = mine & _content(text)
        # The deed's own noun names the thing to come: "suspended" and "faces a two-year suspension".
        nouns = {deed for deed in deeds if len(deed) >= 5
                 and re.search(rf"\b{re.escape(deed[:6])}", text, re.IGNORECASE)}
        if shared or nouns:
            # The claim's first word among them; a deed that is a stop word ("became") is shown as the deed itself.
            word = next((w for w in _WORD.findall(claim) if w.islower() and _content(w) & (shared | nouns)),
                        claim[told[0][1][0]:told[0][1][1]])
            return (a, b), word
    return None


def _told_as_plan(claim: str, evidence: str) -> tuple[tuple[int, int], str] | None:
    """The passage's clause that gives part of what the claim tells as done only as a plan, and the claim's first
    word it gives there: "the building would be lit in rainbow colours on Friday evening" against "the White House was
    lit up in rainbow colours", "has pledged to return at least half of the after-tax proceeds to shareholders"
    against "has handed half of its after-tax windfall back to its shareholders", even where another sentence tells
    something else of the claim as done ("Obama called the ruling 'a victory for America'"). None when the claim
    itself tells a plan or a possibility, or when the passage tells those words as done elsewhere."""
    told = _deeds(claim)
    # A plan word after the claim's first deed done belongs to what it reports ("have filed an appeal, arguing that
    # his trial should have been held outside Boston"); one before it makes the claim a plan.
    first = told[0][1][0] if told else len(claim)
    if _planned_before(claim, first):
        return None
    # The claim's own plans: a clause of the claim that tells a plan ("is slated to run the merged company", "ruling
    # that super overs will be repeated") is told by a passage that gives the same plan, not contradicted by it.
    own_plans = [(a, b) for a, b in _clauses(claim) if _own_plan(claim, a, b)]
    if any(a <= first < b for a, b in own_plans):
        return None
    deeds = {stem for stem, _ in told}
    done = _done_stems(evidence)
    if deeds and deeds <= done:
        return None  # the passage tells every deed of the claim as done ("opened the branch"), whatever it plans next
    if told and told[0][0] not in done:
        # A phrasal deed's plan may use its one-word kin: "have lifted off" against "is scheduled to launch".
        phrase = next((kind for kind, p in _KIN_PHRASES.items() if p.match(claim, told[0][1][0])), None)
        # The claim's first deed is the very verb of a plan, a hope or a request in the passage, and done nowhere in
        # it: "have moved into the stadium" against "the club hoping to move in", "opened an investigation" against
        # "urged Guterres to open an investigation".
        for a, b in _clauses(evidence):
            cue = _CLAUSE_PLAN.search(evidence, a, b)
            planned_verb = _stem(cue.group(0).split()[-1]) if cue else ""
            if cue and cue.group(0).split()[-2:][0].lower() == "to" \
                    and (_kin_deed(planned_verb, told[0][0]) or (phrase and _KIN.get(planned_verb) == phrase)) \
                    and not _hope_fulfilled(evidence, cue.start(), cue.end()):
                return (a, b), claim[told[0][1][0]:told[0][1][1]]
    # The claim's own words, less the word that reports it at its end ("..., the United Nations said").
    mine = _own_content(claim) - ({"said", "say"} if _REPORTED_AT_END.search(claim) else set())
    for a, b in own_plans:
        mine -= _content(claim[a:b])
    if len(mine) < PLANNED_ONLY:
        return None
    planned: list[tuple[tuple[int, int], set[str]]] = []
    told: set[str] = set()
    sentence, running = (-1, -1), False
    for a, b in _clauses(evidence):
        text = evidence[a:b]
        cue = _plan_cue(claim, text)
        if cue and _PARTICIPLE_CUE.match(cue.group(0)) and _hope_fulfilled(evidence, a + cue.start(), a + cue.end()):
            cue = None  # "while looking to launch 22 satellites, lifted off": the hope came true in the sentence
        shared = mine & _content(text)
        if cue:
            planned.append(((a, b), shared))
            sentence, running = _sentence_of(evidence, a + cue.start()), True
        elif running and a + len(text) - len(text.lstrip(" .!?\"'”’")) < sentence[1] and not _TURN.match(text) \
                and (_CONDITION.match(text) or not any(
                    _told_as_done(w.group(0)) and "-" not in w.group(0)
                    and not _DESCRIBED_THING.search(text[max(0, w.start() - 8):w.start()])
                    and not _HEDGED.search(text[max(0, w.start() - 14):w.start()])
                    for w in _WORD.finditer(text))):
            # The plan runs on to the sentence's end through its phrases ("are likely to consider raising rates ...
            # after a hotter-than-expected inflation report"), not into a clause that tells a deed done or turns. A
            # condition of the plan tells nothing done ("expects to resume flights, once the joints have been
            # redesigned").
            (start, _), words = planned[-1]
            planned[-1] = ((start, b), words | shared)
        else:
            told |= shared
            running = False
    best = max(planned, key=lambda p: len(p[1] - told), default=None)
    if best is None or len(best[1] - told) < max(PLANNED_ONLY, len(told) + 1):
        # Fewer words only in the plan than told as done: the passage tells the claim, and its plan is an aside
        # ("sank on Thursday after burning for nearly two days, raising concern that crude could escape from the
        # well head 1,500 metres below").
        return None
    only = best[1] - told
    first = next((w for w in _WORD.findall(claim) if w.islower() and _content(w) & only), sorted(only)[0])
    return best[0], first


def _own_plan(claim: str, start: int, end: int) -> bool:
    """The claim's clause tells a plan of its own: a plan word and the verb it governs ("ruling that super overs will
    be repeated", "is slated to run"), not a plan word before a name ("25 electors pledged to Bush")."""
    return any(not (cue.group(0).endswith("to") and not re.match(r"\s+[a-z]", claim[cue.end():]))
               for cue in _CLAUSE_PLAN.finditer(claim, start, end))


def plan_only_flag(claim: str, evidence: str) -> Flag | None:
    """The finding ``told_only_as_plan`` makes, as a flag to show: the claim's word, the passage's clause."""
    found = told_only_as_plan(claim, evidence)
    if not found:
        return None
    (a, b), word = found
    while a < b and not evidence[a].isalnum():
        a += 1
    span = re.search(rf"\b{re.escape(word)}\b", claim).span()
    return Flag("modality", "differs", word, evidence[a:b].strip(), span, (a, b))


def _compare_modality(claim: str, evidence: str) -> list[Flag]:
    """A deed in the claim that the passage names only under a plan, an expectation or a possibility."""
    words = list(_WORD.finditer(evidence))
    stems = [_stem(w.group(0)) for w in words]
    if not any(s in stems for s, _ in _deeds(claim)):
        # The passage does not name the claim's deed; its clause that tells most of the claim may still be a plan.
        planned = planned_clause(claim, evidence)
        if planned:
            deed = _deeds(claim)[0][1]
            a, b = planned
            while a < b and not evidence[a].isalnum():
                a += 1
            return [Flag("modality", "differs", claim[deed[0]:deed[1]], evidence[a:b].strip(), deed, (a, b))]
    for _, span in _deeds(claim):
        # What the claim says was found, the passage says is still looked for: "detected hydrogen" against "a search
        # for hydrogen is under way".
        thing = next((w for w in _WORD.finditer(claim, span[1]) if w.group(0).islower() and len(w.group(0)) > 3
                      and w.group(0) not in _CONTEXT_STOP | _LINK_WORDS), None)
        sought = [i for i, s in enumerate(stems) if thing and s == _stem(thing.group(0))]
        # "Divers searching for the bodies recovered them": the deed told after the search is the search's end.
        deed = _stem(claim[span[0]:span[1]])
        ended = sought and any(_told_as_done(w.group(0)) and _stem(w.group(0)) == deed
                               for w in words[sought[0]:]
                               if w.start() < _sentence_of(evidence, words[sought[0]].start())[1])
        if sought and not ended and all(_SOUGHT.search(evidence, max(0, words[i].start() - 30), words[i].start())
                                        for i in sought):
            where = words[sought[0]]
            cue = _SOUGHT.search(evidence, max(0, where.start() - 30), where.start())
            return [Flag("modality", "differs", claim[span[0]:span[1]], evidence[cue.start():where.end()], span,
                         (cue.start(), where.end()))]
    for stem, span in _deeds(claim):
        # The deed itself, or its doer named ("won" and "will name the winners"), or what it was done to.
        places = [i for i, s in enumerate(stems) if s in (stem, stem + stem[-1:] + "er")
                  and not _other_particle(claim, span, evidence, words[i])]
        reach, near = 4, 4
        if not places:
            places = _object_places(claim, span, stems)
            # What was asked for may stand further from the asking than a deed from its plan word: "asked the
            # U.S. Food and Drug Administration for emergency use authorisation" (``_REQUEST``).
            reach = 12
        if not places:
            # The place stands after the verb the plan word governs and its object: "would invite the team to".
            places, near = _place_of_deed(claim, span, stems), 6
            # A plan told as past ("days after saying she would go to Port Amal") was the prelude to a deed the
            # passage tells in other words ("reached the besieged city"), not the passage's last word on it.
            places = [i for i in places if not _TOLD_BEFORE.search(evidence, max(0, words[i].start() - 60),
                                                                    words[i].start())]
        hedged = [(i, _hedge_of(words, i, reach, near)) for i in places]
        if hedged and all(cue for _, cue in hedged):
            where, cue = words[hedged[0][0]], hedged[0][1]
            start, end = min(cue.start(), where.start()), max(cue.end(), where.end())
            return [Flag("modality", "differs", claim[span[0]:span[1]], evidence[start:end], span, (start, end))]
    return []


_PARTICLE = re.compile(r"\s+(over|up|out|off|down|back|away)\b(?!\s+(?:the|a|an|its|their|his|her)\b)",
                       re.IGNORECASE)


def _other_particle(claim: str, span: tuple[int, int], evidence: str, word: re.Match) -> bool:
    """The passage's verb takes a particle the claim's does not, and so is another verb: "handed over" (extradited)
    is not "handed life terms", "called off" is not "called"."""
    theirs = _PARTICLE.match(evidence, word.end())
    if not theirs:
        return False
    mine = _PARTICLE.match(claim, span[1])
    return not (mine and mine.group(1).lower() == theirs.group(1).lower())


_TOLD_BEFORE = re.compile(r"\b(?:after|since)\s+(?:\w+\s+){0,2}?(?:saying|promising|pledging|vowing)\b[^,.;]*$",
                          re.IGNORECASE)
_SOUGHT = re.compile(r"\b(?:search(?:es|ing)?|look(?:s|ing)?|hunt(?:s|ing)?|test(?:s|ing)?|scan(?:s|ning)?|"
                     r"prob(?:e|es|ing))\s+for\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_ENDS_PHRASE = {"with", "to", "for", "of", "in", "on", "at", "by", "from", "under", "over", "after", "before", "and",
                "that", "which", "who", "as", "into", "against", "between"}


def _object_places(claim: str, deed: tuple[int, int], stems: list[str]) -> list[int]:
    """Where the passage names what the claim's deed was done to, when it does not name the deed: "has approved
    Volkswagen's final settlement" against "a final settlement is expected to be filed". The noun of the deed's
    object is the last lower-case word of the noun phrase after the verb."""
    counted = [q.span for q in quantities(claim)]  # "earmarked 6.5 billion euros": a sum, compared as one
    phrase: list[str] = []
    position = deed[1]
    for w in list(_WORD.finditer(claim, deed[1]))[:5]:
        word = w.group(0)
        if re.search(r"[,.;:]", claim[position:w.start()]) or (phrase and word.lower() in _ENDS_PHRASE):
            break  # the object's noun phrase ends at a preposition or a comma: "the settlement with regulators"
        position = w.end()
        if not any(a <= w.start() < b for a, b in counted):
            phrase.append(word)
    nouns = [w for w in phrase if w.islower() and len(w) > 3 and w not in _CONTEXT_STOP | _LINK_WORDS]
    if not nouns and phrase and all(w[0].isupper() for w in phrase) and len(phrase) > 1:
        # A named object ("has established Great British Energy"): where the passage names it, from its first word.
        named = [_stem(w) for w in phrase]
        return [i for i in range(len(stems) - len(named) + 1) if stems[i:i + len(named)] == named]
    if not nouns:
        return []
    stem = _stem(nouns[-1])
    return [i for i, s in enumerate(stems) if s == stem]


def _place_of_deed(claim: str, deed: tuple[int, int], stems: list[str]) -> list[int]:
    """Where the passage names the place the claim's deed was done at, a name of two words or more after "at", "in"
    or "to" in the deed's clause: "has hosted the champion Cubs at the White House" against "said he would invite
    the team to the White House"."""
    clause = re.split(r"[,;:.]\s", claim[deed[1]:], maxsplit=1)[0]
    for name, (start, _) in names(clause):
        named = [_stem(w.group(0)) for w in _WORD.finditer(name)]
        if len(named) > 1 and re.search(r"\b(?:at|in|to|into)\s+(?:the\s+)?$", clause[:start]):
            return [i for i in range(len(stems) - len(named) + 1) if stems[i:i + len(named)] == named]
    return []


_TO_COME = {"is", "are", "was", "were", "yet", "due", "set", "about"}  # "is due to end", "is set to leave"


def _to_come(words: list[re.Match], i: int) -> re.Match | None:
    """The "to" that makes the passage's word ``i`` a deed to come: "is to step down", "ordered a trial to be
    held", "has yet to sign"."""
    before = [w.group(0).lower() for w in words[max(0, i - 2):i]]
    if len(before) == 2 and before[1] == "to" and before[0] in _TO_COME:
        return words[i - 1]
    if len(before) == 2 and before == ["to", "be"]:
        return words[i - 2]
    return None


# Asking for a thing is not being given it; the thing asked for may stand far from the asking.
_REQUEST = re.compile(r"(?:ask|request|seek|sought|appl(?:y|ie))\w*", re.IGNORECASE)
_WAY_FOR = re.compile(r"\b(?:(?:clear|pav)(?:e|es|ed|ing|s)?\s+the\s+way\s+for|open(?:s|ed|ing)?\s+the\s+door['’\"”]?"
                      r"\s+to)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)


def _hedge_of(words: list[re.Match], i: int, reach: int = 4, near: int = 4) -> re.Match | None:
    """The plan word that governs the passage's word ``i``: one of the ``reach`` words before it ("asked a judge to
    sentence") in the same clause with no deed told between, or, for a word not itself told as done, one of the two
    after it ("his sentencing is scheduled"). Beyond ``near`` words only a request governs."""
    text = words[i].string
    before = None
    for j in range(i - 1, max(-1, i - reach - 1), -1):
        if re.search(r"[,;:]", text[words[j].end():words[j + 1].start()]):
            break
        if _hedge(words[j]) and (j >= i - near or _REQUEST.fullmatch(words[j].group(0))):
            before = words[j]
            break
        if j < i - near and _told_as_done(words[j].group(0)):
            break
    before = before or _to_come(words, i)
    if not before:
        # "clearing the way for the lifting of sanctions", "opens the door to approval": still to come.
        text = words[i].string
        way = _WAY_FOR.search(text, max(0, words[i].start() - 40), words[i].start())
        before = next((w for w in words[max(0, i - 6):i] if way and w.start() == way.start()), None)
    if before or _told_as_done(words[i].group(0)):
        return before
    return next((w for w in words[i + 1:i + 3] if _hedge(w)), None)


_NOW = re.compile(r"\b(?:will|won't|is to|are to|plans? to|expects? to|is set to|are set to)\b|"
                  r"\b(?:has|have)\s+(?:\w+\s+){0,2}?\w+(?:ed|en)\b", re.IGNORECASE)


def places_in_time(claim: str) -> bool:
    """The claim says when it happened: it names a date, or tells a past deed ("pledged", "saved"). One about the
    present or the future ("will visit", "has accepted", "no date has been announced") does not."""
    if dates(claim) or re.search(r"\b(?:did|was|were)(?:n't)?\b", claim, re.IGNORECASE):
        return True  # "did not save", "was severed": told in the past
    return not _NOW.search(claim) and bool(_deeds(claim))


def tells_deed(claim: str) -> bool:
    """The claim states something as done (a verb in the past tense, not under a plan word)."""
    return bool(_deeds(claim))


def shares_deed(claim: str, evidence: str) -> bool:
    """The passage uses a verb the claim states as done ("launched" and "launch"), or one of its kin ("abandoned its
    takeover" and "called off its acquisition"): the same kind of event."""
    stems = {_stem(w.group(0)) for w in _WORD.finditer(evidence)}
    mine = {stem for stem, _ in _deeds(claim)}
    if mine & stems:
        return True
    return bool(_kin_of(mine, claim) & _kin_of(stems, evidence))


def _kin_of(stems: set[str], text: str) -> set[str]:
    """The kinds of deed (``_KIN``) that verb stems of ``text``, or its phrases ("called off", "stepped down"), tell."""
    return {_KIN[stem] for stem in stems if stem in _KIN} | {kind for kind, p in _KIN_PHRASES.items() if p.search(text)}


def _kin_deed(theirs: str, mine: str) -> bool:
    """Two verb stems tell one deed: the same stem, or kin ("killed" and "murdered", "scrapped" and "abandoned")."""
    return theirs == mine or (theirs in _KIN and _KIN[theirs] == _KIN.get(mine))


# Verbs, and phrasal verbs, that tell one kind of deed in news copy: for whether two passages tell the same event,
# and for a plan told with the deed's kin ("is scheduled to launch" for "have lifted off").
_KIN = {**dict.fromkeys(("abandon", "scrap", "shelv", "cancel", "terminat"), "abandon"),
        **dict.fromkeys(("acquir", "buy", "purchas"), "acquire"),
        **dict.fromkeys(("kill", "murder", "assassinat", "slay"), "kill"),
        **dict.fromkeys(("resign", "quit"), "resign"),
        **dict.fromkeys(("arrest", "detain"), "arrest"),
        "launch": "launch"}
_KIN_PHRASES = {"abandon": re.compile(r"\b(?:call(?:s|ed|ing)?\s+off|pull(?:s|ed|ing)?\s+out|walk(?:s|ed|ing)?\s+away|"
                                      r"back(?:s|ed|ing)?\s+out)\b", re.IGNORECASE),
                "resign": re.compile(r"\b(?:step(?:s|ped|ping)?|stood|stands?)\s+down\b", re.IGNORECASE),
                "launch": re.compile(r"\b(?:lift(?:s|ed|ing)?|blast(?:s|ed|ing)?)\s+off\b", re.IGNORECASE)}


def tells_same_deed(claim: str, evidence: str) -> bool:
    """The passage tells one of the claim's deeds as done: the claim's very word ("cut" and "cut") or a past form of
    its verb ("launched" for "has launched"); not a noun of the same stem ("a bold plan for tax cuts" is no telling
    of "has cut stamp duty")."""
    mine = {claim[a:b].lower() for _, (a, b) in _deeds(claim)}
    stems = {stem for stem, _ in _deeds(claim)}
    words = list(_WORD.finditer(evidence))
    return any(((_told_as_done(w.group(0)) and _stem(w.group(0)) in stems) or w.group(0).lower() in mine)
               and _done_here(words, i) for i, w in enumerate(words))


def _done_here(words: list[re.Match], i: int) -> bool:
    """The passage's word ``i`` is not under a plan word or a mood, nor a noun: not "expected to cut", "will be
    launched", "would be lit", "a quarter-point cut"."""
    before = [w.group(0).lower() for w in words[max(0, i - 2):i]]
    if not before:
        return True
    if before[-1] in _NOT_DONE_BEFORE or any(_hedge(v) for v in words[max(0, i - 2):i]):
        return False
    # "a quarter-point cut": a determiner and a describing word make a noun of it.
    return not (len(before) == 2 and "-" in before[1] and before[0] in {"a", "an", "the"})


# Words before a verb's form that make it no deed done: a plan or a mood.
_NOT_DONE_BEFORE = {"to", "be", "will", "would", "could", "may", "might", "should", "shall", "can", "must"}


# A plan told as dropped: "abandoned his plan to abolish", "scrapped plans to build", "dropped its bid to buy".
_PLAN_DROPPED = re.compile(r"\b(?:abandon(?:s|ed|ing)?|scrap(?:s|ped|ping)?|drop(?:s|ped|ping)?|shelv(?:e|es|ed|ing)|"
                           r"ditch(?:es|ed|ing)?|withdr(?:aw|ew|awn|awing)|revers(?:e|es|ed|ing)|cancel(?:s|l?ed|l?ing)?|"
                           r"call(?:s|ed|ing)?\s+off|back(?:s|ed|ing)?\s+away\s+from|U-turn(?:ed)?\s+on|"
                           r"end(?:s|ed|ing)|g[ai]ve\s+up)\s+"
                           r"(?:(?:the|a|an|his|her|its|their|our)\s+)?(?:\w+\s+)?(?:plans?|proposals?|bid|pledge|"
                           r"promise|decision|move|policy|attempts?|efforts?|offer)\s+to\s+(?P<verb>[a-z]+)",
                           re.IGNORECASE)


def drops_plan(claim: str, evidence: str) -> bool:
    """The passage tells a plan dropped whose deed the claim tells as going ahead: "Kwarteng abandoned his plan to
    abolish the 45p rate" against "the government would press ahead with abolishing the 45p rate". Not when the
    claim itself tells it dropped."""
    if _PLAN_DROPPED.search(claim):
        return False
    mine = _content(claim)
    return any(_stem(m["verb"]) in mine for m in _PLAN_DROPPED.finditer(evidence))


def own_words_told(claim: str, evidence: str) -> tuple[int, float]:
    """How many of the claim's own content words (its lower-case words, not its names) the passage uses too, and
    their share: how much of what the claim says was done or said, rather than by whom, the passage tells."""
    mine = _own_content(claim)
    shared = len(mine & _content(evidence))
    return shared, shared / len(mine) if mine else 0.0


def content_overlap(claim: str, evidence: str) -> float:
    """Share of the claim's content words (stemmed) that the passage uses too."""
    mine = _content(claim)
    return len(mine & _content(evidence)) / len(mine) if mine else 0.0
