"""The store `zicht serve` uses without --store: the Twente demo store in the user cache directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from zicht.api.store_state import STORE_MARKERS


def demo_store_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("zicht", appauthor=False)) / "demo-twente"


def resolve_store(store: Path | None, echo: Callable[[str], None] = print) -> Path | None:
    """``store`` if given; else the demo store (None when it has not been built: counts then answer 503)."""
    if store is not None:
        return store
    demo = demo_store_dir()
    if all((demo / m).is_file() for m in STORE_MARKERS):
        return demo
    echo(f"zicht: no harmonised store given and no demo store at {demo}; counts will answer 503 until one is given with --store")
    return None
