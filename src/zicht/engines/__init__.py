"""Engines turn query trees into results; every engine gives the same results as the in-memory reference."""

from __future__ import annotations

from zicht.engines.base import Engine, Tabulation
from zicht.engines.duckdb import DuckDBEngine
from zicht.engines.in_memory import InMemoryEngine
from zicht.engines.spark import SparkEngine
from zicht.engines.store import Store, open_store, store_from_frames
from zicht.errors import InputError

ENGINES: dict[str, type[Engine]] = {"duckdb": DuckDBEngine, "in_memory": InMemoryEngine, "spark": SparkEngine}
DEFAULT_ENGINE = "duckdb"


def get_engine(name: str = DEFAULT_ENGINE) -> Engine:
    try:
        return ENGINES[name]()
    except KeyError:
        raise InputError(f"unknown engine {name!r} (choose from {', '.join(sorted(ENGINES))})") from None


__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Engine",
    "Store",
    "Tabulation",
    "get_engine",
    "open_store",
    "store_from_frames",
]
