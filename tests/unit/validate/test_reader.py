"""Reading extracts: unreadable input is an InputError (exit 2) that says what and where, without values."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zicht.errors import InputError
from zicht.validate.reader import FILE, ROW, read_extracts

COLUMNS = ["client_key", "toewijzing", "product", "begin", "eind", "wijk", "geboortejaar", "gewicht"]
ROW1 = "0123456789abcdef;T1;02A01;2023-01-01;;WK015301;1980;1.5"


def _read(path: Path, delimiter: str = ";", encoding: str = "utf-8"):
    return read_extracts([path], COLUMNS, delimiter=delimiter, encoding=encoding)


def test_cells_are_text_and_empty_cells_are_missing(write_csv) -> None:
    table = _read(write_csv([ROW1])).table
    assert table.column("geboortejaar").to_pylist() == ["1980"]
    assert table.column("eind").to_pylist() == [None]
    assert table.column(ROW).to_pylist() == [1] and table.column(FILE).to_pylist() == [0]


def test_wrong_delimiter_is_named(write_csv) -> None:
    path = write_csv([ROW1])
    with pytest.raises(InputError, match=r"line 1: the header is semicolon-delimited, but the source descriptor declares delimiter ','"):
        _read(path, delimiter=",")


def test_missing_column_is_named(write_csv) -> None:
    path = write_csv(["0123456789abcdef;T1;02A01"], header="client_key;toewijzing;product")
    with pytest.raises(InputError, match=r"missing column\(s\) begin, eind, wijk, geboortejaar, gewicht"):
        _read(path)


def test_wrong_encoding_is_an_input_error_with_the_line(write_csv) -> None:
    rows = [ROW1.replace("T1", f"Të{i}") for i in range(20)]
    path = write_csv(rows, encoding="latin-1")
    with pytest.raises(InputError, match=r"line 2: not utf-8 text .* 20 of 22 lines are affected"):
        _read(path)


def test_a_few_undecodable_bytes_become_replacement_characters(write_csv) -> None:
    rows = [ROW1.replace("T1", f"T{i}") for i in range(40)]
    path = write_csv(rows)
    data = path.read_bytes().replace(b"T7;", b"T7\xe9;")
    path.write_bytes(data)
    table = _read(path).table
    assert table.column("toewijzing").to_pylist()[7] == "T7\ufffd"


def test_broken_row_names_the_line_without_echoing_it(write_csv) -> None:
    path = write_csv([ROW1, ROW1 + ";123456782;extra"])
    with pytest.raises(InputError) as info:
        _read(path)
    assert "line 3: 10 fields where the header has 8" in str(info.value)
    assert "123456782" not in str(info.value)


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        _read(tmp_path / "absent.csv")
    other = tmp_path / "x.xlsx"
    other.write_text("x")
    with pytest.raises(InputError, match="cannot read .xlsx"):
        _read(other)


def test_parquet_columns_become_text(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    data = {c: pa.array(["a"]) for c in COLUMNS}
    data["geboortejaar"] = pa.array([1980], pa.int64())
    data["eind"] = pa.array([None], pa.string())
    pq.write_table(pa.table(data), path)
    table = _read(path).table
    assert table.column("geboortejaar").to_pylist() == ["1980"]
    assert table.column("eind").to_pylist() == [None]


def test_extra_columns_are_kept_and_listed(write_csv) -> None:
    header = "client_key;toewijzing;product;begin;eind;wijk;geboortejaar;gewicht;opmerking"
    extract = read_extracts([write_csv([ROW1 + ";x"], header=header)], COLUMNS, delimiter=";", encoding="utf-8")
    assert list(extract.extra_columns.values()) == [["opmerking"]]


def test_several_files_number_rows_per_file(write_csv) -> None:
    a = write_csv([ROW1, ROW1], name="a.csv")
    b = write_csv([ROW1], name="b.csv")
    table = read_extracts([a, b], COLUMNS, delimiter=";", encoding="utf-8").table
    assert table.column(FILE).to_pylist() == [0, 0, 1]
    assert table.column(ROW).to_pylist() == [1, 2, 1]
