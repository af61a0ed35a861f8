"""Liveness and what the service is serving."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from zicht import __version__
from zicht.api.errors import scrub

router = APIRouter(tags=["service"])


@router.get("/health", summary="Service status, database kind and harmonised store")
def health(request: Request) -> dict[str, Any]:
    state = request.app.state
    store = state.store_status()
    return {
        "status": "ok",
        "version": __version__,
        "database": state.engine.dialect.name,
        # Whether a store is served, never where it lies on the server.
        "store": store.path is not None,
        "counts_available": store.counts_available,
        "store_message": scrub(store.message) if store.message else store.message,
    }
