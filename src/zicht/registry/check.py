"""`zicht registry check`: every definition file valid, and the lifecycle rules kept across the tree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from zicht import paths
from zicht.errors import ZichtError
from zicht.ontology.instances import validate_instance
from zicht.registry.files import LOCK_NAME, DefinitionFile, load_registry, read_lock, source_kinds
from zicht.registry.lifecycle import FROZEN, parse_version
from zicht.registry.normalise import content_hash
from zicht.registry.rules import check_rules


@dataclass(frozen=True, order=True)
class RegistryFinding:
    file: str
    rule: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}: {self.severity}: {self.rule}: {self.message}"


def check_registry(root: Path | None = None, mappings: Path | None = None) -> list[RegistryFinding]:
    root = root or paths.registry_dir()
    if not root.is_dir():
        raise ZichtError(f"registry folder not found: {root}")
    files = load_registry(root)
    kinds = source_kinds(mappings) or None
    out: list[RegistryFinding] = []
    for f in files:
        out.extend(_check_file(f, root, kinds))
    out.extend(_check_versions(files, root))
    out.extend(_check_lock(files, root))
    return sorted(out)


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _check_file(f: DefinitionFile, root: Path, kinds: dict[str, str] | None) -> list[RegistryFinding]:
    name = _rel(f.path, root)
    out = [RegistryFinding(name, f"schema:{x.rule}", str(x)) for x in validate_instance("Definition", f.data)]
    out += [RegistryFinding(name, x.rule, f"{x.path}: {x.message}") for x in check_rules(f.data, kinds)]
    did, version, status = f.data.get("id"), f.data.get("version"), f.data.get("status")
    expected = root / "archive" / str(did) / f"{version}.yaml" if f.archived else root / f"{did}.yaml"
    if f.path != expected:
        out.append(RegistryFinding(name, "file-name", f"a definition with id {did!r} version {version!r} belongs in {_rel(expected, root)}"))
    recorded = f.data.get("content_hash")
    if "criteria" in f.data and "logic" in f.data:
        actual = content_hash(f.data)
        if status in FROZEN and not recorded:
            out.append(RegistryFinding(name, "hash-present", f"a {status} version must carry its content_hash ({actual})"))
        elif recorded and recorded != actual:
            if status in FROZEN:
                out.append(RegistryFinding(name, "published-immutable",
                                           f"content of {status} version {version} changed (recorded {recorded}, now {actual}); "
                                           "restore it and make a new version"))
            else:
                out.append(RegistryFinding(name, "hash-current", f"content_hash of this draft is stale (now {actual})", "warning"))
    if status == "published" and not f.data.get("published"):
        out.append(RegistryFinding(name, "published-date", "a published version needs its publication date (published)"))
    return out


def _check_versions(files: list[DefinitionFile], root: Path) -> list[RegistryFinding]:
    out: list[RegistryFinding] = []
    by_id: dict[str, list[DefinitionFile]] = defaultdict(list)
    for f in files:
        by_id[str(f.data.get("id"))].append(f)
    for did, versions in by_id.items():
        seen: dict[str, DefinitionFile] = {}
        parsed = {}
        for f in versions:
            v = str(f.data.get("version"))
            if v in seen:
                out.append(RegistryFinding(_rel(f.path, root), "unique-id-version", f"{did} {v} is also in {_rel(seen[v].path, root)}"))
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
                    out.append(RegistryFinding(_rel(f.path, root), "archive-older", f"archived version {v} is not older than the current {current[0].data['version']}"))
        for f in versions:
            sup = f.data.get("supersedes")
            if sup and str(sup) not in seen:
                out.append(RegistryFinding(_rel(f.path, root), "supersedes-exists", f"supersedes {sup}, but no file holds {did} {sup}"))
    return out


def _check_lock(files: list[DefinitionFile], root: Path) -> list[RegistryFinding]:
    out: list[RegistryFinding] = []
    lock_name = _rel(root / LOCK_NAME, root)
    by_key = {(str(f.data.get("id")), str(f.data.get("version"))): f for f in files}
    locked = set()
    for entry in read_lock(root):
        key = (entry["id"], entry["version"])
        locked.add(key)
        f = by_key.get(key)
        if f is None:
            out.append(RegistryFinding(lock_name, "published-kept", f"published {key[0]} {key[1]} has no file any more; published versions stay citable (keep it under archive/)"))
        elif content_hash(f.data) != entry["content_hash"]:
            out.append(RegistryFinding(_rel(f.path, root), "published-immutable",
                                       f"{key[0]} {key[1]} differs from the version published with {entry['content_hash']}; make a new version instead"))
    for key, f in by_key.items():
        if f.data.get("status") in FROZEN and key not in locked:
            out.append(RegistryFinding(_rel(f.path, root), "published-locked", f"{key[0]} {key[1]} is {f.data.get('status')} but not in {LOCK_NAME}; publish with `zicht registry publish`"))
    return out
