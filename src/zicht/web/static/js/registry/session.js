// What the registry pages share: who is signed in (from GET /api/v1/registry/me), the framework concepts
// and sources (loaded once), and the status line.

import { registry } from "../api.js";
import { $ } from "../dom.js";

export const session = { me: null, concepts: null, sources: null, domains: null };

export function setStatus(text, isError = false) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", isError);
}

export async function concepts() {
  if (!session.concepts) {
    const body = await registry.concepts();
    session.concepts = body.items;
    session.domains = body.items.filter((c) => !c.broader);
  }
  return session.concepts;
}

export async function sources() {
  if (!session.sources) session.sources = (await registry.sources()).items;
  return session.sources;
}

export function conceptLabel(keyOrCurie) {
  const key = String(keyOrCurie).replace(/^zc:/, "");
  const c = (session.concepts || []).find((x) => x.key === key);
  return c ? c.label_nl : key;
}

// Can the signed-in key change this definition (its own lab's, or an admin)?
export function mayEdit(author) {
  const me = session.me;
  if (!me) return false;
  if (me.role === "admin") return true;
  return me.role === "fieldlab" && (me.lab || "").trim().toLowerCase() === String(author || "").trim().toLowerCase();
}
