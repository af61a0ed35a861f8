"""Counts and harmonised aggregates: disclosure-protected, cached, never person-level."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import Keys, make_keys
from tests.api.drafts import draft
from zicht.api.app import create_app
from zicht.api.settings import Settings
from zicht.compare import compare
from zicht.registry.normalise import content_hash

API = "/api/v1"
DATE = "2024-12-31"
PAIR = "e33-12m,ggz-specialised-12m"

pytestmark = pytest.mark.slow


# One app for the module: comparisons are cached per app, and each takes seconds to compute.
@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('counts') / 'c.db'}"


@pytest.fixture(scope="module")
def app(db_url: str, small_store: Path) -> Iterator[FastAPI]:
    application = create_app(Settings(db_url=db_url, store=small_store))
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


@pytest.fixture(scope="module")
def keys(app: FastAPI) -> Keys:
    return make_keys(app)


def _person_ids(store: Path) -> set[str]:
    with duckdb.connect(str(store / "zicht.duckdb"), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT id FROM person").fetchall()}


def _all_strings(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _all_strings(v)
    elif value is not None:
        yield str(value)


def test_counts_per_wijk_match_the_comparison(client: TestClient, small_store: Path) -> None:
    r = client.get(f"{API}/counts", params={"definitions": PAIR, "date": DATE, "level": "wijk"})
    assert r.status_code == 200, r.text
    body = r.json()
    direct = compare(small_store, ["e33-12m", "ggz-specialised-12m"], dt.date(2024, 12, 31), "wijk").counts
    direct = direct[direct["level"] == "wijk"]
    got = {(c["region"], c["definition"]): c for c in body["cells"]}
    assert len(got) == len(direct) > 0
    for row in direct.to_dict(orient="records"):
        cell = got[(row["region_code"], row["definition"])]
        assert cell["count"] == (
            None if row["count"] is None or row["count"] != row["count"] else row["count"]
        )
        assert (
            cell["status"]
            == {"published": "published", "suppressed": "suppressed", "no_source": "not_covered"}[
                row["count_status"]
            ]
        )
    assert [d["id"] for d in body["definitions"]] == ["e33-12m", "ggz-specialised-12m"]
    assert body["disclosure"]["mode"] == "perturb" and body["manifest"]["reference_date"] == DATE


def test_published_numbers_respect_the_disclosure_rules(client: TestClient) -> None:
    body = client.get(f"{API}/counts", params={"definitions": PAIR, "date": DATE, "level": "wijk"}).json()
    rules = body["disclosure"]
    numbers = [c["count"] for c in body["cells"]] + [
        o[k] for o in body["overlaps"] for k in ("both", "only_a", "only_b")
    ]
    numbers += [u["count"] for u in body["upset"]]
    published = [n for n in numbers if n is not None]
    assert published
    assert all(n == 0 or n > rules["blocked_upto"] for n in published)
    assert rules["max_deviation"] >= 1 and rules["variance"] > 0 and "same persons" in rules["rule"]
    for c in body["cells"]:
        if c["status"] != "published":
            assert c["count"] is None and c["rate_per_1000"] is None


def test_no_person_level_data_leaves(client: TestClient, small_store: Path) -> None:
    ids = _person_ids(small_store)
    for path, params in (
        (f"{API}/counts", {"definitions": PAIR, "date": DATE, "level": "buurt"}),
        (f"{API}/datasets/events", {"concept": "zc:ggz", "date": DATE, "level": "buurt"}),
    ):
        body = client.get(path, params=params).json()
        assert ids.isdisjoint(set(_all_strings(body)))


def test_within_level_and_csv(client: TestClient) -> None:
    within = client.get(
        f"{API}/counts", params={"definitions": PAIR, "date": DATE, "level": "buurt", "within": "WK017301"}
    ).json()
    assert within["cells"] and all(c["region"].startswith("BU017301") for c in within["cells"])
    g = client.get(f"{API}/counts", params={"definitions": PAIR, "date": DATE, "level": "gemeente"}).json()
    assert {c["region"] for c in g["cells"]} == {"GM0173"}
    assert g["total_region"] == "totaal"
    # The store holds one gemeente, not all of Twente: no regio figure is claimed for it.
    assert (
        client.get(f"{API}/counts", params={"definitions": PAIR, "date": DATE, "level": "regio"}).json()[
            "cells"
        ]
        == []
    )
    text = client.get(
        f"{API}/counts",
        params={"definitions": PAIR, "date": DATE, "level": "gemeente"},
        headers={"Accept": "text/csv"},
    ).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["region"], r["definition"], r["count"]) for r in rows] == [
        (c["region"], c["definition"], "" if c["count"] is None else str(c["count"])) for c in g["cells"]
    ]


def test_survey_definition_gives_estimates(client: TestClient) -> None:
    body = client.get(
        f"{API}/counts", params={"definitions": "k10-high-monitor", "date": DATE, "level": "gemeente"}
    ).json()
    assert body["definitions"][0]["kind"] == "estimate"
    cell = body["cells"][0]
    assert cell["count"] is None
    if cell["status"] == "published":
        assert cell["ci_low"] <= cell["estimate"] <= cell["ci_high"]


def test_cached_reads_are_identical_with_etag(client: TestClient) -> None:
    params = {"definitions": PAIR, "date": DATE, "level": "wijk"}
    first = client.get(f"{API}/counts", params=params)
    second = client.get(f"{API}/counts", params=params)
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    assert (
        client.get(
            f"{API}/counts", params=params, headers={"If-None-Match": first.headers["etag"]}
        ).status_code
        == 304
    )


def test_bad_count_requests(client: TestClient) -> None:
    for params, status in (
        ({"definitions": PAIR, "date": "2024-13-01"}, 422),
        ({"definitions": "no-such-def", "date": DATE}, 404),
        ({"definitions": ",".join(f"d{i}" for i in range(9)), "date": DATE}, 422),
        ({"definitions": "e33-12m,e33-12m", "date": DATE}, 422),
        ({"definitions": PAIR, "date": DATE, "within": "GM9999"}, 404),
        ({"definitions": PAIR, "date": DATE, "level": "gemeente", "within": "GM0173"}, 422),
    ):
        r = client.get(f"{API}/counts", params=params)
        assert r.status_code == status, (params, r.text)
        assert r.json()["error"]["status"] == status


def test_a_definition_published_through_the_api_can_be_compared(client: TestClient, keys: Keys) -> None:
    h = keys.auth(keys.twente)
    created = client.post(f"{API}/definitions", json=draft(), headers=h)
    url = f"{API}/definitions/e33-twente/versions/0.1.0"
    # A draft is not compared for anonymous callers; its own lab may try it on data, per gemeente.
    assert (
        client.get(f"{API}/counts", params={"definitions": "e33-twente@0.1.0", "date": DATE}).status_code
        == 404
    )
    wijk = client.get(f"{API}/counts", params={"definitions": "e33-twente@0.1.0", "date": DATE}, headers=h)
    assert wijk.status_code == 403 and "per gemeente at most" in wijk.text
    assert (
        client.get(
            f"{API}/counts",
            params={"definitions": "e33-twente@0.1.0", "date": DATE, "level": "gemeente"},
            headers=h,
        ).status_code
        == 200
    )
    client.post(f"{url}/publish", headers={**h, "If-Match": created.headers["etag"]})
    body = client.get(
        f"{API}/counts", params={"definitions": "e33-twente,e33-12m", "date": DATE, "level": "gemeente"}
    ).json()
    assert body["definitions"][0]["content_hash"] == content_hash(draft())
    mine, theirs = (next(c for c in body["cells"] if c["definition"] == d) for d in ("e33-twente", "e33-12m"))
    assert mine["count"] == theirs["count"]  # same criteria as e33-12m, another author and title


def test_events_dataset(client: TestClient) -> None:
    r = client.get(f"{API}/datasets/events", params={"concept": "zc:ggz", "date": DATE, "level": "wijk"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["concept"] == "zc:ggz" and body["items"]
    assert all(
        i["persons"] is None or i["persons"] == 0 or i["persons"] > body["disclosure"]["blocked_upto"]
        for i in body["items"]
    )
    assert (
        client.get(f"{API}/datasets/events", params={"concept": "zc:nope", "date": DATE}).status_code == 404
    )


def test_counts_without_a_store_answer_503(tmp_path: Path) -> None:
    bare = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'bare.db'}"))
    try:
        r = TestClient(bare).get(f"{API}/counts", params={"definitions": PAIR, "date": DATE})
        assert r.status_code == 503 and "zicht serve --store" in r.json()["error"]["message"]
        assert TestClient(bare).get(f"{API}/health").json()["counts_available"] is False
    finally:
        bare.state.engine.dispose()


def test_suppression_mode_answers_from_one_canonical_release(client: TestClient) -> None:
    one = client.get(
        f"{API}/counts",
        params={"definitions": "e33-12m", "date": DATE, "level": "gemeente", "disclosure": "suppress"},
    )
    both = client.get(
        f"{API}/counts",
        params={
            "definitions": "ggz-specialised-12m,e33-12m",
            "date": DATE,
            "level": "gemeente",
            "disclosure": "suppress",
        },
    )
    assert one.status_code == both.status_code == 200, one.text
    assert one.json()["disclosure"]["mode"] == "suppress"
    # the same canonical release, whatever the set asked for: the cells of e33-12m are identical
    cells = {(c["region"], c["count"], c["status"]) for c in one.json()["cells"]}
    assert cells == {
        (c["region"], c["count"], c["status"]) for c in both.json()["cells"] if c["definition"] == "e33-12m"
    }
    assert {c["definition"] for c in one.json()["cells"]} == {"e33-12m"}
    wijk = client.get(
        f"{API}/counts",
        params={"definitions": "e33-12m", "date": DATE, "level": "wijk", "disclosure": "suppress"},
    )
    assert wijk.status_code == 422 and "down to gemeente" in wijk.text


def test_draft_counts_are_limited_per_key(db_url: str, small_store: Path, tmp_path: Path) -> None:
    application = create_app(
        Settings(db_url=f"sqlite:///{tmp_path / 'q.db'}", store=small_store, draft_quota=2)
    )
    try:
        client = TestClient(application)
        keys = make_keys(application)
        h = keys.auth(keys.twente)
        for n in range(3):
            assert (
                client.post(f"{API}/definitions", json=draft(f"e33-variant-{n}"), headers=h).status_code
                == 201
            )
        params = {"date": DATE, "level": "gemeente"}
        assert (
            client.get(
                f"{API}/counts", params={**params, "definitions": "e33-variant-0@0.1.0"}, headers=h
            ).status_code
            == 200
        )
        assert (
            client.get(
                f"{API}/counts", params={**params, "definitions": "e33-variant-1@0.1.0"}, headers=h
            ).status_code
            == 200
        )
        # the same contents again cost nothing; a third distinct draft is over the quota
        assert (
            client.get(
                f"{API}/counts", params={**params, "definitions": "e33-variant-0@0.1.0"}, headers=h
            ).status_code
            == 200
        )
        third = client.get(
            f"{API}/counts", params={**params, "definitions": "e33-variant-2@0.1.0"}, headers=h
        )
        assert third.status_code == 429 and "at most 2" in third.text
        other = client.get(
            f"{API}/counts",
            params={**params, "definitions": "e33-variant-0@0.1.0"},
            headers=keys.auth(keys.steward),
        )
        assert (
            other.status_code == 403 and "own field lab" in other.text
        )  # a steward reads drafts, never counts them
    finally:
        application.state.engine.dispose()


def test_csv_states_the_disclosure_rule(client: TestClient) -> None:
    r = client.get(
        f"{API}/counts",
        params={"definitions": PAIR, "date": DATE, "level": "gemeente"},
        headers={"Accept": "text/csv"},
    )
    assert r.status_code == 200
    assert "same persons always give the same published value" in r.headers["zicht-disclosure"]


def test_cached_anonymous_reads_skip_the_router_but_not_the_rules(client: TestClient, app: FastAPI) -> None:
    params = {"definitions": PAIR, "date": DATE, "level": "gemeente"}
    first = client.get(f"{API}/counts", params=params)
    again = client.get(f"{API}/counts", params=params)
    assert first.content == again.content and first.headers["etag"] == again.headers["etag"]
    assert (
        client.get(
            f"{API}/counts", params=params, headers={"If-None-Match": first.headers["etag"]}
        ).status_code
        == 304
    )
    # a presented key is always checked, cached or not
    assert (
        client.get(f"{API}/counts", params=params, headers={"Authorization": "Bearer nope"}).status_code
        == 401
    )
    # a rebuilt store (new manifest) is never served from the fast path
    fast = app.state.counts_fast
    assert any(k[0] == "raw" for k in fast._map)
    # the same question with another Accept header enters the fast path as soon as it is answered once
    other = client.get(f"{API}/counts", params=params, headers={"Accept": "application/json"})
    assert other.content == first.content
    assert any(k[0] == "raw" and k[2] == b"application/json" for k in fast._map)


@pytest.mark.parametrize(
    "accept_encoding, wants_gzip",
    [("gzip", True), ("br, gzip;q=0.8", True), ("identity", False), ("gzip;q=0", False)],
)
def test_cached_counts_are_sent_gzipped_to_clients_that_accept_it(
    client: TestClient, accept_encoding: str, wants_gzip: bool
) -> None:
    params = {"definitions": PAIR, "date": DATE, "level": "wijk"}
    plain = client.get(f"{API}/counts", params=params, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    for _ in range(2):  # the first answer comes through the router, the second from the ASGI fast path
        raw = client.stream(
            "GET", f"{API}/counts", params=params, headers={"Accept-Encoding": accept_encoding}
        )
        with raw as r:
            body = r.read()  # httpx decodes a gzip body; the encoding is in the headers
            assert r.headers.get("content-encoding") == ("gzip" if wants_gzip else None)
            assert "Accept-Encoding" in r.headers["vary"]
            assert body == plain.content
            if wants_gzip:
                assert r.headers["etag"] != plain.headers["etag"]  # another representation, another ETag
                assert int(r.headers["content-length"]) < len(plain.content) / 3
                assert r.num_bytes_downloaded == int(r.headers["content-length"])
                again = client.get(
                    f"{API}/counts",
                    params=params,
                    headers={"Accept-Encoding": accept_encoding, "If-None-Match": r.headers["etag"]},
                )
                assert again.status_code == 304
            else:
                assert r.headers["etag"] == plain.headers["etag"]


def test_counts_and_manifest_read_one_question(client: TestClient) -> None:
    """/counts and /counts/manifest declare their parameters once (CountsQuestion): the same names, types and
    defaults in OpenAPI, and the legacy alias RGTWENTE is read as CR12 by both."""
    spec = client.get(f"{API}/openapi.json").json()["paths"]

    def params(path: str) -> list[tuple]:
        return [
            (p["name"], p.get("required", False), p["schema"].get("default"), p["schema"].get("pattern"))
            for p in spec[path]["get"]["parameters"]
        ]

    assert params(f"{API}/counts/manifest") == params(f"{API}/counts")[:-1]
    assert [p[0] for p in params(f"{API}/counts")] == [
        "definitions",
        "date",
        "level",
        "within",
        "disclosure",
        "dialect",
    ]
    question = {"definitions": PAIR, "date": DATE, "level": "gemeente"}
    legacy = client.get(f"{API}/counts/manifest", params={**question, "within": "RGTWENTE"})
    current = client.get(f"{API}/counts/manifest", params={**question, "within": "CR12"})
    assert legacy.status_code == current.status_code == 200 and legacy.json() == current.json()


def test_csv_links_to_its_run_manifest_and_opens_in_excel(client: TestClient) -> None:
    params = {"definitions": PAIR, "date": DATE, "level": "gemeente"}
    r = client.get(f"{API}/counts", params=params, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and not r.text.startswith("#")
    target, rel = r.headers["link"].split(";")[:2]
    assert rel.strip() == 'rel="describedby"' and target.startswith(f"<{API}/counts/manifest?")
    manifest = client.get(target.strip("<>")).json()
    whole = client.get(f"{API}/counts", params=params).json()
    assert manifest == whole["manifest"] and manifest["disclosure"]["mode"] == "perturb"
    # a second, cached read carries the same link
    assert (
        client.get(f"{API}/counts", params=params, headers={"Accept": "text/csv"}).headers["link"]
        == (r.headers["link"])
    )
    excel = client.get(f"{API}/counts", params={**params, "dialect": "excel"}, headers={"Accept": "text/csv"})
    assert excel.content.startswith(b"\xef\xbb\xbfregion;") and b"\r\n" in excel.content
    standard_rows = list(csv.DictReader(io.StringIO(r.text)))
    excel_rows = list(csv.DictReader(io.StringIO(excel.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["count"] for row in excel_rows] == [row["count"] for row in standard_rows]
    assert [row["rate_per_1000"].replace(",", ".") for row in excel_rows] == [
        row["rate_per_1000"] for row in standard_rows
    ]
    assert client.get(f"{API}/counts", params={**params, "dialect": "tsv"}).status_code == 422
