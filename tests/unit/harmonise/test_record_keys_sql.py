"""The record keys harmonise writes are HMAC-SHA-256 of the pseudonym with the release key (the contract),
whether computed in SQL inside the store's write or by the Python reference `record_key`."""

from __future__ import annotations

import hmac
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from zicht.disclosure.record_keys import record_key, record_key_sql
from zicht.harmonise.run import harmonise


def _sql_keys(key: bytes, values: list[str | None]) -> list[int | None]:
    con = duckdb.connect()
    try:
        return [
            r[0]
            for r in con.execute(
                f"SELECT {record_key_sql(key, 'v')} FROM (SELECT unnest(?::VARCHAR[]) AS v, generate_subscripts(?::VARCHAR[], 1) AS i) "
                "ORDER BY i",
                [values, values],
            ).fetchall()
        ]
    finally:
        con.close()


def _reference(key: bytes, value: str) -> int:
    # Straight from the standard library, independent of zicht's helpers.
    return int.from_bytes(hmac.new(key, value.encode("utf-8"), "sha256").digest()[:4], "big")


@settings(max_examples=60, deadline=None)
@given(
    key=st.binary(min_size=16, max_size=200), values=st.lists(st.text(max_size=80), min_size=1, max_size=20)
)
def test_sql_record_key_is_hmac_sha256(key: bytes, values: list[str]) -> None:
    values = [v.replace("\x00", "") for v in values]  # DuckDB VARCHARs hold no NUL
    assert (
        _sql_keys(key, values) == [_reference(key, v) for v in values] == [record_key(key, v) for v in values]
    )


def test_sql_record_key_edges() -> None:
    for key in (
        b"k" * 16,
        b"k" * 64,
        b"k" * 65,
        bytes(range(256)),
    ):  # block size exactly, one over, hashed key
        values = ["", "0" * 64, "é∑漢字🙂", "a" * 1000]
        assert _sql_keys(key, values) == [_reference(key, v) for v in values]
    assert _sql_keys(b"k" * 32, [None]) == [None]
    assert all(0 <= k < 2**32 for k in _sql_keys(b"\xff" * 32, [str(i) for i in range(500)]))


def test_store_record_keys_are_hmac_of_the_person_id(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    key = b"a release key of 32 bytes, exact"
    harmonise(inp, tmp_path / "store", mappings_dir=maps, release_key=key)
    con = duckdb.connect(str(tmp_path / "store" / "zicht.duckdb"), read_only=True)
    rows = con.execute("SELECT id, record_key FROM person ORDER BY id").fetchall()
    con.close()
    assert len(rows) == 8
    assert [k for _, k in rows] == [_reference(key, i) for i, _ in rows]
