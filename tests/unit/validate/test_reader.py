"""Reading extracts (harmonise's reader, shared): unreadable input is an InputError (exit 2) that says what
and where, without values; a file validate reads is one harmonise reads (docs/stewards.md)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zicht.errors import InputError
from zicht.mappings.descriptor import SourceDescriptor
from zicht.validate.reader import FILE, ROW, read_extracts

COLUMNS = ["client_key", "toewijzing", "product", "begin", "eind", "wijk", "geboortejaar", "gewicht"]
ROW1 = "0123456789abcdef;T1;02A01;2023-01-01;;WK015301;1980;1.5"


def _with(descriptor: SourceDescriptor, **changes: str) -> SourceDescriptor:
    return SourceDescriptor(descriptor.path, {**descriptor.data, **changes})


@pytest.fixture(autouse=True)
def _descriptor(descriptor: SourceDescriptor) -> None:
    global DESCRIPTOR
    DESCRIPTOR = descriptor
    assert [c.name for c in descriptor.columns] == COLUMNS


def _read(path: Path, delimiter: str = ";", encoding: str = "utf-8"):
    return read_extracts([path], _with(DESCRIPTOR, delimiter=delimiter, encoding=encoding))


def test_cells_are_text_and_empty_cells_are_missing(write_csv) -> None:
    table = _read(write_csv([ROW1])).frame
    assert table["geboortejaar"].tolist() == ["1980"]
    assert table["eind"].tolist() == [None]
    assert table[ROW].tolist() == [1] and table[FILE].tolist() == [0]


def test_wrong_delimiter_is_named(write_csv) -> None:
    path = write_csv([ROW1])
    with pytest.raises(
        InputError,
        match=r"extract.csv:1: header does not match source 'testbron': the header is "
        r"semicolon-delimited, but the source descriptor declares delimiter ','",
    ):
        _read(path, delimiter=",")


def test_missing_column_is_named(write_csv) -> None:
    path = write_csv(["0123456789abcdef;T1;02A01"], header="client_key;toewijzing;product")
    with pytest.raises(
        InputError, match=r"missing declared column\(s\) begin, eind, wijk, geboortejaar, gewicht"
    ):
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
    table = _read(path).frame
    assert table["toewijzing"].tolist()[7] == "T7\ufffd"


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
    with pytest.raises(InputError, match="a folder"):
        _read(tmp_path)


@pytest.mark.parametrize("suffix", [".tsv", ".txt", ".CSV"])
def test_delimited_text_under_any_text_suffix(write_csv, suffix: str) -> None:
    table = _read(write_csv([ROW1], name=f"extract{suffix}")).frame
    assert table["client_key"].tolist() == ["0123456789abcdef"]


def test_parquet_columns_become_text(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    data = {c: pa.array(["a"]) for c in COLUMNS}
    data["geboortejaar"] = pa.array([1980], pa.int64())
    data["eind"] = pa.array([None], pa.string())
    pq.write_table(pa.table(data), path)
    table = _read(path).frame
    assert table["geboortejaar"].tolist() == ["1980"]
    assert table["eind"].tolist() == [None]


@pytest.mark.parametrize("kind", [pa.list_(pa.string()), pa.binary(), pa.struct([("a", pa.int64())])])
def test_parquet_columns_that_hold_more_than_one_value_are_refused(tmp_path: Path, kind: pa.DataType) -> None:
    path = tmp_path / "x.parquet"
    data = {c: pa.array(["a"]) for c in COLUMNS}
    data["toewijzing"] = pa.array(
        [[] if pa.types.is_list(kind) else b"\x00" if pa.types.is_binary(kind) else {"a": 1}], type=kind
    )
    pq.write_table(pa.table(data), path)
    with pytest.raises(InputError, match="column 'toewijzing' has Parquet type .*one plain value"):
        _read(path)


def test_an_undeclared_column_is_refused_as_harmonise_refuses_it(write_csv) -> None:
    header = "client_key;toewijzing;product;begin;eind;wijk;geboortejaar;gewicht;opmerking"
    with pytest.raises(
        InputError, match=r"undeclared column\(s\) opmerking \(declare them in testbron.source.yaml\)"
    ):
        _read(write_csv([ROW1 + ";x"], header=header))


def test_spaces_around_header_names_do_not_matter(write_csv) -> None:
    header = " client_key ;toewijzing;product;begin;eind;wijk;geboortejaar;gewicht"
    assert _read(write_csv([ROW1], header=header)).frame["client_key"].tolist() == ["0123456789abcdef"]


def test_several_files_number_rows_per_file(write_csv) -> None:
    a = write_csv([ROW1, ROW1], name="a.csv")
    b = write_csv([ROW1], name="b.csv")
    table = read_extracts([a, b], DESCRIPTOR).frame
    assert table[FILE].tolist() == [0, 0, 1]
    assert table[ROW].tolist() == [1, 2, 1]
