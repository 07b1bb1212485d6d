// Telling the agent that something needs them: the tab title, a short tone (switchable, off by
// default, remembered per browser) and a desktop notification once the agent allowed them.

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
