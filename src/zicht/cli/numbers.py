"""Numbers as the page shows them (Dutch: 1.234 and 12,5), for terminal output."""

from __future__ import annotations

import math
from typing import Any


def nl_number(value: Any, decimals: int = 0) -> str:
    """1234.5 → '1.235' (decimals=0) or '1.234,5' (decimals=1); missing → '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "–"
    if decimals == 0 and number == int(number):
        text = f"{int(number):,}"
    else:
        text = f"{number:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def nl_signed(value: Any, decimals: int = 0) -> str:
    """A change with its sign: +12, −3, 0 (the minus is U+2212, as in print)."""
    text = nl_number(value, decimals)
    if text == "–":
        return text
    number = float(value)
    if number > 0:
        return "+" + text
    if number < 0:
        return "−" + text.lstrip("-")
    return text
