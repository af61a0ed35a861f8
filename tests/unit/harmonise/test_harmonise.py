"""Harmonise on a hand-written delivery: every row accounted for, idempotent, BSNs refused."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from tests.unit.harmonise.conftest import WMO_ROWS, key
from zicht.cli import app
from zicht.engines.store import _unique_by_harmonise, open_store
from zicht.harmonise.run import QUARANTINE_ROW, harmonise

runner = CliRunner()


def _query(store: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(store / "zicht.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_row_is_harmonised_or_quarantined_with_its_reason(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    store = tmp_path / "store"
    outcome = harmonise(inp, store, mappings_dir=maps)
    expected_q = {i + 1: outcome_ for i, (_, outcome_) in enumerate(WMO_ROWS) if outcome_ is not None}
    got_q = {
        row: (reason, column)
        for row, reason, column in _query(
            store, "SELECT source_row, reason, \"column\" FROM quarantine WHERE source_id = 'wmo-test'"
        )
    }
    assert got_q == expected_q
    harmonised_rows = {
        r for (r,) in _query(store, "SELECT source_row FROM event WHERE source_id = 'wmo-test'")
    }
    assert harmonised_rows == {i + 1 for i, (_, o) in enumerate(WMO_ROWS) if o is None}
    wmo = outcome.manifest["sources"]["wmo-test"]
    assert wmo["rows_read"] == len(WMO_ROWS) == wmo["rows_harmonised"] + wmo["rows_quarantined"]
    assert sum(wmo["quarantined_by_reason"].values()) == wmo["rows_quarantined"]


def test_concepts_follow_the_mapping_predicates(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    harmonise(inp, tmp_path / "store", mappings_dir=maps)
    rows = _query(
        tmp_path / "store",
        "SELECT source_row, concept, mapping_predicate, end_date, region_code FROM event ORDER BY source_row",
    )
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "zc:support_guidance_individual", "skos:exactMatch"),
        (2, "zc:support_guidance", "skos:broadMatch"),  # broadMatch assigns the broader concept
        (12, "zc:support_day_activities", "skos:exactMatch"),
    ]
    assert rows[0][3] is None  # empty end date = still running
    assert str(rows[1][3]) == "2023-06-30" and rows[0][4] == "BU015301S01"


def test_persons_deduplicated_and_linked(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    outcome = harmonise(inp, tmp_path / "store", mappings_dir=maps)
    persons = _query(
        tmp_path / "store",
        "SELECT id, sex, birth_year, residence_gemeente, residence_wijk FROM person WHERE id = ?".replace(
            "?", f"'{key(1)}'"
        ),
    )
    assert persons == [(key(1), "female", 1951, "GM0153", "WK015301")]
    assert _query(tmp_path / "store", "SELECT count(*) FROM person") == [(8,)]
    assert _query(
        tmp_path / "store", "SELECT source_row, reason FROM quarantine WHERE source_id = 'brp'"
    ) == [(9, "duplicate_person")]
    (link,) = outcome.manifest["linkage"]
    # wmo persons with events: keys 1, 2, 8; all three are in the register
    assert (link["source_a"], link["source_b"], link["persons_both"]) == ("brp", "wmo-test", 3)
    assert link["share_of_b_in_a"] == 1.0


def test_person_key_is_the_rank_of_the_id_and_repeated_on_events(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    wmo = inp / "extracts" / "wmo-test" / "wmo_GM0153.csv"
    wmo.write_text(wmo.read_text() + f"{key(99)};BG01;2023-01-01;;BU015301S01\n")  # not in the register
    outcome = harmonise(inp, tmp_path / "store", mappings_dir=maps)
    store = tmp_path / "store"
    persons = _query(store, "SELECT id, person_key FROM person ORDER BY id")
    assert [k for _, k in persons] == list(range(1, len(persons) + 1))
    keys = dict(persons)
    events = _query(store, "SELECT person_id, person_key FROM event")
    assert {pid for pid, _ in events} == {key(1), key(2), key(8), key(99)}
    assert all(k == keys.get(pid) for pid, k in events)  # NULL for the person not in the register
    # the Parquet files carry the same columns, and the manifest the format that vouches for unique ids
    con = duckdb.connect()
    parquet = con.execute(f"SELECT person_id, person_key FROM '{store}/parquet/event.parquet'").fetchall()
    assert sorted(parquet, key=str) == sorted(events, key=str)
    assert outcome.manifest["format"] == 3
    with open_store(store) as opened:  # the manifest vouches for unique ids: no check of every id at open
        assert opened.has_person_key and _unique_by_harmonise(opened)


def _digests(store: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((store / "parquet").glob("*.parquet"))
    }


def test_second_run_gives_byte_identical_tables(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    first = harmonise(inp, tmp_path / "a", mappings_dir=maps)
    second = harmonise(inp, tmp_path / "b", mappings_dir=maps)
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert len(_digests(tmp_path / "a")) == 8
    assert first.manifest["content_hash"] == second.manifest["content_hash"]
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert "run" in manifest and manifest["tables"]["event"]["rows"] == 3


def _add_bsn(inp: Path) -> None:
    path = inp / "extracts" / "wmo-test" / "wmo_GM0153.csv"
    lines = path.read_text().splitlines()
    lines.insert(4, "111222333;BG01;2023-01-01;;")  # row 4: a bare BSN as person key
    path.write_text("\n".join(lines) + "\n")


def test_bsn_refuses_the_whole_file(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    _add_bsn(inp)
    outcome = harmonise(inp, tmp_path / "store", mappings_dir=maps)
    (message,) = outcome.refused
    assert "extracts/wmo-test/wmo_GM0153.csv: row 4, column 'client_key'" in message
    assert "111222333" not in message
    assert _query(tmp_path / "store", "SELECT count(*) FROM event") == [(0,)]
    assert _query(tmp_path / "store", "SELECT count(*) FROM quarantine WHERE source_id = 'wmo-test'") == [
        (0,)
    ]
    refused = outcome.manifest["sources"]["wmo-test"]["refused_files"]
    assert [r["file"] for r in refused] == ["extracts/wmo-test/wmo_GM0153.csv"]


def test_bsn_refusal_exit_code_on_the_cli(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    _add_bsn(inp)
    result = runner.invoke(
        app, ["harmonise", "--in", str(inp), "--out", str(tmp_path / "s"), "--mappings", str(maps), "--quiet"]
    )
    assert result.exit_code == 1
    assert "111222333" not in result.output


def test_bsn_rows_quarantined_when_asked(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    _add_bsn(inp)
    harmonise(inp, tmp_path / "store", mappings_dir=maps, bsn_policy=QUARANTINE_ROW)
    rows = _query(
        tmp_path / "store",
        "SELECT source_row, reason, \"column\", detail FROM quarantine WHERE reason = 'bsn_detected'",
    )
    assert [(r[0], r[1], r[2]) for r in rows] == [(4, "bsn_detected", "client_key")]
    assert "111222333" not in rows[0][3]
    assert _query(tmp_path / "store", "SELECT count(*) FROM event") == [(3,)]


def test_undecodable_bytes_cost_the_row_not_the_file(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    path = inp / "extracts" / "wmo-test" / "wmo_GM0153.csv"
    data = path.read_bytes().replace(b";BG09;", b";BG09\xe9;", 1)  # row 2
    path.write_bytes(data)
    harmonise(inp, tmp_path / "store", mappings_dir=maps)
    assert _query(
        tmp_path / "store",
        "SELECT reason, \"column\" FROM quarantine WHERE source_row = 2 AND source_id = 'wmo-test'",
    ) == [("bad_encoding", "productcode")]
    assert _query(tmp_path / "store", "SELECT count(*) FROM event") == [(2,)]


def test_header_mismatch_refuses_that_file_only(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    path = inp / "extracts" / "wmo-test" / "wmo_GM0153.csv"
    path.write_text(path.read_text().replace("productcode", "product", 1))
    outcome = harmonise(inp, tmp_path / "store", mappings_dir=maps)
    (message,) = outcome.refused
    assert message.startswith("extracts/wmo-test/wmo_GM0153.csv:1: header does not match source 'wmo-test'")
    assert "productcode" in message and str(tmp_path) not in message
    wmo = outcome.manifest["sources"]["wmo-test"]
    assert wmo["refused_files"] == [{"file": "extracts/wmo-test/wmo_GM0153.csv", "reason": message}]
    assert outcome.manifest["sources"]["brp"]["rows_harmonised"] == 8  # the other files are harmonised


def test_coverage_reports_unassigned_codes(delivery) -> None:
    inp, maps = delivery
    result = runner.invoke(
        app,
        [
            "mappings",
            "coverage",
            str(inp / "extracts" / "wmo-test"),
            "--source",
            "wmo-test",
            "--mappings",
            str(maps),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    got = {(c["code"], c["status"], c["records"]) for c in doc["not_covered"]}
    assert got == {
        ("MO01", "no_assignable_mapping", 1),
        ("HH01", "no_term_found", 1),
        ("XX99", "unmapped_code", 1),
    }
    assert doc["records"] == len(WMO_ROWS)  # every row carries a code (coverage counts all rows)
