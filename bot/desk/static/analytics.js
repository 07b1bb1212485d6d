// The analytics page: key figures and four SVG charts from /api/analytics (roles lead, trainer).
// Drawn with plain SVG elements (no library, no CDN); texts are set with textContent.
import { ApiError, SessionExpired, clearSession, loadSession, login, request, sessionExpired } from "./api.js";

const SVG = "http://www.w3.org/2000/svg";
const BLUE = "#0b6bcb";
const GREEN = "#2e8b57";
const GREY = "#c5ced8";
const $ = (id) => document.getElementById(id);

function svg(width, height) {
  const root = document.createElementNS(SVG, "svg");
  root.setAttribute("viewBox", `0 0 ${width} ${height}`);
  root.setAttribute("role", "img");
  return root;
}

function el(parent, name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  parent.appendChild(node);
  return node;
}

function empty(container, text) {
  const p = document.createElement("p");
  p.className = "chart-empty";
  p.textContent = text;
  container.replaceChildren(p);
}

const number = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 2 });
const percent = (rate) => (rate === null || rate === undefined ? "–" : `${number.format(rate * 100)} %`);
const dayLabel = (iso) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.`;

/** A line chart of one value per day; `max` is the top of the axis. */
function lineChart(container, days, value, { max, format, color, label }) {
  const points = days.map((day, index) => ({ index, day: day.date, v: value(day) }));
  if (!points.some((p) => p.v !== null && p.v !== undefined)) return empty(container, "Keine Daten im Zeitraum.");
  const width = 560, height = 220, left = 44, right = 28, top = 12, bottom = 34;
  const root = svg(width, height);
  root.setAttribute("aria-label", label);
  const x = (i) => left + (days.length === 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (days.length - 1));
  const y = (v) => top + (1 - v / max) * (height - top - bottom);
  for (let step = 0; step <= 4; step += 1) {
    const v = (max * step) / 4;
    el(root, "line", { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: "#e6ebf0" });
    el(root, "text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", fill: "#44505c" }, format(v));
  }
  const every = Math.max(1, Math.ceil(days.length / 10));
  days.forEach((day, i) => {
    if (i % every === 0) el(root, "text", { x: x(i), y: height - 12, "text-anchor": "middle", fill: "#44505c" }, dayLabel(day.date));
  });
  const known = points.filter((p) => p.v !== null && p.v !== undefined);
  el(root, "polyline", {
    points: known.map((p) => `${x(p.index)},${y(p.v)}`).join(" "),
    fill: "none",
    stroke: color,
    "stroke-width": 2.5,
  });
  for (const p of known) {
    const dot = el(root, "circle", { cx: x(p.index), cy: y(p.v), r: 3.5, fill: color });
    el(dot, "title", {}, `${dayLabel(p.day)}: ${format(p.v)}`);
  }
  container.replaceChildren(root);
}

/** Horizontal bars: one per entry, or two (started/completed) per entry with `second`. */
function barChart(container, entries, { label, second }) {
  if (!entries.length) return empty(container, "Keine Daten im Zeitraum.");
  const rowHeight = second ? 30 : 22, width = 560, left = 190, right = 40, top = second ? 22 : 6;
  const height = top + entries.length * rowHeight + 6;
  const root = svg(width, height);
  root.setAttribute("aria-label", label);
  const max = Math.max(1, ...entries.map((e) => Math.max(e.value, e.second || 0)));
  const scale = (v) => (v / max) * (width - left - right);
  if (second) {
    el(root, "rect", { x: left, y: 4, width: 10, height: 10, fill: GREY });
    el(root, "text", { x: left + 14, y: 13, fill: "#44505c" }, "begonnen");
    el(root, "rect", { x: left + 90, y: 4, width: 10, height: 10, fill: GREEN });
    el(root, "text", { x: left + 104, y: 13, fill: "#44505c" }, "abgeschlossen");
  }
  entries.forEach((entry, i) => {
    const y = top + i * rowHeight;
    el(root, "text", { x: left - 8, y: y + 14, "text-anchor": "end", fill: "#1d2733" }, entry.name);
    el(root, "rect", { x: left, y: y + 3, width: Math.max(1, scale(entry.value)), height: second ? 11 : 15, fill: second ? GREY : BLUE });
    el(root, "text", { x: left + scale(entry.value) + 4, y: y + (second ? 12 : 15), fill: "#1d2733" }, String(entry.value));
    if (second) {
      el(root, "rect", { x: left, y: y + 15, width: Math.max(1, scale(entry.second)), height: 11, fill: GREEN });
      el(root, "text", { x: left + scale(entry.second) + 4, y: y + 25, fill: "#1d2733" }, String(entry.second));
    }
  });
  container.replaceChildren(root);
}

function kpis(summary) {
  const figures = [
    ["Gespräche", String(summary.conversations)],
    ["eigenständig gelöst", `${summary.contained} (${percent(summary.containment_rate)})`],
    ["an Mitarbeitende übergeben", `${summary.escalated} (${percent(summary.escalation_rate)})`],
    ["mit Missverständnis", percent(summary.fallback_rate)],
    ["CSAT", summary.csat_average === null ? "–" : `${number.format(summary.csat_average)} (${summary.csat_count})`],
    ["Wartezeit (Median)", summary.median_wait_seconds === null ? "–" : `${number.format(summary.median_wait_seconds)} s`],
    ["Bearbeitung (Median)", summary.median_handle_seconds === null ? "–" : `${number.format(summary.median_handle_seconds)} s`],
  ];
  $("kpis").replaceChildren(
    ...figures.map(([name, value]) => {
      const box = document.createElement("div");
      box.className = "kpi";
      const v = document.createElement("div");
      v.className = "kpi__value";
      v.textContent = value;
      const l = document.createElement("div");
      l.className = "kpi__label";
      l.textContent = name;
      box.append(v, l);
      return box;
    }),
  );
}

async function show() {
  const from = $("from").value, to = $("to").value;
  const query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  $("csv-link").href = `/api/analytics/daily.csv?${query}`;
  $("analytics-error").textContent = "";
  try {
    const [summary, days] = await Promise.all([
      request("GET", `/api/analytics/summary?${query}`),
      request("GET", `/api/analytics/daily?${query}`),
    ]);
    kpis(summary);
    lineChart($("chart-containment"), days, (d) => d.containment_rate, { max: 1, format: percent, color: BLUE, label: "Containment pro Tag" });
    lineChart($("chart-csat"), days, (d) => d.csat_average, { max: 5, format: (v) => number.format(v), color: GREEN, label: "CSAT pro Tag" });
    barChart($("chart-reasons"), Object.entries(summary.escalations_by_reason).map(([name, value]) => ({ name, value })), { label: "Übergaben nach Grund" });
    barChart(
      $("chart-journeys"),
      Object.entries(summary.journeys).map(([name, j]) => ({ name, value: j.started, second: j.completed })),
      { label: "Anliegen begonnen und abgeschlossen", second: true },
    );
    document.body.dataset.ready = "true";
  } catch (error) {
    if (error instanceof SessionExpired) return showLogin("Bitte melden Sie sich an.");
    $("analytics-error").textContent =
      error instanceof ApiError && error.status === 403
        ? "Diese Seite ist der Teamleitung und dem Training vorbehalten."
        : error.message;
  }
}

async function downloadCsv(event) {
  event.preventDefault();
  try {
    const session = loadSession();
    const response = await fetch($("csv-link").href, { headers: { Authorization: `Bearer ${session.token}` } });
    if (!response.ok) throw new ApiError(response.status, `Fehler ${response.status}`);
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = `analytics-${$("from").value}-${$("to").value}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  } catch (error) {
    $("analytics-error").textContent = error.message;
  }
}

function showLogin(message) {
  clearSession();
  $("analytics-view").hidden = true;
  $("login-view").hidden = false;
  $("login-error").textContent = message || "";
}

function start() {
  const params = new URLSearchParams(location.search);
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 29 * 86400000);
  $("from").value = params.get("from") || monthAgo.toISOString().slice(0, 10);
  $("to").value = params.get("to") || today.toISOString().slice(0, 10);
  $("period-form").addEventListener("submit", (event) => {
    event.preventDefault();
    show();
  });
  $("csv-link").addEventListener("click", downloadCsv);
  $("login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await login($("username").value, $("password").value);
      $("login-view").hidden = true;
      $("analytics-view").hidden = false;
      show();
    } catch (error) {
      $("login-error").textContent = error.status === 401 ? "Benutzername oder Passwort falsch." : error.message;
    }
  });
  if (sessionExpired(loadSession())) return showLogin();
  $("analytics-view").hidden = false;
  show();
}

start();
