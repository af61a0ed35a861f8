// Map layers: one value per region for one definition or indicator, with the status that decides
// whether a number may be shown at all. Built only from API responses.

export const STATUS_TEXT = {
  published: "gepubliceerd",
  suppressed: "onderdrukt: te kleine aantallen (onthullingsbeheersing), geen getal getoond",
  not_covered: "geen brondekking: een bron die de definitie nodig heeft ontbreekt hier (geen 0)",
  no_data: "geen gegevens",
  not_in_layout: "bestaat niet in de indeling 2020 van de gezondheidsmonitor (na 2020 samengevoegd of opnieuw ingedeeld)",
  not_published: "voor dit gebied niet gepubliceerd",
  no_national_store: "geen landelijk cijfer: de geserveerde gegevens (store) dekken niet heel Nederland; start de service met een landelijke store",
  no_region_total: "de geserveerde store is niet precies Twente; een Twente-totaal wordt er niet apart voor geteld",
};

// Finer reasons the API may give for a hidden number.
const REASON_TEXT = {
  too_few_respondents: "onderdrukt: te weinig respondenten voor een betrouwbare schatting, geen getal getoond",
  no_source: STATUS_TEXT.not_covered,
};

const nl1 = new Intl.NumberFormat("nl-NL", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const nl0 = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 0 });

export function formatValue(v) {
  return Number.isFinite(v) ? nl1.format(v) : "";
}

export function formatCount(v) {
  return Number.isFinite(v) ? nl0.format(v) : "";
}

// A layer key is "def:<id>" or "ind:<key>", so one <select> can offer both.
export function definitionLayer(counts, def) {
  const meta = (counts.definitions || []).find((d) => d.id === def.id) || {};
  const estimate = meta.kind === "estimate";
  const values = new Map();
  for (const c of counts.cells) {
    if (c.definition !== def.id) continue;
    const raw = estimate ? c.estimate : c.rate_per_1000;
    let status = c.status;
    if (status === "published" && !Number.isFinite(raw)) status = "no_data";
    values.set(c.region, {
      status,
      value: status === "published" ? raw : null,
      count: status === "published" ? c.count : null,
      ci_low: status === "published" ? c.ci_low : null,
      ci_high: status === "published" ? c.ci_high : null,
      coverage: c.coverage,
      coverage_gaps: c.coverage_gaps || null,
      reason: c.reason || null,
    });
  }
  return {
    key: `def:${def.id}`,
    id: def.id,
    kind: "definition",
    estimate,
    version: meta.version || def.version,
    label: def.title || def.id,
    unit: estimate ? "% (schatting, gewogen)" : "per 1.000 inwoners",
    values,
  };
}

export function indicatorLayer(ind, indicatorBody, regionCodes) {
  const byCode = new Map(indicatorBody.items.map((it) => [it.code, it]));
  const values = new Map();
  for (const code of regionCodes) {
    const item = byCode.get(code);
    if (!item) {
      // The estimates follow the 2020 layout: a 2024 gemeente or wijk without a 2020 code has no estimate.
      values.set(code, { status: code.startsWith("WK") || code.startsWith("GM") ? "not_in_layout" : "no_data", value: null });
      continue;
    }
    const v = item.values ? item.values[ind.key] : null;
    values.set(code, Number.isFinite(v) ? { status: "published", value: v } : { status: "no_data", value: null });
  }
  return {
    key: `ind:${ind.key}`,
    id: ind.key,
    kind: "indicator",
    estimate: true,
    label: ind.label_nl || ind.key,
    unit: `${indicatorBody.unit || "%"} (schatting ${indicatorBody.year || 2020})`,
    values,
  };
}

export function describe(layer, code) {
  const cell = layer.values.get(code);
  if (!cell) return { status: "no_data", text: STATUS_TEXT.no_data };
  if (cell.status !== "published") {
    const text = (cell.reason && REASON_TEXT[cell.reason]) || STATUS_TEXT[cell.status] || cell.status;
    return { status: cell.status, text };
  }
  let text = `${formatValue(cell.value)} ${layer.unit}`;
  if (Number.isFinite(cell.count)) text += ` (${formatCount(cell.count)} personen)`;
  return { status: "published", text };
}
