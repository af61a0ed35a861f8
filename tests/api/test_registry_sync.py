"""One source of truth: definitions written through the API land in the registry folder as files that
`zicht registry check` accepts, files changed by hand reach the API, and conflicts are refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import Keys, make_keys
from tests.api.drafts import draft
from zicht import paths
from zicht.api.app import create_app
from zicht.api.settings import Settings
from zicht.db import definitions as store
from zicht.db.sync import sync
from zicht.registry.check import run_check
from zicht.registry.files import read_definition, read_lock
from zicht.registry.normalise import content_hash

API = "/api/v1"
DRAFT = f"{API}/definitions/e33-twente/versions/0.1.0"


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(paths.registry_dir(), root)
    return root


@pytest.fixture
def service(db_url: str, registry: Path) -> Iterator[FastAPI]:
    app = create_app(Settings(db_url=db_url, registry_dir=registry))
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(service: FastAPI) -> Iterator[TestClient]:
    with TestClient(service) as c:
        yield c


@pytest.fixture
def keys(service: FastAPI) -> Keys:
    return make_keys(service)


def _check_clean(registry: Path) -> None:
    report = run_check(registry)
    assert report.errors == [], [str(f) for f in report.errors]


def _cli_check(registry: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ZICHT_REGISTRY", "ZICHT_HOME")}
    return subprocess.run(
        [sys.executable, "-m", "zicht", "registry", "check", "--registry", str(registry)],
        capture_output=True,
        text=True,
        env=env,
    )


def test_start_imports_the_folder_and_agrees(client: TestClient, registry: Path) -> None:
    status = client.get(f"{API}/registry").json()
    assert status["mode"] == "files" and status["in_sync"] is True and status["conflicts"] == []
    assert len(status["imported"]) == len(list(registry.glob("*.yaml")))
    ids = {i["id"] for i in client.get(f"{API}/definitions").json()["items"]}
    assert ids == {p.stem for p in registry.glob("*.yaml")}


def test_round_trip_api_file_cli_api(client: TestClient, keys: Keys, registry: Path) -> None:
    # API create → a file the CLI check accepts
    r = client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.twente))
    assert r.status_code == 201, r.text
    path = registry / "e33-twente.yaml"
    on_disk = read_definition(path)
    assert on_disk["status"] == "draft" and "content_hash" not in on_disk
    assert content_hash(on_disk) == r.json()["content_hash"]
    done = _cli_check(registry)
    assert done.returncode == 0, done.stdout + done.stderr
    # a hand edit of the file → the API serves it (new ETag), and a stale If-Match is refused
    old_etag = r.headers["etag"]
    text = path.read_text(encoding="utf-8").replace(
        "E33 in Twente (test draft)", "E33 in Twente, met de hand"
    )
    path.write_text(text, encoding="utf-8")
    got = client.get(DRAFT, headers=keys.auth(keys.twente))
    assert got.json()["title"] == "E33 in Twente, met de hand" and got.headers["etag"] != old_etag
    stale = client.put(DRAFT, json=draft(), headers={**keys.auth(keys.twente), "If-Match": old_etag})
    assert stale.status_code == 412
    # API publish → file published, published.lock has it, the CLI check is clean
    pub = client.post(f"{DRAFT}/publish", headers={**keys.auth(keys.twente), "If-Match": got.headers["etag"]})
    assert pub.status_code == 200, pub.text
    assert read_definition(path)["status"] == "published"
    assert ("e33-twente", "0.1.0", pub.json()["content_hash"]) in {
        (e["id"], e["version"], e["content_hash"]) for e in read_lock(registry)
    }
    _check_clean(registry)
    # API new version → the published file moves to archive/, the draft is current
    nv = client.post(
        f"{API}/definitions/e33-twente/versions", json={"part": "minor"}, headers=keys.auth(keys.twente)
    )
    assert nv.status_code == 201, nv.text
    assert read_definition(registry / "archive" / "e33-twente" / "0.1.0.yaml")["status"] == "published"
    assert read_definition(path)["version"] == "0.2.0"
    _check_clean(registry)
    assert client.get(f"{API}/registry").json()["in_sync"] is True


def test_cli_publish_of_a_file_draft_reaches_the_api(client: TestClient, keys: Keys, registry: Path) -> None:
    from zicht.registry import edit

    assert client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.twente)).status_code == 201
    edit.publish("e33-twente", registry)
    got = client.get(f"{API}/definitions/e33-twente").json()
    assert (
        got["status"] == "published"
        and got["content_hash"] == read_definition(registry / "e33-twente.yaml")["content_hash"]
    )


def test_hand_edit_of_a_published_file_is_refused(client: TestClient, registry: Path) -> None:
    path = registry / "e33-12m.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["criteria"][0]["window_months"] = 6
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    got = client.get(f"{API}/definitions/e33-12m").json()
    assert got["criteria"][0]["window_months"] == 12  # the database keeps the published content
    status = client.get(f"{API}/registry").json()
    assert not status["in_sync"]
    assert [c["kind"] for c in status["conflicts"]] == ["published-immutable"]


def test_both_sides_changed_is_a_conflict_until_a_side_is_chosen(
    service: FastAPI, client: TestClient, keys: Keys, registry: Path
) -> None:
    assert client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.twente)).status_code == 201
    path = registry / "e33-twente.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("(test draft)", "(file side)"), encoding="utf-8")
    with service.state.sessions() as session:  # another writer of the same database (a second instance)
        row = store.get_version(session, "e33-twente", "0.1.0")
        doc = store.document_of(row)
        doc["title"] = "E33 in Twente (database side)"
        store.replace_document(row, doc)
        session.commit()
        report = sync(session, registry)
        assert [(c.id, c.kind) for c in report.conflicts] == [("e33-twente", "both-changed")]
        assert "(file side)" in path.read_text(encoding="utf-8")  # nothing overwritten
        resolved = sync(session, registry, prefer="db")
        assert resolved.in_sync and resolved.exported == ["e33-twente 0.1.0"]
    assert read_definition(path)["title"] == "E33 in Twente (database side)"


def test_removed_draft_file_is_reported_not_silently_dropped(
    service: FastAPI, client: TestClient, keys: Keys, registry: Path
) -> None:
    assert client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.twente)).status_code == 201
    (registry / "e33-twente.yaml").unlink()
    assert client.get(DRAFT, headers=keys.auth(keys.twente)).status_code == 200
    kinds = [c["kind"] for c in client.get(f"{API}/registry").json()["conflicts"]]
    assert kinds == ["file-deleted"]
    with service.state.sessions() as session:
        assert sync(session, registry, prefer="files").deleted == ["e33-twente 0.1.0"]
    assert client.get(DRAFT, headers=keys.auth(keys.twente)).status_code == 404


def test_invalid_file_is_not_imported(client: TestClient, registry: Path) -> None:
    bad = read_definition(registry / "e33-12m.yaml")
    bad.update(id="e33-typo", status="draft", version="0.1.0")
    bad.pop("content_hash"), bad.pop("published")
    bad["criteria"][0]["concepts"] = ["safety_e3"]
    (registry / "e33-typo.yaml").write_text(
        yaml.safe_dump(bad, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    status = client.get(f"{API}/registry").json()
    assert any("e33-typo.yaml" in line and "did you mean 'safety_e33'" in line for line in status["invalid"])
    assert client.get(f"{API}/definitions/e33-typo/versions/0.1.0").status_code in (401, 404)


def test_live_check_uses_the_registry_rules(client: TestClient, keys: Keys) -> None:
    doc = draft()
    doc["criteria"][0]["min_occurences"] = 2
    body = client.post(f"{API}/registry/check", json=doc).json()
    assert body["valid"] is False
    [problem] = [p for p in body["problems"] if p["severity"] == "error"]
    assert problem["path"] == "criteria/0/min_occurences" and problem["suggestion"] == "min_occurrences"
    assert body["description"]["criteria"][0]["text"].startswith("Ten minste één gebeurtenis")
    taken = client.post(
        f"{API}/registry/check", json=dict(draft(), id="e33-12m"), headers=keys.auth(keys.twente)
    ).json()
    assert [p["rule"] for p in taken["problems"]] == ["id-taken"]
    assert client.post(f"{API}/registry/check", json=[1]).json()["valid"] is False
