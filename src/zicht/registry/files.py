"""Reading a registry tree.

registry/<id>.yaml                    the current version of each definition
registry/archive/<id>/<version>.yaml  earlier versions, kept so that every published version stays citable
registry/published.lock               id, version and content hash of every version ever published
                                      (append-only; it is what makes editing a published file detectable)
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from zicht import paths, yamlio
from zicht.errors import InputError
from zicht.ontology.instances import load_yaml

LOCK_NAME = "published.lock"
LOCK_FIELDS = ("id", "version", "content_hash")


@dataclass(frozen=True)
class DefinitionFile:
    path: Path
    data: dict[str, Any]
    archived: bool
    # line:column of each key and list item (from the YAML reader), for linter-style messages.
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)

    def position(self, path: tuple = ()) -> tuple[int, int]:
        """Where ``path`` is in the file, or its nearest ancestor that is (the root is 1:1)."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


@dataclass(frozen=True)
class UnreadableFile:
    """A registry file that is not a definition at all (bad YAML, not a mapping): reported, not fatal."""

    path: Path
    line: int | None
    column: int | None
    rule: str
    message: str


def iter_definition_files(root: Path | None = None) -> Iterator[Path]:
    root = root or paths.registry_dir()
    yield from sorted(root.glob("*.yaml"))
    yield from sorted((root / "archive").glob("*/*.yaml"))


def read_definition(path: Path) -> dict[str, Any]:
    return read_definition_file(path).data


def read_definition_file(path: Path, root: Path | None = None) -> DefinitionFile:
    data, positions = _load_with_positions(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: a definition file must hold one mapping (id, version, ...), got {type(data).__name__}")
    archived = root is not None and path.parent != root
    return DefinitionFile(path, _stringify_dates(data), archived, positions)


def _load_with_positions(path: Path) -> tuple[Any, dict[tuple, tuple[int, int]]]:
    doc = yamlio.load_file_document(path)
    return doc.data, doc.positions


def load_registry(root: Path | None = None) -> list[DefinitionFile]:
    """Every readable definition file; raises on the first unreadable one (see `scan_registry`)."""
    files, unreadable = scan_registry(root)
    if unreadable:
        u = unreadable[0]
        where = f":{u.line}:{u.column}" if u.line is not None else ""
        raise InputError(f"{u.path}{where}: {u.message}")
    return files


def scan_registry(root: Path | None = None) -> tuple[list[DefinitionFile], list[UnreadableFile]]:
    """The definition files of a registry tree, and the files among them that cannot be read."""
    root = root or paths.registry_dir()
    files: list[DefinitionFile] = []
    unreadable: list[UnreadableFile] = []
    for p in iter_definition_files(root):
        try:
            files.append(read_definition_file(p, root))
        except InputError as exc:
            line, column = getattr(exc, "line", None), getattr(exc, "column", None)
            message = getattr(exc, "detail", None) or _strip_path(str(exc), p)
            unreadable.append(UnreadableFile(p, line, column, getattr(exc, "rule", "yaml"), message))
    return files, unreadable


def _strip_path(message: str, path: Path) -> str:
    prefix = f"{path}:"
    return message[len(prefix):].strip() if message.startswith(prefix) else message


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
