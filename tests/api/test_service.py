"""Cross-cutting behaviour: errors, limits, CORS, audit append-only, health, concepts, notes."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from tests.api.conftest import TWENTE, Keys
from tests.api.drafts import draft
from zicht.db.models import AuditEntry
from zicht.ontology.concepts import framework

API = "/api/v1"
ZC = "https://w3id.org/zicht/concept/"


def test_health(client: TestClient, db_url: str) -> None:
    body = client.get(f"{API}/health").json()
    assert body["status"] == "ok"
    assert body["database"] == ("sqlite" if db_url.startswith("sqlite") else "postgresql")


def test_openapi_docs_and_summaries(client: TestClient) -> None:
    assert client.get(f"{API}/docs").status_code == 200
    schema = client.get(f"{API}/openapi.json").json()
    missing = [
        f"{m.upper()} {p}"
        for p, ops in schema["paths"].items()
        for m, op in ops.items()
        if not op.get("summary")
    ]
    assert missing == []


def test_body_size_limit(client: TestClient, keys: Keys) -> None:
    big = draft()
    big["description"] = "x" * (1024 * 1024 + 10)
    r = client.post(f"{API}/definitions", json=big, headers=keys.auth(keys.twente))
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"


def test_body_size_limit_without_content_length(client: TestClient, keys: Keys) -> None:
    def chunks():
        for _ in range(40):
            yield b" " * 32768

    r = client.post(
        f"{API}/definitions",
        content=chunks(),
        headers={**keys.auth(keys.twente), "Content-Type": "application/json"},
    )
    assert r.status_code == 413


def test_internal_errors_have_no_stack_trace(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("zicht.api.routes.concepts.framework", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get(f"{API}/concepts")
    assert r.status_code == 500
    err = r.json()["error"]
    assert err["code"] == "internal_error" and "secret" not in r.text and "Traceback" not in r.text


def test_method_not_allowed_is_json(client: TestClient) -> None:
    r = client.delete(f"{API}/definitions")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_cors_is_off_by_default(client: TestClient) -> None:
    r = client.options(
        f"{API}/definitions",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in r.headers
    r = client.get(f"{API}/definitions", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_audit_log_is_append_only_in_the_database(app: FastAPI, client: TestClient, keys: Keys) -> None:
    client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.twente))
    for statement in (update(AuditEntry).values(action="tampered"), delete(AuditEntry)):
        with app.state.sessions() as session, pytest.raises(DBAPIError, match="append-only"):
            session.execute(statement)
            session.commit()
    log = client.get(f"{API}/audit", headers=keys.auth(keys.admin)).json()
    assert [e["action"] for e in log["items"]] == ["definition.create"]


def test_concepts_json_and_csv(client: TestClient) -> None:
    body = client.get(f"{API}/concepts").json()
    assert len(body["items"]) == len(framework())
    crisis = next(i for i in body["items"] if i["curie"] == "zc:ggz_crisis")
    assert crisis["broader"] == "zc:ggz" and crisis["domain"] == "zc:ggz"
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"{API}/concepts", headers={"Accept": "text/csv"}).text))
    )
    assert len(rows) == len(framework()) and rows[0]["curie"].startswith("zc:")


def test_concept_representations(client: TestClient) -> None:
    one = client.get(f"{API}/concepts/zc:ggz_crisis").json()
    assert one["key"] == "ggz_crisis" and one["label_nl"] == framework().get("ggz_crisis").label_nl
    assert client.get(f"{API}/concepts/ggz_crisis").json() == one
    ttl = client.get(f"{API}/concepts/zc:ggz_crisis", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=ttl.text, format="turtle")
    assert (URIRef(ZC + "ggz_crisis"), SKOS.broader, URIRef(ZC + "ggz")) in g
    ld = client.get(f"{API}/concepts/zc:ggz_crisis", headers={"Accept": "application/ld+json"})
    g2 = Graph().parse(data=ld.text, format="json-ld")
    assert set(g2) == set(g)
    scheme = Graph().parse(
        data=client.get(f"{API}/concepts", headers={"Accept": "text/turtle"}).text, format="turtle"
    )
    assert len(set(scheme.subjects(SKOS.inScheme, None))) == len(framework())
    missing = client.get(f"{API}/concepts/zc:nonsense")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_notes(client: TestClient, keys: Keys) -> None:
    note = {
        "region_code": "WK015301",
        "indicator": "HoogRisicoOpAngstOfDepressie_25",
        "text": "Veel meldingen rond het station.",
        "language": "nl",
    }
    assert client.post(f"{API}/notes", json=note).status_code == 401
    r = client.post(f"{API}/notes", json=note, headers=keys.auth(keys.twente))
    assert r.status_code == 201
    created = r.json()
    assert created["author"] == TWENTE and created["region_code"] == "WK015301"
    steward = client.post(
        f"{API}/notes",
        json={"definition_id": "e33-12m", "text": "Let op dubbeltellingen."},
        headers=keys.auth(keys.steward),
    )
    assert steward.status_code == 201 and steward.json()["author"] == "steward"
    assert (
        client.post(f"{API}/notes", json={"text": "nowhere"}, headers=keys.auth(keys.twente)).status_code
        == 422
    )
    assert (
        client.post(
            f"{API}/notes", json={"region_code": "Enschede", "text": "x"}, headers=keys.auth(keys.twente)
        ).status_code
        == 422
    )
    by_region = client.get(f"{API}/notes", params={"region": "WK015301"}).json()
    assert by_region["total"] == 1 and by_region["items"][0]["text"] == note["text"]
    assert (
        client.get(f"{API}/notes", params={"definition": "e33-12m"}).json()["items"][0]["author"] == "steward"
    )
    assert client.get(f"{API}/notes").json()["total"] == 2
    rows = list(csv.DictReader(io.StringIO(client.get(f"{API}/notes", headers={"Accept": "text/csv"}).text)))
    assert len(rows) == 2
    log = client.get(f"{API}/audit", headers=keys.auth(keys.admin)).json()["items"]
    assert [e["action"] for e in log] == ["note.create", "note.create"]


@pytest.mark.parametrize(
    "path",
    ["/concepts", "/regions?level=gemeente", "/definitions", "/notes", "/definitions/e33-12m/versions"],
)
def test_every_read_has_an_etag_and_304(client: TestClient, path: str) -> None:
    first = client.get(f"{API}{path}")
    etag = first.headers["etag"]
    assert etag.startswith('"') and client.get(f"{API}{path}").headers["etag"] == etag
    again = client.get(f"{API}{path}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(f"{API}{path}", headers={"If-None-Match": '"other"'}).status_code == 200
