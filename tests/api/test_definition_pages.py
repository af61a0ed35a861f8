"""What the registry pages read: a version in Dutch, the diff of two versions, the sources it needs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import STORE_GEMEENTEN, Keys, make_keys
from tests.api.drafts import draft
from zicht.api.app import create_app
from zicht.api.settings import Settings

API = "/api/v1"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, small_store: Path) -> Iterator[FastAPI]:
    db = tmp_path_factory.mktemp("pages") / "p.db"
    application = create_app(Settings(db_url=f"sqlite:///{db}", store=small_store))
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture(scope="module")
def keys(app: FastAPI) -> Keys:
    return make_keys(app)


def test_description_in_dutch(client: TestClient) -> None:
    body = client.get(f"{API}/definitions/e33-12m/versions/1.0.0/description").json()
    assert body["lang"] == "nl" and body["criteria"][0]["id"] == "e33"
    assert "alleen uit bron Politieregistraties E33 en E14 (politie-e33)" in body["criteria"][0]["text"]
    assert body["text"].startswith("Populatie: alle inwoners")


def test_diff_between_two_versions(client: TestClient, keys: Keys) -> None:
    auth = keys.auth(keys.twente)
    created = client.post(f"{API}/definitions", json=draft(), headers=auth)
    assert created.status_code == 201
    published = client.post(
        f"{API}/definitions/e33-twente/versions/0.1.0/publish",
        headers={**auth, "If-Match": created.headers["etag"]},
    )
    assert published.status_code == 200
    nv = client.post(f"{API}/definitions/e33-twente/versions", json={"part": "minor"}, headers=auth)
    doc = nv.json()
    doc.pop("content_hash")
    doc["criteria"][0]["window_months"] = 6
    put = client.put(
        f"{API}/definitions/e33-twente/versions/0.2.0",
        json=doc,
        headers={**auth, "If-Match": nv.headers["etag"]},
    )
    assert put.status_code == 200, put.text
    d = client.get(
        f"{API}/definitions/e33-twente/diff", params={"from": "0.1.0", "to": "0.2.0"}, headers=auth
    ).json()
    assert d["content_changed"] and [c["path"] for c in d["changes"]] == [
        "supersedes",
        "criteria/e33/window_months",
    ]
    assert d["description"]["to"]["criteria"][0]["text"].count("6 maanden") == 1
    # The draft 0.2.0 is not readable without the lab's key.
    assert (
        client.get(f"{API}/definitions/e33-twente/diff", params={"from": "0.1.0", "to": "0.2.0"}).status_code
        == 401
    )


def test_sources_and_where_they_are_missing(client: TestClient) -> None:
    body = client.get(
        f"{API}/definitions/bemoeizorg-meldpunt-12m/versions/1.0.0/sources", params={"date": "2024-12-31"}
    ).json()
    needed = {s["id"] for c in body["criteria"] for s in c["sources"]}
    assert "meldpunt" in needed
    assert [g["code"] for g in body["gemeenten"]] == STORE_GEMEENTEN
    e33 = client.get(f"{API}/definitions/e33-12m/versions/1.0.0/sources").json()
    assert e33["criteria"][0]["restricted"] and [s["id"] for s in e33["criteria"][0]["sources"]] == [
        "politie-e33"
    ]
    assert e33["gemeenten"][0]["status"] in ("full", "partial", "none")
    assert (
        client.get(
            f"{API}/definitions/e33-12m/versions/1.0.0/sources", params={"date": "31-12-2024"}
        ).status_code
        == 422
    )


def _counts(
    client: TestClient, definition: str, date: str, headers: dict | None = None
) -> dict[str, float | None]:
    r = client.get(
        f"{API}/counts",
        params={"definitions": definition, "date": date, "level": "gemeente"},
        headers=headers or {},
    )
    assert r.status_code == 200, r.text
    return {c["region"]: (c["count"] if c["status"] == "published" else None) for c in r.json()["cells"]}


def test_explain_a_change_of_date_and_of_version_against_counts(client: TestClient, keys: Keys) -> None:
    auth = keys.auth(keys.twente)
    if client.get(f"{API}/definitions/e33-twente/versions/0.2.0", headers=auth).status_code != 200:
        test_diff_between_two_versions(client, keys)
    r = client.get(
        f"{API}/explain",
        params={
            "a": "e33-twente@0.1.0",
            "b": "e33-twente@0.2.0",
            "date_a": "2024-06-30",
            "date_b": "2024-12-31",
            "level": "gemeente",
        },
        headers=auth,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert [s["factor"] for s in body["steps"]] == ["start", "definition", "date"]
    # The oracle: the published counts of each state, asked from /counts like any reader would.
    a = _counts(client, "e33-twente@0.1.0", "2024-06-30", auth)
    mid = _counts(client, "e33-twente@0.2.0", "2024-06-30", auth)
    b = _counts(client, "e33-twente@0.2.0", "2024-12-31", auth)
    rows = [row for row in body["rows"] if row["level"] == "gemeente"]
    assert [row["region_code"] for row in rows] == STORE_GEMEENTEN
    for row in rows:
        code = row["region_code"]
        assert row["value_a"] == a[code] and row["value_b"] == b[code]
        if row["split"] == "split":
            assert (
                row["due_to_definition"] == mid[code] - a[code] and row["due_to_date"] == b[code] - mid[code]
            )
    # Drafts follow the counts policy: never anonymous, never below gemeente.
    params = {
        "a": "e33-twente@0.1.0",
        "b": "e33-twente@0.2.0",
        "date_a": "2024-06-30",
        "date_b": "2024-12-31",
    }
    assert client.get(f"{API}/explain", params=params).status_code in (403, 404)
    assert client.get(f"{API}/explain", params={**params, "level": "wijk"}, headers=auth).status_code == 403


def test_explain_from_two_counts_manifests(client: TestClient) -> None:
    first = client.get(
        f"{API}/counts", params={"definitions": "e33-12m", "date": "2023-12-31", "level": "gemeente"}
    ).json()
    second = client.get(
        f"{API}/counts", params={"definitions": "e33-12m", "date": "2024-12-31", "level": "gemeente"}
    ).json()
    r = client.post(f"{API}/explain", json={"a": first["manifest"], "b": second["manifest"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [s["factor"] for s in body["steps"]] == ["start", "date"]
    by_region = {c["region"]: c for c in second["cells"]}
    for row in body["rows"]:
        if row["level"] == "gemeente" and row["split"] == "split":
            assert row["value_b"] == by_region[row["region_code"]]["count"]
    bad = client.post(f"{API}/explain", json={"a": {"definitions": []}, "b": second["manifest"]})
    assert bad.status_code == 422 and "missing" in bad.json()["error"]["message"]


def test_me_names_the_keys_role_lab_and_draft_quota(client: TestClient, keys: Keys) -> None:
    assert client.get(f"{API}/registry/me").status_code == 401
    body = client.get(f"{API}/registry/me", headers=Keys.auth(keys.twente)).json()
    assert body["role"] == "fieldlab" and body["lab"] and isinstance(body["drafts_counted"], int)
    assert body["draft_quota"] == 25 and body["quota_days"] == 30
    assert client.get(f"{API}/registry/me", headers=Keys.auth(keys.admin)).json()["lab"] is None


def test_sources_are_the_source_descriptors(client: TestClient) -> None:
    from zicht.registry.files import source_catalogue

    items = client.get(f"{API}/registry/sources").json()["items"]
    assert [s["id"] for s in items] == sorted(source_catalogue())
    kinds = {s["id"]: s["kind"] for s in items}
    assert kinds["politie-e33"] == "registration" and kinds["ggd-monitor"] == "survey"
