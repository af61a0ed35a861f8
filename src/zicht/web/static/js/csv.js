// CSV downloads of the figures the page shows, built from the same JSON the page draws from, in the two
// dialects of every zicht CSV (docs/api.md "CSV"; zicht/csvfile.py writes the same for the CLI and API):
// "excel" (default here: ";" between fields, decimal comma, CRLF, UTF-8 with BOM — Excel with Dutch
// settings opens it by double-click) or "standard" (RFC 4180: ",", decimal point — pandas and R read it
// with their defaults). The choice is #csv-dialect, kept in the browser. No comment lines; empty for
// "no number" (suppressed cells stay empty; their status column says why).

const STORE_KEY = "zicht.csvDialect";
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

export function csvDialect() {
  let stored = null;
  try { stored = localStorage.getItem(STORE_KEY); } catch { /* storage may be off */ }
  return stored === "standard" ? "standard" : "excel";
}

export function installDialectChoice(select) {
  if (!select) return;
  select.value = csvDialect();
  select.addEventListener("change", () => {
    try { localStorage.setItem(STORE_KEY, select.value); } catch { /* storage may be off */ }
  });
}

function field(v, dialect) {
  if (v === null || v === undefined) return "";
  const sep = dialect === "excel" ? ";" : ",";
  let s;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "";
    s = dialect === "excel" ? String(v).replace(".", ",") : String(v);
  } else {
    s = String(v);
    // a text a spreadsheet would run as a formula gets a leading apostrophe (OWASP), numbers stay numbers
    if (FORMULA_START.test(s) && !NUMBER.test(s)) s = "'" + s;
  }
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns, rows, dialect = csvDialect()) {
  const sep = dialect === "excel" ? ";" : ",";
  const lines = [columns.map((c) => field(c, dialect)).join(sep)];
  for (const row of rows) lines.push(columns.map((c) => field(row[c], dialect)).join(sep));
  return (dialect === "excel" ? "\ufeff" : "") + lines.join("\r\n") + "\r\n";
}

export function download(filename, columns, rows) {
  const blob = new Blob([toCsv(columns, rows)], { type: "text/csv;charset=utf-8" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

export function slug(s) {
  return String(s).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
