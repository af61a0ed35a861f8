// The side panel of the selected region: its figures next to its gemeente, Twente and the Netherlands,
// the overlap of the two compared definitions, source coverage and narrative notes. Every table here
// is also offered as CSV with exactly the numbers shown (none for suppressed cells).

import { formatValue, formatCount, STATUS_TEXT } from "./layers.js";
import { formatDate } from "./format.js";

const SHORT_STATUS = {
  suppressed: "onderdrukt",
  not_covered: "geen dekking",
  no_data: "—",
  not_in_layout: "niet in indeling 2020",
  not_published: "—",
  no_national_store: "geen landelijke store",
  no_region_total: "niet apart geteld",
  unavailable: "n.b.",
};

const COVERAGE_NL = { full: "volledig", partial: "deels", none: "geen" };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function table(caption, head, rows) {
  return el("table", {},
    el("caption", { class: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows));
}

// cell: {status, value, count, ci_low, ci_high} or null (that column has no figure for this row)
function figureText(cell, estimate) {
  if (!cell) return { status: "unavailable", text: SHORT_STATUS.unavailable };
  if (cell.status !== "published") return { status: cell.status, text: SHORT_STATUS[cell.status] || cell.status };
  const text = formatValue(cell.value);
  const ci = estimate && Number.isFinite(cell.ci_low) && Number.isFinite(cell.ci_high)
    ? `(${formatValue(cell.ci_low)}–${formatValue(cell.ci_high)})` : null;
  const count = Number.isFinite(cell.count) ? `n=${formatCount(cell.count)}` : null;
  return { status: "published", text, count, ci, derived: cell.derived ? cell.method || "afgeleid" : null };
}

// rows: [{layer, label, unit, estimate, cells: [cell per column]}]; columns: [{label, code}]
export function renderFigures(container, columns, rows) {
  const trs = rows.map((row) => el("tr", { dataset: { layer: row.key } },
    el("th", { scope: "row" }, row.label, el("br"), el("span", { class: "kind" }, row.unit)),
    ...columns.map((col, i) => {
      const { status, text, count, ci, derived } = figureText(row.cells[i], row.estimate);
      const attrs = { dataset: { region: col.code || "", status }, class: status.replace("_", "-") };
      if (status !== "published") attrs.title = STATUS_TEXT[status] || "niet beschikbaar";
      const td = el("td", attrs, el("span", { class: "value" }, text));
      // The count or the 95% interval goes on a second line, so that the columns stay narrow.
      if (count) td.append(el("br"), el("span", { class: "count" }, count));
      if (ci) td.append(el("br"), el("span", { class: "ci", title: "95%-betrouwbaarheidsinterval" }, ci));
      if (derived) td.append(el("br"), el("span", { class: "derived", title: derived }, "afgeleid"));
      return td;
    })));
  container.replaceChildren(table("Cijfers per gebied", ["Maat", ...columns.map((c) => c.label)], trs));
}

export function figuresCsvRows(columns, rows) {
  const out = [];
  for (const row of rows) {
    columns.forEach((col, i) => {
      const cell = row.cells[i];
      const published = cell && cell.status === "published";
      out.push({
        measure: row.key, label: row.label, unit: row.unit, region: col.code || "", region_label: col.label,
        status: cell ? cell.status : "unavailable",
        value: published ? cell.value : null,
        count: published && Number.isFinite(cell.count) ? cell.count : null,
        ci_low: published ? cell.ci_low ?? null : null,
        ci_high: published ? cell.ci_high ?? null : null,
        derived: published && cell.derived ? cell.method || "afgeleid" : null,
      });
    });
  }
  return out;
}

// overlap: {both, only_a, only_b, jaccard, status} already oriented to (A, B), or null
export function renderOverlap(container, labelA, labelB, overlap) {
  const published = overlap && overlap.status === "published";
  const shown = (v) => (published && Number.isFinite(v) ? formatCount(v) : SHORT_STATUS[overlap ? overlap.status : "unavailable"]);
  const rows = [
    ["beide", overlap && overlap.both],
    [`alleen A (${labelA})`, overlap && overlap.only_a],
    [`alleen B (${labelB})`, overlap && overlap.only_b],
  ].map(([label, v]) => el("tr", {}, el("th", { scope: "row" }, label),
    el("td", { dataset: { status: overlap ? overlap.status : "unavailable" } }, shown(v))));
  rows.push(el("tr", {}, el("th", { scope: "row" }, "Jaccard-index"),
    el("td", { dataset: { status: overlap ? overlap.status : "unavailable" } },
      published && Number.isFinite(overlap.jaccard) ? overlap.jaccard.toLocaleString("nl-NL", { maximumFractionDigits: 3 })
        : shown(null))));
  container.replaceChildren(table("Overlap", ["", "personen"], rows));
}

// "partial (wmo-twente-regio)" -> "gedeeltelijk (wmo-twente-regio)"
function coverageText(value) {
  if (!value) return "—";
  const [word, ...rest] = value.split(" ");
  // Gaps come as "(criterion=no source;criterion=source:partial)": in Dutch, and spaces let them wrap.
  return [COVERAGE_NL[word] || word, ...rest].join(" ")
    .replace(/=no source/g, ": geen bron")
    .replace(/=([\w-]+):outside_period/g, (_, src) => `: ${src} buiten de periode van de bron`)
    .replace(/=([\w-]+):(full|partial|none)/g, (_, src, st) => `: ${src} ${COVERAGE_NL[st]}`)
    .replace(/([,;])(?=\S)/g, "$1 ");
}

// coverage rows: [{label, cells: [coverage string or null per column]}]
export function renderCoverage(container, columns, rows) {
  const trs = rows.map((row) => el("tr", {},
    el("th", { scope: "row" }, row.label),
    ...columns.map((_, i) => el("td", {}, coverageText(row.cells[i])))));
  container.replaceChildren(table("Brondekking", ["Definitie / bron", ...columns.map((c) => c.label)], trs));
}

export function renderNotes(container, notes) {
  if (notes === null) {
    container.replaceChildren(el("p", { class: "hint" }, "Notities konden niet worden geladen."));
    return;
  }
  if (notes.length === 0) {
    container.replaceChildren(el("p", { class: "hint" }, "Geen notities voor dit gebied."));
    return;
  }
  container.replaceChildren(...notes.map((n) => el("div", { class: "note", lang: n.language || "nl" },
    el("p", {}, n.text),
    el("p", { class: "meta" },
      `${n.author || "onbekend"}, ${formatDate(n.created_on || "")}`
      + (n.indicator ? ` · indicator ${n.indicator}` : "")
      + (n.definition_id ? ` · definitie ${n.definition_id}` : "")))));
}

// The disclosure rules and the run manifest, as given by the API (shown generically: the page must not
// hide a rule it does not know about).
export function renderKeyValues(container, obj) {
  if (!obj) {
    container.replaceChildren(el("p", { class: "hint" }, "Niet beschikbaar (geen telling geladen)."));
    return;
  }
  const dl = el("dl");
  for (const [k, v] of Object.entries(obj)) {
    const value = v !== null && typeof v === "object" ? el("pre", {}, JSON.stringify(v, null, 2)) : String(v);
    dl.append(el("dt", {}, k), el("dd", {}, value));
  }
  container.replaceChildren(dl);
}

export function flatten(obj, prefix = "", out = []) {
  for (const [k, v] of Object.entries(obj || {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object") flatten(v, key, out);
    else out.push({ key, value: v });
  }
  return out;
}

// The rules and the run in a few Dutch sentences, from the numbers the API states; the full rule texts
// and manifest follow in the folded sections.
export function renderRulesSummary(container, body) {
  if (!body) {
    container.replaceChildren(el("li", {}, "Geen tellingen geladen; er worden geen aantallen getoond."));
    return;
  }
  const d = body.disclosure || {};
  const m = body.manifest || {};
  const items = [];
  if (d.mode === "perturb") {
    items.push(`Alle aantallen zijn licht verstoord (celsleutelmethode): bij elk aantal is een afwijking van hoogstens ${d.max_deviation} personen opgeteld`
      + ` (gemiddeld 0, variantie ${d.variance}), steeds dezelfde voor dezelfde personen, in elke vergelijking en op elk niveau.`);
    items.push("Nullen blijven 0" + (d.blocked_upto > 0 ? `; de waarden 1 tot en met ${d.blocked_upto} komen niet voor.` : "."));
    items.push("Delen tellen daardoor niet altijd precies op tot het totaal; cijfers per 1.000 inwoners, gestandaardiseerde cijfers, "
      + "overlappen en schattingen zijn uit de verstoorde aantallen berekend.");
  }
  if (Number.isFinite(d.threshold)) {
    items.push(`Aantallen van 1 tot en met ${d.threshold - 1} personen worden onderdrukt (gearceerd)`
      + (d.protect_zeros ? "; ook nullen worden onderdrukt." : "; nullen worden getoond."));
  }
  if (Number.isFinite(d.rounding_base) && d.rounding_base > 1) {
    items.push(`Getoonde aantallen zijn afgerond op een veelvoud van ${d.rounding_base}; delen tellen daardoor niet altijd op tot het totaal.`);
  }
  if (d.secondary) {
    items.push("Secundaire onderdrukking: extra cellen worden verborgen zodat geen onderdrukt aantal uit totalen, "
      + "andere definities of andere gebieden is terug te rekenen"
      + (Number.isFinite(d.min_interval) ? ` tot een interval smaller dan ${d.min_interval}.` : "."));
  }
  const survey = m.survey || {};
  if (Number.isFinite(survey.min_respondents)) {
    items.push(`Schattingen uit de enquête (gewogen %, met 95%-interval) alleen bij minstens ${survey.min_respondents} respondenten.`);
  }
  if (items.length === 0) items.push("De API gaf geen regels mee: zie hieronder.");
  const defs = (m.definitions || body.definitions || [])
    .map((x) => `${x.id} ${x.version}${x.content_hash ? ` (${String(x.content_hash).replace("sha256:", "").slice(0, 10)})` : ""}`);
  const store = m.store && m.store.manifest_sha256 ? String(m.store.manifest_sha256).replace("sha256:", "").slice(0, 12) : null;
  items.push(`Run: peildatum ${formatDate(body.reference_date || m.reference_date || "?")}`
    + (m.zicht_version ? `, zicht ${m.zicht_version}` : "")
    + (m.engine ? `, engine ${m.engine}` : "")
    + (store ? `, gegevensmanifest ${store}…` : "")
    + (defs.length ? `; definities ${defs.join(", ")}` : "") + ".");
  container.replaceChildren(...items.map((t) => el("li", {}, t)));
}
