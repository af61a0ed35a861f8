// CSV downloads of every figure on the page, built from the JSON the page shows.

import { download, installDialectChoice, slug } from "./csv.js";
import { flatten, figuresCsvRows } from "./panel.js";
import { state, data, $ } from "./state.js";
import { panelCache } from "./wijkpanel.js";

function mapCsv(which, mapA, mapB) {
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

export function installDownloads(mapA, mapB) {
  installDialectChoice($("csv-dialect"));
  $("csv-map-a").addEventListener("click", () => mapCsv("a", mapA, mapB));
  $("csv-map-b").addEventListener("click", () => mapCsv("b", mapA, mapB));
  $("csv-figures").addEventListener("click", () => {
    if (!panelCache) return;
    download(`wijkscan-${panelCache.code}-cijfers-${state.date}.csv`,
      ["measure", "label", "unit", "region", "region_label", "status", "value", "count", "ci_low", "ci_high", "derived"],
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
}
