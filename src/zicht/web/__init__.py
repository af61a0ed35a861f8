"""The wijkscan page: a static page (HTML, CSS, ES modules and vendored Leaflet) that reads only the
public API under ``/api/v1``. No build step: the files in ``static/`` are served as they are."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"


def static_dir() -> Path:
    """The folder with ``index.html`` and everything it loads."""
    return STATIC_DIR
