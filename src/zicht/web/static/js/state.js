// Shared state of the page: what the reader chose and what the API returned.

// The health-monitor indicators of a GGZ wijkscan (mental health, control, loneliness, money worries)
// come first; the monitor's other indicators stay one click away.
export const GGZ_INDICATORS = [
  "HoogRisicoOpAngstOfDepressie_25", "MatigHoogRisicoOpAngstOfDepressie_24", "HeelVeelStressInAfgelopen4Weken_26",
  "MatigVeelRegieOverEigenLeven_27", "Eenzaam_28", "ErnstigZeerErnstigEenzaam_29", "EmotioneelEenzaam_30",
  "SociaalEenzaam_31", "MoeiteMetRondkomen_38",
];

export function ggzFirst(indicators) {
  const rank = (i) => (GGZ_INDICATORS.includes(i.key) ? GGZ_INDICATORS.indexOf(i.key) : GGZ_INDICATORS.length);
  return [...indicators].sort((a, b) => rank(a) - rank(b));
}

export const TWENTE = "CR12"; // Twente = CBS COROP region 12 (the 14 gemeenten)
export const NL = "NL01";

// What each view shows: the level of the shapes and the regions to compare a selected one with.
export const VIEWS = {
  twente: { level: "wijk", within: TWENTE, noun: "wijken", title: "Twente" },
  nl: { level: "gemeente", within: undefined, noun: "gemeenten", title: "Nederland" },
};

export const state = {
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

export const data = {
  gemeenten: new Map(), // code -> {name, parent}
  regions: new Map(), // code -> {name, parent, level} of the current view
  definitions: [],
  counts: { region: null, gemeente: null, regio: null, land: null },
  indicators: { region: null, gemeente: null },
  layers: new Map(),
  countsError: null,
};

export const $ = (id) => document.getElementById(id);

export function setStatus(text, isError = false) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", isError);
}

export function regionName(code) {
  const r = data.regions.get(code) || data.gemeenten.get(code);
  if (!r) return code;
  const parent = data.gemeenten.get(r.parent);
  return parent && r.level === "wijk" ? `${r.name} (${parent.name})` : r.name;
}
