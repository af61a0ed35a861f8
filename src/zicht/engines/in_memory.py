"""The reference engine: plain Python over the rows of the store, written to read like
docs/definitions.md. Every other engine must give the same results (tests/spec, tests/generative).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import singledispatch
from typing import Any

import pandas as pd

from zicht.engines.base import (
    CRITERIA_COLUMNS,
    MEMBER_COLUMNS,
    RESIDENT_COLUMNS,
    SURVEY_COLUMNS,
    Engine,
    Request,
    Tabulation,
    canonical,
    residence_depth,
)
from zicht.engines.store import Store
from zicht.query_model.nodes import All, AnyOf, AtLeast, Criterion, DefinitionQuery, Node, Not
from zicht.query_model.semantics import age_at, window_start


@dataclass(frozen=True)
class Event:
    source_id: str | None
    concept: str | None
    start: dt.date | None
    end: dt.date | None
    value: float | None
    weight: float | None


@dataclass(frozen=True)
class Person:
    id: str
    sex: str | None
    birth_year: int | None
    gemeente: str | None
    wijk: str | None
    buurt: str | None
    record_key: int | None


@singledispatch
def evaluate_logic(node: Node, holds: Callable[[Criterion], bool]) -> bool:
    """Whether a logic tree holds, given a function that says whether each criterion holds."""
    raise TypeError(f"no rule for node type {type(node).__name__}")


@evaluate_logic.register
def _(node: Criterion, holds: Callable[[Criterion], bool]) -> bool:
    return holds(node)


@evaluate_logic.register
def _(node: All, holds: Callable[[Criterion], bool]) -> bool:
    return all(evaluate_logic(op, holds) for op in node.operands)


@evaluate_logic.register
def _(node: AnyOf, holds: Callable[[Criterion], bool]) -> bool:
    return any(evaluate_logic(op, holds) for op in node.operands)


@evaluate_logic.register
def _(node: AtLeast, holds: Callable[[Criterion], bool]) -> bool:
    return sum(evaluate_logic(op, holds) for op in node.operands) >= node.k


@evaluate_logic.register
def _(node: Not, holds: Callable[[Criterion], bool]) -> bool:
    return not evaluate_logic(node.operand, holds)


def event_matches(c: Criterion, e: Event, reference_date: dt.date, start_of_window: dt.date) -> bool:
    if e.concept not in c.concepts:
        return False
    if c.sources is not None and e.source_id not in c.sources:
        return False
    if e.start is None or e.start > reference_date:
        return False
    if (e.end if e.end is not None else reference_date) < start_of_window:
        return False
    if c.value_min is not None and (e.value is None or e.value < c.value_min):
        return False
    return c.value_max is None or (e.value is not None and e.value <= c.value_max)


def criterion_holds(c: Criterion, events: Sequence[Event], age: int | None, reference_date: dt.date) -> bool:
    if not c.age.contains(age):
        return False
    start_of_window = window_start(reference_date, c.window_months)
    matching = [e for e in events if event_matches(c, e, reference_date, start_of_window)]
    if len(matching) < c.min_occurrences:
        return False
    if c.min_span_days is not None:
        last = min(reference_date, max(e.end if e.end is not None else reference_date for e in matching))
        first = max(start_of_window, min(e.start for e in matching if e.start is not None))
        if (last - first).days < c.min_span_days:
            return False
    return True


def survey_weight(q: DefinitionQuery, events: Sequence[Event], reference_date: dt.date) -> float | None:
    """The design weight of a respondent: from the latest event of the definition's survey sources in
    the reference period that carries a weight (ties: the larger weight); None if not a respondent."""
    start_of_window = window_start(reference_date, q.period_months)
    best: tuple[dt.date, float] | None = None
    for e in events:
        if (
            e.source_id in q.sources
            and e.weight is not None
            and e.start is not None
            and e.start <= reference_date
            and (e.end if e.end is not None else reference_date) >= start_of_window
        ):
            key = (e.start, e.weight)
            best = key if best is None or key > best else best
    return None if best is None else best[1]


class InMemoryEngine(Engine):
    name = "in_memory"

    def members(self, store: Store, query: DefinitionQuery, reference_date: dt.date) -> frozenset[str]:
        persons, events = _load(store)
        out = set()
        for p in persons:
            age = age_at(reference_date, p.birth_year)
            if self._member(query, events.get(p.id, ()), age, reference_date, {}):
                out.add(p.id)
        return frozenset(out)

    @staticmethod
    def _member(
        q: DefinitionQuery,
        events: Sequence[Event],
        age: int | None,
        reference_date: dt.date,
        cache: dict[tuple[Any, ...], bool],
    ) -> bool:
        return q.population.contains(age) and evaluate_logic(
            q.root, _holder(events, age, reference_date, cache)
        )

    def _tabulate(self, store: Store, request: Request) -> Tabulation:
        counted, surveyed, reference_date = request.counted, request.surveyed, request.reference_date
        attrition, level = request.attrition, request.level
        depth = residence_depth(level)
        persons, events = _load(store)
        members: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
        residents: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
        criteria: dict[str, dict[tuple[Any, ...], list[int]]] = (
            {q.id: defaultdict(lambda: [0, 0]) for q in counted} if attrition else {}
        )
        survey: dict[str, dict[tuple[Any, ...], list[float]]] = {
            q.id: defaultdict(lambda: [0, 0, 0.0, 0.0]) for q in surveyed
        }
        for p in persons:
            age = age_at(reference_date, p.birth_year)
            evs = events.get(p.id, ())
            cache: dict[tuple[Any, ...], bool] = {}
            holds = _holder(evs, age, reference_date, cache)
            home = tuple(code if i <= depth else None for i, code in enumerate((p.gemeente, p.wijk, p.buurt)))
            rk = p.record_key or 0
            _add(residents[(*home, p.sex, age)], rk)
            mask = 0
            for i, q in enumerate(counted):
                if not q.population.contains(age):
                    continue
                member = evaluate_logic(q.root, holds)
                mask |= int(member) << i
                if attrition:
                    pattern = sum(int(holds(c)) << j for j, c in enumerate(q.criteria))
                    _add(criteria[q.id][(*home, pattern, member)], rk)
            if mask:
                _add(members[(*home, p.sex, age, mask)], rk)
            for q in surveyed:
                if not q.population.contains(age):
                    continue
                w = survey_weight(q, evs, reference_date)
                if w is None:
                    continue
                acc = survey[q.id][(*home, evaluate_logic(q.root, holds))]
                _add(acc, rk)
                acc[2] += w
                acc[3] += w * w
        return Tabulation(
            counted=tuple(q.id for q in counted),
            residents=_frame(residents, RESIDENT_COLUMNS),
            members=_frame(members, MEMBER_COLUMNS),
            criteria={k: _frame(v, CRITERIA_COLUMNS) for k, v in criteria.items()},
            survey={
                k: canonical(
                    pd.DataFrame([(*key, *acc) for key, acc in v.items()], columns=list(SURVEY_COLUMNS)),
                    SURVEY_COLUMNS,
                )
                for k, v in survey.items()
            },
        )


def _holder(
    events: Sequence[Event], age: int | None, reference_date: dt.date, cache: dict[tuple[Any, ...], bool]
) -> Callable[[Criterion], bool]:
    def holds(c: Criterion) -> bool:
        key = c.filter_key
        if key not in cache:
            cache[key] = criterion_holds(c, events, age, reference_date)
        return cache[key]

    return holds


def _add(acc: list[Any], record_key: int) -> None:
    """One more person in a cell: its count and the sum of its record keys."""
    acc[0] += 1
    acc[1] += record_key


def _frame(cells: Mapping[tuple[Any, ...], list[int]], columns: Sequence[str]) -> pd.DataFrame:
    return canonical(pd.DataFrame([(*k, *v) for k, v in cells.items()], columns=list(columns)), columns)


def _load(store: Store) -> tuple[list[Person], dict[str, list[Event]]]:
    persons = [Person(*row) for row in store.rows("person")]
    events: dict[str, list[Event]] = defaultdict(list)
    for _id, person_id, source_id, concept, start, end, value, weight in store.rows("event"):
        events[person_id].append(Event(source_id, concept, start, end, value, weight))
    return persons, events
