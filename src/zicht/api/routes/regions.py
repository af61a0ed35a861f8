"""Regions (CBS gemeenten and wijken 2024, synthetic buurten) with population and boundaries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zicht.api import negotiate
from zicht.api.region_table import feature_collection, model_records, resolve_within, select_regions
from zicht.ontology.rdf import instances_to_graph, jsonld_graph
from zicht.regions.codes import ResidenceLevel

router = APIRouter(prefix="/regions", tags=["regions"])

TYPES = (negotiate.JSON, negotiate.GEOJSON, negotiate.CSV, negotiate.TURTLE, negotiate.JSONLD)
CREDIT = "Bron: CBS (Kerncijfers wijken en buurten 2024, wijk- en gemeentegrenzen), CC BY 4.0; buurten are synthetic"


def _rdf_response(items, media: str, headers: dict[str, str]) -> Response:
    # One graph whatever the serialisation: the JSON-LD expands to exactly the Turtle's triples.
    if media == negotiate.TURTLE:
        return negotiate.turtle_response(
            instances_to_graph(items).serialize(format="turtle"), headers=headers
        )
    return negotiate.json_response(jsonld_graph(items), media_type=negotiate.JSONLD, headers=headers)


@router.get(
    "",
    summary="Regions of a level within a region, as JSON, GeoJSON, CSV, or the model's Region as Turtle or JSON-LD",
    responses=negotiate.openapi_content(*TYPES),
)
def list_regions(
    request: Request,
    level: Annotated[ResidenceLevel, Query(description="Region level.")] = "wijk",
    within: Annotated[
        str | None,
        Query(
            max_length=20,
            description="NL01, CR12 (Twente, COROP), or a GM/WK code (default: Twente for wijk/buurt, NL for gemeente).",
        ),
    ] = None,
    dialect: negotiate.DialectQuery = "standard",
) -> Response:
    media = negotiate.choose(request, TYPES)
    items = select_regions(level, within)
    headers = {"Vary": "Accept", "Cache-Control": "public, max-age=3600"}
    if media == negotiate.GEOJSON:
        return negotiate.json_response(
            feature_collection(items), media_type=negotiate.GEOJSON, headers=headers
        )
    if media in (negotiate.TURTLE, negotiate.JSONLD):
        return _rdf_response(
            [("Region", record) for record in model_records(r.code for r in items)], media, headers
        )
    rows = [r.as_json() for r in items]
    if media == negotiate.CSV:
        return negotiate.csv_response(
            rows, ("code", "name", "level", "parent", "population"), headers=headers, dialect=dialect
        )
    return negotiate.json_response(
        {"level": level, "within": resolve_within(level, within), "credit": CREDIT, "items": rows},
        headers=headers,
    )
