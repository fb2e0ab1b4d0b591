"""HTML for the dashboard, built only from escaped text.

Article and corpus text is data, never markup: every character of it passes through
``html.escape`` before it is placed between tags we write ourselves. Only these functions produce
the HTML that the views in ui/views/ hand to Streamlit with ``unsafe_allow_html``.
"""

from __future__ import annotations

import re
from html import escape

VERDICT_COLOURS = {"supported": "#c8e6c9", "conflicted": "#ffcdd2", "mixed": "#ffe0b2", "needs review": "#ffe0b2",
                   "no evidence": "#eceff1", "not covered": "#eceff1"}
STANCE_COLOURS = {"SUPPORTS": "#2e7d32", "REFUTES": "#c62828", "NOT_ENOUGH_INFO": "#607d8b"}
STANCE_WORDS = {"SUPPORTS": "supports", "REFUTES": "refutes", "NOT_ENOUGH_INFO": "not enough info"}
# The charts' colours for verdicts: the strong shade of the same scheme as the cards.
VERDICT_CHART_COLOURS = {"supported": "#2e7d32", "conflicted": "#c62828", "mixed": "#ef6c00",
                         "needs review": "#ef6c00", "no evidence": "#90a4ae", "not covered": "#cfd8dc"}
# What each passage does for the claim (verification/roles.py), in the analyst's words and the one colour scheme:
# support green, conflict red, needs an analyst amber, neutral grey.
ROLE_LABELS = {"support": ("supports the claim", "#2e7d32"), "conflict": ("contradicts the claim", "#c62828"),
               "refute": ("contradicts the claim (model's reading)", "#c62828"),
               "doubt": ("needs review: may be another event", "#ef6c00"),
               "plan": ("a plan or a possibility, not the deed", "#607d8b"),
               "other event": ("another event of the same actors", "#607d8b"),
               "related": ("related context, decides nothing", "#607d8b"),
               "unrelated": ("about something else", "#9e9e9e")}


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text) -> str:
    """Article, corpus or reviewer text made literal for Streamlit's Markdown elements (titles, captions): HTML is
    escaped there already, but Markdown is not, and an image written into a headline would be fetched."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def _marked(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """``text`` with non-overlapping ``(start, end, css, title)`` spans wrapped in <mark>, all escaped."""
    out, cursor = [], 0
    for start, end, style, title in sorted(spans):
        if start < cursor or end <= start or end > len(text):
            continue  # overlapping or out of range: keep the first, never break the text
        out.append(escape(text[cursor:start]))
        out.append(f'<mark style="{style}" title="{escape(title)}">{escape(text[start:end])}</mark>')
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)


def article_html(text: str, claims: list[dict], selected_id: str | None = None) -> str:
    """The article with each claim highlighted in its verdict's colour; ``claims`` are check JSON rows."""
    spans = []
    for claim in claims:
        colour = VERDICT_COLOURS.get(claim["verdict"], "#eceff1")
        outline = "outline:2px solid #1565c0;" if claim["id"] == selected_id else ""
        who = claim["speaker"] or "the article"
        spans.append((claim["start"], claim["end"], f"background:{colour};{outline}border-radius:3px",
                      f"{claim['verdict']} · {who}"))
    body = _marked(text, spans).replace("\n\n", "</p><p>").replace("\n", "<br>")
    return f'<div class="cd-article" style="line-height:1.6"><p>{body}</p></div>'


def passage_html(text: str, flags: list[dict]) -> str:
    """A passage with the evidence side of each flag marked: green agrees, red clashes."""
    spans = []
    for flag in flags:
        span = flag.get("evidence_span")
        if not span:
            continue
        if flag["relation"] == "clashes":
            spans.append((span[0], span[1], "background:#ffcdd2", f"clashes with the claim's {flag['claim']}"))
        elif flag["relation"] == "differs":
            spans.append((span[0], span[1], "background:#ffe0b2", f"only a plan or a possibility: {flag['claim']}"))
        elif flag["relation"] == "agrees":
            spans.append((span[0], span[1], "background:#c8e6c9", f"matches the claim's {flag['claim']}"))
    return _marked(text, spans)


def claim_html(text: str, flags: list[dict]) -> str:
    """The claim with its side of every clash marked, so the analyst sees both ends of a conflict."""
    spans = []
    for flag in flags:
        span = flag.get("claim_span")
        if span and flag["relation"] == "clashes":
            spans.append((span[0], span[1], "background:#ffcdd2", f"evidence says {flag['evidence']}"))
    return _marked(text, spans)


def evidence_card_html(evidence: dict) -> str:
    role, colour = ROLE_LABELS.get(evidence.get("role", ""), (None, STANCE_COLOURS.get(evidence["stance"], "#607d8b")))
    later = ('<span style="color:#b71c1c;font-weight:600"> · dated after the article</span>'
             if evidence.get("after_article") else "")
    clashes = [f for f in evidence["flags"] if f["relation"] in ("clashes", "differs", "earlier")]
    agreements = [f for f in evidence["flags"] if f["relation"] == "agrees"]
    why = "; ".join([_clash_text(f) for f in clashes]
                    + [f"{escape(f['kind'])} agrees: {escape(f['claim'])}" for f in agreements[:4]]
                    ) or "no dates, numbers or names to compare"
    reading = escape(role) if role else escape(STANCE_WORDS.get(evidence["stance"], evidence["stance"]))
    duplicates = len(evidence.get("duplicates") or [])
    copies = f" · {duplicates} near-identical cop{'y' if duplicates == 1 else 'ies'} collapsed" if duplicates else ""
    carried = evidence.get("also_carried_by") or []
    if carried:  # one wire story on several sites: one source, not several confirmations
        outlets = list(dict.fromkeys(c.get("source") or c.get("doc_id") or "" for c in carried))
        copies += f" · also carried by {escape(', '.join(outlets))} (the same story)"
    return (
        f'<div class="cd-evidence" style="border-left:4px solid {colour};padding:6px 10px;margin:8px 0;'
        f'background:#fafafa">'
        f'<div style="font-size:0.85em;color:#455a64"><b>{escape(evidence["source"] or "unknown outlet")}</b>'
        f' · {escape(evidence["date"] or "undated")} · {escape(evidence.get("title") or "")}{later}{copies}</div>'
        f'<div style="margin:4px 0">{passage_html(evidence["text"], evidence["flags"])}</div>'
        f'<div style="font-size:0.85em"><b style="color:{colour}">{reading}</b>'
        f' · {_model_reading(evidence)} · {why}</div></div>'
    )


def _model_reading(evidence: dict) -> str:
    """The stance model's reading, or why there is none: a passage about something else is not put to the model."""
    if evidence.get("weighed", True) is False:
        return "not put to the stance model"
    return f'model {escape(evidence["stance"].replace("_", " ").lower())} {evidence["score"]:.2f}'


def _clash_text(flag: dict) -> str:
    if flag["kind"] == "negation" and flag["claim"] and flag["evidence"]:
        return f"opposite deeds: claim {escape(flag['claim'])} vs {escape(flag['evidence'])}"
    if flag["kind"] == "negation":
        return "one side denies what the other states"
    if flag["kind"] == "modality":
        return f"only a plan or a possibility: {escape(flag['evidence'])}"
    if flag["relation"] == "earlier":
        return f"published {escape(flag['evidence'])}, before the claim's {escape(flag['claim'])}"
    return f"{escape(flag['kind'])} clashes: claim {escape(flag['claim'])} vs {escape(flag['evidence'])}"


def reason_html(verdict: str, reason: str) -> str:
    """The verdict's reason, first and in the verdict's colour: the passage and the finding that decided it."""
    colour = VERDICT_COLOURS.get(verdict, "#eceff1")
    return (f'<div class="cd-reason" style="background:{colour};padding:6px 10px;border-radius:4px;margin:4px 0">'
            f'<b>{escape(verdict.capitalize())}</b>: {escape(reason)}</div>')


QUOTE_STATUS_WORDS = {
    "verbatim": ("Quote found word for word", "#2e7d32"),
    "differs": ("Quote found with different wording", "#ef6c00"),
    "other_speaker": ("These words are attributed to someone else", "#c62828"),
    "not_found": ("Quote not found in the corpus", "#607d8b"),
}
_SPEAKER_WORDS = {"same": "names the speaker", "unknown": "names nobody", "other": "names"}


def quote_check_html(check: dict, limit: int = 3) -> str:
    """Did they really say it? The status, then the closest matches: outlet, date, who the passage names, and
    the passage's words with the ones that differ from the quote marked."""
    label, colour = QUOTE_STATUS_WORDS.get(check["status"], (check["status"], "#607d8b"))
    earliest = next((m for m in check["matches"] if m["passage_id"] == check.get("earliest")), None)
    head = (f'<div class="cd-quote" style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0;'
            f'background:#fafafa"><b style="color:{colour}">{escape(label)}</b>')
    if earliest:
        head += (f' · earliest: {escape(earliest["source"] or "unknown outlet")}, '
                 f'{escape(earliest["date"] or "undated")}')
    rows = []
    for match in check["matches"][:limit]:
        changed = {w.lower() for change in match.get("changes", []) for w in change["passage"].split()}
        words = match["words"]
        spans = [(m.start(), m.end(), "background:#ffe0b2", "differs from the quote")
                 for m in re.finditer(r"[\w'’-]+", words) if m.group().lower().replace("’", "'") in changed]
        dropped = [change["quote"] for change in match.get("changes", []) if change["quote"] and not change["passage"]]
        who = _SPEAKER_WORDS.get(match["speaker"], "")
        if match["speaker"] == "other":
            who += " " + ", ".join(match.get("names") or [])
        rows.append(
            f'<div style="font-size:0.9em;margin:2px 0">{escape(match["source"] or "unknown outlet")} · '
            f'{escape(match["date"] or "undated")} · {match["similarity"]:.0f}% alike · {escape(who)}: '
            f'“{_marked(words, spans)}”'
            + (f' <span style="color:#b71c1c">(leaves out: {escape("; ".join(dropped))})</span>' if dropped else "")
            + "</div>")
    return head + "".join(rows) + "</div>"


def fact_checks_html(matches: list[dict]) -> str:
    """Earlier fact-checks of the same claim, first on the claim: the reviewed claim, its rating, who checked it,
    when, and a link only when the address is http(s)."""
    rows = []
    for match in matches:
        url = match.get("url") or ""
        link = (f' · <a href="{escape(url)}" target="_blank" rel="noopener noreferrer">the fact-check</a>'
                if url.lower().startswith(("http://", "https://")) else "")
        later = (' · <span style="color:#b71c1c">published after the article</span>'
                 if match.get("after_article") else "")
        who = f' ({escape(match["claimant"])})' if match.get("claimant") else ""
        rows.append(
            f'<div style="margin:2px 0"><b>{escape(match.get("fact_checker") or "A fact-checker")}</b> rated '
            f'<b>{escape(match["rating"])}</b>: “{escape(match["claim"])}”{who} · '
            f'{escape(match.get("date") or "undated")} · {match["similarity"]:.2f} alike{later}{link}</div>')
    return ('<div class="cd-factcheck" style="border-left:4px solid #1565c0;padding:4px 10px;margin:4px 0;'
            'background:#e3f2fd"><div style="font-size:0.85em;color:#455a64">Checked before</div>'
            + "".join(rows) + "</div>")


def said_by_html(claim: dict) -> str:
    """Who made the claim, the cue, the kind of quote and why it is worth checking, as one escaped line."""
    who = claim["speaker"] or "the article itself"
    via = f" (via {claim['outlet']})" if claim["outlet"] and claim["outlet"] != claim["speaker"] else ""
    quote = "not attributed" if claim["quote_type"] == "none" else f"{claim['quote_type']} quote"
    reasons = f" ({', '.join(claim['checkworthy_reasons'])})" if claim.get("checkworthy_reasons") else ""
    return escape(f"Said by {who}{via} · cue: {claim['cue'] or '—'} · {quote} · "
                  f"check-worthiness {claim['checkworthiness']:.2f}{reasons}")
