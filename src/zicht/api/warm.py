"""Computing the page's first comparisons in the background when the service starts.

A comparison per wijk runs the disclosure audit over thousands of cells, which takes a minute or more;
the wijkscan page asks for every published definition per wijk and per gemeente at its default date.
Computing exactly those once at start-up (through the same cache the counts route uses) means the first
visitor finds them ready. A request that arrives while one is being computed waits for it instead of
starting a second run (the cache locks per key).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from fastapi import FastAPI

from zicht.api import comparisons
from zicht.db import definitions as store

log = logging.getLogger("zicht.api.warm")
WARM_LEVELS = ("wijk", "gemeente")  # what the wijkscan page asks for first


def published_documents(app: FastAPI) -> list[dict[str, Any]]:
    """The highest published version of every definition (what the page's plain ids resolve to)."""
    with app.state.sessions() as session:
        ids = sorted({row.definition_id for row in store.all_versions(session, status="published")})
        docs = []
        for did in ids:
            ref = next(r for r in store.version_refs(session, did) if r["status"] == "published")
            row = store.get_version(session, did, ref["version"])
            if row is not None:
                docs.append(store.document_of(row))
    return docs


def warm(app: FastAPI, reference_date: dt.date, levels: tuple[str, ...] = WARM_LEVELS) -> int:
    """Compute and cache the comparisons; return how many were computed or found."""
    state = app.state.store_status
    docs = published_documents(app)
    if not docs or not state().counts_available:
        return 0
    done = 0
    for level in levels:
        comparisons.run(state, docs, reference_date, level)
        done += 1
        log.info(
            "zicht: comparison of %d definitions per %s at %s is ready", len(docs), level, reference_date
        )
    return done


def start_warming(app: FastAPI, reference_date: str) -> threading.Thread:
    date = dt.date.fromisoformat(reference_date)

    def work() -> None:
        try:
            warm(app, date)
        except Exception:
            log.exception("zicht: warming the comparison cache failed; requests will compute on demand")

    thread = threading.Thread(target=work, name="zicht-warm-counts", daemon=True)
    thread.start()
    return thread
