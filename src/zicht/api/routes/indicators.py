"""Real RIVM/GGD health monitor 2020 estimates per gemeente, wijk and buurt (Twente), with NL values."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zicht import regions as catalogue
from zicht.api import health_monitor as hm
from zicht.api import negotiate
from zicht.api.errors import ApiError
from zicht.api.region_table import all_regions
from zicht.regions import codes

router = APIRouter(prefix="/indicators", tags=["indicators"])

TYPES = (negotiate.JSON, negotiate.CSV)


def _inside(code: str, level: str, within: str | None) -> bool:
    if within in (None, catalogue.NL_CODE, catalogue.TWENTE_CODE):
        return True
    # CBS codes nest by prefix: WK015301 lies in GM0153, BU01530101 in WK015301.
    digits = within[2:]
    return code[2:].startswith(digits)


@router.get("", summary="RIVM/GGD health monitor 2020 estimates (%) per region, with the Netherlands value",
            responses=negotiate.openapi_content(*TYPES))
def list_indicators(
    request: Request,
    level: Literal["gemeente", "wijk", "buurt"] = Query("wijk", description="Region level (2020 layout)."),
    within: str | None = Query(None, pattern=codes.within_pattern(), description="NL01, CR12 (Twente), a GM or WK code."),
    age: Literal["18+", "65+"] = Query("18+", description="Age group of the estimates."),
) -> Response:
    media = negotiate.choose(request, TYPES)
    if within and within.startswith("WK") and level != "buurt":
        raise ApiError(422, f"{within} is a wijk; it holds only buurt level estimates")
    names = all_regions()
    items = []
    netherlands: dict[str, float | None] = {}
    for row in hm.rows():
        if row.age_group != age:
            continue
        if row.level == "land":
            netherlands = row.values
        elif row.level == level and _inside(row.code, level, within):
            current = names.get(row.code)
            name = row.gemeente_name if level == "gemeente" else (current.name if current is not None else None)
            items.append({"code": row.code, "name": name, "level": level, "values": row.values})
    items.sort(key=lambda i: i["code"])
    if media == negotiate.CSV:
        flat = [{"code": i["code"], "name": i["name"], "level": i["level"], **i["values"]} for i in items]
        return negotiate.csv_response(flat, ("code", "name", "level", *hm.LABELS), headers={"Vary": "Accept"})
    return negotiate.json_response({
        "year": hm.YEAR, "layout": hm.LAYOUT, "kind": "estimate", "unit": "%", "age_group": age, "credit": hm.CREDIT,
        "indicators": hm.indicator_list(), "netherlands": netherlands, "items": items,
    }, headers={"Vary": "Accept"})
