"""What the page should show, computed in Python from the API's own numbers.

The classification rule is the one the page documents (static/js/classes.js): k = 5 quantile classes,
breaks = type-7 quantiles at 1/5 .. 4/5 of the published values, duplicates and breaks equal to the
maximum dropped; class = number of breaks strictly below the value; the palette is spread over the
viridis colours. Written again here, independently, so that a wrong page fails."""

from __future__ import annotations

import math
import re

VIRIDIS = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
PUOR = ["#e66101", "#fdb863", "#d9d3c1", "#b2abd2", "#5e3c99"]
NOT_COVERED = "#9e9e9e"
NO_DATA = "dots"  # a dotted pattern


def quantile(sorted_values: list[float], p: float) -> float:
    h = (len(sorted_values) - 1) * p
    lo, hi = math.floor(h), math.ceil(h)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def quantile_breaks(values: list[float], k: int = 5) -> list[float]:
    s = sorted(values)
    if not s:
        return []
    breaks: list[float] = []
    for i in range(1, k):
        b = quantile(s, i / k)
        if b not in breaks:
            breaks.append(b)
    return [b for b in breaks if b < s[-1]]


def class_of(value: float, breaks: list[float]) -> int:
    return sum(1 for b in breaks if value > b)


def palette(n: int, colours: list[str] = VIRIDIS) -> list[str]:
    if n <= 1:
        return [colours[len(colours) // 2]]
    return [colours[round(i * (len(colours) - 1) / (n - 1))] for i in range(n)]


def difference_breaks(diffs: list[float]) -> list[float]:
    a = sorted(abs(d) for d in diffs)
    if not a:
        return []
    t1, t2 = quantile(a, 1 / 3), quantile(a, 2 / 3)
    return [-t2, -t1, t1, t2] if t2 > t1 else [-t1, t1]


def difference_class(value: float, breaks: list[float]) -> int:
    return sum(1 for b in breaks if (value >= b if b < 0 else value > b))


def expected_fills(
    values: dict[str, tuple[str, float | None]], codes: list[str], diverging: bool = False
) -> dict[str, str]:
    """code -> fill colour, from {code: (status, value)} as the API gives them."""
    published = [v for c in codes for s, v in [values.get(c, ("no_data", None))] if s == "published"]
    if diverging:
        breaks = difference_breaks(published)
        colours = palette(len(breaks) + 1, PUOR)
        klass = difference_class
    else:
        breaks = quantile_breaks(published)
        colours = palette(len(breaks) + 1)
        klass = class_of
    out = {}
    for code in codes:
        status, value = values.get(code, ("no_data", None))
        if status == "published":
            out[code] = colours[klass(value, breaks)]
        elif status == "suppressed":
            out[code] = "hatch"
        elif status == "not_covered":
            out[code] = NOT_COVERED
        else:
            out[code] = NO_DATA
    return out


def definition_values(counts: dict, definition: str) -> dict[str, tuple[str, float | None]]:
    kinds = {d["id"]: d.get("kind") for d in counts["definitions"]}
    field = "estimate" if kinds.get(definition) == "estimate" else "rate_per_1000"
    out = {}
    for cell in counts["cells"]:
        if cell["definition"] != definition:
            continue
        value = cell[field]
        status = cell["status"]
        if status == "published" and value is None:
            status = "no_data"
        out[cell["region"]] = (status, value if status == "published" else None)
    return out


def parse_nl_number(text: str) -> float:
    """'1.234,5' -> 1234.5"""
    m = re.search(r"-?[\d.]+(,\d+)?", text.replace("−", "-"))
    if not m:
        raise ValueError(f"no number in {text!r}")
    return float(m.group(0).replace(".", "").replace(",", "."))


def has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)
