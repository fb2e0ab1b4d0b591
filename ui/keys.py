"""Keyboard flow for the review screen: single keys press the matching on-screen button.

Keys map to button labels, so the keyboard can do nothing the mouse cannot, and every action still goes
through the same Streamlit callback (and the same versioned save). Typing in a text field is left alone.
"""

from __future__ import annotations

import json

KEYS = {
    "s": "Supported",
    "c": "Conflicted",
    "i": "Inconclusive",
    "n": "Not check-worthy",
    "j": "Next →",
    "k": "← Previous",
    "u": "Undo",
    "?": "⌨ Keys",
}
HELP = [
    ("s / c / i / n", "mark Supported / Conflicted / Inconclusive / Not check-worthy, then go to the next claim"),
    ("j / k", "next / previous claim"),
    ("u", "undo your last decision"),
    ("?", "show this list"),
]


def listener_html() -> str:
    """A script for a zero-height component. It installs the listener once into the app's own document
    (a <script> element there runs in the page's realm), so it outlives the component's iframe, which
    Streamlit may re-create on any rerun."""
    listener = f"""
(() => {{
  const keys = {json.dumps(KEYS)};
  document.addEventListener("keydown", (event) => {{
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.isContentEditable)) return;
    const label = keys[event.key];
    if (!label) return;
    const button = Array.from(document.querySelectorAll("button")).find(
      (b) => b.innerText.trim().replace(/^✓\\s*/, "") === label);
    if (button && !button.disabled) {{
      event.preventDefault();
      button.click();
    }}
  }});
}})();"""
    return f"""<script>
const doc = window.parent.document;
if (!doc.getElementById("claimdesk-keys")) {{
  const script = doc.createElement("script");
  script.id = "claimdesk-keys";
  script.textContent = {json.dumps(listener)};
  doc.head.appendChild(script);
}}
</script>"""
