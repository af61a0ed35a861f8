"""Writing definitions: roles, validation, If-Match, immutability, lifecycle, versions, audit."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.api.conftest import TWENTE, Keys
from tests.api.drafts import draft
from zicht.registry.normalise import content_hash

API = "/api/v1"
DRAFT = f"{API}/definitions/e33-twente/versions/0.1.0"


def _create(client: TestClient, keys: Keys, **kw: str) -> str:
    r = client.post(f"{API}/definitions", json=draft(**kw), headers=keys.auth(keys.twente))
    assert r.status_code == 201, r.text
    return r.headers["etag"]


def test_create_draft_as_own_lab(client: TestClient, keys: Keys) -> None:
    body = draft()
    r = client.post(f"{API}/definitions", json=body, headers=keys.auth(keys.twente))
    assert r.status_code == 201, r.text
    assert r.headers["location"] == DRAFT
    got = r.json()
    assert got["status"] == "draft" and got["created"] == date.today().isoformat()
    assert got["content_hash"] == content_hash(body)
    assert client.get(DRAFT, headers=keys.auth(keys.twente)).headers["etag"] == r.headers["etag"]


def test_write_needs_a_valid_key(client: TestClient, keys: Keys) -> None:
    r = client.post(f"{API}/definitions", json=draft())
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"] == "Bearer"
    assert (
        client.post(f"{API}/definitions", json=draft(), headers=keys.auth("zk_not-a-key")).status_code == 401
    )
    assert (
        client.post(f"{API}/definitions", json=draft(), headers={"Authorization": "Basic abc"}).status_code
        == 401
    )
    assert (
        client.post(f"{API}/definitions", json=draft(), headers={"X-API-Key": keys.twente}).status_code == 201
    )


def test_role_boundaries_on_create(client: TestClient, keys: Keys) -> None:
    other = client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.other_lab))
    assert other.status_code == 403 and "Proeftuin Elders" in other.json()["error"]["message"]
    steward = client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.steward))
    assert steward.status_code == 403 and steward.json()["error"]["code"] == "forbidden"
    admin = client.post(
        f"{API}/definitions", json=draft("by-admin", author="Proeftuin Elders"), headers=keys.auth(keys.admin)
    )
    assert admin.status_code == 201


def test_drafts_are_visible_to_their_lab_stewards_and_admins_only(client: TestClient, keys: Keys) -> None:
    _create(client, keys)
    assert client.get(DRAFT).status_code == 401
    assert client.get(DRAFT, headers=keys.auth(keys.other_lab)).status_code == 403
    for key in (keys.twente, keys.steward, keys.admin):
        assert client.get(DRAFT, headers=keys.auth(key)).status_code == 200
    assert client.get(f"{API}/definitions/e33-twente").status_code == 404
    anonymous = {i["id"] for i in client.get(f"{API}/definitions").json()["items"]}
    assert "e33-twente" not in anonymous
    steward = {
        i["id"] for i in client.get(f"{API}/definitions", headers=keys.auth(keys.steward)).json()["items"]
    }
    assert "e33-twente" in steward


def test_invalid_definition_gives_422_with_findings(client: TestClient, keys: Keys) -> None:
    body = draft()
    body["logic"] = {"op": "any", "operands": ["no-such-criterion"]}
    del body["title"]
    r = client.post(f"{API}/definitions", json=body, headers=keys.auth(keys.twente))
    assert r.status_code == 422
    details = r.json()["error"]["details"]
    rules = {(d["engine"], d["rule"]) for d in details}
    assert ("rules", "operand-exists") in rules
    assert any(
        d["engine"] in ("jsonschema", "shacl") and "title" in (d["path"] + d["message"]) for d in details
    )


def test_create_rejects_non_draft_and_existing_ids(client: TestClient, keys: Keys) -> None:
    body = draft()
    body["status"] = "published"
    assert client.post(f"{API}/definitions", json=body, headers=keys.auth(keys.twente)).status_code == 422
    existing = draft("epa-ggz-wmo")
    r = client.post(f"{API}/definitions", json=existing, headers=keys.auth(keys.twente))
    assert r.status_code == 409 and "new version" in r.json()["error"]["message"]
    assert client.post(f"{API}/definitions", json=[1, 2], headers=keys.auth(keys.twente)).status_code == 422
    assert (
        client.post(
            f"{API}/definitions",
            content=b"{not json",
            headers={**keys.auth(keys.twente), "Content-Type": "application/json"},
        ).status_code
        == 422
    )


def test_update_needs_if_match_and_rejects_stale(client: TestClient, keys: Keys) -> None:
    etag = _create(client, keys)
    changed = draft()
    changed["title"] = "E33 in Twente, herzien"
    missing = client.put(DRAFT, json=changed, headers=keys.auth(keys.twente))
    assert missing.status_code == 428 and missing.json()["error"]["code"] == "precondition_required"
    ok = client.put(DRAFT, json=changed, headers={**keys.auth(keys.twente), "If-Match": etag})
    assert ok.status_code == 200 and ok.json()["title"] == "E33 in Twente, herzien"
    assert ok.headers["etag"] != etag
    stale = client.put(DRAFT, json=draft(), headers={**keys.auth(keys.twente), "If-Match": etag})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition_failed"
    assert client.get(DRAFT, headers=keys.auth(keys.twente)).json()["title"] == "E33 in Twente, herzien"
    star = client.put(DRAFT, json=draft(), headers={**keys.auth(keys.twente), "If-Match": "*"})
    assert star.status_code == 428


def test_update_checks_path_owner_and_validity(client: TestClient, keys: Keys) -> None:
    etag = _create(client, keys)
    wrong = draft()
    wrong["version"] = "0.2.0"
    h = {**keys.auth(keys.twente), "If-Match": etag}
    assert client.put(DRAFT, json=wrong, headers=h).status_code == 422
    assert client.put(DRAFT, json=draft(author="Proeftuin Elders"), headers=h).status_code == 403
    assert (
        client.put(DRAFT, json=draft(), headers={**keys.auth(keys.other_lab), "If-Match": etag}).status_code
        == 403
    )
    bad = draft()
    bad["criteria"][0]["window_months"] = 0
    assert client.put(DRAFT, json=bad, headers=h).status_code == 422
    assert client.get(DRAFT, headers=keys.auth(keys.twente)).headers["etag"] == etag


def test_publish_then_immutable(client: TestClient, keys: Keys) -> None:
    etag = _create(client, keys)
    h = keys.auth(keys.twente)
    assert client.post(f"{DRAFT}/publish", headers=h).status_code == 428
    r = client.post(f"{DRAFT}/publish", headers={**h, "If-Match": etag})
    assert r.status_code == 200, r.text
    published = r.json()
    assert published["status"] == "published" and published["published"] == date.today().isoformat()
    assert published["content_hash"] == content_hash(draft())
    etag = r.headers["etag"]
    changed = draft()
    changed["title"] = "sneaky change"
    put = client.put(DRAFT, json=changed, headers={**h, "If-Match": etag})
    assert put.status_code == 409
    assert "can never change" in put.json()["error"]["message"]
    again = client.post(f"{DRAFT}/publish", headers={**h, "If-Match": etag})
    assert again.status_code == 409 and "cannot go from 'published'" in again.json()["error"]["message"]
    assert client.get(DRAFT).json()["title"] == "E33 in Twente (test draft)"


def test_seeded_published_version_is_immutable(client: TestClient, keys: Keys) -> None:
    url = f"{API}/definitions/epa-ggz-wmo/versions/1.0.0"
    current = client.get(url)
    body = current.json()
    body["description"] = "changed"
    r = client.put(url, json=body, headers={**keys.auth(keys.twente), "If-Match": current.headers["etag"]})
    assert r.status_code == 409


def test_deprecate_and_withdraw(client: TestClient, keys: Keys) -> None:
    url = f"{API}/definitions/epa-ggz-wmo/versions/1.0.0"
    h = keys.auth(keys.twente)
    etag = client.get(url).headers["etag"]
    assert (
        client.post(f"{url}/deprecate", headers={**keys.auth(keys.other_lab), "If-Match": etag}).status_code
        == 403
    )
    dep = client.post(f"{url}/deprecate", headers={**h, "If-Match": etag})
    assert dep.status_code == 200 and dep.json()["status"] == "deprecated"
    assert dep.json()["content_hash"] == client.get(url).json()["content_hash"]
    wd = client.post(f"{url}/withdraw", headers={**h, "If-Match": dep.headers["etag"]})
    assert wd.status_code == 200 and wd.json()["status"] == "withdrawn"
    back = client.post(f"{url}/deprecate", headers={**h, "If-Match": wd.headers["etag"]})
    assert back.status_code == 409 and "allowed: none" in back.json()["error"]["message"]


def test_new_version_from_latest(client: TestClient, keys: Keys) -> None:
    h = keys.auth(keys.twente)
    r = client.post(f"{API}/definitions/epa-ggz-wmo/versions", json={"part": "minor"}, headers=h)
    assert r.status_code == 201, r.text
    new = r.json()
    assert (new["version"], new["status"], new["supersedes"]) == ("1.1.0", "draft", "1.0.0")
    assert r.headers["location"] == f"{API}/definitions/epa-ggz-wmo/versions/1.1.0"
    again = client.post(f"{API}/definitions/epa-ggz-wmo/versions", json={"part": "minor"}, headers=h)
    assert again.status_code == 409 and "still a draft" in again.json()["error"]["message"]
    assert (
        client.post(
            f"{API}/definitions/e33-12m/versions", json={"part": "huge"}, headers=keys.auth(keys.admin)
        ).status_code
        == 422
    )
    assert client.post(f"{API}/definitions/e33-12m/versions", json={}, headers=h).status_code == 403
    # Anonymous readers still get the published version as current; the lab sees its draft.
    assert client.get(f"{API}/definitions/epa-ggz-wmo").json()["version"] == "1.0.0"
    assert client.get(f"{API}/definitions/epa-ggz-wmo", headers=h).json()["version"] == "1.1.0"


def test_every_write_is_audited(client: TestClient, keys: Keys) -> None:
    etag = _create(client, keys)
    client.post(f"{DRAFT}/publish", headers={**keys.auth(keys.twente), "If-Match": etag})
    assert client.get(f"{API}/audit", headers=keys.auth(keys.twente)).status_code == 403
    assert client.get(f"{API}/audit").status_code == 401
    log = client.get(f"{API}/audit", headers=keys.auth(keys.admin)).json()
    actions = [(e["action"], e["resource"], e["lab"]) for e in log["items"]]
    assert actions == [("definition.publish", DRAFT, TWENTE), ("definition.create", DRAFT, TWENTE)]
    publish, create = log["items"]
    assert create["before_hash"] is None and create["after_hash"] == content_hash(draft())
    assert publish["before_hash"] == publish["after_hash"] == create["after_hash"]
    assert publish["at"].endswith("Z") and publish["role"] == "fieldlab"


def test_failed_writes_leave_no_audit_entry(client: TestClient, keys: Keys) -> None:
    bad = draft()
    bad["logic"] = {"op": "not", "operands": []}
    client.post(f"{API}/definitions", json=bad, headers=keys.auth(keys.twente))
    client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.other_lab))
    assert client.get(f"{API}/audit", headers=keys.auth(keys.admin)).json()["total"] == 0
