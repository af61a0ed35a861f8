// A choropleth of region shapes with Leaflet's SVG renderer (no tiles: the page works offline).
// Every shape is a focusable element with an accessible name, so the map can be used by keyboard;
// its data-code/data-status/data-class attributes state what it shows.

import {
  SEQUENTIAL, DIVERGING, NO_DATA_FILL, NOT_COVERED_FILL, SUPPRESSED_FILL,
  quantileBreaks, classIndex, paletteFor, differenceBreaks, differenceClass,
} from "./classes.js";
import { formatValue } from "./layers.js";

const SVG_NS = "http://www.w3.org/2000/svg";
// Mid-grey edges keep white (no data) regions visible against the background.
const EDGE = "#6b6b6b";

const PATTERNS = [SUPPRESSED_FILL, NO_DATA_FILL];
const STATUS_FILL = {
  suppressed: SUPPRESSED_FILL,
  not_covered: NOT_COVERED_FILL,
  no_data: NO_DATA_FILL,
  not_in_layout: NO_DATA_FILL,
};
const STATUS_LEGEND = {
  suppressed: "onderdrukt (kleine aantallen)",
  not_covered: "geen brondekking",
  no_data: "geen gegevens",
  not_in_layout: "niet in wijkindeling 2020",
};

// Two patterns keep the reasons for "no number" apart from every palette colour and from each other:
// hatch = suppressed by disclosure control, dots = no data at all. Not covered is plain grey.
function makePattern(kind, id) {
  const pattern = document.createElementNS(SVG_NS, "pattern");
  pattern.setAttribute("id", id);
  pattern.setAttribute("patternUnits", "userSpaceOnUse");
  pattern.setAttribute("width", "6");
  pattern.setAttribute("height", "6");
  const bg = document.createElementNS(SVG_NS, "rect");
  bg.setAttribute("width", "6");
  bg.setAttribute("height", "6");
  bg.setAttribute("fill", "#ffffff");
  pattern.appendChild(bg);
  if (kind === "hatch") {
    pattern.setAttribute("patternTransform", "rotate(45)");
    const line = document.createElementNS(SVG_NS, "line");
    line.setAttribute("x1", "0");
    line.setAttribute("y1", "0");
    line.setAttribute("x2", "0");
    line.setAttribute("y2", "6");
    line.setAttribute("stroke", "#444444");
    line.setAttribute("stroke-width", "2.5");
    pattern.appendChild(line);
  } else {
    const dot = document.createElementNS(SVG_NS, "circle");
    dot.setAttribute("cx", "3");
    dot.setAttribute("cy", "3");
    dot.setAttribute("r", "0.9");
    dot.setAttribute("fill", "#8a8a8a");
    pattern.appendChild(dot);
  }
  return pattern;
}

function ensurePatterns(svg, ids) {
  let defs = svg.querySelector("defs");
  if (!defs) {
    defs = document.createElementNS(SVG_NS, "defs");
    svg.insertBefore(defs, svg.firstChild);
  }
  for (const [kind, id] of Object.entries(ids)) {
    if (!svg.querySelector(`#${id}`)) defs.appendChild(makePattern(kind, id));
  }
}

let legendPatterns = 0;

function swatch(fill) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("width", "18");
  svg.setAttribute("height", "12");
  svg.setAttribute("aria-hidden", "true");
  if (PATTERNS.includes(fill)) {
    // A url(#id) reference needs a unique id in the document, so each legend swatch has its own.
    const id = `zicht-${fill}-legend-${(legendPatterns += 1)}`;
    const defs = document.createElementNS(SVG_NS, "defs");
    defs.appendChild(makePattern(fill, id));
    svg.appendChild(defs);
    fill = `url(#${id})`;
  }
  const rect = document.createElementNS(SVG_NS, "rect");
  rect.setAttribute("width", "18");
  rect.setAttribute("height", "12");
  rect.setAttribute("fill", fill);
  svg.appendChild(rect);
  return svg;
}

// The hover label of a map lives in the document body (position: fixed), not in the map's panes as
// Leaflet's tooltips do: those are clipped by the map box, so a label near an edge was cut off.
class HoverLabel {
  constructor() {
    this.node = document.createElement("div");
    this.node.className = "map-tooltip";
    // The shape's aria-label already says the same; screen readers need not hear it twice.
    this.node.setAttribute("aria-hidden", "true");
    this.node.hidden = true;
    document.body.append(this.node);
  }

  show(text, x, y) {
    this.node.textContent = text;
    this.node.hidden = false;
    const gap = 14;
    const w = this.node.offsetWidth;
    const h = this.node.offsetHeight;
    const maxX = document.documentElement.clientWidth - w - 4;
    const maxY = document.documentElement.clientHeight - h - 4;
    let left = x + gap;
    let top = y + gap;
    if (left > maxX) left = x - gap - w;
    if (top > maxY) top = y - gap - h;
    this.node.style.left = `${Math.max(4, Math.min(left, maxX))}px`;
    this.node.style.top = `${Math.max(4, Math.min(top, maxY))}px`;
  }

  hide() {
    this.node.hidden = true;
  }
}

// One label for the page: only one shape is under the pointer (or has focus) at a time.
let sharedLabel = null;
function hoverLabel() {
  if (!sharedLabel) sharedLabel = new HoverLabel();
  return sharedLabel;
}

export class ChoroplethMap {
  constructor(elementId, legendId, { onSelect, names }) {
    this.element = document.getElementById(elementId);
    this.legend = document.getElementById(legendId);
    this.onSelect = onSelect;
    this.names = names; // code -> {name, parentName}
    this.renderer = L.svg({ padding: 0.2 });
    this.map = L.map(this.element, {
      renderer: this.renderer,
      zoomSnap: 0.25,
      attributionControl: true,
      keyboard: true,
    });
    // A view must exist before shapes are added: Leaflet creates the SVG renderer only on a loaded map.
    this.map.setView([52.3, 6.7], 10);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution("Grenzen: CBS (CC BY 4.0) · Leaflet");
    // Patterns per map: ids must be unique in the document.
    this.patternIds = { hatch: `zicht-hatch-${elementId}`, dots: `zicht-dots-${elementId}` };
    this.shapes = new Map(); // code -> Leaflet path layer
    this.selected = null;
    this.geo = null;
    this.texts = new Map(); // code -> hover text
    this.label = hoverLabel();
    this.map.on("movestart zoomstart", () => this.label.hide());
  }

  setShapes(featureCollection) {
    if (this.geo) this.geo.remove();
    this.shapes.clear();
    this.selected = null;
    this.geo = L.geoJSON(featureCollection, {
      style: () => ({ color: EDGE, weight: 0.7, fillColor: "#ffffff", fillOpacity: 0.9 }),
      onEachFeature: (feature, layer) => {
        const code = feature.properties.code;
        this.shapes.set(code, layer);
        const follow = (ev) => this.label.show(this.texts.get(code) || "", ev.originalEvent.clientX, ev.originalEvent.clientY);
        layer.on("mouseover mousemove", follow);
        layer.on("mouseout", () => this.label.hide());
        layer.on("click", () => this.onSelect(code));
      },
    }).addTo(this.map);
    ensurePatterns(this.renderer._container, this.patternIds);
    for (const [code, layer] of this.shapes) {
      const el = layer.getElement();
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.dataset.code = code;
      el.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          this.onSelect(code);
        }
      });
      el.addEventListener("focus", () => {
        const r = el.getBoundingClientRect();
        this.label.show(this.texts.get(code) || "", r.left + r.width / 2, r.top + r.height / 2);
      });
      el.addEventListener("blur", () => this.label.hide());
    }
    this.fit();
  }

  fit() {
    // A hidden map has no size; fitting it then would give NaN coordinates. invalidate() refits it
    // once it is shown.
    const size = this.map.getSize();
    if (this.geo && size.x > 0 && size.y > 0) this.map.fitBounds(this.geo.getBounds(), { padding: [6, 6] });
  }

  invalidate() {
    this.map.invalidateSize({ animate: false });
    this.fit();
  }

  // spec: {caption, unit, values: Map(code -> {status, value}), diverging: bool, describe(code) -> text}
  paint(spec) {
    const published = [];
    for (const [code, cell] of spec.values) {
      if (this.shapes.has(code) && cell.status === "published") published.push(cell.value);
    }
    const breaks = spec.diverging ? differenceBreaks(published) : quantileBreaks(published);
    const palette = spec.diverging
      ? paletteFor(breaks.length + 1, DIVERGING)
      : paletteFor(breaks.length + 1, SEQUENTIAL);
    const classOf = spec.diverging ? differenceClass : classIndex;
    const counts = new Array(palette.length).fill(0);
    const statusesSeen = new Set();

    for (const [code, layer] of this.shapes) {
      const cell = spec.values.get(code) || { status: "no_data", value: null };
      const el = layer.getElement();
      let fill;
      if (cell.status === "published") {
        const k = classOf(cell.value, breaks);
        counts[k] += 1;
        fill = palette[k];
        el.dataset.class = String(k);
      } else {
        statusesSeen.add(cell.status);
        fill = STATUS_FILL[cell.status] || NO_DATA_FILL;
        if (PATTERNS.includes(fill)) fill = `url(#${this.patternIds[fill]})`;
        delete el.dataset.class;
      }
      el.dataset.status = cell.status;
      layer.setStyle({ fillColor: fill, fillOpacity: cell.status === "published" ? 0.9 : 1 });
      const who = this.names(code);
      const text = `${who}: ${spec.describe(code)}`;
      el.setAttribute("aria-label", text);
      this.texts.set(code, text);
    }
    this.renderLegend(spec, breaks, palette, counts, statusesSeen);
    this.current = { spec, breaks, palette };
  }

  renderLegend(spec, breaks, palette, counts, statusesSeen) {
    this.legend.replaceChildren();
    const cap = document.createElement("div");
    cap.className = "caption";
    cap.textContent = `${spec.caption} — ${spec.unit}${spec.diverging ? "" : " (kwantielklassen)"}`;
    const list = document.createElement("ul");
    palette.forEach((colour, i) => {
      const li = document.createElement("li");
      li.dataset.class = String(i);
      li.dataset.fill = colour;
      let label;
      if (breaks.length === 0) label = "alle waarden";
      else if (i === 0) label = `≤ ${formatValue(breaks[0])}`;
      else if (i === breaks.length) label = `> ${formatValue(breaks[breaks.length - 1])}`;
      else label = `${formatValue(breaks[i - 1])} – ${formatValue(breaks[i])}`;
      li.append(swatch(colour), document.createTextNode(`${label} (${counts[i]})`));
      list.appendChild(li);
    });
    for (const status of ["suppressed", "not_covered", "not_in_layout", "no_data"]) {
      if (!statusesSeen.has(status)) continue;
      const li = document.createElement("li");
      li.dataset.status = status;
      li.append(swatch(STATUS_FILL[status]), document.createTextNode(STATUS_LEGEND[status]));
      list.appendChild(li);
    }
    this.legend.append(cap, list);
  }

  select(code) {
    if (this.selected && this.shapes.has(this.selected)) {
      const prev = this.shapes.get(this.selected);
      prev.getElement().classList.remove("selected");
      prev.getElement().removeAttribute("aria-pressed");
      prev.setStyle({ color: EDGE, weight: 0.7 });
    }
    this.selected = code;
    const layer = this.shapes.get(code);
    if (!layer) return;
    layer.setStyle({ color: "#000000", weight: 3 });
    layer.bringToFront();
    layer.getElement().classList.add("selected");
    layer.getElement().setAttribute("aria-pressed", "true");
  }
}
