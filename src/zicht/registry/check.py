"""`zicht registry check`: every definition file valid, and the lifecycle rules kept across the tree.

Reported as a linter does: every file is checked even when another is broken, one message per problem,
each at `file:line:column` with its rule and, where a key, concept or source is misspelt, the nearest
known one. The per-document checks are `zicht.registry.lint.check_document` (also behind the API's
validation); this module adds what needs the whole tree: file names, versions, published.lock.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zicht import paths
from zicht.errors import ZichtError
from zicht.findings import Finding
from zicht.registry.files import LOCK_NAME, DefinitionFile, read_lock, scan_registry, source_kinds
from zicht.registry.lifecycle import FROZEN, parse_version
from zicht.registry.lint import check_document
from zicht.registry.normalise import content_hash


@dataclass(frozen=True)
class CheckReport:
    root: Path
    files: int
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "error"]


def check_registry(root: Path | None = None, mappings: Path | None = None) -> list[Finding]:
    return run_check(root, mappings).findings


def run_check(root: Path | None = None, mappings: Path | None = None) -> CheckReport:
    root = root or paths.registry_dir()
    if not root.is_dir():
        raise ZichtError(f"registry folder not found: {root}")
    files, unreadable = scan_registry(root)
    kinds = source_kinds(mappings) or None
    out: list[Finding] = []
    for u in unreadable:
        out.append(Finding(_rel(u.path, root), u.line or 1, u.column or 1, f"yaml-{u.rule}", u.message))
    for f in files:
        out.extend(_check_file(f, root, kinds))
    out.extend(_check_versions(files, root))
    out.extend(_check_lock(files, root))
    return CheckReport(root, len(files) + len(unreadable), sorted(set(out)))


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _at(
    f: DefinitionFile,
    root: Path,
    path: tuple,
    rule: str,
    message: str,
    severity: str = "error",
    suggestion: str | None = None,
) -> Finding:
    line, column = f.position(path)
    return Finding(_rel(f.path, root), line, column, rule, message, severity, suggestion)


def _check_file(f: DefinitionFile, root: Path, kinds: dict[str, str] | None) -> list[Finding]:
    out = [
        _at(f, root, p.path, p.rule, p.message, p.severity, p.suggestion)
        for p in check_document(f.data, kinds)
    ]
    did, version, status = f.data.get("id"), f.data.get("version"), f.data.get("status")
    expected = root / "archive" / str(did) / f"{version}.yaml" if f.archived else root / f"{did}.yaml"
    if f.path != expected:
        where = _rel(expected, root)
        message = f"a definition with id {did!r} version {version!r} belongs in {where}"
        out.append(_at(f, root, ("id",), "file-name", message))
    # A document with schema errors may not normalise, so its hash is not judged until they are fixed.
    if not any(x.rule.startswith("schema") for x in out):
        out.extend(_hash_findings(f, root))
    if status == "published" and not f.data.get("published"):
        message = "a published version needs its publication date (published)"
        out.append(_at(f, root, ("status",), "published-date", message))
    return out


def _hash_findings(f: DefinitionFile, root: Path) -> list[Finding]:
    """A frozen version carries its current content hash; a draft's recorded hash, if any, is current."""
    actual = _hash(f.data)
    if actual is None:
        return []
    version, status, recorded = f.data.get("version"), f.data.get("status"), f.data.get("content_hash")
    if status in FROZEN and not recorded:
        message = f"a {status} version must carry its content_hash ({actual})"
        return [_at(f, root, ("status",), "hash-present", message)]
    if recorded and recorded != actual:
        if status in FROZEN:
            message = (
                f"content of {status} version {version} changed (recorded {recorded}, now {actual}); "
                "restore it and make a new version"
            )
            return [_at(f, root, ("content_hash",), "published-immutable", message)]
        message = f"content_hash of this draft is stale (now {actual})"
        return [_at(f, root, ("content_hash",), "hash-current", message, "warning")]
    return []


def _hash(data: dict[str, Any]) -> str | None:
    """The content hash, or None for a document too broken to normalise (its schema errors say why)."""
    try:
        return content_hash(data)
    except (TypeError, KeyError, ValueError, AttributeError):
        return None


def _check_versions(files: list[DefinitionFile], root: Path) -> list[Finding]:
    out: list[Finding] = []
    by_id: dict[str, list[DefinitionFile]] = defaultdict(list)
    for f in files:
        by_id[str(f.data.get("id"))].append(f)
    for did, versions in by_id.items():
        seen: dict[str, DefinitionFile] = {}
        parsed = {}
        for f in versions:
            v = str(f.data.get("version"))
            if v in seen:
                out.append(
                    _at(
                        f,
                        root,
                        ("version",),
                        "unique-id-version",
                        f"{did} {v} is also in {_rel(seen[v].path, root)}",
                    )
                )
            seen[v] = f
            try:
                parsed[v] = parse_version(v)
            except ZichtError:
                continue  # the schema check already reports it
        current = [f for f in versions if not f.archived]
        if len(current) == 1 and str(current[0].data.get("version")) in parsed:
            cur_v = parse_version(str(current[0].data["version"]))
            for f in versions:
                v = str(f.data.get("version"))
                if f.archived and v in parsed and parsed[v] >= cur_v:
                    out.append(
                        _at(
                            f,
                            root,
                            ("version",),
                            "archive-older",
                            f"archived version {v} is not older than the current {current[0].data['version']}",
                        )
                    )
        for f in versions:
            sup = f.data.get("supersedes")
            if sup and str(sup) not in seen:
                out.append(
                    _at(
                        f,
                        root,
                        ("supersedes",),
                        "supersedes-exists",
                        f"supersedes {sup}, but no file holds {did} {sup}",
                        suggestion=None,
                    )
                )
    return out


def _check_lock(files: list[DefinitionFile], root: Path) -> list[Finding]:
    out: list[Finding] = []
    lock_name = _rel(root / LOCK_NAME, root)
    by_key = {(str(f.data.get("id")), str(f.data.get("version"))): f for f in files}
    locked = set()
    try:
        entries = read_lock(root)
    except ZichtError as exc:
        return [Finding(lock_name, 1, 1, "lock-format", str(exc).split(": ", 1)[-1])]
    for entry in entries:
        key = (entry["id"], entry["version"])
        locked.add(key)
        f = by_key.get(key)
        if f is None:
            out.append(
                Finding(
                    lock_name,
                    1,
                    1,
                    "published-kept",
                    f"published {key[0]} {key[1]} has no file any more; published versions stay "
                    "citable (keep it under archive/)",
                )
            )
        elif _hash(f.data) != entry["content_hash"]:
            out.append(
                _at(
                    f,
                    root,
                    (),
                    "published-immutable",
                    f"{key[0]} {key[1]} differs from the version published with {entry['content_hash']}; "
                    "make a new version instead",
                )
            )
    for key, f in by_key.items():
        if f.data.get("status") in FROZEN and key not in locked:
            out.append(
                _at(
                    f,
                    root,
                    ("status",),
                    "published-locked",
                    f"{key[0]} {key[1]} is {f.data.get('status')} but not in {LOCK_NAME}; publish with "
                    "`zicht registry publish`",
                )
            )
    return out
