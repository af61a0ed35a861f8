"""Harmonise with one hostile file among good ones: the file is refused (or its rows quarantined) with a
reason in the manifest, every other file is harmonised, nothing of an identifier is stored, and per file
rows read = harmonised + quarantined."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tests.unit.harmonise.conftest import WMO_ROWS, key
from zicht.cli import app
from zicht.harmonise.run import QUARANTINE_ROW, harmonise

HEADER = "client_key;productcode;ingangsdatum;einddatum;buurt"
GOOD = HEADER + "\n" + "\n".join(r for r, _ in WMO_ROWS) + "\n"
ROW = f"{key(20)};BG01;2023-05-01;;BU015301S01"

MALFORMED: dict[str, bytes] = {
    "empty": b"",
    "only_newline": b"\n",
    "utf16": GOOD.encode("utf-16"),
    "wrong_delimiter": GOOD.replace(";", ",").encode(),
    "missing_column": (HEADER.rsplit(";", 1)[0] + "\n" + ROW.rsplit(";", 1)[0] + "\n").encode(),
    "extra_column": (HEADER + ";extra\n" + ROW + ";x\n").encode(),
    "nul_in_header": ("client_key\x00;productcode;ingangsdatum;einddatum;buurt\n" + ROW + "\n").encode(),
    "million_char_line": (HEADER + "\n" + "x" * 1_000_000 + "\n").encode(),
    "cr_only_line_ends": (HEADER + "\r" + ROW + "\r").encode(),
    "duplicated_header_column": (HEADER + ";buurt\n" + ROW + ";BU015301S01\n").encode(),
    "unbalanced_quote": (HEADER + "\n" + f'{key(21)};"BG01;2023-05-01;;\n').encode(),
    "binary": bytes(range(256)) * 40,
    "header_only_garbage": b"\xff\xfe\x00\x00garbage",
}


def _store_rows(store: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(store / "zicht.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _accounted(manifest: dict) -> None:
    for source in manifest["sources"].values():
        assert source["rows_read"] == source["rows_harmonised"] + source["rows_quarantined"]
        for f in source["files"]:
            assert f["rows_read"] == f["rows_harmonised"] + f["rows_quarantined"], f
            assert sum(f["quarantined_by_reason"].values()) == f["rows_quarantined"], f
            if f["refused"] is not None:
                assert f["refused"].strip()


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_file_is_refused_and_the_rest_harmonised(name: str, delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    (inp / "extracts" / "wmo-test" / "wmo_bad.csv").write_bytes(MALFORMED[name])
    outcome = harmonise(inp, tmp_path / "store", mappings_dir=maps)
    wmo = outcome.manifest["sources"]["wmo-test"]
    files = {f["file"]: f for f in wmo["files"]}
    good = files["extracts/wmo-test/wmo_GM0153.csv"]
    assert good["refused"] is None and good["rows_harmonised"] == 3
    bad = files["extracts/wmo-test/wmo_bad.csv"]
    assert bad["refused"], bad  # refused with a reason ...
    assert [r["file"] for r in wmo["refused_files"]] == ["extracts/wmo-test/wmo_bad.csv"]
    assert outcome.refused and "wmo_bad.csv" in outcome.refused[0]
    assert str(tmp_path) not in json.dumps(outcome.manifest["sources"])  # ... naming no server path
    _accounted(outcome.manifest)


def test_refusal_exit_code_and_message(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    (inp / "extracts" / "wmo-test" / "wmo_bad.csv").write_bytes(MALFORMED["utf16"])
    result = CliRunner().invoke(
        app,
        ["harmonise", "--in", str(inp), "--out", str(tmp_path / "store"), "--mappings", str(maps), "--quiet"],
    )
    assert result.exit_code == 1, result.output
    assert "zicht: refused: extracts/wmo-test/wmo_bad.csv" in result.output
    assert (tmp_path / "store" / "zicht.duckdb").is_file()


def test_backups_subfolders_and_other_files_are_listed_as_skipped(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    folder = inp / "extracts" / "wmo-test"
    shutil.copy(folder / "wmo_GM0153.csv", folder / "wmo_GM0153.csv.bak")
    (folder / "old").mkdir()
    (folder / "old" / "wmo_GM0153.csv").write_text(GOOD)
    (folder / "README.txt").write_text("notes")
    outcome = harmonise(inp, tmp_path / "store", mappings_dir=maps)
    skipped = {s["file"]: s["reason"] for s in outcome.manifest["sources"]["wmo-test"]["skipped_files"]}
    assert set(skipped) == {
        "extracts/wmo-test/wmo_GM0153.csv.bak",
        "extracts/wmo-test/old",
        "extracts/wmo-test/README.txt",
    }
    assert all(reason for reason in skipped.values())


def test_an_extract_copied_under_a_second_name_is_harmonised_once(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    folder = inp / "extracts" / "wmo-test"
    shutil.copy(folder / "wmo_GM0153.csv", folder / "wmo_GM0153_kopie.csv")
    outcome = harmonise(inp, tmp_path / "store", mappings_dir=maps)
    files = {f["file"]: f for f in outcome.manifest["sources"]["wmo-test"]["files"]}
    copy = files["extracts/wmo-test/wmo_GM0153_kopie.csv"]
    assert copy["rows_harmonised"] == 0 and copy["events"] == 0
    assert copy["quarantined_by_reason"]["duplicate_record_id"] == 3
    assert _store_rows(tmp_path / "store", "SELECT count(*) FROM event") == [(3,)]
    details = _store_rows(
        tmp_path / "store", "SELECT DISTINCT detail FROM quarantine WHERE reason = 'duplicate_record_id'"
    )
    assert all(d.startswith("same values as extracts/wmo-test/wmo_GM0153.csv row ") for (d,) in details)
    _accounted(outcome.manifest)


def test_dates_long_before_the_period_are_quarantined(delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    rows = [
        f"{key(30)};BG01;0000-01-01;;",
        f"{key(31)};BG01;1800-01-01;;",
        f"{key(32)};BG01;2023-01-01;0001-01-01;",
    ]
    (inp / "extracts" / "wmo-test" / "wmo_old.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    outcome = harmonise(inp, tmp_path / "store", mappings_dir=maps)
    got = _store_rows(
        tmp_path / "store",
        'SELECT source_row, reason, "column" FROM quarantine '
        "WHERE source_file LIKE '%wmo_old.csv' ORDER BY 1",
    )
    assert got == [
        (1, "bad_date", "ingangsdatum"),
        (2, "before_period", "ingangsdatum"),
        (3, "before_period", "einddatum"),
    ] or got == [
        (1, "before_period", "ingangsdatum"),
        (2, "before_period", "ingangsdatum"),
        (3, "before_period", "einddatum"),
    ]
    assert _store_rows(
        tmp_path / "store",
        "SELECT count(*) FROM event WHERE start_date < DATE '1900-01-01' OR end_date < DATE '1900-01-01'",
    ) == [(0,)]
    _accounted(outcome.manifest)


IDENTIFIERS = {
    "bsn_nbsp": "111\u00a0222\u00a0333",
    "bsn_fullwidth": "１１１２２２３３３",
    "bsn_slashes": "123/456/782",
    "bsn_underscores": "123_456_782",
    "bsn_prefix": "NL123456782",
    "bsn_decimal": "123456782.0",
    "bsn_scientific": "1.23456782e+08",
    "email": "jan.devries@example.nl",
    "phone": "06-12345678",
}


@pytest.mark.parametrize("name", sorted(IDENTIFIERS))
@pytest.mark.parametrize("column", ["productcode", "buurt", "einddatum"])
def test_identifiers_in_any_column_are_never_stored(name: str, column: str, delivery, tmp_path: Path) -> None:
    inp, maps = delivery
    value = IDENTIFIERS[name]
    cells = dict(zip(HEADER.split(";"), ROW.split(";"), strict=False))
    cells[column] = value
    (inp / "extracts" / "wmo-test" / "wmo_id.csv").write_text(HEADER + "\n" + ";".join(cells.values()) + "\n")
    outcome = harmonise(inp, tmp_path / "store", mappings_dir=maps, bsn_policy=QUARANTINE_ROW)
    dump = _dump(tmp_path / "store")
    assert value not in dump
    if name.startswith("bsn"):
        assert "123456782" not in dump and "111222333" not in dump
    files = {f["file"]: f for f in outcome.manifest["sources"]["wmo-test"]["files"]}
    reasons = files["extracts/wmo-test/wmo_id.csv"]["quarantined_by_reason"]
    assert reasons == {"bsn_detected": 1} if name.startswith("bsn") else {"direct_identifier": 1}
    # The default policy refuses a file with a BSN as a whole.
    if name.startswith("bsn"):
        refused = harmonise(inp, tmp_path / "store2", mappings_dir=maps)
        assert any("wmo_id.csv: row 1" in m and value not in m for m in refused.refused)
        assert value not in _dump(tmp_path / "store2")


def _dump(store: Path) -> str:
    """Every value of every table of the store, and the manifest, as one text."""
    con = duckdb.connect(str(store / "zicht.duckdb"), read_only=True)
    try:
        parts = [(store / "manifest.json").read_text(encoding="utf-8")]
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            parts.extend(str(row) for row in con.execute(f'SELECT * FROM "{table}"').fetchall())
        for parquet in sorted((store / "parquet").glob("*.parquet")):
            parts.extend(
                str(row) for row in con.execute("SELECT * FROM read_parquet(?)", [str(parquet)]).fetchall()
            )
        return "\n".join(parts)
    finally:
        con.close()
