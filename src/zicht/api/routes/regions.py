"""Regions (CBS gemeenten and wijken 2024, synthetic buurten) with population and boundaries."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zicht.api import negotiate
from zicht.api.region_table import feature_collection, resolve_within, select_regions

router = APIRouter(prefix="/regions", tags=["regions"])

TYPES = (negotiate.JSON, negotiate.GEOJSON, negotiate.CSV)
CREDIT = "Bron: CBS (Kerncijfers wijken en buurten 2024, wijk- en gemeentegrenzen), CC BY 4.0; buurten are synthetic"


@router.get("", summary="Regions of a level within a region, as JSON, GeoJSON or CSV", responses=negotiate.openapi_content(*TYPES))
def list_regions(
    request: Request,
    level: Literal["gemeente", "wijk", "buurt"] = Query("wijk", description="Region level."),
    within: str | None = Query(None, max_length=20, description="NL01, RGTWENTE, or a GM/WK code (default: Twente for wijk/buurt, NL for gemeente)."),
) -> Response:
    media = negotiate.choose(request, TYPES)
    items = select_regions(level, within)
    headers = {"Vary": "Accept", "Cache-Control": "public, max-age=3600"}
    if media == negotiate.GEOJSON:
        return negotiate.json_response(feature_collection(items), media_type=negotiate.GEOJSON, headers=headers)
    rows = [r.as_json() for r in items]
    if media == negotiate.CSV:
        return negotiate.csv_response(rows, ("code", "name", "level", "parent", "population"), headers=headers)
    return negotiate.json_response({"level": level, "within": resolve_within(level, within), "credit": CREDIT,
                                    "items": rows}, headers=headers)
