// The wijk panel: which figures sit next to the selected region, gathered from the loaded API
// responses, and handed to the renderers in panel.js.

import { definitionLayer, indicatorLayer, formatCount } from "./layers.js";
import { renderFigures, renderOverlap, renderCoverage } from "./panel.js";
import { GGZ_INDICATORS, ggzFirst, TWENTE, NL, VIEWS, state, data, $, regionName } from "./state.js";

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

export function definitionCell(def, col) {
  const body = countsAt(col.level);
  if (!body) return null;
  // The land and regio columns are the total of the served store, which covers only its own area; a
  // national store also counts Twente as a regio of its own (cells with region CR12).
  if (col.level === "land" && body.total_region && body.total_region !== NL) return { status: "no_national_store", value: null };
  const layer = definitionLayer(body, def);
  if (col.level === "regio" && body.total_region && body.total_region !== TWENTE) {
    return layer.values.get(TWENTE) || { status: "no_region_total", value: null };
  }
  return layer.values.get(col.code) || null;
}

function indicatorCell(ind, col) {
  if (col.level === "land") {
    const nl = data.indicators.region && data.indicators.region.netherlands;
    const v = nl ? nl[ind.key] : null;
    return Number.isFinite(v) ? { status: "published", value: v } : { status: "no_data", value: null };
  }
  if (col.level === "regio") {
    // The monitor has no Twente row: the API derives it from the 14 gemeenten and says how.
    const tw = data.indicators.region && data.indicators.region.twente;
    const v = tw && tw.values ? tw.values[ind.key] : null;
    if (!Number.isFinite(v)) return { status: "no_data", value: null };
    return { status: "published", value: v, derived: Boolean(tw.derived), method: tw.method };
  }
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

// What the panel shows now, for its CSV downloads.
export let panelCache = null;

export function renderPanel() {
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

export function clearPanel() {
  state.selected = null;
  const noun = VIEWS[state.view].noun === "wijken" ? "wijk" : "gemeente";
  $("panel-title").textContent = `Kies een ${noun}`;
  $("panel-empty").textContent = `Klik op een ${noun} op de kaart of kies er een uit de lijst.`;
  $("panel-empty").hidden = false;
  $("panel-population").hidden = true;
  $("panel-body").hidden = true;
  panelCache = null;
}
