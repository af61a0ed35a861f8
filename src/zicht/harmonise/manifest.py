"""The manifest of a store: what went in and what came out, per source and per file.

Everything except the `run` section is a function of the input: the `content_hash` covers it, so two
runs on the same input give the same hash; `run` (start time, duration, folders) is kept apart.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb

from zicht import __version__
from zicht.harmonise.records import FileResult
from zicht.mappings.descriptor import SourceDescriptor
from zicht.mappings.mapping_set import MappingSet
from zicht.mappings.sssom_table import file_sha256

# 2: person.record_key (cell key method) and the manifest's release entry; 3: person.person_key and
# event.person_key (integer surrogate of the pseudonym), person ids unique by construction (engines/store.py)
FORMAT_VERSION = 3


def source_entry(
    descriptor: SourceDescriptor,
    mapping: MappingSet | None,
    files: list[FileResult],
    descriptor_name: str,
    skipped: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    reasons: Counter = Counter()
    for f in files:
        reasons.update(f.quarantined)
    usable = [f for f in files if f.refused is None]
    firsts = [f.first_date for f in usable if f.first_date]
    lasts = [f.last_date for f in usable if f.last_date]
    start, end = descriptor.period
    coverage: dict[str, list[str]] = {"full": [], "partial": [], "none": []}
    for c in descriptor.coverage:
        coverage.setdefault(str(c.get("coverage_status")), []).append(str(c.get("gemeente_code")))
    return {
        "title": descriptor.data.get("title"),
        "kind": descriptor.kind,
        "descriptor": {"file": descriptor_name, "sha256": file_sha256(descriptor.path)},
        "mapping_set": None
        if mapping is None
        else {
            "id": mapping.mapping_set_id,
            "version": mapping.version,
            "file": mapping.path.name,
            "sha256": mapping.sha256,
        },
        "period": {
            "declared": [start.isoformat(), end.isoformat()],
            "observed": [min(firsts) if firsts else None, max(lasts) if lasts else None],
        },
        "coverage_gemeenten": {k: sorted(v) for k, v in coverage.items()},
        "rows_read": sum(f.rows_read for f in files),
        "rows_harmonised": sum(f.rows_harmonised for f in files),
        "rows_quarantined": sum(f.rows_quarantined for f in files),
        "quarantined_by_reason": dict(sorted(reasons.items())),
        "cells_quarantined": sum(f.cells_quarantined for f in files),
        "events": sum(f.events for f in files),
        "refused_files": [{"file": f.file, "reason": f.refused} for f in files if f.refused],
        "skipped_files": list(skipped or []),
        "files": [
            {
                "file": f.file,
                "sha256": f.sha256,
                "rows_read": f.rows_read,
                "rows_harmonised": f.rows_harmonised,
                "rows_quarantined": f.rows_quarantined,
                "quarantined_by_reason": dict(sorted(f.quarantined.items())),
                "events": f.events,
                "refused": f.refused,
            }
            for f in files
        ],
    }


def linkage(con: duckdb.DuckDBPyConnection, register_id: str | None) -> list[dict[str, Any]]:
    """Per pair of sources: persons in each, persons in both, and the share of each found in the other.

    The population register (`person` table) takes part as ``register_id``, so every source also gets
    its rate of linkage to the register.
    """
    register = (
        f"UNION ALL SELECT DISTINCT '{register_id}' AS source_id, id AS person_id FROM store.person"
        if register_id
        else ""
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE linked AS SELECT DISTINCT source_id, person_id FROM store.event "
        f"{register}"
    )
    sizes = dict(con.execute("SELECT source_id, count(*) FROM linked GROUP BY 1").fetchall())
    both = con.execute(
        "SELECT a.source_id, b.source_id, count(*) FROM linked a JOIN linked b "
        "ON a.person_id = b.person_id AND a.source_id < b.source_id GROUP BY 1, 2"
    ).fetchall()
    common = {(a, b): n for a, b, n in both}
    ids = sorted(sizes)
    out = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            n = common.get((a, b), 0)
            out.append(
                {
                    "source_a": a,
                    "source_b": b,
                    "persons_a": sizes[a],
                    "persons_b": sizes[b],
                    "persons_both": n,
                    "share_of_a_in_b": round(n / sizes[a], 6) if sizes[a] else None,
                    "share_of_b_in_a": round(n / sizes[b], 6) if sizes[b] else None,
                }
            )
    return out


def build(
    sources: dict[str, Any],
    tables: dict[str, dict[str, Any]],
    links: list[dict[str, Any]],
    notes: list[str],
    release: dict[str, str],
) -> dict[str, Any]:
    body = {
        "format": FORMAT_VERSION,
        "zicht_version": __version__,
        "sources": dict(sorted(sources.items())),
        "tables": dict(sorted(tables.items())),
        "linkage": links,
        "notes": notes,
        "release": release,
    }
    body["content_hash"] = "sha256:" + hashlib.sha256(canonical(body).encode()).hexdigest()
    return body


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def write(manifest: dict[str, Any], path: Path) -> None:
    path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
    )
