// The trainers' workbench: the inbox, one item at a time, keyboard first.
// Login and calls go through the desk's api.js (same accounts, same token); every
// value is put into the page as text (dom.js), never as HTML.

import { ApiError, SessionExpired, clearSession, loadSession, login, request, sessionExpired } from "/desk/static/api.js";
import { byId, el, fill, say } from "/desk/static/dom.js";

const REASONS = {
  nlu_fallback: "nicht verstanden",
  low_confidence: "unsicher",
  rephrase: "Umformulierung",
  human: "danach Mensch",
  frustration: "danach verärgert",
  flagged: "im Desk markiert",
};

const training = {
  inbox: (status, reason, intent) => {
    const params = new URLSearchParams({ status });
    if (reason) params.set("reason", reason);
    if (intent) params.set("intent", intent);
    return request("GET", `/api/training/inbox?${params}`);
  },
  label: (id, intent, entities) =>
    request("POST", `/api/training/inbox/${encodeURIComponent(id)}/label`, { intent, entities }),
  ignore: (id) => request("POST", `/api/training/inbox/${encodeURIComponent(id)}/ignore`, {}),
  conversation: (id) => request("GET", `/api/training/inbox/${encodeURIComponent(id)}/conversation`),
  intents: () => request("GET", "/api/training/intents"),
};

const state = { items: [], index: -1, entities: [], intents: [], chain: Promise.resolve() };

/** Run actions one after the other: a key pressed while a label is saved is not lost. */
function enqueue(action) {
  state.chain = state.chain.then(action).catch(handle);
  return state.chain;
}

function current() {
  return state.items[state.index] || null;
}

async function start() {
  byId("login-form").addEventListener("submit", onLogin);
  byId("logout").addEventListener("click", () => {
    clearSession();
    showLogin();
  });
  for (const id of ["filter-status", "filter-reason", "filter-intent"]) {
    byId(id).addEventListener("change", () => refresh());
  }
  byId("items").addEventListener("click", (event) => {
    const row = event.target.closest("li[data-index]");
    if (row) select(Number(row.dataset.index));
  });
  byId("label-other").addEventListener("click", () => enqueue(() => labelWith(byId("intent-input").value.trim())));
  byId("intent-input").addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      const intent = byId("intent-input").value.trim();
      enqueue(() => labelWith(intent));
      byId("items").focus();
    } else if (event.key === "Escape") {
      byId("intent-input").blur();
    }
  });
  byId("mark-entity").addEventListener("click", markSelection);
  byId("out-of-scope").addEventListener("click", () => enqueue(() => labelWith("out_of_scope")));
  byId("ignore").addEventListener("click", () => enqueue(ignore));
  byId("toggle-conversation").addEventListener("click", toggleConversation);
  document.addEventListener("keydown", onKey);
  if (sessionExpired(loadSession())) showLogin();
  else await showBench();
}

function showLogin(message) {
  byId("bench-view").hidden = true;
  byId("session").hidden = true;
  byId("login-view").hidden = false;
  say(byId("login-error"), message || "", "error");
  byId("login-username").focus();
}

async function onLogin(event) {
  event.preventDefault();
  try {
    await login(byId("login-username").value.trim(), byId("login-password").value);
    byId("login-password").value = "";
    await showBench();
  } catch (error) {
    showLogin(error.status === 401 ? "Benutzername oder Passwort falsch." : error.message);
  }
}

async function showBench() {
  try {
    const stats = await training.intents();
    state.intents = stats.map((row) => row.intent);
    renderStats(stats);
  } catch (error) {
    if (error instanceof SessionExpired) return showLogin("Bitte melden Sie sich an.");
    if (error instanceof ApiError && error.status === 403) {
      clearSession();
      return showLogin("Dieses Konto hat nicht die Rolle Trainer.");
    }
    return showLogin(error.message);
  }
  byId("login-view").hidden = true;
  byId("bench-view").hidden = false;
  byId("session").hidden = false;
  byId("agent-name").textContent = loadSession().username;
  fill(byId("intent-list"), state.intents.map((name) => el("option", { value: name })));
  const filter = byId("filter-intent");
  fill(filter, el("option", { value: "" }, "alle"), state.intents.map((name) => el("option", { value: name }, name)));
  fill(
    byId("entity-select"),
    ["service_type", "vehicle_model", "city", "date", "time"].map((name) => el("option", { value: name }, name)),
  );
  await refresh();
  byId("items").focus();
}

function renderStats(stats) {
  fill(
    byId("stats"),
    stats.map((row) =>
      el(
        "tr",
        {},
        el("th", { scope: "row" }, row.intent),
        el("td", {}, row.predicted),
        el("td", {}, row.fell_back),
        el("td", {}, row.open_items),
        el("td", {}, row.test_accuracy === null ? "–" : `${(row.test_accuracy * 100).toFixed(1).replace(".", ",")} %`),
      ),
    ),
  );
}

async function refresh(keepIndex = 0) {
  try {
    state.items = await training.inbox(
      byId("filter-status").value,
      byId("filter-reason").value,
      byId("filter-intent").value,
    );
  } catch (error) {
    return handle(error);
  }
  renderList(keepIndex);
}

function renderList(keepIndex) {
  byId("inbox-count").textContent = String(state.items.length);
  fill(
    byId("items"),
    state.items.map((item, index) =>
      el(
        "li",
        { role: "option", "aria-selected": "false", dataset: { index: String(index), id: String(item.id) } },
        el("span", { className: "n", title: "so oft gesehen" }, `${item.count}×`),
        el("span", {}, item.text),
        el(
          "small",
          {},
          `${REASONS[item.reason] || item.reason} · ${item.predictions.length ? item.predictions[0].intent : "–"}` +
            (item.label ? ` → ${item.label.intent}` : ""),
        ),
      ),
    ),
  );
  byId("items-empty").hidden = state.items.length > 0;
  select(Math.min(keepIndex, state.items.length - 1));
}

function select(index) {
  state.index = index;
  state.entities = [];
  for (const row of byId("items").children) row.setAttribute("aria-selected", String(Number(row.dataset.index) === index));
  const item = current();
  byId("item").hidden = !item;
  byId("placeholder").hidden = Boolean(item);
  byId("conversation").hidden = true;
  byId("toggle-conversation").setAttribute("aria-expanded", "false");
  say(byId("item-message"), "");
  if (!item) return;
  const row = byId("items").children[index];
  if (row) row.scrollIntoView({ block: "nearest" });
  if (item.label) state.entities = item.label.entities.map((e) => ({ ...e }));
  renderItem();
}

function renderItem() {
  const item = current();
  const text = byId("item-text");
  const spans = [...state.entities].sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  for (const span of spans) {
    parts.push(item.text.slice(at, span.start));
    parts.push(el("mark", { title: span.entity }, item.text.slice(span.start, span.end)));
    at = span.end;
  }
  parts.push(item.text.slice(at));
  fill(text, parts);
  const seen = `${item.count}× gesehen, zuletzt ${new Date(item.last_seen + "Z").toLocaleString("de-DE")}`;
  byId("item-meta").textContent = `${REASONS[item.reason] || item.reason} · ${seen} · ${item.channel || "Kanal unbekannt"}`;
  fill(
    byId("suggestions"),
    item.predictions.map((p, i) =>
      el(
        "li",
        {},
        el("button", { type: "button", className: "button button--secondary", dataset: { intent: p.intent } }, `${i + 1}: ${p.intent}`),
        ` ${(p.confidence * 100).toFixed(0)} %`,
      ),
    ),
  );
  for (const button of byId("suggestions").querySelectorAll("button")) {
    button.addEventListener("click", () => enqueue(() => labelWith(button.dataset.intent)));
  }
  fill(
    byId("entities"),
    state.entities.map((span, i) =>
      el(
        "li",
        {},
        `${item.text.slice(span.start, span.end)} → ${span.entity} `,
        el("button", { type: "button", className: "button button--ghost", dataset: { remove: String(i) } }, "entfernen"),
      ),
    ),
  );
  for (const button of byId("entities").querySelectorAll("button")) {
    button.addEventListener("click", () => {
      state.entities.splice(Number(button.dataset.remove), 1);
      renderItem();
    });
  }
}

function markSelection() {
  const item = current();
  const selection = window.getSelection();
  if (!item || !selection || selection.isCollapsed) {
    return say(byId("item-message"), "Markieren Sie zuerst einen Teil des Textes.", "error");
  }
  const box = byId("item-text");
  const range = selection.getRangeAt(0);
  if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) {
    return say(byId("item-message"), "Markieren Sie einen Teil des Nachrichtentextes.", "error");
  }
  const before = document.createRange();
  before.selectNodeContents(box);
  before.setEnd(range.startContainer, range.startOffset);
  let start = before.toString().length;
  let end = start + range.toString().length;
  while (start < end && /\s/.test(item.text[start])) start += 1;
  while (end > start && /\s/.test(item.text[end - 1])) end -= 1;
  if (end <= start) return;
  if (state.entities.some((e) => start < e.end && e.start < end)) {
    return say(byId("item-message"), "Die Markierung überschneidet sich mit einer Entität.", "error");
  }
  state.entities.push({ start, end, entity: byId("entity-select").value });
  selection.removeAllRanges();
  renderItem();
}

async function labelWith(intent) {
  const item = current();
  if (!item) return;
  if (!state.intents.includes(intent)) {
    return say(byId("item-message"), "Diesen Intent gibt es nicht.", "error");
  }
  await act(() => training.label(item.id, intent, state.entities), `als ${intent} gelabelt`);
}

async function ignore() {
  const item = current();
  if (item) await act(() => training.ignore(item.id), "ignoriert");
}

async function act(call, done) {
  const index = state.index;
  try {
    await call();
  } catch (error) {
    return handle(error);
  }
  byId("intent-input").value = "";
  if (byId("filter-status").value === "open") {
    state.items.splice(index, 1); // it left the open inbox: the next one moves up
    renderList(index);
  } else {
    await refresh(index + 1);
  }
  say(byId("item-message"), current() ? `Vorige Nachricht ${done}.` : "", "success");
  byId("items").focus();
}

async function toggleConversation() {
  const item = current();
  const section = byId("conversation");
  if (!item) return;
  if (!section.hidden) {
    section.hidden = true;
    byId("toggle-conversation").setAttribute("aria-expanded", "false");
    return;
  }
  try {
    const conversation = await training.conversation(item.id);
    fill(
      byId("turns"),
      conversation.turns.map((turn) =>
        el("li", { className: `${turn.speaker}${turn.current ? " current" : ""}` }, turn.text),
      ),
    );
  } catch (error) {
    return handle(error);
  }
  section.hidden = false;
  byId("toggle-conversation").setAttribute("aria-expanded", "true");
}

function handle(error) {
  if (error instanceof SessionExpired) return showLogin("Sitzung abgelaufen, bitte neu anmelden.");
  say(byId("item-message"), error.message || "Fehler", "error");
}

function onKey(event) {
  if (byId("bench-view").hidden || event.ctrlKey || event.metaKey || event.altKey) return;
  const typing = event.target.closest && event.target.closest("input, select, textarea");
  if (typing) return;
  const suggestion = (rank) => () => {
    const item = current(); // the item shown when the action runs, after the ones before it
    if (item && item.predictions[rank]) return labelWith(item.predictions[rank].intent);
  };
  const keys = {
    j: () => select(Math.min(state.index + 1, state.items.length - 1)),
    ArrowDown: () => select(Math.min(state.index + 1, state.items.length - 1)),
    k: () => select(Math.max(state.index - 1, 0)),
    ArrowUp: () => select(Math.max(state.index - 1, 0)),
    Enter: suggestion(0),
    1: suggestion(0),
    2: suggestion(1),
    3: suggestion(2),
    i: () => byId("intent-input").focus(),
    m: markSelection,
    o: () => labelWith("out_of_scope"),
    x: ignore,
    c: toggleConversation,
  };
  const action = keys[event.key];
  if (!action) return;
  if (event.target.tagName === "BUTTON" && event.key === "Enter") return;
  event.preventDefault();
  if (event.key === "i" || event.key === "m") action(); // needs the focus or selection now
  else enqueue(action);
}

start();
