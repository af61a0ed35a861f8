"""One source of truth: the registry folder and the service's database kept equal, conflicts refused.

The files are what a field lab reviews, versions in git and cites; the database is what the service
queries and writes with optimistic concurrency and an audit log. Neither may drift from the other:

- every write through the API is written through to its file (`sync(..., only=id)` after the commit);
- a file changed, added or deleted by hand (or by `zicht registry publish`) reaches the database at the
  next sync: at service start, before every API request that reads or writes definitions (a cheap
  look at file sizes and times decides whether anything changed), or with `zicht registry sync`.

Which side changed is decided three-way, as version control does: each row keeps `file_hash`, the hash
of the document both sides last agreed on. File ≠ base and row = base → the file changed (import);
row ≠ base and file = base → the database changed (export); both ≠ base → a **conflict**: nothing is
written, the conflict is reported (API `GET /api/v1/registry`, CLI exit 1) until resolved with
`zicht registry sync --prefer files|db`. Published versions are immutable on both sides: their
content is checked against `published.lock` and a conflict over one is never resolved by overwriting.
A file that does not pass `zicht registry check`'s per-file rules is not imported (reported as invalid),
and an unreadable file is never overwritten.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from zicht.choices import SYNC_PREFER
from zicht.db import audit
from zicht.db.definitions import document_of, href, new_row, replace_document
from zicht.db.models import DefinitionVersion
from zicht.errors import ZichtError
from zicht.registry.files import (
    DefinitionFile,
    append_lock,
    definition_path,
    document_hash,
    read_lock,
    scan_registry,
    source_kinds,
    write_definition,
)
from zicht.registry.lifecycle import FROZEN, TRANSITIONS, parse_version
from zicht.registry.lint import check_document
from zicht.registry.normalise import content_hash

PREFER = SYNC_PREFER
ACTOR = "registry-files"  # the audit log's role for changes that came in through the files


@dataclass(frozen=True)
class Conflict:
    id: str
    version: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.id} {self.version}: {self.kind}: {self.message}"


@dataclass
class SyncReport:
    registry: Path
    imported: list[str] = field(default_factory=list)  # "id version" read from files into the database
    exported: list[str] = field(default_factory=list)  # written from the database to files
    moved: list[str] = field(default_factory=list)  # files moved to archive/ (a newer version is current)
    deleted: list[str] = field(default_factory=list)  # draft rows removed because their file was removed
    invalid: list[str] = field(default_factory=list)  # files not imported, with the reason
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged: int = 0

    @property
    def in_sync(self) -> bool:
        return not self.conflicts and not self.invalid

    def to_dict(self) -> dict[str, Any]:
        return {
            "registry": str(self.registry),
            "in_sync": self.in_sync,
            "imported": self.imported,
            "exported": self.exported,
            "moved": self.moved,
            "deleted": self.deleted,
            "invalid": self.invalid,
            "conflicts": [c.__dict__ for c in self.conflicts],
            "unchanged": self.unchanged,
        }

    def lines(self) -> list[str]:
        out = [f"imported {x}" for x in self.imported] + [f"exported {x}" for x in self.exported]
        out += [f"moved {x}" for x in self.moved] + [f"deleted {x}" for x in self.deleted]
        out += [f"invalid {x}" for x in self.invalid] + [f"conflict {c}" for c in self.conflicts]
        return out


# --- locking -----------------------------------------------------------------------------------------

_local = threading.local()
_thread_locks: dict[str, threading.RLock] = defaultdict(threading.RLock)


@contextmanager
def registry_lock(root: Path) -> Iterator[None]:
    """Held while a process compares or writes a registry folder and its database: one thread of one
    process at a time per folder (a file lock outside the folder, so nothing extra shows up in it)."""
    key = str(root.resolve())
    held: dict[str, int] = _local.__dict__.setdefault("held", {})
    with _thread_locks[key]:
        if held.get(key):
            held[key] += 1
            try:
                yield
            finally:
                held[key] -= 1
            return
        name = hashlib.sha256(key.encode()).hexdigest()[:16]
        with open(Path(tempfile.gettempdir()) / f"zicht-registry-{name}.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            held[key] = 1
            try:
                yield
            finally:
                held[key] = 0
                fcntl.flock(fh, fcntl.LOCK_UN)


def fingerprint(root: Path) -> tuple:
    """Names, sizes and modification times of the registry's files: cheap, and different whenever a file
    was written, added or removed."""
    out = []
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            if n.endswith(".yaml") or n == "published.lock":
                try:
                    st = os.stat(os.path.join(dirpath, n))
                except FileNotFoundError:  # removed while we looked
                    continue
                out.append((dirpath, n, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


# --- the sync ----------------------------------------------------------------------------------------


def sync(
    session: Session, root: Path, *, only: str | None = None, prefer: str | None = None, dry_run: bool = False
) -> SyncReport:
    """Make the registry folder and the database agree (for one definition id with ``only``); commits."""
    if prefer is not None and prefer not in PREFER:
        raise ZichtError(f"--prefer must be files or db, not {prefer!r}")
    if not root.is_dir():
        raise ZichtError(f"registry folder not found: {root}")
    with registry_lock(root):
        report = _Sync(session, root, only, prefer, dry_run).run()
        if dry_run:
            session.rollback()
        else:
            session.commit()
        return report


class _Sync:
    def __init__(
        self, session: Session, root: Path, only: str | None, prefer: str | None, dry_run: bool
    ) -> None:
        self.session, self.root, self.only, self.prefer, self.dry_run = session, root, only, prefer, dry_run
        self.report = SyncReport(root)
        self.kinds = source_kinds() or None
        self.lock = {(e["id"], e["version"]): e["content_hash"] for e in read_lock(root)}
        self.writes: list[DefinitionVersion] = []

    # Files and rows, keyed (id, version).
    def _load(
        self,
    ) -> tuple[dict[tuple[str, str], DefinitionFile], dict[tuple[str, str], DefinitionVersion], set[Path]]:
        files, unreadable = scan_registry(self.root)
        by_key: dict[tuple[str, str], DefinitionFile] = {}
        for u in unreadable:
            where = f":{u.line}:{u.column}" if u.line else ""
            self.report.invalid.append(
                f"{self._rel(u.path)}{where}: {u.message} (not read; never overwritten)"
            )
        for f in files:
            key = (str(f.data.get("id")), str(f.data.get("version")))
            if self.only and key[0] != self.only:
                continue
            if key in by_key:
                self.report.invalid.append(
                    f"{self._rel(f.path)}: {key[0]} {key[1]} is also in {self._rel(by_key[key].path)}"
                )
                continue
            by_key[key] = f
        query = select(DefinitionVersion)
        if self.only:
            query = query.where(DefinitionVersion.definition_id == self.only)
        rows = {(r.definition_id, r.version): r for r in self.session.scalars(query)}
        return by_key, rows, {u.path for u in unreadable}

    def run(self) -> SyncReport:
        files, rows, unreadable = self._load()
        for key in sorted(set(files) | set(rows)):
            f, row = files.get(key), rows.get(key)
            if f is None:
                assert row is not None  # the key came from the rows
                self._row_only(key, row)
            elif row is None:
                self._file_only(key, f)
            else:
                self._both(key, f, row)
        self.session.flush()
        self._place(files, unreadable)
        return self.report

    def _valid(self, f: DefinitionFile) -> bool:
        errors = [p for p in check_document(f.data, self.kinds) if p.severity == "error"]
        if errors:
            first = errors[0]
            line, column = f.position(first.path)
            self.report.invalid.append(
                f"{self._rel(f.path)}:{line}:{column}: {first.text()} [{first.rule}]"
                + (f" (and {len(errors) - 1} more; run `zicht registry check`)" if len(errors) > 1 else "")
            )
            return False
        try:
            parse_version(str(f.data.get("version")))
        except ZichtError as exc:
            self.report.invalid.append(f"{self._rel(f.path)}: {exc}")
            return False
        return True

    def _row_only(self, key: tuple[str, str], row: DefinitionVersion) -> None:
        if row.file_hash is None or self.prefer == "db":
            self._export(row)
            return
        if self.prefer == "files" and row.status == "draft":
            self._audit(row, "definition.delete", row.content_hash, None)
            if not self.dry_run:
                self.session.delete(row)
            self.report.deleted.append(f"{key[0]} {key[1]}")
            return
        what = (
            "published versions stay citable: restore the file (zicht registry sync --prefer db)"
            if row.status in FROZEN
            else "keep the database's draft with --prefer db, or remove it too with --prefer files"
        )
        self._conflict(key, "file-deleted", f"the file was removed after it was last in sync; {what}")

    def _file_only(self, key: tuple[str, str], f: DefinitionFile) -> None:
        doc = f.data
        if not self._valid(f):
            return
        if doc.get("status") in FROZEN and not self._locked_ok(key, doc):
            return
        row = new_row(doc)
        row.file_hash = document_hash(doc)
        if not self.dry_run:
            self.session.add(row)
        self._audit(row, "definition.import", None, row.content_hash)
        self.report.imported.append(f"{key[0]} {key[1]}")

    def _both(self, key: tuple[str, str], f: DefinitionFile, row: DefinitionVersion) -> None:
        fh, dh = document_hash(f.data), document_hash(document_of(row))
        if fh == dh:
            if row.file_hash != fh and not self.dry_run:
                set_file_hash(self.session, row, fh)
            self.report.unchanged += 1
            return
        base = row.file_hash
        if base == dh or (base != fh and self.prefer == "files"):
            self._import_over(key, f, row)
        elif base == fh or self.prefer == "db":
            self._export(row)
        else:
            self._conflict(
                key,
                "both-changed",
                "the file and the database both changed since they last agreed; "
                "choose with zicht registry sync --prefer files or --prefer db",
            )

    def _import_over(self, key: tuple[str, str], f: DefinitionFile, row: DefinitionVersion) -> None:
        doc = f.data
        if not self._valid(f):
            return
        old = document_of(row)
        if row.status in FROZEN and content_hash(doc) != row.content_hash:
            self._conflict(
                key,
                "published-immutable",
                f"{row.status} content never changes (database "
                f"{row.content_hash}, file {content_hash(doc)}); make a new version",
            )
            return
        to = doc.get("status", "draft")
        if to != row.status and to not in TRANSITIONS.get(row.status, frozenset()):
            self._conflict(
                key,
                "lifecycle",
                f"the file says {to!r} but the database has {row.status!r}, and "
                f"{row.status} → {to} is not allowed",
            )
            return
        if to in FROZEN and not self._locked_ok(key, doc):
            return
        if str(doc.get("author", "")).strip().casefold() != row.author.strip().casefold():
            self._conflict(
                key,
                "author",
                f"the file moves the definition from {row.author!r} to "
                f"{doc.get('author')!r}; a definition keeps its field lab",
            )
            return
        before = row.content_hash
        if not self.dry_run:
            replace_document(row, doc)
            row.file_hash = document_hash(doc)  # one UPDATE with the content change (a new revision anyway)
        action = "definition.import" if to == old.get("status") else f"definition.import_{to}"
        self._audit(row, action, before, content_hash(doc) if to == "draft" else row.content_hash)
        self.report.imported.append(f"{key[0]} {key[1]}")

    def _locked_ok(self, key: tuple[str, str], doc: dict[str, Any]) -> bool:
        recorded = self.lock.get(key)
        actual = content_hash(doc)
        if recorded is None:
            self._conflict(
                key,
                "published-locked",
                f"{doc.get('status')} in the file but not in published.lock; "
                "publish with `zicht registry publish`",
            )
            return False
        if recorded != actual:
            self._conflict(key, "published-immutable", f"differs from the version published with {recorded}")
            return False
        return True

    def _export(self, row: DefinitionVersion) -> None:
        key = (row.definition_id, row.version)
        if row.status in FROZEN:
            recorded = self.lock.get(key)
            if recorded is not None and recorded != row.content_hash:
                self._conflict(
                    key,
                    "published-immutable",
                    f"published.lock has {recorded}, the database {row.content_hash}; nothing written",
                )
                return
            if recorded is None and not self.dry_run:
                append_lock([(row.definition_id, row.version, row.content_hash)], self.root)
                self.lock[key] = row.content_hash
        self.writes.append(row)
        self.report.exported.append(f"{key[0]} {key[1]}")

    def _place(self, files: dict[tuple[str, str], DefinitionFile], unreadable: set[Path]) -> None:
        """Put every version where it belongs (the newest of an id current, the others in archive/) and
        write the exports there. Files that are already right are left alone."""
        conflicted = {(c.id, c.version) for c in self.report.conflicts}
        query = select(DefinitionVersion)
        if self.only:
            query = query.where(DefinitionVersion.definition_id == self.only)
        newest: dict[str, tuple[int, int, int]] = {}
        for r in self.session.scalars(query):
            v = (r.major, r.minor, r.patch)
            newest[r.definition_id] = max(newest.get(r.definition_id, v), v)

        def wanted(did: str, version: str) -> Path:
            current = did not in newest or parse_version(version) >= newest[did]
            return definition_path(self.root, did, version, current)

        # Moves first: the current file of an id may have to make room for its new version.
        for key, f in sorted(files.items()):
            target = wanted(*key)
            if f.path == target or key in conflicted or self.dry_run:
                continue
            if target.exists():
                if target in unreadable:
                    self._conflict(
                        key, "unreadable-file", f"{self._rel(target)} cannot be read; not overwritten"
                    )
                    continue
                try:
                    same = document_hash(scan_one(target)) == document_hash(f.data)
                except ZichtError:
                    same = False
                if not same:
                    self._conflict(
                        key,
                        "file-name",
                        f"{self._rel(f.path)} belongs in {self._rel(target)}, which holds something else",
                    )
                    continue
                f.path.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(f.path, target)
            self.report.moved.append(f"{key[0]} {key[1]} → {self._rel(target)}")
        for row in self.writes:
            target = wanted(row.definition_id, row.version)
            if target in unreadable:
                self._conflict(
                    (row.definition_id, row.version),
                    "unreadable-file",
                    f"{self._rel(target)} cannot be read; not overwritten",
                )
                self.report.exported.remove(f"{row.definition_id} {row.version}")
                continue
            doc = document_of(row)
            if not self.dry_run:
                write_definition(target, doc)
                set_file_hash(self.session, row, document_hash(doc))

    def _conflict(self, key: tuple[str, str], kind: str, message: str) -> None:
        self.report.conflicts.append(Conflict(key[0], key[1], kind, message))

    def _audit(self, row: DefinitionVersion, action: str, before: str | None, after: str | None) -> None:
        if self.dry_run:
            return
        audit.record(
            self.session,
            key_id=None,
            role=ACTOR,
            lab=None,
            action=action,
            resource=href(row.definition_id, row.version),
            before_hash=before,
            after_hash=after,
        )

    def _rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)


def set_file_hash(session: Session, row: DefinitionVersion, value: str) -> None:
    """Record the agreed file hash without a new revision: the row's content did not change, so its
    ETag (made from the revision) must stay valid for a client that holds it."""
    session.execute(update(DefinitionVersion).where(DefinitionVersion.pk == row.pk).values(file_hash=value))
    set_committed_value(row, "file_hash", value)


def scan_one(path: Path) -> dict[str, Any]:
    from zicht.registry.files import read_definition

    return read_definition(path)


def status_of(session: Session, root: Path) -> SyncReport:
    """What a sync would do now, without doing it."""
    return sync(session, root, dry_run=True)


__all__ = ["Conflict", "SyncReport", "fingerprint", "registry_lock", "status_of", "sync"]
