"""Runs and stores as `zicht explain` sees them: what a run manifest says it used, and what a store holds.

A comparison run (zicht compare, zicht demo, the API's /counts) records in its manifest the definition
versions (id, version, content hash), the store it ran on (content hash of the store manifest), the
reference date and the level. A store's own manifest (manifest.json, written by zicht harmonise) says
per source which extract files went in (their SHA-256 and the source descriptor: the **data
snapshot**) and which SSSOM mapping set translated their codes (the **mapping set version**). Two stores
with the same files and other mapping sets differ only in mappings; the same mapping sets and other files
only in data.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zicht.errors import InputError

CSV_MANIFEST_PREFIX = "# zicht compare manifest: "


@dataclass(frozen=True)
class Run:
    label: str
    manifest: dict[str, Any]

    @property
    def definitions(self) -> list[dict[str, str]]:
        return [
            {
                "id": str(d["id"]),
                "version": str(d.get("version", "")),
                "content_hash": str(d.get("content_hash", "")),
            }
            for d in self.manifest.get("definitions") or []
        ]

    @property
    def reference_date(self) -> dt.date:
        return dt.date.fromisoformat(str(self.manifest["reference_date"]))

    @property
    def level(self) -> str:
        return str(self.manifest.get("level", "gemeente"))

    @property
    def store_content_hash(self) -> str | None:
        return (self.manifest.get("store") or {}).get("content_hash")

    @property
    def store_manifest_sha256(self) -> str | None:
        return (self.manifest.get("store") or {}).get("manifest_sha256")


def run_from_manifest(manifest: Any, label: str) -> Run:
    if isinstance(manifest, dict) and isinstance(manifest.get("manifest"), dict):
        manifest = manifest["manifest"]
    if not isinstance(manifest, dict):
        raise InputError(
            f"{label}: not a run manifest (a JSON object from zicht compare or the API's counts)"
        )
    missing = [k for k in ("definitions", "reference_date", "store") if k not in manifest]
    if missing:
        raise InputError(f"{label}: not a run manifest of zicht compare: missing {', '.join(missing)}")
    try:
        dt.date.fromisoformat(str(manifest["reference_date"]))
    except ValueError:
        raise InputError(
            f"{label}: reference_date {manifest['reference_date']!r} is not a date YYYY-MM-DD"
        ) from None
    if not isinstance(manifest["definitions"], list) or not all(
        isinstance(d, dict) and d.get("id") for d in manifest["definitions"]
    ):
        raise InputError(f"{label}: definitions must be a list of {{id, version, content_hash}}")
    return Run(label, manifest)


def read_run(path: Path) -> Run:
    """A run from its manifest file: the JSON result of zicht compare (with "manifest"), a bare manifest
    (the .manifest.json beside a CSV), or a CSV whose first line carries the manifest."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    first = text.split("\n", 1)[0]
    if first.startswith(CSV_MANIFEST_PREFIX):
        text = first[len(CSV_MANIFEST_PREFIX) :]
    else:
        sidecar = path.with_suffix(".manifest.json")
        if path.suffix == ".csv" and sidecar.is_file():
            return read_run(sidecar)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path}: not JSON ({exc})") from None
    return run_from_manifest(data, str(path))


@dataclass(frozen=True)
class StoreInfo:
    path: Path
    content_hash: str | None
    manifest_sha256: str
    data: tuple  # per source: (id, descriptor sha256, extract file sha256s)
    mappings: tuple  # per source: (id, mapping set id, version, sha256)

    @property
    def key(self) -> str:
        """What identifies the snapshot: its content hash, else the hash of its manifest file."""
        return self.content_hash or self.manifest_sha256

    def describe_mappings(self) -> dict[str, str]:
        return {sid: f"{version or '?'} ({(sha or '')[:19]})" for sid, _msid, version, sha in self.mappings}


def store_info(path: Path) -> StoreInfo:
    import hashlib

    path = Path(path)
    file = path / "manifest.json"
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: not a harmonised store (no manifest.json)") from None
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise InputError(f"{file}: not valid JSON: {exc}") from None
    sources = manifest.get("sources") if isinstance(manifest.get("sources"), dict) else {}
    data, mappings = [], []
    for sid, entry in sorted(sources.items()):
        entry = entry if isinstance(entry, dict) else {}
        descriptor = (entry.get("descriptor") or {}).get("sha256")
        files = tuple(sorted(str(f.get("sha256")) for f in entry.get("files") or [] if isinstance(f, dict)))
        data.append((sid, descriptor, files))
        ms = entry.get("mapping_set") or {}
        mappings.append((sid, ms.get("id"), ms.get("version"), ms.get("sha256")))
    return StoreInfo(
        path,
        manifest.get("content_hash"),
        "sha256:" + hashlib.sha256(raw).hexdigest(),
        tuple(data),
        tuple(mappings),
    )


def find_store(run: Run, stores: list[StoreInfo]) -> StoreInfo:
    """The store a run used, among the given ones (matched on the store's content hash, which is the same
    for two harmonise runs of the same input, else on the manifest file's hash)."""
    for s in stores:
        if run.store_content_hash and s.content_hash == run.store_content_hash:
            return s
    for s in stores:
        if run.store_manifest_sha256 and s.manifest_sha256 == run.store_manifest_sha256:
            return s
    given = ", ".join(str(s.path) for s in stores) or "none"
    raise InputError(
        f"{run.label}: ran on the store with content hash {run.store_content_hash}, which is not among "
        f"the stores given (--store: {given}); pass the store it ran on"
    )
