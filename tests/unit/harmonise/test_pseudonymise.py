"""Keyed pseudonyms: HMAC-SHA-256, key never in the output, BSNs in other columns refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zicht.cli import app
from zicht.errors import InputError
from zicht.pseudonymise import load_key, pseudonym, pseudonymise_csv

runner = CliRunner()
KEY = b"field-lab-secret-key-0123456789"


def test_rfc4231_test_vector() -> None:
    # RFC 4231, test case 2
    assert pseudonym(b"Jefe", "what do ya want for nothing?") == (
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")


def test_csv_column_replaced_and_key_not_written(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id;code\n123456782;A\n;B\nabc;C\n")
    out = tmp_path / "out.csv"
    result = pseudonymise_csv(src, out, "id", KEY, delimiter=";")
    assert (result.rows, result.hashed) == (3, 2)
    lines = out.read_text().splitlines()
    assert lines[0] == "id;code"
    assert lines[1] == f"{pseudonym(KEY, '123456782')};A"
    assert lines[2] == ";B"
    assert KEY.decode() not in out.read_text()


def test_bsn_in_other_column_refuses_and_leaves_no_output(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,note\nx1,ok\nx2,belde 123456782 terug\n")
    out = tmp_path / "out.csv"
    with pytest.raises(InputError, match=r"row 2, column 'note'") as err:
        pseudonymise_csv(src, out, "id", KEY)
    assert "123456782" not in str(err.value)
    assert not out.exists() and list(tmp_path.iterdir()) == [src]


def test_key_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keyfile = tmp_path / "key"
    keyfile.write_bytes(KEY + b"\n")
    assert load_key(keyfile, None) == KEY
    monkeypatch.setenv("ZICHT_TEST_KEY", KEY.decode())
    assert load_key(None, "ZICHT_TEST_KEY") == KEY
    with pytest.raises(InputError, match="at least 16"):
        keyfile.write_bytes(b"short")
        load_key(keyfile, None)
    with pytest.raises(InputError, match="exactly one"):
        load_key(keyfile, "ZICHT_TEST_KEY")


def test_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,code\n123456782,A\n")
    monkeypatch.setenv("ZICHT_TEST_KEY", KEY.decode())
    result = runner.invoke(app, ["pseudonymise", str(src), "--out", str(tmp_path / "o.csv"), "--column", "id",
                                 "--key-env", "ZICHT_TEST_KEY"])
    assert result.exit_code == 0, result.output
    assert KEY.decode() not in result.output
    assert pseudonym(KEY, "123456782") in (tmp_path / "o.csv").read_text()
