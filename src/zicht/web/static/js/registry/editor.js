// Writing a definition in the page: from scratch or as a variant of another, concepts picked from the
// framework with search, windows, minimum occurrences, value thresholds, age limits and logic. Every
// change is checked by the API with the rules of `zicht registry check` (POST /api/v1/registry/check),
// so the page never has rules of its own. Saved as a draft of the key's field lab; its counts per
// gemeente come from GET /api/v1/counts like every other count (disclosure control, drafts policy).

import { registry } from "../api.js";
import { el } from "../dom.js";
import { formatDate, formatNumber, makeDateField, COUNT_STATUS_NL } from "../format.js";
import { concepts, session, setStatus, sources } from "./session.js";
import { problemText, fieldName } from "./problems.js";

const PREVIEW_DATE = "2024-12-31";
const OPS = [["all", "aan alle"], ["any", "aan ten minste één"], ["at_least", "aan ten minste k"], ["not", "níet aan"]];

const LIFECYCLE = ["content_hash", "published", "created", "changelog", "supersedes"];

function blankDefinition() {
  return {
    id: "", version: "0.1.0", status: "draft", author: (session.me && session.me.lab) || "", title: "", description: "",
    domains: [], reference_period: { months: 12 },
    criteria: [{ id: "c1", label: "", concepts: [] }],
    logic: { op: "any", operands: ["c1"] },
  };
}

function variantOf(doc) {
  const out = structuredClone(doc);
  for (const k of LIFECYCLE) delete out[k];
  out.id = `${doc.id}-variant`;
  out.version = "0.1.0";
  out.status = "draft";
  out.author = (session.me && session.me.lab) || doc.author;
  out.title = `${doc.title} (variant)`;
  return out;
}

export async function renderEditor(view, { from, edit }) {
  await Promise.all([concepts(), sources()]);
  const ed = { doc: null, etag: null, saved: null, checkTimer: null, checkSeq: 0, lastCheck: null };
  if (edit) {
    const { data, etag } = await registry.version(edit[0], edit[1]);
    if (data.status !== "draft") throw new Error(`${data.id} ${data.version} is ${data.status} en verandert niet meer; maak een nieuwe versie`);
    delete data.content_hash;
    ed.doc = data;
    ed.etag = etag;
    ed.saved = JSON.stringify(data);
  } else if (from) {
    const [id, version] = from.split("@");
    const { data } = version ? await registry.version(id, version) : await registry.current(id);
    ed.doc = variantOf(data);
  } else {
    ed.doc = blankDefinition();
  }
  const heading = edit ? `Concept bewerken: ${ed.doc.id} ${ed.doc.version}` : from ? `Variant van ${from}` : "Nieuwe definitie";
  const form = el("form", { id: "editor", class: "editor", novalidate: true, "aria-describedby": "check-summary" });
  form.addEventListener("submit", (ev) => ev.preventDefault());
  const check = el("aside", { id: "check", class: "check", "aria-label": "Controle" },
    el("h3", {}, "Controle (zelfde regels als zicht registry check)"),
    el("p", { id: "check-summary", role: "status", "aria-live": "polite" }, "Nog niet gecontroleerd."),
    el("ul", { id: "check-problems" }),
    el("h3", {}, "Zo leest de definitie"),
    el("div", { id: "check-sentences", class: "sentences" }),
    el("p", { class: "hint" }, "Inhoudshash: ", el("code", { id: "check-hash" }, "—")));
  const preview = el("section", { id: "preview", "aria-labelledby": "h-preview" },
    el("h3", { id: "h-preview" }, "Voorbeeld per gemeente"),
    el("p", { class: "hint" }, "Een concept wordt alleen voor je eigen proeftuin en per gemeente geteld, door dezelfde "
      + "onthullingsbeheersing als alle cijfers; elke nieuwe inhoud telt mee voor je quotum."),
    el("div", { class: "preview-controls" },
      el("label", { for: "preview-date" }, "Peildatum"),
      el("input", { id: "preview-date" }),
      el("button", { type: "button", id: "preview-run" }, "Toon voorbeeld")),
    el("div", { id: "preview-table", class: "table-wrap", "aria-live": "polite" }));
  const buttons = el("div", { class: "actions" },
    el("button", { type: "button", id: "save" }, "Opslaan als concept"),
    el("button", { type: "button", id: "publish-draft" }, "Publiceren"),
    el("a", { class: "button secondary", id: "cancel", href: edit ? `#/definitie/${encodeURIComponent(ed.doc.id)}/${encodeURIComponent(ed.doc.version)}` : "#/" }, "Terug"));
  const signIn = session.me ? null
    : el("p", { class: "warning" }, "Zonder sleutel kun je schrijven en controleren, maar niet opslaan: vul boven de sleutel van je proeftuin in.");
  view.replaceChildren(...[el("h2", {}, heading), signIn, el("div", { class: "editor-layout" }, form, check), buttons, preview]
    .filter(Boolean));
  makeDateField(document.getElementById("preview-date"), PREVIEW_DATE);

  const rerender = (focusId) => {
    buildForm(form, ed, rerender, schedule);
    if (focusId) {
      const f = document.getElementById(focusId);
      if (f) f.focus();
    }
    schedule();
  };
  const schedule = () => {
    clearTimeout(ed.checkTimer);
    // While a change waits for its check the page says so (tests and assistive tools can wait for it).
    document.body.dataset.checkPending = "true";
    ed.timerPending = true;
    ed.checkTimer = setTimeout(() => { ed.timerPending = false; runCheck(ed); }, 250);
    // Publishing saves first, so it needs only a key that may save.
    document.getElementById("publish-draft").disabled = !session.me;
  };
  rerender();
  document.getElementById("save").addEventListener("click", () => save(ed));
  document.getElementById("publish-draft").addEventListener("click", () => publish(ed));
  document.getElementById("preview-run").addEventListener("click", () => runPreview(ed));
}

function dirty(ed) {
  return ed.saved !== JSON.stringify(ed.doc);
}

// --- the form ---------------------------------------------------------------------------------------

function buildForm(form, ed, rerender, schedule) {
  const doc = ed.doc;
  const set = (path, value) => {
    setPath(doc, path, value);
    schedule();
  };
  const text = (id, label, path, attrs = {}) => field(id, label, el(attrs.multiline ? "textarea" : "input", {
    id, dataset: { path: path.join("/") }, value: attrs.multiline ? undefined : (getPath(doc, path) ?? ""),
    rows: attrs.multiline ? "3" : undefined, readonly: attrs.readonly, type: attrs.multiline ? undefined : "text",
    oninput: (ev) => set(path, ev.target.value),
  }, attrs.multiline ? (getPath(doc, path) ?? "") : null), attrs.hint);
  const number = (id, label, path, attrs = {}) => field(id, label, el("input", {
    id, type: "number", inputmode: "numeric", step: attrs.step || "1", min: attrs.min, max: attrs.max,
    dataset: { path: path.join("/") }, value: getPath(doc, path) ?? "",
    oninput: (ev) => set(path, ev.target.value === "" ? undefined : Number(ev.target.value)),
  }), attrs.hint);

  const basics = el("fieldset", {}, el("legend", {}, "Basisgegevens"),
    text("f-id", "Id (kleine letters, cijfers en streepjes)", ["id"], { readonly: Boolean(ed.etag) }),
    text("f-title", "Titel", ["title"]),
    text("f-description", "Beschrijving", ["description"], { multiline: true }),
    text("f-author", "Proeftuin (auteur)", ["author"], { readonly: Boolean(session.me && session.me.lab), hint:
      session.me && session.me.lab ? "De proeftuin van je sleutel." : "Zonder sleutel: vul de proeftuin in." }),
    el("p", { class: "hint" }, `Versie ${doc.version} · status concept`),
    domainsField(doc, set, rerender));
  const population = el("fieldset", {}, el("legend", {}, "Populatie en peilperiode"),
    number("f-age-min", "Leeftijd vanaf (jaar)", ["population", "age_min"], { min: 0, max: 120 }),
    number("f-age-max", "Leeftijd tot en met (jaar)", ["population", "age_max"], { min: 0, max: 120 }),
    number("f-period", "Peilperiode (maanden tot en met de peildatum)", ["reference_period", "months"], { min: 1, max: 240 }));
  const criteria = el("fieldset", { id: "criteria" }, el("legend", {}, "Criteria"),
    ...doc.criteria.map((c, i) => criterionField(doc, c, i, set, number, rerender)),
    el("button", { type: "button", id: "add-criterion", onclick: () => {
      const n = nextId(doc.criteria.map((c) => c.id));
      doc.criteria.push({ id: n, label: "", concepts: [] });
      if (doc.logic && Array.isArray(doc.logic.operands)) doc.logic.operands.push(n);
      rerender(`c${doc.criteria.length - 1}-label`);
    } }, "Criterium toevoegen"));
  const logic = el("fieldset", { id: "logic" }, el("legend", {}, "Logica: wanneer hoort iemand bij de doelgroep?"),
    logicField(doc, doc.logic || (doc.logic = { op: "any", operands: [] }), ["logic"], set, rerender));
  form.replaceChildren(basics, population, criteria, logic);
}

function field(id, label, input, hint) {
  return el("div", { class: "field" }, el("label", { for: id }, label), input,
    hint ? el("span", { class: "hint" }, hint) : null, el("span", { class: "field-problem", id: `${id}-problem` }));
}

function domainsField(doc, set, rerender) {
  const box = el("fieldset", { class: "inline", dataset: { path: "domains" } }, el("legend", {}, "Domeinen van het kader"));
  for (const d of session.domains) {
    const id = `f-domain-${d.key}`;
    box.append(el("label", { for: id }, el("input", { type: "checkbox", id, checked: (doc.domains || []).includes(d.key),
      onchange: (ev) => {
        const now = new Set(doc.domains || []);
        if (ev.target.checked) now.add(d.key);
        else now.delete(d.key);
        set(["domains"], session.domains.map((x) => x.key).filter((k) => now.has(k)));
      } }), ` ${d.label_nl}`));
  }
  return box;
}

function criterionField(doc, c, i, set, number, rerender) {
  const p = (k) => ["criteria", i, k];
  const idInput = el("input", { id: `c${i}-id`, type: "text", value: c.id || "", dataset: { path: `criteria/${i}/id` },
    oninput: (ev) => {
      const old = c.id;
      renameOperand(doc.logic, old, ev.target.value);
      set(p("id"), ev.target.value);
    }, onchange: () => rerender(`c${i}-id`) });
  const box = el("fieldset", { class: "criterion", dataset: { index: String(i) } },
    el("legend", {}, `Criterium ${i + 1}${c.label ? `: ${c.label}` : ""}`),
    field(`c${i}-id`, "Id", idInput),
    field(`c${i}-label`, "Naam", el("input", { id: `c${i}-label`, type: "text", value: c.label || "",
      dataset: { path: `criteria/${i}/label` }, oninput: (ev) => set(p("label"), ev.target.value) })),
    conceptPicker(doc, c, i, set, rerender),
    el("div", { class: "field" }, el("label", { for: `c${i}-narrower` },
      el("input", { type: "checkbox", id: `c${i}-narrower`, checked: c.include_narrower !== false,
        onchange: (ev) => set(p("include_narrower"), ev.target.checked ? undefined : false) }),
      " Nauwere begrippen meetellen")),
    sourcesField(c, i, set),
    el("div", { class: "grid" },
      number(`c${i}-window`, "Venster (maanden)", p("window_months"), { min: 1, max: 240, hint: "leeg: de peilperiode" }),
      number(`c${i}-min`, "Minimaal aantal gebeurtenissen", p("min_occurrences"), { min: 1, hint: "leeg: 1" }),
      number(`c${i}-span`, "Minimale spreiding (dagen)", p("min_span_days"), { min: 0 }),
      number(`c${i}-vmin`, "Waarde ten minste", p("value_min"), { step: "any", hint: "bijv. K10 ≥ 30" }),
      number(`c${i}-vmax`, "Waarde hoogstens", p("value_max"), { step: "any" }),
      number(`c${i}-amin`, "Leeftijd vanaf", p("age_min"), { min: 0, max: 120 }),
      number(`c${i}-amax`, "Leeftijd tot en met", p("age_max"), { min: 0, max: 120 })),
    el("button", { type: "button", class: "secondary", id: `c${i}-remove`, disabled: doc.criteria.length === 1,
      onclick: () => {
        renameOperand(doc.logic, c.id, null);
        doc.criteria.splice(i, 1);
        rerender("add-criterion");
      } }, "Verwijder criterium"));
  return box;
}

function conceptPicker(doc, c, i, set, rerender) {
  const listId = `c${i}-concepts-list`;
  const input = el("input", { id: `c${i}-concept-search`, type: "search", role: "combobox", autocomplete: "off",
    "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": listId,
    placeholder: "zoek een begrip (bijv. E33, begeleiding, K10)" });
  const list = el("ul", { id: listId, role: "listbox", class: "options", hidden: true, "aria-label": "Begrippen" });
  let options = [];
  let active = -1;
  const add = (concept) => {
    const now = [...(c.concepts || [])];
    if (!now.includes(concept.key)) now.push(concept.key);
    set(["criteria", i, "concepts"], now);
    const domain = concept.domain.replace(/^zc:/, "");
    if (!(doc.domains || []).includes(domain)) set(["domains"], [...(doc.domains || []), domain]);
    rerender(`c${i}-concept-search`);
  };
  const show = () => {
    const needle = input.value.trim().toLowerCase();
    options = needle ? session.concepts.filter((x) => `${x.label_nl} ${x.label_en} ${x.curie}`.toLowerCase().includes(needle)).slice(0, 10) : [];
    active = options.length ? 0 : -1;
    list.replaceChildren(...options.map((x, k) => el("li", { role: "option", id: `${listId}-${k}`, "aria-selected": k === active ? "true" : "false",
      dataset: { key: x.key }, onmousedown: (ev) => { ev.preventDefault(); add(x); } },
    `${x.label_nl} `, el("span", { class: "kind" }, `${x.curie} · ${conceptDomain(x)}`))));
    list.hidden = !options.length;
    input.setAttribute("aria-expanded", String(!list.hidden));
    if (active >= 0) input.setAttribute("aria-activedescendant", `${listId}-${active}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const move = (delta) => {
    if (!options.length) return;
    active = (active + delta + options.length) % options.length;
    [...list.children].forEach((li, k) => li.setAttribute("aria-selected", k === active ? "true" : "false"));
    input.setAttribute("aria-activedescendant", `${listId}-${active}`);
  };
  input.addEventListener("input", show);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown") { ev.preventDefault(); move(1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); move(-1); }
    else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); add(options[active]); }
    else if (ev.key === "Escape") { list.hidden = true; input.setAttribute("aria-expanded", "false"); }
  });
  input.addEventListener("blur", () => setTimeout(() => { list.hidden = true; input.setAttribute("aria-expanded", "false"); }, 150));
  const chips = el("ul", { class: "chips", "aria-label": "Gekozen begrippen", dataset: { path: `criteria/${i}/concepts` } },
    ...(c.concepts || []).map((key, k) => {
      const concept = session.concepts.find((x) => x.key === key);
      return el("li", { dataset: { key } }, concept ? concept.label_nl : key, " ",
        el("button", { type: "button", class: "chip-remove", "aria-label": `Verwijder ${concept ? concept.label_nl : key}`,
          onclick: () => {
            set(["criteria", i, "concepts"], c.concepts.filter((_, j) => j !== k));
            rerender(`c${i}-concept-search`);
          } }, "×"));
    }));
  return el("div", { class: "field concepts" }, el("label", { for: input.id }, "Begrippen uit het kader"), chips,
    el("div", { class: "combo" }, input, list), el("span", { class: "field-problem", id: `c${i}-concepts-problem` }));
}

function conceptDomain(concept) {
  const d = session.domains.find((x) => x.curie === concept.domain);
  return d ? d.label_nl : concept.domain;
}

function sourcesField(c, i, set) {
  const chosen = new Set(c.sources || []);
  const box = el("fieldset", { class: "inline sources", dataset: { path: `criteria/${i}/sources` } },
    el("legend", {}, "Alleen uit deze bronnen (niets aangevinkt: elke bron met deze begrippen)"));
  for (const s of session.sources.filter((x) => x.kind !== "narrative")) {
    const id = `c${i}-source-${s.id}`;
    box.append(el("label", { for: id }, el("input", { type: "checkbox", id, checked: chosen.has(s.id), onchange: (ev) => {
      if (ev.target.checked) chosen.add(s.id);
      else chosen.delete(s.id);
      set(["criteria", i, "sources"], chosen.size ? [...chosen].sort() : undefined);
    } }), ` ${s.title || s.id} `, el("span", { class: "kind" }, s.kind === "survey" ? "(enquête)" : "")));
  }
  return box;
}

function logicField(doc, node, path, set, rerender) {
  const pathId = path.join("-");
  const op = el("select", { id: `${pathId}-op`, dataset: { path: [...path, "op"].join("/") }, onchange: (ev) => {
    node.op = ev.target.value;
    if (node.op === "at_least" && !node.k) node.k = 2;
    if (node.op !== "at_least") delete node.k;
    rerender(`${pathId}-op`);
  } }, ...OPS.map(([v, label]) => el("option", { value: v }, label)));
  op.value = node.op || "any";
  const k = node.op === "at_least"
    ? field(`${pathId}-k`, "k (zoveel criteria of groepen)", el("input", { id: `${pathId}-k`, type: "number", min: "1", value: node.k ?? "",
      dataset: { path: [...path, "k"].join("/") }, oninput: (ev) => set([...path, "k"], ev.target.value === "" ? undefined : Number(ev.target.value)) }))
    : null;
  const operands = el("fieldset", { class: "inline", dataset: { path: [...path, "operands"].join("/") } },
    el("legend", {}, "van deze criteria"),
    ...doc.criteria.map((c) => {
      const id = `${pathId}-operand-${c.id}`;
      return el("label", { for: id }, el("input", { type: "checkbox", id, checked: (node.operands || []).includes(c.id),
        onchange: (ev) => {
          const now = new Set(node.operands || []);
          if (ev.target.checked) now.add(c.id);
          else now.delete(c.id);
          node.operands = doc.criteria.map((x) => x.id).filter((x) => now.has(x));
          set([...path, "operands"], node.operands);
        } }), ` ${c.label || c.id}`);
    }));
  const groups = (node.groups || []).map((g, gi) => el("fieldset", { class: "group" }, el("legend", {}, `Groep ${gi + 1}`),
    logicField(doc, g, [...path, "groups", gi], set, rerender),
    el("button", { type: "button", class: "secondary", id: `${pathId}-groups-${gi}-remove`, onclick: () => {
      node.groups.splice(gi, 1);
      if (!node.groups.length) delete node.groups;
      rerender(`${pathId}-op`);
    } }, "Verwijder groep")));
  return el("div", { class: "logic-node" },
    field(`${pathId}-op`, "Voldoet", op), k, operands, ...groups,
    el("button", { type: "button", class: "secondary", id: `${pathId}-add-group`, onclick: () => {
      node.groups = [...(node.groups || []), { op: "all", operands: [] }];
      rerender(`${pathId}-groups-${node.groups.length - 1}-op`);
    } }, "Groep toevoegen (en/of binnen de logica)"),
    el("span", { class: "field-problem", id: `${pathId}-problem` }));
}

// --- model helpers ----------------------------------------------------------------------------------

function getPath(obj, path) {
  return path.reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function setPath(obj, path, value) {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (o[k] == null || typeof o[k] !== "object") o[k] = {};
    o = o[k];
  }
  const last = path[path.length - 1];
  if (value === undefined || value === "") delete o[last];
  else o[last] = value;
  if (path[0] === "population" && obj.population && !Object.keys(obj.population).length) delete obj.population;
}

function renameOperand(node, from, to) {
  if (!node) return;
  if (Array.isArray(node.operands)) {
    node.operands = node.operands.flatMap((o) => (o === from ? (to ? [to] : []) : [o]));
  }
  for (const g of node.groups || []) renameOperand(g, from, to);
}

function nextId(ids) {
  for (let n = ids.length + 1; ; n += 1) if (!ids.includes(`c${n}`)) return `c${n}`;
}

// --- checking, saving, publishing, preview -----------------------------------------------------------

async function runCheck(ed) {
  const seq = ++ed.checkSeq;
  let body;
  try {
    ({ data: body } = await registry.check(ed.doc));
  } catch (err) {
    setStatus(`Controle niet beschikbaar: ${err.message}`, true);
    if (seq === ed.checkSeq && !ed.timerPending) document.body.dataset.checkPending = "false";
    return;
  }
  if (seq !== ed.checkSeq) return;
  ed.lastCheck = body;
  const errors = body.problems.filter((p) => p.severity === "error");
  const summary = document.getElementById("check-summary");
  summary.textContent = errors.length ? `${errors.length} ${errors.length === 1 ? "fout" : "fouten"} — nog niet op te slaan.`
    : "Geen fouten: deze definitie voldoet aan alle regels.";
  summary.dataset.valid = String(!errors.length);
  document.querySelectorAll("#editor [aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
  document.querySelectorAll("#editor .field-problem").forEach((n) => { n.textContent = ""; });
  document.getElementById("check-problems").replaceChildren(...body.problems.map((p) => {
    // A missing key is reported at its parent; the field to fix is the key's own.
    const missing = p.rule === "schema-required" && /'([^']+)'/.exec(p.message || "");
    const where = missing ? [p.path, missing[1]].filter(Boolean).join("/") : p.path;
    const target = inputFor(where);
    if (target && p.severity === "error") {
      target.setAttribute("aria-invalid", "true");
      const slot = document.getElementById(`${target.id}-problem`);
      if (slot) slot.textContent = problemText(p);
    }
    const jump = target ? el("button", { type: "button", class: "link", onclick: () => target.focus() }, fieldName(where)) : fieldName(where);
    return el("li", { class: p.severity, dataset: { rule: p.rule, path: where } }, jump, ": ", problemText(p));
  }));
  const d = body.description;
  document.getElementById("check-sentences").replaceChildren(...(d ? [
    el("p", {}, d.population), el("p", {}, d.period),
    el("ul", {}, ...d.criteria.map((c) => el("li", {}, el("strong", {}, `${c.label}: `), c.text))),
    el("p", {}, d.logic), el("p", {}, d.result)] : []));
  document.getElementById("check-hash").textContent = body.content_hash || "—";
  document.body.dataset.checked = String(ed.checkSeq);
  // A change made while this check ran has its own check coming.
  document.body.dataset.checkPending = String(Boolean(ed.timerPending));
}

function inputFor(path) {
  // The most specific element whose data-path is the problem's path or one of its ancestors.
  const parts = String(path || "").split("/").filter(Boolean);
  for (let n = parts.length; n > 0; n -= 1) {
    const found = document.querySelector(`#editor [data-path="${CSS.escape(parts.slice(0, n).join("/"))}"]`);
    if (found) return found.matches("input, select, textarea") ? found : (found.querySelector("input, select, textarea") || found);
  }
  return null;
}

async function save(ed) {
  if (!session.me) {
    setStatus("Opslaan vraagt de sleutel van je proeftuin (boven).", true);
    return false;
  }
  try {
    const { data, etag } = ed.etag ? await registry.update(ed.doc, ed.etag) : await registry.create(ed.doc);
    ed.etag = etag;
    delete data.content_hash;
    ed.doc = data;
    ed.saved = JSON.stringify(ed.doc);
    history.replaceState(null, "", `#/bewerk/${encodeURIComponent(data.id)}/${encodeURIComponent(data.version)}`);
    document.getElementById("f-id").readOnly = true;
    document.getElementById("publish-draft").disabled = false;
    setStatus(`Opgeslagen als concept ${data.id} ${data.version} (ook als bestand in het register).`);
    document.body.dataset.saved = `${data.id}@${data.version}`;
    return true;
  } catch (err) {
    const first = (err.details || []).find((p) => p.message);
    setStatus(`Niet opgeslagen: ${first ? problemText(first) : err.message}`, true);
    if (err.status === 412) setStatus("Niet opgeslagen: iemand anders (of het bestand) veranderde dit concept; laad de pagina opnieuw.", true);
    return false;
  }
}

async function publish(ed) {
  if ((!ed.etag || dirty(ed)) && !(await save(ed))) return;
  if (!window.confirm(`Publiceer ${ed.doc.id} ${ed.doc.version}? Een gepubliceerde versie verandert nooit meer.`)) return;
  try {
    await registry.lifecycle(ed.doc.id, ed.doc.version, "publish", ed.etag);
    setStatus(`${ed.doc.id} ${ed.doc.version} is gepubliceerd.`);
    location.hash = `#/definitie/${encodeURIComponent(ed.doc.id)}/${encodeURIComponent(ed.doc.version)}`;
  } catch (err) {
    setStatus(`Niet gepubliceerd: ${err.message}`, true);
  }
}

async function runPreview(ed) {
  const out = document.getElementById("preview-table");
  if ((!ed.etag || dirty(ed)) && !(await save(ed))) return;
  const date = document.getElementById("preview-date").dataset.iso;
  if (!date) {
    out.replaceChildren(el("p", { class: "error" }, "Vul de peildatum in als dd-mm-jjjj."));
    return;
  }
  out.replaceChildren(el("p", { class: "hint" }, "Tellen…"));
  try {
    const body = await registry.preview(`${ed.doc.id}@${ed.doc.version}`, date);
    const estimate = (body.definitions[0] || {}).kind === "estimate";
    const rows = body.cells.map((c) => el("tr", { dataset: { region: c.region, status: c.status } },
      el("th", { scope: "row" }, c.region_name || c.region),
      el("td", {}, c.status === "published" ? (estimate ? `${formatNumber(c.estimate, 1)}%` : formatNumber(c.count)) : (COUNT_STATUS_NL[c.status] || c.status)),
      el("td", {}, c.status === "published" && !estimate ? formatNumber(c.rate_per_1000, 1) : "–"),
      el("td", {}, { full: "volledig", partial: "deels", none: "geen" }[c.coverage] || c.coverage || "–")));
    out.replaceChildren(el("table", { id: "preview-result" },
      el("caption", {}, `${ed.doc.title || ed.doc.id} op ${formatDate(date)}, per gemeente (synthetische gegevens)`),
      el("thead", {}, el("tr", {}, ...[estimate ? "Gemeente" : "Gemeente", estimate ? "Schatting" : "Aantal", "Per 1.000", "Brondekking"]
        .map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows)),
    el("p", { class: "hint" }, (body.disclosure && (body.disclosure.rule || body.disclosure.summary)) || "Na onthullingsbeheersing."));
    document.body.dataset.preview = String(rows.length);
  } catch (err) {
    out.replaceChildren(el("p", { class: "error" }, `Geen voorbeeld: ${err.message}`));
  }
}
