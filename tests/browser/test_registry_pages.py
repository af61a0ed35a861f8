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
def registry_server(
    test_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Path, str]]:
    import uvicorn

    from zicht.api.app import create_app
    from zicht.api.settings import Settings
    from zicht.db.keys import create_key

    root = tmp_path_factory.mktemp("registry-pages")
    registry_dir = root / "registry"
    shutil.copytree(REPO / "registry", registry_dir)
    app = create_app(
        Settings(db_url=f"sqlite:///{root / 'registry.db'}", store=test_store, registry_dir=registry_dir)
    )
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
        self.checks: list[dict] = []  # the documents the page sent to POST /registry/check
        self.page.on("request", self._record)
        self.writes: list[str] = []  # status and address of every write, for failure messages
        self.page.on(
            "response",
            lambda r: (
                self.writes.append(f"{r.status} {r.request.method} {r.url}")
                if r.request.method != "GET"
                else None
            ),
        )
        # Confirmation dialogs (publish, deprecate) are answered yes.
        self.page.on("dialog", lambda dialog: dialog.accept())

    def _guard(self, route: Route) -> None:
        url = route.request.url
        if url.startswith((self.server.base, "data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _record(self, request: object) -> None:
        if request.method == "POST" and request.url.endswith("/registry/check"):  # type: ignore[attr-defined]
            self.checks.append(request.post_data_json)  # type: ignore[attr-defined]

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


def shot(page: Page, name: str) -> None:
    """A full-page screenshot, then a click on the empty top-left corner: after Chromium's full-page capture
    the next mouse press lands on a stale layout (press on one element, release on another) until an
    input event has laid the page out again."""
    save_screenshot(page, name)
    page.mouse.click(2, 2)


def api_list(server: Server, **params: str) -> list[str]:
    body = httpx.get(f"{server.api}/definitions", params={**params, "per_page": "200"}, timeout=60).json()
    return sorted(d["id"] for d in body["items"])


def listed(page: Page) -> list[str]:
    return sorted(page.eval_on_selector_all("#results tr[data-id]", "rows => rows.map(r => r.dataset.id)"))


def wait_listed(page: Page, expected: list[str]) -> None:
    page.wait_for_function(
        "ids => JSON.stringify([...document.querySelectorAll('#results tr[data-id]')].map(r => r.dataset.id).sort())"
        " === JSON.stringify(ids)",
        arg=expected,
        timeout=30_000,
    )


# --- 1. browse ------------------------------------------------------------------------------------


def test_list_filters_by_domain_status_lab_and_text(
    pages: Pages, registry_server: tuple[Server, Path, str]
) -> None:
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
    shot(page, "registry-list")
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
        doc = {
            k: v for k, v in base.items() if k not in ("content_hash", "published", "created", "changelog")
        }
        doc.update(
            id=definition_id,
            version="0.1.0",
            status="draft",
            author=LAB,
            title="E33 in Tubbergen (testversies)",
        )
        self.call("POST", "definitions", json=doc)
        self.publish(definition_id, "0.1.0")
        new = self.call("POST", f"definitions/{definition_id}/versions", json={"part": "minor"})
        second = new.json()
        second.pop("content_hash", None)
        second["reference_period"] = {"months": 24}
        second["criteria"][0].update(window_months=24, min_occurrences=2)
        self.call(
            "PUT",
            f"definitions/{definition_id}/versions/{second['version']}",
            etag=new.headers["ETag"],
            json=second,
        )
        self.publish(definition_id, second["version"])
        return {"versions": ["0.1.0", second["version"]]}


@pytest.fixture(scope="module")
def lab_api(registry_server: tuple[Server, Path, str]) -> Api:
    return Api(registry_server[0], registry_server[2])


def test_definition_page_reads_as_dutch_sentences_with_sources_and_citation(
    pages: Pages, registry_server: tuple[Server, Path, str]
) -> None:
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
        assert li.inner_text() == f"{crit['label']}: {crit['text']}"
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
    shot(page, "registry-definition")

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
    rows = page.eval_on_selector_all(
        "section[aria-labelledby=h-versions] tbody tr", "rs => rs.map(r => r.dataset.version)"
    )
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
    shot(page, "registry-diff")

    # Why did the number change? The explanation of the two versions, one factor at a time.
    page.click("#diff-explain")
    pages.ready()
    page.wait_for_selector("#explanation[data-explained]", timeout=120_000)
    body = lab_api.get(
        "explain",
        a=f"e33-tubbergen-versies@{first}",
        b=f"e33-tubbergen-versies@{second}",
        date_a="2024-12-31",
        date_b="2024-12-31",
        level="gemeente",
    )
    factors = [s["factor"] for s in body["steps"]]
    shown_steps = page.eval_on_selector_all(
        "#explanation .explain-steps li", "ls => ls.map(l => l.dataset.factor)"
    )
    assert shown_steps == factors
    rows = page.eval_on_selector_all("#explanation tbody tr", "rs => rs.map(r => r.dataset.region)")
    assert rows == [r["region_code"] for r in body["rows"]] and rows
    shot(page, "registry-explain")
    assert pages.errors == [] and pages.outside == []


# --- 2. author a variant, preview, publish, find it on the map; 7. the whole path -------------------


def checked(page: Page, seq_before: int) -> dict:
    """Wait for a check newer than seq_before; return what the check panel says."""
    page.wait_for_function(
        "n => Number(document.body.dataset.checked || 0) > n && document.body.dataset.checkPending === 'false'",
        arg=seq_before,
        timeout=30_000,
    )
    return page.evaluate("""() => ({
        seq: Number(document.body.dataset.checked),
        valid: document.getElementById('check-summary').dataset.valid === 'true',
        rules: [...document.querySelectorAll('#check-problems li')].map(l => l.dataset.rule),
        texts: [...document.querySelectorAll('#check-problems li')].map(l => l.textContent),
        hash: document.getElementById('check-hash').textContent,
    })""")


def seq(page: Page) -> int:
    return int(page.evaluate("() => Number(document.body.dataset.checked || 0)"))


def test_field_lab_writes_previews_publishes_and_finds_a_variant(
    pages: Pages, registry_server: tuple[Server, Path, str], lab_api: Api
) -> None:
    server, registry_dir, key = registry_server
    page = pages.open("#/definitie/e33-12m")
    pages.sign_in(key)
    assert "Proeftuin Tubbergen (test)" in page.inner_text("#key-status")
    page.click("#make-variant")
    pages.ready()
    first = checked(page, 0)
    assert first["valid"], first  # a copy of a published definition passes every rule
    assert page.input_value("#f-author") == LAB

    # Id and title of its own; an empty id is caught by the same rules as `zicht registry check`.
    s = seq(page)
    page.fill("#f-id", "")
    bad = checked(page, s)
    assert not bad["valid"] and page.get_attribute("#f-id", "aria-invalid") == "true"
    s = seq(page)
    page.fill("#f-id", "e33-of-schulden-tubbergen")
    page.fill("#f-title", "E33-melding of schuldhulp in Tubbergen")
    assert checked(page, s)["valid"]

    # A second criterion, its concept picked from the framework by search and keyboard.
    page.click("#add-criterion")
    page.fill("#c1-label", "Schuldhulpverlening")
    page.focus("#c1-concept-search")
    page.keyboard.type("schuldhulp")
    page.wait_for_selector("#c1-concepts-list li[data-key=context_debt_counselling]")
    while page.get_attribute("#c1-concept-search", "aria-activedescendant") != page.eval_on_selector(
        "#c1-concepts-list li[data-key=context_debt_counselling]", "li => li.id"
    ):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector('ul.chips[data-path="criteria/1/concepts"] li[data-key=context_debt_counselling]')
    assert page.is_checked("#f-domain-context"), "picking a concept ticks its domain"
    assert page.is_checked("#logic-operand-c2") and page.is_checked("#logic-operand-e33")

    # Thresholds and ages: a contradiction is shown in Dutch at the fields, with the API's rule.
    s = seq(page)
    page.fill("#f-age-min", "70")
    page.fill("#f-age-max", "18")
    wrong = checked(page, s)
    api = lab_api.call("POST", "registry/check", json=pages.checks[-1]).json()
    assert "age-range-ordered" in wrong["rules"] and wrong["rules"] == [p["rule"] for p in api["problems"]]
    assert any("leeftijd vanaf is hoger" in t for t in wrong["texts"])
    s = seq(page)
    page.fill("#f-age-min", "18")
    page.fill("#f-age-max", "")
    page.fill("#c0-min", "1")
    page.fill("#c1-window", "6")
    ok = checked(page, s)
    assert ok["valid"], ok
    sentences = page.inner_text("#check-sentences")
    assert "18" in sentences and "Schuldhulpverlening" in sentences and "6 maanden" in sentences
    shot(page, "registry-editor")

    # Save: a draft of this lab, in the database and in the registry folder.
    page.click("#save")
    page.wait_for_function(
        "() => document.body.dataset.saved || document.getElementById('status').classList.contains('error')"
    )
    assert page.evaluate("() => document.body.dataset.saved") == "e33-of-schulden-tubbergen@0.1.0", (
        page.inner_text("#status"),
        pages.writes[-3:],
    )
    stored = lab_api.get("definitions/e33-of-schulden-tubbergen/versions/0.1.0")
    assert stored["status"] == "draft" and stored["author"] == LAB and stored["content_hash"] == ok["hash"]
    assert stored["population"] == {"age_min": 18} and len(stored["criteria"]) == 2
    file = registry_dir / "e33-of-schulden-tubbergen.yaml"
    assert file.is_file() and "status: draft" in file.read_text(encoding="utf-8")
    assert httpx.get(
        f"{server.api}/definitions/e33-of-schulden-tubbergen/versions/0.1.0", timeout=30
    ).status_code in (401, 403, 404)

    # Preview: counts per gemeente for this lab only, through the release of /counts.
    page.click("#preview-run")
    page.wait_for_selector("#preview-result", timeout=120_000)
    counts = lab_api.get(
        "counts", definitions="e33-of-schulden-tubbergen@0.1.0", date="2024-12-31", level="gemeente"
    )
    shown = page.eval_on_selector_all(
        "#preview-result tbody tr",
        "rs => rs.map(r => [r.dataset.region, r.dataset.status, r.children[1].textContent])",
    )
    assert [(r, st) for r, st, _ in shown] == [(c["region"], c["status"]) for c in counts["cells"]]
    tubbergen = next(c for c in counts["cells"] if c["region"] == "GM0183")
    assert tubbergen["status"] == "published" and tubbergen["count"] > 0
    assert next(t for r, _, t in shown if r == "GM0183") == f"{tubbergen['count']:,}".replace(",", ".")
    shot(page, "registry-preview")

    # Publish, from the editor: the definition's page, published, in the file too.
    page.click("#publish-draft")
    page.wait_for_selector("#definition-title")
    pages.ready()
    page.wait_for_function(
        "() => document.getElementById('definition-status').textContent === 'gepubliceerd'"
    )
    assert "status: published" in file.read_text(encoding="utf-8")
    assert (
        httpx.get(f"{server.api}/definitions/e33-of-schulden-tubbergen", timeout=30).json()["status"]
        == "published"
    )

    # On the map: the wijkscan offers it and paints Tubbergen's wijken from the published counts.
    page.click("#on-map")
    page.wait_for_selector("body[data-counts=loaded]", state="attached", timeout=120_000)
    page.wait_for_function(
        "() => document.getElementById('layer-a').value === 'def:e33-of-schulden-tubbergen'"
    )
    ids = [d["id"] for d in server.get("definitions", status="published", per_page="200")["items"]]
    wijken = server.get("counts", definitions=",".join(ids), date="2024-12-31", level="wijk", within="CR12")
    mine = {
        c["region"]: c["status"] for c in wijken["cells"] if c["definition"] == "e33-of-schulden-tubbergen"
    }
    painted = page.eval_on_selector_all(
        "#map-a path[data-status]", "ps => ps.map(p => [p.dataset.code, p.dataset.status])"
    )
    painted_mine = {code: st for code, st in painted if code in mine}
    assert painted_mine == mine and "published" in mine.values()
    assert "E33-melding of schuldhulp in Tubbergen" in page.inner_text("#title-a")
    shot(page, "registry-variant-on-map")

    # A new version in the page: a longer window; publish; diff the two; why did the number change?
    page.go_back()
    pages.ready()
    page.wait_for_selector("#new-version")
    page.click("#new-version")
    page.wait_for_selector("#editor")
    pages.ready()
    assert "0.2.0" in page.inner_text("#view h2")
    s = seq(page)
    page.fill("#c0-window", "24")
    page.fill("#f-period", "24")
    assert checked(page, s)["valid"]
    page.click("#publish-draft")
    page.wait_for_selector("#definition-title")
    pages.ready()
    page.wait_for_function(
        "() => document.getElementById('definition-status').textContent === 'gepubliceerd'"
    )
    page.select_option("#diff-from", "0.1.0")
    page.select_option("#diff-to", "0.2.0")
    page.click("#diff-show")
    page.wait_for_selector("#diff[data-changes]")
    assert "venster (maanden): 12 → 24" in page.inner_text("#diff")
    page.click("#diff-explain")
    pages.ready()
    page.wait_for_selector("#explanation[data-explained]", timeout=120_000)
    row = page.locator('#explanation tbody tr[data-region="GM0183"]')
    cells = row.locator("td").all_text_contents()
    assert cells[0] == "e33-of-schulden-tubbergen" and row.get_attribute("data-split") == "yes"

    # Deprecate the newest version: it stays readable and citable.
    pages.go("#/definitie/e33-of-schulden-tubbergen/0.2.0")
    page.click("#deprecate")
    page.wait_for_function("() => document.getElementById('definition-status')?.textContent === 'verouderd'")
    assert "status: deprecated" in file.read_text(encoding="utf-8") or "deprecated" in file.read_text(
        encoding="utf-8"
    )
    assert pages.errors == [] and pages.outside == []


def test_why_did_this_number_change_in_the_wijkscan_panel(
    browser: Browser, registry_server: tuple[Server, Path, str], lab_api: Api
) -> None:
    server = registry_server[0]
    versions = (
        lab_api.get("definitions/e33-tubbergen-versies/versions")["items"]
        if httpx.get(f"{server.api}/definitions/e33-tubbergen-versies", timeout=30).status_code == 200
        else None
    )
    if not versions:
        lab_api.two_versions("e33-tubbergen-versies")
    pages = Pages(browser, server)
    page = pages.page
    wijk = next(
        f["properties"]["code"]
        for f in server.get("regions", accept="application/geo+json", level="wijk", within="CR12")["features"]
        if f["properties"]["code"].startswith("WK0183")
    )
    page.goto(f"{server.base}/#gebied=twente&a=def:e33-tubbergen-versies&regio={wijk}")
    page.wait_for_selector("body[data-counts=loaded]", state="attached", timeout=120_000)
    page.wait_for_selector("#panel-body:not([hidden])")
    page.click("#explain-block summary")
    page.wait_for_function("() => document.getElementById('explain-version').options.length >= 2")
    assert page.input_value("#explain-date") == "31-12-2023"
    page.select_option("#explain-version", "0.1.0")
    page.click("#explain-run")
    page.wait_for_selector("#explain-out[data-explained]", timeout=120_000)
    body = lab_api.get(
        "explain",
        a="e33-tubbergen-versies@0.1.0",
        b="e33-tubbergen-versies@0.2.0",
        date_a="2023-12-31",
        date_b="2024-12-31",
        level="wijk",
        within="CR12",
        region=wijk,
    )
    assert page.eval_on_selector_all(
        "#explain-out .explain-steps li", "ls => ls.map(l => l.dataset.factor)"
    ) == [s["factor"] for s in body["steps"]]
    assert "31-12-2023" in page.inner_text("#explain-out") and "2023-12-31" not in page.inner_text(
        "#explain-out"
    )
    shot(page, "wijkscan-explain")
    assert pages.errors == [] and pages.outside == []
    pages.context.close()


def test_a_definition_from_scratch_is_checked_as_it_is_written(
    pages: Pages, registry_server: tuple[Server, Path, str]
) -> None:
    key = registry_server[2]
    page = pages.open("#/")
    pages.sign_in(key)
    page.click("#new-definition")
    pages.ready()
    empty = checked(page, 0)
    assert not empty["valid"]
    # What is missing is said in Dutch, at its field.
    assert page.get_attribute("#f-id", "aria-invalid") == "true"
    assert any("ontbreekt" in t or "kies er ten minste één" in t for t in empty["texts"]), empty["texts"]
    s = seq(page)
    page.fill("#f-id", "begeleiding-tubbergen")
    page.fill("#f-title", "Begeleiding vanuit de Wmo in Tubbergen")
    page.fill("#f-description", "Personen met individuele begeleiding in de afgelopen 12 maanden.")
    page.fill("#c0-label", "Begeleiding")
    page.focus("#c0-concept-search")
    page.keyboard.type("Begeleiding individueel")
    page.wait_for_selector("#c0-concepts-list li[data-key=support_guidance_individual]")
    page.keyboard.press("Enter")
    page.wait_for_selector(
        'ul.chips[data-path="criteria/0/concepts"] li[data-key=support_guidance_individual]'
    )
    done = checked(page, s)
    assert done["valid"], done
    assert page.is_checked("#f-domain-support")
    assert "Begeleiding individueel" in page.inner_text("#check-sentences")
    assert pages.errors == [] and pages.outside == []
