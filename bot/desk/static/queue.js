// The queue on the left: escalations by priority (urgent, high, normal), then oldest first.

import { el, fill } from "./dom.js";
import { CHANNEL, PRIORITY, dateTime, label, parseTime, waitingSince } from "./format.js";

const RANK = { urgent: 0, high: 1, normal: 2 };

/** Sort a copy of `items`: priority first, then the longest waiting. */
export function ordered(items) {
  return [...items].sort((a, b) => {
    const byRank = (RANK[a.priority] ?? 9) - (RANK[b.priority] ?? 9);
    if (byRank) return byRank;
    return (parseTime(a.created_at)?.getTime() ?? 0) - (parseTime(b.created_at)?.getTime() ?? 0);
  });
}

export function customerLabel(customer) {
  if (!customer) return "Unbekannt";
  if (customer.verified) return customer.name || customer.customer_number || "Verifiziert";
  return customer.customer_number ? `${customer.customer_number} (nicht verifiziert)` : "Unbekannt (nicht verifiziert)";
}

function entry(item, selectedId, me) {
  const mine = item.claimed_by && me !== null && item.claimed_by.id === me;
  const lines = [
    el(
      "span",
      { className: "qitem__top" },
      el("span", { className: `badge badge--${item.priority}` }, label(PRIORITY, item.priority)),
      el("span", { className: "qitem__id" }, `#${item.id}`),
      item.status === "open" && item.queue_position
        ? el("span", { className: "qitem__pos" }, `Platz ${item.queue_position}`)
        : null,
      item.status === "resolved"
        ? el("span", { className: "qitem__wait" }, `erledigt ${dateTime(item.resolved_at)}`)
        : el("span", { className: "qitem__wait", dataset: { since: item.created_at } }, waitingSince(item.created_at)),
    ),
    el("span", { className: "qitem__customer" }, customerLabel(item.customer)),
    el("span", { className: "qitem__reason" }, item.reason_text || item.reason),
    el(
      "span",
      { className: "qitem__meta" },
      label(CHANNEL, item.channel),
      item.mode === "ticket" ? " · Rückruf/Ticket" : "",
      item.claimed_by ? ` · ${mine ? "von Ihnen" : item.claimed_by.display_name || item.claimed_by.username}` : "",
    ),
  ];
  const current = String(item.id) === String(selectedId);
  return el(
    "li",
    { className: "qitem", dataset: { id: item.id } },
    el(
      "a",
      {
        className: `qitem__link${current ? " is-current" : ""}`,
        href: `#/anfrage/${item.id}`,
        "aria-current": current ? "true" : null,
      },
      lines,
    ),
  );
}

/** Render `items` into the list (queue order unless `asGiven`); keep focus on the same entry. */
export function renderQueue(list, empty, items, selectedId, me, asGiven = false) {
  const focusedId = document.activeElement?.closest?.(".qitem")?.dataset.id;
  fill(list, (asGiven ? items : ordered(items)).map((item) => entry(item, selectedId, me)));
  empty.hidden = items.length > 0;
  if (focusedId) list.querySelector(`.qitem[data-id="${CSS.escape(focusedId)}"] a`)?.focus();
}

/** Refresh the "seit … Min." labels without new data. */
export function tickWaits(root) {
  for (const node of root.querySelectorAll("[data-since]")) {
    node.textContent = waitingSince(node.dataset.since);
  }
}
