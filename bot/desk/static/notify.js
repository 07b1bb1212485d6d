// Telling the agent that something needs them (new urgent escalations, customer replies): the
// tab title, a short tone (switchable, off by default, remembered per browser) and a desktop
// notification once the agent allowed them.

const SOUND_KEY = "nordlicht-desk.sound.v1";
const BASE_TITLE = "Agent-Desk – Nordlicht Automobile";

let audio = null;

export function soundOn() {
  return localStorage.getItem(SOUND_KEY) === "on";
}

export function setSound(on) {
  localStorage.setItem(SOUND_KEY, on ? "on" : "off");
}

/** The tab title: unread messages first, then the open queue. */
export function setTitle(openCount, unread) {
  const parts = [];
  if (unread) parts.push(`${unread} neue Nachricht${unread === 1 ? "" : "en"} · `);
  if (openCount) parts.push(`(${openCount}) `);
  document.title = `${parts.join("")}${BASE_TITLE}`;
}

function beep() {
  try {
    audio = audio || new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  } catch {
    // no audio output: the title and the notification still tell
  }
}

/** Announce `title`/`body`: tone if switched on, desktop notification if allowed. */
export function announce(title, body, href) {
  if (soundOn()) beep();
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  if (document.visibilityState === "visible" && document.hasFocus()) return;
  const note = new Notification(title, { body, tag: href || title, lang: "de" });
  note.onclick = () => {
    window.focus();
    if (href) location.hash = href;
    note.close();
  };
}

/** Show the "allow notifications" button while the browser has not been asked. */
export function wirePermission(button) {
  const supported = "Notification" in window;
  button.hidden = !supported || Notification.permission !== "default";
  button.addEventListener("click", async () => {
    await Notification.requestPermission();
    button.hidden = Notification.permission !== "default";
  });
}

/** Tell screen readers about escalations that just arrived; announce the urgent ones
 * (`state.knownOpen` remembers the open ids seen so far). */
export function announceArrivals(state, open) {
  const ids = new Set(open.map((item) => item.id));
  const arrived = state.knownOpen ? open.filter((item) => !state.knownOpen.has(item.id)) : [];
  state.knownOpen = ids;
  if (arrived.length) {
    document.getElementById("queue-news").textContent = arrived
      .map((item) => `Neue Anfrage #${item.id}: ${item.reason_text || item.reason}`)
      .join(". ");
  }
  for (const item of arrived.filter((a) => a.priority === "urgent")) {
    announce(`Dringende Anfrage #${item.id}`, item.reason_text || item.reason, `#/anfrage/${item.id}`);
  }
}

/** Announce customer messages that arrived in the agent's chats since the last update
 * (`state.heard` remembers the counts; `state.selectedId` is the chat on screen). */
export function announceReplies(state, mine) {
  const first = state.heard === null;
  const heard = state.heard || {};
  for (const item of mine) {
    const before = heard[item.id];
    heard[item.id] = item.customer_messages || 0;
    if (first || before === undefined || item.customer_messages <= before) continue;
    const onScreen = String(item.id) === String(state.selectedId) && document.visibilityState === "visible";
    if (!onScreen || !document.hasFocus()) {
      announce(`Neue Nachricht in Anfrage #${item.id}`, "Der Kunde hat geantwortet.", `#/anfrage/${item.id}`);
    }
  }
  state.heard = heard;
}
