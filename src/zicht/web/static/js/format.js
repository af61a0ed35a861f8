// Dutch formats for what the pages show: dates as dd-mm-jjjj, numbers as 1.234 and 12,5.

const nl0 = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 0 });
const nl1 = new Intl.NumberFormat("nl-NL", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

// "2024-12-31" (or a timestamp starting with it) → "31-12-2024"; anything else unchanged.
export function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
  return m ? `${m[3]}-${m[2]}-${m[1]}` : String(iso || "");
}

export function formatNumber(v, decimals = 0) {
  if (!Number.isFinite(v)) return "–";
  return decimals ? nl1.format(v) : nl0.format(v);
}

// A change with its sign (+12, −3, 0); the minus is U+2212 as in print.
export function formatSigned(v, decimals = 0) {
  if (!Number.isFinite(v)) return "–";
  const text = formatNumber(Math.abs(v), decimals);
  return v > 0 ? `+${text}` : v < 0 ? `−${text}` : text;
}

export const STATUS_NL = {
  draft: "concept",
  published: "gepubliceerd",
  deprecated: "verouderd",
  withdrawn: "ingetrokken",
};

export const COUNT_STATUS_NL = {
  published: "gepubliceerd",
  suppressed: "onderdrukt (kleine aantallen)",
  not_covered: "geen brondekking",
  no_source: "geen brondekking",
  too_few_respondents: "te weinig respondenten",
  absent: "niet in deze run",
};

// "31-12-2024" (also 31/12/2024, 31.12.2024, or ISO 2024-12-31) → "2024-12-31"; null when it is no real date.
export function parseDate(text) {
  const t = String(text || "").trim();
  let m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(t);
  let y;
  let mo;
  let d;
  if (m) [, d, mo, y] = m;
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) [, y, mo, d] = m;
  else return null;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

// A date field that always reads dd-mm-jjjj, whatever the browser's own date format: a text input
// whose `dataset.iso` holds the ISO date (empty while the text is not a valid date).
export function makeDateField(input, iso, onDate) {
  input.type = "text";
  input.inputMode = "numeric";
  input.placeholder = "dd-mm-jjjj";
  input.autocomplete = "off";
  input.setAttribute("pattern", "\\d{1,2}-\\d{1,2}-\\d{4}");
  input.value = formatDate(iso);
  input.dataset.iso = iso || "";
  const update = () => {
    const parsed = parseDate(input.value);
    input.dataset.iso = parsed || "";
    input.setAttribute("aria-invalid", parsed ? "false" : "true");
    if (parsed && onDate) onDate(parsed);
  };
  input.addEventListener("change", update);
  input.addEventListener("keydown", (ev) => { if (ev.key === "Enter") update(); });
  return input;
}
