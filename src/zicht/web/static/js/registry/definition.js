// One definition: what it says in plain Dutch, the sources it needs and where they are missing, its
// versions with a diff between any two, how to cite it, and what its field lab may do with it.

import { apiUrl, registry } from "../api.js";
import { el } from "../dom.js";
import { formatDate, STATUS_NL } from "../format.js";
import { concepts, conceptLabel, mayEdit, setStatus } from "./session.js";

const PAGE_DATE = "2024-12-31";

export async function renderDefinition(view, id, version, params) {
  await concepts();
  const versions = (await registry.versions(id)).items;
  if (!versions.length) throw new Error(`van ${id} is geen versie zichtbaar (concepten alleen met de sleutel van de proeftuin)`);
  const chosen = version || versions[0].version;
  const { data: doc, etag } = await registry.version(id, chosen);
  const [description, sources] = await Promise.all([
    registry.description(id, chosen),
    registry.definitionSources(id, chosen, params.get("datum") || PAGE_DATE).catch((err) => ({ error: err })),
  ]);

  view.replaceChildren(
    el("p", { class: "crumbs" }, el("a", { href: "#/" }, "Alle definities"), " › ", doc.title),
    el("h2", { id: "definition-title" }, doc.title),
    el("p", { class: "meta" },
      el("span", { class: `badge status-${doc.status}`, id: "definition-status" }, STATUS_NL[doc.status] || doc.status),
      " ", el("code", {}, doc.id), ` versie ${doc.version} · ${doc.author}`,
      doc.published ? ` · gepubliceerd ${formatDate(doc.published)}` : ` · aangemaakt ${formatDate(doc.created)}`,
      (doc.domains || []).length ? ` · domeinen: ${(doc.domains || []).map(conceptLabel).join(", ")}` : ""),
    actions(doc, etag, versions),
    el("section", { "aria-labelledby": "h-text" }, el("h3", { id: "h-text" }, "In gewone taal"),
      el("p", { class: "lead" }, doc.description),
      sentences(description)),
    el("section", { "aria-labelledby": "h-sources" }, el("h3", { id: "h-sources" }, "Benodigde bronnen"), sourcesBlock(sources, doc)),
    el("section", { "aria-labelledby": "h-versions" }, el("h3", { id: "h-versions" }, "Versies"), versionsBlock(doc, versions)),
    el("section", { "aria-labelledby": "h-cite" }, el("h3", { id: "h-cite" }, "Zo citeer je deze definitie"), citation(doc)),
  );
}

function sentences(d) {
  return el("div", { id: "sentences", class: "sentences" },
    el("p", {}, d.population), el("p", {}, d.period),
    el("ul", {}, ...d.criteria.map((c) => el("li", { dataset: { criterion: c.id } }, el("strong", {}, `${c.label}: `), c.text))),
    el("p", { id: "logic-sentence" }, d.logic), el("p", {}, d.result));
}

function sourcesBlock(s, doc) {
  if (s.error) return el("p", { class: "hint" }, `Brondekking niet beschikbaar: ${s.error.message}`);
  const labels = new Map((doc.criteria || []).map((c) => [c.id, c.label || c.id]));
  const crit = el("ul", {}, ...s.criteria.map((c) => el("li", { dataset: { criterion: c.id } },
    el("strong", {}, `${labels.get(c.id) || c.id}: `),
    c.sources.length
      ? c.sources.map((x) => `${x.title || x.id} (${x.id})${x.in_store ? "" : " — niet geleverd in deze gegevens"}`).join("; ")
      : "geen enkele bron levert deze begrippen",
    c.restricted ? "" : " (alle bronnen die deze begrippen leveren)")));
  const missing = s.missing.length
    ? el("p", { id: "sources-missing" }, `Op ${formatDate(s.reference_date)} ontbreekt een bron (geheel of deels) in: `,
      s.missing.map((g) => `${g.name} (${g.status_nl}${g.gaps.length ? `: ${g.gaps.join(", ")}` : ""})`).join("; "), ".")
    : el("p", { id: "sources-missing" }, `Op ${formatDate(s.reference_date)} zijn alle benodigde bronnen er in alle `
      + `${s.gemeenten.length} gemeente(n) van deze gegevens.`);
  return el("div", {}, crit, missing);
}

function versionsBlock(doc, versions) {
  const rows = versions.map((v) => el("tr", { dataset: { version: v.version } },
    el("th", { scope: "row" }, el("a", { href: `#/definitie/${encodeURIComponent(doc.id)}/${encodeURIComponent(v.version)}` }, v.version)),
    el("td", {}, STATUS_NL[v.status] || v.status),
    el("td", {}, v.published ? formatDate(v.published) : "—"),
    el("td", {}, el("code", { title: v.content_hash }, (v.content_hash || "").slice(0, 19) + "…"))));
  const block = el("div", {}, el("div", { class: "table-wrap" }, el("table", {},
    el("caption", { class: "visually-hidden" }, "Versies"),
    el("thead", {}, el("tr", {}, ...["Versie", "Status", "Gepubliceerd", "Inhoudshash"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows))));
  if (versions.length < 2) {
    block.append(el("p", { class: "hint" }, "Er is één versie; een verschil volgt bij de volgende."));
    return block;
  }
  const pick = (id, value) => el("select", { id }, ...versions.map((v) => el("option", { value: v.version }, v.version)));
  const from = pick("diff-from");
  const to = pick("diff-to");
  from.value = versions[1].version;
  to.value = versions[0].version;
  const out = el("div", { id: "diff", "aria-live": "polite" });
  const show = el("button", { type: "button", id: "diff-show" }, "Toon verschil");
  const why = el("a", { id: "diff-explain", class: "button" }, "Waarom veranderde dit getal?");
  const setWhy = () => {
    const p = new URLSearchParams({ a: `${doc.id}@${from.value}`, b: `${doc.id}@${to.value}`, date_a: PAGE_DATE,
      date_b: PAGE_DATE, level: "gemeente" });
    why.href = `#/uitleg?${p}`;
  };
  from.addEventListener("change", setWhy);
  to.addEventListener("change", setWhy);
  setWhy();
  show.addEventListener("click", async () => {
    try {
      renderDiff(out, await registry.diff(doc.id, from.value, to.value));
    } catch (err) {
      out.replaceChildren(el("p", { class: "error" }, `Verschil niet beschikbaar: ${err.message}`));
    }
  });
  block.append(el("div", { class: "diff-controls" },
    el("label", { for: "diff-from" }, "Van versie"), from, el("label", { for: "diff-to" }, "naar versie"), to, show, why), out);
  return block;
}

function renderDiff(out, d) {
  const list = d.changes.length
    ? el("ul", { class: "diff-list" }, ...d.changes.map((c) => el("li", { dataset: { kind: c.kind, path: c.path } }, c.text)))
    : el("p", {}, "Dezelfde inhoud; alleen de levensloop verschilt.");
  const life = d.lifecycle.length ? el("p", { class: "hint" }, "Levensloop: ", d.lifecycle.map((c) => c.text).join(" ")) : null;
  const side = (title, s) => el("div", { class: "side" }, el("h4", {}, title),
    el("p", {}, s.population), el("p", {}, s.period),
    el("ul", {}, ...s.criteria.map((c) => el("li", {}, el("strong", {}, `${c.label}: `), c.text))), el("p", {}, s.logic));
  out.replaceChildren(...[
    el("p", {}, d.content_changed ? `De inhoud veranderde (${d.from} → ${d.to}).` : "De inhoud is gelijk."),
    list, life,
    el("div", { class: "side-by-side" }, side(`Versie ${d.from}`, d.description.from), side(`Versie ${d.to}`, d.description.to)),
  ].filter(Boolean));
  out.dataset.changes = String(d.changes.length);
}

function citation(doc) {
  const api = apiUrl(`definitions/${encodeURIComponent(doc.id)}/versions/${encodeURIComponent(doc.version)}`).href;
  const page = `${location.origin}${location.pathname}#/definitie/${encodeURIComponent(doc.id)}/${encodeURIComponent(doc.version)}`;
  const year = (doc.published || doc.created || "").slice(0, 4) || "z.j.";
  const text = `${doc.author} (${year}). ${doc.title} (definitie ${doc.id}, versie ${doc.version}). `
    + `zicht-definitieregister. ${api}. Inhoudshash ${doc.content_hash}.`;
  const box = el("textarea", { id: "citation-text", readonly: true, rows: "3", "aria-label": "Citeertekst" }, text);
  const copy = el("button", { type: "button", id: "citation-copy" }, "Kopieer");
  copy.addEventListener("click", async () => {
    box.select();
    try {
      await navigator.clipboard.writeText(text);
      setStatus("Citeertekst gekopieerd.");
    } catch (_) {
      setStatus("Kopiëren niet toegestaan door de browser; de tekst is geselecteerd (Ctrl+C).");
    }
  });
  const draft = doc.status === "draft"
    ? el("p", { class: "warning" }, "Dit is een concept: de inhoud kan nog veranderen; citeer een gepubliceerde versie.") : null;
  return el("div", {}, draft,
    el("dl", { class: "cite" },
      el("dt", {}, "Vaste URL"), el("dd", {}, el("a", { href: api, id: "citation-url" }, api)),
      el("dt", {}, "Pagina"), el("dd", {}, el("a", { href: page }, page)),
      el("dt", {}, "Versie"), el("dd", {}, doc.version),
      el("dt", {}, "Inhoudshash"), el("dd", {}, el("code", { id: "citation-hash" }, doc.content_hash)),
      el("dt", {}, "Ook als"), el("dd", {}, "dezelfde URL met Accept: text/turtle (Turtle) of application/ld+json (JSON-LD)")),
    box, copy);
}

function actions(doc, etag, versions) {
  const bar = el("div", { class: "actions", role: "group", "aria-label": "Acties" });
  const go = (hash) => { location.hash = hash; };
  const lifecycle = async (action, question) => {
    if (question && !window.confirm(question)) return;
    try {
      await registry.lifecycle(doc.id, doc.version, action, etag);
      setStatus(`${doc.id} ${doc.version}: ${{ publish: "gepubliceerd", deprecate: "verouderd verklaard", withdraw: "ingetrokken" }[action]}.`);
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      setStatus(`Niet gelukt: ${err.message}`, true);
    }
  };
  bar.append(el("a", { class: "button", id: "make-variant", href: `#/nieuw?van=${encodeURIComponent(`${doc.id}@${doc.version}`)}` },
    "Variant maken"));
  if (doc.status === "published" || doc.status === "deprecated") {
    bar.append(el("a", { class: "button", id: "on-map", href: `index.html#a=${encodeURIComponent(`def:${doc.id}`)}` }, "Op de kaart"));
  }
  if (mayEdit(doc.author)) {
    const newest = versions[0].version === doc.version;
    if (doc.status === "draft") {
      bar.append(el("a", { class: "button", id: "edit", href: `#/bewerk/${encodeURIComponent(doc.id)}/${encodeURIComponent(doc.version)}` }, "Bewerken"));
      bar.append(el("button", { type: "button", id: "publish", onclick: () => lifecycle("publish",
        `Publiceer ${doc.id} ${doc.version}? Een gepubliceerde versie verandert nooit meer.`) }, "Publiceren"));
    }
    if (doc.status === "published" && newest) {
      bar.append(el("button", { type: "button", id: "new-version", onclick: async () => {
        try {
          const { data } = await registry.newVersion(doc.id, "minor");
          go(`#/bewerk/${encodeURIComponent(data.id)}/${encodeURIComponent(data.version)}`);
        } catch (err) {
          setStatus(`Niet gelukt: ${err.message}`, true);
        }
      } }, "Nieuwe versie"));
      bar.append(el("button", { type: "button", id: "deprecate", onclick: () => lifecycle("deprecate",
        `${doc.id} ${doc.version} verouderd verklaren? Hij blijft citeerbaar.`) }, "Depreciëren"));
    }
    if (doc.status !== "withdrawn") {
      bar.append(el("button", { type: "button", id: "withdraw", class: "secondary", onclick: () => lifecycle("withdraw",
        `${doc.id} ${doc.version} intrekken? Dat is definitief.`) }, "Intrekken"));
    }
  }
  return bar;
}
