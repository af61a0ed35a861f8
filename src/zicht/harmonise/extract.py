"""Reading one extract file into DuckDB as text, with its row numbers, exactly as delivered.

Every declared column is read as VARCHAR: typing happens in the row checks, so that a bad date or number
becomes a quarantined row with a reason instead of a failed load or a silently emptied cell.
`source_row` counts from 1 for the first data row after the header (docs/store.md).
"""

from __future__ import annotations

import codecs
import csv
import fnmatch
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from zicht.errors import InputError
from zicht.harmonise.schema import quoted
from zicht.mappings.descriptor import SourceDescriptor
from zicht.sql import scalar

# The one rule for what is an extract (validate and harmonise alike, docs/stewards.md): delimited text read
# with the descriptor's delimiter and encoding, whatever its suffix says, or Parquet.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
EXTRACT_SUFFIXES = (*TEXT_SUFFIXES, ".parquet")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# Parquet column types that are not one plain value per cell.
_NESTED = ("STRUCT", "MAP", "UNION")
_BINARY = ("BLOB", "BIT", "VARIANT")
_DUCKDB_ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "latin-1": "latin-1",
    "iso-8859-1": "latin-1",
    "latin1": "latin-1",
}


def extract_files(in_dir: Path, descriptor: SourceDescriptor) -> list[Path]:
    """The source's files under ``IN/extracts/<source_id>/`` that match its file pattern, sorted by name (the
    order of `source_file` in the store: harmonise stages events in store order, `store.write_store`)."""
    folder = in_dir / "extracts" / descriptor.id
    if not folder.is_dir():
        return []
    pattern = descriptor.file_pattern
    files = [
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in EXTRACT_SUFFIXES
        and (pattern is None or fnmatch.fnmatch(p.name, pattern))
    ]
    return sorted(files, key=lambda p: p.name)


def skipped_entries(in_dir: Path, descriptor: SourceDescriptor) -> list[dict[str, str]]:
    """What lies in ``IN/extracts/<source_id>/`` but is not read, with the reason (for the manifest): a
    backup copy, a subfolder or a file outside the file pattern must be seen, not silently left out."""
    folder = in_dir / "extracts" / descriptor.id
    if not folder.is_dir():
        return []
    read = set(extract_files(in_dir, descriptor))
    out = []
    for p in sorted(folder.iterdir()):
        if p in read or p.name == f"{descriptor.id}.source.yaml":
            continue
        if p.is_dir():
            why = "a folder: extracts are read from extracts/<source_id>/ only, not from subfolders"
        elif not p.is_file():
            why = "not a regular file (a broken link, a device or a link loop)"
        elif p.suffix.lower() not in EXTRACT_SUFFIXES:
            why = (
                f"not an extract: only {', '.join(EXTRACT_SUFFIXES)} files are read "
                f"(this is {p.suffix or 'without suffix'})"
            )
        else:
            why = f"does not match the descriptor's file_pattern {descriptor.file_pattern!r}"
        out.append({"file": p.relative_to(in_dir).as_posix(), "reason": why})
    return out


def load_extract(
    con: duckdb.DuckDBPyConnection, path: Path, descriptor: SourceDescriptor, table: str = "raw"
) -> tuple[list[str], list[int]]:
    """Load ``path`` as temp view ``table`` (source_row + the file's columns as VARCHAR).

    Returns the file's column names and the rows that are not valid text in the declared encoding (those
    are loaded with U+FFFD in place of the bad bytes, so that they can be quarantined by row). Refuses
    files whose columns differ from the descriptor's.
    """
    # Nothing of an earlier file may remain readable as ``table`` when this one cannot be loaded.
    con.execute(f"DROP VIEW IF EXISTS {table}")
    con.execute(f"DROP TABLE IF EXISTS {_loaded(table)}")
    if path.suffix.lower() == ".parquet":
        columns = _parquet_columns(con, path)
        _check_columns(path, columns, descriptor)
        select = ", ".join(f"CAST({quoted(c)} AS VARCHAR) AS {quoted(c)}" for c in columns)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {_loaded(table)} AS SELECT file_row_number + 1 AS source_row, {select} "
            "FROM read_parquet(?, file_row_number = true)",
            [str(path)],
        )
        con.execute(f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM {_loaded(table)}")
        return columns, []
    with _utf8_copy(path, descriptor.encoding) as (readable, encoding):
        columns = _csv_header(readable, descriptor.delimiter, encoding, path)
        _check_columns(path, columns, descriptor)
        try:
            _read_csv(con, readable, columns, descriptor.delimiter, encoding, _loaded(table))
            bad: list[int] = []
        except duckdb.Error as exc:
            if encoding != "utf-8":
                raise _unreadable(path, descriptor, exc) from None
            # A few bytes that are not UTF-8 must cost those rows, not the file: decode line by line,
            # mark the rows, and read a copy with the bad bytes replaced.
            with _marked_copy(path) as (copy, bad):
                if not bad:
                    raise _unreadable(path, descriptor, exc) from None
                try:
                    _read_csv(con, copy, columns, descriptor.delimiter, "utf-8", _loaded(table))
                except duckdb.Error as again:
                    raise _unreadable(path, descriptor, again) from None
    # rowid follows insertion order, which DuckDB preserves for a CSV scan. The file is held once: `table`
    # is a view that numbers the loaded rows, not a second copy of them.
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT rowid + 1 AS source_row, * FROM {_loaded(table)}"
    )
    _refuse_swallowed_rows(con, table, path, descriptor, columns)
    return columns, bad


def _refuse_swallowed_rows(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, descriptor: SourceDescriptor, columns: list[str]
) -> None:
    """A stray quote at the start of a cell opens a value that runs on over the next lines: the rows in
    between would silently become one cell. Only free text may span lines, and not with whole rows in it."""
    text_columns = {c.name for c in descriptor.columns if c.role == "text"}
    delimiter = descriptor.delimiter.replace("'", "''")
    whole_row = f"[^\n]*{re.escape(descriptor.delimiter)}" * max(1, len(columns) - 1)
    checks = []
    for c in columns:
        ref = quoted(c)
        if c in text_columns:
            checks.append(f"regexp_matches({ref}, '\n{whole_row.replace(chr(39), chr(39) * 2)}')")
        else:
            checks.append(f"contains({ref}, chr(10))")
    if not checks or not delimiter:
        return
    found = scalar(con, f"SELECT min(source_row) FROM {table} WHERE " + " OR ".join(checks))
    if found is not None:
        raise InputError(
            f"{path}: data row {found}: a quote opens a value that runs on over the following lines "
            '(a stray " at the start of a cell?); the rows in it would be lost — fix the quoting'
        )


def _loaded(table: str) -> str:
    """The temp table holding the file's cells; ``table`` itself is a view over it with `source_row`."""
    return f"{table}_loaded"


def _read_csv(
    con: duckdb.DuckDBPyConnection, path: Path, columns: list[str], delimiter: str, encoding: str, target: str
) -> None:
    spec = "{" + ", ".join(f"'{c.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for c in columns) + "}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM read_csv(?, header = true, auto_detect = false, "
        f"columns = {spec}, delim = ?, quote = '\"', escape = '\"', strict_mode = true, encoding = ?)",
        [str(path), delimiter, encoding],
    )


def _unreadable(path: Path, descriptor: SourceDescriptor, exc: Exception) -> InputError:
    where = _broken_record(path, descriptor)
    if where:
        return InputError(f"{path}: {where} (delimiter {descriptor.delimiter!r}; check quoting)")
    first = str(exc).strip().splitlines()[0]
    return InputError(
        f"{path}: cannot be read as {descriptor.encoding} CSV with delimiter "
        f"{descriptor.delimiter!r}: {first}"
    )


def _broken_record(path: Path, descriptor: SourceDescriptor) -> str | None:
    """Where the first record with another number of fields than the header is, without its values."""
    try:
        with path.open(encoding=descriptor.encoding, errors="replace", newline="") as fh:
            reader = csv.reader(fh, delimiter=descriptor.delimiter)
            expected = None
            for record in reader:
                if expected is None:
                    expected = len(record)
                elif record and len(record) != expected:
                    return f"line {reader.line_num}: {len(record)} fields where the header has {expected}"
    except (csv.Error, LookupError, OSError):
        return None
    return None


@contextmanager
def _marked_copy(path: Path) -> Iterator[tuple[Path, list[int]]]:
    """A UTF-8 copy where undecodable bytes are U+FFFD, and the data rows (1-based) that had them.

    Rows are counted as CSV records (quoted newlines kept), so the numbers match `source_row`.
    """
    bad: list[int] = []
    with tempfile.TemporaryDirectory(prefix="zicht-utf8-") as tmp:
        target = Path(tmp) / (path.stem + ".utf8.csv")
        with path.open("rb") as src, target.open("w", encoding="utf-8", newline="") as dst:
            record, in_quotes, row = [], False, 0
            for raw in src:
                try:
                    text = raw.decode("utf-8")
                    broken = False
                except UnicodeDecodeError:
                    text = raw.decode("utf-8", errors="replace")
                    broken = True
                dst.write(text)
                record.append(broken)
                in_quotes ^= text.count('"') % 2 == 1
                if not in_quotes:
                    if row > 0 and any(record):
                        bad.append(row)
                    row += 1
                    record = []
        yield target, bad


def _parquet_columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    try:
        rows = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as exc:
        raise InputError(f"{path}: not a readable Parquet file: {str(exc).splitlines()[0]}") from None
    for name, kind, *_ in rows:
        if "[" in kind or kind.upper().startswith(_NESTED) or kind.upper() in _BINARY:
            raise InputError(
                f"{path}: column {str(name)[:60]!r} has Parquet type {kind[:60]}; an extract holds "
                "one plain value (text, number or date) per cell"
            )
    return [r[0] for r in rows]


def _csv_header(path: Path, delimiter: str, encoding: str, shown: Path) -> list[str]:
    # Only the first line is decoded: a bad byte further down costs its row, not the file.
    with path.open("rb") as fh:
        first = fh.readline()
    if not first:
        raise InputError(f"{shown}: empty file (no header row)")
    try:
        text = first.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{shown}:1: header is not {encoding} text (byte {exc.start})") from None
    text = text.rstrip("\r\n")
    if "\r" in text:
        raise InputError(
            f"{shown}:1: lines end in a carriage return only (CR); save the file with LF or CRLF line ends"
        )
    if "\x00" in text:
        raise InputError(f"{shown}:1: the header holds a NUL byte; is the file UTF-16 or binary?")
    try:
        # Spaces around a header name are layout, not part of the name (the cells keep theirs).
        return [name.strip() for name in next(csv.reader([text], delimiter=delimiter))]
    except csv.Error as exc:
        raise InputError(f"{shown}:1: header is not a {delimiter!r}-separated line: {exc}") from None


def _check_columns(path: Path, columns: list[str], descriptor: SourceDescriptor) -> None:
    declared = [c.name for c in descriptor.columns]
    missing = [c for c in declared if c not in columns]
    extra = [c for c in columns if c not in declared]
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing declared column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"undeclared column(s) {', '.join(extra)} (declare them in {descriptor.path.name})")
    if dupes:
        problems.append(f"duplicate column(s) {', '.join(dupes)}")
    if missing and len(missing) == len(declared):
        problems = [_wrong_delimiter(path, descriptor) or problems[0]]
    if problems:
        raise InputError(f"{path}:1: header does not match source {descriptor.id!r}: {'; '.join(problems)}")


def _wrong_delimiter(path: Path, descriptor: SourceDescriptor) -> str | None:
    """None of the declared columns is in the header: say so if another delimiter would split it right."""
    if path.suffix.lower() == ".parquet":
        return None
    declared = [c.name for c in descriptor.columns]
    with path.open("rb") as fh:
        line = fh.readline().decode(descriptor.encoding, errors="replace").lstrip("\ufeff").rstrip("\r\n")
    for other, name in _DELIMITER_NAMES.items():
        if other != descriptor.delimiter and sum(f.strip() in declared for f in line.split(other)) >= max(
            1, len(declared) // 2
        ):
            return (
                f"the header is {name}-delimited, but the source descriptor declares delimiter "
                f"{descriptor.delimiter!r} ({_DELIMITER_NAMES.get(descriptor.delimiter, 'other')})"
            )
    return None


@contextmanager
def _utf8_copy(path: Path, encoding: str) -> Iterator[tuple[Path, str]]:
    """The file itself when DuckDB can read its encoding, otherwise a UTF-8 copy made by streaming."""
    name = encoding.strip().lower()
    if name in _DUCKDB_ENCODINGS:
        yield path, _DUCKDB_ENCODINGS[name]
        return
    try:
        codecs.lookup(name)
    except LookupError:
        raise InputError(f"{path}: unknown encoding {encoding!r} in the source descriptor") from None
    with tempfile.TemporaryDirectory(prefix="zicht-transcode-") as tmp:
        target = Path(tmp) / (path.stem + ".utf8.csv")
        try:
            with (
                path.open(encoding=name, newline="") as src,
                target.open("w", encoding="utf-8", newline="") as dst,
            ):
                for block in iter(lambda: src.read(1 << 20), ""):
                    dst.write(block)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not {encoding} text (byte {exc.start})") from None
        yield target, "utf-8"


def undecodable_cells(
    con: duckdb.DuckDBPyConnection, columns: list[str], rows: list[int], table: str = "raw"
) -> list[tuple[int, str]]:
    """(row, first column holding a replaced byte) for the rows `load_extract` found undecodable."""
    if not rows:
        return []
    which = (
        "CASE "
        + " ".join(
            f"WHEN contains({quoted(c)}, '\ufffd') THEN '{c.replace(chr(39), chr(39) * 2)}'" for c in columns
        )
        + " ELSE '' END"
    )
    placeholders = ", ".join("?" for _ in rows)
    found = dict(
        con.execute(
            f"SELECT source_row, {which} FROM {table} WHERE source_row IN ({placeholders})", rows
        ).fetchall()
    )
    return [(r, found.get(r, "")) for r in rows]
