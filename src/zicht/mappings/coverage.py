"""Data coverage of a mapping: which codes occur in an extract, how often, and which of them the mapping
does not assign — so a steward sees what share of the records the mapping covers."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from zicht.errors import InputError
from zicht.harmonise.extract import EXTRACT_SUFFIXES, load_extract
from zicht.harmonise.schema import quoted
from zicht.mappings.descriptor import SourceDescriptor
from zicht.mappings.mapping_set import MAPPED, UNMAPPED, MappingSet


@dataclass(frozen=True)
class CodeCount:
    column: str
    code: str
    status: str  # mapped / unmapped_code / no_term_found / no_assignable_mapping
    records: int
    share: float
    label: str


@dataclass(frozen=True)
class CoverageReport:
    source_id: str
    mapping_set_id: str
    mapping_set_version: str
    files: list[str]
    records: int  # filled code cells
    covered: int  # of which the mapping assigns a concept
    codes: list[CodeCount]

    @property
    def share_covered(self) -> float:
        return self.covered / self.records if self.records else 1.0

    def not_covered(self) -> list[CodeCount]:
        return [c for c in self.codes if c.status != MAPPED]

    def as_dict(self) -> dict[str, object]:
        return {
            "source_id": self.source_id,
            "mapping_set_id": self.mapping_set_id,
            "mapping_set_version": self.mapping_set_version,
            "files": self.files,
            "records": self.records,
            "covered": self.covered,
            "share_covered": round(self.share_covered, 6),
            "not_covered": [asdict(c) for c in self.not_covered()],
        }


def extract_paths(target: Path, descriptor: SourceDescriptor) -> list[Path]:
    if target.is_file():
        return [target]
    if not target.is_dir():
        raise InputError(f"{target}: no such file or folder")
    from fnmatch import fnmatch

    pattern = descriptor.file_pattern
    files = sorted(
        p
        for p in target.iterdir()
        if p.is_file()
        and p.suffix.lower() in EXTRACT_SUFFIXES
        and (pattern is None or fnmatch(p.name, pattern))
    )
    if not files:
        raise InputError(f"{target}: no extract files of source {descriptor.id!r} (pattern {pattern or '*'})")
    return files


def measure(target: Path, descriptor: SourceDescriptor, mapping: MappingSet) -> CoverageReport:
    code_columns = descriptor.columns_with_role("code")
    if not code_columns:
        raise InputError(f"{descriptor.path}: source {descriptor.id!r} has no code column")
    files = extract_paths(target, descriptor)
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE counts (code_column VARCHAR, code VARCHAR, n BIGINT)")
    for path in files:
        load_extract(con, path, descriptor)  # rows with undecodable bytes still count by their code
        for col in code_columns:
            con.execute(
                f"INSERT INTO counts SELECT ?, {quoted(col.name)}, count(*) FROM raw "
                f"WHERE {quoted(col.name)} IS NOT NULL GROUP BY 2",
                [col.name],
            )
    rows = con.execute(
        "SELECT code_column, code, sum(n) FROM counts GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
    ).fetchall()
    con.close()
    total = sum(int(n) for _c, _code, n in rows)
    codes = [
        CodeCount(
            column,
            code,
            mapping.status_of(code),
            int(n),
            int(n) / total if total else 0.0,
            mapping.labels.get(code, ""),
        )
        for column, code, n in rows
    ]
    covered = sum(c.records for c in codes if c.status == MAPPED)
    return CoverageReport(
        descriptor.id, mapping.mapping_set_id, mapping.version, [str(p) for p in files], total, covered, codes
    )


__all__ = ["UNMAPPED", "CodeCount", "CoverageReport", "measure"]
