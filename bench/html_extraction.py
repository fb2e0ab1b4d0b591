"""Extraction quality of saved web pages read as corpus documents (``retrieval.corpus``, through trafilatura).

    .venv/bin/python bench/html_extraction.py [--pages 80]

Pages are generated (seeded) from four layouts that news sites use: an <article> with Open Graph metadata; a
<div> layout with JSON-LD NewsArticle metadata; a page with a comment thread and "related stories"; a page whose
date is only in a <time> element, with a sidebar. Each carries navigation, a cookie banner and a footer. A page
is right on a field when: title = the headline; date = the publication date; main text = every story paragraph
present and no boilerplate string (navigation, banner, footer, comments, related links) present. Reported: the
share right per field and for all three, the wrong pages, and the pages per second of ``load_corpus``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SUBJECTS = ["The harbour authority", "The city council", "The regional health board", "The finance ministry",
            "The national weather service", "The transport agency", "The water board", "The university"]
VERBS = ["said on Monday that", "announced on Tuesday that", "confirmed late on Friday that",
         "told reporters that", "said in a statement that"]
FACTS = ["the port would reopen after three days of storms", "spending on roads would rise by 12 percent",
         "waiting times had fallen for the first time in two years", "the budget gap had narrowed to 1.4 billion",
         "the river had reached its highest level since 1998", "two new tram lines would open by 2027",
         "the reservoir stood at 61 percent of capacity", "enrolment had grown by 3,200 students"]
EXTRA = ["Officials said the figures would be reviewed in the spring.", "Critics said the plan came too late.",
         "The decision followed weeks of talks with unions.", "No date has been set for a second vote.",
         "The opposition called for an independent inquiry.", "Residents were told to expect delays."]
BOILERPLATE = ["Subscribe to our newsletter", "We use cookies to improve your experience", "All rights reserved",
               "Most read this week", "Log in to comment"]
COMMENTS = ["Great reporting, thanks!", "This is exactly what I expected from them."]
RELATED = ["Related: Council votes on parking fees", "Related: Storm damage in the valley"]


def story(rng: random.Random) -> tuple[str, list[str], date]:
    headline = f"{rng.choice(SUBJECTS).replace('The ', '')} says {rng.choice(FACTS)}".capitalize()
    paragraphs = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(FACTS)}." for _ in range(rng.randint(2, 4))]
    paragraphs += rng.sample(EXTRA, 2)
    return headline, paragraphs, date(2023, 1, 1) + timedelta(days=rng.randint(0, 700))


def page(layout: int, headline: str, paragraphs: list[str], day: date) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    chrome_top = (f"<nav><a href='/'>Home</a> <a href='/news'>News</a> {BOILERPLATE[0]}</nav>"
                  f"<div class='cookie'>{BOILERPLATE[1]}</div>")
    chrome_bottom = f"<footer>{BOILERPLATE[2]}. <a href='/about'>About</a></footer>"
    title = f"<title>{escape(headline)} | Valley Post</title>"
    if layout == 0:
        head = (f"{title}<meta property='og:title' content='{escape(headline)}'>"
                f"<meta property='og:site_name' content='Valley Post'>"
                f"<meta property='article:published_time' content='{day.isoformat()}T07:30:00Z'>")
        main = f"<article><h1>{escape(headline)}</h1>{body}</article>"
    elif layout == 1:
        meta = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
                "datePublished": day.isoformat(), "publisher": {"@type": "Organization", "name": "Valley Post"}}
        head = f"{title}<script type='application/ld+json'>{json.dumps(meta)}</script>"
        main = f"<div class='story'><h1 class='headline'>{escape(headline)}</h1><div class='body'>{body}</div></div>"
    elif layout == 2:
        head = (f"{title}<meta name='date' content='{day.isoformat()}'>"
                f"<meta property='og:site_name' content='Valley Post'>")
        comments = "".join(f"<div class='comment'>{c}</div>" for c in COMMENTS)
        related = "".join(f"<li><a href='/r'>{r}</a></li>" for r in RELATED)
        main = (f"<main><article><h1>{escape(headline)}</h1>{body}</article>"
                f"<section class='comments'><h2>{BOILERPLATE[4]}</h2>{comments}</section>"
                f"<aside><h3>{BOILERPLATE[3]}</h3><ul>{related}</ul></aside></main>")
    else:
        head = title
        main = (f"<div id='content'><h1>{escape(headline)}</h1>"
                f"<p class='byline'>By Ana Ruiz · <time datetime='{day.isoformat()}'>{day:%d %B %Y}</time></p>"
                f"{body}</div><div class='sidebar'><h3>{BOILERPLATE[3]}</h3>"
                + "".join(f"<a href='/r'>{r}</a>" for r in RELATED) + "</div>")
    return (f"<!doctype html><html><head><meta charset='utf-8'>{head}</head>"
            f"<body>{chrome_top}{main}{chrome_bottom}</body></html>")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=80)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from retrieval.corpus import load_corpus

    rng = random.Random(args.seed)
    expected = {}
    with tempfile.TemporaryDirectory() as folder:
        for n in range(args.pages):
            headline, paragraphs, day = story(rng)
            (Path(folder) / f"page-{n:04d}.html").write_text(page(n % 4, headline, paragraphs, day), encoding="utf-8")
            expected[f"page-{n:04d}"] = (headline, paragraphs, day, n % 4)
        started = time.perf_counter()
        documents, problems = load_corpus(folder)
        seconds = time.perf_counter() - started
    found = {d.id: d for d in documents}
    right = {"title": 0, "date": 0, "text": 0, "all": 0}
    wrong = []
    for key, (headline, paragraphs, day, layout) in expected.items():
        doc = found.get(key)
        checks = {
            "title": bool(doc) and doc.title == headline,
            "date": bool(doc) and doc.date == day,
            "text": bool(doc) and all(p in doc.text for p in paragraphs) and not any(
                b in doc.text for b in BOILERPLATE + COMMENTS + RELATED),
        }
        checks["all"] = all(checks.values())
        for field, ok in checks.items():
            right[field] += ok
        if not checks["all"]:
            wrong.append({"page": key, "layout": layout, **{k: v for k, v in checks.items() if not v},
                          "title_found": doc.title if doc else None, "date_found": str(doc.date) if doc else None})
    report = {"pages": len(expected), "problems": [str(p) for p in problems],
              **{f"{field}_right": round(n / len(expected), 3) for field, n in right.items()},
              "pages_per_second": round(len(expected) / seconds, 1), "wrong": wrong[:10]}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
