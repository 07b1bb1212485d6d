// Canned answers in the reply box: type "/" and a shortcut, pick with Enter, Tab or a click.
// The server fills the placeholders for the open escalation; one it could not fill stays in the
// text ({werkstatt}) and is selected, so the agent types over it instead of sending a gap.

import { el, fill } from "./dom.js";

const TOKEN = /(^|\s)\/([a-z0-9_-]*)$/;

/**
 * Wire the suggestion list to the reply box.
 * `answers()` returns the filled canned answers of the open escalation ([] while loading).
 */
export function attachCanned(box, list, answers) {
  let matches = [];
  let active = 0;

  function token() {
    const before = box.value.slice(0, box.selectionStart);
    const match = TOKEN.exec(before);
    return match ? { start: before.length - match[2].length - 1, query: match[2] } : null;
  }

  function close() {
    matches = [];
    list.hidden = true;
    list.replaceChildren();
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }

  function draw() {
    fill(
      list,
      matches.map((answer, index) =>
        el(
          "li",
          {
            id: `canned-${answer.id}`,
            role: "option",
            className: "canned__option",
            "aria-selected": String(index === active),
            dataset: { index },
          },
          el("span", { className: "canned__shortcut" }, `/${answer.shortcut}`),
          el("span", { className: "canned__title" }, answer.title),
          el("span", { className: "canned__text" }, answer.filled),
        ),
      ),
    );
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
    box.setAttribute("aria-activedescendant", `canned-${matches[active].id}`);
  }

  function update() {
    const found = token();
    if (!found) return close();
    const query = found.query.toLowerCase();
    matches = answers().filter(
      (a) => a.shortcut.startsWith(query) || (query.length > 1 && a.title.toLowerCase().includes(query)),
    );
    if (!matches.length) return close();
    const exact = matches.findIndex((a) => a.shortcut === query);
    active = exact >= 0 ? exact : 0;
    draw();
  }

  function insert(answer) {
    const found = token();
    if (!found) return close();
    const after = box.value.slice(box.selectionStart);
    box.value = box.value.slice(0, found.start) + answer.filled + after;
    const gap = answer.missing.length ? box.value.indexOf(`{${answer.missing[0]}}`, found.start) : -1;
    if (gap >= 0) box.setSelectionRange(gap, gap + answer.missing[0].length + 2);
    else box.setSelectionRange(found.start + answer.filled.length, found.start + answer.filled.length);
    box.dispatchEvent(new Event("input", { bubbles: true }));
    close();
    box.focus();
  }

  box.addEventListener("input", (event) => {
    if (event.isTrusted || list.hidden) update();
  });
  box.addEventListener("blur", () => setTimeout(close, 150));
  // Registered before the reply box's own Enter handler: an open list takes Enter and Tab.
  box.addEventListener("keydown", (event) => {
    if (list.hidden || !matches.length) return;
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step) {
      active = (active + step + matches.length) % matches.length;
      draw();
    } else if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
      insert(matches[active]);
    } else if (event.key === "Escape") {
      close();
    } else {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
  });
  list.addEventListener("mousedown", (event) => {
    const option = event.target.closest(".canned__option");
    if (!option) return;
    event.preventDefault();
    insert(matches[Number(option.dataset.index)]);
  });
  return { close };
}
