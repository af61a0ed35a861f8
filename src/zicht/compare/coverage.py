"""Source coverage of a definition per gemeente: is every source the definition needs there?

A criterion needs its `sources`, or, without a restriction, every source that delivers one of its
concepts in this store. Per gemeente a criterion is *full* when one of its sources is fully delivered
over the criterion's window (`source_coverage`), *partial* when the best is partial or a full delivery
does not span the window, *none* when no source is delivered or no delivery's period meets the window (the gap then says
`source:outside_period`: a reference date outside a source's period is not a zero). A definition is `none` in a gemeente when
none of its criteria can be evaluated there, `partial` when any criterion is not full, else `full`.
Wijken and buurten take their gemeente's status; the total is `partial` when any gemeente is not full.
A count with coverage `none` is not shown (it would be a meaningless zero); `partial` is a lower bound.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from zicht.compare.regions import UNKNOWN
from zicht.engines.store import Store
from zicht.query_model.nodes import Criterion, DefinitionQuery
from zicht.query_model.semantics import window_start

FULL, PARTIAL, NONE = "full", "partial", "none"
OUTSIDE_PERIOD = "outside_period"  # a gap: the source is delivered, but its period does not meet the window
_RANK = {FULL: 0, PARTIAL: 1, NONE: 2}


class Coverage:
    """Coverage status and the gaps behind it, per (definition, gemeente)."""

    def __init__(self, store: Store, reference_date: dt.date) -> None:
        self.reference_date = reference_date
        table = store.frame("source_coverage")
        self.known = not table.empty
        self.rows: dict[tuple[str, str], list[tuple[str, dt.date | None, dt.date | None]]] = {}
        for r in table.itertuples(index=False):
            self.rows.setdefault((r.source_id, r.gemeente_code), []).append(
                (str(r.coverage_status), _date(r.start_date), _date(r.end_date))
            )
        self.delivers = store.source_concepts()

    def needed(self, c: Criterion) -> tuple[str, ...]:
        if c.sources is not None:
            return c.sources
        return tuple(sorted(s for s, concepts in self.delivers.items() if concepts & set(c.concepts)))

    def source_status(self, source: str, gemeente: str, c: Criterion) -> str:
        rows = self.rows.get((source, gemeente))
        if not rows:
            return NONE
        start_of_window = window_start(self.reference_date, c.window_months)
        best = NONE
        for status, start, end in rows:
            if self._outside(start, end, start_of_window):
                continue  # delivered, but not for this window: nothing to count, not a true zero
            if status == FULL and (
                (start is not None and start > start_of_window)
                or (end is not None and end < self.reference_date)
            ):
                status = PARTIAL
            best = min(best, status, key=_RANK.__getitem__)
        return best

    def _outside(self, start: dt.date | None, end: dt.date | None, start_of_window: dt.date) -> bool:
        """The delivery's period and the criterion's window [start_of_window, reference date] do not meet."""
        return (end is not None and end < start_of_window) or (
            start is not None and start > self.reference_date
        )

    def outside_period(self, source: str, gemeente: str, c: Criterion) -> bool:
        """True when the source is delivered in the gemeente but none of its periods meets the window, so a
        reference date outside the source's period is named as such instead of giving silent zeros."""
        rows = self.rows.get((source, gemeente), [])
        start_of_window = window_start(self.reference_date, c.window_months)
        return bool(rows) and all(self._outside(start, end, start_of_window) for _, start, end in rows)

    def criterion_status(self, c: Criterion, gemeente: str) -> tuple[str, list[str]]:
        sources = self.needed(c)
        if not sources:
            return NONE, ["no source"]
        statuses = {s: self.source_status(s, gemeente, c) for s in sources}
        best = min(statuses.values(), key=_RANK.__getitem__, default=NONE)
        gaps = (
            [
                f"{s}:{OUTSIDE_PERIOD if st == NONE and self.outside_period(s, gemeente, c) else st}"
                for s, st in statuses.items()
                if st != FULL
            ]
            if best != FULL
            else []
        )
        return best, gaps

    def definition_status(self, q: DefinitionQuery, gemeente: str) -> tuple[str, str]:
        if not self.known or gemeente == UNKNOWN:
            return (FULL if not self.known else PARTIAL), ""
        results = [self.criterion_status(c, gemeente) for c in q.criteria]
        statuses = [s for s, _ in results]
        if all(s == NONE for s in statuses):
            status = NONE
        elif all(s == FULL for s in statuses):
            status = FULL
        else:
            status = PARTIAL
        gaps = sorted(
            {g for c, (_, gs) in zip(q.criteria, results, strict=False) for g in (f"{c.id}={x}" for x in gs)}
        )
        return status, ";".join(gaps)

    def grid(
        self,
        queries: Sequence[DefinitionQuery],
        regions: pd.DataFrame,
        groups: dict[str, list[str]] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Coverage status and gaps (regions × queries, object arrays in the row order of `regions`:
        level, region_code, parent_code). A wijk or buurt takes its gemeente's values, the total the
        summary over every gemeente, a regio in `groups` (code → its gemeenten) the summary over its own."""
        groups = groups or {}
        level = regions["level"].to_numpy(object)
        codes = regions["region_code"].to_numpy(object)
        gemeente_rows = np.flatnonzero(level == "gemeente")
        gemeenten = codes[gemeente_rows].tolist()
        parent = pd.Index(codes).get_indexer(regions["parent_code"].to_numpy(object))
        # walk every region up to its gemeente (at most buurt → wijk → gemeente)
        up = np.arange(len(codes))
        for _ in range(len(("buurt", "wijk"))):
            move = ~np.isin(level[up], ("gemeente", "total")) & (parent[up] >= 0)
            up[move] = parent[up[move]]
        column = np.full(len(codes), len(gemeenten))  # the last column: the total's summary
        column[level[up] == "gemeente"] = pd.Index(gemeenten).get_indexer(codes[up[level[up] == "gemeente"]])
        group_codes = list(groups)
        for j, code in enumerate(group_codes):
            column[codes == code] = len(gemeenten) + 1 + j
        status = np.empty((len(codes), len(queries)), dtype=object)
        gaps = np.empty((len(codes), len(queries)), dtype=object)
        for i, q in enumerate(queries):
            per = dict(zip(gemeenten, (self.definition_status(q, g) for g in gemeenten), strict=True))
            summaries = [_summary({g: per[g][0] for g in gemeenten})]
            summaries += [_summary({g: per[g][0] for g in groups[code] if g in per}) for code in group_codes]
            status[:, i] = np.array(
                [*(st for st, _ in per.values()), *(st for st, _ in summaries)], dtype=object
            )[column]
            gaps[:, i] = np.array(
                [*(gs for _, gs in per.values()), *(gs for _, gs in summaries)], dtype=object
            )[column]
        return status, gaps

    def frame(self, queries: Sequence[DefinitionQuery], regions: pd.DataFrame) -> pd.DataFrame:
        """Columns level, region_code, definition, coverage, coverage_gaps for every region of `regions`."""
        status, gaps = self.grid(queries, regions)
        n = len(regions)
        return pd.DataFrame(
            {
                "level": np.tile(regions["level"].to_numpy(object), len(queries)),
                "region_code": np.tile(regions["region_code"].to_numpy(object), len(queries)),
                "definition": np.repeat(np.array([q.id for q in queries], dtype=object), n),
                "coverage": status.T.ravel(),
                "coverage_gaps": gaps.T.ravel(),
            }
        )


def _summary(statuses: dict[str, str]) -> tuple[str, str]:
    """The coverage of an area from its gemeenten': full when all are, none when none has a source, else
    partial; the gaps are the gemeenten that are not full."""
    values = list(statuses.values())
    status = (
        FULL
        if all(st == FULL for st in values)
        else (NONE if values and all(st == NONE for st in values) else PARTIAL)
    )
    return status, ";".join(sorted(g for g, st in statuses.items() if st != FULL))


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        day: dt.date = value.date()
        return day
    return value if isinstance(value, dt.date) else None


def all_sources(coverage: Coverage, queries: Iterable[DefinitionQuery]) -> list[str]:
    return sorted({s for q in queries for c in q.criteria for s in coverage.needed(c)})
