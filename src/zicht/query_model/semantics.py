"""Date and age rules shared by every engine (docs/definitions.md), so that they cannot drift apart."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta


def window_start(reference_date: dt.date, months: int) -> dt.date:
    """W = R - `months` calendar months + 1 day (day clamped to the month's end, as DuckDB and
    dateutil do): a 12-month window up to 2024-12-31 starts on 2024-01-01."""
    start: dt.date = reference_date - relativedelta(months=months) + dt.timedelta(days=1)
    return start


def age_at(reference_date: dt.date, birth_year: int | None) -> int | None:
    """Age in whole years at R; the store holds birth years only, so it is year(R) - birth_year."""
    if birth_year is None:
        return None
    return reference_date.year - int(birth_year)
