"""Read an article from a file or pasted text, refusing what is not a readable article.

A web page (saved, pasted or fetched) goes through the extractor the corpus reads pages with (``common.pages``:
trafilatura for the main text, title, outlet and address, htmldate for the date in its metadata), so a story gives
the same text whether it is checked or searched.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from claims.clean import find_boilerplate
from claims.types import Article
from common.language import ENGLISH, detect
from common.pages import PageError, read_page, web_address

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
    if html:
        try:
            page = read_page(text, origin if is_address(origin) else "")
        except PageError as exc:
            raise ArticleError(f"{origin}: {exc}") from None
        text = page.text
        meta = {"title": page.title, "outlet": page.outlet, "url": page.url,
                "date": page.published.isoformat() if page.published else ""}
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
    when = published or parse_date(meta.get("date", "")) or found.published
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
