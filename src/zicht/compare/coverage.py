"""Source coverage of a definition per gemeente: is every source the definition needs there?

A criterion needs its `sources`, or, without a restriction, every source that delivers one of its
concepts in this store. Per gemeente a criterion is *full* when one of its sources is fully delivered
over the criterion's window (`source_coverage`), *partial* when the best is partial or a full delivery
does not span the window, *none* when no source is delivered. A definition is `none` in a gemeente when
none of its criteria can be evaluated there, `partial` when any criterion is not full, else `full`.
Wijken and buurten take their gemeente's status; the total is `partial` when any gemeente is not full.
A count with coverage `none` is not shown (it would be a meaningless zero); `partial` is a lower bound.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence

import pandas as pd

from zicht.compare.regions import TOTAL, UNKNOWN
from zicht.engines.store import Store
from zicht.query_model.nodes import Criterion, DefinitionQuery
from zicht.query_model.semantics import window_start

FULL, PARTIAL, NONE = "full", "partial", "none"
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
                (str(r.coverage_status), _date(r.start_date), _date(r.end_date)))
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
            if status == FULL and ((start is not None and start > start_of_window)
                                   or (end is not None and end < self.reference_date)):
                status = PARTIAL
            best = min(best, status, key=_RANK.__getitem__)
        return best

    def criterion_status(self, c: Criterion, gemeente: str) -> tuple[str, list[str]]:
        sources = self.needed(c)
        if not sources:
            return NONE, ["no source"]
        statuses = {s: self.source_status(s, gemeente, c) for s in sources}
        best = min(statuses.values(), key=_RANK.__getitem__, default=NONE)
        gaps = [f"{s}:{st}" for s, st in statuses.items() if st != FULL] if best != FULL else []
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
        gaps = sorted({g for c, (_, gs) in zip(q.criteria, results) for g in (f"{c.id}={x}" for x in gs)})
        return status, ";".join(gaps)

    def frame(self, queries: Sequence[DefinitionQuery], regions: pd.DataFrame) -> pd.DataFrame:
        """Columns level, region_code, definition, coverage, coverage_gaps for every region of `regions`."""
        gemeenten = regions.loc[regions["level"] == "gemeente", "region_code"].tolist()
        per_gemeente = {(q.id, g): self.definition_status(q, g) for q in queries for g in gemeenten}
        gemeente_of = _gemeente_of(regions)
        rows = []
        for q in queries:
            for r in regions.itertuples(index=False):
                if r.level == "total":
                    statuses = [per_gemeente[(q.id, g)][0] for g in gemeenten]
                    status = FULL if all(s == FULL for s in statuses) else (
                        NONE if statuses and all(s == NONE for s in statuses) else PARTIAL)
                    gaps = ";".join(sorted({g for g in gemeenten if per_gemeente[(q.id, g)][0] != FULL}))
                else:
                    status, gaps = per_gemeente[(q.id, gemeente_of[r.region_code])]
                rows.append((r.level, r.region_code, q.id, status, gaps))
        return pd.DataFrame(rows, columns=["level", "region_code", "definition", "coverage", "coverage_gaps"])


def _gemeente_of(regions: pd.DataFrame) -> dict[str, str]:
    parent = dict(zip(regions["region_code"], regions["parent_code"], strict=True))
    level = dict(zip(regions["region_code"], regions["level"], strict=True))
    out = {}
    for code in parent:
        g = code
        while level.get(g) not in ("gemeente", "total", None):
            g = parent[g]
        out[code] = g if level.get(g) == "gemeente" else TOTAL
    return out


def _date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value if isinstance(value, dt.date) else None


def all_sources(coverage: Coverage, queries: Iterable[DefinitionQuery]) -> list[str]:
    return sorted({s for q in queries for c in q.criteria for s in coverage.needed(c)})
