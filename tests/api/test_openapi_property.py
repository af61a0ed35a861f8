"""Property-based test of the whole API from its OpenAPI schema: no generated request gives a 5xx."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from zicht.api.app import create_app
from zicht.api.settings import Settings
from zicht.db.keys import create_key

# schemathesis builds the test cases at collection time, so the app exists at import; the fixture below
# removes its database afterwards. (schemathesis.pytest.from_fixture does not work with pytest 9.)
_FOLDER = Path(tempfile.mkdtemp(prefix="zicht-schemathesis-"))
APP = create_app(Settings(db_url=f"sqlite:///{_FOLDER / 'prop.db'}"))
with APP.state.sessions() as _session:
    ADMIN_KEY = create_key(_session, "admin")[1]
    _session.commit()

schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Iterator[None]:
    yield
    APP.state.engine.dispose()
    shutil.rmtree(_FOLDER, ignore_errors=True)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_request_gives_a_server_error(case) -> None:
    # Writes carry an admin key, so that they are exercised past the auth check.
    if case.method.upper() != "GET":
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {ADMIN_KEY}"}
    response = case.call()
    ctype = response.headers.get("content-type") or [""]
    ctype = ctype[0] if isinstance(ctype, list) else ctype
    body = response.json() if ctype.startswith("application/json") else None
    if response.status_code == 503:
        # The designed answer of the counts endpoints when no harmonised store is configured.
        assert body["error"]["code"] == "service_unavailable"
        return
    assert response.status_code < 500, (
        case.method,
        case.formatted_path,
        response.status_code,
        response.text[:500],
    )
    if response.status_code >= 400:
        assert set(body["error"]) == {"status", "code", "message", "details"}
        assert body["error"]["status"] == response.status_code
