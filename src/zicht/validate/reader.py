"""Reading source extracts into one table of text cells, with harmonise's reader, or a precise InputError.

validate and harmonise read a file with the same function (`zicht.harmonise.extract.load_extract`: DuckDB,
every column as the text the source delivered), so a file that validates is read the same way when it is
harmonised, and one that cannot be read fails both with the same message. The rules (docs/stewards.md):
``.csv``, ``.tsv`` and ``.txt`` are delimited text read with the descriptor's delimiter and encoding,
``.parquet`` is Parquet with plain columns; the header holds exactly the descriptor's columns (a missing,
undeclared or repeated column is an error naming them). An empty cell is missing. Input that cannot be
read at all is an ``InputError`` (exit code 2) naming the file and the line; cell values are never quoted.

On top of that, validate refuses a file in which more than 5 % of the lines do not decode: it is in another
encoding altogether (harmonise would quarantine those rows one by one). Fewer broken lines reach the
checks with U+FFFD in place of the bad bytes, which the encoding shape reports cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from zicht.errors import InputError
from zicht.harmonise.extract import EXTRACT_SUFFIXES, load_extract
from zicht.harmonise.schema import quoted
from zicht.mappings.descriptor import SourceDescriptor

FILE = "__file"  # index of the file in ExtractTable.files
ROW = "__row"  # 1 = first data row of its file

_WRONG_ENCODING_SHARE = 0.05


@dataclass
class ExtractTable:
    """The rows of one or more extract files of a source: text columns (Python str, None when missing) plus
    ``__file`` and ``__row``, in file then row order."""

    frame: pd.DataFrame
    files: list[str]

    @property
    def num_rows(self) -> int:
        return len(self.frame)

    def column_names(self) -> list[str]:
        return [n for n in self.frame.columns if n not in (FILE, ROW)]

    def text(self, column: str) -> list[str | None]:
        return self.frame[column].tolist()


def read_extracts(paths: list[Path], descriptor: SourceDescriptor) -> ExtractTable:
    """Read every file of a source; each must have exactly the descriptor's columns."""
    if not paths:
        raise InputError("no extract files given")
    columns = [c.name for c in descriptor.columns]
    frames: list[pd.DataFrame] = []
    con = duckdb.connect()
    try:
        for index, path in enumerate(paths):
            if not path.is_file():
                raise InputError(
                    f"{path}: " + ("a folder, not an extract file" if path.is_dir() else "no such file")
                )
            suffix = path.suffix.lower()
            if suffix not in EXTRACT_SUFFIXES:
                raise InputError(
                    f"{path}: cannot read {suffix or 'files without an extension'}; expected "
                    f"{', '.join(EXTRACT_SUFFIXES)}"
                )
            _, bad = load_extract(con, path, descriptor, table="extract")
            rows = con.execute(
                f"SELECT {', '.join(quoted(c) for c in columns)}, source_row FROM extract ORDER BY source_row"
            ).fetchnumpy()
            if bad:
                _refuse_other_encoding(path, len(bad), len(rows["source_row"]), descriptor.encoding)
            # dtype object: pandas would otherwise turn the text into its string dtype, with NaN for None.
            frame = pd.DataFrame({c: pd.Series(_text(rows[c]), dtype=object) for c in columns})
            frame[FILE] = np.full(len(frame), index, dtype=np.int64)
            frame[ROW] = np.asarray(rows["source_row"], dtype=np.int64)
            frames.append(frame)
    finally:
        con.close()
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return ExtractTable(frame, [str(p) for p in paths])


def _text(values: np.ndarray) -> np.ndarray:
    out = np.asarray(np.ma.getdata(values), dtype=object).copy()
    out[np.ma.getmaskarray(values)] = None
    return out


def _refuse_other_encoding(path: Path, bad_rows: int, rows: int, encoding: str) -> None:
    if bad_rows <= max(1, _WRONG_ENCODING_SHARE * (rows + 1)):
        return
    data = path.read_bytes()
    try:
        data.decode(encoding)
        return
    except UnicodeDecodeError as exc:
        first = data.count(b"\n", 0, exc.start) + 1
        lines = data.split(b"\n")
        broken = sum(1 for line in lines if not _decodes(line, encoding))
        guess = " (it looks like latin-1/cp1252)" if encoding.lower().replace("-", "") == "utf8" else ""
        raise InputError(
            f"{path}: line {first}: not {encoding} text — byte 0x{data[exc.start]:02x} at offset {exc.start} "
            f"cannot be decoded, and {broken} of {len(lines)} lines are affected{guess}; the descriptor declares "
            f"encoding {encoding}"
        ) from None


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True
