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
    return list(
        csv.DictReader(io.StringIO(resources.files("zicht.data").joinpath(name).read_text(encoding="utf-8")))
    )


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


@pytest.fixture(params=["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'r.db'}"


def test_wijken_of_a_gemeente_with_cbs_population(client: TestClient) -> None:
    body = client.get(f"{API}/regions", params={"level": "wijk", "within": "GM0153"}).json()
    expected = {
        r["wijk_code"]: int(r["aantal_inwoners_2024"])
        for r in _data_csv("nl_wijken.csv")
        if r["gemeente_code"] == "GM0153"
    }
    assert {i["code"]: i["population"] for i in body["items"]} == expected
    assert all(i["parent"] == "GM0153" and i["level"] == "wijk" for i in body["items"])


def test_default_wijken_are_twente(client: TestClient) -> None:
    body = client.get(f"{API}/regions").json()
    assert body["within"] == "CR12" and len(body["items"]) == 127


def test_geojson_has_real_boundaries(client: TestClient) -> None:
    r = client.get(
        f"{API}/regions",
        params={"level": "wijk", "within": "GM0153"},
        headers={"Accept": "application/geo+json"},
    )
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    source = {
        f["properties"]["statcode"]: f["geometry"]
        for f in json.loads(
            resources.files("zicht.data").joinpath("nl_wijken.geojson").read_text(encoding="utf-8")
        )["features"]
    }
    for feature in fc["features"]:
        assert feature["geometry"] == source[feature["properties"]["code"]]
        assert set(feature["properties"]) == {"code", "name", "level", "parent", "population"}


def test_gemeenten_of_the_netherlands(client: TestClient) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    f"{API}/regions", params={"level": "gemeente"}, headers={"Accept": "text/csv"}
                ).text
            )
        )
    )
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
    assert body["netherlands"]["HoogRisicoOpAngstOfDepressie_25"] == float(
        nl["HoogRisicoOpAngstOfDepressie_25"]
    )
    wijken = {
        r["Codering_3"].strip(): r
        for r in source
        if r["SoortRegio_2"].strip() == "Wijk" and r["Codering_3"].strip().startswith("WK0153")
    }
    assert {i["code"] for i in body["items"]} == set(wijken)
    for item in body["items"]:
        raw = wijken[item["code"]]["Eenzaam_28"]
        assert item["values"]["Eenzaam_28"] == (float(raw) if raw.strip() else None)


def test_national_indicators_every_gemeente_and_wijk_with_the_layout_report(client: TestClient) -> None:
    source = [r for r in _data_csv("nl_gezondheid_gemeente_wijk_2020.csv") if r["leeftijdsgroep"] == "18+"]
    by_kind = {
        k: {r["Codering_3"].strip(): r for r in source if r["SoortRegio_2"].strip() == k}
        for k in ("Gemeente", "Wijk")
    }
    g = client.get(f"{API}/indicators", params={"level": "gemeente"}).json()
    assert {i["code"] for i in g["items"]} == set(by_kind["Gemeente"]) and len(g["items"]) == 355
    gemeenten_2024 = {r["gemeente_code"] for r in _data_csv("nl_gemeenten.csv")}
    report = g["layout_match"]
    assert report["matched"] == len(gemeenten_2024 & set(by_kind["Gemeente"])) == 337
    assert {x["code"] for x in report["not_in_2024"]} == set(by_kind["Gemeente"]) - gemeenten_2024
    formed = {x["code"]: x.get("formed_from") for x in report["not_in_2020"]}
    assert formed["GM1980"] == ["GM0398", "GM0416"] and set(formed) == gemeenten_2024 - set(
        by_kind["Gemeente"]
    )
    assert "GM0363" in report["area_changed"]  # Amsterdam took in Weesp in 2022: same code, larger area
    weesp = next(x for x in report["not_in_2024"] if x["code"] == "GM0457")
    assert weesp["became"] == ["GM0363"] and weesp["change"] == "added_to"
    # Every wijk of the country, and a name only where the 2020 code is a real 2024 wijk.
    w = client.get(f"{API}/indicators", params={"level": "wijk"}).json()
    assert len(w["items"]) == len(by_kind["Wijk"]) == 3177
    wijken_2024 = {r["wijk_code"]: r["wijk_naam"] for r in _data_csv("nl_wijken.csv")}
    for item in w["items"]:
        assert item["in_layout_2024"] == (item["code"] in wijken_2024)
        assert item["name"] == wijken_2024.get(item["code"])
    assert w["layout_match"]["matched"] == len(set(wijken_2024) & set(by_kind["Wijk"]))


def test_twente_is_derived_from_its_gemeenten_and_says_so(client: TestClient) -> None:
    body = client.get(f"{API}/indicators", params={"level": "wijk", "within": "CR12"}).json()
    twente = body["twente"]
    assert twente["code"] == "CR12" and twente["derived"] is True and "afgeleid" in twente["method"]
    gemeenten = {
        r["gemeente_code"]: int(r["aantal_inwoners_2024"])
        for r in _data_csv("nl_gemeenten.csv")
        if r["twente"] == "1"
    }
    source = {
        r["Codering_3"].strip(): r
        for r in _data_csv("nl_gezondheid_gemeente_wijk_2020.csv")
        if r["leeftijdsgroep"] == "18+"
    }
    key = "HoogRisicoOpAngstOfDepressie_25"
    expected = sum(float(source[c][key]) * n for c, n in gemeenten.items()) / sum(gemeenten.values())
    assert twente["values"][key] == pytest.approx(expected, abs=0.05)


def test_real_buurt_estimates_never_carry_synthetic_names(client: TestClient) -> None:
    b = client.get(f"{API}/indicators", params={"level": "buurt", "within": "WK014110"}).json()
    almelo = next(i for i in b["items"] if i["code"] == "BU01411001")
    assert almelo["name"] is None and almelo["in_layout_2024"] is False
    assert b["layout_match"]["matched"] == 0 and "synthetic" in b["layout_match"]["note"]


def test_indicator_levels_and_ages(client: TestClient) -> None:
    g = client.get(f"{API}/indicators", params={"level": "gemeente", "age": "65+", "within": "CR12"}).json()
    assert len(g["items"]) == 14 and g["age_group"] == "65+"
    assert (
        client.get(f"{API}/indicators", params={"level": "gemeente", "within": "RGTWENTE"}).json()["items"]
        == client.get(f"{API}/indicators", params={"level": "gemeente", "within": "CR12"}).json()["items"]
    )
    assert {i["name"] for i in g["items"]} >= {"Enschede", "Almelo"}
    b = client.get(f"{API}/indicators", params={"level": "buurt", "within": "WK015301"}).json()
    assert b["items"] and all(i["code"].startswith("BU015301") for i in b["items"])
    assert (
        client.get(f"{API}/indicators", params={"level": "gemeente", "within": "WK015301"}).status_code == 422
    )
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
