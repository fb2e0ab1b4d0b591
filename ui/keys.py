"""Keyboard flow for the review screen: single keys press the matching on-screen button.

Keys map to button labels, so the keyboard can do nothing the mouse cannot, and every action still goes
through the same Streamlit callback (and the same versioned save). Typing in a text field is left alone. A key
pressed while the page is still running waits for it, in order: pressed at once, it clicked a button the rerun was
replacing and was lost.
"""

from __future__ import annotations

import json

LETTERS = {"s": "Supported", "c": "Conflicted", "i": "Inconclusive", "n": "Not check-worthy"}
NAVIGATION = {"j": "Next →", "k": "← Previous", "u": "Undo", "?": "⌨ Keys"}


def key_map(statuses: list[str]) -> dict[str, str]:
    """Letters for the default statuses that are configured, digits 1-9 for every decision status, and
    navigation keys. ``statuses`` are the configured names, "Unreviewed" first."""
    keys = {k: name for k, name in LETTERS.items() if name in statuses}
    keys.update({str(i): name for i, name in enumerate(statuses[1:10], start=1)})
    return {**keys, **NAVIGATION}


def help_rows(statuses: list[str]) -> list[tuple[str, str]]:
    letters = {name: k for k, name in LETTERS.items()}
    rows = [(" / ".join(filter(None, [letters.get(name), str(i)])), f"mark {name}, then go to the next claim")
            for i, name in enumerate(statuses[1:10], start=1)]
    return rows + [("j / k", "next / previous claim"), ("u", "undo your last decision"), ("?", "show this list")]


def listener_html(statuses: list[str]) -> str:
    """A script for an invisible one-pixel iframe. It installs the listener once into the app's own document
    (a <script> element there runs in the page's realm), so it outlives the component's iframe, which
    Streamlit may re-create on any rerun."""
    listener = f"""
(() => {{
  const keys = {json.dumps(key_map(statuses))};
  // Keys pressed while Streamlit is running the page wait for it: a click then lands on a button the rerun is about
  // to replace and is lost. They are pressed in order once the page is idle again. After a click, the page counts
  // as busy until its rerun has come and gone (or none came within 150 ms); an observer sees even a short run.
  const queued = [];
  let clickedAt = 0, sawRun = false, quietSince = 0;
  // The app root carries the run state the server last sent ("running", "rerunRequested", "notRunning"): a click
  // while a run is under way may reach a callback still bound to the claim the run is replacing. The status widget
  // is the fallback, shown for runs that last.
  const running = () => {{
    const app = document.querySelector("[data-testid='stApp']");
    const state = app ? app.getAttribute("data-test-script-state") : null;
    return (state === "running" || state === "rerunRequested" || state === "stopRequested")
      || !!document.querySelector("[data-testid='stStatusWidget']");
  }};
  const busy = () => {{
    if (running()) {{
      sawRun = true;
      return true;
    }}
    if (clickedAt && !sawRun && Date.now() - clickedAt < 150) return true;
    clickedAt = 0;
    return false;
  }};
  new MutationObserver(() => {{
    if (clickedAt && running()) sawRun = true;
  }}).observe(document.body, {{childList: true, subtree: true, attributes: true,
                               attributeFilter: ["data-test-script-state"]}});
  const find = (label) => Array.from(document.querySelectorAll("button")).find(
    // The first line of the label only: a popover's button also holds its icon's name ("expand_more"). Only a
    // button on screen: while a rerun replaces the view, the page can hold a hidden copy of the old one.
    (b) => b.offsetParent !== null && b.innerText.trim().split("\\n")[0].trim().replace(/^✓\\s*/, "") === label);
  const press = (label) => {{
    const button = find(label);
    if (button && !button.disabled) {{
      clickedAt = Date.now();
      sawRun = false;
      button.click();
      return true;
    }}
    return false;
  }};
  setInterval(() => {{
    if (busy()) {{
      quietSince = 0;
      return;
    }}
    quietSince = quietSince || Date.now();
    if (queued.length && Date.now() - quietSince >= 50) press(queued.shift());
  }}, 50);
  document.addEventListener("keydown", (event) => {{
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.isContentEditable)) return;
    const label = keys[event.key];
    if (!label) return;
    if (queued.length || busy()) {{
      event.preventDefault();
      queued.push(label);
    }} else if (press(label)) {{
      event.preventDefault();
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
