// The list of definitions, searchable and filtered by domain, status, field lab and text (the filters
// are the API's: GET /api/v1/definitions?domain=&status=&author=&q=), kept in the address bar.

import { registry } from "../api.js";
import { el } from "../dom.js";
import { formatDate, STATUS_NL } from "../format.js";
import { concepts, conceptLabel, session, setStatus } from "./session.js";

const FILTERS = { q: "q", domein: "domain", status: "status", proeftuin: "author" };

export async function renderList(view, params) {
  await concepts();
  const all = (await registry.list({})).items; // for the field lab choices
  const labs = [...new Set(all.map((d) => d.author))].sort((a, b) => a.localeCompare(b, "nl"));

  const q = el("input", { id: "f-q", type: "search", value: params.get("q") || "", placeholder: "titel, id of beschrijving",
    autocomplete: "off" });
  const domain = el("select", { id: "f-domein" }, el("option", { value: "" }, "alle domeinen"),
    ...session.domains.map((d) => el("option", { value: d.key }, d.label_nl)));
  const status = el("select", { id: "f-status" }, el("option", { value: "" }, "elke status"),
    ...Object.entries(STATUS_NL).map(([k, v]) => el("option", { value: k }, v)));
  const lab = el("select", { id: "f-proeftuin" }, el("option", { value: "" }, "alle proeftuinen"),
    ...labs.map((l) => el("option", { value: l }, l)));
  domain.value = params.get("domein") || "";
  status.value = params.get("status") || "";
  lab.value = params.get("proeftuin") || "";

  const results = el("div", { id: "results", class: "table-wrap" });
  const count = el("p", { id: "result-count", class: "hint", role: "status", "aria-live": "polite" });
  const form = el("form", { class: "filters", role: "search", "aria-label": "Definities zoeken" },
    el("div", {}, el("label", { for: "f-q" }, "Zoek"), q),
    el("div", {}, el("label", { for: "f-domein" }, "Domein"), domain),
    el("div", {}, el("label", { for: "f-status" }, "Status"), status),
    el("div", {}, el("label", { for: "f-proeftuin" }, "Proeftuin"), lab));
  form.addEventListener("submit", (ev) => ev.preventDefault());

  view.replaceChildren(
    el("div", { class: "list-head" }, el("h2", {}, "Alle definities"),
      el("a", { class: "button", href: "#/nieuw", id: "new-definition" }, "Nieuwe definitie schrijven")),
    form, count, results);

  let timer = null;
  let mine = 0;
  const apply = async () => {
    const filters = { q: q.value.trim(), domein: domain.value, status: status.value, proeftuin: lab.value };
    const hash = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    history.replaceState(null, "", `#/${hash.toString() ? `?${hash}` : ""}`);
    const api = Object.fromEntries(Object.entries(filters).filter(([, v]) => v).map(([k, v]) => [FILTERS[k], v]));
    const seq = ++mine;
    try {
      const items = (await registry.list(api)).items;
      if (seq !== mine) return;
      renderResults(results, count, items);
    } catch (err) {
      setStatus(`Zoeken mislukte: ${err.message}`, true);
    }
  };
  q.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(apply, 200); });
  for (const s of [domain, status, lab]) s.addEventListener("change", apply);
  await apply();
}

function renderResults(container, count, items) {
  count.textContent = items.length === 1 ? "1 definitie" : `${items.length} definities`;
  if (!items.length) {
    container.replaceChildren(el("p", { class: "hint" }, "Geen definitie past bij deze keuzes."));
    return;
  }
  const rows = items.map((d) => el("tr", { dataset: { id: d.id } },
    el("th", { scope: "row" }, el("a", { href: `#/definitie/${encodeURIComponent(d.id)}` }, d.title || d.id),
      el("br"), el("code", { class: "kind" }, d.id)),
    el("td", {}, d.version),
    el("td", {}, el("span", { class: `badge status-${d.status}` }, STATUS_NL[d.status] || d.status)),
    el("td", {}, d.author),
    el("td", {}, (d.domains || []).map(conceptLabel).join(", ")),
    el("td", {}, d.published ? formatDate(d.published) : "—")));
  container.replaceChildren(el("table", { class: "definitions" },
    el("caption", { class: "visually-hidden" }, "Definities"),
    el("thead", {}, el("tr", {}, ...["Definitie", "Versie", "Status", "Proeftuin", "Domeinen", "Gepubliceerd"]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows)));
}
