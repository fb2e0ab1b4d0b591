"""Read an article from a file or pasted text, refusing what is not a readable article.

HTML goes through the standard library's HTML parser (a real tokenizer, not regex), which keeps the
text of block elements and drops scripts, styles, navigation and share widgets.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from claims.clean import find_boilerplate
from claims.types import Article
from common.language import ENGLISH, detect

MAX_ARTICLE_BYTES = 2_000_000  # ~300k words; longer input is almost certainly not one article


class ArticleError(ValueError):
    """Input that cannot be read as an article. The message is meant for the analyst, on one line."""


def decode_article_bytes(raw: bytes, name: str) -> str:
    if not raw.strip():
        raise ArticleError(f"{name}: the file is empty; give an article with some text")
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"{name}: {len(raw):,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit for one article; split it"
        )
    if b"\x00" in raw[:8192]:
        raise ArticleError(f"{name}: this looks like a binary file, not text; give a .txt, .md or .html article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{name}: not valid UTF-8 (byte {exc.start}); re-save the article as UTF-8"
        ) from None


def read_article(path: str | Path, published: date | None = None) -> Article:
    path = Path(path)
    if not path.exists():
        raise ArticleError(f"{path}: no such file")
    if path.is_dir():
        raise ArticleError(f"{path}: is a folder; give one article file")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ArticleError(
            f"{path}: {size:,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit for one article; split it"
        )
    text = decode_article_bytes(path.read_bytes(), str(path))
    is_html = path.suffix.lower() in {".html", ".htm"}
    return article_from_text(text, origin=str(path), html=is_html, published=published)


FETCH_TIMEOUT_SECONDS = 20


def is_address(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def fetch_article(url: str, published: date | None = None) -> Article:
    """The page at ``url`` (http or https only), read like a saved page. Only when the analyst names the address:
    the product fetches nothing on its own. Capped at the article size limit and FETCH_TIMEOUT_SECONDS."""
    import urllib.error
    import urllib.request
    from dataclasses import replace

    if not is_address(url):
        raise ArticleError(f"{url}: not an http(s) address")
    request = urllib.request.Request(url, headers={"User-Agent": "Claimdesk (fact-checking workbench)"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as answer:
            raw = answer.read(MAX_ARTICLE_BYTES + 1)
            kind = answer.headers.get_content_type()
            charset = answer.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise ArticleError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ArticleError(f"{url}: cannot fetch ({reason}); check the address or the network, or save the page "
                           "and give the file") from None
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"{url}: over the {MAX_ARTICLE_BYTES:,}-byte limit for one article")
    if kind not in {"text/html", "application/xhtml+xml", "text/plain", "text/markdown"}:
        raise ArticleError(f"{url}: the server sent {kind}, not a web page or text")
    if charset and charset.lower().replace("-", "") not in {"utf8", "usascii"}:
        try:
            raw = raw.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            raise ArticleError(f"{url}: the page says it is {charset} but does not decode as that") from None
    article = article_from_text(decode_article_bytes(raw, url), origin=url, html=kind != "text/plain" and
                                kind != "text/markdown", published=published)
    return article if article.url else replace(article, url=url)


def article_from_text(
    text: str, origin: str = "pasted", html: bool | None = None, published: date | None = None
) -> Article:
    if html is None:
        html = bool(re.match(r"\s*(<!doctype html|<html|<body|<article|<p[\s>])", text, re.IGNORECASE))
    meta: dict[str, str] = {}
    markup = text if html else ""
    if html:
        text, meta = html_to_text(text)
    else:
        text, meta = split_front_matter(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError(f"{origin}: no article text found")
    language = detect(text)
    if language and language[0] != ENGLISH:
        code, name, confidence = language
        raise ArticleError(f"{origin}: the article reads as {name} ({code}, confidence {confidence:.2f}); Claimdesk "
                           "checks English articles only, because its language models read English only")
    found = find_boilerplate(text)
    when = published or parse_date(meta.get("date", "")) or (markup and page_date(markup)) or found.published
    return Article(
        id=Article.make_id(text),
        text=text,
        title=meta.get("title", "") or found.headline,
        outlet=meta.get("outlet", "") or meta.get("source", "") or found.outlet,
        published=when,
        origin=origin,
        url=web_address(meta.get("url", "")),
        boilerplate=tuple(found.spans),
    )


def web_address(value: str) -> str:
    """An http(s) address, or nothing: exports show it as a link, so nothing else may pass for one (an article's
    address here, a corpus passage's in ``review.export``)."""
    value = (value or "").strip()
    return value if re.match(r"https?://[^\s<>\"']+$", value, re.IGNORECASE) else ""


def page_date(markup: str) -> date | None:
    """A web page's publication date from its metadata (JSON-LD, Open Graph and other meta tags, <time>, the
    page's own URL) through htmldate, which reads only the markup given; never a date from the body text, which is
    more often the date of what the article reports than of the article."""
    from htmldate import find_date

    try:
        found = find_date(markup, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a page htmldate cannot read has no date from it, and that is all
        return None
    return parse_date(found or "")


def parse_date(value: str) -> date | None:
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[str, dict[str, str]]:
    """``---`` delimited ``key: value`` lines at the top (Markdown convention). Offsets then count from the body."""
    text = text.replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, {}
    meta = {}
    for line in match[1].splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return text[match.end() :], meta


class _ArticleHTML(HTMLParser):
    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "section", "article",
              "header", "br", "tr", "figcaption", "time"}
    SKIP = {"script", "style", "noscript", "nav", "footer", "aside", "form", "button", "svg", "iframe",
            "template", "select", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.meta: dict[str, str] = {}
        self._in_title = False
        self._in_h1 = False
        self._h1: list[str] = []
        self._title: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or "").lower()
            if key in {"og:site_name", "publisher"}:
                self.meta["outlet"] = attributes.get("content", "")
            elif key in {"article:published_time", "date", "pubdate", "datepublished"}:
                self.meta["date"] = attributes.get("content", "")
            elif key == "og:url":
                self.meta.setdefault("url", attributes.get("content", ""))
        if tag == "link" and "canonical" in (attributes.get("rel") or "").lower().split():
            self.meta["url"] = attributes.get("href", "")
        if tag == "title":
            self._in_title = True
        if tag in self.SKIP and tag != "head":
            self.skipping += 1
        elif tag == "h1":
            self._in_h1 = True
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP and tag != "head" and self.skipping:
            self.skipping -= 1
        if tag == "h1":
            self._in_h1 = False
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self._title.append(data)
            return
        if self.skipping:
            return
        if self._in_h1:
            self._h1.append(data)
        self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    parser = _ArticleHTML()
    parser.feed(markup)
    parser.close()
    raw = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in raw.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    meta = dict(parser.meta)
    title = " ".join("".join(parser._h1).split()) or " ".join("".join(parser._title).split())
    if title:
        meta["title"] = title
    return text, meta
