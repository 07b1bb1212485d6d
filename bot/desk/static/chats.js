// Every chat the agent holds, with unread counts, and the half-typed reply of each chat.
// Read counts and drafts live in sessionStorage: they survive a reload, not the tab.

import { el, fill } from "./dom.js";
import { customerLabel } from "./queue.js";

const SEEN_KEY = "nordlicht-desk.seen.v1";
const DRAFTS_KEY = "nordlicht-desk.drafts.v1";

function load(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) || "{}") || {};
  } catch {
    return {};
  }
}

const seen = load(SEEN_KEY);
const drafts = load(DRAFTS_KEY);

/** Customer messages of `item` the agent has not had on screen yet. */
export function unread(item) {
  return Math.max(0, (item.customer_messages || 0) - (seen[item.id] || 0));
}

/** The agent has the escalation on screen: all its customer messages are read. */
export function markRead(escalation) {
  const count = (escalation.transcript || []).filter((line) => line.role === "customer").length;
  if (seen[escalation.id] === count) return;
  seen[escalation.id] = count;
  sessionStorage.setItem(SEEN_KEY, JSON.stringify(seen));
}

export function draftOf(id) {
  return (id && drafts[id]) || "";
}

export function keepDraft(id, text) {
  if (!id) return;
  if (text) drafts[id] = text;
  else delete drafts[id];
  sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(drafts));
}

/** Render the agent's claimed chats into `list`; return the total unread count. */
export function renderMyChats(list, counter, items, selectedId) {
  let total = 0;
  const entries = items.map((item) => {
    const count = String(item.id) === String(selectedId) ? 0 : unread(item);
    total += count;
    const current = String(item.id) === String(selectedId);
    return el(
      "li",
      { className: "mychat", dataset: { id: item.id } },
      el(
        "a",
        {
          className: `mychat__link${current ? " is-current" : ""}`,
          href: `#/anfrage/${item.id}`,
          "aria-current": current ? "true" : null,
        },
        el("span", { className: "mychat__id" }, `#${item.id}`),
        el("span", { className: "mychat__customer" }, customerLabel(item.customer)),
        draftOf(item.id) ? el("span", { className: "mychat__draft" }, "Entwurf") : null,
        count
          ? el("span", { className: "unread", "aria-label": `${count} ungelesen` }, String(count))
          : null,
      ),
    );
  });
  fill(list, entries.length ? entries : el("li", { className: "muted mychat--none" }, "Keine."));
  counter.textContent = String(items.length);
  return total;
}
