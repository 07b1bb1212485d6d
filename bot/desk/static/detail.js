// One escalation on one screen: customer, reason, summary, what the bot knew and did,
// the transcript with the reply box, notes, and the buttons to claim, hand back, resolve.

import { attachmentView } from "./attachments.js";
import { byId, el, fill, fillFacts, fillList } from "./dom.js";
import { flagButton } from "./flag.js";
import { renderPast } from "./past.js";
import {
  CASE_KIND,
  CASE_STATUS,
  CHANNEL,
  CONTACT_CHANNEL,
  ORDER_STATUS,
  PRIORITY,
  ROLE,
  STATUS,
  TIER,
  dateOnly,
  dateTime,
  label,
  percent,
  slotText,
  waitingSince,
} from "./format.js";

const SLOT_LABELS = {
  customer_number: "Kundennummer",
  verified_customer_number: "Verifizierte Kundennummer",
  order_number: "Bestellnummer",
  invoice_number: "Rechnungsnummer",
  plate: "Kennzeichen",
  vin: "FIN",
  email: "E-Mail",
  phone: "Telefon",
  postal_code: "PLZ",
  city: "Ort",
  model: "Modell",
  service_type: "Leistung",
  date: "Datum",
  time: "Uhrzeit",
  requested_intent: "Anliegen",
  handoff_reason: "Übergabegrund",
  handoff_case_number: "Vorgangsnummer",
  agent_takeover: "Live-Übernahme",
  verification_failures: "Fehlversuche Verifizierung",
};

// Routing state of the takeover, shown in the head instead (its value here is from the hand-over).
const HIDDEN_SLOTS = new Set(["agent_takeover"]);

/** What the agent may do with `escalation` (`me`: own agent id). */
export function permissions(escalation, me) {
  const mine = Boolean(escalation.claimed_by && escalation.claimed_by.id === me);
  const claimed = escalation.status === "claimed";
  return {
    mine,
    claim: escalation.status === "open",
    reply: claimed && mine,
    handback: claimed && mine,
    transfer: claimed && mine,
    resolve: claimed && mine,
    note: escalation.status !== "resolved",
  };
}

function renderHead(escalation, me) {
  byId("case-title").textContent = `Anfrage #${escalation.id}`;
  const priority = byId("case-priority");
  priority.textContent = label(PRIORITY, escalation.priority);
  priority.className = `badge badge--${escalation.priority}`;
  priority.setAttribute("aria-label", `Priorität: ${label(PRIORITY, escalation.priority)}`);
  const status = byId("case-status");
  const who = escalation.claimed_by
    ? escalation.claimed_by.id === me
      ? " (von Ihnen)"
      : ` (${escalation.claimed_by.display_name || escalation.claimed_by.username})`
    : "";
  status.textContent = `${label(STATUS, escalation.status)}${who}`;
  status.className = `badge badge--status badge--${escalation.status}`;
  byId("case-reason").textContent = escalation.reason_text || escalation.reason;

  const waiting =
    escalation.status === "open"
      ? [
          escalation.queue_position ? `Platz ${escalation.queue_position}` : null,
          waitingSince(escalation.created_at),
          escalation.wait_minutes !== null && escalation.wait_minutes !== undefined
            ? `geschätzt ${escalation.wait_minutes} Min.`
            : null,
        ]
          .filter(Boolean)
          .join(" · ")
      : null;
  fillFacts(byId("case-facts"), [
    ["Eingang", dateTime(escalation.created_at)],
    ["Wartezeit", waiting],
    ["Kanal", label(CHANNEL, escalation.channel)],
    ["Vorgang", escalation.case_number],
    ["Art", escalation.mode === "ticket" ? "Ticket (Rückruf zugesagt)" : "Live-Chat"],
    ["Rückruf bis", escalation.callback_due_at ? dateTime(escalation.callback_due_at) : null],
    ["Live-Übernahme", escalation.takeover_active ? "aktiv – Kunde schreibt an Sie" : null],
    ["Gespräch", escalation.conversation_id],
    ["Erledigt", escalation.resolved_at ? dateTime(escalation.resolved_at) : null],
    ["Lösung", escalation.resolution],
  ]);
}

function renderCustomer(customer) {
  customer = customer || { verified: false };
  const verified = byId("customer-verified");
  const note = customer.note && !/verifiziert/i.test(customer.note) ? ` (${customer.note})` : "";
  verified.textContent = customer.verified
    ? `✓ Identität verifiziert${note}`
    : customer.customer_number
      ? "⚠ Nicht verifiziert – Kundennummer nur vom Kunden genannt"
      : "⚠ Nicht verifiziert – Kunde unbekannt";
  verified.className = customer.verified ? "verified verified--yes" : "verified verified--no";
  byId("customer-profile").hidden = !customer.verified;
  byId("customer-no-profile").hidden = Boolean(customer.verified);
  fillFacts(byId("customer-facts"), [
    ["Name", customer.verified ? customer.name : null],
    [customer.verified ? "Kundennummer" : "Genannte Nr.", customer.customer_number || "unbekannt"],
    ["Status", customer.tier ? label(TIER, customer.tier) : null],
    ["Kunde seit", customer.customer_since ? dateOnly(customer.customer_since) : null],
    ["Ort", customer.city],
    ["E-Mail", customer.email],
    ["Telefon", customer.phone],
  ]);
  fillList(byId("customer-vehicles"), customer.vehicles, (v) =>
    el(
      "li",
      {},
      [v.model, v.plate, v.mileage_km !== undefined && v.mileage_km !== null ? `${new Intl.NumberFormat("de-DE").format(v.mileage_km)} km` : null]
        .filter(Boolean)
        .join(" · "),
      v.vin ? el("span", { className: "muted" }, ` FIN ${v.vin}`) : null,
    ),
  );
  fillList(byId("customer-orders"), customer.open_orders, (o) =>
    el(
      "li",
      {},
      `${o.order_number}: ${o.item} – ${label(ORDER_STATUS, o.status)}`,
      o.expected_delivery ? `, Lieferung ${dateOnly(o.expected_delivery)}` : "",
    ),
  );
  fillList(byId("customer-cases"), customer.open_cases, (c) =>
    el(
      "li",
      {},
      `${c.case_number}: ${label(CASE_KIND, c.kind)} – ${c.subject} (${label(CASE_STATUS, c.status)}, seit ${dateOnly(c.opened_at)})`,
    ),
  );
  fillList(byId("customer-interactions"), customer.recent_interactions, (i) =>
    el(
      "li",
      {},
      el("span", { className: "muted" }, `${dateOnly(i.occurred_at)} · ${label(CONTACT_CHANNEL, i.channel)}: `),
      i.summary,
      i.case_number ? ` (${i.case_number})` : "",
    ),
  );
}

function renderBot(escalation) {
  byId("case-summary").textContent = escalation.summary || "–";
  fillList(byId("case-intents"), escalation.intents, (intent) =>
    el(
      "li",
      { className: "intent" },
      el("span", { className: "intent__name" }, intent.intent),
      el("span", { className: "intent__confidence" }, percent(intent.confidence)),
      intent.text ? el("span", { className: "intent__text" }, `„${intent.text}“`) : null,
    ),
  );
  const slots = Object.entries(escalation.slots || {})
    .filter(([name]) => !HIDDEN_SLOTS.has(name))
    .map(([name, value]) => [SLOT_LABELS[name] || name, slotText(value)]);
  const entities = (escalation.entities || []).map((e) => [`Erkannt: ${SLOT_LABELS[e.entity] || e.entity}`, slotText(e.value)]);
  const facts = byId("case-slots");
  fillFacts(facts, [...slots, ...entities]);
  if (!facts.children.length) facts.append(el("div", { className: "muted" }, "keine"));
  fillList(byId("case-actions"), escalation.bot_actions, (action) =>
    el("li", {}, el("span", { className: "muted" }, `${dateTime(action.timestamp)} `), action.action),
  );
}

function lineKey(line) {
  return `${line.role}|${line.timestamp}|${line.text}`;
}

function transcriptLine(line) {
  return el(
    "li",
    { className: `line line--${line.role}`, dataset: { key: lineKey(line) } },
    el(
      "span",
      { className: "line__meta" },
      el("span", { className: "line__who" }, label(ROLE, line.role)),
      " ",
      el("time", { datetime: line.timestamp }, dateTime(line.timestamp)),
    ),
    el("span", { className: "line__text" }, line.text),
    line.attachment ? attachmentView(line.attachment) : null,
    line.role === "customer" && !line.attachment ? flagButton(line) : null,
  );
}

/** Render the transcript; when only new lines were added, append just those (so a screen
 * reader announces only them, and the agent's scroll position stays). */
function renderTranscript(escalation) {
  const log = byId("transcript");
  const lines = escalation.transcript || [];
  const owner = String(escalation.id);
  const shown = log.dataset.escalation === owner ? [...log.querySelectorAll(".line")] : null;
  const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
  const isPrefix =
    shown !== null &&
    shown.length <= lines.length &&
    shown.every((node, index) => node.dataset.key === lineKey(lines[index]));
  if (isPrefix && shown.length === lines.length) return;
  if (isPrefix && shown.length > 0) {
    log.append(...lines.slice(shown.length).map(transcriptLine));
  } else {
    fill(log, lines.map(transcriptLine));
    if (!lines.length) log.append(el("li", { className: "muted" }, "Noch keine Nachrichten."));
  }
  if (shown === null || nearBottom) log.scrollTop = log.scrollHeight;
  log.dataset.escalation = owner;
}

function renderNotes(escalation) {
  fillList(
    byId("notes"),
    escalation.notes,
    (note) =>
      el(
        "li",
        { className: "note" },
        el(
          "span",
          { className: "line__meta" },
          `${note.agent ? note.agent.display_name || note.agent.username : "Agent"} · ${dateTime(note.created_at)}`,
        ),
        el("span", { className: "line__text" }, note.text),
      ),
    "Noch keine Notizen.",
  );
}

function setEnabled(id, enabled, why) {
  const node = byId(id);
  node.disabled = !enabled;
  if (!enabled && why) node.setAttribute("title", why);
  else node.removeAttribute("title");
}

function renderControls(escalation, me) {
  const can = permissions(escalation, me);
  byId("claim").hidden = !can.claim;
  byId("handback").hidden = !can.handback;
  byId("transfer-panel").hidden = !can.transfer;
  const notMine = escalation.status === "resolved" ? "Die Anfrage ist erledigt." : "Erst übernehmen.";
  for (const id of ["reply-text", "reply-send"]) setEnabled(id, can.reply, notMine);
  byId("reply-hint").textContent = can.reply
    ? "Enter sendet, Umschalt+Enter für eine neue Zeile, / öffnet die Textbausteine."
    : escalation.status === "resolved"
      ? "Die Anfrage ist erledigt."
      : "Übernehmen Sie die Anfrage, um dem Kunden zu antworten.";
  for (const id of ["note-text"]) setEnabled(id, can.note, "Die Anfrage ist erledigt.");
  byId("note-form").querySelector("button").disabled = !can.note;
  for (const id of ["resolve-text", "resolve"]) setEnabled(id, can.resolve, notMine);
}

/** Show `escalation` (the API's detail JSON) to agent `me`. */
export function renderDetail(escalation, me) {
  renderHead(escalation, me);
  renderCustomer(escalation.customer);
  renderPast(escalation);
  renderBot(escalation);
  renderTranscript(escalation);
  renderNotes(escalation);
  renderControls(escalation, me);
}
