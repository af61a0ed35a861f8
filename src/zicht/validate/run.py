"""Validating extracts of one source: read, privacy guard, then the chosen engine.

``validate_extracts`` is what the CLI (and any other caller) uses. The privacy guard runs before either
engine: a cell that looks like a direct identifier is reported masked and withheld (nulled) from the
table the engines see, and results on withheld cells are dropped, so the value can never reach a report
through a SHACL result. ``engine="fast"`` or ``"auto"`` compiles the shapes; if any shape is not
supported, the reference engine runs instead and the report carries a notice saying why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zicht.errors import InputError
from zicht.mappings.descriptor import SourceDescriptor, load_descriptor
from zicht.privacy import PrivacyFinding, scan_frame
from zicht.validate.compile import Unsupported, compile_shapes
from zicht.validate.fast import run_fast
from zicht.validate.reader import FILE, ROW, ExtractTable, read_extracts
from zicht.validate.reference import run_reference
from zicht.validate.report import Report, Violation
from zicht.validate.shapes import SourceShapes, source_shapes

ENGINES = ("reference", "fast", "auto")


def find_descriptor(source: str, mappings_dir: Path) -> SourceDescriptor:
    """``source`` is a source id (looked up as ``<mappings_dir>/<id>.source.yaml``) or a descriptor path."""
    candidate = Path(source)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return load_descriptor(candidate)
    path = mappings_dir / f"{source}.source.yaml"
    if not path.is_file():
        known = sorted(p.name.removesuffix(".source.yaml") for p in mappings_dir.glob("*.source.yaml"))
        raise InputError(f"unknown source {source!r}: no {path} (known: {', '.join(known) or 'none'})")
    return load_descriptor(path)


def validate_extracts(
    paths: list[Path],
    descriptor: SourceDescriptor,
    *,
    engine: str = "auto",
    shapes: SourceShapes | None = None,
) -> Report:
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if not descriptor.columns:
        raise InputError(f"{descriptor.path}: the descriptor lists no columns, so extracts cannot be checked")
    table = read_extracts(paths, descriptor)
    shapes = shapes or source_shapes(descriptor)
    notices = list(shapes.notices)
    findings, guarded, withheld = guard(table, descriptor)
    violations, used = run_engine(guarded, shapes, engine, notices)
    violations = [
        v
        for v in violations
        if (v.file, v.row, v.column) not in withheld and (v.file, None, v.column) not in withheld
    ]
    return Report(descriptor.id, table.files, used, table.num_rows, violations, findings, notices).sorted()


def run_engine(
    table: ExtractTable, shapes: SourceShapes, engine: str, notices: list[str]
) -> tuple[list[Violation], str]:
    if engine == "reference":
        return run_reference(table, shapes), "reference"
    try:
        checks = compile_shapes(shapes)
    except Unsupported as exc:
        notices.append(f"fast engine unavailable ({exc}); used the reference engine instead")
        return run_reference(table, shapes), "reference"
    return run_fast(table, checks, dict(shapes.datatypes)), "fast"


def guard(
    table: ExtractTable, descriptor: SourceDescriptor
) -> tuple[list[PrivacyFinding], ExtractTable, set]:
    """Privacy findings, the table with offending cells nulled, and the withheld (file, row, column) cells."""
    roles = {c.name: c.role for c in descriptor.columns}
    data = table.frame
    file_index = data[FILE].to_numpy()
    findings: list[PrivacyFinding] = []
    for index, name in enumerate(table.files):
        part = data.loc[file_index == index, table.column_names()]
        if len(part):
            findings.extend(scan_frame(part, file=name, roles=roles, first_row=1))
    if not findings:
        return findings, table, set()
    withheld = {(f.file, f.row, f.column) for f in findings}
    names = np.array(table.files, dtype=object)[file_index]
    rows = data[ROW].to_numpy()
    keys_by_column: dict[str, set] = {}
    for f in findings:
        keys_by_column.setdefault(f.column, set()).add((f.file, f.row))
    data = data.copy()
    for column, keys in keys_by_column.items():
        if column not in data.columns:
            continue
        mask = np.array(
            [((n, None) in keys) or ((n, int(r)) in keys) for n, r in zip(names, rows, strict=True)],
            dtype=bool,
        )
        values = data[column].to_numpy(dtype=object).copy()
        values[mask] = None
        data[column] = pd.Series(values, index=data.index, dtype=object)
    return findings, ExtractTable(data, table.files), withheld
