"""Reading the wijkscan without friction (#14 item 6): hover labels inside the window, a readable
region list, maps A and B level with each other and in step, the near-zero class apart from "no data",
and dates as dd-mm-jjjj — in real headless Chromium against the real API."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import PageRun, save_screenshot
from tests.browser.expected import PUOR

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.slow

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def compare(page: Page, a: str, b: str, mode: str = "side") -> None:
    page.select_option("#layer-a", a)
    page.check("#compare-on")
    page.wait_for_function("() => !document.getElementById('wrap-b').hidden")
    page.select_option("#layer-b", b)
    page.check(f"input[name=compare-mode][value={mode}]")
    page.wait_for_function("b => document.getElementById('layer-b').value === b", arg=b)


def edge_points(page: Page, map_id: str) -> list[dict]:
    """A visible point of the shapes nearest to each edge of the map box (right, left, bottom, top)."""
    return page.evaluate(
        """mapId => {
            const box = document.getElementById(mapId).getBoundingClientRect();
            const visible = (p) => {
                const r = p.getBoundingClientRect();
                for (let i = 1; i < 10; i++) for (let j = 1; j < 10; j++) {
                    const x = r.left + (r.width * i) / 10, y = r.top + (r.height * j) / 10;
                    if (x > box.left + 2 && x < box.right - 2 && y > box.top + 2 && y < box.bottom - 2
                        && document.elementFromPoint(x, y) === p) return {x, y, code: p.dataset.code};
                }
                return null;
            };
            const points = [...document.querySelectorAll(`#${mapId} path.leaflet-interactive`)].map(visible).filter(Boolean);
            const pick = (f) => points.reduce((best, p) => (f(p) > f(best) ? p : best));
            return [pick((p) => p.x), pick((p) => -p.x), pick((p) => p.y), pick((p) => -p.y)];
        }""",
        map_id,
    )


def test_hover_label_is_never_clipped(wijkscan: PageRun) -> None:
    page = wijkscan.page
    compare(page, "def:epa-ggz-wmo", "def:e33-12m")
    for map_id in ("map-a", "map-b"):
        for point in edge_points(page, map_id):
            page.mouse.move(point["x"], point["y"])
            label = page.locator(".map-tooltip")
            label.wait_for(state="visible")
            shape = page.locator(f'#{map_id} path[data-code="{point["code"]}"]')
            assert label.text_content() == shape.get_attribute("aria-label")
            r = label.bounding_box()
            view = page.viewport_size
            assert r["x"] >= 0 and r["y"] >= 0, (map_id, point, r)
            assert r["x"] + r["width"] <= view["width"] and r["y"] + r["height"] <= view["height"], (
                map_id,
                point,
                r,
            )
            # Nothing above the label hides it: the topmost element at its centre is the label itself
            # or lies under it (the label takes no pointer events, so elementFromPoint skips it).
            z = page.evaluate("() => getComputedStyle(document.querySelector('.map-tooltip')).zIndex")
            assert int(z) >= 1000
    save_screenshot(page, "wijkscan-hover-edge")
    page.mouse.move(1, 1)
    page.wait_for_selector(".map-tooltip", state="hidden")
    # Keyboard focus shows the same label.
    code = edge_points(page, "map-a")[0]["code"]
    page.focus(f'#map-a path[data-code="{code}"]')
    assert page.locator(".map-tooltip").is_visible()


def test_region_list_shows_whole_names_under_their_gemeente(wijkscan: PageRun) -> None:
    page = wijkscan.page
    groups = page.eval_on_selector_all(
        "#wijk-select optgroup", "gs => gs.map(g => [g.label, g.children.length])"
    )
    assert len(groups) == 14 and sum(n for _, n in groups) == 127
    assert [g for g, _ in groups] == sorted((g for g, _ in groups), key=str.casefold)
    # Every line fits the list's width, measured with the list's own font and the options' indent: under
    # its gemeente a wijk is shown without its CBS number ("Wijk 03 "), so even the longest Twente name
    # ("Verspreide huizen Kerspel en omgeving") is whole; its full name, gemeente and code are its title.
    fit = page.evaluate(
        """() => {
            const sel = document.getElementById('wijk-select');
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.font = getComputedStyle(sel).font;
            const cut = [...sel.options].filter(o => {
                const st = getComputedStyle(o);
                const indent = parseFloat(st.paddingInlineStart) + parseFloat(st.paddingInlineEnd) + 4;
                return ctx.measureText(o.text).width + indent > sel.clientWidth;
            });
            return {
                cut: cut.map(o => o.text),
                titled: [...sel.options].every(o => o.title.includes(o.text.replace(/ \\(.*\\)$/, '')) && o.title.includes(o.value)),
                numbered: [...sel.options].filter(o => /^Wijk \\d/.test(o.text)).length,
                longest: Math.max(...[...sel.options].map(o => o.text.length)),
            };
        }"""
    )
    assert fit["cut"] == [], fit["cut"]
    assert fit["titled"], "each option's title has its whole name, gemeente and code"
    assert fit["numbered"] == 0 and fit["longest"] >= 37, fit
    # The CBS number still finds the wijk.
    page.fill("#wijk-filter", "Wijk 03 Verspreide")
    assert page.eval_on_selector_all("#wijk-select option", "os => os.map(o => o.text)") == [
        "Verspreide huizen Kerspel en omgeving"
    ]
    page.fill("#wijk-filter", "")
    # Searching by code still finds the wijk.
    code = page.eval_on_selector("#wijk-select option", "o => o.value")
    page.fill("#wijk-filter", code)
    assert page.eval_on_selector_all("#wijk-select option", "os => os.map(o => o.value)") == [code]


def test_maps_a_and_b_stay_level_and_in_step(wijkscan: PageRun) -> None:
    page = wijkscan.page
    # A long title (two lines) for A and a short one for B.
    compare(page, "def:epa-ggz-wmo", "def:e33-12m")
    boxes = [page.locator(f"#{m}").bounding_box() for m in ("map-a", "map-b")]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1 and abs(boxes[0]["height"] - boxes[1]["height"]) < 1
    # The titles' text (their boxes share a row and so have one height).
    title_heights = page.evaluate("""() => ['title-a', 'title-b'].map(id => {
        const range = document.createRange();
        range.selectNodeContents(document.getElementById(id));
        return range.getBoundingClientRect().height;
    })""")
    assert title_heights[0] > title_heights[1] * 1.5 or title_heights[1] > title_heights[0] * 1.5, (
        "the test needs titles of different length"
    )

    def offsets() -> list[tuple[float, float]]:
        code = page.eval_on_selector("#map-a path.leaflet-interactive", "p => p.dataset.code")
        out = []
        for m in ("map-a", "map-b"):
            box = page.locator(f"#{m}").bounding_box()
            shape = page.locator(f'#{m} path[data-code="{code}"]').bounding_box()
            out.append(
                (round(shape["x"] - box["x"], 1), round(shape["y"] - box["y"], 1), round(shape["width"], 1))
            )
        return out

    def same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return all(
            abs(x - y) <= 1.0 for x, y in zip(a, b, strict=False)
        )  # sub-pixel rounding of the map panes

    first = offsets()
    assert same(first[0], first[1]), first
    page.click("#map-a .leaflet-control-zoom-in")
    page.wait_for_timeout(600)
    zoomed = offsets()
    assert same(zoomed[0], zoomed[1]) and zoomed[0][2] > first[0][2] * 1.5, zoomed
    save_screenshot(page, "wijkscan-compare-level")


def test_near_zero_class_is_not_the_no_data_look(wijkscan: PageRun) -> None:
    page = wijkscan.page
    compare(page, "def:ggz-specialised-12m", "def:epa-ggz-wmo", mode="diff")
    page.wait_for_selector("#legend-b li[data-class]")
    legend = page.eval_on_selector_all(
        "#legend-b li",
        "ls => ls.map(l => [l.dataset.class ?? null, l.dataset.fill ?? null, l.dataset.status ?? null])",
    )
    fills = [f.lower() for k, f, _ in legend if k is not None]
    assert set(fills) <= {c.lower() for c in PUOR}
    # The "about the same" class is a visible colour: neither white nor the near-white of a plain PuOr.
    middle = PUOR[2].lower()
    red, green, blue = (int(middle[i : i + 2], 16) for i in (1, 3, 5))
    assert max(red, green, blue) < 0xEE and middle not in ("#ffffff", "#f7f7f7")
    assert any(s == "no_data" for _, _, s in legend), "this store leaves wijken without data"
    for path in page.eval_on_selector_all(
        "#map-b path[data-status=no_data]", "ps => ps.map(p => p.getAttribute('fill'))"
    ):
        assert path.startswith("url(#zicht-dots-")


def test_dates_read_dd_mm_jjjj(wijkscan: PageRun) -> None:
    page = wijkscan.page
    assert page.input_value("#ref-date") == "31-12-2024"
    loads = int(page.eval_on_selector("body", "b => b.dataset.loads"))
    page.fill("#ref-date", "30-06-2024")
    page.press("#ref-date", "Enter")
    page.wait_for_function(
        "n => Number(document.body.dataset.loads) > n && document.body.dataset.counts === 'loaded'",
        arg=loads,
        timeout=120_000,
    )
    assert "datum=2024-06-30" in page.evaluate("() => location.hash")
    assert "peildatum 30-06-2024" in page.inner_text("#rules-summary")
    # Not a date: marked, and the shown date stays.
    page.fill("#ref-date", "31-02-2024")
    page.press("#ref-date", "Enter")
    assert page.get_attribute("#ref-date", "aria-invalid") == "true"
    assert "datum=2024-06-30" in page.evaluate("() => location.hash")
    page.fill("#wijk-filter", "")
    page.focus("#wijk-filter")
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel-body:not([hidden])")
    shown = page.evaluate("() => document.body.innerText")
    assert not ISO_DATE.findall(shown), ISO_DATE.findall(shown)
