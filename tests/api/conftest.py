"""The API suite runs twice: on a SQLite file and on a throwaway PostgreSQL cluster."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.postgres import Cluster, find_bin_dir, running_cluster
from zicht.api.app import create_app
from zicht.api.settings import Settings
from zicht.db.keys import create_key

TWENTE = "Proeftuin Twente (voorbeeld)"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) are not on PATH nor under /usr/lib/postgresql/*/bin"
        )
    with running_cluster(bin_dir) as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.db'}"
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(cluster.admin_conninfo(), autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    yield cluster.url(name)
    with psycopg.connect(cluster.admin_conninfo(), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def app(db_url: str) -> Iterator[FastAPI]:
    application = create_app(Settings(db_url=db_url))
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@dataclass(frozen=True)
class Keys:
    twente: str
    other_lab: str
    steward: str
    admin: str

    @staticmethod
    def auth(key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}


def make_keys(app: FastAPI) -> Keys:
    """One key per role boundary the tests cross: two field labs, a steward and an admin."""
    with app.state.sessions() as session:
        made = [
            create_key(session, "fieldlab", TWENTE)[1],
            create_key(session, "fieldlab", "Proeftuin Elders")[1],
            create_key(session, "steward")[1],
            create_key(session, "admin")[1],
        ]
        session.commit()
    return Keys(*made)


@pytest.fixture
def keys(app: FastAPI) -> Keys:
    return make_keys(app)


# One small gemeente keeps the synthetic store quick to build (about 30,000 residents).
STORE_GEMEENTEN = ["GM0173"]


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory):
    """A harmonised store made by the real synth + harmonise Python APIs."""
    from zicht.harmonise.run import QUARANTINE_ROW, harmonise
    from zicht.synth.run import run as synthesise

    root = tmp_path_factory.mktemp("api-store")
    synthesise("twente", 11, root / "synth", gemeenten=STORE_GEMEENTEN)
    harmonise(root / "synth", root / "store", bsn_policy=QUARANTINE_ROW)
    return root / "store"
