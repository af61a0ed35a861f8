"""Harmonised data as aggregates only: persons with events of a framework concept per region."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from zicht.api import comparisons, negotiate
from zicht.api.errors import ApiError
from zicht.api.routes.counts import WITHIN_PATTERN, Rendered, cached_response, check_within, parse_date
from zicht.ontology.concepts import framework
from zicht.regions import codes
from zicht.regions.codes import ResidenceLevel
from zicht.registry.normalise import content_hash

router = APIRouter(prefix="/datasets", tags=["datasets"])

TYPES = (negotiate.JSON, negotiate.CSV)
COLUMNS = (
    "region",
    "region_name",
    "level",
    "concept",
    "status",
    "persons",
    "population",
    "rate_per_1000",
    "coverage",
)


def concept_definition(key: str, months: int) -> dict[str, Any]:
    """The aggregate as a definition, so that it runs through the same engine and disclosure control."""
    scheme = framework()
    concept = scheme.get(key)
    doc = {
        "id": f"concept-{concept.key.replace('_', '-')}",
        "version": "1.0.0",
        "status": "published",
        "author": "zicht",
        "title": f"Persons with {concept.label_en} ({concept.curie}) in {months} months",
        "description": f"Persons with at least one harmonised event of {concept.curie} or a narrower concept "
        f"in the {months} months up to the reference date.",
        "domains": [scheme.domain_of(concept.key).key],
        "reference_period": {"months": months},
        "criteria": [{"id": "concept", "label": concept.label_nl, "concepts": [concept.key]}],
        "logic": {"op": "any", "operands": ["concept"]},
    }
    doc["content_hash"] = content_hash(doc)
    return doc


@router.get(
    "/events",
    summary="Persons with events of a concept per region (aggregates only, disclosure-protected)",
    responses=negotiate.openapi_content(*TYPES),
)
def events(
    request: Request,
    concept: Annotated[
        str,
        Query(
            max_length=100, description="Framework concept, e.g. zc:ggz_crisis (narrower concepts included)."
        ),
    ],
    date: Annotated[str, Query(max_length=10, description="Reference date YYYY-MM-DD.")],
    months: Annotated[
        int, Query(ge=1, le=120, description="Window in months up to the reference date.")
    ] = 12,
    level: Annotated[ResidenceLevel, Query(description="Region level.")] = "wijk",
    within: Annotated[
        str | None, Query(pattern=WITHIN_PATTERN, description="Only regions inside this one.")
    ] = None,
    dialect: negotiate.DialectQuery = "standard",
) -> Response:
    media = negotiate.choose(request, TYPES)
    if concept not in framework():
        raise ApiError(404, f"no framework concept {concept!r}; GET /api/v1/concepts lists them")
    reference_date = parse_date(date)
    within = codes.canonical(within) if within else within
    check_within(level, within)
    doc = concept_definition(framework().key_of(concept), months)
    state = request.app.state.store_status
    key = (
        "events-body",
        *comparisons.compare_key(state, [doc], reference_date, level),
        level,
        within,
        media,
        dialect,
    )

    def render() -> Response:
        result = comparisons.run(state, [doc], reference_date, level)
        shaped = comparisons.shape(result, [doc], level, within)
        curie = framework().get(concept).curie
        items = [
            {
                "region": c["region"],
                "region_name": c["region_name"],
                "level": level,
                "concept": curie,
                "status": c["status"],
                "persons": c["count"],
                "population": c["population"],
                "rate_per_1000": c["rate_per_1000"],
                "coverage": c["coverage"],
            }
            for c in shaped["cells"]
        ]
        if media == negotiate.CSV:
            return negotiate.csv_response(items, COLUMNS, dialect=dialect)
        return negotiate.json_response(
            {
                "level": level,
                "concept": curie,
                "reference_date": reference_date.isoformat(),
                "months": months,
                "within": within,
                "items": items,
                "disclosure": shaped["disclosure"],
                "manifest": shaped["manifest"],
            }
        )

    return cached_response(request, state.cached(key, lambda: Rendered.of(render())))
