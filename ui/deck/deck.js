// The review deck: one claim at a time, moved between and decided in the browser.
//
// A key press draws the next claim here at once, from the claims the server sent, and the decision goes to the
// server in the background: the component's state holds every decision not yet acknowledged, in order, so a rerun
// that coalesces several presses still sees them all, and the server applies each exactly once (by its sequence
// number) with the same versioned save as before. Until the server acknowledges a decision the deck says it is
// unconfirmed; a refused one (a colleague's newer decision, a store that is down) is said on the page and the
// claim shows what the store holds.
//
// Every piece of article or corpus text arrives already escaped (ui/render.py); this file only places it. Labels
// and notes it writes itself go through textContent or escapeText.

// Decks are kept by the server session and article (``data.deck``), not by the component's key: the frontend gives
// the component a new key each time it is mounted again (after another view, or a run that did not draw it), and the
// unconfirmed decisions, drafts and place must outlive that.
const decks = new Map(); // data.deck -> the deck's own state, kept across the server's reruns and remounts
const shownIn = new WeakMap(); // deck root -> the id of the deck drawn in it now (another article may follow)
let keysInstalled = false;
let active = null; // the deck the keys go to: the one drawn last
let drawings = 0;

const escapeText = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => (
  {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c]));

// Decisions not yet confirmed are also kept in the tab's sessionStorage, so a reload (or a page reopened after the
// dashboard restarted) sends them again instead of dropping them: the server answers one that already landed as
// such, and one a colleague has since overtaken is a conflict, as ever. Undos are not kept: sent twice, an undo
// would undo one decision more.
const storageKey = (article) => `claimdesk-deck-pending:${article}`;

function remember(deck) {
  try {
    const decisions = deck.pending.filter((a) => a.kind === "decide");
    const undo = deck.pending.some((a) => a.kind === "undo");
    if (decisions.length || undo) {
      sessionStorage.setItem(storageKey(deck.article), JSON.stringify({decisions, undo}));
    } else sessionStorage.removeItem(storageKey(deck.article));
  } catch (error) { // storage may be off (private mode, a full quota): the deck still works within the page
  }
}

function recalled(article) {
  try {
    const kept = JSON.parse(sessionStorage.getItem(storageKey(article)) || "{}");
    const decisions = Array.isArray(kept.decisions) ? kept.decisions : [];
    return {decisions: decisions.filter((a) => a && a.kind === "decide" && a.article === article),
            undo: kept.undo === true};
  } catch (error) {
    return {decisions: [], undo: false};
  }
}

// Decks of the same server session: a key pressed while the page was still turning to another article went to the
// deck that was on screen, and its decision travels with this deck's until the server has answered it.
const sessionOf = (id) => String(id).split(":")[0];
const siblings = (deck) => [...decks.values()].filter((d) => d !== deck && sessionOf(d.id) === sessionOf(deck.id));

function newDeck(data) {
  const {decisions: kept, undo} = recalled(data.article);
  const errors = [];
  if (kept.length) {
    errors.push(`${kept.length} decision${kept.length === 1 ? " was" : "s were"} not confirmed before the page `
                + "was reloaded or the dashboard reconnected: sent again.");
  }
  if (undo) errors.push("An undo was not confirmed before the page was reloaded or the dashboard reconnected: "
                        + "press u again if the claim did not change back.");
  return {
    id: data.deck,
    article: data.article,
    token: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    counter: 0,
    cursor: Math.min(data.cursor, Math.max(data.count - 1, 0)),
    gotoSeen: data.goto.nonce,
    pending: kept, // actions sent and not yet acknowledged, oldest first
    local: {}, // claim id -> {status, note} of its latest unacknowledged decision
    errors,
    undoing: false,
    queue: [], // keys pressed while an undo was on its way: pressed in order once it is answered
    help: false,
    openedAt: Date.now(),
    notes: {}, // claim id -> {text, base}: a note being typed, and the stored note it started from
  };
}

function absorb(deck, data) {
  const answered = new Map((data.acks || []).map((ack) => [ack.seq, ack]));
  for (const other of siblings(deck)) { // answers for another article's deck: its errors are said here
    const left = other.pending.filter((action) => !answered.has(action.seq));
    if (left.length === other.pending.length) continue;
    for (const action of other.pending) {
      const ack = answered.get(action.seq);
      if (ack && !ack.ok) deck.errors.push(ack.message);
      if (ack && action.kind === "undo") other.undoing = false;
    }
    other.pending = left;
    remember(other);
  }
  const still = [];
  for (const action of deck.pending) {
    const ack = answered.get(action.seq);
    if (!ack) {
      still.push(action);
      continue;
    }
    if (action.kind === "undo") deck.undoing = false;
    if (!ack.ok) deck.errors.push(ack.message);
  }
  deck.pending = still;
  remember(deck);
  // What a claim shows is its newest unacknowledged decision, else what the store holds.
  deck.local = {};
  for (const action of deck.pending) {
    if (action.kind === "decide") deck.local[action.claim] = {status: action.status, note: action.note};
  }
  if (data.goto.nonce !== deck.gotoSeen) { // the server moved the analyst (an undo, a claim opened elsewhere)
    if (deck.root) keepNote(deck);
    deck.gotoSeen = data.goto.nonce;
    deck.cursor = data.goto.cursor;
    deck.openedAt = Date.now();
    deck.moved = true;
  }
  deck.cursor = Math.max(0, Math.min(deck.cursor, data.count - 1));
}

function decisionOf(deck, data, id) {
  const stored = data.decisions[id] || {status: "Unreviewed", note: "", version: 0};
  const local = deck.local[id];
  return local ? {...stored, status: local.status ?? stored.status, note: local.note, unconfirmed: true} : stored;
}

function send(deck) {
  deck.sentAt = Date.now();
  deck.sends = (deck.sends || 0) + 1;
  deck.setStateValue("review", {
    token: deck.token, article: deck.article, cursor: deck.cursor, goto_seen: deck.gotoSeen,
    actions: [...deck.pending, ...siblings(deck).flatMap((other) => other.pending)], sends: deck.sends,
  });
}

// An action unanswered for a few seconds is sent again (the server applies it once): a state sent while the page
// was busy with another run can wait for a run that never comes, and the analyst would see "not yet confirmed"
// for good. Each sending differs (``sends``), so it always asks for a run.
setInterval(() => {
  const deck = active;
  if (deck && (deck.pending.length || siblings(deck).some((other) => other.pending.length))
      && Date.now() - (deck.sentAt || 0) > 3000
      && (deck.root.isConnected || (deck.root.host && deck.root.host.isConnected))) send(deck);
}, 1000);

function act(deck, action) {
  deck.counter += 1;
  const full = {seq: `${deck.token}:${deck.counter}`, article: deck.article, reviewer: deck.data.reviewer, ...action};
  deck.pending.push(full);
  if (full.kind === "decide") deck.local[full.claim] = {status: full.status, note: full.note};
  remember(deck);
  return full;
}

function currentNote(deck, claimId) {
  const box = deck.root.querySelector("textarea[data-note]");
  return box && box.dataset.claim === claimId ? box.value : null;
}

function decide(deck, status) {
  const data = deck.data;
  const claim = data.claims[deck.cursor];
  if (!claim || !data.reviewer || data.locked[claim.id]) return false;
  const shown = decisionOf(deck, data, claim.id);
  const typed = currentNote(deck, claim.id);
  const note = typed ?? shown.note ?? "";
  if (status === null && note === (shown.note ?? "")) return false;
  act(deck, {kind: "decide", claim: claim.id, status, note, version: shown.version || 0,
             seconds: Math.round((Date.now() - deck.openedAt) / 100) / 10, cursor: deck.cursor});
  delete deck.notes[claim.id];
  const box = deck.root.querySelector("textarea[data-note]");
  if (box && box.dataset.claim === claim.id) box.dataset.base = box.value; // decided with: no longer a draft
  deck.errors = [];
  if (status !== null && deck.cursor + 1 < data.count) move(deck, deck.cursor + 1, false);
  draw(deck);
  reveal(deck);
  send(deck);
  return true;
}

function move(deck, to, report = true) {
  const data = deck.data;
  if (to < 0 || to >= data.count || to === deck.cursor) return false;
  keepNote(deck);
  deck.cursor = to;
  deck.openedAt = Date.now();
  if (report) {
    draw(deck);
    reveal(deck);
    send(deck);
  }
  return true;
}

function undo(deck) {
  if (!deck.data.reviewer || deck.undoing || !deck.data.can_undo) return false;
  deck.undoing = true;
  act(deck, {kind: "undo", cursor: deck.cursor});
  draw(deck);
  send(deck);
  return true;
}

function reveal(deck) {
  // After a move the new claim's text and decision bar are in view, even if the analyst had scrolled down to
  // the evidence: scrolled past, the next claim would show its evidence without its text.
  const top = deck.root.querySelector(".cd-deck");
  // 64 px: Streamlit's header is fixed over the top of the page.
  if (top && top.getBoundingClientRect().top < 64) top.scrollIntoView({block: "start"});
}

function keepNote(deck) {
  // A note typed and not yet saved stays with its claim while the analyst looks elsewhere.
  const box = deck.root.querySelector("textarea[data-note]");
  if (box && box.value !== box.dataset.base) deck.notes[box.dataset.claim] = {text: box.value, base: box.dataset.base};
}

function draw(deck) {
  const data = deck.data;
  const root = deck.root.querySelector(".cd-deck");
  const claim = data.claims[deck.cursor];
  const n = data.count;
  const i = deck.cursor;
  const pending = deck.pending.filter((a) => a.kind === "decide").length;
  const elsewhere = siblings(deck).reduce((sum, other) => sum + other.pending.length, 0);
  const saving = [pending ? `${pending} decision${pending === 1 ? "" : "s"} not yet confirmed…` : "",
                  elsewhere ? `${elsewhere} on another article not yet confirmed…` : ""].filter(Boolean).join(" ");
  const errors = deck.errors.map((e) => `<div class="cd-error" role="alert">${escapeText(e)}</div>`).join("");
  const options = data.labels.map((label, k) => (
    `<option value="${k}"${k === i ? " selected" : ""}>${escapeText(label)}</option>`)).join("");
  const head = `
    <div class="cd-row">
      <b class="cd-count">Claim ${i + 1} of ${n}</b>
      <select class="cd-pick" aria-label="Claim">${options}</select>
      <button data-move="-1"${i === 0 ? " disabled" : ""}>← Previous</button>
      <button data-move="1"${i + 1 >= n ? " disabled" : ""}>Next →</button>
      <button data-undo title="Undo your last decision (u)"${
        !data.reviewer || deck.undoing || !data.can_undo ? " disabled" : ""}>${
        deck.undoing ? "Undoing…" : "Undo"}</button>
      <button data-help aria-expanded="${deck.help}">⌨ Keys</button>
    </div>
    <div class="cd-saving" aria-live="polite">${saving}</div>${errors}`;
  const help = deck.help ? `<table class="cd-help"><tr><th>key</th><th>does</th></tr>${data.help.map(
    ([key, does]) => `<tr><td>${escapeText(key)}</td><td>${escapeText(does)}</td></tr>`).join("")}</table>` : "";
  if (!claim) { // beyond the claims this run sent: the next run brings them
    root.innerHTML = `${head}${help}<p class="cd-caption">Loading claim ${i + 1}…</p>`;
    return;
  }
  const shown = decisionOf(deck, data, claim.id);
  const locked = !data.reviewer || !!data.locked[claim.id];
  const decided = shown.status !== "Unreviewed";
  const buttons = data.statuses.map((name) => {
    const suggested = !decided && name === claim.suggestion;
    return `<button data-status="${escapeText(name)}" class="${suggested ? "cd-suggested" : ""}"` +
      ` title="${escapeText(Object.hasOwn(data.status_help, name) ? data.status_help[name] : "")}"${locked ? " disabled" : ""}>` +
      `${shown.status === name ? "✓ " : ""}${escapeText(name)}</button>`;
  }).join("");
  const old = root.querySelector("textarea[data-note]");
  const focused = !!old && deck.root.activeElement === old;
  const typing = focused && old.dataset.claim === claim.id;
  const draft = deck.notes[claim.id];
  const stored = shown.note ?? "";
  const note = draft && draft.base === stored ? draft.text : stored;
  const recorded = shown.reviewed_at ? ` (by ${escapeText(shown.reviewer)}, ${escapeText(shown.reviewed_at)})` : "";
  const state = shown.unconfirmed ? " · <b>not yet confirmed</b>" : "";
  const why = data.locked[claim.id] ? `<div class="cd-info">${escapeText(data.locked[claim.id])}</div>` : "";
  root.innerHTML = `${head}${help}
    <div class="cd-claim">${claim.text_html}</div>
    ${claim.fact_checks_html}${claim.reason_html}
    <div class="cd-caption">${claim.said_by_html}</div>
    ${claim.quote_check_html}
    <div class="cd-caption">Suggested status: ${escapeText(claim.suggestion)} (confidence ${
      claim.confidence.toFixed(2)}) · time on this claim: ${escapeText(shown.spent || "—")} recorded${recorded}${state}</div>
    ${data.reviewer ? "" : "<div class=\"cd-warning\">Type your name under <b>Reviewer</b> in the sidebar to " +
      "record decisions.</div>"}${why}
    <div class="cd-statuses">${buttons}</div>
    <div class="cd-note">
      <textarea data-note aria-label="Note" placeholder="Note" rows="2"${locked ? " disabled" : ""}></textarea>
      <button data-save${locked || (data.blind && !shown.version) ? " disabled" : ""}${
        data.blind ? " title=\"Under blind review a note goes with your decision\"" : ""}>Save note</button>
    </div>
    <h3>Evidence from prior reporting</h3>
    ${claim.evidence_html || "<div class=\"cd-info\">Nothing in the corpus matched this claim.</div>"}`;
  const box = root.querySelector("textarea[data-note]");
  if (typing) { // a rerun while the analyst types: the box they are typing in stays, with its caret
    box.replaceWith(old);
    old.focus();
    root.dataset.cursor = String(i);
    root.dataset.claim = claim.id;
    root.dataset.article = data.article;
    return;
  }
  box.value = note;
  box.dataset.claim = claim.id;
  box.dataset.base = stored;
  // The analyst was typing when the server moved the deck: they stay in the note box (of the claim now shown), so
  // the next letters are text, not decisions. What they had typed is kept as the other claim's draft.
  if (focused && !locked) box.focus();
  root.dataset.cursor = String(i);
  root.dataset.claim = claim.id;
  root.dataset.article = data.article;
}

function onClick(deck, event) {
  const button = event.composedPath().find((el) => el instanceof HTMLElement && el.tagName === "BUTTON");
  if (!button || button.disabled) return;
  if (button.dataset.status !== undefined) decide(deck, button.dataset.status);
  else if (button.dataset.move !== undefined) move(deck, deck.cursor + Number(button.dataset.move));
  else if (button.dataset.undo !== undefined) undo(deck);
  else if (button.dataset.save !== undefined) decide(deck, null);
  else if (button.dataset.help !== undefined) {
    deck.help = !deck.help;
    draw(deck);
  }
}

function onKey(deck, event) {
  const target = event.composedPath()[0] || event.target;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (!deck.root.isConnected && !(deck.root.host && deck.root.host.isConnected)) return;
  if (target && target.matches && target.matches("textarea[data-note]") && event.key === "Escape") {
    target.blur(); // out of the note box without the mouse: the keys decide again
    return;
  }
  if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.tagName === "SELECT"
                 || target.isContentEditable)) return;
  if (event.key === "Escape" && deck.help) {
    deck.help = false;
    draw(deck);
    return;
  }
  if (!Object.hasOwn(deck.data.keys, event.key)) return;
  const label = deck.data.keys[event.key];
  // A held key repeats: moving through claims that way is fine, deciding a run of them is not.
  if (event.repeat && label !== "Next →" && label !== "← Previous") {
    event.preventDefault();
    return;
  }
  if (deck.undoing && label !== "⌨ Keys") { // the undo moves the analyst: what follows belongs after that move
    deck.queue.push(label);
    event.preventDefault();
    return;
  }
  if (perform(deck, label)) event.preventDefault();
}

function perform(deck, label) {
  let done = false;
  if (label === "Next →") done = move(deck, deck.cursor + 1);
  else if (label === "← Previous") done = move(deck, deck.cursor - 1);
  else if (label === "Undo") done = undo(deck);
  else if (label === "⌨ Keys") {
    deck.help = !deck.help;
    draw(deck);
    done = true;
  } else done = decide(deck, label);
  return done;
}

export default function (component) {
  const {data, parentElement, setStateValue} = component;
  const id = data.deck;
  let deck = decks.get(id);
  if (!deck) {
    deck = newDeck(data);
    decks.set(id, deck);
  }
  if (deck.root) keepNote(deck);
  deck.data = data;
  deck.root = parentElement;
  deck.setStateValue = setStateValue;
  absorb(deck, data);
  draw(deck);
  if (deck.moved) {
    deck.moved = false;
    reveal(deck);
  }
  if (!deck.undoing && deck.queue.length) { // keys pressed behind an answered undo, in order
    const queued = deck.queue.splice(0);
    for (const label of queued) perform(deck, label);
  }
  // One key listener for the page and one click listener per deck root, whatever number of times the deck is
  // drawn: the frontend may draw a component again before the previous drawing's cleanup has run, and two
  // listeners would decide twice on one key.
  const drawing = ++drawings;
  active = deck;
  if (!keysInstalled) {
    keysInstalled = true;
    document.addEventListener("keydown", (event) => {
      if (active) onKey(active, event);
    });
  }
  const fresh = !shownIn.has(parentElement);
  shownIn.set(parentElement, id);
  if (fresh) {
    const current = () => decks.get(shownIn.get(parentElement));
    parentElement.addEventListener("click", (event) => onClick(current(), event));
    parentElement.addEventListener("change", (event) => {
      const target = event.composedPath()[0];
      if (target && target.classList && target.classList.contains("cd-pick")) {
        target.blur(); // the keys decide again, and a digit is a status, not a jump in the list
        move(current(), Number(target.value));
      }
    });
  }
  parentElement.querySelector(".cd-deck").dataset.ready = "1";
  // A run that has not seen this deck's state (the deck was mounted again after another view, or after a run that
  // could not draw it; or the page was reloaded with decisions still unconfirmed) is sent it: the place the analyst
  // is on and every unanswered action. The server applies each action once.
  if (data.token !== deck.token) send(deck);
  return () => { // a late cleanup of an earlier drawing leaves the keys with the latest
    if (drawings === drawing) active = null;
  };
}
