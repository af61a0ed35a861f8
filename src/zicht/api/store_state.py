"""The harmonised store the service reads counts from, and the cache of comparisons made on it."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STORE_MARKERS = ("manifest.json",)


@dataclass(frozen=True)
class StoreStatus:
    path: Path | None
    counts_available: bool
    message: str


class StoreState:
    """Called as ``state()`` it reports the store; ``cached(key, make)`` memoises comparisons on it.

    Keys include the store's manifest hash, so a rebuilt store never serves old numbers. Concurrent
    requests for the same uncached key wait for one computation instead of each starting their own.
    """

    def __init__(self, path: Path | None, cache_entries: int) -> None:
        self.path = path
        self.cache_entries = cache_entries
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._manifest: tuple[int, str] | None = None

    def __call__(self) -> StoreStatus:
        if self.path is None:
            return StoreStatus(
                None, False, "no harmonised store: start the service with `zicht serve --store STORE`"
            )
        if not all((self.path / m).is_file() for m in STORE_MARKERS):
            return StoreStatus(self.path, False, f"{self.path} is not a harmonised store (no manifest.json)")
        return StoreStatus(self.path, True, "ok")

    def manifest_hash(self) -> str:
        """SHA-256 of manifest.json, recomputed only when the file changes."""
        assert self.path is not None
        manifest = self.path / "manifest.json"
        mtime = manifest.stat().st_mtime_ns
        if self._manifest is None or self._manifest[0] != mtime:
            self._manifest = (mtime, "sha256:" + hashlib.sha256(manifest.read_bytes()).hexdigest())
        return self._manifest[1]

    def cached(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            value = make()
            with self._lock:
                self._cache[key] = value
                while len(self._cache) > self.cache_entries:
                    self._cache.popitem(last=False)
                self._key_locks.pop(key, None)
            return value
