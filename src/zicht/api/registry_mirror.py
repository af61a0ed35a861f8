"""The service's side of "one source of truth" (zicht.db.sync): sync at start, before requests that read
definitions when a file changed, and around every write, which is written through to its file."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import Request
from sqlalchemy.orm import Session, sessionmaker

from zicht.db.sync import SyncReport, fingerprint, registry_lock, sync

log = logging.getLogger("zicht.api")


class RegistryMirror:
    def __init__(self, root: Path, sessions: sessionmaker[Session]) -> None:
        self.root = root
        self.sessions = sessions
        self._seen: tuple | None = None
        self.last: SyncReport | None = None

    def sync_all(self) -> SyncReport:
        with registry_lock(self.root):
            with self.sessions() as session:
                report = sync(session, self.root)
            self._remember(report)
            return report

    def refresh(self) -> None:
        """Sync when a registry file was written, added or removed since the last sync (a stat of each file)."""
        if fingerprint(self.root) == self._seen:
            return
        with registry_lock(self.root):
            if fingerprint(self.root) != self._seen:
                self.sync_all()

    @contextmanager
    def writing(self, session: Session, definition_id: str) -> Iterator[None]:
        """Around an API write of one definition: what the files say first (so a hand edit is not
        overwritten unseen: its new revision makes a stale If-Match fail), then the write is written
        through to the files."""
        with registry_lock(self.root):
            sync(session, self.root, only=definition_id)
            yield
            with self.sessions() as after:
                report = sync(after, self.root)
            self._remember(report)

    def _remember(self, report: SyncReport) -> None:
        self._seen = fingerprint(self.root)
        self.last = report
        for line in report.lines():
            log.info("registry sync: %s", line)
        if report.conflicts:
            log.warning(
                "registry %s and the database disagree on %d version(s); see GET /api/v1/registry",
                self.root,
                len(report.conflicts),
            )


def mirror_of(request: Request) -> RegistryMirror | None:
    return getattr(request.app.state, "registry", None)


def refresh_registry(request: Request) -> None:
    """Request dependency of the routes that read definitions."""
    mirror = mirror_of(request)
    if mirror is not None:
        mirror.refresh()


@contextmanager
def writing(request: Request, session: Session, definition_id: str) -> Iterator[None]:
    mirror = mirror_of(request)
    if mirror is None:
        yield
        return
    with mirror.writing(session, definition_id):
        yield
