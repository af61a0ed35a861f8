"""When a cell's text is a valid value of its column's datatype: one rule, scalar and vectorised.

A CSV cell has no datatype; the descriptor gives one. A cell whose text is a valid lexical form of that
datatype becomes a typed literal (kept exactly as written, not normalised); any other text stays a plain
string, so that ``sh:datatype`` reports it. Both engines use this module, the reference engine through
``is_valid`` per cell and the fast engine through ``valid_mask`` per column, so they cannot disagree on
what "a valid date" is. The forms are the strict ones (ISO dates with four-digit years, ASCII digits): all
of them are also accepted by rdflib, so no typed literal is ever ill-typed.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

XSD_BY_DATATYPE: dict[str, URIRef | None] = {
    "string": None,
    "integer": XSD.integer,
    "decimal": XSD.decimal,
    "date": XSD.date,
}

_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def is_valid(text: str, datatype: str) -> bool:
    """True when ``text`` is a valid lexical form of the descriptor datatype ``datatype``."""
    if datatype == "string":
        return True
    if datatype == "integer":
        return _INTEGER.fullmatch(text) is not None
    if datatype == "decimal":
        return _DECIMAL.fullmatch(text) is not None
    if datatype == "date":
        m = _DATE.fullmatch(text)
        if m is None:
            return False
        try:
            date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return False
        return True
    raise ValueError(f"unknown column datatype {datatype!r}")


def term(text: str, datatype: str) -> Literal:
    """The RDF term of one cell: typed when valid, a plain string otherwise."""
    xsd = XSD_BY_DATATYPE[datatype]
    if xsd is not None and is_valid(text, datatype):
        return Literal(text, datatype=xsd, normalize=False)
    return Literal(text)


def valid_mask(values: pd.Series, datatype: str) -> np.ndarray:
    """``is_valid`` for every value of an object Series of str (no missing values)."""
    if datatype == "string" or len(values) == 0:
        return np.ones(len(values), dtype=bool)
    if datatype in ("integer", "decimal"):
        pattern = _INTEGER if datatype == "integer" else _DECIMAL
        return np.fromiter((pattern.fullmatch(v) is not None for v in values), dtype=bool, count=len(values))
    if datatype == "date":
        parts = values.str.extract(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
        shaped = parts[0].notna().to_numpy() & (values.str.len().to_numpy() == 10)
        ok = np.zeros(len(values), dtype=bool)
        if shaped.any():
            y = parts[0][shaped].astype(np.int64).to_numpy()
            m = parts[1][shaped].astype(np.int64).to_numpy()
            d = parts[2][shaped].astype(np.int64).to_numpy()
            leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
            days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(m, 0, 12)]
            days = days + ((m == 2) & leap)
            ok[shaped] = (y >= 1) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= days)
        return ok
    raise ValueError(f"unknown column datatype {datatype!r}")
