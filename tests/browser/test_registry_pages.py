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
