"""Errors that reach the user as one clear line instead of a traceback."""

from __future__ import annotations


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
