"""A saved or fetched web page read as a news story: one extractor for both the article an analyst checks and the
pages of the corpus it is checked against, so that a story reads the same whichever side it is on.

The main text comes from trafilatura (navigation, share widgets, comments and related-story lists dropped), with
the page's title, site name (the outlet), author and address. Paragraphs are separated by a blank line, as in a
pasted article, so that claim segmentation and passage splitting see the page's own paragraphs.

The publication date comes only from the page's metadata (JSON-LD, Open Graph and other meta tags, <time>, the
page's own address), read by htmldate without its search of the body text: a date in the body is more often the
date of what the story reports than of the story, and taking it would let later reporting through the temporal
guard as if it were older.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

MAX_PAGE_BYTES = 5_000_000  # a saved news page is well under this; a larger file is not one page

# Why a page gave no story, in the words the corpus report counts by.
UNREADABLE, EMPTY = "unreadable file", "no text"


class PageError(ValueError):
    """A page that gives no story. The message is one line for the analyst; ``kind`` says which of UNREADABLE or
    EMPTY, for the corpus report's counts."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Page:
    text: str
    title: str = ""
    outlet: str = ""
    author: str = ""
    published: date | None = None
    url: str = ""  # an http(s) address or nothing: it is shown as a link


def read_page(markup: bytes | str, address: str = "") -> Page:
    """The story on a web page; ``address`` is where it came from (a fetched URL, a web archive record's target),
    used when the page does not name its own canonical address."""
    import trafilatura

    # A broken page is reported by the caller as a problem of its file; the parser's own log lines are only noise.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    size = len(markup) if isinstance(markup, bytes) else len(markup.encode("utf-8", "replace"))
    if size > MAX_PAGE_BYTES:
        raise PageError(f"{size:,} bytes, over the {MAX_PAGE_BYTES:,} limit for one page", UNREADABLE)
    if isinstance(markup, str) and not re.search(r"<(?:html|body)[\s>]", markup[:5000], re.IGNORECASE):
        markup = f"<html><body><div>{markup}</div></body></html>"  # a pasted fragment ("<article><p>...")
    try:
        # Parsed once: the date is read from the tree before extraction, which works on its own cleaned copy.
        tree = trafilatura.load_html(markup)
        if tree is None:
            raise PageError("not a web page (no HTML could be parsed)", UNREADABLE)
        published = metadata_date(tree)
        found = trafilatura.bare_extraction(tree, with_metadata=True, favor_precision=True, include_comments=False,
                                            include_tables=False)
    except PageError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser failure on one hostile page must be one line, not a trace
        raise PageError(f"cannot parse the page ({type(exc).__name__})", UNREADABLE) from None
    fields = found.as_dict() if hasattr(found, "as_dict") else (found or {})
    title = " ".join((fields.get("title") or "").split())
    paragraphs = [" ".join(line.split()) for line in (fields.get("text") or "").splitlines()]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline is the title, not a paragraph of the story
    if not paragraphs:
        raise PageError("no article text found in the page", EMPTY)
    return Page(
        text="\n\n".join(paragraphs) + "\n",
        title=title,
        outlet=" ".join((fields.get("sitename") or "").split()),
        author=" ".join((fields.get("author") or "").split()),
        published=published,
        url=web_address(str(fields.get("url") or "")) or web_address(address),
    )


def metadata_date(markup) -> date | None:
    """A page's publication date from its metadata only (see the module's note), or None. ``markup``: the page's
    bytes, text or parsed lxml tree."""
    from htmldate import find_date

    try:
        found = find_date(markup, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a page htmldate cannot read has no date from it, and that is all
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})$", found or "")
    if not match:
        return None
    try:
        when = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    # htmldate falls back on the page's text when the metadata gives nothing ("built on 2019-03-14" in the body):
    # a date is kept only where the metadata writes it.
    return when if _in_metadata(markup, when) else None


def _in_metadata(markup, when: date) -> bool:
    """The date is written in the page's meta tags, <time> attributes, JSON-LD or its own address."""
    from lxml import html as lxml_html

    try:
        tree = markup if hasattr(markup, "iter") else lxml_html.fromstring(markup)
    except Exception:  # noqa: BLE001 - unparsable markup has no metadata to trust
        return False
    forms = {when.isoformat(), when.strftime("%Y/%m/%d"), when.strftime("%Y%m%d")}
    places = [" ".join(str(v) for v in el.attrib.values()) for el in tree.iter("meta", "time", "link")]
    places += [el.text or "" for el in tree.iter("script") if "json" in (el.get("type") or "").lower()]
    return any(form in place for place in places for form in forms)


def web_address(value: str) -> str:
    """An http(s) address, or nothing: exports and cards show it as a link, so nothing else may pass for one."""
    value = (value or "").strip()
    return value if re.match(r"https?://[^\s<>\"']+$", value, re.IGNORECASE) else ""
