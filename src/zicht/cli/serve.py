"""`zicht serve`: the HTTP API (and the wijkscan page when installed)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zicht.errors import ZichtError


def serve(
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", help="Harmonised store folder (default: the Twente demo store, built on first start)."
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Registry database URL: sqlite:///file.db or postgresql+psycopg://user@host/db "
            "(default: $ZICHT_DB or a SQLite file in the user data directory).",
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin", help="Allow browser calls from this origin (repeatable; CORS is off by default)."
        ),
    ] = None,
    warm: Annotated[
        bool,
        typer.Option(
            "--warm/--no-warm",
            help="Compute the wijkscan page's first comparisons in the background at start-up.",
        ),
    ] = True,
    snapshot: Annotated[
        list[Path] | None,
        typer.Option(
            "--snapshot",
            help="An earlier store the service may also compute "
            "on, to explain changes between data snapshots (repeatable).",
        ),
    ] = None,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            help="Registry folder the service reads and writes through to "
            "(default: $ZICHT_REGISTRY, ./registry, else a copy of the seed definitions in the "
            "user data directory; printed at start).",
        ),
    ] = None,
) -> None:
    """Serve the API at http://HOST:PORT/api/v1 (OpenAPI docs at /api/v1/docs)."""
    import uvicorn

    from zicht.api.app import create_app
    from zicht.api.demo import resolve_store
    from zicht.api.settings import PAGE_REFERENCE_DATE, Settings
    from zicht.db.engine import default_db_url

    if store is not None and not store.is_dir():
        raise ZichtError(f"--store {store}: no such folder")
    from zicht.registry.location import writable_registry

    where = writable_registry(registry)
    typer.echo(
        f"zicht: {where.describe()}; definitions written through the API are written there too", err=True
    )
    settings = Settings(
        db_url=db or default_db_url(),
        store=resolve_store(store, echo=typer.echo),
        registry_dir=where.path,
        snapshots=tuple(snapshot or ()),
        cors_origins=tuple(cors_origin or ()),
        warm_counts_date=PAGE_REFERENCE_DATE if warm else None,
    )
    app = create_app(settings)
    typer.echo(
        f"zicht: serving http://{host}:{port}/api/v1 (docs: http://{host}:{port}/api/v1/docs)", err=True
    )
    note = server_note()
    if note:
        typer.echo(f"zicht: {note}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def server_note() -> str | None:
    """A line saying that uvicorn runs without its fast parts (the `fast-server` extra), or None."""
    from zicht.extras import available, install_hint

    missing = [m for m in ("httptools", "uvloop") if not available(m)]
    if not missing:
        return None
    return (
        f"{' and '.join(missing)} not installed: uvicorn uses its pure-Python HTTP parser and asyncio loop "
        f"(for more requests per second: {install_hint('fast-server')})"
    )
