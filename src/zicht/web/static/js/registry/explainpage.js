// #/uitleg: why did a number change between two versions and/or two reference dates of a definition
// (GET /api/v1/explain; every step through disclosure control).

import { registry } from "../api.js";
import { el } from "../dom.js";
import { renderExplanation } from "../explain.js";
import { formatDate, makeDateField } from "../format.js";

export async function renderExplainPage(view, params) {
  const a = params.get("a") || "";
  const b = params.get("b") || a;
  const dateA = makeDateField(el("input", { id: "explain-date-a" }), params.get("date_a") || "2024-12-31");
  const dateB = makeDateField(el("input", { id: "explain-date-b" }), params.get("date_b") || "2024-12-31");
  const out = el("div", { id: "explanation", "aria-live": "polite" });
  const run = el("button", { type: "submit", id: "explain-run" }, "Leg uit");
  const form = el("form", { class: "explain-form" },
    el("p", {}, `Run A: ${a.replace("@", " versie ")}; run B: ${b.replace("@", " versie ")}.`),
    el("label", { for: "explain-date-a" }, "Peildatum A"), dateA,
    el("label", { for: "explain-date-b" }, "Peildatum B"), dateB, run);
  const id = a.split("@")[0];
  view.replaceChildren(
    el("p", { class: "crumbs" }, el("a", { href: "#/" }, "Alle definities"), " › ",
      el("a", { href: `#/definitie/${encodeURIComponent(id)}` }, id), " › waarom veranderde dit getal?"),
    el("h2", {}, "Waarom veranderde dit getal?"), form, out);
  const go = async () => {
    for (const f of [dateA, dateB]) f.dispatchEvent(new Event("change"));
    if (!dateA.dataset.iso || !dateB.dataset.iso) {
      out.replaceChildren(el("p", { class: "error" }, "Vul beide peildata in als dd-mm-jjjj."));
      return;
    }
    const p = { a, b, date_a: dateA.dataset.iso, date_b: dateB.dataset.iso, level: params.get("level") || "gemeente" };
    if (params.get("region")) p.region = params.get("region");
    out.replaceChildren(el("p", { class: "hint" }, `Rekenen: van ${formatDate(p.date_a)} naar ${formatDate(p.date_b)}, één factor tegelijk…`));
    try {
      renderExplanation(out, await registry.explain(p));
    } catch (err) {
      out.replaceChildren(el("p", { class: "error" }, `Geen uitleg: ${err.message}`));
    }
  };
  form.addEventListener("submit", (ev) => { ev.preventDefault(); go(); });
  await go();
}
