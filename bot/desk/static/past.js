// The verified customer's earlier escalations (when, why, outcome, who) and earlier conversations
// with the assistant (when, channel, topic): one line each, the whole transcript one click away
// (a disclosure widget).

import { byId, el, fillList } from "./dom.js";
import { CHANNEL, ROLE, STATUS, dateOnly, dateTime, label } from "./format.js";

function pastEntry(past) {
  const who = past.agent ? past.agent.display_name || past.agent.username : "niemand";
  const outcome = past.resolution || label(STATUS, past.status);
  return el(
    "li",
    { className: "past__item" },
    el(
      "details",
      {},
      el(
        "summary",
        {},
        el("span", { className: "muted" }, `${dateOnly(past.created_at)} · #${past.id} · `),
        `${past.reason_text}: ${outcome} (${who})`,
      ),
      el("p", { className: "muted" }, [
        label(CHANNEL, past.channel),
        past.case_number ? ` · Vorgang ${past.case_number}` : "",
        past.resolved_at ? ` · erledigt ${dateTime(past.resolved_at)}` : "",
      ]),
      el(
        "ol",
        { className: "transcript transcript--past", "aria-label": `Gesprächsverlauf #${past.id}` },
        past.transcript.map((line) =>
          el(
            "li",
            { className: `line line--${line.role}` },
            el("span", { className: "line__meta" }, `${label(ROLE, line.role)} ${dateTime(line.timestamp)}`),
            el("span", { className: "line__text" }, line.text),
          ),
        ),
      ),
    ),
  );
}

function transcriptList(lines, name) {
  return el(
    "ol",
    { className: "transcript transcript--past", "aria-label": name },
    lines.map((line) =>
      el(
        "li",
        { className: `line line--${line.role}` },
        el("span", { className: "line__meta" }, `${label(ROLE, line.role)} ${dateTime(line.timestamp)}`),
        el("span", { className: "line__text" }, line.text),
      ),
    ),
  );
}

function conversationEntry(conversation) {
  const when = dateTime(conversation.started_at);
  return el(
    "li",
    { className: "past__item" },
    el(
      "details",
      {},
      el(
        "summary",
        {},
        el("span", { className: "muted" }, `${when} · ${label(CHANNEL, conversation.channel)} · `),
        conversation.summary || "Gespräch mit dem Assistenten",
      ),
      transcriptList(conversation.transcript, `Gespräch vom ${when}`),
    ),
  );
}

/** Render the earlier escalations and conversations of the open escalation's customer. */
export function renderPast(escalation) {
  fillList(byId("customer-past"), escalation.previous_escalations, pastEntry, "keine");
  fillList(
    byId("customer-conversations"),
    escalation.previous_conversations || [],
    conversationEntry,
    "keine",
  );
}
