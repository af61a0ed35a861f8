"""Reading a registry tree.

registry/<id>.yaml                    the current version of each definition
registry/archive/<id>/<version>.yaml  earlier versions, kept so that every published version stays citable
registry/published.lock               id, version and content hash of every version ever published
                                      (append-only; it is what makes editing a published file detectable)
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

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
        return yamlio.nearest_position(self.positions, path)


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
        raise InputError(
            f"{path}: a definition file must hold one mapping (id, version, ...), got {type(data).__name__}"
        )
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
    return message[len(prefix) :].strip() if message.startswith(prefix) else message


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
            fh.write(
                "# Append-only: every published definition version and its content hash. Never edit lines.\n"
            )
            fh.write("\t".join(LOCK_FIELDS) + "\n")
        for entry in entries:
            fh.write("\t".join(entry) + "\n")


# The order a definition file is written in: what it is, who owns it, what it means, its history.
KEY_ORDER = (
    "id",
    "version",
    "status",
    "author",
    "title",
    "description",
    "domains",
    "population",
    "reference_period",
    "criteria",
    "logic",
    "references",
    "supersedes",
    "changelog",
    "created",
    "published",
    "content_hash",
)
CRITERION_ORDER = (
    "id",
    "label",
    "concepts",
    "include_narrower",
    "sources",
    "window_months",
    "min_occurrences",
    "min_span_days",
    "value_min",
    "value_max",
    "age_min",
    "age_max",
)
LOGIC_ORDER = ("op", "k", "operands", "groups")


def file_document(definition: dict[str, Any]) -> dict[str, Any]:
    """The document as the registry keeps it: keys in a fixed order, empty values left out, and a draft
    without a content hash (a draft's hash changes with every edit; publishing stamps it)."""
    doc = {k: v for k, v in definition.items() if v is not None}
    if doc.get("status", "draft") == "draft":
        doc.pop("content_hash", None)
    out = _ordered(doc, KEY_ORDER)
    if isinstance(out.get("criteria"), list):
        out["criteria"] = [
            _ordered(c, CRITERION_ORDER) if isinstance(c, dict) else c for c in out["criteria"]
        ]
    if isinstance(out.get("logic"), dict):
        out["logic"] = _ordered_logic(out["logic"])
    return out


def _ordered(d: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    first = {k: d[k] for k in order if k in d and d[k] is not None}
    return {**first, **{k: v for k, v in d.items() if k not in first and v is not None}}


def _ordered_logic(node: dict[str, Any]) -> dict[str, Any]:
    out = _ordered(node, LOGIC_ORDER)
    if isinstance(out.get("groups"), list):
        out["groups"] = [_ordered_logic(g) if isinstance(g, dict) else g for g in out["groups"]]
    if not out.get("groups"):
        out.pop("groups", None)
    return out


def document_hash(definition: dict[str, Any]) -> str:
    """Hash of everything a definition file says (content and lifecycle), as `file_document` writes it."""
    text = json.dumps(
        file_document(_stringify_dates(definition)),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def definition_path(root: Path, definition_id: str, version: str, current: bool) -> Path:
    return root / f"{definition_id}.yaml" if current else root / "archive" / definition_id / f"{version}.yaml"


def dump_definition(definition: dict[str, Any]) -> str:
    return yaml.safe_dump(file_document(definition), sort_keys=False, allow_unicode=True, width=100)


def write_definition(path: Path, definition: dict[str, Any]) -> None:
    """Write atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(dump_definition(definition))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def source_kinds(root: Path | None = None) -> dict[str, str]:
    """Known source ids and their kind, from the source descriptors in mappings/."""
    return {sid: str(info["kind"]) for sid, info in source_catalogue(root).items()}


def source_catalogue(root: Path | None = None) -> dict[str, dict[str, str | None]]:
    """Known sources: id → kind, title and declared period (period_start, period_end), from the descriptors."""
    files = sorted((root or paths.mappings_dir()).glob("*.source.yaml"))
    # Keyed on names and modification times: comparisons ask for this on every run, and the descriptors
    # (with their coverage lists) are large.
    return {
        sid: dict(info)
        for sid, info in _source_catalogue(tuple((str(p), p.stat().st_mtime_ns) for p in files))
    }


@lru_cache(maxsize=8)
def _source_catalogue(
    files: tuple[tuple[str, int], ...],
) -> tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...]:
    out = []
    for name, _mtime in files:
        data = load_yaml(Path(name))
        if isinstance(data, dict) and data.get("id") and data.get("kind"):
            info = {
                "kind": str(data["kind"]),
                "title": _str_or_none(data.get("title")),
                "period_start": _str_or_none(data.get("period_start")),
                "period_end": _str_or_none(data.get("period_end")),
            }
            out.append((str(data["id"]), tuple(info.items())))
    return tuple(out)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


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
