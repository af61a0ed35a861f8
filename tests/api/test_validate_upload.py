"""POST /validate: steward only, size-limited, streamed to a temporary file that is deleted afterwards."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from zicht.api.app import create_app
from zicht.api.settings import Settings

API = "/api/v1"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "validate"


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'v.db'}"


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    for name in ("testbron.source.yaml", "testbron.codes.csv"):
        shutil.copy(FIXTURES / name, mappings / name)
    application = create_app(Settings(db_url=db_url, mappings_dir=mappings, max_upload_bytes=64 * 1024))
    yield application
    application.state.engine.dispose()


def _uploads() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("zicht-upload-*")}


def test_only_stewards_and_admins_validate(client: TestClient, keys: Keys) -> None:
    data = (FIXTURES / "clean.csv").read_bytes()
    assert client.post(f"{API}/validate", params={"source": "testbron"}, content=data).status_code == 401
    r = client.post(
        f"{API}/validate", params={"source": "testbron"}, content=data, headers=keys.auth(keys.twente)
    )
    assert r.status_code == 403


def test_clean_extract_conforms_raw_body(client: TestClient, keys: Keys) -> None:
    before = _uploads()
    r = client.post(
        f"{API}/validate",
        params={"source": "testbron", "filename": "clean.csv"},
        content=(FIXTURES / "clean.csv").read_bytes(),
        headers={**keys.auth(keys.steward), "Content-Type": "text/csv"},
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["conforms"] is True and report["rows"] == 3 and report["files"] == ["clean.csv"]
    assert _uploads() == before


def test_dirty_extract_multipart_reports_rows_and_columns(client: TestClient, keys: Keys) -> None:
    before = _uploads()
    with (FIXTURES / "dirty.csv").open("rb") as fh:
        r = client.post(
            f"{API}/validate",
            params={"source": "testbron"},
            files={"file": ("dirty.csv", fh, "text/csv")},
            headers=keys.auth(keys.admin),
        )
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["conforms"] is False
    where = {(v["row"], v["column"]) for v in report["violations"]}
    assert (2, "begin") in where  # 2023-02-30 is not a date
    assert all(v["file"] == "dirty.csv" for v in report["violations"])
    assert _uploads() == before


def test_upload_limits_and_bad_requests(client: TestClient, keys: Keys) -> None:
    h = keys.auth(keys.steward)
    big = client.post(f"{API}/validate", params={"source": "testbron"}, content=b"x" * (65 * 1024), headers=h)
    assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"
    assert (
        client.post(f"{API}/validate", params={"source": "nope"}, content=b"a;b\n", headers=h).status_code
        == 422
    )
    assert (
        client.post(
            f"{API}/validate", params={"source": "../etc/passwd"}, content=b"a", headers=h
        ).status_code
        == 422
    )
    assert (
        client.post(f"{API}/validate", params={"source": "testbron"}, content=b"", headers=h).status_code
        == 422
    )
