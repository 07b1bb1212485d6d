// Building DOM from data: every value becomes a text node (never parsed as HTML), so nothing a
// customer typed can turn into markup.

/** el("li", {className: "x", "aria-label": "..."}, "text", childNode, ...) */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "className") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace all children of `node` with `children`. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export function byId(id) {
  return document.getElementById(id);
}

/** A definition list from [label, value] pairs; empty values are left out. */
export function fillFacts(node, pairs) {
  node.replaceChildren();
  for (const [term, value] of pairs) {
    if (value === undefined || value === null || value === "") continue;
    node.append(el("div", { className: "facts__row" }, el("dt", {}, term), el("dd", {}, value)));
  }
}

/** A list of items, or one muted "none" line. */
export function fillList(node, items, render, none = "keine") {
  node.replaceChildren();
  if (!items || !items.length) {
    node.append(el("li", { className: "muted" }, none));
    return;
  }
  for (const item of items) node.append(render(item));
}

/** Show a message in `node` (kind: info, error, success); empty text hides it. */
export function say(node, text, kind = "info") {
  node.textContent = text || "";
  node.hidden = !text;
  node.className = `message message--${kind}`;
}
