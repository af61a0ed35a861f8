"""The two CSV dialects: standard opens in pandas with its defaults, excel is what Excel with Dutch
regional settings opens by double-click (semicolons, decimal comma, UTF-8 BOM); neither has a comment
line, and both defuse formula-like text."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from zicht.csvfile import frame_csv, rows_csv
from zicht.errors import InputError

FRAME = pd.DataFrame(
    {
        "region_name": ["Sûdwest-Fryslân", "=HYPERLINK(1)", "Hof van Twente; Oost"],
        "rate_per_1000": [1.5, None, 12.25],
        "count": [3, 0, 12],
    }
)


def test_standard_reads_back_with_pandas_defaults() -> None:
    data = frame_csv(FRAME)
    assert not data.startswith(b"\xef\xbb\xbf") and data.startswith(b"region_name,rate_per_1000,count\n")
    back = pd.read_csv(io.BytesIO(data))
    assert back["region_name"].tolist() == ["Sûdwest-Fryslân", "'=HYPERLINK(1)", "Hof van Twente; Oost"]
    assert back["rate_per_1000"].tolist()[::2] == [1.5, 12.25] and back["count"].tolist() == [3, 0, 12]


def test_excel_is_semicolon_decimal_comma_bom_crlf() -> None:
    data = frame_csv(FRAME, "excel")
    assert data.startswith(b"\xef\xbb\xbfregion_name;rate_per_1000;count\r\n")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["Sûdwest-Fryslân", "1,5", "3"]
    assert rows[2][0] == "'=HYPERLINK(1)" and rows[3] == ["Hof van Twente; Oost", "12,25", "12"]
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",")
    assert back.columns.tolist() == FRAME.columns.tolist()  # the BOM is not part of the first name
    assert back["rate_per_1000"].tolist()[::2] == [1.5, 12.25]


def test_rows_in_both_dialects() -> None:
    rows = [{"a": 0.5, "b": ["x", "y"], "c": None, "d": "-cmd"}]
    assert rows_csv(rows, "abcd") == b"a,b,c,d\n0.5,x;y,,'-cmd\n"
    assert rows_csv(rows, "abcd", "excel") == "\ufeffa;b;c;d\r\n0,5;x|y;;'-cmd\r\n".encode()


def test_unknown_dialect_is_refused() -> None:
    with pytest.raises(InputError, match="unknown CSV dialect 'tsv'"):
        frame_csv(FRAME, "tsv")  # type: ignore[arg-type]
