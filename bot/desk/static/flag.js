// "Für das Training markieren": an agent sends a customer message the bot misunderstood to
// the trainers' inbox (POST /api/training/flag; the server checks the text is in the transcript).

import { request } from "./api.js";
import { byId, el, say } from "./dom.js";

/** The flag button of one customer line of the transcript. */
export function flagButton(line) {
  const button = el(
    "button",
    { type: "button", className: "line__flag", title: "Diese Nachricht hat der Bot missverstanden: für das Training markieren" },
    "Für das Training markieren",
  );
  button.addEventListener("click", async () => {
    const escalationId = Number(byId("transcript").dataset.escalation);
    button.disabled = true;
    try {
      await request("POST", "/api/training/flag", { escalation_id: escalationId, text: line.text });
      button.textContent = "Markiert";
      say(byId("case-message"), "Die Nachricht ist im Trainings-Eingang.", "success");
    } catch (error) {
      button.disabled = false;
      say(byId("case-message"), error.message || "Markieren fehlgeschlagen.", "error");
    }
  });
  return button;
}
