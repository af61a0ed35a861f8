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

async function getJson(path, params = {}, accept = "application/json") {
  const url = apiUrl(path, params);
  const resp = await fetch(url, { headers: { Accept: accept } });
  if (!resp.ok) {
    let code = "http_error";
    let message = `${resp.status} ${resp.statusText}`;
    try {
      const body = await resp.json();
      if (body && body.error) {
        code = body.error.code;
        message = body.error.message;
      }
    } catch (_) {
      // Not a JSON error body: keep the status line.
    }
    throw new ApiError(resp.status, code, message, url);
  }
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
