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

from zicht.choices import VALIDATE_ENGINES
from zicht.errors import InputError
from zicht.mappings.descriptor import SourceDescriptor, load_descriptor
from zicht.privacy import PrivacyFinding, scan_frame
from zicht.validate.compile import Unsupported, compile_shapes
from zicht.validate.fast import run_fast
from zicht.validate.reader import FILE, ROW, ExtractTable, read_extracts
from zicht.validate.reference import run_reference
from zicht.validate.report import Report, Violation
from zicht.validate.shapes import DUPLICATE_RULE, SourceShapes, duplicate_columns, source_shapes

ENGINES = VALIDATE_ENGINES


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
    if withheld:
        violations = _confirmed_duplicates(violations, table, descriptor)
    return Report(descriptor.id, table.files, used, table.num_rows, violations, findings, notices).sorted()


def _confirmed_duplicates(
    violations: list[Violation], table: ExtractTable, descriptor: SourceDescriptor
) -> list[Violation]:
    """Drop the duplicate findings that hold only because the guard nulled a cell.

    The engines see a withheld cell as empty, so a row that differs from an earlier one only in a
    withheld value (a copy of a row with a BSN typed into its free text) would match it as "identical in
    every column". Each duplicate finding is checked again on the values as delivered (which never leave
    this function); the findings on other rules are kept as they are.
    """
    if not any(v.rule == DUPLICATE_RULE for v in violations):
        return violations
    anchors, optional = duplicate_columns(descriptor)
    data = table.frame
    complete = data[anchors].notna().all(axis=1).to_numpy()
    # Equal, or missing in both (duplicated() takes two missing values as equal), as the rule says.
    later = np.zeros(len(data), dtype=bool)
    later[complete] = data.loc[complete, anchors + optional].duplicated(keep="first").to_numpy()
    names = np.array(table.files, dtype=object)[data[FILE].to_numpy()]
    repeated = set(zip(names[later].tolist(), data[ROW].to_numpy()[later].tolist(), strict=True))
    return [v for v in violations if v.rule != DUPLICATE_RULE or (v.file, v.row) in repeated]


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
