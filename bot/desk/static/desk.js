// The agent desk: login, the live queue, one escalation on one screen, and the agent's actions.
// Live data comes from /desk/api/updates (long polling); actions go to the escalation API.

import { ApiError, SessionExpired, api, clearSession, loadSession, login, sessionExpired } from "./api.js";
import { attachCanned } from "./canned.js";
import { draftOf, keepDraft, markRead, renderMyChats } from "./chats.js";
import { byId, say } from "./dom.js";
import { permissions, renderDetail } from "./detail.js";
import { announceArrivals, announceReplies, setSound, setTitle, soundOn, wirePermission } from "./notify.js";
import { renderQueue, tickWaits } from "./queue.js";
import { createSearch } from "./search.js";
import { loadColleagues } from "./transfer.js";

const RETRY_MS = 2000;
const EXPIRED = "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.";

const state = {
  session: null,
  filter: "open",
  snapshot: { open: [], claimed: [] },
  resolved: [],
  selectedId: null,
  escalation: null,
  cursor: "",
  knownOpen: null, // ids of open escalations seen so far (null: none yet)
  heard: null, // escalation id -> customer messages already announced (null: none yet)
  canned: { id: null, answers: [] }, // filled canned answers of the open escalation
  poll: null, // AbortController of the running long poll
  running: false,
};

// ---- session ---------------------------------------------------------------

function showLogin(message, kind = "error") {
  stopUpdates();
  clearSession();
  state.session = null;
  state.escalation = null;
  state.knownOpen = null;
  state.heard = null;
  setTitle(0, 0);
  byId("desk-view").hidden = true;
  byId("session").hidden = true;
  byId("login-view").hidden = false;
  const error = byId("login-error");
  say(error, message || "", kind);
  byId("login-password").value = "";
  byId("login-username").focus();
}

function showDesk(session) {
  state.session = session;
  byId("login-view").hidden = true;
  byId("desk-view").hidden = false;
  byId("session").hidden = false;
  byId("agent-name").textContent = session.username;
  selectFromHash();
  loadCanned(state.selectedId);
  loadColleagues(me()).catch(handleError);
  startUpdates();
}

function handleError(error, node) {
  if (error instanceof SessionExpired) {
    showLogin(EXPIRED, "info");
    return true;
  }
  if (node) say(node, error instanceof ApiError ? errorMessage(error) : "Unerwarteter Fehler.", "error");
  return false;
}

function errorMessage(error) {
  if (error.status === 0) return "Keine Verbindung zum Server. Bitte versuchen Sie es gleich noch einmal.";
  if (error.status === 404) return "Diese Anfrage gibt es nicht (mehr).";
  if (error.status === 409) return "Das geht gerade nicht: Die Anfrage wurde inzwischen geändert.";
  if (error.status === 422) return "Bitte prüfen Sie Ihre Eingabe.";
  if (error.status === 502) return "Der Chat-Server hat die Nachricht nicht angenommen. Bitte erneut versuchen.";
  return `Fehler ${error.status}: ${error.message}`;
}

async function onLogin(event) {
  event.preventDefault();
  const username = byId("login-username").value.trim();
  const password = byId("login-password").value;
  const error = byId("login-error");
  if (!username || !password) {
    say(error, "Bitte Benutzername und Passwort eingeben.", "error");
    return;
  }
  const button = byId("login-submit");
  button.disabled = true;
  try {
    const session = await login(username, password);
    say(error, "");
    showDesk(session);
  } catch (failure) {
    const text =
      failure instanceof ApiError && failure.status === 401
        ? "Benutzername oder Passwort ist falsch."
        : failure instanceof ApiError && failure.status === 429
          ? "Zu viele Versuche. Bitte warten Sie einen Moment."
          : failure instanceof ApiError
            ? errorMessage(failure)
            : "Anmeldung fehlgeschlagen.";
    say(error, text, "error");
    byId("login-password").select();
  } finally {
    button.disabled = false;
  }
}

// ---- live updates ----------------------------------------------------------

function setLive(text, ok) {
  const node = byId("live-status");
  node.textContent = text;
  node.classList.toggle("live--down", !ok);
}

function stopUpdates() {
  state.running = false;
  if (state.poll) state.poll.abort();
  state.poll = null;
}

function restartUpdates() {
  // Abort the waiting request; the loop asks again at once (empty cursor).
  state.cursor = "";
  if (state.poll) state.poll.abort();
}

async function startUpdates() {
  if (state.running) return;
  state.running = true;
  while (state.running) {
    state.poll = new AbortController();
    try {
      const update = await api.updates(state.cursor, state.selectedId, state.poll.signal);
      state.cursor = update.cursor;
      setLive("Live", true);
      applyUpdate(update);
    } catch (error) {
      if (error.name === "AbortError") continue;
      if (error instanceof SessionExpired) {
        showLogin(EXPIRED, "info");
        return;
      }
      setLive("Verbindung unterbrochen – neuer Versuch …", false);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}

function mine(items) {
  return items.filter((item) => item.claimed_by && item.claimed_by.id === me());
}

function drawMyChats() {
  const held = mine(state.snapshot.claimed);
  const total = renderMyChats(byId("my-chats"), byId("count-mine"), held, state.selectedId);
  setTitle(state.snapshot.open.length, total);
}

function applyUpdate(update) {
  if (update.agent) {
    const { display_name: shown, username } = update.agent;
    byId("agent-name").textContent = shown && shown !== username ? `${shown} (${username})` : username;
  }
  state.snapshot = { open: update.open || [], claimed: update.claimed || [] };
  announceArrivals(state, state.snapshot.open);
  announceReplies(state, mine(state.snapshot.claimed));
  byId("count-open").textContent = String(state.snapshot.open.length);
  byId("count-claimed").textContent = String(state.snapshot.claimed.length);
  if (state.filter !== "resolved") drawQueue(); // the search results stay until the agent asks
  drawMyChats();
  byId("customer-typing").hidden = !update.customer_typing;
  if (update.escalation && String(update.escalation.id) === String(state.selectedId)) {
    showEscalation(update.escalation);
  } else if (update.missing && state.selectedId) {
    byId("case").hidden = true;
    const placeholder = byId("placeholder");
    placeholder.hidden = false;
    placeholder.textContent = `Anfrage #${state.selectedId} gibt es nicht.`;
  }
}

// ---- queue -----------------------------------------------------------------

function me() {
  return state.session ? state.session.agentId : null;
}

function drawQueue() {
  const items = state.filter === "resolved" ? state.resolved : state.snapshot[state.filter] || [];
  const resolved = state.filter === "resolved"; // newest first, as the search answered
  renderQueue(byId("queue-list"), byId("queue-empty"), items, state.selectedId, me(), resolved);
}

const search = createSearch({
  load: (filters, page) => api.searchResolved(filters, page),
  show: (items) => {
    state.resolved = items;
    drawQueue();
  },
  fail: (error) => handleError(error),
});

function selectTab(tab, focus) {
  for (const other of document.querySelectorAll(".tab")) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
  }
  byId("queue-list").setAttribute("aria-labelledby", tab.id);
  state.filter = tab.dataset.filter;
  if (focus) tab.focus();
  search.toggle(state.filter === "resolved");
  if (state.filter !== "resolved") drawQueue();
}

function onTabKey(event) {
  const tabs = [...document.querySelectorAll(".tab")];
  const index = tabs.indexOf(event.target);
  const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
  if (index < 0 || !step) return;
  event.preventDefault();
  selectTab(tabs[(index + step + tabs.length) % tabs.length], true);
}

// ---- one escalation --------------------------------------------------------

function selectFromHash() {
  const match = /^#\/anfrage\/(\d+)$/.exec(location.hash);
  const id = match ? Number(match[1]) : null;
  if (id === state.selectedId) return;
  keepDraft(state.selectedId, byId("reply-text").value);
  byId("reply-text").value = draftOf(id);
  state.selectedId = id;
  loadCanned(id);
  state.escalation = null;
  say(byId("case-message"), "");
  byId("transcript").dataset.escalation = "";
  byId("case").hidden = true;
  const placeholder = byId("placeholder");
  placeholder.hidden = false;
  placeholder.textContent = id ? `Anfrage #${id} wird geladen …` : "Wählen Sie links eine Anfrage aus der Warteschlange.";
  drawQueue();
  drawMyChats();
  if (state.session) restartUpdates();
}

async function loadCanned(id) {
  state.canned = { id, answers: [] };
  if (!id || !state.session) return;
  try {
    const answers = await api.canned(id);
    if (state.canned.id === id) state.canned.answers = answers;
  } catch (error) {
    handleError(error);
  }
}

function showEscalation(escalation) {
  state.escalation = escalation;
  byId("placeholder").hidden = true;
  byId("case").hidden = false;
  renderDetail(escalation, me());
  if (document.visibilityState === "visible") markRead(escalation);
  drawMyChats();
}

/** Run one agent action; show its error in the case message line; refresh live data. */
async function act(action, { success, button } = {}) {
  const message = byId("case-message");
  if (button) button.disabled = true;
  try {
    const result = await action();
    if (result && result.transcript) showEscalation(result);
    say(message, success || "", "success");
    restartUpdates();
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      await explainConflict();
    } else {
      handleError(error, message);
    }
    return false;
  } finally {
    if (button) button.disabled = false;
    if (state.escalation) renderDetail(state.escalation, me());
  }
}

async function explainConflict() {
  const message = byId("case-message");
  try {
    const fresh = await api.get(state.selectedId);
    showEscalation(fresh);
    const owner = fresh.claimed_by;
    if (fresh.status === "resolved") say(message, "Diese Anfrage ist bereits erledigt.", "error");
    else if (owner && owner.id !== me()) say(message, `Bereits von ${owner.display_name || owner.username} übernommen.`, "error");
    else say(message, "Das geht gerade nicht: Die Anfrage wurde inzwischen geändert.", "error");
  } catch (error) {
    handleError(error, message);
  }
}

function onClaim() {
  const id = state.selectedId;
  act(() => api.claim(id), {
    success: "Übernommen. Der Kunde schreibt jetzt an Sie.",
    button: byId("claim"),
  }).then((ok) => ok && byId("reply-text").focus());
}

function onHandback() {
  const id = state.selectedId;
  act(() => api.handback(id), { success: "Das Gespräch ist zurück beim Bot.", button: byId("handback") });
}

async function onReply(event) {
  event.preventDefault();
  const input = byId("reply-text");
  const text = input.value.trim();
  if (!text || !state.escalation || !permissions(state.escalation, me()).reply) return;
  const id = state.selectedId;
  const ok = await act(() => api.message(id, text), { button: byId("reply-send") });
  if (ok) {
    keepDraft(id, "");
    if (state.selectedId === id) input.value = "";
  }
  input.focus();
}

function onReplyKey(event) {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    byId("reply-form").requestSubmit();
  }
}

async function onNote(event) {
  event.preventDefault();
  const input = byId("note-text");
  const text = input.value.trim();
  if (!text) return;
  const ok = await act(() => api.note(state.selectedId, text), {
    success: "Notiz gespeichert.",
    button: event.submitter,
  });
  if (ok) input.value = "";
}

async function onResolve(event) {
  event.preventDefault();
  const input = byId("resolve-text");
  const text = input.value.trim();
  if (!text) {
    say(byId("case-message"), "Bitte beschreiben Sie kurz die Lösung.", "error");
    input.focus();
    return;
  }
  const ok = await act(() => api.resolve(state.selectedId, text), {
    success: "Erledigt. Die Lösung steht in der Kundenhistorie.",
    button: byId("resolve"),
  });
  if (ok) input.value = "";
}

async function onTransfer(event) {
  event.preventDefault();
  const id = state.selectedId;
  const to = byId("transfer-to");
  const who = to.value ? to.selectedOptions[0].textContent.replace(/ \(.*$/, "") : null;
  const ok = await act(() => api.transfer(id, to.value, byId("transfer-note").value.trim()), {
    success: who ? `An ${who} weitergegeben.` : "Zurück in der Warteschlange.",
    button: byId("transfer"),
  });
  if (ok) {
    byId("transfer-note").value = "";
    keepDraft(id, "");
    byId("reply-text").value = "";
  }
}

async function onLogout() {
  try {
    await api.logout(); // the token stops working on the server, not only in this tab
  } catch {
    // an expired session is logged out anyway
  }
  showLogin("Sie haben sich abgemeldet.", "info");
}

// ---- start -----------------------------------------------------------------

function start() {
  byId("login-form").addEventListener("submit", onLogin);
  byId("logout").addEventListener("click", onLogout);
  const sound = byId("sound-toggle");
  sound.checked = soundOn();
  sound.addEventListener("change", () => setSound(sound.checked));
  wirePermission(byId("notify-permission"));
  attachCanned(byId("reply-text"), byId("canned-list"), () => state.canned.answers);
  byId("reply-text").addEventListener("input", () => keepDraft(state.selectedId, byId("reply-text").value));
  byId("transfer-form").addEventListener("submit", onTransfer);
  byId("transfer-to").addEventListener("focus", () => loadColleagues(me()).catch(handleError));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state.escalation) showEscalation(state.escalation);
  });
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => selectTab(tab, false));
    tab.addEventListener("keydown", onTabKey);
  }
  byId("claim").addEventListener("click", onClaim);
  byId("handback").addEventListener("click", onHandback);
  byId("reply-form").addEventListener("submit", onReply);
  byId("reply-text").addEventListener("keydown", onReplyKey);
  byId("note-form").addEventListener("submit", onNote);
  byId("resolve-form").addEventListener("submit", onResolve);
  window.addEventListener("hashchange", selectFromHash);
  setInterval(() => {
    tickWaits(document);
    if (state.session && sessionExpired(state.session)) showLogin(EXPIRED, "info");
  }, 30_000);

  const session = loadSession();
  if (session && !sessionExpired(session)) showDesk(session);
  else showLogin(session ? EXPIRED : "", "info");
}

start();
