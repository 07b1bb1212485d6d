// German labels and formats of the desk. Times are shown in Europe/Berlin as DD.MM.YYYY HH:MM.

export const PRIORITY = { urgent: "Dringend", high: "Hoch", normal: "Normal" };
export const STATUS = { open: "Offen", claimed: "In Bearbeitung", resolved: "Erledigt" };
export const ROLE = { customer: "Kunde", bot: "Bot", agent: "Agent", system: "System" };
export const CHANNEL = {
  socketio: "Website-Chat",
  website: "Website-Chat",
  rest: "REST",
  facebook: "Messenger",
  messenger: "Messenger",
  chat: "Chat",
};
export const CONTACT_CHANNEL = {
  chat: "Chat",
  messenger: "Messenger",
  phone: "Telefon",
  email: "E-Mail",
  website: "Website",
  dealership: "Autohaus",
  workshop: "Werkstatt",
  letter: "Brief",
};
export const ORDER_STATUS = {
  ordered: "bestellt",
  in_production: "in Produktion",
  shipped: "versandt",
  delivered: "geliefert",
  cancelled: "storniert",
};
export const CASE_KIND = {
  complaint: "Reklamation",
  warranty: "Garantie",
  breakdown: "Panne",
  privacy: "Datenschutz",
  invoice_dispute: "Rechnungsreklamation",
  general: "Allgemein",
};
export const CASE_STATUS = { open: "offen", in_progress: "in Bearbeitung", closed: "geschlossen" };
export const TIER = { Standard: "Standard", Silver: "Silber", Gold: "Gold", Platinum: "Platin" };

const ZONE = "Europe/Berlin";
const DATE_TIME = new Intl.DateTimeFormat("de-DE", {
  timeZone: ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const DATE = new Intl.DateTimeFormat("de-DE", {
  timeZone: ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

/** Parse an API time; times without an offset are UTC (the API's convention). */
export function parseTime(value) {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number") return new Date(value * 1000);
  const text = String(value);
  const hasZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(text);
  const date = new Date(hasZone || !text.includes("T") ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function parts(formatter, date) {
  const out = {};
  for (const part of formatter.formatToParts(date)) out[part.type] = part.value;
  return out;
}

/** 23.11.2026 14:05 (Europe/Berlin), or "–". */
export function dateTime(value) {
  const date = parseTime(value);
  if (!date) return "–";
  const p = parts(DATE_TIME, date);
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/** 23.11.2026; plain dates (YYYY-MM-DD) are taken as they are. */
export function dateOnly(value) {
  if (!value) return "–";
  const plain = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  if (plain) return `${plain[3]}.${plain[2]}.${plain[1]}`;
  const date = parseTime(value);
  if (!date) return "–";
  const p = parts(DATE, date);
  return `${p.day}.${p.month}.${p.year}`;
}

/** "seit 7 Min.", "seit 2 Std. 5 Min.", "seit 3 Tagen". */
export function waitingSince(value, now = Date.now()) {
  const date = parseTime(value);
  if (!date) return "";
  const minutes = Math.max(0, Math.floor((now - date.getTime()) / 60000));
  if (minutes < 1) return "gerade eben";
  if (minutes < 60) return `seit ${minutes} Min.`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `seit ${hours} Std. ${minutes % 60} Min.`;
  return `seit ${Math.floor(hours / 24)} Tagen`;
}

export function percent(confidence) {
  const value = Number(confidence);
  if (!Number.isFinite(value)) return "–";
  return `${new Intl.NumberFormat("de-DE", { maximumFractionDigits: 0 }).format(value * 100)} %`;
}

/** A slot value as short text (lists joined, objects as JSON). */
export function slotText(value) {
  if (value === true) return "ja";
  if (value === false) return "nein";
  if (Array.isArray(value)) return value.map(slotText).join(", ");
  if (value && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function label(table, value) {
  return (value && table[value]) || value || "–";
}
