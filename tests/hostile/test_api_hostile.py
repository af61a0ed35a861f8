"""The service under hostile and clumsy requests: no 5xx, no identifier stored or echoed, no server path
in a body, limits that answer 429 with Retry-After (issue #12)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import Keys, make_keys
from tests.api.drafts import draft
from tests.unit.privacy.test_detect import EXPORT_FORMS
from zicht.api.app import create_app
from zicht.api.settings import Settings

API = "/api/v1"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "validate"
IDENTIFIERS = [f"client {form} kwam langs" for form in EXPORT_FORMS] + [
    "mail jan.devries@example.nl",
    "bel 06-12345678",
    "woont op de Hengelosestraat 12",
    "Markt 1, 7511 AB Enschede",
]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    mappings = tmp_path / "mappings"
    shutil.copytree(FIXTURES.parent / "mappings" / "good_basic", mappings)
    for name in ("testbron.source.yaml", "testbron.codes.csv"):
        shutil.copy(FIXTURES / name, mappings / name)
    application = create_app(
        Settings(
            db_url=f"sqlite:///{tmp_path / 'r.db'}",
            mappings_dir=mappings,
            cors_origins=("https://ok.example",),
        )
    )
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def keys(app: FastAPI) -> Keys:
    return make_keys(app)


def _no_identifier(text: str) -> None:
    for digits in ("111222333", "123456782", "12345672", "jan.devries", "12345678", "Hengelosestraat"):
        assert digits not in text.replace(".", "").replace(" ", "").replace("\u00a0", ""), text


@pytest.mark.parametrize("text", IDENTIFIERS)
def test_notes_with_identifiers_are_refused_naming_field_and_position(
    text: str, client: TestClient, keys: Keys
) -> None:
    r = client.post(
        f"{API}/notes", json={"region_code": "GM0153", "text": text}, headers=keys.auth(keys.twente)
    )
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["message"].startswith("note: text: character ")
    assert error["details"][0]["field"] == "text" and error["details"][0]["position"] >= 1
    _no_identifier(r.text[:500])
    listed = client.get(f"{API}/notes", headers={"Accept": "text/csv"})
    assert listed.status_code == 200
    _no_identifier(listed.text)


def test_a_clean_note_is_stored_and_csv_cells_are_defused(client: TestClient, keys: Keys) -> None:
    for text in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "gewoon"):
        r = client.post(
            f"{API}/notes", json={"region_code": "GM0153", "text": text}, headers=keys.auth(keys.twente)
        )
        assert r.status_code == 201, r.text
    csv_text = client.get(f"{API}/notes", headers={"Accept": "text/csv"}).text
    cells = [line.split(",")[-1] for line in csv_text.splitlines()[1:]]
    assert not [c for c in cells if c.lstrip('"').startswith(("=", "+", "-", "@", "\t"))], cells


@pytest.mark.parametrize("field", ["title", "description"])
def test_definition_texts_with_identifiers_are_refused(field: str, client: TestClient, keys: Keys) -> None:
    doc = draft()
    doc[field] = "cliënt 111 222 333"
    r = client.post(f"{API}/definitions", json=doc, headers=keys.auth(keys.twente))
    assert r.status_code == 422, r.text
    assert f"definition: {field}: character" in r.json()["error"]["message"]
    _no_identifier(r.text[:500])


@pytest.mark.parametrize(
    "change",
    [
        {"version": "99999999999999999999.0.0"},
        {"version": "1.0.99999999999999999999999"},
        {"title": "bad \ud800 surrogate"},
        {"title": "nul \u0000 byte"},
        {"criteria": "x"},
        {"version": "１.0.0"},
    ],
)
def test_bad_definitions_are_4xx_never_5xx(change: dict, client: TestClient, keys: Keys) -> None:
    doc = {**draft(), **change}
    body = json.dumps(doc, ensure_ascii=True)  # lone surrogates travel as \ud800 escapes
    r = client.post(
        f"{API}/definitions",
        content=body,
        headers={**keys.auth(keys.twente), "Content-Type": "application/json"},
    )
    assert 400 <= r.status_code < 500, r.text
    assert r.json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/definitions/111222333",
        "/definitions/111.222.333/versions",
        "/definitions/x/versions/123456782",
        "/mappings/123456782",
        "/concepts/zc:111222333",
        "/nope/111222333",
        "/definitions/111\u00a0222\u00a0333/versions",
        "/definitions/111\u200b222\u200b333",  # repr() escapes these
    ],
)
def test_identifiers_in_urls_are_not_echoed(path: str, client: TestClient) -> None:
    r = client.get(API + path)
    assert r.status_code in (404, 422), r.text
    _no_identifier(r.text[:500])


def test_identifiers_in_query_parameters_are_not_echoed(client: TestClient) -> None:
    r = client.get(f"{API}/notes", params={"region": "111222333"})
    assert r.status_code == 422
    _no_identifier(r.text[:500])
    r = client.get(f"{API}/definitions", params={"status": "111222333"})
    assert r.status_code == 422
    _no_identifier(r.text[:500])


def test_health_does_not_show_the_store_path(client: TestClient, tmp_path: Path) -> None:
    r = client.get(f"{API}/health")
    assert r.status_code == 200 and str(tmp_path) not in r.text and "/" not in str(r.json()["store"])


def test_host_header_is_not_copied_into_links(client: TestClient) -> None:
    r = client.get(f"{API}/definitions", params={"per_page": 1}, headers={"Host": "evil.example"})
    assert r.status_code == 200
    assert "evil.example" not in r.headers.get("link", "") and "evil.example" not in r.text


def test_anonymous_readers_are_not_told_a_draft_exists(client: TestClient, keys: Keys) -> None:
    doc = draft("only-a-draft")
    assert client.post(f"{API}/definitions", json=doc, headers=keys.auth(keys.twente)).status_code == 201
    hidden = client.get(f"{API}/definitions/only-a-draft/versions")
    missing = client.get(f"{API}/definitions/never-existed/versions")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["message"].replace("only-a-draft", "ID") == missing.json()["error"][
        "message"
    ].replace("never-existed", "ID")
    assert client.get(f"{API}/definitions/only-a-draft").status_code == 404
    assert (
        client.get(f"{API}/definitions/only-a-draft/versions", headers=keys.auth(keys.twente)).status_code
        == 200
    )


def test_versions_honour_if_none_match(client: TestClient) -> None:
    listing = client.get(f"{API}/definitions").json()["items"][0]
    for path in (
        f"{API}/definitions/{listing['id']}/versions",
        f"{API}/definitions/{listing['id']}",
        f"{API}/definitions/{listing['id']}/versions/{listing['version']}",
    ):
        first = client.get(path)
        assert first.status_code == 200 and first.headers["etag"]
        again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304, path
        assert client.get(path, headers={"If-None-Match": "W/" + first.headers["etag"]}).status_code == 304


def test_refused_cors_origin_gets_the_json_error_body(client: TestClient) -> None:
    r = client.options(
        f"{API}/definitions",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["status"] == 400
    ok = client.options(
        f"{API}/definitions", headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "GET"}
    )
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "name", ["cr_only", "duplicated_header", "long_field", "nul", "utf16", "binary", "empty_header"]
)
def test_validate_uploads_are_never_5xx_nor_echo_paths(name: str, client: TestClient, keys: Keys) -> None:
    header = (FIXTURES / "clean.csv").read_text(encoding="utf-8").splitlines()[0]
    first = header.split(";")[0] if ";" in header else header.split(",")[0]
    bodies = {
        "cr_only": (FIXTURES / "clean.csv").read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"),
        "duplicated_header": (header + ";" + first + "\n").encode(),
        "long_field": (header + "\n" + "x" * 140_000 + "\n").encode(),
        "nul": (header + "\n\x00\x00\n").encode(),
        "utf16": (FIXTURES / "clean.csv").read_text(encoding="utf-8").encode("utf-16"),
        "binary": bytes(range(256)) * 10,
        "empty_header": b"\n\n\n",
    }
    r = client.post(
        f"{API}/validate",
        params={"source": "testbron", "filename": "x.csv"},
        content=bodies[name],
        headers=keys.auth(keys.steward),
    )
    assert r.status_code < 500, r.text
    assert "zicht-upload-" not in r.text and "/tmp" not in r.text


def test_unknown_source_error_names_no_server_folder(client: TestClient, keys: Keys, tmp_path: Path) -> None:
    r = client.post(
        f"{API}/validate", params={"source": "nope"}, content=b"a;b\n", headers=keys.auth(keys.steward)
    )
    assert r.status_code == 422 and str(tmp_path) not in r.text


def test_writes_are_rate_limited_with_retry_after(tmp_path: Path) -> None:
    app = create_app(
        Settings(db_url=f"sqlite:///{tmp_path / 'r.db'}", write_rate=(3, 0.01), expensive_rate=(2, 0.01))
    )
    keys = make_keys(app)
    with TestClient(app) as client:
        codes = [
            client.post(
                f"{API}/notes",
                json={"region_code": "GM0153", "text": "rustig"},
                headers=keys.auth(keys.twente),
            ).status_code
            for _ in range(5)
        ]
        assert codes[:3] == [201, 201, 201] and codes[3:] == [429, 429]
        limited = client.post(
            f"{API}/notes", json={"region_code": "GM0153", "text": "x"}, headers=keys.auth(keys.twente)
        )
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"]["code"] == "too_many_requests"
        # Another key has its own bucket; reads are not limited.
        assert (
            client.post(
                f"{API}/notes", json={"region_code": "GM0153", "text": "x"}, headers=keys.auth(keys.other_lab)
            ).status_code
            == 201
        )
        assert all(client.get(f"{API}/notes").status_code == 200 for _ in range(10))
        # Expensive anonymous requests (comparisons) are limited too; with a key they are not.
        anon = [
            client.get(f"{API}/counts", params={"definitions": "x", "date": "2024-12-31"}).status_code
            for _ in range(4)
        ]
        assert anon[2:] == [429, 429] and all(c != 429 for c in anon[:2])
    app.state.engine.dispose()
