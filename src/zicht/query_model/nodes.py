"""The query model: the one intermediate form between a registry definition and the engines.

Small frozen dataclasses, checked when built (an invalid tree cannot exist). The registry YAML is
compiled into these nodes by `zicht.query_model.compile`; engines (`zicht.engines.*`) only read them
and dispatch on the node type. The semantics are in docs/definitions.md; the in-memory engine is the
reference implementation of it.

Concepts are stored already expanded to CURIEs (a criterion on `ggz_specialised` holds
`zc:ggz_specialised` and all narrower concepts unless `include_narrower: false`), so that no engine
needs the concept scheme. Windows are relative (`window_months`); the reference date is a parameter
of the evaluation, not part of the tree, so one compiled tree serves every reference date.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Union

from zicht.errors import ZichtError


class QueryModelError(ZichtError):
    """A query tree that breaks a structural rule (raised while building nodes)."""


def _sorted_unique(values: tuple[str, ...], what: str) -> tuple[str, ...]:
    if not values:
        raise QueryModelError(f"{what} must not be empty")
    if any(not isinstance(v, str) or not v for v in values):
        raise QueryModelError(f"{what} must be non-empty strings, got {values!r}")
    return tuple(sorted(set(values)))


@dataclass(frozen=True)
class AgeRange:
    """Inclusive age range in whole years; None means unbounded on that side."""

    age_min: int | None = None
    age_max: int | None = None

    def __post_init__(self) -> None:
        for name in ("age_min", "age_max"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise QueryModelError(f"{name} must be a non-negative integer, got {value!r}")
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise QueryModelError(f"age_min {self.age_min} is above age_max {self.age_max}")

    @property
    def unbounded(self) -> bool:
        return self.age_min is None and self.age_max is None

    def contains(self, age: int | None) -> bool:
        """Whether an age lies in the range; an unknown age lies only in the unbounded range."""
        if self.unbounded:
            return True
        if age is None:
            return False
        return (self.age_min is None or age >= self.age_min) and (self.age_max is None or age <= self.age_max)


@dataclass(frozen=True)
class Criterion:
    """A leaf: the person has at least `min_occurrences` matching events (docs/definitions.md)."""

    id: str
    concepts: tuple[str, ...]  # CURIEs zc:<key>, expanded with narrower concepts, sorted
    window_months: int
    sources: tuple[str, ...] | None = None
    min_occurrences: int = 1
    min_span_days: int | None = None
    value_min: float | None = None
    value_max: float | None = None
    age: AgeRange = field(default_factory=AgeRange)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise QueryModelError(f"criterion id must be a non-empty string, got {self.id!r}")
        object.__setattr__(
            self, "concepts", _sorted_unique(tuple(self.concepts), f"criterion {self.id!r}: concepts")
        )
        if any(not c.startswith("zc:") for c in self.concepts):
            raise QueryModelError(
                f"criterion {self.id!r}: concepts must be CURIEs zc:<key>, got {self.concepts!r}"
            )
        if self.sources is not None:
            object.__setattr__(
                self, "sources", _sorted_unique(tuple(self.sources), f"criterion {self.id!r}: sources")
            )
        _check_int(self.window_months, f"criterion {self.id!r}: window_months", 1, 240)
        _check_int(self.min_occurrences, f"criterion {self.id!r}: min_occurrences", 1, None)
        if self.min_span_days is not None:
            _check_int(self.min_span_days, f"criterion {self.id!r}: min_span_days", 0, None)
        for name in ("value_min", "value_max"):
            value = getattr(self, name)
            if value is not None:
                if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
                    raise QueryModelError(f"criterion {self.id!r}: {name} must be a number, got {value!r}")
                object.__setattr__(self, name, float(value))
        if self.value_min is not None and self.value_max is not None and self.value_min > self.value_max:
            raise QueryModelError(
                f"criterion {self.id!r}: value_min {self.value_min} is above value_max {self.value_max}"
            )
        if not isinstance(self.age, AgeRange):
            raise QueryModelError(f"criterion {self.id!r}: age must be an AgeRange")

    @property
    def filter_key(self) -> tuple[object, ...]:
        """Everything but the id: two criteria with the same key select the same persons."""
        return (
            self.concepts,
            self.window_months,
            self.sources,
            self.min_occurrences,
            self.min_span_days,
            self.value_min,
            self.value_max,
            self.age,
        )


@dataclass(frozen=True)
class All:
    """Every operand holds."""

    operands: tuple[Node, ...]

    def __post_init__(self) -> None:
        _check_operands(self)


@dataclass(frozen=True)
class AnyOf:
    """At least one operand holds."""

    operands: tuple[Node, ...]

    def __post_init__(self) -> None:
        _check_operands(self)


@dataclass(frozen=True)
class AtLeast:
    """At least `k` operands hold."""

    k: int
    operands: tuple[Node, ...]

    def __post_init__(self) -> None:
        _check_operands(self)
        _check_int(self.k, "at_least: k", 1, len(self.operands))


@dataclass(frozen=True)
class Not:
    """The operand does not hold (complement within the universe)."""

    operand: Node

    def __post_init__(self) -> None:
        if not isinstance(self.operand, NODE_TYPES):
            raise QueryModelError(f"not: operand must be a node, got {type(self.operand).__name__}")


Node = Union[Criterion, All, AnyOf, AtLeast, Not]  # noqa: UP007 - used at runtime by isinstance
NODE_TYPES = (Criterion, All, AnyOf, AtLeast, Not)


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Criterion):
        return ()
    if isinstance(node, Not):
        return (node.operand,)
    return node.operands


def criteria_of(node: Node) -> tuple[Criterion, ...]:
    """The distinct criteria of a tree, in first-seen (depth-first) order."""
    seen: dict[str, Criterion] = {}

    def walk(n: Node) -> None:
        if isinstance(n, Criterion):
            if n.id in seen and seen[n.id] != n:
                raise QueryModelError(f"criterion id {n.id!r} is used for two different criteria")
            seen.setdefault(n.id, n)
        for child in children(n):
            walk(child)

    walk(node)
    return tuple(seen.values())


@dataclass(frozen=True)
class DefinitionQuery:
    """A whole definition: who is in the universe (population age range) and the logic tree.

    `criteria` lists the criteria in the definition's order (attrition is reported per criterion).
    `period_months` is the reference period (used for the respondent window of survey definitions).
    """

    id: str
    root: Node
    population: AgeRange = field(default_factory=AgeRange)
    period_months: int = 12
    version: str = ""
    content_hash: str = ""
    criteria: tuple[Criterion, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise QueryModelError(f"definition id must be a non-empty string, got {self.id!r}")
        if not isinstance(self.root, NODE_TYPES):
            raise QueryModelError(
                f"definition {self.id!r}: root must be a node, got {type(self.root).__name__}"
            )
        if not isinstance(self.population, AgeRange):
            raise QueryModelError(f"definition {self.id!r}: population must be an AgeRange")
        _check_int(self.period_months, f"definition {self.id!r}: period_months", 1, 240)
        in_tree = criteria_of(self.root)
        if not self.criteria:
            object.__setattr__(self, "criteria", in_tree)
        elif len(self.criteria) != len(in_tree) or set(self.criteria) != set(in_tree):
            raise QueryModelError(
                f"definition {self.id!r}: criteria must be exactly the criteria of the tree"
            )

    @property
    def sources(self) -> tuple[str, ...]:
        """Union of the criteria's source restrictions (empty when a criterion has none)."""
        out: set[str] = set()
        for c in self.criteria:
            out.update(c.sources or ())
        return tuple(sorted(out))


def _check_operands(node: All | AnyOf | AtLeast) -> None:
    name = type(node).__name__
    if not isinstance(node.operands, tuple):
        object.__setattr__(node, "operands", tuple(node.operands))
    if not node.operands:
        raise QueryModelError(f"{name}: needs at least one operand")
    for op in node.operands:
        if not isinstance(op, NODE_TYPES):
            raise QueryModelError(f"{name}: operands must be nodes, got {type(op).__name__}")


def _check_int(value: object, what: str, lo: int | None, hi: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise QueryModelError(f"{what} must be an integer, got {value!r}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        bounds = f"{lo}..{hi}" if hi is not None else f">= {lo}"
        raise QueryModelError(f"{what} must be {bounds}, got {value}")
