// "Waarom veranderde dit getal?": the API's explanation (GET /api/v1/explain) as a table — per region the
// value of run A and run B and what each factor (definition version, mapping sets, data snapshot,
// reference date) added, in the order the API states. Used by the wijkscan panel and the registry pages.

import { el } from "./dom.js";
import { formatDate, formatNumber, formatSigned, COUNT_STATUS_NL } from "./format.js";

export function explainParams({ defA, defB, dateA, dateB, level, region, within }) {
  return { a: defA, b: defB, date_a: dateA, date_b: dateB, level, region, within };
}

export function renderExplanation(container, body, { definition } = {}) {
  const factors = body.steps.filter((s) => s.factor !== "start");
  const steps = el("ol", { class: "explain-steps" },
    ...body.steps.map((s) => el("li", { dataset: { factor: s.factor } },
      el("strong", {}, s.factor === "start" ? "Uitgangspunt" : labelOf(body, s.factor)), ": ",
      s.factor === "start" ? startText(s) : dateChange(s.change))));
  const rows = body.rows.filter((r) => !definition || r.definition === definition);
  // One definition asked for (the wijkscan panel): its name is above the table, not in every row.
  const oneDefinition = Boolean(definition);
  const head = ["Gebied", ...(oneDefinition ? [] : ["Definitie"]), "A", "B", "Verandering",
    ...factors.map((s) => labelOf(body, s.factor)), "Toelichting"];
  const trs = rows.map((r) => {
    const estimate = r.measure === "estimate_percent";
    const unit = estimate ? "%" : "";
    const dec = estimate ? 1 : 0;
    const show = (v, status) => (status === "published" ? `${formatNumber(v, dec)}${unit}` : (COUNT_STATUS_NL[status] || status));
    const split = r.split === "split";
    return el("tr", { dataset: { region: r.region_code, definition: r.definition, split: split ? "yes" : "no" } },
      el("th", { scope: "row" }, r.level === "total" ? (r.region_name && r.region_name !== "totaal" ? `${r.region_name} (totaal)` : "Totaal") : (r.region_name || r.region_code)),
      oneDefinition ? null : el("td", {}, r.definition),
      el("td", {}, show(r.value_a, r.status_a)),
      el("td", {}, show(r.value_b, r.status_b)),
      el("td", {}, Number.isFinite(r.change) ? `${formatSigned(r.change, dec)}${unit}` : "–"),
      ...factors.map((s) => {
        const v = r[s.column];
        return el("td", { dataset: { factor: s.factor } }, split && Number.isFinite(v) ? `${formatSigned(v, dec)}${unit}` : "–");
      }),
      el("td", { class: "explain-note" }, split ? "volledig toegerekend" : notSplit(r.split)));
  });
  container.replaceChildren(
    el("p", { class: "hint" }, "Van run A naar run B is telkens één factor omgezet, in deze volgorde; elke bijdrage is "
      + "het verschil tussen twee gepubliceerde (onthullingsbeheerste) getallen, samen precies B − A."),
    steps,
    ...(body.notes || []).map((n) => el("p", { class: "hint" }, n)),
    rows.length
      ? el("div", { class: "table-wrap" }, el("table", { class: "explain" },
        el("caption", { class: "visually-hidden" }, "Bijdragen per factor"),
        el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, ...trs)))
      : el("p", { class: "hint" }, "Geen getallen voor dit gebied."),
  );
  container.dataset.explained = String(rows.length);
}

// Run A as a reader knows it: its definitions, reference date and data snapshot (from the start step).
function startText(step) {
  const defs = (step.definitions || []).map((d) => `${d.id} versie ${d.version}`);
  const parts = [...defs, step.reference_date ? `peildatum ${formatDate(step.reference_date)}` : null,
    step.store ? `gegevens ${String(step.store).replace("sha256:", "").slice(0, 12)}…` : null].filter(Boolean);
  return parts.length ? `run A: ${parts.join(", ")}` : "run A";
}

function labelOf(body, factor) {
  const nl = (body.labels || {})[factor] || factor;
  return nl.charAt(0).toUpperCase() + nl.slice(1);
}

function dateChange(text) {
  return text.replace(/\d{4}-\d{2}-\d{2}/g, (d) => formatDate(d));
}

function notSplit(text) {
  const m = /^not split: (\S+) (.*)$/.exec(text || "");
  if (!m) return text;
  const why = COUNT_STATUS_NL[m[1]] || m[1];
  const where = m[2] === "run A" ? "in run A" : m[2].replace("after switching the ", "na het omzetten van: ");
  return `niet te splitsen: ${why} ${where}`;
}
