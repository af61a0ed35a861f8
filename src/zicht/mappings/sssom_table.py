"""Read an SSSOM TSV file as written: the YAML metadata block and every data row with its line number.

sssom-py is used by the linter as a second opinion, but it normalises while parsing (malformed rows
vanish, a missing justification becomes `semapv:UnspecifiedMatching`), so the steward-facing checks
run on this literal reading instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zicht import yamlio
from zicht.errors import InputError

# A metadata block is a few dozen lines; a deeply nested or huge one is refused, not parsed.
MAX_LINE_CHARS = 100_000
_METADATA_LIMITS = yamlio.Limits(
    max_bytes=1024 * 1024, max_depth=16, max_mapping_keys=500, max_nodes=20_000, max_scalar_chars=20_000
)

# Columns every zicht mapping row must have (SSSOM's own minimum plus what stewards need to judge a row).
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
EXPECTED_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "author_id",
    "mapping_date",
    "comment",
)
# Slots of the SSSOM Mapping class that may appear as extra columns.
KNOWN_COLUMNS = frozenset(
    EXPECTED_COLUMNS
    + (
        "subject_category",
        "subject_type",
        "subject_source",
        "subject_source_version",
        "predicate_label",
        "predicate_modifier",
        "object_category",
        "object_type",
        "object_source",
        "object_source_version",
        "author_label",
        "reviewer_id",
        "reviewer_label",
        "creator_id",
        "creator_label",
        "license",
        "mapping_provider",
        "mapping_tool",
        "mapping_tool_version",
        "publication_date",
        "see_also",
        "other",
        "issue_tracker_item",
        "curation_rule",
        "curation_rule_text",
        "subject_match_field",
        "object_match_field",
        "match_string",
        "subject_preprocessing",
        "object_preprocessing",
        "similarity_score",
        "similarity_measure",
        "mapping_cardinality",
        "mapping_source",
    )
)
# Prefixes the SSSOM specification makes available without declaration.
BUILTIN_PREFIXES = {
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sssom": "https://w3id.org/sssom/",
}


@dataclass(frozen=True)
class MappingRow:
    """One data row: `line` is its line number in the file, `cells` the values by column name."""

    line: int
    cells: dict[str, str]
    n_fields: int

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


@dataclass
class SSSOMTable:
    path: Path
    metadata: dict[str, Any]
    metadata_lines: dict[str, int]  # metadata key → line number, to point findings at the header
    header_line: int  # line number of the column header row (0 when missing)
    columns: list[str]
    rows: list[MappingRow]
    sha256: str
    problems: list[tuple[int, str, str]] = field(
        default_factory=list
    )  # (line, rule, message) found while reading

    @property
    def curie_map(self) -> dict[str, str]:
        cm = self.metadata.get("curie_map")
        return {str(k): str(v) for k, v in cm.items()} if isinstance(cm, dict) else {}

    @property
    def prefixes(self) -> dict[str, str]:
        return {**BUILTIN_PREFIXES, **self.curie_map}

    @property
    def mapping_set_id(self) -> str:
        return str(self.metadata.get("mapping_set_id") or "")

    @property
    def mapping_set_version(self) -> str:
        return str(self.metadata.get("mapping_set_version") or "")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (was it removed while zicht was reading?)") from None
    return "sha256:" + digest.hexdigest()


def read_sssom_tsv(path: Path) -> SSSOMTable:
    """Read the metadata block (leading `#` lines, YAML) and the TSV rows without repairing anything."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    lines = text.splitlines()
    problems: list[tuple[int, str, str]] = []

    meta_lines: list[str] = []
    first_data = 0
    while first_data < len(lines) and lines[first_data].startswith("#"):
        meta_lines.append(lines[first_data][1:])
        first_data += 1
    metadata: dict[str, Any] = {}
    metadata_lines: dict[str, int] = {}
    if meta_lines:
        try:
            # The block starts on line 1 of the file, so the reader's line numbers are the file's.
            loaded = yamlio.load("\n".join(meta_lines), name=path.name, limits=_METADATA_LIMITS)
        except yamlio.YamlError as exc:
            problems.append(
                (
                    exc.line or 1,
                    "metadata_yaml",
                    f"metadata block is not valid YAML: {exc.rule}: {exc.detail}",
                )
            )
            loaded = {}
        if isinstance(loaded, dict):
            metadata = loaded
        elif loaded is not None:
            problems.append((1, "metadata_yaml", "metadata block must be a YAML mapping of keys to values"))
        for number, raw in enumerate(meta_lines, start=1):
            if raw and not raw[0].isspace() and ":" in raw:
                metadata_lines.setdefault(raw.split(":", 1)[0].strip(), number)

    body = lines[first_data:]
    if not body or not body[0].strip():
        problems.append((first_data + 1, "columns", "no column header row after the metadata block"))
        return SSSOMTable(path, metadata, metadata_lines, 0, [], [], file_sha256(path), problems)
    # Lines are independent without quoting, so each is split on its own: one over-long field costs its
    # row a finding, not the file a crash.
    columns = [c.strip() for c in body[0].split("\t")]
    header_line = first_data + 1
    rows: list[MappingRow] = []
    for offset, text in enumerate(body[1:], start=1):
        line = header_line + offset
        if len(text) > MAX_LINE_CHARS:
            problems.append(
                (line, "row_shape", f"line of {len(text):,} characters; at most {MAX_LINE_CHARS:,}")
            )
            continue
        fields = text.split("\t") if text else []
        if not fields or all(not f.strip() for f in fields):
            continue  # blank lines carry no mapping
        cells = {col: (fields[i] if i < len(fields) else "") for i, col in enumerate(columns)}
        rows.append(MappingRow(line, cells, len(fields)))
    return SSSOMTable(path, metadata, metadata_lines, header_line, columns, rows, file_sha256(path), problems)
