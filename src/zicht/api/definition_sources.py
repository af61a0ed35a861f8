"""The sources a definition needs, and per gemeente of the served store whether they are there.

A criterion needs its `sources`, or — without a restriction — every source that delivers one of its
concepts in the store (zicht.compare.coverage, the same rule that marks counts `no_source`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from zicht.api.region_table import all_regions
from zicht.compare.coverage import Coverage
from zicht.engines.store import open_store
from zicht.query_model import compile_definition
from zicht.registry.files import source_catalogue

STATUS_NL = {"full": "volledig", "partial": "deels", "none": "ontbreekt"}


def sources_of(document: Mapping[str, Any], store_path: Any, reference_date: dt.date) -> dict[str, Any]:
    catalogue = source_catalogue()
    query = compile_definition(document)
    with open_store(store_path) as store:
        coverage = Coverage(store, reference_date)
        held = {str(r.id) for r in store.frame("source").itertuples(index=False)}
        gemeenten = sorted(
            g
            for (g,) in store.con.execute(
                "SELECT DISTINCT residence_gemeente FROM person WHERE residence_gemeente IS NOT NULL"
            ).fetchall()
        )
        criteria = []
        for c in query.criteria:
            needed = coverage.needed(c)
            criteria.append(
                {
                    "id": c.id,
                    "restricted": c.sources is not None,
                    "sources": [
                        {
                            "id": s,
                            "title": (catalogue.get(s) or {}).get("title"),
                            "kind": (catalogue.get(s) or {}).get("kind"),
                            "period": [
                                (catalogue.get(s) or {}).get("period_start"),
                                (catalogue.get(s) or {}).get("period_end"),
                            ],
                            "in_store": s in held,
                        }
                        for s in needed
                    ],
                }
            )
        names = all_regions()
        per_gemeente = []
        for g in gemeenten:
            status, gaps = coverage.definition_status(query, g)
            region = names.get(g)
            per_gemeente.append(
                {
                    "code": g,
                    "name": region.name if region else g,
                    "status": status,
                    "status_nl": STATUS_NL.get(status, status),
                    "gaps": gaps.split(";") if gaps else [],
                }
            )
    return {
        "reference_date": reference_date.isoformat(),
        "coverage_known": coverage.known,
        "criteria": criteria,
        "gemeenten": per_gemeente,
        "missing": [g for g in per_gemeente if g["status"] != "full"],
    }
