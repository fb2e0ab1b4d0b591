"""`claimdesk eval-attribution`: attribution on brat-annotated news (PolNeAR layout).

Scored per span type (source, cue, content) with exact and overlap matching, and content also per character,
the measures citron and PolNeAR report.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from claims.ingest import ArticleError, article_from_text
from claims.segment import ClaimExtractor

Span = tuple[int, int]


def read_brat(path: Path) -> list[dict]:
    """Attributions as {"source": span|None, "cue": span|None, "content": [spans]} from a .ann file."""
    spans: dict[str, tuple[str, list[Span]]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            key, middle, _ = line.split("\t", 2)
            label, _, offsets = middle.partition(" ")
            pieces = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
            spans[key] = (label, pieces)
        elif line.startswith("E"):
            events.append(dict(arg.split(":", 1) for arg in line.split("\t", 1)[1].split()))
    out = []
    for event in events:
        def first(role: str, event: dict = event) -> Span | None:
            ref = next((v for k, v in event.items() if k.rstrip("0123456789") == role), None)
            return spans[ref][1][0] if ref in spans else None

        content = [piece for k, v in event.items() if k.rstrip("0123456789") == "Content" and v in spans
                   for piece in spans[v][1]]
        out.append({"source": first("Source"), "cue": first("Cue"), "content": content})
    return out


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict:
    precision = tp_p / n_pred if n_pred else 0.0
    recall = tp_g / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def span_scores(predicted: list[Span], gold: list[Span]) -> dict:
    exact = _prf(sum(1 for p in predicted if p in gold), len(predicted),
                 sum(1 for g in gold if g in predicted), len(gold))
    overlap = _prf(sum(1 for p in predicted if any(_overlaps(p, g) for g in gold)), len(predicted),
                   sum(1 for g in gold if any(_overlaps(g, p) for p in predicted)), len(gold))
    return {"exact": exact, "overlap": overlap, "predicted": len(predicted), "gold": len(gold)}


def char_scores(predicted: list[Span], gold: list[Span]) -> dict:
    def chars(spans):
        return {i for s, e in spans for i in range(s, e)}

    p, g = chars(predicted), chars(gold)
    return _prf(len(p & g), len(p), len(p & g), len(g))


def fold_of_document(stem: str) -> str:
    """Two thirds for developing rules, one third never looked at while writing them."""
    return "unseen" if int(hashlib.sha1(stem.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def evaluate_attribution(data: Path, rules_only: bool = False) -> tuple[dict, list[dict]]:
    """``rules_only`` leaves the trained tagger out, to measure what it adds."""
    texts = sorted((data / "text").glob("*.txt"))
    if not texts:
        raise ArticleError(f"{data}: no text/*.txt files; expected the layout of polnear_dev")
    extractor = ClaimExtractor(tagger=None) if rules_only else ClaimExtractor()
    predictions: list[dict] = []
    buckets: dict[str, dict[str, list]] = {}
    for path in texts:
        annotations = sorted((data / "attributions").glob(f"{path.stem}_*.ann"))
        if not annotations:
            continue
        text = path.read_text(encoding="utf-8")
        gold = read_brat(annotations[0])
        article = article_from_text(text, origin=str(path), html=False)
        offset = 0 if article.text == text else text.find(article.text[:200])
        predicted = _attributions(extractor.attributions(article), max(offset, 0))
        for item in predicted:
            predictions.append({"type": "attribution", "doc": path.stem, **item})
        for fold in ("all", fold_of_document(path.stem)):
            bucket = buckets.setdefault(fold, {k: [] for k in ("ps", "gs", "pc", "gc", "pt", "gt", "docs")})
            shift = len(bucket["docs"]) * 10_000_000  # keep documents' offsets apart when pooling
            bucket["docs"].append(path.stem)
            bucket["ps"] += [(s + shift, e + shift) for s, e in (p["source"] for p in predicted if p["source"])]
            bucket["gs"] += [(s + shift, e + shift) for s, e in (g["source"] for g in gold if g["source"])]
            bucket["pc"] += [(s + shift, e + shift) for s, e in (p["cue"] for p in predicted if p["cue"])]
            bucket["gc"] += [(s + shift, e + shift) for s, e in (g["cue"] for g in gold if g["cue"])]
            bucket["pt"] += [(s + shift, e + shift) for p in predicted for s, e in p["content"]]
            bucket["gt"] += [(s + shift, e + shift) for g in gold for s, e in g["content"]]
    report = {}
    for fold, b in buckets.items():
        report[fold] = {
            "documents": len(b["docs"]),
            "source": span_scores(b["ps"], b["gs"]),
            "cue": span_scores(b["pc"], b["gc"]),
            "content": {**span_scores(b["pt"], b["gt"]), "characters": char_scores(b["pt"], b["gt"])},
        }
    return report, predictions


def _attributions(attributions, offset: int) -> list[dict]:
    """One attribution per (source, cue): every claim or clause it covers contributes content spans."""
    merged: dict[tuple, dict] = {}
    for a in attributions:
        if a.cue_span is None or not (a.is_attributed or a.source is None):
            continue  # a cue with a source the rules could not name is not an attribution; a sourceless one is
        key = (a.source, a.cue_span)
        item = merged.setdefault(key, {
            "source": [a.source[0] + offset, a.source[1] + offset] if a.source else None,
            "cue": [a.cue_span[0] + offset, a.cue_span[1] + offset],
            "content": [], "outlet": a.outlet or None, "speaker": a.speaker or None,
        })
        item["content"] += [[s + offset, e + offset] for s, e in a.content]
    for item in merged.values():
        item["source"] = tuple(item["source"]) if item["source"] else None
        item["cue"] = tuple(item["cue"])
        item["content"] = [tuple(span) for span in item["content"]]
    return list(merged.values())
