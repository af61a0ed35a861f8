"""Settings of one running service."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


# The reference date the wijkscan page opens with (web/static/js/state.js) and the demo compares at.
PAGE_REFERENCE_DATE = "2024-12-31"


@dataclass(frozen=True)
class Settings:
    db_url: str
    store: Path | None = None
    # Registry folder the service keeps in sync with its database and writes every definition change
    # through to (zicht.db.sync). None: the database alone, seeded once from the packaged registry
    # (library use and tests; `zicht serve` always gives a folder).
    registry_dir: Path | None = None
    # Earlier store snapshots the service can also compute on, so that GET /api/v1/explain can split a
    # change between two data snapshots (mapping sets, extracts) as well (`zicht serve --snapshot`).
    snapshots: tuple[Path, ...] = field(default=())
    # Folder with <source>.source.yaml / .sssom.tsv / .codes.csv (default: the project's mappings/).
    mappings_dir: Path | None = None
    max_json_bytes: int = 1 * MIB
    max_upload_bytes: int = 256 * MIB
    cors_origins: tuple[str, ...] = field(default=())
    # Rate limits per client as (burst, refill per second); a burst of 0 switches a limit off.
    # Writes: any POST/PUT/DELETE. Expensive: comparisons, datasets and lint without an API key.
    write_rate: tuple[int, float] = (120, 2.0)
    expensive_rate: tuple[int, float] = (60, 1.0)
    # Comparisons kept in memory (each is a few hundred KB at wijk level).
    cache_entries: int = 64
    # When set, the comparisons the wijkscan page asks for first (every published definition per wijk
    # and per gemeente at this reference date) are computed in the background at start-up, so the
    # first visitor does not wait for the disclosure audit.
    warm_counts_date: str | None = None
    # disclosure=suppress is answered from one canonical release per store snapshot and date, protected
    # down to this level (the LP audit grows quickly with the number of small cells below it).
    suppress_level: str = "gemeente"
    # Distinct draft definitions one key may have counted in 30 days (docs/disclosure.md, threat model).
    draft_quota: int = 25
