// The "Erledigt" tab: resolved escalations searched on the server, 20 to a page. Loaded when the
// agent opens the tab, searches or turns a page, never on a live update.

import { byId } from "./dom.js";

const FIELDS = {
  customer_number: "search-customer",
  case_number: "search-case",
  reason: "search-reason",
  agent: "search-agent",
  from: "search-from",
  to: "search-to",
};

/** `load(filters, page)` fetches a page; `show(items)` draws it; `fail(error)` reports. */
export function createSearch({ load, show, fail }) {
  const state = { filters: {}, page: 1, pages: 1, total: 0 };

  function drawPager() {
    const pager = byId("pager");
    pager.hidden = state.total <= 0;
    byId("page-info").textContent = `Seite ${state.page} von ${state.pages} · ${state.total} Treffer`;
    byId("page-prev").disabled = state.page <= 1;
    byId("page-next").disabled = state.page >= state.pages;
  }

  async function run(page) {
    try {
      const result = await load(state.filters, page);
      Object.assign(state, { page: result.page, pages: result.pages, total: result.total });
      show(result.items);
      drawPager();
    } catch (error) {
      fail(error);
    }
  }

  byId("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.filters = Object.fromEntries(
      Object.entries(FIELDS).map(([name, id]) => [name, byId(id).value.trim()]),
    );
    run(1);
  });
  byId("page-prev").addEventListener("click", () => run(state.page - 1));
  byId("page-next").addEventListener("click", () => run(state.page + 1));

  return {
    /** Show or hide the form (the tab changed); opening it loads the current page. */
    toggle(visible) {
      byId("search-form").hidden = !visible;
      byId("pager").hidden = !visible || state.total <= 0;
      if (visible) run(state.page);
    },
  };
}
