"""/api/v1/docs works without internet: every script, style sheet and icon it loads is served by zicht."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from zicht.api.app import create_app
from zicht.api.settings import Settings

API = "/api/v1"


def test_docs_page_loads_only_its_own_assets(tmp_path: Path) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'r.db'}"))
    with TestClient(app) as client:
        page = client.get(f"{API}/docs")
        assert page.status_code == 200 and "SwaggerUIBundle" in page.text
        urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text) + re.findall(
            r"""url: ?["']([^"']+)["']""", page.text
        )
        assert urls, page.text
        assert not [u for u in urls if "://" in u or u.startswith("//")], urls
        for url in urls:
            asset = client.get(url)
            assert asset.status_code == 200, url
            assert len(asset.content) > 100, url
        js = client.get(f"{API}/docs/assets/swagger-ui-bundle.js")
        assert "javascript" in js.headers["content-type"] and b"SwaggerUIBundle" in js.content
        assert client.get(f"{API}/openapi.json").json()["info"]["title"] == "zicht"
    app.state.engine.dispose()
