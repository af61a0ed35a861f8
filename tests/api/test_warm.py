"""Warming the comparison cache at start-up: the page's first counts request finds its comparison ready."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zicht.api import comparisons, warm
from zicht.api.app import create_app
from zicht.api.settings import Settings

pytestmark = pytest.mark.slow
DATE = "2024-12-31"


def test_warm_computes_what_the_page_asks_for_and_requests_reuse_it(
    tmp_path: Path, small_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[tuple[str, ...], str]] = []
    real = comparisons.compare

    def counting(store, documents, reference_date, level, **options):
        calls.append((tuple(d["id"] for d in documents), level))
        return real(store, documents, reference_date, level, **options)

    monkeypatch.setattr(comparisons, "compare", counting)
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'w.db'}", store=small_store))
    try:
        published = [d["id"] for d in warm.published_documents(app)]
        assert published == sorted(published) and len(published) == 6
        assert warm.warm(app, dt.date.fromisoformat(DATE)) == 2
        assert sorted(level for _, level in calls) == ["gemeente", "wijk"]

        # The page's request, in the page's own order (the listing's), is answered from the warm cache.
        client = TestClient(app)
        ids = ",".join(reversed(published))
        for level in ("wijk", "gemeente", "regio"):
            res = client.get("/api/v1/counts", params={"definitions": ids, "date": DATE, "level": level})
            assert res.status_code == 200, res.text
        assert len(calls) == 2
    finally:
        app.state.engine.dispose()


def test_serve_setting_starts_the_warm_up_only_with_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    monkeypatch.setattr(warm, "start_warming", lambda app, date: started.append(date))
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", store=None, warm_counts_date=DATE))
    app.state.engine.dispose()
    assert started == []
