"""The page's files: everything it loads is in the package (offline, no build step), with licences."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from zicht.web import static_dir

STATIC = static_dir()


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.refs.append(value)


def _text_files() -> list[Path]:
    return [p for p in STATIC.rglob("*") if p.suffix in {".html", ".js", ".css"}]


def test_every_local_reference_of_the_page_exists() -> None:
    parser = _Refs()
    parser.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    local = [r for r in parser.refs if not r.startswith(("#", "data:", "../api/"))]
    assert "vendor/leaflet/leaflet.js" in local and "js/main.js" in local
    missing = [r for r in local if not (STATIC / r.split("#")[0].split("?")[0]).is_file()]
    assert missing == []


def test_es_module_imports_resolve() -> None:
    for js in (STATIC / "js").glob("*.js"):
        for target in re.findall(r'from\s+"(\./[^"]+)"', js.read_text(encoding="utf-8")):
            assert (js.parent / target).is_file(), f"{js.name} imports missing {target}"


def test_nothing_is_loaded_from_the_internet() -> None:
    # URLs in licence comments and the SVG namespace are not loads; anything else would break offline use.
    allowed = re.compile(r"https?://(www\.w3\.org/2000/svg|leafletjs\.com|github\.com/Leaflet)")
    for path in _text_files():
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(
            r"""(?:src\s*=|href\s*=|url\(|import\s*\(?|from|fetch\()\s*["']?(https?:)?//[^"')\s]+""", text
        ):
            if not allowed.search(m.group(0)):
                raise AssertionError(f"{path.relative_to(STATIC)} loads from the internet: {m.group(0)}")


def test_vendored_library_has_its_licence_and_origin() -> None:
    leaflet = STATIC / "vendor" / "leaflet"
    assert "BSD 2-Clause License" in (leaflet / "LICENSE").read_text(encoding="utf-8")
    assert (leaflet / "leaflet.js").read_text(encoding="utf-8").startswith("/* @preserve\n * Leaflet 1.9.4")
    assert "Leaflet | 1.9.4" in (STATIC / "vendor" / "README.md").read_text(encoding="utf-8")


def test_page_is_dutch_and_labels_its_controls() -> None:
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    for control in re.findall(r'<(?:select|input)[^>]*\bid="([^"]+)"', html):
        if control in ("compare-on",):  # wrapped in its <label>
            continue
        assert f'for="{control}"' in html, f"control #{control} has no <label for>"
