"""Real RIVM/GGD health monitor 2020 estimates per gemeente and wijk (all of NL) and buurt (Twente), with
the Netherlands value, Twente's (derived) value and a report of how the 2020 codes match the 2024 regions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zicht import regions as catalogue
from zicht.api import health_monitor as hm
from zicht.api import negotiate
from zicht.api.errors import ApiError
from zicht.api.region_table import all_regions, inside
from zicht.regions import codes
from zicht.regions.codes import ResidenceLevel

router = APIRouter(prefix="/indicators", tags=["indicators"])

TYPES = (negotiate.JSON, negotiate.CSV)


def _in_area(code: str, gemeente_code: str, within: str | None) -> bool:
    """Whether a 2020-layout region lies in ``within``: by its gemeente for NL/Twente/GM, by prefix for WK."""
    if within in (None, codes.NL_CODE):
        return True
    if within == codes.TWENTE_CODE:
        return gemeente_code in set(catalogue.gemeente_codes("twente"))
    return code == within or codes.nests_in(code, within)


@router.get(
    "",
    summary="RIVM/GGD health monitor 2020 estimates (%) per region, with the Netherlands and Twente values",
    responses=negotiate.openapi_content(*TYPES),
)
def list_indicators(
    request: Request,
    level: Annotated[ResidenceLevel, Query(description="Region level (2020 layout).")] = "wijk",
    within: Annotated[
        str | None, Query(pattern=codes.within_pattern(), description="NL01, CR12 (Twente), a GM or WK code.")
    ] = None,
    age: Annotated[Literal["18+", "65+"], Query(description="Age group of the estimates.")] = "18+",
    dialect: negotiate.DialectQuery = "standard",
) -> Response:
    media = negotiate.choose(request, TYPES)
    within = codes.canonical(within) if within else within
    if within and codes.level_of(within) == "wijk" and level != "buurt":
        raise ApiError(422, f"{within} is a wijk; it holds only buurt level estimates")
    if within and codes.level_of(within) == "gemeente" and level == "gemeente":
        raise ApiError(422, f"{within} is a gemeente; ask for level=wijk or level=buurt inside it")
    regions_2024 = all_regions()
    items = _items(level, age, within, regions_2024)
    area_2024 = {
        r.code
        for r in regions_2024.values()
        if r.level == level and not codes.is_synthetic(r.code) and inside(r.code, within)
    }
    report = hm.layout_report(level, age, {i["code"] for i in items}, area_2024)
    if media == negotiate.CSV:
        flat = [{k: v for k, v in i.items() if k != "values"} | i["values"] for i in items]
        return negotiate.csv_response(
            flat,
            ("code", "name", "level", "in_layout_2024", *hm.LABELS),
            headers={"Vary": "Accept"},
            dialect=dialect,
        )
    return negotiate.json_response(
        {
            "year": hm.YEAR,
            "layout": hm.LAYOUT,
            "kind": "estimate",
            "unit": "%",
            "age_group": age,
            "credit": hm.CREDIT,
            "level": level,
            "within": within or codes.NL_CODE,
            "indicators": hm.indicator_list(),
            "netherlands": hm.netherlands(age),
            "twente": hm.twente(age),
            "layout_match": report,
            "items": items,
        },
        headers={"Vary": "Accept"},
    )


def _items(level: str, age: str, within: str | None, regions_2024: dict[str, Any]) -> list[dict[str, Any]]:
    """The monitor's regions of the level within the area, by code, each with its 2024 name where the
    code is still a real region of the current layout."""
    items: list[dict[str, Any]] = []
    for row in hm.by_level(level, age).values():
        if not _in_area(row.code, codes.gemeente_of(row.code) or "", within):
            continue
        current = regions_2024.get(row.code)
        # A name only from a real region of the same code (a buurt of zicht is synthetic and never matches).
        same = current is not None and not codes.is_synthetic(current.code)
        name = (
            row.gemeente_name
            if level == "gemeente"
            else (current.name if current is not None and same else None)
        )
        items.append(
            {"code": row.code, "name": name, "level": level, "in_layout_2024": same, "values": row.values}
        )
    items.sort(key=lambda i: i["code"])
    return items
