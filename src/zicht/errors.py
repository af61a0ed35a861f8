"""Errors that reach the user as one clear line instead of a traceback."""

from __future__ import annotations

import datetime as dt


class ZichtError(Exception):
    """An error caused by input or configuration that the user can fix.

    The CLI prints ``str(error)`` on one line and exits with ``exit_code``; the API turns it into a
    JSON error body. The message says what is wrong and where (file, row, column, code).
    """

    exit_code = 2

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(ZichtError):
    """Input that cannot be read: missing file, wrong format, encoding, delimiter or columns."""


class OutOfSyncError(ZichtError):
    """Generated artefacts differ from what the schema generates now."""

    exit_code = 1


# Reference dates a comparison can mean: windows reach back years before the date and ages forward,
# so the far ends of the calendar (0001-01-01, 9999-12-31) are refused instead of overflowing.
EARLIEST_REFERENCE_DATE = "1900-01-01"
LATEST_REFERENCE_DATE = "2199-12-31"


def reference_date(text: str, what: str = "date") -> dt.date:
    """``text`` as a reference date YYYY-MM-DD between 1900 and 2199, or an `InputError` naming ``what``."""

    try:
        value = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        value = None
    if value is None:
        raise InputError(f"{what}: {text[:40]!r} is not a date YYYY-MM-DD")
    if not EARLIEST_REFERENCE_DATE <= value.isoformat() <= LATEST_REFERENCE_DATE:
        raise InputError(
            f"{what}: {value.isoformat()} is outside {EARLIEST_REFERENCE_DATE} .. {LATEST_REFERENCE_DATE}"
        )
    return value
