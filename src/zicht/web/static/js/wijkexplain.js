// The wijkscan panel's "Waarom veranderde dit getal?": for the selected region and the definition on map
// A, compare the shown reference date (and version) with an earlier one through GET /api/v1/explain.

import { registry } from "./api.js";
import { renderExplanation } from "./explain.js";
import { formatDate, makeDateField } from "./format.js";
import { $, VIEWS, data, regionName, state } from "./state.js";

function yearBefore(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  const day = m === 2 && d === 29 ? 28 : d;
  return `${y - 1}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function context() {
  const layer = data.layers.get(state.layerA);
  if (!layer || layer.kind !== "definition" || !state.selected) return null;
  return { id: layer.id, version: layer.version, region: state.selected };
}

async function prepare() {
  const ctx = context();
  const what = $("explain-what");
  const select = $("explain-version");
  if (!ctx) {
    what.textContent = "Kies op de kaart A een doelgroepdefinitie en kies een gebied.";
    select.replaceChildren();
    return;
  }
  what.textContent = `${regionName(ctx.region)}, ${ctx.id} ${ctx.version} op ${formatDate(state.date)}, vergeleken met:`;
  if (!$("explain-date").dataset.iso) makeDateField($("explain-date"), yearBefore(state.date));
  try {
    const versions = (await registry.versions(ctx.id)).items.filter((v) => v.status !== "draft");
    select.replaceChildren(...versions.map((v) => {
      const o = document.createElement("option");
      o.value = v.version;
      o.textContent = v.version === ctx.version ? `${v.version} (dezelfde)` : v.version;
      return o;
    }));
    select.value = ctx.version;
  } catch (_) {
    select.replaceChildren();
  }
}

async function run(ev) {
  ev.preventDefault();
  const ctx = context();
  const out = $("explain-out");
  if (!ctx) return prepare();
  $("explain-date").dispatchEvent(new Event("change"));
  const dateA = $("explain-date").dataset.iso;
  if (!dateA) {
    out.textContent = "Vul de peildatum in als dd-mm-jjjj.";
    return undefined;
  }
  const view = VIEWS[state.view];
  out.textContent = "Rekenen, één factor tegelijk…";
  try {
    const body = await registry.explain({
      a: `${ctx.id}@${$("explain-version").value || ctx.version}`, b: `${ctx.id}@${ctx.version}`,
      date_a: dateA, date_b: state.date, level: view.level, within: view.within, region: ctx.region,
    });
    renderExplanation(out, body, { definition: ctx.id });
  } catch (err) {
    out.textContent = `Geen uitleg: ${err.message}`;
  }
  return undefined;
}

export function installExplain() {
  makeDateField($("explain-date"), "");
  $("explain-block").addEventListener("toggle", () => { if ($("explain-block").open) prepare(); });
  $("explain-form").addEventListener("submit", run);
}
