"""Checking the caller's cells and constraints, and turning them into arrays the algorithms share.

Every check names the cell or the constraint at fault: a wrong table handed to disclosure control is a
programming or data error upstream, and the person fixing it needs to know where to look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from zicht.errors import ZichtError
from zicht.extras import require

sparse = require("scipy.sparse", "suppress", "the suppression mode (--disclosure suppress)")

if TYPE_CHECKING:  # the types only; the module itself comes from the `suppress` extra at run time
    from scipy.sparse import csc_matrix, csr_matrix

RESERVED_COLUMNS = ("published", "status")
_SHOWN = 5  # how many offending cells an error message lists


@dataclass(frozen=True)
class Constraint:
    """``value[total] == sum(value[part] for part in parts)``: a total and the cells that add up to it."""

    total: str
    parts: tuple[str, ...]

    def describe(self) -> str:
        return f"{self.total} = {' + '.join(self.parts)}"


@dataclass(frozen=True, eq=False)
class Problem:
    """Cells as positions ``0..n-1`` and constraints as rows of a sparse matrix (+1 total, -1 parts)."""

    ids: np.ndarray  # cell ids, object array of str
    values: np.ndarray  # int64, true counts
    rank: np.ndarray  # position of each cell in cell_id order: the tie-break, independent of row order
    matrix: csr_matrix  # constraints x cells; matrix @ values == 0
    members: tuple[np.ndarray, ...]  # per constraint: the cell positions (total first, then parts)
    cell_constraints: tuple[np.ndarray, ...]  # per cell: the constraints it appears in

    @property
    def n_cells(self) -> int:
        return len(self.values)

    @cached_property
    def by_column(self) -> csc_matrix:
        """The constraint matrix in column order, for slicing out the relations of a set of cells."""
        return self.matrix.tocsc()


def _listing(items: Sequence[object]) -> str:
    shown = ", ".join(repr(item) for item in items[:_SHOWN])
    return shown + (f" and {len(items) - _SHOWN} more" if len(items) > _SHOWN else "")


def _check_ids(cells: pd.DataFrame) -> np.ndarray:
    if "cell_id" not in cells.columns:
        raise ZichtError("disclosure control: the cells table has no 'cell_id' column")
    ids: np.ndarray = cells["cell_id"].to_numpy(dtype=object)
    missing = [str(row) for row, v in enumerate(ids, start=1) if not isinstance(v, str) and pd.isna(v)]
    if missing:
        raise ZichtError(f"disclosure control: cell_id is missing in row {', '.join(missing[:_SHOWN])}")
    bad = [v for v in ids if not isinstance(v, str) or v == ""]
    if bad:
        raise ZichtError(f"disclosure control: cell_id must be a non-empty string; found {_listing(bad)}")
    duplicated = pd.Series(ids).duplicated(keep="first")
    if duplicated.any():
        dupes = sorted(set(ids[duplicated.to_numpy()]))
        raise ZichtError(
            f"disclosure control: duplicate cell_id {_listing(dupes)}; every cell needs its own id"
        )
    return ids


def _check_values(cells: pd.DataFrame, ids: np.ndarray) -> np.ndarray:
    if "value" not in cells.columns:
        raise ZichtError("disclosure control: the cells table has no 'value' column")
    column = cells["value"]
    if pd.api.types.is_bool_dtype(column.dtype):
        raise ZichtError("disclosure control: column 'value' holds true/false, not person counts")
    missing = column.isna().to_numpy()
    if missing.any():
        raise ZichtError(f"disclosure control: no value for cell {_listing(list(ids[missing]))}")
    if pd.api.types.is_integer_dtype(column.dtype):
        values: np.ndarray = column.to_numpy(dtype=np.int64)
        _check_non_negative(values, ids)
        return values
    raw = column.to_numpy(dtype=object)
    values = np.empty(len(raw), dtype=np.int64)
    not_integer: list[str] = []
    for position, value in enumerate(raw):
        if isinstance(value, (bool, np.bool_)):
            not_integer.append(f"{ids[position]} ({value!r})")
        elif (
            isinstance(value, (int, np.integer))
            or isinstance(value, (float, np.floating))
            and np.isfinite(value)
            and float(value).is_integer()
        ):
            values[position] = int(value)
        else:
            not_integer.append(f"{ids[position]} ({value!r})")
    if not_integer:
        raise ZichtError(
            f"disclosure control: value must be a whole number of persons; cell {', '.join(not_integer[:_SHOWN])}"
            + (f" and {len(not_integer) - _SHOWN} more" if len(not_integer) > _SHOWN else "")
        )
    _check_non_negative(values, ids)
    return values


def _check_non_negative(values: np.ndarray, ids: np.ndarray) -> None:
    negative = values < 0
    if negative.any():
        shown = [f"{ids[i]} ({values[i]})" for i in np.flatnonzero(negative)[:_SHOWN]]
        raise ZichtError(f"disclosure control: negative count in cell {', '.join(shown)}; counts are >= 0")


def withheld_mask(cells: pd.DataFrame) -> np.ndarray:
    """The optional boolean column ``withheld``: cells that are never published (False when absent)."""
    if "withheld" not in cells.columns:
        return np.zeros(len(cells), dtype=bool)
    column = cells["withheld"]
    if not pd.api.types.is_bool_dtype(column.dtype) or column.isna().any():
        odd = [
            cid
            for cid, flag in zip(cells["cell_id"], column, strict=False)
            if not isinstance(flag, (bool, np.bool_))
        ]
        raise ZichtError(
            f"disclosure control: column 'withheld' must hold true/false for every cell; cell {_listing(odd)}"
        )
    flags: np.ndarray = column.to_numpy(dtype=bool)
    return flags


def _check_constraint(constraint: object, number: int, position: dict[str, int]) -> list[int]:
    if not isinstance(constraint, Constraint):
        raise ZichtError(
            f"disclosure control: constraint {number} is a {type(constraint).__name__}, not a Constraint"
        )
    parts = constraint.parts
    if isinstance(parts, str) or not isinstance(parts, tuple) or not parts:
        raise ZichtError(
            f"disclosure control: constraint {number} (total {constraint.total!r}) needs a non-empty tuple of parts"
        )
    where = f"constraint {number} ({constraint.describe()})"
    unknown = [name for name in (constraint.total, *parts) if name not in position]
    if unknown:
        raise ZichtError(f"disclosure control: {where} names unknown cell {_listing(unknown)}")
    if constraint.total in parts:
        raise ZichtError(f"disclosure control: {where} lists its total {constraint.total!r} among its parts")
    if len(set(parts)) != len(parts):
        twice = sorted({p for p in parts if parts.count(p) > 1})
        raise ZichtError(f"disclosure control: {where} lists part {_listing(twice)} more than once")
    return [position[constraint.total], *(position[p] for p in parts)]


def build_problem(cells: pd.DataFrame, constraints: list[Constraint]) -> Problem:
    """Check the input and build the shared arrays; raise ``ZichtError`` naming the first fault."""
    if not isinstance(cells, pd.DataFrame):
        raise ZichtError(f"disclosure control: cells must be a pandas DataFrame, got {type(cells).__name__}")
    clash = [c for c in RESERVED_COLUMNS if c in cells.columns]
    if clash:
        raise ZichtError(
            f"disclosure control: the cells table already has column {_listing(clash)}; it is the output"
        )
    ids = _check_ids(cells)
    values = _check_values(cells, ids)
    position = {cell_id: i for i, cell_id in enumerate(ids)}

    if not isinstance(constraints, (list, tuple)):
        raise ZichtError(f"disclosure control: constraints must be a list, got {type(constraints).__name__}")
    keyed: dict[tuple[str, ...], np.ndarray] = {}
    for number, constraint in enumerate(constraints, start=1):
        cells_of = _check_constraint(constraint, number, position)
        difference = int(values[cells_of[0]] - values[cells_of[1:]].sum())
        if difference != 0:
            raise ZichtError(
                f"disclosure control: constraint {number} ({constraint.describe()}) does not hold: "
                f"total {constraint.total!r} is {values[cells_of[0]]} but its parts add up to "
                f"{values[cells_of[1:]].sum()}"
            )
        # Keyed by cell ids, so that the same relation stated twice counts once and the row order (which
        # decides tie-breaks later) does not depend on the order the caller listed the constraints in.
        key = (constraint.total, *sorted(constraint.parts))
        keyed.setdefault(key, np.asarray(cells_of, dtype=np.int64))
    members = [keyed[key] for key in sorted(keyed)]

    rows = np.repeat(np.arange(len(members)), [len(m) for m in members]) if members else np.empty(0, np.int64)
    columns = np.concatenate(members) if members else np.empty(0, np.int64)
    signs = np.concatenate([np.r_[1.0, -np.ones(len(m) - 1)] for m in members]) if members else np.empty(0)
    matrix = sparse.csr_matrix((signs, (rows, columns)), shape=(len(members), len(values)))

    by_cell: list[list[int]] = [[] for _ in range(len(values))]
    for row, positions in enumerate(members):
        for cell in positions:
            by_cell[cell].append(row)
    cell_constraints = tuple(np.asarray(rows_of, dtype=np.int64) for rows_of in by_cell)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.argsort(ids.astype(str), kind="stable")] = np.arange(len(ids))
    return Problem(
        ids=ids,
        values=values,
        rank=rank,
        matrix=matrix,
        members=tuple(members),
        cell_constraints=cell_constraints,
    )
