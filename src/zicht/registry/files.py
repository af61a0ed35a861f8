"""Reading a registry tree.

registry/<id>.yaml                    the current version of each definition
registry/archive/<id>/<version>.yaml  earlier versions, kept so that every published version stays citable
registry/published.lock               id, version and content hash of every version ever published
                                      (append-only; it is what makes editing a published file detectable)
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from zicht import paths
from zicht.errors import InputError
from zicht.ontology.instances import load_yaml

LOCK_NAME = "published.lock"
LOCK_FIELDS = ("id", "version", "content_hash")


@dataclass(frozen=True)
class DefinitionFile:
    path: Path
    data: dict[str, Any]
    archived: bool


def iter_definition_files(root: Path | None = None) -> Iterator[Path]:
    root = root or paths.registry_dir()
    yield from sorted(root.glob("*.yaml"))
    yield from sorted((root / "archive").glob("*/*.yaml"))


def read_definition(path: Path) -> dict[str, Any]:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: a definition file must hold one mapping (id, version, ...), got {type(data).__name__}")
    return _stringify_dates(data)


def load_registry(root: Path | None = None) -> list[DefinitionFile]:
    root = root or paths.registry_dir()
    return [DefinitionFile(p, read_definition(p), p.parent != root) for p in iter_definition_files(root)]


def read_lock(root: Path | None = None) -> list[dict[str, str]]:
    lock = (root or paths.registry_dir()) / LOCK_NAME
    if not lock.is_file():
        return []
    with lock.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))
    for i, row in enumerate(rows, start=1):
        if set(row) != set(LOCK_FIELDS) or any(not row[f] for f in LOCK_FIELDS):
            raise InputError(f"{lock}: row {i}: expected tab-separated {', '.join(LOCK_FIELDS)}")
    return rows


def append_lock(entries: list[tuple[str, str, str]], root: Path | None = None) -> None:
    lock = (root or paths.registry_dir()) / LOCK_NAME
    new = not lock.is_file()
    with lock.open("a", encoding="utf-8", newline="") as fh:
        if new:
            fh.write("# Append-only: every published definition version and its content hash. Never edit lines.\n")
            fh.write("\t".join(LOCK_FIELDS) + "\n")
        for entry in entries:
            fh.write("\t".join(entry) + "\n")


def source_kinds(root: Path | None = None) -> dict[str, str]:
    """Known source ids and their kind, from the source descriptors in mappings/."""
    files = sorted((root or paths.mappings_dir()).glob("*.source.yaml"))
    # Keyed on names and modification times: comparisons ask for this on every run, and the descriptors
    # (with their coverage lists) are large.
    return dict(_source_kinds(tuple((str(p), p.stat().st_mtime_ns) for p in files)))


@lru_cache(maxsize=8)
def _source_kinds(files: tuple[tuple[str, int], ...]) -> tuple[tuple[str, str], ...]:
    kinds = []
    for name, _mtime in files:
        data = load_yaml(Path(name))
        if isinstance(data, dict) and data.get("id") and data.get("kind"):
            kinds.append((str(data["id"]), str(data["kind"])))
    return tuple(kinds)


def _stringify_dates(value: Any) -> Any:
    # YAML turns 2024-10-01 into a date; the model and the hash use ISO strings.
    from datetime import date

    if isinstance(value, dict):
        return {k: _stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_dates(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
