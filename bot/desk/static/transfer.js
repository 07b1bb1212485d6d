// "Weitergeben": the colleagues an agent can pass a claimed escalation to (or the queue).

import { api } from "./api.js";
import { byId, el, fill } from "./dom.js";

/** Fill the "Weitergeben an" list with the active colleagues (not `me`); keeps the choice. */
export async function loadColleagues(me) {
  const colleagues = (await api.colleagues()).filter((c) => c.id !== me);
  const select = byId("transfer-to");
  const chosen = select.value;
  fill(
    select,
    el("option", { value: "" }, "Zurück in die Warteschlange"),
    colleagues.map((c) =>
      el("option", { value: c.username }, `${c.display_name} (${c.username})${c.online ? " – online" : ""}`),
    ),
  );
  select.value = chosen;
}
