"""The registry pages (registry.html) in real headless Chromium, against the real API on the small
synthetic store: browse and filter definitions, read one, author a variant, preview, publish, find it on
the map, diff two versions and open the explanation of a change (#14 items 1, 2, 5 and 7).

These tests use a service of their own whose registry folder is a temporary copy of registry/: what the
page writes must arrive in the files as well (the service writes through), and the wijkscan tests keep
their own service with the seed definitions only."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.browser.conftest import REPO, Server, _free_port, save_screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.slow

LAB = "Proeftuin Tubbergen (test)"


@pytest.fixture(scope="module")
def registry_server(test_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, str]]:
    import uvicorn

    from zicht.api.app import create_app
    from zicht.api.settings import Settings
    from zicht.db.keys import create_key

    root = tmp_path_factory.mktemp("registry-pages")
    registry_dir = root / "registry"
    shutil.copytree(REPO / "registry", registry_dir)
    app = create_app(Settings(db_url=f"sqlite:///{root / 'registry.db'}", store=test_store, registry_dir=registry_dir))
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, name="registry-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    with app.state.sessions() as session:
        key = create_key(session, "fieldlab", LAB)[1]
        session.commit()
    try:
        yield Server(f"http://127.0.0.1:{port}", app), registry_dir, key
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()


class Pages:
    """One browser tab on the registry pages; records requests leaving the machine and page errors."""

    def __init__(self, browser: Browser, server: Server) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._guard)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        # Confirmation dialogs (publish, deprecate) are answered yes.
        self.page.on("dialog", lambda dialog: dialog.accept())

    def _guard(self, route: Route) -> None:
        url = route.request.url
        if url.startswith((self.server.base, "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, hash_: str = "#/") -> Page:
        self.page.goto(f"{self.server.base}/registry.html{hash_}")
        self.ready()
        return self.page

    def ready(self) -> None:
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)

    def go(self, hash_: str) -> None:
        self.page.evaluate("h => { document.body.dataset.ready = 'false'; location.hash = h; }", hash_)
        self.ready()

    def sign_in(self, key: str) -> None:
        self.page.fill("#api-key", key)
        self.page.click("#key-use")
        self.page.wait_for_function("() => document.body.dataset.role === 'fieldlab'")
        self.ready()


@pytest.fixture
def pages(browser: Browser, registry_server: tuple[Server, Path, str]) -> Iterator[Pages]:
    p = Pages(browser, registry_server[0])
    yield p
    p.context.close()


def api_list(server: Server, **params: str) -> list[str]:
    body = httpx.get(f"{server.api}/definitions", params={**params, "per_page": "200"}, timeout=60).json()
    return sorted(d["id"] for d in body["items"])


def listed(page: Page) -> list[str]:
    return sorted(page.eval_on_selector_all("#results tr[data-id]", "rows => rows.map(r => r.dataset.id)"))


def wait_listed(page: Page, expected: list[str]) -> None:
    page.wait_for_function(
        "ids => JSON.stringify([...document.querySelectorAll('#results tr[data-id]')].map(r => r.dataset.id).sort())"
        " === JSON.stringify(ids)", arg=expected, timeout=30_000)


# --- 1. browse ------------------------------------------------------------------------------------

def test_list_filters_by_domain_status_lab_and_text(pages: Pages, registry_server: tuple[Server, Path, str]) -> None:
    server = registry_server[0]
    page = pages.open()
    everything = api_list(server)
    assert len(everything) >= 6 and listed(page) == everything
    assert page.inner_text("#result-count") == f"{len(everything)} definities"

    # Text: the API's search, typed as a user types.
    page.focus("#f-q")
    page.keyboard.type("E33")
    wait_listed(page, api_list(server, q="E33"))
    assert "e33-12m" in listed(page) and len(listed(page)) < len(everything)
    assert "q=E33" in page.evaluate("() => location.hash")
    page.fill("#f-q", "")
    wait_listed(page, everything)

    # Domain, by its Dutch label.
    page.select_option("#f-domein", label="GGZ-zorggebruik")
    expected = api_list(server, domain="ggz")
    wait_listed(page, expected)
    assert 0 < len(expected) < len(everything)
    # And field lab on top of it: both filters hold.
    labs = page.eval_on_selector_all("#f-proeftuin option", "os => os.map(o => o.value).filter(Boolean)")
    assert "Proeftuin Twente (voorbeeld)" in labs
    page.select_option("#f-proeftuin", "Proeftuin Twente (voorbeeld)")
    both = api_list(server, domain="ggz", author="Proeftuin Twente (voorbeeld)")
    wait_listed(page, both)
    assert both and len(both) < len(expected)
    rows = page.eval_on_selector_all("#results tbody tr", "rows => rows.map(r => r.children[3].textContent)")
    assert set(rows) == {"Proeftuin Twente (voorbeeld)"}

    # Status: no deprecated definitions among the seeds.
    page.select_option("#f-proeftuin", "")
    page.select_option("#f-domein", "")
    page.select_option("#f-status", "deprecated")
    page.wait_for_function("() => document.getElementById('result-count').textContent === '0 definities'")
    assert "Geen definitie past" in page.inner_text("#results")

    # The choices are in the address: a reload shows the same list.
    page.select_option("#f-status", "published")
    page.select_option("#f-domein", label="GGZ-zorggebruik")
    wait_listed(page, api_list(server, domain="ggz", status="published"))
    page.reload()
    pages.ready()
    assert page.input_value("#f-domein") == "ggz" and page.input_value("#f-status") == "published"
    wait_listed(page, api_list(server, domain="ggz", status="published"))
    save_screenshot(page, "registry-list")
    assert pages.outside == [] and pages.errors == []


def test_list_works_by_keyboard(pages: Pages) -> None:
    page = pages.open()
    page.focus("#f-q")
    page.keyboard.type("monitor")
    page.wait_for_function("() => document.querySelectorAll('#results tr[data-id]').length === 1")
    # Tab from the search box reaches the first definition's link; Enter opens it.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('#results') !== null"):
            break
    assert page.evaluate("() => document.activeElement.tagName") == "A"
    page.keyboard.press("Enter")
    page.wait_for_selector("#definition-title")
    pages.ready()
    assert page.inner_text("#definition-title").startswith("Hoog risico op angst of depressie")


# --- 1. a definition's page -----------------------------------------------------------------------

class Api:
    """The field lab's calls, made directly (to set up what a page test reads)."""

    def __init__(self, server: Server, key: str) -> None:
        self.base = server.api
        self.headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}

    def call(self, method: str, path: str, *, etag: str | None = None, **kwargs: object) -> httpx.Response:
        headers = {**self.headers, **({"If-Match": etag} if etag else {})}
        resp = httpx.request(method, f"{self.base}/{path}", headers=headers, timeout=120, **kwargs)  # type: ignore[arg-type]
        assert resp.status_code < 400, f"{method} {path}: {resp.status_code} {resp.text}"
        return resp

    def get(self, path: str, **params: str) -> dict:
        return self.call("GET", path, params=params).json()

    def publish(self, definition_id: str, version: str) -> None:
        etag = self.call("GET", f"definitions/{definition_id}/versions/{version}").headers["ETag"]
        self.call("POST", f"definitions/{definition_id}/versions/{version}/publish", etag=etag)

    def two_versions(self, definition_id: str) -> dict:
        """A published 0.1.0 (a copy of e33-12m by this lab) and a published 0.2.0 with a 24-month window
        and at least two reports: returns the description of both."""
        base = self.get("definitions/e33-12m/versions/1.0.0")
        doc = {k: v for k, v in base.items() if k not in ("content_hash", "published", "created", "changelog")}
        doc.update(id=definition_id, version="0.1.0", status="draft", author=LAB, title="E33 in Tubbergen (testversies)")
        self.call("POST", "definitions", json=doc)
        self.publish(definition_id, "0.1.0")
        new = self.call("POST", f"definitions/{definition_id}/versions", json={"part": "minor"})
        second = new.json()
        second.pop("content_hash", None)
        second["reference_period"] = {"months": 24}
        second["criteria"][0].update(window_months=24, min_occurrences=2)
        self.call("PUT", f"definitions/{definition_id}/versions/{second['version']}", etag=new.headers["ETag"], json=second)
        self.publish(definition_id, second["version"])
        return {"versions": ["0.1.0", second["version"]]}


@pytest.fixture(scope="module")
def lab_api(registry_server: tuple[Server, Path, str]) -> Api:
    return Api(registry_server[0], registry_server[2])


def test_definition_page_reads_as_dutch_sentences_with_sources_and_citation(pages: Pages, registry_server: tuple[Server, Path, str]) -> None:
    server = registry_server[0]
    page = pages.open("#/definitie/e33-12m")
    description = server.get("definitions/e33-12m/versions/1.0.0/description")
    doc = server.get("definitions/e33-12m/versions/1.0.0")
    assert page.inner_text("#definition-title") == doc["title"]
    sentences = page.inner_text("#sentences")
    for part in (description["population"], description["period"], description["logic"]):
        assert part in sentences
    for crit in description["criteria"]:
        li = page.locator(f'#sentences li[data-criterion="{crit["id"]}"]')
        assert li.inner_text() == f'{crit["label"]}: {crit["text"]}'
    assert "12 maanden" in sentences and "E33" in sentences
    # Sources: the one it needs, present in this store.
    sources = page.inner_text("section[aria-labelledby=h-sources]")
    assert "politie-e33" in sources and "31-12-2024" in sources
    # Citation: stable URL (the API's, which serves exactly this version), version, content hash.
    url = page.get_attribute("#citation-url", "href")
    assert url == f"{server.api}/definitions/e33-12m/versions/1.0.0"
    assert httpx.get(url, timeout=30).json()["content_hash"] == doc["content_hash"]
    assert page.inner_text("#citation-hash") == doc["content_hash"]
    citation = page.input_value("#citation-text")
    assert "versie 1.0.0" in citation and doc["content_hash"] in citation and url in citation
    save_screenshot(page, "registry-definition")

    # A definition that needs a source this store lacks (no meldpunt in Tubbergen) says where.
    pages.go("#/definitie/bemoeizorg-meldpunt-12m")
    need = server.get("definitions/bemoeizorg-meldpunt-12m/versions/1.0.0/sources", date="2024-12-31")
    assert need["missing"], "the test store has no meldpunt source"
    missing = page.inner_text("#sources-missing")
    assert all(g["name"] in missing for g in need["missing"]) and "ontbreekt" in missing
    assert pages.errors == [] and pages.outside == []


def test_versions_diff_and_why_did_this_number_change(pages: Pages, lab_api: Api) -> None:
    made = lab_api.two_versions("e33-tubbergen-versies")
    first, second = made["versions"]
    page = pages.open("#/definitie/e33-tubbergen-versies")
    # The newest version is shown; the table has both, with their hashes.
    assert page.inner_text("#definition-status") == "gepubliceerd"
    rows = page.eval_on_selector_all("section[aria-labelledby=h-versions] tbody tr", "rs => rs.map(r => r.dataset.version)")
    assert rows == [second, first]
    assert page.input_value("#diff-from") == first and page.input_value("#diff-to") == second
    page.click("#diff-show")
    page.wait_for_selector("#diff[data-changes]")
    api = lab_api.get("definitions/e33-tubbergen-versies/diff", **{"from": first, "to": second})
    shown = page.eval_on_selector_all("#diff .diff-list li", "ls => ls.map(l => l.textContent)")
    assert shown == [c["text"] for c in api["changes"]] and len(shown) >= 2
    assert any("24" in t for t in shown)
    # Both versions side by side in words.
    sides = page.inner_text("#diff .side-by-side")
    assert f"Versie {first}" in sides and f"Versie {second}" in sides and "ten minste twee" in sides.lower()
    save_screenshot(page, "registry-diff")

    # Why did the number change? The explanation of the two versions, one factor at a time.
    page.click("#diff-explain")
    pages.ready()
    page.wait_for_selector("#explanation[data-explained]", timeout=120_000)
    body = lab_api.get("explain", a=f"e33-tubbergen-versies@{first}", b=f"e33-tubbergen-versies@{second}",
                       date_a="2024-12-31", date_b="2024-12-31", level="gemeente")
    factors = [s["factor"] for s in body["steps"]]
    shown_steps = page.eval_on_selector_all("#explanation .explain-steps li", "ls => ls.map(l => l.dataset.factor)")
    assert shown_steps == factors
    rows = page.eval_on_selector_all("#explanation tbody tr", "rs => rs.map(r => r.dataset.region)")
    assert rows == [r["region_code"] for r in body["rows"]] and rows
    save_screenshot(page, "registry-explain")
    assert pages.errors == [] and pages.outside == []
