"""CSV as every door writes it (CLI, API, page), in two dialects, never with a comment line.

No single file opens with default settings in both pandas and a Dutch Excel: Excel with Dutch regional
settings splits on ``;`` and reads ``12,5`` as a number, pandas splits on ``,`` and reads ``12.5`` (and a
``sep=`` first line, Excel's own hint, is a data row to pandas). So there are two:

- ``standard`` (default): RFC 4180 with ``,`` and a decimal point, UTF-8 without a BOM — pandas, R,
  DuckDB and Python's csv module read it with their defaults;
- ``excel``: ``;`` between fields, a decimal comma, CRLF and a UTF-8 BOM (without the BOM Excel reads
  UTF-8 as Windows-1252 and garbles names such as "Sûdwest-Fryslân") — what Excel with Dutch regional
  settings opens by double-click, and what it writes itself as "CSV UTF-8".

In both, a text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP).
The run manifest never goes into the CSV; it is a file or URL beside it.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zicht.choices import CSV_DIALECTS, CsvDialect
from zicht.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

BOM = "\ufeff"
SEPARATOR = {"standard": ",", "excel": ";"}
LINE_END = {"standard": "\n", "excel": "\r\n"}


def check_dialect(dialect: str) -> CsvDialect:
    if dialect not in CSV_DIALECTS:
        raise InputError(f"unknown CSV dialect {dialect!r} (choose {', '.join(CSV_DIALECTS)})")
    return dialect  # narrowed to CsvDialect by the membership test


def frame_csv(frame: pd.DataFrame, dialect: CsvDialect = "standard") -> bytes:
    """A pandas frame as CSV bytes in the dialect (text cells defused)."""
    dialect = check_dialect(dialect)
    from pandas.api.types import is_float_dtype, is_numeric_dtype

    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if is_float_dtype(values.dtype):
            # counts held as floats (a column with gaps): 1099, not 1099.0 / 1099,0
            known = values.dropna()
            if len(known) and bool((known == known.round()).all()) and bool((known.abs() < 2**53).all()):
                out[col] = values.astype("Int64")
        elif not is_numeric_dtype(values.dtype):
            out[col] = values.map(lambda v: defuse(v) if isinstance(v, str) else v)
    buf = io.StringIO()
    out.to_csv(
        buf,
        index=False,
        sep=SEPARATOR[dialect],
        decimal="," if dialect == "excel" else ".",
        lineterminator=LINE_END[dialect],
    )
    return _encode(buf.getvalue(), dialect)


def rows_csv(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], dialect: CsvDialect = "standard"
) -> bytes:
    """Dict rows as CSV bytes in the dialect: lists joined by ``;`` (``|`` in the excel dialect, whose
    separator ``;`` is), dicts as JSON, None empty."""
    dialect = check_dialect(dialect)
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf,
        fieldnames=list(columns),
        delimiter=SEPARATOR[dialect],
        extrasaction="ignore",
        lineterminator=LINE_END[dialect],
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(v, dialect) for k, v in row.items()})
    return _encode(buf.getvalue(), dialect)


def cell(value: Any, dialect: CsvDialect = "standard") -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return repr(value).replace(".", ",") if dialect == "excel" else value
    if isinstance(value, (list, tuple)):
        return defuse(("|" if dialect == "excel" else ";").join(str(v) for v in value))
    if isinstance(value, dict):
        return defuse(json.dumps(value, ensure_ascii=False, sort_keys=True))
    if isinstance(value, str):
        return defuse(value)
    return value


def _encode(text: str, dialect: CsvDialect) -> bytes:
    return ((BOM if dialect == "excel" else "") + text).encode("utf-8")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def defuse(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR — also their full-width
    forms) gets a leading apostrophe, as OWASP advises against CSV injection; numbers stay numbers."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
