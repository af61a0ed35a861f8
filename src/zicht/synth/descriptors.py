"""Source descriptors (class `Source`) and code lists of the synthetic sources.

``mappings/<source>.source.yaml`` and ``mappings/<source>.codes.csv`` are written from
`zicht.synth.sources` / `zicht.synth.codes` by `write_mappings` (``zicht synth descriptors``); a test
checks that the committed files are what the code writes. A run also writes a descriptor restricted
to its own gemeenten next to the extracts.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from zicht.synth.sources import PERSON_KEY_METHOD, SPECS, SourceSpec

MAPPING_SET_BASE = "https://w3id.org/zicht/mappings/"


def descriptor(spec: SourceSpec, gemeenten: list[str]) -> dict[str, Any]:
    """The `Source` instance of a source for the given gemeenten (only those that use its code system)."""
    coverage = []
    for gm in gemeenten:
        if not spec.applies_to(gm):
            continue
        cov = spec.coverage(gm)
        item: dict[str, Any] = {"gemeente_code": gm, "coverage_status": cov.status}
        if cov.status != "none":
            item["start_date"] = cov.start or spec.period_start
            item["end_date"] = cov.end or spec.period_end
        if cov.remark:
            item["remark"] = cov.remark
        coverage.append(item)
    out: dict[str, Any] = {
        "id": spec.id,
        "title": spec.title,
        "description": spec.description,
        "kind": spec.kind,
        "owner": spec.owner,
        "code_system": spec.code_system,
        "mapping_set_id": MAPPING_SET_BASE + spec.id,
        "period_start": spec.period_start,
        "period_end": spec.period_end,
        "file_pattern": f"{spec.file_stem}_GM*.{spec.fmt}",
    }
    if spec.fmt == "csv":
        out["delimiter"] = spec.delimiter
        out["encoding"] = "utf-8"
    if any(c.role == "person_key" for c in spec.columns):
        out["person_key"] = PERSON_KEY_METHOD
    out["coverage"] = coverage
    out["columns"] = [
        {
            k: v
            for k, v in {
                "name": c.name,
                "role": c.role,
                "datatype": c.datatype,
                "required": c.required,
                "pattern": c.pattern,
                "description": c.description,
            }.items()
            if v is not None
        }
        for c in spec.columns
    ]
    return out


def descriptor_yaml(data: dict[str, Any]) -> str:
    def dates_as_text(obj: Any) -> Any:
        if isinstance(obj, date):
            return obj.isoformat()
        if isinstance(obj, dict):
            return {k: dates_as_text(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [dates_as_text(v) for v in obj]
        return obj

    header = (
        f"# Source descriptor of the synthetic source {data['id']!r} (class Source of ontology/zicht.yaml).\n"
        "# Written by `zicht synth descriptors` from src/zicht/synth/sources.py; do not edit by hand.\n"
    )
    body = yaml.safe_dump(dates_as_text(data), sort_keys=False, allow_unicode=True, width=110)
    # YAML would read bare ISO dates as dates anyway; quoting-free output keeps the file readable.
    return header + body


def codes_csv(spec: SourceSpec) -> str:
    """The source's full code list: code, label, and the extract column the code appears in."""
    code_columns = [c.name for c in spec.columns if c.role in ("code", "sex")]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "label", "column"])
    for code in spec.codes:
        column = code.group if code.group and code.group in code_columns else code_columns[0]
        writer.writerow([code.code, code.label, column])
    return buf.getvalue()


def write_mappings(directory: Path, gemeenten: list[str]) -> list[Path]:
    """Write every source's descriptor and code list into a mappings directory."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in SPECS.values():
        for name, text in (
            (f"{spec.id}.source.yaml", descriptor_yaml(descriptor(spec, gemeenten))),
            (f"{spec.id}.codes.csv", codes_csv(spec)),
        ):
            path = directory / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
