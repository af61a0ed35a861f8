// Wijkscan: wires the API data to the maps, the region list and the panel.

import * as api from "./api.js";
import { installDownloads } from "./downloads.js";
import { ChoroplethMap } from "./map.js";
import { definitionLayer, indicatorLayer, describe, formatValue, STATUS_TEXT } from "./layers.js";
import { renderNotes, renderKeyValues, renderRulesSummary } from "./panel.js";
import { GGZ_INDICATORS, ggzFirst, VIEWS, state, data, $, setStatus, regionName } from "./state.js";
import { renderPanel, clearPanel } from "./wijkpanel.js";
import { formatDate, makeDateField } from "./format.js";
import { installExplain } from "./wijkexplain.js";

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
  // Both maps show the same area also when their boxes differ by a few pixels (fitBounds would not).
  if (!$("wrap-b").hidden) mapB.map.setView(mapA.map.getCenter(), mapA.map.getZoom(), { animate: false });
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
    .map(([code, props]) => {
      const name = props.name || code;
      // Under its gemeente a wijk needs no CBS number ("Wijk 03 …"): without it the longest Twente
      // name fits the column; the whole name stays in the tooltip, the search and the panel.
      return { code, name, shown: name.replace(/^Wijk \d+ (?=\S)/, ""), group: (data.gemeenten.get(props.parent) || {}).name || "" };
    })
    .filter((e) => !needle || `${e.name} ${e.group} ${e.code}`.toLowerCase().includes(needle))
    .sort((a, b) => a.group.localeCompare(b.group, "nl") || a.shown.localeCompare(b.shown, "nl") || a.name.localeCompare(b.name, "nl"));
  // The list shows names only, so that they fit the column; the code is in the tooltip and the panel,
  // and is added to the text only where two regions in one group share a name.
  const seen = new Map();
  for (const e of entries) seen.set(`${e.group}|${e.shown}`, (seen.get(`${e.group}|${e.shown}`) || 0) + 1);
  const make = (e) => {
    const o = option(e.code, seen.get(`${e.group}|${e.shown}`) > 1 ? `${e.shown} (${e.code})` : e.shown);
    o.title = [e.name, e.group, e.code].filter(Boolean).join(" — ");
    return o;
  };
  if (VIEWS[state.view].level === "wijk") {
    // Wijken under their gemeente (no gemeente name repeated on every line).
    const groups = new Map();
    for (const e of entries) {
      if (!groups.has(e.group)) {
        const g = document.createElement("optgroup");
        g.label = e.group || "overig";
        groups.set(e.group, g);
      }
      groups.get(e.group).append(make(e));
    }
    sel.replaceChildren(...groups.values());
  } else {
    sel.replaceChildren(...entries.map(make));
  }
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
    if (comparing) {
      mapB.invalidate();
      // Both maps show the same area, whatever order their resize events came in.
      mapB.map.setView(mapA.map.getCenter(), mapA.map.getZoom(), { animate: false });
    }
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
  $("ref-date").value = formatDate(state.date);
  $("ref-date").dataset.iso = state.date;
  $("compare-on").checked = state.compare;
  $("layer-b").disabled = !state.compare;
  document.querySelectorAll("input[name=compare-mode]").forEach((r) => {
    r.disabled = !state.compare;
    r.checked = r.value === state.compareMode;
  });
}

installDownloads(mapA, mapB);
installExplain();

// --- controls ------------------------------------------------------------------------------------

document.querySelectorAll("input[name=view]").forEach((r) => r.addEventListener("change", () => {
  state.view = r.value;
  state.selected = null;
  $("wijk-filter").value = "";
  loadView();
}));
// The reference date reads dd-mm-jjjj whatever the browser's own date format is.
makeDateField($("ref-date"), state.date, (iso) => {
  if (iso === state.date) return;
  state.date = iso;
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
