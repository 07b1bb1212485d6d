// Files customers sent, in the transcript. A file stored by the bot service (an upload, or a
// Messenger file copied from Facebook; its url is our API path) is fetched with the agent's
// token (never a URL another person could open): an image is drawn into a canvas as a
// thumbnail (no blob: or data: image source, so the page's CSP "img-src 'self'" stays as it
// is), a PDF is saved as a download. Any other Messenger file: a link opens it at Facebook.

import { fetchFile } from "./api.js";
import { el } from "./dom.js";

const THUMB_WIDTH = 240;
const THUMB_HEIGHT = 180;
const KIND = { image: "Bild", file: "Datei", video: "Video", audio: "Sprachnachricht" };
const images = new Map(); // attachment id -> Promise<ImageBitmap>, so a re-render does not re-fetch

function sizeText(bytes) {
  if (!bytes) return "";
  return bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / (1024 * 1024)).toFixed(1).replace(".", ",")} MB`;
}

function describe(attachment) {
  const size = sizeText(attachment.size_bytes);
  return [attachment.filename || KIND[attachment.kind] || "Datei", size && `(${size})`]
    .filter(Boolean)
    .join(" ");
}

/** Save a fetched file under its name (a download, never shown in this page). */
async function saveFile(attachment, button, problem) {
  button.disabled = true;
  problem.textContent = "";
  try {
    const blob = await fetchFile(attachment.url);
    const address = URL.createObjectURL(blob);
    const anchor = el("a", { href: address, download: attachment.filename || "anhang" });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(address), 10_000);
  } catch (error) {
    problem.textContent = `Die Datei konnte nicht geladen werden (${error.message}).`;
  } finally {
    button.disabled = false;
  }
}

function thumbnail(attachment, problem) {
  const canvas = el("canvas", {
    className: "attachment__thumb",
    width: THUMB_WIDTH,
    height: THUMB_HEIGHT,
    role: "img",
    "aria-label": `Bild vom Kunden: ${describe(attachment)}`,
    dataset: { state: "loading" },
  });
  if (!images.has(attachment.id)) {
    images.set(
      attachment.id,
      fetchFile(attachment.url).then((blob) => createImageBitmap(blob)),
    );
  }
  images.get(attachment.id).then(
    (bitmap) => {
      const scale = Math.min(THUMB_WIDTH / bitmap.width, THUMB_HEIGHT / bitmap.height, 1);
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      canvas.dataset.state = "shown";
    },
    (error) => {
      images.delete(attachment.id);
      canvas.dataset.state = "failed";
      problem.textContent = `Das Bild konnte nicht geladen werden (${error.message}).`;
    },
  );
  return canvas;
}

/** The view of one attachment under its transcript line. */
export function attachmentView(attachment) {
  const problem = el("span", { className: "attachment__problem", role: "alert" });
  if (!String(attachment.url || "").startsWith("/api/")) {
    return el(
      "div",
      { className: "attachment" },
      el(
        "a",
        { href: attachment.url, target: "_blank", rel: "noopener noreferrer nofollow" },
        `${KIND[attachment.kind] || "Datei"} bei Messenger öffnen`,
      ),
      el("span", { className: "muted" }, " (Adresse von Facebook, gilt einige Tage)"),
    );
  }
  const button = el(
    "button",
    { type: "button", className: "button button--secondary attachment__save" },
    attachment.kind === "image"
      ? `Bild speichern: ${describe(attachment)}`
      : `${attachment.content_type === "application/pdf" ? "PDF" : "Datei"} herunterladen: ${describe(attachment)}`,
  );
  button.addEventListener("click", () => saveFile(attachment, button, problem));
  return el(
    "div",
    { className: "attachment" },
    attachment.kind === "image" ? thumbnail(attachment, problem) : null,
    button,
    problem,
  );
}
