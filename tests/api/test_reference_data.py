"""Regions, health-monitor indicators and mappings: open read endpoints over shipped data."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from zicht import paths

API = "/api/v1"


def _data_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(resources.files("zicht.data").joinpath(name).read_text(encoding="utf-8"))))


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'r.db'}"


def test_wijken_of_a_gemeente_with_cbs_population(client: TestClient) -> None:
    body = client.get(f"{API}/regions", params={"level": "wijk", "within": "GM0153"}).json()
    expected = {r["wijk_code"]: int(r["aantal_inwoners_2024"]) for r in _data_csv("nl_wijken.csv") if r["gemeente_code"] == "GM0153"}
    assert {i["code"]: i["population"] for i in body["items"]} == expected
    assert all(i["parent"] == "GM0153" and i["level"] == "wijk" for i in body["items"])


def test_default_wijken_are_twente(client: TestClient) -> None:
    body = client.get(f"{API}/regions").json()
    assert body["within"] == "CR12" and len(body["items"]) == 127


def test_geojson_has_real_boundaries(client: TestClient) -> None:
    r = client.get(f"{API}/regions", params={"level": "wijk", "within": "GM0153"}, headers={"Accept": "application/geo+json"})
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    source = {f["properties"]["statcode"]: f["geometry"] for f in json.loads(
        resources.files("zicht.data").joinpath("nl_wijken.geojson").read_text(encoding="utf-8"))["features"]}
    for feature in fc["features"]:
        assert feature["geometry"] == source[feature["properties"]["code"]]
        assert set(feature["properties"]) == {"code", "name", "level", "parent", "population"}


def test_gemeenten_of_the_netherlands(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get(f"{API}/regions", params={"level": "gemeente"}, headers={"Accept": "text/csv"}).text)))
    assert len(rows) == 342
    assert sum(int(r["population"]) for r in rows) == 17_942_942


def test_bad_region_requests(client: TestClient) -> None:
    assert client.get(f"{API}/regions", params={"within": "GM9999"}).status_code == 404
    assert client.get(f"{API}/regions", params={"level": "gemeente", "within": "WK015301"}).status_code == 422
    assert client.get(f"{API}/regions", params={"level": "provincie"}).status_code == 422


def test_indicators_are_the_published_estimates(client: TestClient) -> None:
    body = client.get(f"{API}/indicators", params={"level": "wijk", "within": "GM0153"}).json()
    assert body["year"] == 2020 and body["kind"] == "estimate" and "RIVM" in body["credit"]
    source = [r for r in _data_csv("twente_gezondheid_wijk_buurt_2020.csv") if r["leeftijdsgroep"] == "18+"]
    nl = next(r for r in source if r["Codering_3"].strip() == "NL01")
    assert body["netherlands"]["HoogRisicoOpAngstOfDepressie_25"] == float(nl["HoogRisicoOpAngstOfDepressie_25"])
    wijken = {r["Codering_3"].strip(): r for r in source if r["SoortRegio_2"].strip() == "Wijk" and r["Codering_3"].strip().startswith("WK0153")}
    assert {i["code"] for i in body["items"]} == set(wijken)
    for item in body["items"]:
        raw = wijken[item["code"]]["Eenzaam_28"]
        assert item["values"]["Eenzaam_28"] == (float(raw) if raw.strip() else None)


def test_indicator_levels_and_ages(client: TestClient) -> None:
    g = client.get(f"{API}/indicators", params={"level": "gemeente", "age": "65+"}).json()
    assert len(g["items"]) == 14 and g["age_group"] == "65+"
    assert {i["name"] for i in g["items"]} >= {"Enschede", "Almelo"}
    b = client.get(f"{API}/indicators", params={"level": "buurt", "within": "WK015301"}).json()
    assert b["items"] and all(i["code"].startswith("BU015301") for i in b["items"])
    assert client.get(f"{API}/indicators", params={"level": "gemeente", "within": "WK015301"}).status_code == 422
    assert client.get(f"{API}/indicators", headers={"Accept": "text/turtle"}).status_code == 406


def test_mappings_list_and_formats(client: TestClient) -> None:
    items = client.get(f"{API}/mappings").json()["items"]
    expected = sorted(p.name.removesuffix(".sssom.tsv") for p in paths.mappings_dir().glob("*.sssom.tsv"))
    assert [i["source"] for i in items] == expected
    tsv = client.get(f"{API}/mappings/politie-e33", headers={"Accept": "text/tab-separated-values"})
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.content == (paths.mappings_dir() / "politie-e33.sssom.tsv").read_bytes()
    body = client.get(f"{API}/mappings/politie-e33").json()
    data_lines = [ln for ln in tsv.text.splitlines() if ln and not ln.startswith("#")][1:]
    assert len(body["mappings"]) == len(data_lines)
    assert all(m["object_id"].startswith("zc:") for m in body["mappings"])
    assert body["curie_map"]["zc"] == "https://w3id.org/zicht/concept/"
    assert client.get(f"{API}/mappings/nope").status_code == 404


def test_mapping_lint(client: TestClient) -> None:
    body = client.get(f"{API}/mappings/politie-e33/lint").json()
    assert body["source"] == "politie-e33"
    assert body["errors"] == sum(f["severity"] == "error" for f in body["findings"])
    assert all("/" not in f["file"] for f in body["findings"])
