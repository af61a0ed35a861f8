"""Reading source extracts (CSV or Parquet) into one table of text cells, or a precise InputError.

Every cell is kept as the text the source delivered (an empty cell is missing), because validation is
about that text: a date column with ``2024-02-30`` must reach the checks as ``2024-02-30``. Reading is
shared by both engines, so they always see the same table. Input that cannot be read at all — a missing
file, the wrong encoding, the wrong delimiter, missing columns, broken rows — is an ``InputError`` (exit
code 2) that names the file, the line and what was expected; cell values are never quoted in it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from zicht.errors import InputError
from zicht.privacy import redact

FILE = "__file"  # index of the file in ExtractTable.files
ROW = "__row"  # 1 = first data row of its file

_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# A file where more than this share of lines does not decode is in another encoding altogether; fewer
# broken lines are reported cell by cell (the cells hold U+FFFD, which the encoding shape reports).
_WRONG_ENCODING_SHARE = 0.05


@dataclass
class ExtractTable:
    """The rows of one or more extract files of a source: text columns plus ``__file`` and ``__row``."""

    table: pa.Table
    files: list[str]
    extra_columns: dict[str, list[str]]  # file → columns present but not in the descriptor

    @property
    def num_rows(self) -> int:
        return self.table.num_rows

    def column_names(self) -> list[str]:
        return [n for n in self.table.column_names if n not in (FILE, ROW)]


def read_extracts(paths: list[Path], columns: list[str], *, delimiter: str, encoding: str) -> ExtractTable:
    """Read every file; each must have all ``columns`` (extra columns are kept and listed)."""
    if not paths:
        raise InputError("no extract files given")
    tables: list[pa.Table] = []
    extras: dict[str, list[str]] = {}
    for index, path in enumerate(paths):
        raw = _read_one(path, columns, delimiter=delimiter, encoding=encoding)
        extra = [c for c in raw.column_names if c not in columns]
        if extra:
            extras[str(path)] = extra
        n = raw.num_rows
        cols = {c: raw.column(c) for c in columns}
        cols[FILE] = pa.array([index] * n, type=pa.int32())
        cols[ROW] = pa.array(range(1, n + 1), type=pa.int64())
        for extra_name in extra:
            cols[extra_name] = raw.column(extra_name)
        tables.append(pa.table(cols))
    table = pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]
    return ExtractTable(table.combine_chunks(), [str(p) for p in paths], extras)


def _read_one(path: Path, columns: list[str], *, delimiter: str, encoding: str) -> pa.Table:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        table = _read_parquet(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        table = _read_csv(path, columns, delimiter=delimiter, encoding=encoding)
    else:
        raise InputError(f"{path}: cannot read {suffix or 'files without an extension'}; expected .csv or .parquet")
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        present = ", ".join(table.column_names) or "none"
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} required by the source descriptor (found: {present})")
    return table


def _read_parquet(path: Path) -> pa.Table:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({type(exc).__name__})") from None
    out = {}
    for name, column in zip(table.column_names, table.columns):
        kind = column.type
        if pa.types.is_nested(kind) or pa.types.is_binary(kind) or pa.types.is_large_binary(kind) \
                or pa.types.is_fixed_size_binary(kind) or pa.types.is_dictionary(kind) and not pa.types.is_string(kind.value_type):
            raise InputError(f"{path}: column {str(name)[:60]!r} has Parquet type {str(kind)[:60]}; an extract holds "
                             "one plain value (text, number or date) per cell")
        try:
            out[name] = column if pa.types.is_string(kind) else pc.cast(column, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise InputError(f"{path}: column {str(name)[:60]!r} ({str(kind)[:60]}) cannot be read as text: "
                             f"{type(exc).__name__}") from None
    return pa.table(out)


def _read_csv(path: Path, columns: list[str], *, delimiter: str, encoding: str) -> pa.Table:
    data = path.read_bytes()
    text = _decode(path, data, encoding)
    header_line = text.split("\n", 1)[0].rstrip("\r")
    if "\r" in header_line:
        raise InputError(f"{path}: line 1: lines end in a carriage return only (CR); save the file with LF or CRLF "
                         "line ends")
    try:
        header = next(csv.reader([header_line], delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputError(f"{path}: line 1: the header cannot be read as CSV ({exc})") from None
    repeated = sorted({h.strip() for h in header if [x.strip() for x in header].count(h.strip()) > 1})
    if repeated:
        raise InputError(f"{path}: line 1: column(s) {', '.join(repeated)} appear more than once in the header")
    if not any(h.strip() in columns for h in header):
        _explain_wrong_header(path, header_line, header, columns, delimiter)
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(encoding="utf8", block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise InputError(_broken_rows_message(path, text, delimiter, str(exc))) from None
    return table.rename_columns([c.strip() for c in table.column_names])


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except LookupError:
        raise InputError(f"{path}: the source descriptor declares an unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        lines = data.split(b"\n")
        bad = sum(1 for line in lines if not _decodes(line, encoding))
        first = data.count(b"\n", 0, exc.start) + 1
        if first == 1 or bad > max(1, _WRONG_ENCODING_SHARE * len(lines)):
            guess = " (it looks like latin-1/cp1252)" if encoding.lower().replace("-", "") == "utf8" else ""
            raise InputError(
                f"{path}: line {first}: not {encoding} text — byte 0x{data[exc.start]:02x} at offset {exc.start} "
                f"cannot be decoded, and {bad} of {len(lines)} lines are affected{guess}; the descriptor declares "
                f"encoding {encoding}"
            ) from None
        text = data.decode(encoding, errors="replace")
    return text.removeprefix("\ufeff")


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _explain_wrong_header(path: Path, header_line: str, header: list[str], columns: list[str], delimiter: str) -> None:
    for other, name in _DELIMITERS.items():
        if other == delimiter:
            continue
        fields = [f.strip() for f in header_line.split(other)]
        if sum(f in columns for f in fields) >= max(1, len(columns) // 2):
            raise InputError(
                f"{path}: line 1: the header is {name}-delimited, but the source descriptor declares delimiter "
                f"{delimiter!r} ({_DELIMITERS.get(delimiter, 'other')})"
            )
    raise InputError(
        f"{path}: line 1: none of the descriptor's columns ({', '.join(columns)}) is in the header "
        f"(found {len(header)} field(s): {', '.join(redact(h[:40]) for h in header[:10])})"
    )


def _broken_rows_message(path: Path, text: str, delimiter: str, arrow_message: str) -> str:
    # Arrow's message quotes the row; find the line ourselves so that no cell value is echoed.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    expected = None
    try:
        for record in reader:
            if expected is None:
                expected = len(record)
                continue
            if len(record) != expected and record:
                return (
                    f"{path}: line {reader.line_num}: {len(record)} fields where the header has {expected} "
                    f"(delimiter {delimiter!r}; check quoting)"
                )
    except csv.Error as exc:
        return f"{path}: line {reader.line_num + 1}: cannot parse as CSV with delimiter {delimiter!r} ({exc})"
    found = re.search(r"Expected \d+ columns, got \d+", arrow_message)
    return f"{path}: cannot parse as CSV with delimiter {delimiter!r}" + (f" ({found.group(0)})" if found else "")
