// Wijkscan: wires the API data to the maps, the region list and the panel.

import * as api from "./api.js";
import { ChoroplethMap } from "./map.js";
import { definitionLayer, indicatorLayer, describe, formatValue, formatCount, STATUS_TEXT } from "./layers.js";
import {
  renderFigures, figuresCsvRows, renderOverlap, renderCoverage, renderNotes, renderKeyValues, flatten,
  renderRulesSummary,
} from "./panel.js";
import { download, slug } from "./csv.js";

// The health-monitor indicators of a GGZ wijkscan (mental health, control, loneliness, money worries)
// come first; the monitor's other indicators stay one click away.
const GGZ_INDICATORS = [
  "HoogRisicoOpAngstOfDepressie_25", "MatigHoogRisicoOpAngstOfDepressie_24", "HeelVeelStressInAfgelopen4Weken_26",
  "MatigVeelRegieOverEigenLeven_27", "Eenzaam_28", "ErnstigZeerErnstigEenzaam_29", "EmotioneelEenzaam_30",
  "SociaalEenzaam_31", "MoeiteMetRondkomen_38",
];

function ggzFirst(indicators) {
  const rank = (i) => (GGZ_INDICATORS.includes(i.key) ? GGZ_INDICATORS.indexOf(i.key) : GGZ_INDICATORS.length);
  return [...indicators].sort((a, b) => rank(a) - rank(b));
}

const TWENTE = "RGTWENTE";
const NL = "NL01";

// What each view shows: the level of the shapes and the regions to compare a selected one with.
const VIEWS = {
  twente: { level: "wijk", within: TWENTE, noun: "wijken", title: "Twente" },
  nl: { level: "gemeente", within: undefined, noun: "gemeenten", title: "Nederland" },
};

const state = {
  view: "twente",
  date: "2024-12-31",
  layerA: null,
  layerB: null,
  compare: false,
  compareMode: "side",
  selected: null,
  autoLayerA: null, // the layer chosen by the page itself (not by the reader) while counts load
  autoLayerB: null,
  requestSeq: 0,
};

const data = {
  gemeenten: new Map(), // code -> {name, parent}
  regions: new Map(), // code -> {name, parent, level} of the current view
  definitions: [],
  counts: { region: null, gemeente: null, regio: null, land: null },
  indicators: { region: null, gemeente: null },
  layers: new Map(),
  countsError: null,
};

const $ = (id) => document.getElementById(id);

function setStatus(text, isError = false) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", isError);
}

function regionName(code) {
  const r = data.regions.get(code) || data.gemeenten.get(code);
  if (!r) return code;
  const parent = data.gemeenten.get(r.parent);
  return parent && r.level === "wijk" ? `${r.name} (${parent.name})` : r.name;
}

const mapA = new ChoroplethMap("map-a", "legend-a", { onSelect: selectRegion, names: regionName });
const mapB = new ChoroplethMap("map-b", "legend-b", { onSelect: selectRegion, names: regionName });

// Side-by-side maps move together.
let syncing = false;
function syncViews(from, to) {
  from.map.on("moveend", () => {
    if (syncing || $("wrap-b").hidden) return;
    syncing = true;
    to.map.setView(from.map.getCenter(), from.map.getZoom(), { animate: false });
    syncing = false;
  });
}
syncViews(mapA, mapB);
syncViews(mapB, mapA);

async function settle(promise) {
  try {
    return { ok: true, value: await promise };
  } catch (err) {
    return { ok: false, error: err };
  }
}

async function loadView() {
  const seq = ++state.requestSeq;
  const view = VIEWS[state.view];
  setStatus(`Laden van ${view.noun}…`);
  document.body.dataset.counts = "pending";
  const ids = data.definitions.map((d) => d.id);
  const countsFor = (level, within) => (ids.length ? settle(api.counts(ids, state.date, level, within)) : null);
  // Counts may take a while the first time (the comparison and its disclosure audit run on the
  // server, then are cached), so the map is drawn from shapes and indicators first.
  const countsPromise = Promise.all([
    countsFor(view.level, view.within),
    view.level === "gemeente" ? null : countsFor("gemeente", view.within),
    countsFor("regio", undefined),
    countsFor("land", undefined),
  ]);
  const [shapes, indRegion, indGemeente] = await Promise.all([
    settle(api.regionShapes(view.level, view.within)),
    settle(api.indicators(view.level, view.within)),
    view.level === "gemeente" ? null : settle(api.indicators("gemeente", view.within)),
  ]);
  if (seq !== state.requestSeq) return; // a newer choice has started loading
  if (!shapes.ok) {
    setStatus(`De kaart kon niet worden geladen: ${shapes.error.message}`, true);
    return;
  }
  const value = (r) => (r && r.ok ? r.value : null);
  data.counts = { region: null, gemeente: null, regio: null, land: null };
  data.countsError = null;
  data.indicators = { region: value(indRegion), gemeente: value(indGemeente) || value(indRegion) };
  data.regions = new Map(shapes.value.features.map((f) => [f.properties.code, f.properties]));
  mapA.setShapes(shapes.value);
  mapB.setShapes(shapes.value);
  const wanted = { a: state.layerA, b: state.layerB };
  refresh();
  const n = shapes.value.features.length;
  setStatus(`${n} ${view.noun} geladen; tellingen per definitie worden berekend…`);
  document.body.dataset.shapes = String(n);

  const [cRegion, cGemeente, cRegio, cLand] = await countsPromise;
  if (seq !== state.requestSeq) return;
  data.counts = { region: value(cRegion), gemeente: value(cGemeente) || value(cRegion), regio: value(cRegio), land: value(cLand) };
  data.countsError = cRegion && !cRegion.ok ? cRegion.error : null;
  // Keep what the reader picked meanwhile; an automatic first choice gives way to a definition.
  if (state.layerA === state.autoLayerA) state.layerA = wanted.a;
  if (state.layerB === state.autoLayerB) state.layerB = wanted.b;
  refresh();
  let msg = `${n} ${view.noun} geladen.`;
  if (data.countsError) msg += ` Tellingen niet beschikbaar: ${data.countsError.message}`;
  setStatus(msg, Boolean(data.countsError));
  document.body.dataset.counts = data.countsError ? "error" : "loaded";
  document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
}

// Redraw everything from `data` (after shapes, or after counts arrived).
function refresh() {
  buildLayers();
  fillLayerSelects();
  fillRegionList();
  renderAbout();
  repaint();
  if (state.selected && data.regions.has(state.selected)) selectRegion(state.selected);
  else clearPanel();
}

function buildLayers() {
  data.layers = new Map();
  const codes = [...data.regions.keys()];
  if (data.counts.region) {
    for (const def of data.definitions) {
      const layer = definitionLayer(data.counts.region, def);
      data.layers.set(layer.key, layer);
    }
  }
  const ind = data.indicators.region;
  if (ind) {
    for (const i of ggzFirst(ind.indicators)) {
      const layer = indicatorLayer(i, ind, codes);
      data.layers.set(layer.key, layer);
    }
  }
}

function option(value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  return o;
}

function fillLayerSelects() {
  const selA = $("layer-a");
  const selB = $("layer-b");
  const defs = [...data.layers.values()].filter((l) => l.kind === "definition");
  const inds = [...data.layers.values()].filter((l) => l.kind === "indicator");
  const groupDefs = document.createElement("optgroup");
  groupDefs.label = "Doelgroepdefinities (synthetische tellingen)";
  defs.forEach((l) => groupDefs.append(option(l.key, `${l.label} (${l.id} ${l.version || ""})`.trim())));
  const groupInds = document.createElement("optgroup");
  groupInds.label = "Gezondheidsmonitor 2020, GGZ (schattingen)";
  const groupOther = document.createElement("optgroup");
  groupOther.label = "Gezondheidsmonitor 2020, overig (schattingen)";
  inds.forEach((l) => (GGZ_INDICATORS.includes(l.id) ? groupInds : groupOther).append(option(l.key, l.label)));
  selA.replaceChildren(...[groupDefs, groupInds, groupOther].filter((g) => g.children.length));
  selB.replaceChildren(...defs.map((l) => option(l.key, `${l.label} (${l.id})`)));

  // Start with the definitions that have a number in most regions: a first map that is mostly
  // hatched or grey tells a reader little.
  const published = (l) => [...l.values.values()].filter((c) => c.status === "published").length;
  const ranked = [...defs].sort((x, y) => published(y) - published(x));
  if (!data.layers.has(state.layerA)) {
    state.layerA = (ranked[0] || inds[0] || {}).key || null;
    state.autoLayerA = state.layerA;
  }
  if (!data.layers.has(state.layerB)) {
    const other = ranked.find((l) => l.key !== state.layerA);
    state.layerB = (other || ranked[0] || {}).key || null;
    state.autoLayerB = state.layerB;
  }
  if (state.layerA) selA.value = state.layerA;
  if (state.layerB) selB.value = state.layerB;
  $("compare-on").disabled = defs.length < 2;
}

function fillRegionList(filter = $("wijk-filter").value) {
  const sel = $("wijk-select");
  const needle = filter.trim().toLowerCase();
  const entries = [...data.regions.entries()]
    .map(([code]) => ({ code, label: `${regionName(code)} — ${code}` }))
    .filter((e) => !needle || e.label.toLowerCase().includes(needle))
    .sort((a, b) => a.label.localeCompare(b.label, "nl"));
  sel.replaceChildren(...entries.map((e) => option(e.code, e.label)));
  if (state.selected) sel.value = state.selected;
  const noun = VIEWS[state.view].noun;
  $("wijk-filter-label").textContent = `Zoek een ${noun === "wijken" ? "wijk" : "gemeente"}`;
  $("wijk-select-label").textContent = `${entries.length} ${noun}`;
}

function differenceSpec(a, b) {
  const values = new Map();
  for (const code of data.regions.keys()) {
    const ca = a.values.get(code);
    const cb = b.values.get(code);
    let cell;
    if (ca && cb && ca.status === "published" && cb.status === "published") {
      cell = { status: "published", value: ca.value - cb.value, a: ca.value, b: cb.value };
    } else {
      // Show the reason that hides the number; suppression first, it is the privacy rule.
      const statuses = [ca && ca.status, cb && cb.status];
      const status = ["suppressed", "not_covered", "no_data"].find((s) => statuses.includes(s)) || "no_data";
      cell = { status, value: null };
    }
    values.set(code, cell);
  }
  return {
    caption: `Verschil A − B: ${a.label} − ${b.label}`,
    unit: `verschil ${a.unit}`,
    diverging: true,
    values,
    describe: (code) => {
      const c = values.get(code);
      if (c.status !== "published") return STATUS_TEXT[c.status];
      return `A − B = ${formatValue(c.value)} (A ${formatValue(c.a)}, B ${formatValue(c.b)}) ${a.unit}`;
    },
  };
}

function layerSpec(layer) {
  return {
    caption: layer.label, unit: layer.unit, diverging: false, values: layer.values,
    describe: (code) => describe(layer, code).text,
  };
}

function canDiff(a, b) {
  return a && b && a.kind === "definition" && b.kind === "definition" && a.estimate === b.estimate;
}

function repaint() {
  const a = data.layers.get(state.layerA);
  const b = data.layers.get(state.layerB);
  const comparing = state.compare && a && b && a.kind === "definition";
  const wasHidden = $("wrap-b").hidden;
  $("wrap-b").hidden = !comparing;
  document.querySelector(".layout").classList.toggle("compare", Boolean(comparing));
  if (wasHidden !== !comparing) {
    mapA.invalidate();
    if (comparing) mapB.invalidate();
  }
  const diffRadio = document.querySelector('input[name=compare-mode][value=diff]');
  diffRadio.disabled = !state.compare || !canDiff(a, b);
  if (state.compareMode === "diff" && diffRadio.disabled) {
    state.compareMode = "side";
    document.querySelector('input[name=compare-mode][value=side]').checked = true;
  }
  if (!a) {
    $("title-a").textContent = "Geen gegevens beschikbaar";
    return;
  }
  $("title-a").textContent = comparing ? `A: ${a.label}` : a.label;
  mapA.paint(layerSpec(a));
  if (comparing) {
    const spec = state.compareMode === "diff" ? differenceSpec(a, b) : layerSpec(b);
    $("title-b").textContent = state.compareMode === "diff" ? spec.caption : `B: ${b.label}`;
    mapB.paint(spec);
  }
  if (state.selected) {
    mapA.select(state.selected);
    mapB.select(state.selected);
    renderPanel();
  }
  writeHash();
}

// --- panel ---------------------------------------------------------------------------------------

function comparisonColumns(code) {
  const r = data.regions.get(code);
  const cols = [{ label: r.level === "wijk" ? "Wijk" : "Gemeente", code, level: r.level }];
  if (r.level === "wijk") cols.push({ label: "Gemeente", code: r.parent, level: "gemeente" });
  const gemeente = data.gemeenten.get(r.level === "wijk" ? r.parent : code);
  if (gemeente && gemeente.parent === TWENTE) cols.push({ label: "Twente", code: TWENTE, level: "regio" });
  cols.push({ label: "Nederland", code: NL, level: "land" });
  return cols;
}

function countsAt(level) {
  if (level === VIEWS[state.view].level) return data.counts.region;
  return data.counts[level];
}

function definitionCell(def, col) {
  const body = countsAt(col.level);
  if (!body) return null;
  const layer = definitionLayer(body, def);
  return layer.values.get(col.code) || null;
}

function indicatorCell(ind, col) {
  if (col.level === "land") {
    const nl = data.indicators.region && data.indicators.region.netherlands;
    const v = nl ? nl[ind.key] : null;
    return Number.isFinite(v) ? { status: "published", value: v } : { status: "no_data", value: null };
  }
  if (col.level === "regio") return { status: "not_published", value: null };
  const body = col.level === VIEWS[state.view].level ? data.indicators.region : data.indicators.gemeente;
  if (!body) return null;
  return indicatorLayer(ind, body, [col.code]).values.get(col.code);
}

function panelRows(columns) {
  const rows = [];
  for (const def of data.definitions) {
    const layer = data.layers.get(`def:${def.id}`);
    if (!layer) continue;
    rows.push({
      key: layer.key, label: layer.label, unit: layer.unit, estimate: layer.estimate,
      cells: columns.map((col) => definitionCell(def, col)),
    });
  }
  const ind = data.indicators.region;
  if (ind) {
    for (const i of ggzFirst(ind.indicators)) {
      rows.push({
        key: `ind:${i.key}`, label: i.label_nl || i.key, unit: `${ind.unit || "%"} (schatting ${ind.year || 2020})`,
        estimate: true, cells: columns.map((col) => indicatorCell(i, col)), other: !GGZ_INDICATORS.includes(i.key),
      });
    }
  }
  return rows;
}

function orientedOverlap(code, a, b) {
  const body = data.counts.region;
  if (!body || !body.overlaps) return null;
  for (const o of body.overlaps) {
    if (o.region !== code) continue;
    if (o.a === a && o.b === b) return o;
    if (o.a === b && o.b === a) return { ...o, only_a: o.only_b, only_b: o.only_a };
  }
  return null;
}

let panelCache = null;

function renderPanel() {
  const code = state.selected;
  const r = data.regions.get(code);
  if (!r) return clearPanel();
  $("panel-title").textContent = regionName(code);
  const pop = r.population === null || r.population === undefined ? NaN : Number(r.population);
  $("panel-population").hidden = !Number.isFinite(pop);
  $("panel-population").textContent = `${formatCount(pop)} inwoners (CBS, 1 januari 2024) · ${code}`;
  $("panel-empty").hidden = true;
  $("panel-body").hidden = false;
  const columns = comparisonColumns(code);
  const rows = panelRows(columns);
  const other = rows.filter((r) => r.other);
  renderFigures($("figures"), columns, rows.filter((r) => !r.other));
  renderFigures($("figures-other"), columns, other);
  $("figures-other-details").hidden = other.length === 0;
  $("figures-other-summary").textContent = `Overige indicatoren van de gezondheidsmonitor (${other.length})`;

  const a = data.layers.get(state.layerA);
  const b = data.layers.get(state.layerB);
  const showOverlap = state.compare && a && b && a.kind === "definition" && b.kind === "definition" && a.id !== b.id;
  $("overlap-block").hidden = !showOverlap;
  let overlap = null;
  if (showOverlap) {
    overlap = orientedOverlap(code, a.id, b.id);
    renderOverlap($("overlap"), a.label, b.label, overlap);
  }

  const coverageRows = data.definitions.filter((d) => data.layers.has(`def:${d.id}`)).map((d) => ({
    label: d.title || d.id,
    cells: columns.map((col) => {
      const cell = definitionCell(d, col);
      if (!cell || !cell.coverage) return null;
      return cell.coverage_gaps ? `${cell.coverage} (${cell.coverage_gaps})` : cell.coverage;
    }),
  }));
  const ind = data.indicators.region;
  if (ind) {
    const has = ind.items.some((it) => it.code === code);
    coverageRows.push({
      label: `Gezondheidsmonitor ${ind.year || 2020} (${ind.layout || "indeling 2020"})`,
      cells: columns.map((col, i) => (i === 0 ? (has ? "full" : "none") : null)),
    });
  }
  renderCoverage($("coverage"), columns, coverageRows);
  panelCache = { code, columns, rows, overlap, a, b, coverageRows };
}

function clearPanel() {
  state.selected = null;
  const noun = VIEWS[state.view].noun === "wijken" ? "wijk" : "gemeente";
  $("panel-title").textContent = `Kies een ${noun}`;
  $("panel-empty").textContent = `Klik op een ${noun} op de kaart of kies er een uit de lijst.`;
  $("panel-empty").hidden = false;
  $("panel-population").hidden = true;
  $("panel-body").hidden = true;
  panelCache = null;
}

async function selectRegion(code) {
  if (!data.regions.has(code)) return;
  state.selected = code;
  mapA.select(code);
  mapB.select(code);
  const sel = $("wijk-select");
  if (![...sel.options].some((o) => o.value === code)) {
    $("wijk-filter").value = "";
    fillRegionList("");
  }
  sel.value = code;
  renderPanel();
  writeHash();
  setStatus(`Gekozen: ${regionName(code)}`);
  $("notes").replaceChildren();
  const result = await settle(api.notes(code));
  if (state.selected !== code) return;
  renderNotes($("notes"), result.ok ? result.value : null);
}

// --- disclosure rules and manifest ---------------------------------------------------------------

function renderAbout() {
  const body = data.counts.region;
  renderRulesSummary($("rules-summary"), body);
  renderKeyValues($("disclosure"), body ? body.disclosure : null);
  renderKeyValues($("manifest"), body ? body.manifest : null);
}

// --- the address bar keeps the choices, so a view can be bookmarked or shared ------------------------

function writeHash() {
  const p = new URLSearchParams();
  p.set("gebied", state.view);
  p.set("datum", state.date);
  if (state.layerA) p.set("a", state.layerA);
  if (state.compare && state.layerB) p.set("b", state.layerB);
  if (state.compare) p.set("vergelijk", state.compareMode);
  if (state.selected) p.set("regio", state.selected);
  history.replaceState(null, "", `#${p}`);
}

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (VIEWS[p.get("gebied")]) state.view = p.get("gebied");
  if (/^\d{4}-\d{2}-\d{2}$/.test(p.get("datum") || "")) state.date = p.get("datum");
  state.layerA = p.get("a") || null;
  state.layerB = p.get("b") || null;
  state.compare = p.has("vergelijk");
  state.compareMode = p.get("vergelijk") === "diff" ? "diff" : "side";
  state.selected = p.get("regio") || null;
  document.querySelector(`input[name=view][value=${state.view}]`).checked = true;
  $("ref-date").value = state.date;
  $("compare-on").checked = state.compare;
  $("layer-b").disabled = !state.compare;
  document.querySelectorAll("input[name=compare-mode]").forEach((r) => {
    r.disabled = !state.compare;
    r.checked = r.value === state.compareMode;
  });
}

// --- CSV downloads -------------------------------------------------------------------------------

function mapCsv(which) {
  const a = data.layers.get(state.layerA);
  const b = data.layers.get(state.layerB);
  const map = which === "a" ? mapA : mapB;
  if (!map.current) return;
  const { spec } = map.current;
  const rows = [];
  for (const [code, props] of data.regions) {
    const cell = spec.values.get(code) || { status: "no_data", value: null };
    const el = map.shapes.get(code).getElement();
    rows.push({
      region: code, name: props.name, parent: props.parent || "", measure: spec.caption, unit: spec.unit,
      status: cell.status,
      value: cell.status === "published" ? cell.value : null,
      count: cell.status === "published" && Number.isFinite(cell.count) ? cell.count : null,
      class: el.dataset.class !== undefined ? Number(el.dataset.class) + 1 : null,
    });
  }
  const name = which === "a" || state.compareMode !== "diff" ? (which === "a" ? a : b).id : `${a.id}-min-${b.id}`;
  download(`wijkscan-${state.view}-${slug(name)}-${state.date}.csv`,
    ["region", "name", "parent", "measure", "unit", "status", "value", "count", "class"], rows);
}

$("csv-map-a").addEventListener("click", () => mapCsv("a"));
$("csv-map-b").addEventListener("click", () => mapCsv("b"));
$("csv-figures").addEventListener("click", () => {
  if (!panelCache) return;
  download(`wijkscan-${panelCache.code}-cijfers-${state.date}.csv`,
    ["measure", "label", "unit", "region", "region_label", "status", "value", "count", "ci_low", "ci_high"],
    figuresCsvRows(panelCache.columns, panelCache.rows));
});
$("csv-overlap").addEventListener("click", () => {
  if (!panelCache || !panelCache.a || !panelCache.b) return;
  const o = panelCache.overlap;
  const pub = o && o.status === "published";
  download(`wijkscan-${panelCache.code}-overlap-${slug(panelCache.a.id)}-${slug(panelCache.b.id)}.csv`,
    ["region", "a", "b", "status", "both", "only_a", "only_b", "jaccard"],
    [{ region: panelCache.code, a: panelCache.a.id, b: panelCache.b.id, status: o ? o.status : "unavailable",
       both: pub ? o.both : null, only_a: pub ? o.only_a : null, only_b: pub ? o.only_b : null,
       jaccard: pub ? o.jaccard : null }]);
});
$("csv-coverage").addEventListener("click", () => {
  if (!panelCache) return;
  const rows = [];
  for (const r of panelCache.coverageRows) {
    panelCache.columns.forEach((c, i) => rows.push({ source: r.label, region: c.code, coverage: r.cells[i] }));
  }
  download(`wijkscan-${panelCache.code}-brondekking.csv`, ["source", "region", "coverage"], rows);
});
$("csv-manifest").addEventListener("click", () => {
  const body = data.counts.region;
  if (!body) return;
  const rows = [
    ...flatten(body.manifest, "manifest"),
    ...flatten(body.disclosure, "disclosure"),
  ];
  download(`wijkscan-manifest-${state.date}.csv`, ["key", "value"], rows);
});

// --- controls ------------------------------------------------------------------------------------

document.querySelectorAll("input[name=view]").forEach((r) => r.addEventListener("change", () => {
  state.view = r.value;
  state.selected = null;
  $("wijk-filter").value = "";
  loadView();
}));
$("ref-date").addEventListener("change", (ev) => {
  if (!ev.target.value) return;
  state.date = ev.target.value;
  loadView();
});
$("layer-a").addEventListener("change", (ev) => {
  state.layerA = ev.target.value;
  repaint();
});
$("layer-b").addEventListener("change", (ev) => {
  state.layerB = ev.target.value;
  repaint();
});
$("compare-on").addEventListener("change", (ev) => {
  state.compare = ev.target.checked;
  $("layer-b").disabled = !state.compare;
  document.querySelectorAll("input[name=compare-mode]").forEach((r) => { r.disabled = !state.compare; });
  repaint();
});
document.querySelectorAll("input[name=compare-mode]").forEach((r) => r.addEventListener("change", () => {
  state.compareMode = r.value;
  repaint();
}));
$("wijk-filter").addEventListener("input", (ev) => fillRegionList(ev.target.value));
$("wijk-filter").addEventListener("keydown", (ev) => {
  if (ev.key === "ArrowDown" || ev.key === "Enter") {
    const sel = $("wijk-select");
    if (sel.options.length) {
      ev.preventDefault();
      sel.focus();
      if (!sel.value) sel.selectedIndex = 0;
      selectRegion(sel.value);
    }
  }
});
$("wijk-select").addEventListener("change", (ev) => selectRegion(ev.target.value));

async function init() {
  readHash();
  setStatus("Laden…");
  const [defs, gemeenten] = await Promise.all([
    settle(api.publishedDefinitions()),
    settle(api.regionList("gemeente", undefined)),
  ]);
  if (defs.ok) data.definitions = defs.value;
  if (gemeenten.ok) {
    for (const g of gemeenten.value.items) data.gemeenten.set(g.code, g);
  }
  await loadView();
  if (!defs.ok) setStatus(`Definities konden niet worden geladen: ${defs.error.message}`, true);
  document.body.dataset.ready = "true";
}

init();
