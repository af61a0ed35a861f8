"""Keyed pseudonyms: HMAC-SHA-256, key never in the output, BSNs in other columns refused."""

from __future__ import annotations

import csv
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
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )


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
    result = runner.invoke(
        app,
        [
            "pseudonymise",
            str(src),
            "--out",
            str(tmp_path / "o.csv"),
            "--column",
            "id",
            "--key-env",
            "ZICHT_TEST_KEY",
        ],
    )
    assert result.exit_code == 0, result.output
    assert KEY.decode() not in result.output
    assert pseudonym(KEY, "123456782") in (tmp_path / "o.csv").read_text()


def test_every_column_stays_exact_text(tmp_path: Path) -> None:
    """Type guessing would make 000123 and 123 one person, postcode 0123 into 123 and 1.50 into 1.5."""
    src = tmp_path / "in.csv"
    src.write_text(
        'id,postcode,bedrag,naam_code,leeg\n000123,0123,1.50, 007 ,\n123,1234,2.0,x,\n0123,0001,1e3,"a,b",\n',
        encoding="utf-8",
    )
    key = b"k" * 32
    result = pseudonymise_csv(src, tmp_path / "out.csv", "id", key)
    assert result.rows == 3
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "postcode", "bedrag", "naam_code", "leeg"]
    assert [r[1:] for r in rows[1:]] == [
        ["0123", "1.50", " 007 ", ""],
        ["1234", "2.0", "x", ""],
        ["0001", "1e3", "a,b", ""],
    ]
    ids = [r[0] for r in rows[1:]]
    assert ids == [pseudonym(key, "000123"), pseudonym(key, "123"), pseudonym(key, "0123")]
    assert len(set(ids)) == 3  # three persons stay three persons


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"id,id\n1,2\n", "appear more than once"),
        ("id\n1\n".encode("utf-16"), "not utf-8 text"),
        (b"id,x\n1,2,3\n", "Expected 2 columns, got 3$"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path: Path, content: bytes, message: str) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(content)
    with pytest.raises(InputError, match=message):
        pseudonymise_csv(src, tmp_path / "out.csv", "id", b"k" * 32)
    assert not (tmp_path / "out.csv").exists()


def test_multi_character_delimiter_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id\n1\n")
    with pytest.raises(InputError, match="one character"):
        pseudonymise_csv(src, tmp_path / "out.csv", "id", b"k" * 32, delimiter=";;")
