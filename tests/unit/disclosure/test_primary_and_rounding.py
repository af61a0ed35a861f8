"""Primary suppression, zeros and rounding: the rules a reader can check by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from zicht.disclosure import Constraint, DisclosureRules, preimage, protect, round_to_base


def _cells(values: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"cell_id": list(values), "value": list(values.values())})


def test_cells_below_the_threshold_are_suppressed_and_the_rest_rounded() -> None:
    table = protect(_cells({"a": 9, "b": 10, "c": 1, "d": 12, "e": 13, "f": 0}), []).table.set_index(
        "cell_id"
    )
    assert table["status"].to_dict() == {
        "a": "primary",
        "b": "published",
        "c": "primary",
        "d": "published",
        "e": "published",
        "f": "published",
    }
    assert table["published"].isna().to_dict() == {
        "a": True,
        "b": False,
        "c": True,
        "d": False,
        "e": False,
        "f": False,
    }
    assert table.loc[["b", "d", "e", "f"], "published"].tolist() == [10, 10, 15, 0]
    assert str(table["published"].dtype) == "Int64"


def test_threshold_is_configurable() -> None:
    table = protect(_cells({"a": 4, "b": 5}), [], DisclosureRules(threshold=5, rounding_base=1)).table
    assert table["status"].tolist() == ["primary", "published"]
    assert table["published"].tolist()[1] == 5


def test_input_columns_and_order_are_kept() -> None:
    cells = pd.DataFrame({"cell_id": ["x", "y"], "value": [50, 3], "region": ["WK1", "WK2"]}, index=[7, 3])
    table = protect(cells, []).table
    assert table.index.tolist() == [7, 3]
    assert table["region"].tolist() == ["WK1", "WK2"]
    assert table["value"].tolist() == [50, 3]


def test_zeros_are_published_by_default_and_protected_on_request() -> None:
    # A zero "A only" next to A = 40 says everyone in A is also in B.
    cells = _cells({"A": 40, "A_and_B": 40, "A_only": 0})
    constraints = [Constraint("A", ("A_and_B", "A_only"))]
    default = protect(cells, constraints).table.set_index("cell_id")
    assert default.loc["A_only", "status"] == "published"
    assert default.loc["A_only", "published"] == 0
    guarded = protect(cells, constraints, DisclosureRules(protect_zeros=True)).table.set_index("cell_id")
    assert guarded.loc["A_only", "status"] == "primary"
    # The zero cannot be hidden while A and A_and_B are both published: one of them goes too.
    assert guarded["published"].isna().sum() >= 2


def test_a_zero_total_is_not_a_group_disclosure() -> None:
    cells = _cells({"T": 0, "a": 0, "b": 0})
    table = protect(cells, [Constraint("T", ("a", "b"))], DisclosureRules(protect_zeros=True)).table
    assert table["status"].tolist() == ["published"] * 3


@pytest.mark.parametrize(
    ("base", "values", "expected"),
    [
        (5, [0, 2, 3, 7, 8, 12, 13, 1002], [0, 0, 5, 5, 10, 10, 15, 1000]),
        (10, [4, 5, 14, 15], [0, 10, 10, 20]),  # halves go up
        (1, [3, 17], [3, 17]),
        (3, [1, 2, 4], [0, 3, 3]),
    ],
)
def test_rounding_to_the_nearest_multiple(base: int, values: list[int], expected: list[int]) -> None:
    assert round_to_base(values, base).tolist() == expected


@pytest.mark.parametrize("base", [1, 2, 3, 5, 10])
def test_preimage_is_exactly_the_values_that_round_to_r(base: int) -> None:
    for published in range(0, 60, base):
        lo, hi = preimage(published, base)
        inside = [v for v in range(80) if round_to_base([v], base)[0] == published]
        assert (lo, hi) == (min(inside), max(inside))


def test_totals_are_rounded_on_their_own() -> None:
    cells = _cells({"T": 36, "a": 12, "b": 12, "c": 12})
    table = protect(cells, [Constraint("T", ("a", "b", "c"))]).table
    assert table["published"].tolist() == [35, 10, 10, 10]


def test_without_secondary_only_small_cells_are_suppressed() -> None:
    cells = _cells({"T": 100, "a": 3, "b": 97})
    table = protect(cells, [Constraint("T", ("a", "b"))], DisclosureRules(secondary=False)).table
    assert table["status"].tolist() == ["published", "primary", "published"]


def test_rules_report_what_was_applied() -> None:
    result = protect(_cells({"T": 100, "a": 3, "b": 50, "c": 47}), [Constraint("T", ("a", "b", "c"))])
    assert result.rules["threshold"] == 10
    assert result.rules["rounding_base"] == 5
    assert result.rules["min_interval"] == 10
    assert result.rules["suppressed_primary"] == 1
    assert result.rules["suppressed_secondary"] == result.n_secondary == 1
    assert result.rules["published_cells"] == 2
    assert DisclosureRules(threshold=5).to_dict()["min_interval"] == 5


def test_an_empty_table_stays_empty() -> None:
    cells = pd.DataFrame({"cell_id": pd.Series([], dtype=str), "value": pd.Series([], dtype="int64")})
    result = protect(cells, [])
    assert result.table.columns.tolist() == ["cell_id", "value", "published", "status"]
    assert len(result.table) == 0
    assert result.rules["cells"] == 0
