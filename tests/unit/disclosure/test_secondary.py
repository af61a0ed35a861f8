"""Secondary suppression over region hierarchies, definition overlaps and both combined.

Every protected table here is attacked (see attacker.py) by differencing and by linear programming with
the published rounding intervals; the attacks must not narrow any suppressed cell below the interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.unit.disclosure.attacker import Attack, narrowest
from tests.unit.disclosure.tables import comparison_table
from zicht.disclosure import Constraint, DisclosureRules, Protected, protect


def _cells(values: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"cell_id": list(values), "value": list(values.values())})


def _assert_safe(result: Protected, constraints: list[Constraint], rules: DisclosureRules) -> Attack:
    attack = Attack(result.table, constraints, rules)
    assert attack.differencing() == {}
    assert narrowest(attack.linear_programming()) >= rules.protection_interval
    return attack


def test_a_small_wijk_is_not_left_alone_in_its_gemeente() -> None:
    values = {"GM": 180, "WK1": 4, "WK2": 96, "WK3": 80}
    constraints = [Constraint("GM", ("WK1", "WK2", "WK3"))]
    result = protect(_cells(values), constraints)
    status = result.table.set_index("cell_id")["status"].to_dict()
    assert status["WK1"] == "primary"
    # The cheapest complement: the smaller of the two large wijken, not the gemeente total.
    assert status == {"GM": "published", "WK1": "primary", "WK2": "published", "WK3": "secondary"}
    _assert_safe(result, constraints, DisclosureRules())


def test_two_level_hierarchy_is_protected_at_both_levels() -> None:
    values = {
        "NL": 400,
        "GM1": 150,
        "GM2": 250,
        "WK11": 3,
        "WK12": 147,
        "WK21": 120,
        "WK22": 125,
        "WK23": 5,
    }
    constraints = [
        Constraint("NL", ("GM1", "GM2")),
        Constraint("GM1", ("WK11", "WK12")),
        Constraint("GM2", ("WK21", "WK22", "WK23")),
    ]
    result = protect(_cells(values), constraints)
    table = result.table.set_index("cell_id")
    assert (table["status"] == "primary").sum() == 2
    # GM1 = WK11 + WK12: WK12 or GM1 must go, and then NL = GM1 + GM2 needs a second hidden cell.
    for c in constraints:
        hidden = table.loc[[c.total, *c.parts], "published"].isna().sum()
        assert hidden != 1, c
    _assert_safe(result, constraints, DisclosureRules())


def test_unprotected_table_is_broken_by_the_attacker() -> None:
    # Guards the attacker itself: with primary suppression only, differencing recovers the cell.
    values = {"GM": 180, "WK1": 4, "WK2": 96, "WK3": 80}
    constraints = [Constraint("GM", ("WK1", "WK2", "WK3"))]
    rules = DisclosureRules(secondary=False, rounding_base=1)
    attack = Attack(protect(_cells(values), constraints, rules).table, constraints, rules)
    assert attack.differencing() == {"WK1": (4.0, 4.0)}
    assert attack.linear_programming() == {"WK1": (4, 4)}


def test_overlap_of_two_definitions() -> None:
    # A, B, A and B, A only, B only in one region: "A only" is small.
    values = {"A": 60, "B": 90, "AB": 55, "A_only": 5, "B_only": 35, "union": 95}
    constraints = [
        Constraint("A", ("AB", "A_only")),
        Constraint("B", ("AB", "B_only")),
        Constraint("union", ("AB", "A_only", "B_only")),
    ]
    rules = DisclosureRules()
    result = protect(_cells(values), constraints, rules)
    table = result.table.set_index("cell_id")
    assert table.loc["A_only", "status"] == "primary"
    # A - AB, union - B and union - AB - B_only all give A only: each must lose a published term.
    attack = _assert_safe(result, constraints, rules)
    assert attack.differencing() == {}


def test_a_pattern_with_two_hidden_cells_per_relation_can_still_leak_and_is_repaired() -> None:
    # x = y + z and t = x + y: hiding x and y leaves two hidden cells in each relation (the classic
    # per-relation rule is satisfied), yet x - y = z and x + y = t give y exactly. The audit must see it.
    values = {"t": 28, "x": 24, "y": 4, "z": 20}
    constraints = [Constraint("t", ("x", "y")), Constraint("x", ("y", "z"))]
    rules = DisclosureRules(rounding_base=1)
    naive = _cells(values).assign(published=pd.array([28, None, None, 20], dtype="Int64"))
    attack = Attack(naive, constraints, rules)
    assert attack.differencing()["y"] == (4.0, 4.0)
    assert attack.linear_programming()["y"] == (4, 4)
    result = protect(_cells(values), constraints, rules)
    assert result.table["published"].isna().sum() >= 3
    _assert_safe(result, constraints, rules)


@pytest.mark.parametrize("definitions", [["A", "B"], ["A", "B", "C"]])
def test_nested_regions_times_definitions(definitions: list[str]) -> None:
    tree = {"NL": ["GM1", "GM2"], "GM1": ["WK1", "WK2", "WK3"], "GM2": ["WK4", "WK5"]}
    leaves = {"WK1": 2700, "WK2": 4500, "WK3": 1200, "WK4": 7500, "WK5": 2100}
    cells, constraints = comparison_table(tree, leaves, definitions, np.random.default_rng(3))
    rules = DisclosureRules()
    result = protect(cells, constraints, rules)
    assert result.n_primary > 0
    assert result.n_secondary > 0
    assert result.table["published"].notna().sum() > len(cells) / 3  # protection, not blanket suppression
    _assert_safe(result, constraints, rules)


def test_same_input_in_any_order_gives_the_same_output() -> None:
    tree = {"GM": ["WK1", "WK2", "WK3"]}
    cells, constraints = comparison_table(
        tree, {"WK1": 800, "WK2": 1200, "WK3": 600}, ["A", "B"], np.random.default_rng(5)
    )
    first = protect(cells, constraints).table
    again = protect(cells, constraints).table
    pd.testing.assert_frame_equal(first, again)
    shuffled = cells.sample(frac=1.0, random_state=1)
    reordered = protect(shuffled, list(reversed(constraints))).table.loc[first.index]
    pd.testing.assert_frame_equal(first, reordered)


def test_protection_interval_is_configurable() -> None:
    values = {"GM": 180, "WK1": 4, "WK2": 96, "WK3": 80}
    constraints = [Constraint("GM", ("WK1", "WK2", "WK3"))]
    rules = DisclosureRules(min_interval=150, rounding_base=1)
    result = protect(_cells(values), constraints, rules)
    # WK1 + WK3 = 84 would allow WK1 only up to 83: WK2 (96) must be hidden too.
    assert result.table["published"].isna().sum() == 3
    _assert_safe(result, constraints, rules)


def test_protected_zero_is_not_recoverable() -> None:
    values = {"A": 40, "AB": 40, "A_only": 0, "B": 70, "B_only": 30}
    constraints = [Constraint("A", ("AB", "A_only")), Constraint("B", ("AB", "B_only"))]
    rules = DisclosureRules(protect_zeros=True)
    result = protect(_cells(values), constraints, rules)
    assert result.table.set_index("cell_id").loc["A_only", "status"] == "primary"
    _assert_safe(result, constraints, rules)


def test_withheld_cells_are_hidden_and_used_as_free_complements() -> None:
    # "x" is a building block that is never published (an attrition atom): it protects "a" for free.
    values = {"T": 100, "a": 4, "x": 30, "b": 66}
    cells = _cells(values).assign(withheld=[False, False, True, False])
    constraints = [Constraint("T", ("a", "x", "b"))]
    result = protect(cells, constraints)
    status = result.table.set_index("cell_id")["status"].to_dict()
    assert status == {"T": "published", "a": "primary", "x": "withheld", "b": "published"}
    assert result.rules["withheld_cells"] == 1
    assert result.rules["suppressed_secondary"] == 0
    _assert_safe(result, constraints, DisclosureRules())


def test_a_small_withheld_cell_is_protected_and_a_zero_one_may_be_hidden() -> None:
    # A small withheld atom must not be recoverable; a withheld zero is hidden like any other cell.
    values = {"T": 100, "atom1": 3, "atom0": 0, "b": 97}
    cells = _cells(values).assign(withheld=[False, True, True, False])
    constraints = [Constraint("T", ("atom1", "atom0", "b"))]
    result = protect(cells, constraints)
    table = result.table.set_index("cell_id")
    assert table.loc[["atom1", "atom0"], "status"].tolist() == ["withheld", "withheld"]
    assert table["published"].isna().sum() >= 3  # atom1 + atom0 = 3 is known unless b or T goes too
    _assert_safe(result, constraints, DisclosureRules())
