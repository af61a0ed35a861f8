// Dutch wording of the findings of POST /api/v1/registry/check (its rules and paths are those of
// `zicht registry check`); a rule without a Dutch text shows the API's own message.

const FIELDS = {
  id: "id", title: "titel", description: "beschrijving", author: "proeftuin", version: "versie", domains: "domeinen",
  population: "populatie", reference_period: "peilperiode", months: "maanden", criteria: "criteria", logic: "logica",
  label: "naam", concepts: "begrippen", include_narrower: "nauwere begrippen", sources: "bronnen",
  window_months: "venster", min_occurrences: "minimaal aantal", min_span_days: "spreiding", value_min: "waarde ten minste",
  value_max: "waarde hoogstens", age_min: "leeftijd vanaf", age_max: "leeftijd tot en met", operands: "criteria",
  groups: "groepen", op: "voldoet", k: "k", status: "status",
};

export function fieldName(path) {
  const parts = String(path || "").split("/").filter(Boolean);
  if (!parts.length) return "definitie";
  const out = [];
  for (let i = 0; i < parts.length; i += 1) {
    const p = parts[i];
    if (/^\d+$/.test(p)) {
      const prev = parts[i - 1];
      out.push(prev === "criteria" ? `criterium ${Number(p) + 1}` : prev === "groups" ? `groep ${Number(p) + 1}` : `nr. ${Number(p) + 1}`);
      if (prev === "criteria" || prev === "groups") out.splice(out.length - 2, 1);
    } else out.push(FIELDS[p] || p);
  }
  return out.join(" › ");
}

function quoted(message) {
  const m = /'([^']*)'/.exec(message || "");
  return m ? m[1] : "";
}

const TEXT = {
  "schema-key": (p) => `onbekend veld ‘${quoted(p.message)}’`,
  "schema-required": (p) => `verplicht veld ‘${FIELDS[quoted(p.message)] || quoted(p.message)}’ ontbreekt`,
  "concept-exists": (p) => `onbekend begrip ‘${quoted(p.message)}’`,
  "source-exists": (p) => `onbekende bron ‘${quoted(p.message)}’`,
  "schema-type": () => "verkeerd soort waarde (bijvoorbeeld tekst waar een getal hoort)",
  "schema-pattern": () => "verkeerde vorm (id: kleine letters, cijfers en streepjes; versie: 1.0.0)",
  "schema-minimum": () => "te klein",
  "schema-maximum": () => "te groot",
  "schema-minItems": () => "kies er ten minste één",
  "shape-min-count": () => "kies er ten minste één",
  "operand-exists": (p) => `‘${quoted(p.message)}’ is geen criterium van deze definitie`,
  "criterion-used": (p) => `criterium ‘${quoted(p.message)}’ wordt in de logica niet gebruikt`,
  "logic-has-operands": () => "kies ten minste één criterium of groep",
  "not-single-operand": () => "‘níet aan’ neemt precies één criterium of groep",
  "at-least-needs-k": () => "‘ten minste k’ vraagt een k",
  "k-in-range": () => "k is groter dan het aantal gekozen criteria en groepen",
  "k-only-for-at-least": () => "k hoort alleen bij ‘ten minste k’",
  "age-range-ordered": () => "de leeftijd vanaf is hoger dan de leeftijd tot en met",
  "value-range-ordered": () => "de ondergrens van de waarde ligt boven de bovengrens",
  "window-within-period": () => "het venster is langer dan de peilperiode",
  "domain-declared": (p) => `het begrip ‘${quoted(p.message)}’ hoort bij een domein dat niet is aangevinkt`,
  "no-survey-registration-mix": () => "enquête (schattingen) en registraties (tellingen) gaan niet samen in één definitie",
  "unique-criterion-id": () => "dit id gebruikt een ander criterium al",
  "id-taken": () => "dit id is al in gebruik; kies een eigen id voor je variant",
  "id-version-exists": () => "deze versie bestaat al; maak een nieuwe versie of kies een eigen id",
  "new-version": () => "dit id bestaat al: dit wordt een nieuwe versie (start die vanaf de pagina van de definitie)",
};

export function problemText(p) {
  const make = TEXT[p.rule];
  let text = make ? make(p) : String(p.message || "").replace(/; did you mean .*\?$/, "");
  if (p.suggestion) text += `; bedoel je ‘${p.suggestion}’?`;
  return text;
}
