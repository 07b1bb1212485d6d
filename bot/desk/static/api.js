// The desk's only way to the server: the escalation JSON API and the live-update endpoint.
// The agent's bearer token lives in sessionStorage (this tab only, gone when it closes).

const STORAGE_KEY = "nordlicht-desk.session.v1";

/** Thrown for every failed call; `status` is the HTTP status (0: no connection). */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Thrown when the token is missing, expired or rejected: the desk goes back to the login. */
export class SessionExpired extends ApiError {}

/** The stored session {token, username, agentId, expiresAt} or null. */
export function loadSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || "null");
    if (!session || typeof session.token !== "string") return null;
    return session;
  } catch {
    return null;
  }
}

export function clearSession() {
  sessionStorage.removeItem(STORAGE_KEY);
}

export function sessionExpired(session) {
  return !session || (session.expiresAt && Date.now() >= session.expiresAt);
}

function tokenClaims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(
      Array.from(atob(part), (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join(""),
    );
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/** Log in; stores and returns the session, or throws ApiError (401: wrong credentials). */
export async function login(username, password) {
  const body = await request("POST", "/api/auth/login", { username, password }, { auth: false });
  const claims = tokenClaims(body.access_token);
  const expiresIn = Number(body.expires_in) || 0;
  const expiresAt = claims.exp ? claims.exp * 1000 : expiresIn ? Date.now() + expiresIn * 1000 : 0;
  const session = {
    token: body.access_token,
    username: claims.name || username,
    agentId: claims.sub ? Number(claims.sub) : null,
    expiresAt,
  };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

function errorText(status, body) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (detail && typeof detail.message === "string") return detail.message;
  if (Array.isArray(detail) && detail.length) return "Ungültige Eingabe.";
  return `Fehler ${status}`;
}

/** One JSON call. `signal` aborts it; 401 raises SessionExpired. */
export async function request(method, path, payload, { auth = true, signal } = {}) {
  const headers = { Accept: "application/json" };
  if (auth) {
    const session = loadSession();
    if (sessionExpired(session)) throw new SessionExpired(401, "Sitzung abgelaufen");
    headers.Authorization = `Bearer ${session.token}`;
  }
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: payload === undefined ? undefined : JSON.stringify(payload),
      signal,
      cache: "no-store",
      credentials: "same-origin",
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "Keine Verbindung zum Server.");
  }
  let body = null;
  const text = await response.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (response.status === 401 && auth) {
    throw new SessionExpired(401, "Sitzung abgelaufen", body);
  }
  if (!response.ok) throw new ApiError(response.status, errorText(response.status, body), body);
  return body;
}

/** A customer's file (uploaded to the bot service) as a Blob, fetched with the agent's token. */
export async function fetchFile(path) {
  const session = loadSession();
  if (sessionExpired(session)) throw new SessionExpired(401, "Sitzung abgelaufen");
  let response;
  try {
    response = await fetch(path, {
      headers: { Authorization: `Bearer ${session.token}` },
      cache: "no-store",
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "Keine Verbindung zum Server.");
  }
  if (!response.ok) throw new ApiError(response.status, `Fehler ${response.status}`);
  return response.blob();
}

export const api = {
  list: (status) => request("GET", `/api/escalations?status=${encodeURIComponent(status)}`),
  get: (id) => request("GET", `/api/escalations/${encodeURIComponent(id)}`),
  claim: (id) => request("POST", `/api/escalations/${encodeURIComponent(id)}/claim`, {}),
  message: (id, text) => request("POST", `/api/escalations/${encodeURIComponent(id)}/messages`, { text }),
  note: (id, text) => request("POST", `/api/escalations/${encodeURIComponent(id)}/notes`, { text }),
  resolve: (id, resolution) =>
    request("POST", `/api/escalations/${encodeURIComponent(id)}/resolve`, { resolution }),
  handback: (id) => request("POST", `/api/escalations/${encodeURIComponent(id)}/handback`, {}),
  transfer: (id, toAgent, note) =>
    request("POST", `/api/escalations/${encodeURIComponent(id)}/transfer`, {
      to_agent: toAgent || null,
      note: note || null,
    }),
  canned: (id) => request("GET", `/api/escalations/${encodeURIComponent(id)}/canned-responses`),
  colleagues: () => request("GET", "/api/agents"),
  logout: () => request("POST", "/api/auth/logout", {}),
  /** One page of resolved escalations; `filters` maps query names to values (empty ones dropped). */
  searchResolved: (filters, page) => {
    const params = new URLSearchParams({ page: String(page || 1), per_page: "20" });
    for (const [name, value] of Object.entries(filters || {})) if (value) params.set(name, value);
    return request("GET", `/api/history/escalations?${params}`);
  },
  /** Long poll: answers at once when `cursor` is stale, else when something changes (or ~20 s). */
  updates: (cursor, escalationId, signal) => {
    const params = new URLSearchParams({ cursor: cursor || "" });
    if (escalationId) params.set("escalation", String(escalationId));
    return request("GET", `/desk/api/updates?${params}`, undefined, { signal });
  },
};
