// The registry pages: a small hash router over the list, a definition, the editor and an explanation.
//   #/                          list with filters (domain, status, field lab, text)
//   #/definitie/ID[/VERSION]    one definition (latest readable version, or that version)
//   #/nieuw[?van=ID@VERSION]    a new definition, from scratch or as a variant of another
//   #/bewerk/ID/VERSION         edit one's own draft
//   #/uitleg?...                why did a number change (same parameters as GET /api/v1/explain)

import { registry, setApiKey, apiKey } from "../api.js";
import { $ } from "../dom.js";
import { renderList } from "./list.js";
import { renderDefinition } from "./definition.js";
import { renderEditor } from "./editor.js";
import { renderExplainPage } from "./explainpage.js";
import { session, setStatus } from "./session.js";

async function loadMe() {
  session.me = null;
  if (!apiKey()) {
    $("key-status").textContent = "Geen sleutel: je leest wat gepubliceerd is. Schrijven vraagt de sleutel van je proeftuin.";
    document.body.dataset.role = "anonymous";
    return;
  }
  try {
    session.me = await registry.me();
    const who = session.me.lab ? `${session.me.lab} (${session.me.role})` : session.me.role;
    $("key-status").textContent = `Sleutel van ${who}; ${session.me.drafts_counted} van ${session.me.draft_quota} `
      + `conceptversies voor een voorbeeldtelling gebruikt (${session.me.quota_days} dagen).`;
    document.body.dataset.role = session.me.role;
  } catch (err) {
    $("key-status").textContent = `Deze sleutel werkt niet: ${err.message}`;
    document.body.dataset.role = "anonymous";
    setApiKey("");
  }
}

function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query || "") };
}

let seq = 0;

async function route() {
  const mine = ++seq;
  const { parts, params } = parseHash();
  const view = $("view");
  document.body.dataset.view = parts[0] || "lijst";
  document.body.dataset.ready = "false";
  setStatus("");
  try {
    if (parts[0] === "definitie" && parts[1]) await renderDefinition(view, parts[1], parts[2] || null, params);
    else if (parts[0] === "nieuw") await renderEditor(view, { from: params.get("van") });
    else if (parts[0] === "bewerk" && parts[1] && parts[2]) await renderEditor(view, { edit: [parts[1], parts[2]] });
    else if (parts[0] === "uitleg") await renderExplainPage(view, params);
    else await renderList(view, params);
  } catch (err) {
    if (mine !== seq) return;
    view.replaceChildren();
    setStatus(`Dit kon niet worden geladen: ${err.message}`, true);
  }
  if (mine === seq) {
    document.body.dataset.ready = "true";
    if (document.activeElement === document.body) view.focus({ preventScroll: true });
  }
}

$("key-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  setApiKey($("api-key").value.trim());
  $("api-key").value = "";
  await loadMe();
  route();
});
$("key-forget").addEventListener("click", async () => {
  setApiKey("");
  await loadMe();
  route();
});
window.addEventListener("hashchange", route);

loadMe().then(route);
