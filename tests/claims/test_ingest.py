"""Reading articles: formats, boilerplate, metadata, and refusal of what is not an article."""

from __future__ import annotations

import pytest

from claims.ingest import MAX_ARTICLE_BYTES, ArticleError, article_from_text, read_article

pytestmark = pytest.mark.integration

CNN_STYLE = """World News

Minister accepts invitation to visit capital

Posted Updated

By
Ana Field, Tom Reyes
and
Lee Park (CNN)
(CNN) — The foreign minister will visit the capital next month, officials said on Monday.

The ministry said the visit was agreed in March.

Copyright 2024 by Example Network, Inc. All rights reserved.
"""


def _kept(article) -> str:
    text, cursor, out = article.text, 0, []
    for start, end in article.boilerplate:
        out.append(text[cursor:start])
        cursor = max(cursor, end)
    out.append(text[cursor:])
    return "".join(out)


@pytest.mark.unit
def test_boilerplate_is_skipped_and_metadata_kept():
    article = article_from_text(CNN_STYLE)
    kept = _kept(article)
    assert article.title == "Minister accepts invitation to visit capital"
    assert article.outlet == "CNN"
    for furniture in ("World News", "Posted", "Ana Field", "Lee Park", "(CNN) —", "Copyright"):
        assert furniture not in kept
    assert "The foreign minister will visit the capital next month" in kept


def test_offsets_point_into_the_text_as_given(extractor):
    article = article_from_text(CNN_STYLE)
    claims = extractor.extract(article)
    assert claims, "expected claims"
    for claim in claims:
        assert CNN_STYLE[claim.start : claim.end] == claim.text
    assert not any("Copyright" in c.text or "Lee Park" in c.text for c in claims)


@pytest.mark.unit
def test_html_is_parsed_not_regexed(tmp_path):
    page = tmp_path / "a.html"
    page.write_text(
        "<html><head><title>T</title><meta property='og:site_name' content='Daily Example'>"
        "<link rel='canonical' href='https://daily.example/world/ministers-meet'>"
        "<meta property='article:published_time' content='2018-04-10T09:00:00Z'>"
        "<script>var x = '<p>not text</p>';</script></head><body><nav>Home | World</nav>"
        "<h1>Ministers meet</h1><p>The ministers met in Moscow on Tuesday &amp; agreed a plan.</p>"
        "<aside>Share on Facebook</aside><p>They will meet again in May.</p></body></html>",
        encoding="utf-8",
    )
    article = read_article(page)
    assert article.title == "Ministers meet"
    assert article.outlet == "Daily Example"
    assert article.url == "https://daily.example/world/ministers-meet"
    assert str(article.published) == "2018-04-10"
    # Only an http(s) address is kept as the article's link: the export shows it as one.
    hostile = article_from_text("<html><head><link rel='canonical' href='javascript:alert(1)'></head>"
                                "<body><p>The ministers met on Tuesday.</p></body></html>")
    assert hostile.url == ""
    assert "not text" not in article.text and "Home | World" not in article.text
    assert "The ministers met in Moscow on Tuesday & agreed a plan." in article.text


@pytest.mark.parametrize(("text", "expected"), [
    ("WASHINGTON, April 10, 2018 — The minister said the talks went well.\n", "2018-04-10"),
    ("LONDON, 10 April 2018 (Reuters) - The minister said the talks went well.\n", "2018-04-10"),
    ("By Jane Doe\nApr. 10, 2018\n\nThe minister said the talks went well on Tuesday.\n", "2018-04-10"),
    ("Published: 10 April 2018\n\nThe minister said the talks went well on Tuesday.\n", "2018-04-10"),
    ("Updated 1:03 PM ET, Tue April 10, 2018\n\nThe minister said the talks went well.\n", "2018-04-10"),
    # A date in the body is what the article reports, not when it was published.
    ("MOSCOW (Reuters) - The minister said on April 10, 2018 that the talks went well.\n", None),
    ("The minister said the talks of May 3, 2017 went well, officials said.\n", None),
])
def test_a_publication_date_is_found_in_a_dateline_or_a_date_line_never_in_the_body(text, expected):
    published = article_from_text(text).published
    assert (published.isoformat() if published else None) == expected


@pytest.mark.unit
def test_a_web_pages_date_comes_from_its_metadata_not_its_body():
    json_ld = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
               '"2018-04-10T09:00:00Z"}</script></head><body><article><h1>Ministers meet</h1>'
               "<p>The ministers met in Moscow on Tuesday, as they had on May 3, 2017.</p></article></body></html>")
    assert str(article_from_text(json_ld).published) == "2018-04-10"
    body_only = "<html><body><p>The ministers met in Moscow on Tuesday, May 3, 2017, officials said.</p></body></html>"
    assert article_from_text(body_only).published is None


@pytest.mark.unit
def test_markdown_front_matter(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Talks\noutlet: Example Post\ndate: 2018-04-10\n---\nThe talks ended on Tuesday.\n")
    article = read_article(path)
    assert (article.title, article.outlet, str(article.published)) == ("Talks", "Example Post", "2018-04-10")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 au lait".encode("latin-1"), "UTF-8"),
        (b"x" * (MAX_ARTICLE_BYTES + 1), "limit"),
    ],
)
def test_bad_input_gets_a_one_line_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.unit
def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(ArticleError, match="folder"):
        read_article(tmp_path)


@pytest.mark.unit
def test_a_page_reads_the_same_checked_as_an_article_and_indexed_in_a_corpus(tmp_path):
    from retrieval.corpus import load_corpus

    folder = tmp_path / "corpus"
    folder.mkdir()
    page = folder / "port.html"
    page.write_text(
        "<html><head><title>Port reopens | Valley Post</title><meta property='og:title' content='Port reopens'>"
        "<meta property='og:site_name' content='Valley Post'><link rel='canonical' href='https://valley.example/port'>"
        "<meta property='article:published_time' content='2024-02-03T08:00:00Z'></head><body>"
        "<nav><a href='/'>Home</a> Subscribe to our newsletter</nav><article><h1>Port reopens</h1>"
        "<p>The port of Karsby reopened on Saturday after a storm closed it for three days, the harbour authority "
        "said.</p><p>Ships queued outside the harbour overnight, and the first ferry left at 6 am, officials said."
        "</p></article><footer>All rights reserved</footer></body></html>", encoding="utf-8")
    article = read_article(page)
    documents, problems = load_corpus(folder)
    assert not problems and len(documents) == 1
    document = documents[0]
    assert article.text == document.text and "\n\nShips queued" in article.text  # the page's paragraphs kept
    assert "Subscribe" not in article.text and "All rights reserved" not in article.text
    assert (article.title, article.outlet, article.url) == (document.title, document.source, document.url)
    assert article.published == document.date and str(article.published) == "2024-02-03"


@pytest.mark.unit
def test_a_page_with_no_story_is_one_line():
    with pytest.raises(ArticleError) as caught:
        article_from_text("<html><body><script>x()</script><img src=a.png></body></html>", origin="p.html")
    assert str(caught.value).startswith("p.html: ") and "\n" not in str(caught.value)


@pytest.mark.unit
def test_a_date_only_in_the_body_is_not_the_pages_and_a_fragment_is_a_page():
    from common.pages import metadata_date

    body = "<html><body><article><p>The dam, built on 2019-03-14, failed.</p><p>More.</p></article></body></html>"
    assert metadata_date(body) is None
    dated = body.replace("<body>", "<head><meta property='article:published_time' content='2024-05-02T08:00:00Z'>"
                                   "</head><body>")
    assert str(metadata_date(dated)) == "2024-05-02"
    article = article_from_text("<article><p>The mayor of Varna resigned on Monday after a vote of no confidence, "
                                "the city council said.</p></article>")
    assert article.text.startswith("The mayor of Varna resigned on Monday")
