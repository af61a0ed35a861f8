"""The application factory: settings → FastAPI app with database, routers, limits and error bodies."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import Depends, FastAPI

from zicht import __version__
from zicht.api import errors
from zicht.api.docs_page import install_docs
from zicht.api.etag_middleware import ETagMiddleware
from zicht.api.limits import BodySizeLimit, RateLimit
from zicht.api.registry_mirror import RegistryMirror, refresh_registry
from zicht.api.routes import (
    audit,
    concepts,
    counts,
    datasets,
    definitions,
    explain,
    health,
    indicators,
    mappings,
    notes,
    regions,
    registry,
    validate,
)
from zicht.api.settings import Settings
from zicht.api.store_state import StoreState
from zicht.db.definitions import seed_from_registry
from zicht.db.engine import open_database

API = "/api/v1"
UPLOAD_PREFIXES = (f"{API}/validate",)
EXPENSIVE_PREFIXES = (f"{API}/counts", f"{API}/datasets")

DESCRIPTION = """\
Definitions registry, framework concepts, source mappings, validation and disclosure-protected
comparisons of target-group definitions per gemeente, wijk and buurt. Reading published content is
open; writes need an API key (`Authorization: Bearer <key>`). See docs/api.md.
"""


def create_app(settings: Settings) -> FastAPI:
    engine, sessions = open_database(settings.db_url)
    mirror = None
    if settings.registry_dir is not None:
        # The registry folder is the source of truth the service writes through to (zicht.db.sync).
        mirror = RegistryMirror(settings.registry_dir, sessions)
        mirror.sync_all()
    else:
        # Without a registry folder (library use, tests) the database alone holds the definitions.
        with sessions() as session:
            seed_from_registry(session, None)
            session.commit()

    app = FastAPI(
        title="zicht",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # served from the package's own Swagger UI files below (offline), not a CDN
        redoc_url=None,
        openapi_url=f"{API}/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.store_status = StoreState(settings.store, settings.cache_entries)
    app.state.registry = mirror

    errors.install(app)
    install_docs(app, docs_url=f"{API}/docs", openapi_url=f"{API}/openapi.json")
    _include_routers(app)
    _add_middleware(app, settings)
    _mount_web(app)
    if settings.warm_counts_date and settings.store is not None:
        from zicht.api.warm import start_warming

        start_warming(app, settings.warm_counts_date)
    return app


def _include_routers(app: FastAPI) -> None:
    """Every route module under /api/v1; those that read definitions see the registry folder's edits first."""
    reads_definitions = (definitions, counts, registry, explain)
    for module in (
        health,
        concepts,
        definitions,
        registry,
        notes,
        audit,
        regions,
        indicators,
        counts,
        explain,
        datasets,
        mappings,
        validate,
    ):
        extra = [Depends(refresh_registry)] if module in reads_definitions else []
        app.include_router(module.router, prefix=API, dependencies=extra)


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    """Listed inside out: the last added runs first on a request (CORS, the counts fast path, the rate
    limit, the body size limit, ETags)."""
    app.add_middleware(ETagMiddleware)
    app.add_middleware(
        BodySizeLimit,
        default=settings.max_json_bytes,
        uploads=settings.max_upload_bytes,
        upload_prefixes=UPLOAD_PREFIXES,
    )
    app.add_middleware(
        RateLimit,
        writes=settings.write_rate,
        expensive=settings.expensive_rate,
        expensive_prefixes=EXPENSIVE_PREFIXES,
    )
    # Outside the rate limit (a cached read is not an expensive question), inside CORS.
    app.add_middleware(counts.CachedCounts, path=f"{API}/counts")
    if settings.cors_origins:
        app.add_middleware(
            errors.JSONCORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT"],
            allow_headers=["Authorization", "X-API-Key", "If-Match", "Content-Type"],
            expose_headers=["ETag", "Location", "Link"],
        )


def _mount_web(app: FastAPI) -> None:
    """Mount point for the wijkscan page: the static files of the zicht.web package, when it is there."""
    spec = importlib.util.find_spec("zicht.web")
    if spec is None or not spec.submodule_search_locations:
        return
    static = Path(next(iter(spec.submodule_search_locations))) / "static"
    if (static / "index.html").is_file():
        from fastapi.staticfiles import StaticFiles

        app.mount("/", StaticFiles(directory=static, html=True), name="web")
