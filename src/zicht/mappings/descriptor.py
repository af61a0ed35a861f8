"""The source descriptor (`mappings/<source>.source.yaml`, class `Source`): what harmonise needs to read
an extract — its columns by role, delimiter, encoding, period and coverage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from zicht import yamlio
from zicht.errors import InputError
from zicht.ontology.instances import jsonschema_findings


@dataclass(frozen=True)
class Column:
    name: str
    role: str
    datatype: str
    required: bool
    pattern: str | None


@dataclass(frozen=True)
class SourceDescriptor:
    path: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def code_system(self) -> str:
        return str(self.data["code_system"])

    @property
    def code_prefix(self) -> str:
        """The CURIE prefix of the source's codes (the part of `code_system` before the colon)."""
        return self.code_system.split(":", 1)[0]

    @property
    def mapping_set_id(self) -> str | None:
        value = self.data.get("mapping_set_id")
        return str(value) if value else None

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return _date(self.data["period_start"]), _date(self.data["period_end"])

    @property
    def delimiter(self) -> str:
        return str(self.data.get("delimiter") or ",")

    @property
    def encoding(self) -> str:
        return str(self.data.get("encoding") or "utf-8")

    @property
    def file_pattern(self) -> str | None:
        value = self.data.get("file_pattern")
        return str(value) if value else None

    @property
    def columns(self) -> list[Column]:
        return [
            Column(
                name=str(c["name"]),
                role=str(c["role"]),
                datatype=str(c["datatype"]),
                required=bool(c.get("required", False)),
                pattern=str(c["pattern"]) if c.get("pattern") else None,
            )
            for c in self.data.get("columns") or []
        ]

    def columns_with_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    def column(self, role: str) -> Column | None:
        """The single column with ``role``; an error when the descriptor declares several."""
        found = self.columns_with_role(role)
        if len(found) > 1:
            names = ", ".join(c.name for c in found)
            raise InputError(f"{self.path}: source {self.id!r} declares several {role} columns ({names}); expected one")
        return found[0] if found else None

    @property
    def coverage(self) -> list[dict[str, Any]]:
        return list(self.data.get("coverage") or [])


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _read_yaml(path: Path) -> Any:
    return yamlio.load_file(path)


@lru_cache(maxsize=256)
def _load_cached(path: Path, mtime_ns: int) -> SourceDescriptor:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: a source descriptor must be a YAML mapping")
    # Files may wrap the instance as {class: Source, instance: {...}} like the ontology examples.
    if "instance" in data and isinstance(data["instance"], dict):
        data = data["instance"]
    problems = jsonschema_findings("Source", data)
    if problems:
        first = problems[0]
        raise InputError(f"{path}: not a valid Source descriptor: {first} ({len(problems)} problem(s))")
    return SourceDescriptor(path, data)


def load_descriptor(path: Path) -> SourceDescriptor:
    """Read and check a source descriptor (JSON Schema of the `Source` class)."""
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise InputError(f"{path}: no such source descriptor") from None
    return _load_cached(path.resolve(), mtime)


def descriptor_paths(mappings_dir: Path) -> list[Path]:
    return sorted(mappings_dir.glob("*.source.yaml"))
