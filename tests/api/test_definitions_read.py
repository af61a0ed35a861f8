"""Reading definitions: seeded registry, filters, pagination, representations."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from tests.api.drafts import registry_document
from zicht import paths
from zicht.registry.files import load_registry

API = "/api/v1"
ZICHT = "https://w3id.org/zicht/"


def test_seeded_from_the_registry_folder(client: TestClient) -> None:
    body = client.get(f"{API}/definitions").json()
    expected = sorted(f.data["id"] for f in load_registry(paths.registry_dir()) if not f.archived)
    assert sorted(i["id"] for i in body["items"]) == expected
    assert body["total"] == len(expected)


def test_current_version_is_the_registry_document(client: TestClient) -> None:
    r = client.get(f"{API}/definitions/e33-12m")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == registry_document("e33-12m")
    assert (
        r.headers["etag"].startswith('"')
        and r.headers["content-location"] == f"{API}/definitions/e33-12m/versions/1.0.0"
    )


def test_version_endpoints(client: TestClient) -> None:
    versions = client.get(f"{API}/definitions/epa-ggz-wmo/versions").json()
    assert [v["version"] for v in versions["items"]] == ["1.0.0"]
    one = client.get(f"{API}/definitions/epa-ggz-wmo/versions/1.0.0")
    assert one.json()["content_hash"] == registry_document("epa-ggz-wmo")["content_hash"]
    assert client.get(f"{API}/definitions/epa-ggz-wmo/versions/9.9.9").status_code == 404
    missing = client.get(f"{API}/definitions/no-such-definition")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_filters(client: TestClient) -> None:
    by_domain = client.get(f"{API}/definitions", params={"domain": "zc:safety"}).json()
    assert {i["id"] for i in by_domain["items"]} >= {"e33-12m"}
    assert all("safety" in i["domains"] for i in by_domain["items"])
    by_author = client.get(f"{API}/definitions", params={"author": "proeftuin twente (VOORBEELD)"}).json()
    assert {i["id"] for i in by_author["items"]} == {"epa-ggz-wmo", "multi-domain-2of5"}
    assert client.get(f"{API}/definitions", params={"status": "draft"}).json()["total"] == 0
    by_text = client.get(f"{API}/definitions", params={"q": "kessler"}).json()["items"]
    assert [i["id"] for i in by_text] == ["k10-high-monitor"]
    bad = client.get(f"{API}/definitions", params={"status": "bogus"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"


def test_pagination(client: TestClient) -> None:
    first = client.get(f"{API}/definitions", params={"per_page": 4})
    body = first.json()
    assert (body["page"], body["per_page"], len(body["items"])) == (1, 4, 4)
    assert body["links"]["prev"] is None and "page=2" in body["links"]["next"]
    assert 'rel="next"' in first.headers["link"]
    second = client.get(body["links"]["next"]).json()
    assert len(second["items"]) == body["total"] - 4 and second["links"]["next"] is None
    assert {i["id"] for i in body["items"]}.isdisjoint(i["id"] for i in second["items"])
    assert client.get(f"{API}/definitions", params={"per_page": 1000}).status_code == 422


def test_csv_list(client: TestClient) -> None:
    r = client.get(f"{API}/definitions", headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["id"] for row in rows} >= {"e33-12m", "epa-ggz-wmo"}
    assert next(row for row in rows if row["id"] == "epa-ggz-wmo")["domains"] == "ggz;support"


def test_turtle(client: TestClient) -> None:
    r = client.get(f"{API}/definitions/e33-12m", headers={"Accept": "text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    node = URIRef(f"{ZICHT}definition/e33-12m")
    assert (node, RDF.type, URIRef(f"{ZICHT}Definition")) in g
    assert (node, DCTERMS.creator, Literal("Proeftuin Amsterdam (voorbeeld)")) in g


def test_jsonld_uses_the_generated_context(client: TestClient) -> None:
    r = client.get(f"{API}/definitions/e33-12m", headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    g = Graph().parse(data=r.text, format="json-ld")
    node = URIRef(f"{ZICHT}definition/e33-12m")
    assert (node, RDF.type, URIRef(f"{ZICHT}Definition")) in g
    assert (node, DCTERMS.creator, Literal("Proeftuin Amsterdam (voorbeeld)")) in g


def test_accept_with_quality_values(client: TestClient) -> None:
    r = client.get(f"{API}/definitions/e33-12m", headers={"Accept": "application/json;q=0.5, text/turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    r = client.get(f"{API}/definitions/e33-12m", headers={"Accept": "text/*"})
    assert r.headers["content-type"].startswith("text/turtle")


def test_406_names_what_is_offered(client: TestClient) -> None:
    r = client.get(f"{API}/definitions/e33-12m", headers={"Accept": "image/png"})
    assert r.status_code == 406
    err = r.json()["error"]
    assert err["code"] == "not_acceptable" and "text/turtle" in err["details"]["available"]
    assert client.get(f"{API}/definitions", headers={"Accept": "text/turtle"}).status_code == 406
