"""The run manifest: everything needed to reproduce a comparison and to say why numbers changed
between two runs (definition version, mapping version, data snapshot, rules). No timestamps, so that
the same inputs give byte-identical output."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from zicht import __version__
from zicht.compare.coverage import Coverage, all_sources
from zicht.compare.definitions import Selected
from zicht.compare.rates import Populations
from zicht.compare.survey import SurveyRules
from zicht.engines.store import Store

METHODS = {
    "count": "persons who meet the definition at the reference date (docs/definitions.md), by residence",
    "rate_per_1000": "published (rounded) count / residents in the definition's age range × 1000 (population table)",
    "standardised_rate_per_1000": "direct age/sex standardisation (sex × 5-year bands) on the national population",
    "pairs": "both = in A and B, only_a = in A not B, only_b = in B not A; jaccard from the published values",
    "intersections": "persons in exactly this set of the compared counted definitions (UpSet)",
    "attrition": "meets = persons in the universe meeting the criterion; admits = members who would not be members "
    "if the criterion were dropped from the logic; removes = persons who would be members if it were dropped",
    "coverage": "full / partial / none per gemeente from source_coverage for the sources each criterion needs; "
    "a count with coverage none is not shown, partial is a lower bound",
    "estimates": "survey definitions: weighted prevalence in percent with 95% interval, never a count",
}


def build_manifest(
    store: Store,
    selected: Sequence[Selected],
    reference_date: dt.date,
    level: str,
    attrition_level: str,
    intersection_level: str,
    disclosure: dict[str, Any],
    survey_rules: SurveyRules,
    engine: str,
    populations: Populations,
    coverage: Coverage,
) -> dict[str, Any]:
    data = store.manifest
    mapping_sets = []
    for source_id, entry in (
        sorted((data.get("sources") or {}).items()) if isinstance(data.get("sources"), dict) else []
    ):
        ms = entry.get("mapping_set") if isinstance(entry, dict) else None
        if ms:
            mapping_sets.append(
                {
                    "source": source_id,
                    "id": ms.get("id"),
                    "version": ms.get("version"),
                    "sha256": ms.get("sha256"),
                }
            )
    if not mapping_sets:
        for row in store.frame("source").itertuples(index=False):
            if row.mapping_set_id:
                mapping_sets.append(
                    {"source": row.id, "id": row.mapping_set_id, "version": row.mapping_set_version}
                )
    return {
        "tool": "zicht compare",
        "zicht_version": __version__,
        "engine": engine,
        "reference_date": reference_date.isoformat(),
        "level": level,
        "attrition_level": attrition_level,
        "intersection_level": intersection_level,
        "definitions": [s.manifest_entry() for s in selected],
        "store": {
            "manifest_sha256": store.manifest_sha256,
            "content_hash": data.get("content_hash"),
            "mapping_sets": mapping_sets,
        },
        "sources_needed": all_sources(coverage, [s.query for s in selected]),
        "coverage_information": coverage.known,
        "population": {"year": populations.year, "standard_population": populations.standard_code},
        "disclosure": disclosure,
        "survey": survey_rules.to_dict(),
        "methods": METHODS,
    }
