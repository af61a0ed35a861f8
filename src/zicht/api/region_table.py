"""Regions as the API shows them: code, name, level, parent and population, with CBS boundaries.

Built on the region catalogue of `zicht.regions` (CBS KWB 2024; synthetic buurten). Gemeenten and
wijken carry their published CBS population; synthetic buurten the men + women the catalogue assigns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from zicht import regions as catalogue
from zicht.api.errors import ApiError
from zicht.regions import codes

LEVELS = codes.RESIDENCE_LEVELS
DEFAULT_WITHIN = {
    "gemeente": catalogue.NL_CODE,
    "wijk": catalogue.TWENTE_CODE,
    "buurt": catalogue.TWENTE_CODE,
}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent: str
    population: int
    gemeente: str
    twente: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "parent": self.parent,
            "population": self.population,
        }


@lru_cache(maxsize=1)
def all_regions() -> dict[str, Region]:
    g = catalogue.gemeenten()
    twente = set(g.loc[g["twente"], "gemeente_code"])
    out: dict[str, Region] = {}
    for row in g.itertuples(index=False):
        parent = catalogue.TWENTE_CODE if row.twente else catalogue.NL_CODE
        out[row.gemeente_code] = Region(
            row.gemeente_code,
            row.gemeente_naam,
            "gemeente",
            parent,
            int(row.aantal_inwoners_2024),
            row.gemeente_code,
            bool(row.twente),
        )
    for row in catalogue.wijken().itertuples(index=False):
        out[row.wijk_code] = Region(
            row.wijk_code,
            row.wijk_naam,
            "wijk",
            row.gemeente_code,
            int(row.aantal_inwoners_2024),
            row.gemeente_code,
            row.gemeente_code in twente,
        )
    for row in catalogue.buurten().itertuples(index=False):
        out[row.buurt_code] = Region(
            row.buurt_code,
            row.buurt_naam,
            "buurt",
            row.wijk_code,
            int(row.mannen + row.vrouwen),
            row.gemeente_code,
            row.gemeente_code in twente,
        )
    return out


@lru_cache(maxsize=1)
def _model_rows() -> dict[str, dict[str, Any]]:
    frame = catalogue.regions()
    out = {}
    for rec in frame.to_dict("records"):
        out[rec["id"]] = {k: v for k, v in rec.items() if v is not None and v == v}  # NaN/None: no parent
    return out


def model_records(codes) -> list[dict[str, Any]]:
    """Instances of the model's Region class (id, name, level, parent, year, synthetic) for ``codes``."""
    rows = _model_rows()
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in rows[c].items()} for c in codes]


def _inside_region(region: Region, within: str) -> bool:
    if within == catalogue.NL_CODE:
        return True
    if within == catalogue.TWENTE_CODE:
        return region.twente
    code = region.code
    while code:
        if code == within:
            return True
        parent = all_regions().get(code)
        code = parent.parent if parent is not None and parent.level != "gemeente" else ""
    return region.gemeente == within


def resolve_within(level: str, within: str | None) -> str:
    return codes.canonical(within) if within else DEFAULT_WITHIN[level]


def select_regions(level: str, within: str | None) -> list[Region]:
    """The regions of ``level`` inside ``within`` (NL01, CR12 = Twente, a gemeente or a wijk code)."""
    if level not in LEVELS:
        raise ApiError(422, f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    within = resolve_within(level, within)
    known = all_regions()
    if within not in (catalogue.NL_CODE, catalogue.TWENTE_CODE) and within not in known:
        raise ApiError(
            404,
            f"unknown region {within!r} for within=; use NL01, {catalogue.TWENTE_CODE} (Twente) or a CBS GM/WK code",
        )
    if within in known and LEVELS.index(known[within].level) >= LEVELS.index(level):
        raise ApiError(422, f"{within} is a {known[within].level}; it holds no {level} level regions")
    return [r for r in known.values() if r.level == level and _inside_region(r, within)]


def inside(code: str, within: str | None) -> bool:
    """True when region ``code`` lies in ``within`` (NL01, CR12, a GM/WK/BU code); unknown codes are not."""
    within = codes.canonical(within) if within else within
    if within is None or within == catalogue.NL_CODE:
        return True
    region = all_regions().get(code)
    return region is not None and _inside_region(region, within)


@lru_cache(maxsize=2)
def _boundaries(level: str) -> dict[str, dict[str, Any]]:
    name = {"gemeente": "nl_gemeenten.geojson", "wijk": "nl_wijken.geojson"}[level]
    data = json.loads(resources.files("zicht.data").joinpath(name).read_text(encoding="utf-8"))
    out = {}
    for feature in data["features"]:
        props = feature["properties"]
        out[props.get("code") or props.get("statcode")] = feature["geometry"]
    return out


def feature_collection(items: list[Region]) -> dict[str, Any]:
    """GeoJSON of the regions with CBS boundaries (synthetic buurten have none: geometry null)."""
    features = []
    for r in items:
        geometry = _boundaries(r.level).get(r.code) if r.level in ("gemeente", "wijk") else None
        features.append({"type": "Feature", "id": r.code, "geometry": geometry, "properties": r.as_json()})
    return {"type": "FeatureCollection", "features": features}
