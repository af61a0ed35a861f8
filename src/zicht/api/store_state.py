"""The harmonised store the service reads counts from, and whether comparisons can be made."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STORE_MARKERS = ("manifest.json",)


@dataclass(frozen=True)
class StoreStatus:
    path: Path | None
    counts_available: bool
    message: str


class StoreState:
    """Called as ``state()`` it reports the store; comparisons are added by the counts module."""

    def __init__(self, path: Path | None, cache_entries: int) -> None:
        self.path = path
        self.cache_entries = cache_entries

    def __call__(self) -> StoreStatus:
        if self.path is None:
            return StoreStatus(None, False, "no harmonised store: start with `zicht serve --store STORE`")
        if not all((self.path / m).is_file() for m in STORE_MARKERS):
            return StoreStatus(self.path, False, f"{self.path} is not a harmonised store (no manifest.json)")
        return StoreStatus(self.path, True, "ok")
