"""The registry database: migrations, seeding once, keys stored hashed, the keys command."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from typer.testing import CliRunner

from zicht.cli import app as cli
from zicht.db.definitions import seed_from_registry
from zicht.db.engine import make_engine, open_database
from zicht.db.keys import find_key, hash_key
from zicht.db.models import ApiKey, DefinitionVersion
from zicht.errors import ZichtError


def test_migrations_create_the_schema_and_are_idempotent(db_url: str) -> None:
    engine, _ = open_database(db_url)
    engine2, _ = open_database(db_url)  # a second start finds the schema at head
    tables = set(inspect(engine).get_table_names())
    assert {"definition_version", "api_key", "note", "audit_log", "zicht_meta", "alembic_version"} <= tables
    engine.dispose()
    engine2.dispose()


def test_seed_runs_once(db_url: str) -> None:
    engine, sessions = open_database(db_url)
    with sessions() as s:
        first = seed_from_registry(s)
        s.commit()
        assert first > 0
        s.delete(s.scalars(select(DefinitionVersion)).first())
        s.commit()
        assert seed_from_registry(s) == 0
    engine.dispose()


def test_keys_create_prints_the_key_once_and_stores_its_hash(db_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["keys", "create", "--role", "fieldlab", "--lab", "Proeftuin Twente", "--db", db_url]
    )
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[0]
    assert key.startswith("zk_") and len(key) > 40
    engine, sessions = open_database(db_url)
    with sessions() as s:
        rows = list(s.scalars(select(ApiKey)))
        assert [(r.role, r.lab) for r in rows] == [("fieldlab", "Proeftuin Twente")]
        assert rows[0].key_hash == hash_key(key) and key not in rows[0].key_hash
        assert find_key(s, key) is not None and find_key(s, key + "x") is None
    engine.dispose()


def test_keys_create_refuses_bad_roles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    bad = CliRunner().invoke(cli, ["keys", "create", "--role", "god", "--db", url])
    assert bad.exit_code == 2 and "'god' is not one of 'fieldlab', 'steward', 'admin'" in bad.output
    no_lab = CliRunner().invoke(cli, ["keys", "create", "--role", "fieldlab", "--db", url])
    assert no_lab.exit_code != 0 and "--lab" in str(no_lab.exception)


def test_database_urls() -> None:
    assert make_engine("postgresql://someone@localhost/zicht").url.drivername == "postgresql+psycopg"
    with pytest.raises(ZichtError, match="not valid"):
        make_engine("not a url")
    with pytest.raises(ZichtError, match="unsupported database"):
        make_engine("mysql://u@h/db")


def test_keys_list_and_revoke(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    key = (
        CliRunner()
        .invoke(cli, ["keys", "create", "--role", "steward", "--db", url])
        .stdout.strip()
        .splitlines()[0]
    )
    listed = CliRunner().invoke(cli, ["keys", "list", "--db", url])
    assert (
        listed.exit_code == 0
        and "steward" in listed.stdout
        and "active" in listed.stdout
        and key not in listed.stdout
    )
    assert CliRunner().invoke(cli, ["keys", "revoke", "1", "--db", url]).exit_code == 0
    assert "revoked" in CliRunner().invoke(cli, ["keys", "list", "--db", url]).stdout
    engine, sessions = open_database(url)
    with sessions() as s:
        assert find_key(s, key) is None
    engine.dispose()
    missing = CliRunner().invoke(cli, ["keys", "revoke", "99", "--db", url])
    assert missing.exit_code != 0 and "no API key" in str(missing.exception)
