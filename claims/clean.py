"""Find the parts of an article that are page furniture, not reporting.

Nothing is deleted: we return the spans to skip, so every claim keeps offsets into the text the
analyst gave. Headline, outlet and date found on the way become article metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from claims.types import Span

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}

_STAMP = re.compile(r"^(posted|updated|published|last updated|first published)\b[\s:]*", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^(copyright\b|©|\(c\)\s*\d{4})|all rights reserved", re.IGNORECASE)
_WIDGET = re.compile(
    r"^(share( this( article| story)?)?|tweet|email|facebook|twitter|whatsapp|linkedin|print|comments?|"
    r"advertisement|read more|related( articles?| stories)?:?|subscribe|sign up.*|follow us.*|"
    r"(facebook|twitter|email|whatsapp|linkedin|messenger)( (facebook|twitter|email|whatsapp|linkedin|"
    r"messenger))+)$",
    re.IGNORECASE,
)
# "(CNN) —", "MOSCOW (Reuters) -", "WASHINGTON —": a dateline prefix ahead of the first sentence.
# "WASHINGTON, April 10, 2018 —" and "LONDON, 10 April 2018 (Reuters) -" carry the date too.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .,'-]{1,40}?\s*)?"
    r"(?:,?\s*(?P<date>(?:[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})|(?:\d{1,2} [A-Z][a-z]{2,8}\.? \d{4}))\s*)?"
    r"(?:\((?P<outlet>[A-Za-z][\w .&'-]{0,30})\))?\s*[—–-]{1,2}\s+(?=\S)"
)
_BYLINE_OUTLET = re.compile(r"\((?P<outlet>[A-Za-z][\w .&'-]{0,30})\)\s*$")
_NAME = r"[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)*"
_NAME_LIST = re.compile(rf"^(?:and|{_NAME})(?:\s*(?:,|and)\s*{_NAME})*(?:\s*\([^)]{{1,30}}\))?\s*,?$")


@dataclass
class Boilerplate:
    spans: list[Span] = field(default_factory=list)
    headline: str = ""
    outlet: str = ""
    published: date | None = None


def _lines(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _looks_like_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?\"”']\s*$", line)) and len(line.split()) >= 5


def _month(name: str) -> int | None:
    """January, Jan, Jan. and Sept all name a month."""
    name = name.lower().rstrip(".")
    return _MONTHS.get(name) or next((n for full, n in _MONTHS.items() if len(name) >= 3 and full.startswith(name)),
                                     None)


def _date_in(line: str) -> date | None:
    """The first date written in ``line``: 2018-04-10, April 10, 2018 (or Apr. 10 2018), or 10 April 2018."""
    iso = re.search(r"(\d{4})-(\d{2})-(\d{2})", line)
    candidates = [(int(iso[1]), int(iso[2]), int(iso[3]))] if iso else []
    for found in re.finditer(r"\b([A-Z][a-z]{2,8})\.? (\d{1,2}),? (\d{4})\b", line):
        if _month(found[1]):
            candidates.append((int(found[3]), _month(found[1]), int(found[2])))
    for found in re.finditer(r"\b(\d{1,2}) ([A-Z][a-z]{2,8})\.?,? (\d{4})\b", line):
        if _month(found[2]):
            candidates.append((int(found[3]), _month(found[2]), int(found[1])))
    for year, month, day in candidates:
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def find_boilerplate(text: str) -> Boilerplate:
    found = Boilerplate()
    lines = list(_lines(text))
    in_byline = False
    seen_body = False
    for start, raw in lines:
        line = raw.strip()
        if not line:
            continue
        lead = start + (len(raw) - len(raw.lstrip()))
        end = lead + len(line)
        if _STAMP.match(line) or line.lower() in {"posted updated", "updated posted"}:
            found.spans.append((lead, end))
            found.published = found.published or _date_in(line)
            continue
        if _COPYRIGHT.search(line):
            found.spans.append((lead, end))
            continue
        if _WIDGET.match(line):
            found.spans.append((lead, end))
            continue
        if line == "By" or line.startswith("By "):
            in_byline = True
        if in_byline:
            if line == "By" or line.startswith("By ") or (_NAME_LIST.match(line) and len(line.split()) <= 10):
                found.spans.append((lead, end))
                outlet = _BYLINE_OUTLET.search(line)
                if outlet:
                    found.outlet = found.outlet or outlet["outlet"].strip()
                    in_byline = False
                continue
            in_byline = False
        dateline = _DATELINE.match(line)
        place = (dateline["place"] or "").strip(" ,") if dateline else ""
        if dateline and (dateline["outlet"] or (place and place.isupper())):
            found.spans.append((lead, lead + dateline.end()))
            if dateline["outlet"]:
                found.outlet = found.outlet or dateline["outlet"].strip()
            if dateline["date"]:
                found.published = found.published or _date_in(dateline["date"])
            seen_body = True
            continue
        if not seen_body and not _looks_like_sentence(line):
            # Above the first sentence, a short line is a section label, the headline, or the date on its own.
            when = _date_in(line) if len(line.split()) <= 8 else None
            if when:
                found.published = found.published or when
            elif not found.headline and len(line.split()) >= 4:
                found.headline = line
            found.spans.append((lead, end))
            continue
        seen_body = True
    _mark_repeated_standfirst(text, lines, found)
    found.spans.sort()
    return found


def _mark_repeated_standfirst(text: str, lines, found: Boilerplate) -> None:
    """A summary paragraph repeated word for word as the lede is one claim, not two: skip the first copy."""
    skipped = found.spans

    def body_of(start: int, raw: str) -> tuple[int, str]:
        begin = start
        for s, e in skipped:
            if s <= begin < e:
                begin = e
        return begin, text[begin : start + len(raw)].strip()

    bodies: dict[str, list[tuple[int, int]]] = {}
    for start, raw in lines:
        if not raw.strip():
            continue
        begin, body = body_of(start, raw)
        if len(body.split()) >= 6:
            bodies.setdefault(" ".join(body.split()), []).append((begin, start + len(raw)))
    for copies in bodies.values():
        for begin, end in copies[:-1]:
            if not any(s <= begin and end <= e for s, e in skipped):
                found.spans.append((begin, end))
