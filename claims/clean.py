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
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .,'-]{1,40}\s*)?(?:\((?P<outlet>[A-Za-z][\w .&'-]{0,30})\))?\s*[—–-]{1,2}\s+(?=\S)"
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


def _date_in(line: str) -> date | None:
    iso = re.search(r"(\d{4})-(\d{2})-(\d{2})", line)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    words = re.search(r"([A-Z][a-z]+)\.? (\d{1,2}),? (\d{4})", line)
    if words and words[1].lower() in _MONTHS:
        try:
            return date(int(words[3]), _MONTHS[words[1].lower()], int(words[2]))
        except ValueError:
            return None
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
        if dateline and (dateline["outlet"] or line[: dateline.end()].strip(" —–-").isupper()):
            found.spans.append((lead, lead + dateline.end()))
            if dateline["outlet"]:
                found.outlet = found.outlet or dateline["outlet"].strip()
            seen_body = True
            continue
        if not seen_body and not _looks_like_sentence(line):
            # Above the first sentence, a short line is a section label or the headline.
            if not found.headline and len(line.split()) >= 4:
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
