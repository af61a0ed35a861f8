"""Keyed pseudonyms at the source: HMAC-SHA-256 of a person id with a secret key, as lowercase hex.

The same key in every source makes records link on the pseudonym, while the id cannot be recovered or
re-computed without the key. The key comes from a file or an environment variable and is never
written anywhere: not in the output, not in a message. Other columns of the file must not carry a BSN:
such a file is refused and no output is left behind.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from zicht.errors import InputError
from zicht.privacy import redact, scan_frame

MIN_KEY_BYTES = 16


def load_key(key_file: Path | None, key_env: str | None) -> bytes:
    """The secret key from exactly one of a file (its bytes, a final newline removed) or an env variable."""
    if (key_file is None) == (key_env is None):
        raise InputError("give the key with exactly one of --key-file or --key-env")
    if key_file is not None:
        try:
            key = key_file.read_bytes().rstrip(b"\r\n")
        except FileNotFoundError:
            raise InputError(f"{key_file}: key file not found") from None
        where = f"key file {key_file}"
    else:
        value = os.environ.get(key_env or "")
        if value is None:
            raise InputError(f"environment variable {key_env} is not set")
        key = value.encode("utf-8")
        where = f"environment variable {key_env}"
    if len(key) < MIN_KEY_BYTES:
        raise InputError(f"{where}: key is {len(key)} bytes; use at least {MIN_KEY_BYTES} random bytes")
    return key


def pseudonym(key: bytes, person_id: str) -> str:
    """HMAC-SHA-256 of the id (surrounding spaces removed) as 64 lowercase hex digits."""
    return hmac.new(key, person_id.strip().encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PseudonymiseResult:
    rows: int
    hashed: int  # non-empty ids replaced
    output: Path


def pseudonymise_csv(
    source: Path,
    target: Path,
    column: str,
    key: bytes,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    block_rows: int = 100_000,
) -> PseudonymiseResult:
    """Replace ``column`` of a CSV file by its pseudonym, streaming; refuse files with a BSN elsewhere."""
    if not source.is_file():
        raise InputError(f"{source}: no such file")
    if source.resolve() == target.resolve():
        raise InputError(f"{target}: write the pseudonymised file next to the original, not over it")
    if len(delimiter) != 1 or delimiter in '\r\n"':
        raise InputError(
            f"--delimiter must be one character other than a quote or line end, got {delimiter!r}"
        )
    names = _header(source, delimiter, encoding)
    if column not in names:
        raise InputError(f"{source}:1: no column {column!r} (columns: {', '.join(names)})")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=".pseudonymise-", suffix=".csv", dir=target.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    rows = hashed = 0
    position = names.index(column)
    try:
        # Python's csv reader gives every cell as the exact text of the file: no type guessing (which would
        # make ids 000123 and 123 one person, turn postcode 0123 into 123 and 1.50 into 1.5), and an empty
        # cell stays an empty string. Its writer quotes only where needed, like the source files it replaces.
        with (
            source.open(encoding=encoding, newline="") as fh,
            tmp.open("w", encoding="utf-8", newline="") as sink,
        ):
            records = csv.reader(fh, delimiter=delimiter, strict=True)
            next(records)  # the header, read by _header
            writer = csv.writer(sink, delimiter=delimiter, lineterminator="\n")
            writer.writerow(names)
            for batch in _batches(source, records, len(names), block_rows, encoding):
                others = pd.DataFrame(
                    [r[:position] + r[position + 1 :] for r in batch],
                    dtype=object,
                    columns=names[:position] + names[position + 1 :],
                )
                found = [
                    f
                    for f in scan_frame(others, file=str(source), first_row=rows + 1)
                    if f.kind == "bsn" and f.row is not None
                ]
                if found:
                    first = found[0]
                    raise InputError(
                        f"{source}: row {first.row}, column {first.column!r}: value passes the BSN "
                        f"11-check (value not shown); only column {column!r} may hold the person id — "
                        "the file is refused and no output is written",
                        exit_code=1,
                    )
                for record in batch:
                    value = record[position]
                    if value.strip():
                        record[position] = pseudonym(key, value)
                        hashed += 1
                rows += len(batch)
                writer.writerows(batch)
        tmp.replace(target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return PseudonymiseResult(rows, hashed, target)


def _header(source: Path, delimiter: str, encoding: str) -> list[str]:
    """The column names of the file's first line; an error for an empty file or repeated names."""
    try:
        with source.open(encoding=encoding, newline="") as fh:
            first = next(csv.reader(fh, delimiter=delimiter), None)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}:1: not {encoding} text (byte {exc.start})") from None
    except csv.Error as exc:
        raise InputError(f"{source}:1: header is not a {delimiter!r}-separated line: {exc}") from None
    if not first:
        raise InputError(f"{source}: empty file (no header row)")
    repeated = sorted({n for n in first if first.count(n) > 1})
    if repeated:
        raise InputError(
            f"{source}:1: column(s) {', '.join(map(repr, repeated))} appear more than once in the header"
        )
    return [n.lstrip("\ufeff") if i == 0 else n for i, n in enumerate(first)]


def _batches(
    source: Path, records: Iterator[list[str]], width: int, size: int, encoding: str
) -> Iterator[list[list[str]]]:
    """Lists of at most ``size`` records; blank lines are skipped, a record of another width is an error."""
    batch: list[list[str]] = []
    yielded = 0

    def done() -> int:
        return yielded

    try:
        for record in records:
            if not record:
                continue
            if len(record) != width:
                raise InputError(
                    f"{source}: malformed CSV after row {done() + len(batch)}: "
                    f"Expected {width} columns, got {len(record)}"
                )
            batch.append(record)
            if len(batch) == size:
                yield batch
                yielded += len(batch)
                batch = []
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: malformed CSV after row {done() + len(batch)}: not {encoding} text "
            f"(byte {exc.start} of a block)"
        ) from None
    except csv.Error as exc:
        # The csv module's messages name the problem, never the cell (which may hold a person's id).
        raise InputError(
            f"{source}: malformed CSV after row {done() + len(batch)}: {redact(str(exc))[:200]}"
        ) from None
    if batch:
        yield batch
