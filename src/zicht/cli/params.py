"""Typed CLI parameters shared by several commands: the reference date and the CSV dialect.

Choices are ``Literal`` types (`zicht.choices`, `zicht.regions.codes`), which Typer shows in --help and
checks itself; a date is a ``datetime.date`` parsed by the one reference-date rule of `zicht.errors`, so
the CLI and the API accept the same dates with the same message.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from zicht.choices import CsvDialect
from zicht.errors import InputError
from zicht.errors import reference_date as _reference_date

DATE_METAVAR = "YYYY-MM-DD"

# The CSV dialect of every command that writes CSV (`zicht.csvfile`).
CsvDialectOption = Annotated[
    CsvDialect,
    typer.Option(
        "--csv-dialect",
        help="CSV only: standard (comma, decimal point: pandas, R, DuckDB) or excel (semicolon, decimal "
        "comma, UTF-8 with BOM: Excel with Dutch regional settings opens it by double-click).",
    ),
]


def reference_date(text: str | dt.date) -> dt.date:
    """Typer's parser of a reference date option: a date YYYY-MM-DD between 1900 and 2199."""
    if isinstance(text, dt.date):  # a default given as a date
        return text
    try:
        return _reference_date(text, "date")
    except InputError as error:
        raise typer.BadParameter(str(error).removeprefix("date: ")) from None
