// The page's only door to data: the public zicht API (docs/api.md). Nothing is computed here that the
// API does not publish; failures become Error objects with the API's own message.

const BASE = new URL("../api/v1/", document.baseURI);

export function apiUrl(path, params = {}) {
  const url = new URL(path, BASE);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  return url;
}

export class ApiError extends Error {
  constructor(status, code, message, url) {
    super(message);
    this.status = status;
    this.code = code;
    this.url = url;
  }
}

// The field lab's API key, kept for this browser tab only (sessionStorage), sent only on the calls that
// need it (the registry pages); the wijkscan's public reads stay anonymous.
const KEY_NAME = "zicht-api-key";

export function apiKey() {
  try {
    return sessionStorage.getItem(KEY_NAME) || "";
  } catch (_) {
    return "";
  }
}

export function setApiKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_NAME, key);
    else sessionStorage.removeItem(KEY_NAME);
  } catch (_) {
    // Storage blocked: the key lives as long as the page.
  }
}

function authHeaders(auth) {
  const key = auth ? apiKey() : "";
  return key ? { Authorization: `Bearer ${key}` } : {};
}

async function failure(resp, url) {
  let code = "http_error";
  let message = `${resp.status} ${resp.statusText}`;
  let details = null;
  try {
    const body = await resp.json();
    if (body && body.error) {
      code = body.error.code;
      message = body.error.message;
      details = body.error.details;
    }
  } catch (_) {
    // Not a JSON error body: keep the status line.
  }
  const err = new ApiError(resp.status, code, message, url);
  err.details = details;
  return err;
}

// A call with the key (when set): JSON in, JSON out, the ETag kept for If-Match.
export async function send(method, path, { params = {}, body, etag, auth = true } = {}) {
  const url = apiUrl(path, params);
  const headers = { Accept: "application/json", ...authHeaders(auth) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (etag) headers["If-Match"] = etag;
  const resp = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!resp.ok) throw await failure(resp, url);
  const data = resp.status === 204 ? null : await resp.json();
  return { data, etag: resp.headers.get("ETag") };
}

async function getJson(path, params = {}, accept = "application/json", auth = false) {
  const url = apiUrl(path, params);
  const resp = await fetch(url, { headers: { Accept: accept, ...authHeaders(auth) } });
  if (!resp.ok) throw await failure(resp, url);
  return resp.json();
}

// All pages of a paginated collection (per_page at its maximum, so usually one request).
async function getAllPages(path, params = {}) {
  const items = [];
  for (let page = 1; ; page += 1) {
    const body = await getJson(path, { ...params, page, per_page: 200 });
    items.push(...body.items);
    if (!body.links || !body.links.next || body.items.length === 0) return items;
  }
}

export function regionShapes(level, within) {
  return getJson("regions", { level, within }, "application/geo+json");
}

export function regionList(level, within) {
  return getJson("regions", { level, within });
}

export function publishedDefinitions() {
  return getAllPages("definitions", { status: "published" });
}

export function indicators(level, within) {
  return getJson("indicators", { level, within });
}

export function counts(definitionIds, date, level, within) {
  return getJson("counts", { definitions: definitionIds.join(","), date, level, within });
}

export function countsUrl(definitionIds, date, level, within) {
  return apiUrl("counts", { definitions: definitionIds.join(","), date, level, within });
}

export function notes(region) {
  return getAllPages("notes", { region });
}

// --- the registry pages ----------------------------------------------------------------------------

export const registry = {
  me: () => getJson("registry/me", {}, "application/json", true),
  status: () => getJson("registry", {}, "application/json", true),
  sources: () => getJson("registry/sources"),
  concepts: () => getJson("concepts"),
  list: (filters) => getJson("definitions", { ...filters, per_page: 200 }, "application/json", true),
  versions: (id) => getJson(`definitions/${encodeURIComponent(id)}/versions`, {}, "application/json", true),
  current: (id) => send("GET", `definitions/${encodeURIComponent(id)}`),
  version: (id, v) => send("GET", `definitions/${encodeURIComponent(id)}/versions/${encodeURIComponent(v)}`),
  description: (id, v) => getJson(`definitions/${encodeURIComponent(id)}/versions/${encodeURIComponent(v)}/description`,
    {}, "application/json", true),
  definitionSources: (id, v, date) => getJson(
    `definitions/${encodeURIComponent(id)}/versions/${encodeURIComponent(v)}/sources`, { date }, "application/json", true),
  diff: (id, from, to) => getJson(`definitions/${encodeURIComponent(id)}/diff`, { from, to }, "application/json", true),
  check: (doc) => send("POST", "registry/check", { body: doc }),
  create: (doc) => send("POST", "definitions", { body: doc }),
  update: (doc, etag) => send("PUT", `definitions/${encodeURIComponent(doc.id)}/versions/${encodeURIComponent(doc.version)}`,
    { body: doc, etag }),
  newVersion: (id, part) => send("POST", `definitions/${encodeURIComponent(id)}/versions`, { body: { part } }),
  lifecycle: (id, v, action, etag) => send("POST",
    `definitions/${encodeURIComponent(id)}/versions/${encodeURIComponent(v)}/${action}`, { etag }),
  preview: (ref, date) => getJson("counts", { definitions: ref, date, level: "gemeente" }, "application/json", true),
  explain: (params) => getJson("explain", params, "application/json", true),
};
