"""Property-based tests: on random hierarchical tables every suppressed cell stays protected."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.disclosure.attacker import Attack, narrowest
from tests.unit.disclosure.tables import comparison_table
from zicht.disclosure import Constraint, DisclosureRules, protect, round_to_base

_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

counts = st.one_of(st.integers(0, 12), st.integers(0, 200))
rules_strategy = st.builds(
    DisclosureRules,
    threshold=st.sampled_from([3, 5, 10]),
    rounding_base=st.sampled_from([1, 3, 5, 10]),
    min_interval=st.sampled_from([None, 4, 15]),
    protect_zeros=st.booleans(),
)


@st.composite
def hierarchies(draw: st.DrawFn) -> tuple[pd.DataFrame, list[Constraint]]:
    """A region tree of depth 1..3 whose leaves hold random counts; every parent sums its children."""
    values: dict[str, int] = {}
    constraints: list[Constraint] = []

    def grow(name: str, depth: int) -> int:
        if depth == 0:
            values[name] = draw(counts)
            return values[name]
        children = [f"{name}.{i}" for i in range(draw(st.integers(1, 4)))]
        values[name] = sum(grow(child, depth - 1) for child in children)
        constraints.append(Constraint(name, tuple(children)))
        return values[name]

    grow("R", draw(st.integers(1, 3)))
    return pd.DataFrame({"cell_id": list(values), "value": list(values.values())}), constraints


def _check(cells: pd.DataFrame, constraints: list[Constraint], rules: DisclosureRules) -> None:
    result = protect(cells, constraints, rules)
    table = result.table
    values = table["value"].to_numpy()
    primary = (values > 0) & (values < rules.threshold)
    assert ((table["status"] == "primary").to_numpy() >= primary).all()
    shown = table["published"].notna().to_numpy()
    assert (
        table.loc[shown, "published"].to_numpy() == round_to_base(values[shown], rules.rounding_base)
    ).all()
    attack = Attack(table, constraints, rules)
    assert attack.differencing() == {}
    assert narrowest(attack.linear_programming()) >= rules.protection_interval


@_SETTINGS
@given(table=hierarchies(), rules=rules_strategy)
def test_random_hierarchies_resist_the_attacker(
    table: tuple[pd.DataFrame, list[Constraint]], rules: DisclosureRules
) -> None:
    _check(*table, rules)


@_SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    n_definitions=st.integers(1, 3),
    leaves=st.lists(st.integers(50, 3000), min_size=2, max_size=4),
    split=st.integers(1, 3),
)
def test_random_comparisons_resist_the_attacker(
    seed: int, n_definitions: int, leaves: list[int], split: int
) -> None:
    names = [f"WK{i}" for i in range(len(leaves))]
    tree = {"GM": ["GMa", "GMb"], "GMa": names[:split] or names[:1], "GMb": names[split:] or names[-1:]}
    if set(tree["GMa"]) & set(tree["GMb"]):
        tree = {"GM": names}
    cells, constraints = comparison_table(
        tree,
        dict(zip(names, leaves, strict=False)),
        [f"D{i}" for i in range(n_definitions)],
        np.random.default_rng(seed),
    )
    _check(cells, constraints, DisclosureRules())
