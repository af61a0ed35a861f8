"""What every engine returns, so that compare and the tests never depend on a particular engine.

`members(store, query, R)`: the ids of the persons who meet one definition (spec tests).
`tabulate(store, counted, surveyed, R)`: the aggregates compare needs, in one pass:

* `residents` — every person, grouped by residence, sex and age (the regions of the store);
* `members` — persons who meet at least one counted definition, grouped by residence (gemeente, wijk,
  buurt), sex, age and `mask` (bit i set = member of `counted[i]`);
* `criteria[id]` (unless `attrition=False`) — persons in the universe of a counted definition,
  grouped by residence, `pattern`
  (bit j set = criterion j of `query.criteria` holds) and `member`;
* `survey[id]` — respondents of a survey definition grouped by residence and `member`, with the sum of
  design weights and of squared weights.

`level` is the deepest residence level the caller needs (gemeente, wijk or buurt, default buurt): every
frame is grouped down to it and the residence columns below it are None (fewer, larger groups).

Every frame also carries `rk`, the sum of the persons' record keys (`person.record_key`, 0 .. 2**32 - 1;
NULL counts as 0): the cell key method derives each published cell's key from it
(`zicht.disclosure.record_keys`). Sums are exact in int64 for up to two billion persons.

Frames have plain Python values (None for missing) and a canonical row order, so that engines can be
compared with `==`.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from zicht.engines.store import Store
from zicht.errors import InputError
from zicht.query_model.nodes import DefinitionQuery

RESIDENCE = ("gemeente", "wijk", "buurt")
MEMBER_COLUMNS = (*RESIDENCE, "sex", "age", "mask", "n", "rk")
RESIDENT_COLUMNS = (*RESIDENCE, "sex", "age", "n", "rk")
CRITERIA_COLUMNS = (*RESIDENCE, "pattern", "member", "n", "rk")
SURVEY_COLUMNS = (*RESIDENCE, "member", "n", "rk", "sum_w", "sum_w2")
VALUE_COLUMNS = ("n", "rk", "sum_w", "sum_w2")
MAX_COUNTED = 62  # the membership mask is a signed 64-bit integer


@dataclass(frozen=True)
class Tabulation:
    counted: tuple[str, ...]
    residents: pd.DataFrame
    members: pd.DataFrame
    criteria: dict[str, pd.DataFrame]
    survey: dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Request:
    """What one tabulation is asked: the counted and surveyed definitions, the reference date, whether
    attrition frames are wanted and the deepest residence level."""

    counted: Sequence[DefinitionQuery]
    surveyed: Sequence[DefinitionQuery]
    reference_date: dt.date
    attrition: bool
    level: str


class Engine(ABC):
    """An engine: `members` of one definition and the `tabulate` frames of a comparison. The arguments
    are checked here, once for every engine; an engine implements `_tabulate`."""

    name: str

    @abstractmethod
    def members(self, store: Store, query: DefinitionQuery, reference_date: dt.date) -> frozenset[str]: ...

    def tabulate(
        self,
        store: Store,
        counted: Sequence[DefinitionQuery],
        surveyed: Sequence[DefinitionQuery],
        reference_date: dt.date,
        *,
        attrition: bool = True,
        level: str = "buurt",
    ) -> Tabulation:
        check_counted(counted, surveyed)
        residence_depth(level)  # an unknown level fails before any work
        return self._tabulate(store, Request(counted, surveyed, reference_date, attrition, level))

    @abstractmethod
    def _tabulate(self, store: Store, request: Request) -> Tabulation: ...


def check_counted(counted: Sequence[DefinitionQuery], surveyed: Sequence[DefinitionQuery]) -> None:
    if len(counted) > MAX_COUNTED:
        raise InputError(
            f"at most {MAX_COUNTED} counted definitions can be compared at once, got {len(counted)}"
        )
    ids = [q.id for q in (*counted, *surveyed)]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError(f"definition(s) {', '.join(dup)} given more than once")
    for q in surveyed:
        if not q.sources:
            raise InputError(f"survey definition {q.id!r} names no survey sources")


def residence_depth(level: str) -> int:
    """0, 1, 2 for gemeente, wijk, buurt: residence columns deeper than this are None in every frame."""
    if level not in RESIDENCE:
        raise InputError(f"unknown residence level {level!r} (choose {', '.join(RESIDENCE)})")
    return RESIDENCE.index(level)


DTYPES = {
    "gemeente": "object",
    "wijk": "object",
    "buurt": "object",
    "sex": "object",
    "age": "Int64",
    "mask": "int64",
    "pattern": "int64",
    "member": "bool",
    "n": "int64",
    "rk": "int64",
    "sum_w": "float64",
    "sum_w2": "float64",
}


def canonical(frame: pd.DataFrame, columns: Sequence[str], presorted: bool = False) -> pd.DataFrame:
    """Columns in contract order and types, rows sorted by every key column (missing first);
    `presorted`: the rows come in that order already (an engine that sorted them itself)."""
    frame = frame.reindex(columns=list(columns))
    out = pd.DataFrame({c: _typed(frame[c], DTYPES[c]) for c in columns})
    if presorted:
        return out.reset_index(drop=True)
    keys = [c for c in columns if c not in VALUE_COLUMNS]
    return out.sort_values(keys, na_position="first", kind="mergesort").reset_index(drop=True)


def _typed(series: pd.Series, dtype: str) -> pd.Series:
    if dtype == "object":
        return series.astype(object).where(series.notna(), None)
    return series.astype(dtype)
