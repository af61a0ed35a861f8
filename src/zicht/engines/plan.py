"""The plan every SQL engine runs (DuckDB, Spark), built as sqlglot expression trees from the query nodes
and rendered per dialect: SQL is produced only here, never from strings (values are sqlglot literals).

The plan avoids a row per person of the whole population and evaluates each distinct test once:

1. `ev` — one scan of `event`: each relevant event gets a bit mask `m<w>` of the distinct *event filters*
   it matches (concepts, sources, window, value bounds; criteria that differ only in age, threshold or id
   share a filter). Concepts and sources become integer bits through one CASE each, windows and value
   bounds through a few comparisons, so no criterion repeats a string IN list.
2. `flags` — per person with relevant events: the *criterion pattern* `p<w>` (bit t set = threshold t
   holds: at least `min_occurrences` matching events and, with `min_span_days`, the span) from
   `bit_or(m)`, filtered counts and first/last dates; and each survey definition's respondent weight.
3. `base` — `person LEFT JOIN flags` grouped by residence (down to the level asked for), sex, age and
   pattern: persons without relevant events fall into the pattern-0 group of their cell, so the
   population is counted in the same pass without being materialised per person.
4. Every frame of the `Tabulation` is an aggregate of `base`: the logic trees become boolean expressions
   over pattern bits and age (criterion age ranges and definition universes are tests on the age
   column), membership a mask.

The semantics are those of docs/definitions.md and the in-memory reference engine (tests/spec,
tests/generative check every engine against it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import singledispatch
from typing import TYPE_CHECKING, Protocol

from sqlglot import exp

from zicht.engines.base import (
    CRITERIA_COLUMNS,
    MEMBER_COLUMNS,
    RESIDENCE,
    RESIDENT_COLUMNS,
    SURVEY_COLUMNS,
    Tabulation,
    residence_depth,
)
from zicht.query_model.nodes import AgeRange, All, AnyOf, AtLeast, Criterion, DefinitionQuery, Node, Not
from zicht.query_model.semantics import window_start

if TYPE_CHECKING:
    import pandas as pd

WORD = 63  # bits per pattern word: a BIGINT stays non-negative
INT = exp.DataType.build("INT")
LEVELS = RESIDENCE  # deepest residence level a caller may ask for


# --- small expression helpers (every value is a literal node, never text) -------------------------------
def col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def num(value: float) -> exp.Expression:
    if isinstance(value, float):
        return exp.cast(exp.Literal.number(repr(value)), exp.DataType.build("DOUBLE"), copy=False)
    return exp.Literal.number(int(value))


def text(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def date(value: dt.date) -> exp.Expression:
    return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("DATE"), copy=False)


def bigint(e: exp.Expression) -> exp.Expression:
    return exp.cast(e, exp.DataType.build("BIGINT"), copy=False)


def paren(e: exp.Expression) -> exp.Paren:
    return exp.Paren(this=e)


def and_(*parts: exp.Expression) -> exp.Expression:
    kept = [p for p in parts if not (isinstance(p, exp.Boolean) and p.this is True)]
    return _chain(exp.And, kept, exp.true())


def or_(*parts: exp.Expression) -> exp.Expression:
    return _chain(exp.Or, list(parts), exp.false())


def _chain(
    connective: type[exp.And] | type[exp.Or], parts: Sequence[exp.Expression], empty: exp.Expression
) -> exp.Expression:
    """``(a) OP (b) OP ...`` nested to the left, every operand parenthesised; ``empty`` for no operand."""
    if not parts:
        return empty
    out: exp.Expression = paren(parts[0])
    for p in parts[1:]:
        out = connective(this=out, expression=paren(p))
    return paren(out)


def bit_and(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    return paren(exp.BitwiseAnd(this=paren(a), expression=paren(b)))


def bit_or(*parts: exp.Expression) -> exp.Expression:
    out = parts[0]
    for p in parts[1:]:
        out = paren(exp.BitwiseOr(this=paren(out), expression=paren(p)))
    return out


def has_bits(value: exp.Expression, bits: int) -> exp.Expression:
    return paren(exp.NEQ(this=bit_and(value, num(bits)), expression=num(0)))


def case(whens: Sequence[tuple[exp.Expression, exp.Expression]], default: exp.Expression) -> exp.Expression:
    out = exp.Case()
    for cond, then in whens:
        out = out.when(cond, then, copy=False)
    return paren(out.else_(default, copy=False))


def if_bits(cond: exp.Expression, bits: int) -> exp.Expression:
    return case([(cond, num(bits))], num(0))


def total(terms: Sequence[exp.Expression]) -> exp.Expression:
    out: exp.Expression = num(0) if not terms else terms[0]
    for t in terms[1:]:
        out = exp.Add(this=out, expression=t)
    return bigint(paren(out))


def in_list(column: exp.Expression, values: Sequence[str]) -> exp.Expression:
    return paren(exp.In(this=column, expressions=[text(v) for v in values]))


def age_test(age: AgeRange, column: exp.Expression) -> exp.Expression:
    """The age range as a non-NULL boolean (an unknown age lies only in the unbounded range)."""
    if age.unbounded:
        return exp.true()
    parts: list[exp.Expression] = []
    if age.age_min is not None:
        parts.append(exp.GTE(this=column, expression=num(age.age_min)))
    if age.age_max is not None:
        parts.append(exp.LTE(this=column, expression=num(age.age_max)))
    return exp.Coalesce(this=and_(*parts), expressions=[exp.false()])


def sql_sum(e: exp.Expression) -> exp.Expression:
    return bigint(exp.Coalesce(this=exp.Sum(this=e), expressions=[num(0)]))


# --- the distinct tests of a comparison -----------------------------------------------------------------
@dataclass(frozen=True)
class EventFilter:
    """What makes one event match a criterion (everything of a criterion that looks at single events)."""

    concepts: tuple[str, ...]
    sources: tuple[str, ...] | None
    window_start: dt.date
    value_min: float | None
    value_max: float | None


@dataclass(frozen=True)
class Threshold:
    """A criterion without its age range and id: the test on a person's matching events."""

    filter: int  # index into Plan.filters
    min_occurrences: int
    min_span_days: int | None


def word_bit(index: int) -> tuple[int, int]:
    return index // WORD, 1 << (index % WORD)


Members = list[tuple[int, EventFilter]]  # (filter index, filter) of one mask word


def _concept_bits(members: Members) -> exp.Expression:
    """The bits of the filters that name the event's concept."""
    by_concept: dict[str, int] = {}
    for i, f in members:
        for c in f.concepts:
            by_concept[c] = by_concept.get(c, 0) | word_bit(i)[1]
    return exp.Case(
        this=col("concept"),
        ifs=[exp.If(this=text(c), true=num(b)) for c, b in sorted(by_concept.items())],
        default=num(0),
    )


def _source_bits(members: Members) -> list[exp.Expression]:
    """The bits of the filters open to the event's source (none when no filter restricts sources)."""
    unrestricted = 0
    by_source: dict[str, int] = {}
    for i, f in members:
        if f.sources is None:
            unrestricted |= word_bit(i)[1]
        else:
            for s in f.sources:
                by_source[s] = by_source.get(s, 0) | word_bit(i)[1]
    if not by_source:
        return []
    return [
        exp.Case(
            this=col("source_id"),
            ifs=[exp.If(this=text(s), true=num(b | unrestricted)) for s, b in sorted(by_source.items())],
            default=num(unrestricted),
        )
    ]


def _window_bits(members: Members) -> exp.Expression:
    """The bits of the filters whose window the event reaches: the latest window start first; an event
    ending on or after it matches every window."""
    whens = []
    for start in sorted({f.window_start for _, f in members}, reverse=True):
        bits = 0
        for i, f in members:
            if f.window_start <= start:
                bits |= word_bit(i)[1]
        whens.append((exp.GTE(this=col("e_end"), expression=date(start)), num(bits)))
    return case(whens, num(0))


def _value_bits(members: Members) -> list[exp.Expression]:
    """The bits of the filters whose value range holds the event's value (none when no filter has one)."""
    bounded: dict[tuple[float | None, float | None], int] = {}
    free = 0
    for i, f in members:
        if f.value_min is None and f.value_max is None:
            free |= word_bit(i)[1]
        else:
            key = (f.value_min, f.value_max)
            bounded[key] = bounded.get(key, 0) | word_bit(i)[1]
    if not bounded:
        return []
    terms: list[exp.Expression] = [num(free)]
    for (lo, hi), bits in sorted(bounded.items(), key=repr):
        tests: list[exp.Expression] = []
        if lo is not None:
            tests.append(exp.GTE(this=col("value"), expression=num(float(lo))))
        if hi is not None:
            tests.append(exp.LTE(this=col("value"), expression=num(float(hi))))
        terms.append(if_bits(and_(*tests), bits))
    return [bit_or(*terms)]


class Plan:
    """The distinct event filters and thresholds of the counted and survey definitions, and the SQL of
    every step as sqlglot trees (render with `.sql(dialect)`)."""

    def __init__(
        self,
        counted: Sequence[DefinitionQuery],
        surveyed: Sequence[DefinitionQuery],
        reference_date: dt.date,
        level: str = "buurt",
        person_key: bool = False,
    ) -> None:
        self.depth = residence_depth(level)
        # Join and group persons on the store's BIGINT surrogate (`person.person_key`, `event.person_key`,
        # written by harmonise) when it has one, else on the pseudonym itself (an older store).
        self.person_key = person_key
        self.event_key = "person_key" if person_key else "person_id"
        self.person_table_key = "person_key" if person_key else "id"
        self.counted = tuple(counted)
        self.surveyed = tuple(surveyed)
        self.reference_date = reference_date
        self.level = level
        self.filters: list[EventFilter] = []
        self.thresholds: list[Threshold] = []
        self._filter_index: dict[EventFilter, int] = {}
        self._threshold_index: dict[Threshold, int] = {}
        for q in (*self.counted, *self.surveyed):
            for c in q.criteria:
                self.threshold_of(c)
        self.words = max(1, -(-len(self.thresholds) // WORD))
        self.filter_words = -(-len(self.filters) // WORD)
        # The ages where some age test of the comparison changes its answer (docs: `age_band`).
        cuts: set[int] = set()
        for q in (*self.counted, *self.surveyed):
            for age in (q.population, *(c.age for c in q.criteria)):
                if age.age_min is not None:
                    cuts.add(age.age_min)
                if age.age_max is not None:
                    cuts.add(age.age_max + 1)
        self.age_cuts = tuple(sorted(cuts))

    # naming the distinct tests
    def threshold_of(self, c: Criterion) -> int:
        f = EventFilter(
            c.concepts,
            c.sources,
            window_start(self.reference_date, c.window_months),
            c.value_min,
            c.value_max,
        )
        if f not in self._filter_index:
            self._filter_index[f] = len(self.filters)
            self.filters.append(f)
        t = Threshold(self._filter_index[f], c.min_occurrences, c.min_span_days)
        if t not in self._threshold_index:
            self._threshold_index[t] = len(self.thresholds)
            self.thresholds.append(t)
        return self._threshold_index[t]

    @property
    def has_events(self) -> bool:
        return bool(self.filters or self.surveyed)

    # step 1: events with their filter masks
    def _filter_mask(self, w: int) -> exp.Expression:
        """Word `w` of an event's filter mask: the bits of the filters whose concept, source, window and
        value range the event meets (each test a CASE over the filters' bits, ANDed together)."""
        members = [(i, f) for i, f in enumerate(self.filters) if i // WORD == w]
        parts = [_concept_bits(members)]
        parts += _source_bits(members)
        parts.append(_window_bits(members))
        parts += _value_bits(members)
        mask: exp.Expression = paren(parts[0])
        for p in parts[1:]:
            mask = bit_and(mask, p)
        return bigint(mask)

    def _survey_test(self, q: DefinitionQuery) -> exp.Expression:
        """An event that makes a respondent (docs/definitions.md, survey respondents)."""
        return and_(
            in_list(col("source_id"), q.sources),
            exp.Not(this=exp.Is(this=col("weight"), expression=exp.null())),
            exp.GTE(this=col("e_end"), expression=date(window_start(self.reference_date, q.period_months))),
        )

    def events(self) -> exp.Select:
        r = date(self.reference_date)
        concepts = sorted({c for f in self.filters for c in f.concepts})
        sources = sorted({s for q in self.surveyed for s in q.sources})
        relevant = []
        if concepts:
            relevant.append(in_list(col("concept"), concepts))
        if sources:
            relevant.append(in_list(col("source_id"), sources))
        where = [exp.LTE(this=col("start_date"), expression=r), or_(*relevant)]
        if self.person_key:  # an event of a person who is not in `person` is never counted
            where.append(exp.Not(this=exp.Is(this=col(self.event_key), expression=exp.null())))
        inner = (
            exp.select(
                exp.alias_(col(self.event_key), "pid", quoted=True, copy=False),
                col("start_date"),
                col("source_id"),
                col("concept"),
                col("value"),
                col("weight"),
                exp.alias_(
                    exp.Coalesce(this=col("end_date"), expressions=[r]), "e_end", quoted=True, copy=False
                ),
            )
            .from_(exp.to_table("event", quoted=True), copy=False)
            .where(and_(*where), copy=False)
        )
        outer: list[exp.Expr] = [col("pid"), col("start_date"), col("e_end"), col("weight"), col("source_id")]
        outer += [
            exp.alias_(self._filter_mask(w), f"m{w}", quoted=True, copy=False)
            for w in range(self.filter_words)
        ]
        return exp.select(*outer).from_(inner.subquery("ev0", copy=False), copy=False)

    # step 2: per person, the criterion pattern and respondent weights
    def flags(self) -> exp.Select:
        """Per person: the criterion pattern (a bit per threshold, in words p0..) and the latest survey
        weight per surveyed definition (w0..), from the aggregates of the person's relevant events."""
        relevant: list[exp.Expression] = [
            exp.NEQ(this=col(f"m{w}"), expression=num(0)) for w in range(self.filter_words)
        ]
        relevant += [self._survey_test(q) for q in self.surveyed]
        agg = (
            exp.select(col("pid"), *self._person_aggregates())
            .from_(self.events().subquery("ev", copy=False), copy=False)
            .where(or_(*relevant), copy=False)
            .group_by(col("pid"), copy=False)
        )
        cols: list[exp.Expr] = [col("pid")]
        cols += [
            exp.alias_(bigint(bit_or(*terms)) if terms else num(0), f"p{w}", quoted=True, copy=False)
            for w, terms in enumerate(self._pattern_words())
        ]
        cols += [col(f"w{i}") for i in range(len(self.surveyed))]
        return exp.select(*cols).from_(agg.subquery("agg", copy=False), copy=False)

    def _person_aggregates(self) -> list[exp.Expr]:
        """The filter words ORed over a person's events (x0..), the number of events (n<f>) and the first
        start (a<f>) and last end (b<f>) of a filter where a threshold needs them, and the survey weights."""
        aggs: list[exp.Expr] = []
        for w in range(self.filter_words):
            aggs.append(exp.alias_(exp.BitwiseOrAgg(this=col(f"m{w}")), f"x{w}", quoted=True, copy=False))
        need_count = {
            t.filter for t in self.thresholds if t.min_occurrences > 1 or t.min_span_days is not None
        }
        need_span = {t.filter for t in self.thresholds if t.min_span_days is not None}

        def where(agg: exp.Expression, hit: exp.Expression, name: str) -> exp.Expr:
            return exp.alias_(
                exp.Filter(this=agg, expression=exp.Where(this=hit)), name, quoted=True, copy=False
            )

        for f in sorted(need_count):
            w, bit = word_bit(f)
            hit = has_bits(col(f"m{w}"), bit)
            aggs.append(where(exp.Count(this=exp.Star()), hit, f"n{f}"))
            if f in need_span:
                aggs.append(where(exp.Min(this=col("start_date")), hit, f"a{f}"))
                aggs.append(where(exp.Max(this=col("e_end")), hit, f"b{f}"))
        for i, q in enumerate(self.surveyed):
            latest = exp.ArgMax(
                this=col("weight"),
                expression=exp.Struct(
                    expressions=[
                        exp.PropertyEQ(this=exp.to_identifier("s"), expression=col("start_date")),
                        exp.PropertyEQ(this=exp.to_identifier("w"), expression=col("weight")),
                    ]
                ),
            )
            aggs.append(where(latest, self._survey_test(q), f"w{i}"))
        return aggs

    def _pattern_words(self) -> list[list[exp.Expression]]:
        """Per pattern word, one term per threshold: its bit where the person meets it (the filter hit,
        enough events, a long enough span inside the window)."""
        r = date(self.reference_date)
        words: list[list[exp.Expression]] = [[] for _ in range(self.words)]
        for t_index, t in enumerate(self.thresholds):
            fw, fbit = word_bit(t.filter)
            tests = [has_bits(col(f"x{fw}"), fbit)]
            if t.min_occurrences > 1:
                tests.append(exp.GTE(this=col(f"n{t.filter}"), expression=num(t.min_occurrences)))
            if t.min_span_days is not None:
                first = exp.Greatest(
                    this=col(f"a{t.filter}"), expressions=[date(self.filters[t.filter].window_start)]
                )
                last = exp.Least(this=col(f"b{t.filter}"), expressions=[r])
                span = exp.DateDiff(this=last, expression=first, unit=exp.var("DAY"))
                tests.append(
                    exp.Coalesce(
                        this=exp.GTE(this=span, expression=num(t.min_span_days)), expressions=[exp.false()]
                    )
                )
            w, bit = word_bit(t_index)
            words[w].append(if_bits(and_(*tests), bit))
        return words

    # step 3: persons with residence, age, pattern
    def _person_columns(self, with_id: bool = False) -> list[exp.Expr]:
        """Residence (deeper than `level` NULL), sex, age and record key of a person row `p`."""
        cols: list[exp.Expr] = (
            [exp.alias_(col("id", "p"), "person_id", quoted=True, copy=False)] if with_id else []
        )
        for i, name in enumerate(LEVELS):
            value = (
                col(f"residence_{name}", "p")
                if i <= self.depth
                else exp.cast(exp.null(), exp.DataType.build("VARCHAR"), copy=False)
            )
            cols.append(exp.alias_(value, name, quoted=True, copy=False))
        age = exp.Sub(this=num(self.reference_date.year), expression=col("birth_year", "p"))
        return cols + [
            exp.alias_(col("sex", "p"), "sex", quoted=True, copy=False),
            exp.alias_(exp.cast(age, exp.DataType.build("INT"), copy=False), "age", quoted=True, copy=False),
            exp.alias_(
                bigint(exp.Coalesce(this=col("record_key", "p"), expressions=[num(0)])),
                "record_key",
                quoted=True,
                copy=False,
            ),
        ]

    def persons(self, with_id: bool = False, everyone: bool = False) -> exp.Select:
        """Person rows with their pattern words and respondent weights: the persons with relevant events
        only, or (`everyone`) every person, pattern 0 without relevant events."""
        cols = self._person_columns(with_id)
        person = exp.to_table("person", quoted=True, alias="p")
        if not self.has_events:
            cols += [exp.alias_(bigint(num(0)), f"p{w}", quoted=True, copy=False) for w in range(self.words)]
            select = exp.select(*cols).from_(person, copy=False)
            return select if everyone else select.where(exp.false(), copy=False)
        cols += [
            exp.alias_(
                bigint(exp.Coalesce(this=col(f"p{w}", "f"), expressions=[num(0)])),
                f"p{w}",
                quoted=True,
                copy=False,
            )
            for w in range(self.words)
        ]
        cols += [
            exp.alias_(col(f"w{i}", "f"), f"w{i}", quoted=True, copy=False) for i in range(len(self.surveyed))
        ]
        return (
            exp.select(*cols)
            .from_(person, copy=False)
            .join(
                self.flags().subquery("f", copy=False),
                on=exp.EQ(this=col("pid", "f"), expression=col(self.person_table_key, "p")),
                join_type="left" if everyone else "inner",
                copy=False,
            )
        )

    @property
    def keys(self) -> list[str]:
        return [*LEVELS, "sex", "age"]

    @property
    def base_keys(self) -> list[str]:
        """The cells of the persons-by-pattern table: residence and age band (no frame it feeds needs sex)."""
        return [*LEVELS, "age"]

    @property
    def pattern_keys(self) -> list[str]:
        return [*self.base_keys, *(f"p{w}" for w in range(self.words))]

    def _survey_names(self) -> list[str]:
        return [f"{v}{i}" for i in range(len(self.surveyed)) for v in ("rn", "rrk", "sw", "sw2")]

    def age_band(self, column: exp.Expression) -> exp.Expression:
        """The age as the representative of its band. Every age test of the comparison (criterion age
        ranges, definition universes) compares the age with a cut point (`age_min`, `age_max + 1`), so all
        ages between two adjacent cuts answer every test alike: the band's lowest age stands for them
        (below the first cut: that cut minus one; no cuts: 0). NULL stays NULL. Grouping by band instead of
        exact age is what keeps the persons-by-pattern table small (nationally: exact age x pattern per wijk
        hardly merges persons)."""
        whens: list[tuple[exp.Expression, exp.Expression]] = [
            (exp.Is(this=column, expression=exp.null()), exp.cast(exp.null(), INT, copy=False))
        ]
        whens += [(exp.GTE(this=column, expression=num(c)), num(c)) for c in reversed(self.age_cuts)]
        default = num(self.age_cuts[0] - 1 if self.age_cuts else 0)
        return exp.cast(case(whens, default), INT, copy=False)

    def patterns(self, persons: str) -> exp.Select:
        """The persons with relevant events (a table holding `persons()`) grouped by residence, age band
        and pattern: count, record-key sum and per survey definition the respondents' count, key sum, sum
        of weights and of squared weights."""
        values: list[exp.Expr] = [
            exp.alias_(bigint(exp.Count(this=exp.Star())), "n", quoted=True, copy=False),
            exp.alias_(sql_sum(col("record_key")), "rk", quoted=True, copy=False),
        ]
        for i in range(len(self.surveyed)):
            w = col(f"w{i}")
            known = exp.Not(this=exp.Is(this=w, expression=exp.null()))
            values += [
                exp.alias_(bigint(exp.Count(this=w)), f"rn{i}", quoted=True, copy=False),
                exp.alias_(
                    sql_sum(case([(known, col("record_key"))], num(0))), f"rrk{i}", quoted=True, copy=False
                ),
                exp.alias_(
                    exp.cast(exp.Sum(this=w), exp.DataType.build("DOUBLE"), copy=False),
                    f"sw{i}",
                    quoted=True,
                    copy=False,
                ),
                exp.alias_(
                    exp.cast(
                        exp.Sum(this=exp.Mul(this=w, expression=w)), exp.DataType.build("DOUBLE"), copy=False
                    ),
                    f"sw2{i}",
                    quoted=True,
                    copy=False,
                ),
            ]
        rows = exp.select(
            *(col(k) for k in LEVELS),
            exp.alias_(self.age_band(col("age")), "age", quoted=True, copy=False),
            *(col(f"p{w}") for w in range(self.words)),
            col("record_key"),
            *(col(f"w{i}") for i in range(len(self.surveyed))),
        ).from_(exp.to_table(persons, quoted=True), copy=False)
        keys = self.pattern_keys
        return (
            exp.select(*(col(k) for k in keys), *values)
            .from_(rows.subquery("banded", copy=False), copy=False)
            .group_by(*(col(k) for k in keys), copy=False)
        )

    def population(self) -> exp.Select:
        """Every person grouped by residence, sex and age (the residents frame): one scan, no join."""
        person = exp.to_table("person", quoted=True, alias="p")
        rows = exp.select(*self._person_columns()).from_(person, copy=False)
        return (
            exp.select(
                *(col(k) for k in self.keys),
                exp.alias_(bigint(exp.Count(this=exp.Star())), "n", quoted=True, copy=False),
                exp.alias_(sql_sum(col("record_key")), "rk", quoted=True, copy=False),
            )
            .from_(rows.subquery("person_rows", copy=False), copy=False)
            .group_by(*(col(k) for k in self.keys), copy=False)
        )

    def base(self, patterns: str, population: str) -> exp.Query:
        """The persons-by-pattern table (cells of residence and age band): `patterns` plus, per cell, the
        persons without relevant events as pattern 0 (the cell's population minus its persons with
        relevant events: counts and key sums are additive, so no row per person is needed)."""
        keys, pattern_keys = self.base_keys, self.pattern_keys
        survey_zero = [
            exp.alias_(
                num(0)
                if name.startswith("r")
                else exp.cast(exp.null(), exp.DataType.build("DOUBLE"), copy=False),
                name,
                quoted=True,
                copy=False,
            )
            for name in self._survey_names()
        ]
        signed = exp.union(
            exp.select(
                *(col(k) for k in LEVELS),
                exp.alias_(self.age_band(col("age")), "age", quoted=True, copy=False),
                col("n"),
                col("rk"),
            ).from_(exp.to_table(population, quoted=True), copy=False),
            exp.select(
                *(col(k) for k in keys),
                exp.alias_(exp.Neg(this=col("n")), "n", quoted=True, copy=False),
                exp.alias_(exp.Neg(this=col("rk")), "rk", quoted=True, copy=False),
            ).from_(exp.to_table(patterns, quoted=True), copy=False),
            distinct=False,
            copy=False,
        )
        zero = _sums(
            exp.select(*(col(k) for k in keys)).from_(signed.subquery("signed", copy=False), copy=False),
            keys,
            ["n", "rk"],
        )
        zero = (
            exp.select(
                *(col(k) for k in keys),
                *(exp.alias_(bigint(num(0)), f"p{w}", quoted=True, copy=False) for w in range(self.words)),
                col("n"),
                col("rk"),
                *survey_zero,
            )
            .from_(zero.subquery("without_events", copy=False), copy=False)
            .where(exp.GT(this=col("n"), expression=num(0)), copy=False)
        )
        columns = [*pattern_keys, "n", "rk", *self._survey_names()]
        return exp.union(
            exp.select(*(col(c) for c in columns)).from_(exp.to_table(patterns, quoted=True), copy=False),
            zero,
            distinct=False,
            copy=False,
        )

    # step 4: the logic over pattern bits and age
    def holds(self, c: Criterion) -> exp.Expression:
        w, bit = word_bit(self.threshold_of(c))
        return and_(has_bits(col(f"p{w}"), bit), age_test(c.age, col("age")))

    def member(self, q: DefinitionQuery) -> exp.Expression:
        return and_(age_test(q.population, col("age")), logic(q.root, self))

    def universe(self, q: DefinitionQuery) -> exp.Expression:
        return age_test(q.population, col("age"))

    def mask(self) -> exp.Expression:
        return total([if_bits(self.member(q), 1 << i) for i, q in enumerate(self.counted)])

    def pattern(self, q: DefinitionQuery) -> exp.Expression:
        return total([if_bits(self.holds(c), 1 << j) for j, c in enumerate(q.criteria)])

    # the frames, as queries over a table holding `base()` (or `population()` for the residents)
    def residents(self, population: str) -> exp.Select:
        return exp.select(*(col(c) for c in (*self.keys, "n", "rk"))).from_(
            exp.to_table(population, quoted=True), copy=False
        )

    @property
    def members_without_events(self) -> bool:
        """Whether a person without relevant events (pattern 0) can meet a counted definition at some age
        (a `not` in the logic): only then do the members need the population's persons without events.
        Decided by the reference semantics with no criterion holding, at one age of every band."""
        from zicht.engines.in_memory import evaluate_logic

        cuts = self.age_cuts
        ages: list[int | None] = [None, (cuts[0] - 1) if cuts else 0, *cuts]
        return any(
            q.population.contains(age) and evaluate_logic(q.root, lambda c: False)
            for q in self.counted
            for age in ages
        )

    def members(self, persons: str, population: str) -> exp.Select:
        """Members by residence, sex, exact age and mask, straight from the persons with relevant events
        (a table holding `persons()`): one mask per person, so only distinct masks make groups. When a
        person without relevant events can be a member (`members_without_events`), each cell's population
        minus its persons with events joins in with the mask of pattern 0."""
        keys = [*LEVELS, "sex", "age", "mask"]
        mask = self.mask()
        rows: exp.Select | exp.Union = exp.select(
            *(col(k) for k in self.keys),
            exp.alias_(mask, "mask", quoted=True, copy=False),
            exp.alias_(bigint(num(1)), "n", quoted=True, copy=False),
            exp.alias_(col("record_key"), "rk", quoted=True, copy=False),
        ).from_(exp.to_table(persons, quoted=True), copy=False)
        if self.members_without_events:
            mask0 = mask.transform(
                lambda node: (
                    num(0)
                    if isinstance(node, exp.Column) and node.name in {f"p{w}" for w in range(self.words)}
                    else node
                )
            )
            everyone = exp.select(
                *(col(k) for k in self.keys),
                exp.alias_(mask0, "mask", quoted=True, copy=False),
                col("n"),
                col("rk"),
            ).from_(exp.to_table(population, quoted=True), copy=False)
            with_events = exp.select(
                *(col(k) for k in self.keys),
                exp.alias_(mask0.copy(), "mask", quoted=True, copy=False),
                exp.alias_(bigint(num(-1)), "n", quoted=True, copy=False),
                exp.alias_(exp.Neg(this=col("record_key")), "rk", quoted=True, copy=False),
            ).from_(exp.to_table(persons, quoted=True), copy=False)
            rows = exp.union(rows, everyone, with_events, distinct=False, copy=False)
        grouped = _sums(
            exp.select(*(col(k) for k in keys))
            .from_(rows.subquery("masked", copy=False), copy=False)
            .where(exp.NEQ(this=col("mask"), expression=num(0)), copy=False),
            keys,
            ["n", "rk"],
        )
        if not self.members_without_events:
            return grouped
        return (
            exp.select(*(col(k) for k in (*keys, "n", "rk")))
            .from_(grouped.subquery("cells", copy=False), copy=False)
            .where(exp.GT(this=col("n"), expression=num(0)), copy=False)
        )

    def criteria(self, base: str, q: DefinitionQuery) -> exp.Select:
        keys = [*LEVELS, "pattern", "member"]
        inner = (
            exp.select(
                *(col(k) for k in LEVELS),
                exp.alias_(self.pattern(q), "pattern", quoted=True, copy=False),
                exp.alias_(self.member(q), "member", quoted=True, copy=False),
                col("n"),
                col("rk"),
            )
            .from_(exp.to_table(base, quoted=True), copy=False)
            .where(self.universe(q), copy=False)
        )
        return _sums(
            exp.select(*(col(k) for k in keys)).from_(inner.subquery("in_universe", copy=False), copy=False),
            keys,
            ["n", "rk"],
        )

    def survey(self, base: str, i: int) -> exp.Select:
        q = self.surveyed[i]
        keys = [*LEVELS, "member"]
        inner = (
            exp.select(
                *(col(k) for k in LEVELS),
                exp.alias_(self.member(q), "member", quoted=True, copy=False),
                exp.alias_(col(f"rn{i}"), "n", quoted=True, copy=False),
                exp.alias_(col(f"rrk{i}"), "rk", quoted=True, copy=False),
                exp.alias_(col(f"sw{i}"), "sum_w", quoted=True, copy=False),
                exp.alias_(col(f"sw2{i}"), "sum_w2", quoted=True, copy=False),
            )
            .from_(exp.to_table(base, quoted=True), copy=False)
            .where(and_(self.universe(q), exp.GT(this=col(f"rn{i}"), expression=num(0))), copy=False)
        )
        sel = exp.select(*(col(k) for k in keys)).from_(inner.subquery("respondents", copy=False), copy=False)
        sel = _sums(sel, keys, ["n", "rk"])
        return sel.select(
            exp.alias_(exp.Sum(this=col("sum_w")), "sum_w", quoted=True, copy=False),
            exp.alias_(exp.Sum(this=col("sum_w2")), "sum_w2", quoted=True, copy=False),
            copy=False,
        )

    def member_ids(self, q: DefinitionQuery) -> exp.Select:
        """The ids of the persons who meet one definition (for `Engine.members`)."""
        rows = self.persons(with_id=True, everyone=True)
        return (
            exp.select(col("person_id"))
            .from_(rows.subquery("person_rows", copy=False), copy=False)
            .where(self.member(q), copy=False)
        )


def _sums(select: exp.Select, keys: Sequence[str], values: Sequence[str]) -> exp.Select:
    return select.select(
        *(exp.alias_(sql_sum(col(v)), v, quoted=True, copy=False) for v in values), copy=False
    ).group_by(*(col(k) for k in keys), copy=False)


@singledispatch
def logic(node: Node, plan: Plan) -> exp.Expression:
    """A non-NULL boolean expression over the pattern bits and age that holds when the node holds."""
    raise TypeError(f"no SQL rule for node type {type(node).__name__}")


@logic.register
def _(node: Criterion, plan: Plan) -> exp.Expression:
    return plan.holds(node)


@logic.register
def _(node: All, plan: Plan) -> exp.Expression:
    return and_(*(logic(op, plan) for op in node.operands))


@logic.register
def _(node: AnyOf, plan: Plan) -> exp.Expression:
    return or_(*(logic(op, plan) for op in node.operands))


@logic.register
def _(node: AtLeast, plan: Plan) -> exp.Expression:
    terms = [case([(logic(op, plan), num(1))], num(0)) for op in node.operands]
    count = terms[0]
    for t in terms[1:]:
        count = exp.Add(this=count, expression=t)
    return paren(exp.GTE(this=paren(count), expression=num(node.k)))


@logic.register
def _(node: Not, plan: Plan) -> exp.Expression:
    return paren(exp.Not(this=paren(logic(node.operand, plan))))


class Steps(Protocol):
    """How an SQL engine holds the plan's intermediate steps and fetches its frames."""

    def keep(self, step: str, select: exp.Query, *, reused: bool = True) -> str:
        """Materialise a step (``reused``: read by several frames) and return the name it is read by."""
        ...

    def release(self, name: str) -> None:
        """A step no later statement reads (an engine may free it)."""
        ...

    def frame(self, select: exp.Select, columns: Sequence[str]) -> pd.DataFrame:
        """A frame of the `Tabulation`, in the canonical form (`base.canonical`)."""
        ...


def run_plan(
    plan: Plan,
    counted: Sequence[DefinitionQuery],
    surveyed: Sequence[DefinitionQuery],
    steps: Steps,
    *,
    attrition: bool = True,
) -> Tabulation:
    """The one order in which every SQL engine runs a plan: population and the persons with relevant
    events once; members from them; the persons-by-pattern table only when attrition or survey frames
    are asked for."""
    population = steps.keep("population", plan.population())
    persons = steps.keep("persons", plan.persons())
    members = steps.frame(plan.members(persons, population), MEMBER_COLUMNS)
    criteria: dict[str, pd.DataFrame] = {}
    survey: dict[str, pd.DataFrame] = {}
    if (attrition and counted) or surveyed:
        patterns = steps.keep("patterns", plan.patterns(persons), reused=False)
        steps.release(persons)
        base = steps.keep("base", plan.base(patterns, population))
        steps.release(patterns)
        criteria = {
            q.id: steps.frame(plan.criteria(base, q), CRITERIA_COLUMNS)
            for q in (counted if attrition else ())
        }
        survey = {q.id: steps.frame(plan.survey(base, i), SURVEY_COLUMNS) for i, q in enumerate(surveyed)}
    return Tabulation(
        counted=tuple(q.id for q in counted),
        residents=steps.frame(plan.residents(population), RESIDENT_COLUMNS),
        members=members,
        criteria=criteria,
        survey=survey,
    )
