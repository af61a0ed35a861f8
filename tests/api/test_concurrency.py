"""Optimistic concurrency: of writers holding the same ETag exactly one wins, the others get 412."""

from __future__ import annotations

import threading

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm.exc import StaleDataError

from tests.api.conftest import Keys
from tests.api.drafts import draft
from zicht.db.definitions import get_version, replace_document

API = "/api/v1"
DRAFT = f"{API}/definitions/e33-twente/versions/0.1.0"


def test_concurrent_puts_with_the_same_etag_one_wins(app: FastAPI, client: TestClient, keys: Keys) -> None:
    etag = client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.twente)).headers["etag"]
    writers = 6
    barrier = threading.Barrier(writers)
    results: dict[int, int] = {}

    def write(i: int) -> None:
        body = draft()
        body["title"] = f"writer {i}"
        with TestClient(app) as own:
            barrier.wait()
            r = own.put(DRAFT, json=body, headers={**keys.auth(keys.twente), "If-Match": etag})
            results[i] = r.status_code

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == [200] + [412] * (writers - 1)
    winner = next(i for i, status in results.items() if status == 200)
    assert client.get(DRAFT, headers=keys.auth(keys.twente)).json()["title"] == f"writer {winner}"
    log = client.get(f"{API}/audit", headers=keys.auth(keys.admin)).json()["items"]
    assert [e["action"] for e in log] == ["definition.update", "definition.create"]


def test_compare_and_set_in_the_database(app: FastAPI, client: TestClient, keys: Keys) -> None:
    # Both sessions read the same revision; the database lets only the first UPDATE through, even when
    # both passed the If-Match check in the handler.
    client.post(f"{API}/definitions", json=draft(), headers=keys.auth(keys.twente))
    with app.state.sessions() as first, app.state.sessions() as second:
        a = get_version(first, "e33-twente", "0.1.0")
        b = get_version(second, "e33-twente", "0.1.0")
        assert a is not None and b is not None and a.revision == b.revision
        doc_a, doc_b = draft(), draft()
        doc_a["title"], doc_b["title"] = "first", "second"
        replace_document(a, doc_a)
        first.commit()
        replace_document(b, doc_b)
        with pytest.raises(StaleDataError):
            second.commit()
    assert client.get(DRAFT, headers=keys.auth(keys.twente)).json()["title"] == "first"
