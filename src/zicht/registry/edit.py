"""Writing registry files: publish a draft, start a new version (archiving the frozen one)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from zicht import paths
from zicht.errors import ZichtError
from zicht.registry.files import append_lock, read_definition, write_definition
from zicht.registry.lifecycle import FROZEN, new_version, transition


def current_path(definition_id: str, root: Path | None = None) -> Path:
    path = (root or paths.registry_dir()) / f"{definition_id}.yaml"
    if not path.is_file():
        raise ZichtError(f"no definition {definition_id!r} in {path.parent}")
    return path


def publish(definition_id: str, root: Path | None = None, today: date | None = None) -> dict[str, Any]:
    path = current_path(definition_id, root)
    published = transition(read_definition(path), "published", today=today)
    write_definition(path, published)
    append_lock([(published["id"], published["version"], published["content_hash"])], root)
    return published


def set_status(definition_id: str, status: str, root: Path | None = None) -> dict[str, Any]:
    if status == "published":
        return publish(definition_id, root)
    path = current_path(definition_id, root)
    moved = transition(read_definition(path), status)
    write_definition(path, moved)
    return moved


def start_new_version(
    definition_id: str, part: str, root: Path | None = None, today: date | None = None
) -> dict[str, Any]:
    root = root or paths.registry_dir()
    path = current_path(definition_id, root)
    old = read_definition(path)
    if old.get("status") not in FROZEN:
        raise ZichtError(
            f"{definition_id} {old.get('version')} is still a {old.get('status')}: edit it in place"
        )
    archive = root / "archive" / definition_id / f"{old['version']}.yaml"
    if archive.exists():
        raise ZichtError(f"{archive} already exists")
    archive.parent.mkdir(parents=True, exist_ok=True)
    archive.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    draft = new_version(old, part, today=today)
    write_definition(path, draft)
    return draft
