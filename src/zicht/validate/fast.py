"""The fast engine: compiled checks run column-wise over the extract table (numpy + pandas).

Each column is dictionary-encoded once; a value-level check (datatype, pattern, sh:in, bounds, lengths) is
evaluated on the distinct values only and broadcast back to the rows, so a column of a million rows with a
few hundred codes costs a few hundred checks. Comparisons follow pyshacl exactly: a typed cell compares by
value, a plain string cell (text not valid for the column's datatype) only with strings, and a mix of the
two is a violation. Regular expressions use Python's ``re`` like pyshacl does (not RE2), because the two
differ on Unicode classes and ``$``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np
import pandas as pd
from rdflib import Literal
from rdflib.namespace import XSD

from zicht.validate.compile import Check
from zicht.validate.lexical import XSD_BY_DATATYPE, term, valid_mask
from zicht.validate.reader import FILE, ROW, ExtractTable
from zicht.validate.report import Violation


@dataclass
class _Column:
    """One column: per row the index of its distinct value (-1 = missing), and the distinct values."""

    codes: np.ndarray
    uniques: pd.Series  # object dtype, Python str
    datatype: str

    @cached_property
    def present(self) -> np.ndarray:
        return self.codes >= 0

    @cached_property
    def typed(self) -> np.ndarray:
        """Per distinct value: True when it is a typed literal (valid for the datatype)."""
        if XSD_BY_DATATYPE[self.datatype] is None:
            return np.zeros(len(self.uniques), dtype=bool)
        return valid_mask(self.uniques, self.datatype)

    @cached_property
    def xsd(self) -> object:
        return XSD_BY_DATATYPE[self.datatype]

    def rows_where(self, bad_unique: np.ndarray) -> np.ndarray:
        """Row positions whose (present) value is flagged in ``bad_unique``."""
        if not bad_unique.any():
            return np.empty(0, dtype=np.int64)
        lookup = np.append(bad_unique, False)  # index -1 (missing) → False
        return np.flatnonzero(lookup[self.codes])


def _encode(values: pd.Series, datatype: str) -> _Column:
    # Distinct values in order of first appearance; missing (None) gets code -1.
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    return _Column(codes.astype(np.int64, copy=False), pd.Series(list(uniques), dtype=object), datatype)


def run_fast(table: ExtractTable, checks: list[Check], datatypes: dict[str, str]) -> list[Violation]:
    data = table.frame
    files = data[FILE].to_numpy()
    rows = data[ROW].to_numpy()
    columns: dict[str, _Column] = {}

    def column(name: str) -> _Column:
        if name not in columns:
            columns[name] = _encode(data[name], datatypes[name])
        return columns[name]

    out: list[Violation] = []
    for check in checks:
        if check.column is None:
            positions, values = _no_values(check, len(data))
        else:
            positions, values = _evaluate(check, column(check.column), column, len(data))
        col_name = check.column if check.column is not None else None
        for pos, value in zip(positions.tolist(), values, strict=False):
            out.append(
                Violation(
                    table.files[files[pos]],
                    int(rows[pos]),
                    col_name,
                    value,
                    check.component,
                    check.rule,
                    check.message,
                    check.severity,
                )
            )
    return out


def _no_values(check: Check, n: int) -> tuple[np.ndarray, list]:
    # The path is a property no row has: only a minimum count can fail, once per row.
    if check.kind == "min_count" and check.param > 0:
        return np.arange(n), [None] * n
    return np.empty(0, dtype=np.int64), []


def _evaluate(check: Check, col: _Column, column, n: int) -> tuple[np.ndarray, list]:
    kind = check.kind
    if kind in ("min_count", "max_count"):
        count = col.present.astype(np.int64)
        bad = count < check.param if kind == "min_count" else count > check.param
        positions = np.flatnonzero(bad)
        return positions, [None] * len(positions)  # cardinality results carry no value
    if kind == "duplicate_key":
        keys, optional = check.param
        return _duplicates([column(c) for c in keys], [column(c) for c in optional], n)
    if kind in ("less_than", "less_than_or_equals"):
        return _property_pair(check, col, column(check.param) if check.param is not None else None)
    bad_unique = _value_check(check, col)
    positions = col.rows_where(bad_unique)
    values = col.uniques.to_numpy()[col.codes[positions]].tolist() if len(positions) else []
    return positions, values


def _value_check(check: Check, col: _Column) -> np.ndarray:
    """Per distinct value: True when it violates ``check``."""
    kind, values = check.kind, col.uniques
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    if kind == "datatype":
        if check.param == XSD.string:
            return col.typed.copy()  # a typed literal is not an xsd:string; a plain one is
        return ~(col.typed & (col.xsd == check.param))
    if kind == "pattern":
        search = check.param.search
        return np.fromiter((search(v) is None for v in values), dtype=bool, count=len(values))
    if kind == "in":
        members = check.param
        dt = col.xsd
        keys = (("literal", v, dt if t else None, None) for v, t in zip(values, col.typed, strict=False))
        return np.fromiter((k not in members for k in keys), dtype=bool, count=len(values))
    if kind in ("min_length", "max_length"):
        lengths = values.str.len().to_numpy()
        return lengths < check.param if kind == "min_length" else lengths > check.param
    if kind == "node_kind":
        return np.full(len(values), not check.param)
    if kind in ("min_inclusive", "max_inclusive", "min_exclusive", "max_exclusive"):
        return _bound_check(kind, check.param, col)
    raise AssertionError(f"no evaluator for {kind}")


_ORDER_OK = {
    "min_inclusive": lambda c: c >= 0,
    "max_inclusive": lambda c: c <= 0,
    "min_exclusive": lambda c: c > 0,
    "max_exclusive": lambda c: c < 0,
}


def _bound_check(kind: str, bound: Literal, col: _Column) -> np.ndarray:
    values, typed = col.uniques, col.typed
    bad = np.ones(len(values), dtype=bool)
    bound_is_string = isinstance(bound.value, str)
    ok = _ORDER_OK[kind]
    if (
        col.datatype in ("integer", "decimal")
        and isinstance(bound.value, (int, Decimal))
        and not isinstance(bound.value, bool)
    ):
        # Typed numbers against a numeric bound: floats decide unless they tie with the bound, where the
        # exact Decimal decides (rounding is monotonic, so a strict float inequality is exact).
        idx = np.flatnonzero(typed)
        if len(idx):
            floats = pd.to_numeric(values.iloc[idx], errors="coerce").to_numpy(dtype=float)
            b = float(bound.value)
            cmp = np.sign(floats - b)
            tie = np.flatnonzero(floats == b)
            for t in tie:
                cmp[t] = _sign(Decimal(values.iloc[idx[t]]) - Decimal(bound.value))
            bad[idx] = ~ok(cmp)
        rest = np.flatnonzero(~typed)
    elif col.datatype == "date" and bound.datatype == XSD.date:
        idx = np.flatnonzero(typed)
        if len(idx):
            # Valid dates have four-digit years, so text order is date order.
            text = values.iloc[idx].to_numpy(dtype=object)
            b = bound.value.isoformat()
            cmp = np.where(text > b, 1, np.where(text < b, -1, 0))
            bad[idx] = ~ok(cmp)
        rest = np.flatnonzero(~typed)
    else:
        rest = np.arange(len(values))
    for i in rest:
        literal = term(values.iloc[i], col.datatype)
        value_is_string = isinstance(literal.value, str)
        if value_is_string != bound_is_string:
            continue  # a string against a non-string bound (or the reverse) never passes
        bad[i] = not ok(_compare_literal(literal, bound))
    return bad


def _compare_literal(a: Literal, b: Literal) -> int | float:
    # pyshacl's compare_literal: incomparable literals (TypeError) fail every bound.
    try:
        if a.eq(b):
            return 0
        return 1 if a > b else -1
    except (TypeError, NotImplementedError):
        return float("nan")


def _sign(d: Decimal) -> int:
    return (d > 0) - (d < 0)


def _property_pair(check: Check, col: _Column, other: _Column | None) -> tuple[np.ndarray, list]:
    if other is None:
        return np.empty(0, dtype=np.int64), []
    both = np.flatnonzero(col.present & other.present)
    if len(both) == 0:
        return both, []
    a_idx, b_idx = col.codes[both], other.codes[both]
    a_typed, b_typed = col.typed[a_idx], other.typed[b_idx]
    a_text = col.uniques.to_numpy()[a_idx]
    b_text = other.uniques.to_numpy()[b_idx]
    strict = check.kind == "less_than"
    bad = a_typed != b_typed  # a string never compares with a typed value
    same = np.flatnonzero(~bad)
    if col.datatype == other.datatype == "date" or (col.datatype == "string" and other.datatype == "string"):
        # Dates (four-digit years) and plain strings both order as text.
        x, y = a_text[same], b_text[same]
        bad[same] = (x >= y) if strict else (x > y)
    else:
        for s in same:
            x = term(a_text[s], col.datatype)
            y = term(b_text[s], other.datatype)
            try:
                bad[s] = not (x.value < y.value if strict else x.value <= y.value)
            except TypeError:
                bad[s] = True
    positions = both[bad]
    return positions, a_text[bad].tolist()


def _duplicates(keys: list[_Column], optional: list[_Column], n: int) -> tuple[np.ndarray, list]:
    # Key columns must be present; optional ones match when equal or missing in both (code -1 = missing).
    complete = np.ones(n, dtype=bool)
    for k in keys:
        complete &= k.present
    idx = np.flatnonzero(complete)
    if len(idx) == 0:
        return idx, []
    frame = pd.DataFrame({i: k.codes[idx] for i, k in enumerate(keys + optional)})
    later = frame.duplicated(keep="first").to_numpy()
    positions = idx[later]
    first = keys[0]
    return positions, first.uniques.to_numpy()[first.codes[positions]].tolist()
