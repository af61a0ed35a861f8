"""The wijkscan page in real headless Chromium, against the real API on a small synthetic store."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import STORE_GEMEENTEN, PageRun, Server, save_screenshot
from tests.browser.expected import definition_values, expected_fills, has_digit, parse_nl_number

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.slow

TWENTE = "CR12"


# --- reading the API the way the page does --------------------------------------------------------


def published_definition_ids(server: Server) -> list[str]:
    body = server.get("definitions", status="published", page="1", per_page="200")
    return [d["id"] for d in body["items"]]


def wijk_counts(server: Server, level: str = "wijk") -> dict:
    # The page asks for all published definitions in one comparison: suppression depends on the set.
    ids = published_definition_ids(server)
    return server.get("counts", definitions=",".join(ids), date="2024-12-31", level=level, within=TWENTE)


def wijk_codes(server: Server) -> list[str]:
    geo = server.get("regions", accept="application/geo+json", level="wijk", within=TWENTE)
    return [f["properties"]["code"] for f in geo["features"]]


def count_definitions(counts: dict) -> list[str]:
    return [d["id"] for d in counts["definitions"] if d.get("kind") != "estimate"]


def most_published(counts: dict, definitions: list[str]) -> list[str]:
    """The definitions ordered by how many regions have a published number (most first)."""
    n = {
        d: sum(1 for c in counts["cells"] if c["definition"] == d and c["status"] == "published")
        for d in definitions
    }
    return sorted(definitions, key=lambda d: -n[d])


# --- reading the page ----------------------------------------------------------------------------


def shape_fills(page: Page, map_id: str = "map-a") -> dict[str, dict[str, str]]:
    return page.eval_on_selector_all(
        f"#{map_id} path.leaflet-interactive",
        "els => Object.fromEntries(els.map(e => [e.dataset.code, {fill: e.getAttribute('fill'),"
        " status: e.dataset.status, label: e.getAttribute('aria-label')}]))",
    )


def normalise_fill(fill: str) -> str:
    """Pattern fills by their kind ("hatch", "dots"), colours in lower case."""
    for kind in ("hatch", "dots"):
        if fill.startswith(f"url(#zicht-{kind}-"):
            return kind
    return fill.lower()


def choose_layer(page: Page, key: str, select: str = "#layer-a") -> None:
    page.select_option(select, key)
    page.wait_for_function("([sel, key]) => document.querySelector(sel).value === key", arg=[select, key])


def click_shape(page: Page, code: str, map_id: str = "map-a") -> None:
    """A real mouse click on a point that hits this shape (its bounding box centre may not)."""
    point = page.evaluate(
        """([mapId, code]) => {
            const el = document.querySelector(`#${mapId} path[data-code="${code}"]`);
            const r = el.getBoundingClientRect();
            for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
                const x = r.left + (r.width * i) / 12, y = r.top + (r.height * j) / 12;
                if (document.elementFromPoint(x, y) === el) return [x, y];
            }
            return null;
        }""",
        [map_id, code],
    )
    assert point is not None, f"no visible point of {code} to click"
    page.mouse.click(point[0], point[1])
    page.wait_for_function("code => document.getElementById('wijk-select').value === code", arg=code)


def figure_cell(page: Page, layer_key: str, region: str) -> Locator:
    # Rows of less used indicators sit in a closed <details>: read them with text_content().
    return page.locator(f'.figures tr[data-layer="{layer_key}"] td[data-region="{region}"]')


def cell_text(td: Locator, part: str | None = None) -> str:
    return (td.locator(part) if part else td).text_content() or ""


# --- tests ---------------------------------------------------------------------------------------


def test_map_shows_every_twente_wijk_offline(wijkscan: PageRun, server: Server) -> None:
    page = wijkscan.page
    codes = wijk_codes(server)
    assert len(codes) == 127
    fills = shape_fills(page)
    assert sorted(fills) == sorted(codes)
    assert page.locator("#wijk-select option").count() == 127
    # Every shape is focusable and named for screen readers.
    assert page.locator("#map-a path[tabindex='0'][aria-label]").count() == 127
    save_screenshot(page, "wijkscan-twente")
    assert wijkscan.outside_requests == [], "the page must work offline (no CDN, no tiles)"
    assert wijkscan.errors == []


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768), (1536, 864), (1920, 1080)])
def test_fits_common_laptop_screens(wijkscan: PageRun, width: int, height: int) -> None:
    page = wijkscan.page
    page.set_viewport_size({"width": width, "height": height})
    page.check("#compare-on")
    page.wait_for_function("() => !document.getElementById('wrap-b').hidden")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"horizontal scrolling at {width}x{height}"
    for map_id in ("map-a", "map-b"):
        box = page.locator(f"#{map_id}").bounding_box()
        assert box["width"] >= 300 and box["height"] >= 300 and box["x"] + box["width"] <= width
    # The map and the region list are in view without scrolling.
    assert page.locator("#map-a").bounding_box()["y"] < height / 2
    assert page.locator("#wijk-select").bounding_box()["y"] < height


def test_definition_colours_follow_the_api_counts(wijkscan: PageRun, server: Server) -> None:
    page = wijkscan.page
    counts = wijk_counts(server)
    codes = wijk_codes(server)
    definitions = count_definitions(counts)
    assert definitions, "the store should give at least one count definition"
    seen_statuses: set[str] = set()
    for definition in definitions:
        choose_layer(page, f"def:{definition}")
        values = definition_values(counts, definition)
        expected = expected_fills(values, codes)
        shown = {code: normalise_fill(v["fill"]) for code, v in shape_fills(page).items()}
        assert shown == expected, f"colours of {definition} differ from the classes its API numbers imply"
        seen_statuses |= {s for s, _ in values.values()}
        # The legend names every class that is used.
        legend_fills = page.eval_on_selector_all(
            "#legend-a li[data-fill]", "els => els.map(e => e.dataset.fill)"
        )
        assert set(expected.values()) - {"hatch", "#9e9e9e", "dots"} <= set(legend_fills)
    assert "published" in seen_statuses
    assert {"suppressed", "not_covered"} & seen_statuses, "the test store should hide some wijken"


def test_indicator_colours_follow_the_monitor_estimates(wijkscan: PageRun, server: Server) -> None:
    page = wijkscan.page
    body = server.get("indicators", level="wijk", within=TWENTE)
    key = next(
        (i["key"] for i in body["indicators"] if i["key"] == "HoogRisicoOpAngstOfDepressie_25"),
        body["indicators"][0]["key"],
    )
    before = {c: v["fill"] for c, v in shape_fills(page).items()}
    choose_layer(page, f"ind:{key}")
    codes = wijk_codes(server)
    by_code = {it["code"]: it["values"].get(key) for it in body["items"]}
    values = {
        c: (("published", by_code[c]) if by_code.get(c) is not None else ("no_data", None)) for c in codes
    }
    shown = {code: normalise_fill(v["fill"]) for code, v in shape_fills(page).items()}
    assert shown == expected_fills(values, codes)
    assert shown != {c: normalise_fill(f) for c, f in before.items()}, (
        "choosing an indicator must recolour the map"
    )
    # A wijk of the 2024 layout that the 2020 monitor does not have says so, with no number.
    missing = [c for c in codes if c not in by_code]
    for code in missing:
        label = shape_fills(page)[code]["label"]
        assert "indeling 2020" in label
    save_screenshot(page, "wijkscan-indicator")


def test_clicking_a_wijk_shows_the_api_figures(wijkscan: PageRun, server: Server) -> None:
    page = wijkscan.page
    counts = wijk_counts(server)
    gemeente_counts = wijk_counts(server, level="gemeente")
    definition = most_published(counts, count_definitions(counts))[0]
    published = [
        c
        for c in counts["cells"]
        if c["definition"] == definition
        and c["status"] == "published"
        and c["region"][2:6] in {g[2:] for g in STORE_GEMEENTEN}
    ]
    assert published, "some wijk of the test store should have a published count"
    cell = max(published, key=lambda c: c["count"])
    wijk = cell["region"]
    click_shape(page, wijk)
    names = {
        f["properties"]["code"]: f["properties"]["name"]
        for f in server.get("regions", accept="application/geo+json", level="wijk", within=TWENTE)["features"]
    }
    assert names[wijk] in page.inner_text("#panel-title")

    for c in counts["cells"]:
        if c["region"] != wijk:
            continue
        td = figure_cell(page, f"def:{c['definition']}", wijk)
        assert td.get_attribute("data-status") == c["status"]
        text = cell_text(td)
        if c["status"] != "published":
            assert not has_digit(text)
            continue
        value = c["estimate"] if c["rate_per_1000"] is None else c["rate_per_1000"]
        assert abs(parse_nl_number(cell_text(td, ".value")) - value) <= 0.05 + 1e-9
        if c["count"] is not None:
            assert parse_nl_number(cell_text(td, ".count")) == c["count"]

    gemeente = "GM" + wijk[2:6]
    for c in gemeente_counts["cells"]:
        if c["region"] != gemeente:
            continue
        td = figure_cell(page, f"def:{c['definition']}", gemeente)
        assert td.get_attribute("data-status") == c["status"]
        if c["status"] == "published" and c["rate_per_1000"] is not None:
            assert abs(parse_nl_number(cell_text(td, ".value")) - c["rate_per_1000"]) <= 0.05 + 1e-9

    indicators = server.get("indicators", level="wijk", within=TWENTE)
    item = next((it for it in indicators["items"] if it["code"] == wijk), None)
    if item is not None:
        for key, v in item["values"].items():
            td = figure_cell(page, f"ind:{key}", wijk)
            if v is None:
                assert not has_digit(cell_text(td))
            else:
                assert abs(parse_nl_number(cell_text(td, ".value")) - v) <= 0.05 + 1e-9
    header = page.locator("#figures thead th").all_inner_texts()
    assert header[1:] == ["Wijk", "Gemeente", "Twente", "Nederland"]

    # Twente and the Netherlands are filled for the indicators: NL from its own row, Twente derived (the
    # monitor has none) and marked so; a definition's NL column says that the store is not national.
    for key, v in indicators["netherlands"].items():
        td = figure_cell(page, f"ind:{key}", "NL01")
        if v is not None:
            assert abs(parse_nl_number(cell_text(td, ".value")) - v) <= 0.05 + 1e-9
    twente_key = "HoogRisicoOpAngstOfDepressie_25"
    td = figure_cell(page, f"ind:{twente_key}", TWENTE)
    assert indicators["twente"]["derived"] is True
    assert (
        abs(parse_nl_number(cell_text(td, ".value")) - indicators["twente"]["values"][twente_key])
        <= 0.05 + 1e-9
    )
    assert cell_text(td, ".derived") == "afgeleid"
    td = figure_cell(page, f"def:{definition}", "NL01")
    assert td.get_attribute("data-status") == "no_national_store" and "landelijke store" in cell_text(td)

    # The panel's CSV holds the same numbers as the API (rounding of the display aside: none here), by
    # default for Excel with Dutch settings: UTF-8 BOM, semicolons, decimal comma.
    assert page.input_value("#csv-dialect") == "excel"
    with page.expect_download() as dl:
        page.click("#csv-figures")
    raw = Path(dl.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfmeasure;label;") and b"\r\n" in raw
    rows = [
        {k: v.replace(",", ".") if k in ("value", "ci_low", "ci_high") else v for k, v in r.items()}
        for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
    ]
    by_key = {(r["measure"], r["region"]): r for r in rows}
    for c in counts["cells"]:
        if c["region"] != wijk:
            continue
        row = by_key[(f"def:{c['definition']}", wijk)]
        assert row["status"] == c["status"]
        if c["status"] == "published" and c["count"] is not None:
            assert float(row["value"]) == c["rate_per_1000"] and int(row["count"]) == c["count"]
        elif c["status"] != "published":
            assert row["value"] == row["count"] == ""
    save_screenshot(page, "wijkscan-wijk-panel")


def test_suppressed_wijk_shows_no_number(wijkscan: PageRun, server: Server) -> None:
    page = wijkscan.page
    counts = wijk_counts(server)
    suppressed = [c for c in counts["cells"] if c["status"] == "suppressed"]
    assert suppressed, "the test store should have at least one suppressed wijk"
    target = suppressed[0]
    wijk, definition = target["region"], target["definition"]
    choose_layer(page, f"def:{definition}")
    shape = shape_fills(page)[wijk]
    assert shape["status"] == "suppressed" and normalise_fill(shape["fill"]) == "hatch"
    description = shape["label"].split(": ", 1)[1]
    assert "onderdrukt" in description and not has_digit(description)

    # Select it by keyboard: type in the search field, arrow into the list.
    page.focus("#wijk-filter")
    page.keyboard.type(wijk)
    page.keyboard.press("ArrowDown")
    page.wait_for_function("code => document.getElementById('wijk-select').value === code", arg=wijk)
    td = figure_cell(page, f"def:{definition}", wijk)
    assert td.get_attribute("data-status") == "suppressed"
    assert not has_digit(cell_text(td))

    # For pandas and R: commas and a decimal point, no BOM (the choice is kept in the browser).
    page.select_option("#csv-dialect", "standard")
    with page.expect_download() as dl:
        page.click("#csv-map-a")
    text = Path(dl.value.path()).read_text(encoding="utf-8")
    assert text.startswith("region,name,parent,")
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["region"] == wijk)
    assert row["status"] == "suppressed" and row["value"] == "" and row["count"] == ""


def test_keyboard_focus_and_enter_select_a_shape(wijkscan: PageRun, server: Server) -> None:
    page = wijkscan.page
    code = wijk_codes(server)[5]
    page.focus(f'#map-a path[data-code="{code}"]')
    assert page.evaluate("() => document.activeElement.dataset.code") == code
    page.keyboard.press("Enter")
    page.wait_for_function("code => document.getElementById('wijk-select').value === code", arg=code)
    assert page.locator(f'#map-a path[data-code="{code}"]').get_attribute("aria-pressed") == "true"
    assert page.is_visible("#panel-body")


def test_compare_two_definitions_side_by_side_and_as_difference(wijkscan: PageRun, server: Server) -> None:
    page = wijkscan.page
    counts = wijk_counts(server)
    codes = wijk_codes(server)
    defs = count_definitions(counts)
    assert len(defs) >= 2, "need two count definitions to compare"
    # The pair whose overlap the API publishes in most wijken.
    pairs = [(x, y) for i, x in enumerate(defs) for y in defs[i + 1 :]]
    published_overlaps = {
        p: sum(
            1 for o in counts["overlaps"] if (o["a"], o["b"]) in (p, p[::-1]) and o["status"] == "published"
        )
        for p in pairs
    }
    a, b = max(pairs, key=lambda p: published_overlaps[p])
    choose_layer(page, f"def:{a}")
    page.check("#compare-on")
    choose_layer(page, f"def:{b}", select="#layer-b")
    assert page.is_visible("#map-b")
    shown_b = {c: normalise_fill(v["fill"]) for c, v in shape_fills(page, "map-b").items()}
    assert shown_b == expected_fills(definition_values(counts, b), codes)

    # Overlap for a wijk where the API publishes it.
    overlaps = [o for o in counts["overlaps"] if {o["a"], o["b"]} == {a, b} and o["status"] == "published"]
    assert overlaps, "the test store should publish some overlap of the two definitions"
    o = overlaps[0]
    click_shape(page, o["region"])
    cells = page.locator("#overlap td").all_inner_texts()
    only_a, only_b = (o["only_a"], o["only_b"]) if o["a"] == a else (o["only_b"], o["only_a"])
    assert [parse_nl_number(t) for t in cells[:3]] == [o["both"], only_a, only_b]

    page.check("input[name=compare-mode][value=diff]")
    page.wait_for_function("() => document.getElementById('title-b').textContent.startsWith('Verschil')")
    va, vb = definition_values(counts, a), definition_values(counts, b)
    diff = {}
    for c in codes:
        sa, xa = va.get(c, ("no_data", None))
        sb, xb = vb.get(c, ("no_data", None))
        if sa == sb == "published":
            diff[c] = ("published", xa - xb)
        else:
            diff[c] = (
                next((s for s in ("suppressed", "not_covered", "no_data") if s in (sa, sb)), "no_data"),
                None,
            )
    shown = {c: normalise_fill(v["fill"]) for c, v in shape_fills(page, "map-b").items()}
    assert shown == expected_fills(diff, codes, diverging=True)
    save_screenshot(page, "wijkscan-compare")


def test_disclosure_rules_and_manifest_are_stated(wijkscan: PageRun, server: Server) -> None:
    page = wijkscan.page
    counts = wijk_counts(server)
    # Stated in Dutch without unfolding anything: the method, its numbers, the run.
    summary = page.inner_text("#rules-summary")
    rules = counts["disclosure"]
    assert rules["mode"] == "perturb"
    assert f"afwijking van hoogstens {rules['max_deviation']} personen" in summary
    assert f"variantie {rules['variance']:g}" in summary or f"variantie {rules['variance']}" in summary
    assert f"1 tot en met {rules['blocked_upto']} komen niet voor" in summary
    assert "steeds dezelfde voor dezelfde personen" in summary
    assert counts["manifest"]["store"]["manifest_sha256"].removeprefix("sha256:")[:12] in summary
    page.click("#disclosure-details summary")
    page.click("#manifest-details summary")
    disclosure = page.inner_text("#disclosure")
    manifest = page.inner_text("#manifest")
    for key in counts["disclosure"]:
        assert key in disclosure
    for key in counts["manifest"]:
        assert key in manifest
    with page.expect_download() as dl:
        page.click("#csv-manifest")
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("key;value")
    assert all(f"disclosure.{k}" in text for k in counts["disclosure"])


def test_gemeente_view_covers_the_netherlands(wijkscan: PageRun, server: Server) -> None:
    page = wijkscan.page
    loads = page.evaluate("() => document.body.dataset.loads")
    page.check("input[name=view][value=nl]")
    page.wait_for_function("n => document.body.dataset.loads !== n", arg=loads, timeout=120_000)
    assert page.locator("#map-a path.leaflet-interactive").count() == 342
    assert page.locator("#wijk-select option").count() == 342
    # Every gemeente with a 2020 code is coloured with its real estimate; the 5 formed after 2020 say why not.
    key = "HoogRisicoOpAngstOfDepressie_25"
    choose_layer(page, f"ind:{key}")
    body = server.get("indicators", level="gemeente")
    estimates = {it["code"]: it["values"][key] for it in body["items"]}
    fills = shape_fills(page)
    published = {c for c, v in fills.items() if v["status"] == "published"}
    assert published == {c for c in fills if estimates.get(c) is not None}
    assert len(published) == 337
    missing = {c for c, v in fills.items() if v["status"] == "not_in_layout"}
    assert missing == {m["code"] for m in body["layout_match"]["not_in_2020"]} and len(missing) == 5
    assert all("indeling 2020" in fills[c]["label"] for c in missing)
    save_screenshot(page, "wijkscan-nederland")
    assert wijkscan.errors == []


def test_without_counts_the_map_still_shows_the_monitor(browser: Browser, server: Server) -> None:
    """When the counts endpoint fails (e.g. 503: no harmonised store), the page says so and keeps working."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.route(
        "**/api/v1/counts**",
        lambda route: route.fulfill(
            status=503,
            content_type="application/json",
            body='{"error": {"status": 503, "code": "service_unavailable", "message": "counts are not available: test", "details": null}}',
        ),
    )
    page.goto(f"{server.base}/")
    page.wait_for_selector("body[data-counts=error]", state="attached", timeout=60_000)
    assert page.locator("#map-a path.leaflet-interactive").count() == 127
    assert "counts are not available: test" in page.inner_text("#status")
    options = page.eval_on_selector_all("#layer-a option", "els => els.map(e => e.value)")
    assert options and all(o.startswith("ind:") for o in options)
    assert page.is_disabled("#compare-on")
    assert "Geen tellingen geladen" in page.inner_text("#rules-summary")
    context.close()


def test_notes_on_the_selected_wijk_are_shown(wijkscan: PageRun, server: Server) -> None:
    import httpx

    from zicht.db.keys import create_key

    with server.app.state.sessions() as session:
        key = create_key(session, "fieldlab", "Proeftuin Tubbergen (test)")[1]
        session.commit()
    wijk = next(c for c in wijk_codes(server) if c.startswith("WK0183"))
    text = "Wijkteam ziet sinds de zomer meer meldingen van verward gedrag rond het station."
    resp = httpx.post(
        f"{server.api}/notes",
        json={"region_code": wijk, "text": text, "language": "nl"},
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    assert resp.status_code == 201, resp.text
    page = wijkscan.page
    page.focus("#wijk-filter")
    page.keyboard.type(wijk)
    page.keyboard.press("Enter")
    page.wait_for_selector("#notes .note", timeout=30_000)
    note = page.inner_text("#notes")
    assert text in note and "Proeftuin Tubbergen (test)" in note


def test_definitions_national_column_is_filled_when_a_national_store_is_served(
    browser: Browser, server: Server
) -> None:
    """With a national store the land total is NL01 and the panel shows it; this store (one gemeente) is not,
    so its land answer is replayed as if it were: the page must take NL01 cells from a national store."""
    import json as _json

    gemeente = STORE_GEMEENTEN[0]
    ids = published_definition_ids(server)
    real = server.get("counts", definitions=",".join(ids), date="2024-12-31", level="gemeente", within=TWENTE)
    national = {
        **real,
        "level": "land",
        "total_region": "NL01",
        "cells": [
            {**c, "region": "NL01", "level": "land", "region_name": "Nederland"}
            for c in real["cells"]
            if c["region"] == gemeente
        ],
    }

    def land(route) -> None:
        if "level=land" in route.request.url:
            route.fulfill(status=200, content_type="application/json", body=_json.dumps(national))
        else:
            route.continue_()

    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL")
    page = context.new_page()
    page.route("**/api/v1/counts**", land)
    page.goto(f"{server.base}/")
    page.wait_for_selector("body[data-counts=loaded]", state="attached", timeout=120_000)
    wijk = next(c for c in wijk_codes(server) if c[2:6] == gemeente[2:])
    page.focus("#wijk-filter")
    page.keyboard.type(wijk)
    page.keyboard.press("Enter")
    page.wait_for_function("code => document.getElementById('wijk-select').value === code", arg=wijk)
    shown = 0
    for c in national["cells"]:
        td = figure_cell(page, f"def:{c['definition']}", "NL01")
        assert td.get_attribute("data-status") == c["status"]
        if c["status"] == "published" and c["rate_per_1000"] is not None:
            assert abs(parse_nl_number(cell_text(td, ".value")) - c["rate_per_1000"]) <= 0.05 + 1e-9
            shown += 1
    assert shown, "some definition should show a national figure"
    context.close()
