"""How far a model's confidence can be taken at its word: expected calibration error and a reliability plot.

A stance shown as "SUPPORTS 0.80" should be right about 80% of the time. ECE is the gap between confidence and
accuracy, averaged over equal-width confidence bins and weighted by how many predictions fall in each.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def reliability(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> dict:
    """ECE of top-label ``confidences`` against whether each prediction was ``correct``, with the bins behind it."""
    if len(confidences) != len(correct):
        raise ValueError("one correctness value per confidence")
    table = [{"low": i / bins, "high": (i + 1) / bins, "count": 0, "confidence": 0.0, "accuracy": 0.0}
             for i in range(bins)]
    for confidence, right in zip(confidences, correct):
        row = table[min(int(confidence * bins), bins - 1)]
        row["count"] += 1
        row["confidence"] += confidence
        row["accuracy"] += float(right)
    total = max(len(confidences), 1)
    ece = 0.0
    for row in table:
        if row["count"]:
            row["confidence"] = round(row["confidence"] / row["count"], 4)
            row["accuracy"] = round(row["accuracy"] / row["count"], 4)
            ece += row["count"] / total * abs(row["accuracy"] - row["confidence"])
    return {"ece": round(ece, 4), "n": len(confidences), "bins": table}


def reliability_svg(curves: dict[str, dict], title: str, size: int = 320) -> str:
    """A reliability diagram as standalone SVG: accuracy against confidence per bin, one line per curve
    (``reliability`` results by name), and the diagonal a calibrated model would follow."""
    # Not red or green: in Claimdesk those mean conflict and support.
    pad, colours = 40, ("#1f77b4", "#9467bd", "#444444", "#17becf")

    def xy(confidence: float, accuracy: float) -> str:
        return f"{pad + confidence * size:.1f},{pad + (1 - accuracy) * size:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size + 2 * pad + 260}" height="{size + 2 * pad}" '
             f'font-family="sans-serif" font-size="11">',
             f'<text x="{pad}" y="{pad - 14}" font-size="13">{escape(title)}</text>',
             f'<rect x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none" stroke="#999"/>',
             f'<line x1="{pad}" y1="{pad + size}" x2="{pad + size}" y2="{pad}" stroke="#bbb" stroke-dasharray="4 3"/>']
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x, y = pad + tick * size, pad + (1 - tick) * size
        parts.append(f'<text x="{x:.1f}" y="{pad + size + 14}" text-anchor="middle">{tick:g}</text>')
        parts.append(f'<text x="{pad - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
    parts.append(f'<text x="{pad + size / 2}" y="{pad + size + 30}" text-anchor="middle">confidence</text>')
    parts.append(f'<text x="12" y="{pad + size / 2}" transform="rotate(-90 12 {pad + size / 2})" '
                 'text-anchor="middle">accuracy</text>')
    for index, (name, curve) in enumerate(curves.items()):
        colour = colours[index % len(colours)]
        points = [xy(b["confidence"], b["accuracy"]) for b in curve["bins"] if b["count"]]
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.extend(f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="3" fill="{colour}"/>' for p in points)
        ly = pad + 14 + index * 18
        parts.append(f'<rect x="{pad + size + 14}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{pad + size + 30}" y="{ly}">{escape(name)} (ECE {curve["ece"]:.3f}, '
                     f'n={curve["n"]})</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
