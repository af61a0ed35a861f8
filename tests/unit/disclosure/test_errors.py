"""Bad input to disclosure control gets one clear ZichtError naming the cell or constraint."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from zicht.disclosure import Constraint, DisclosureRules, protect
from zicht.errors import ZichtError


def _cells(ids: list[object], values: list[object]) -> pd.DataFrame:
    return pd.DataFrame({"cell_id": ids, "value": values})


@pytest.mark.parametrize(
    ("cells", "constraints", "message"),
    [
        (_cells(["a", "b", "a"], [1, 2, 3]), [], "duplicate cell_id 'a'"),
        (
            _cells(["T", "a"], [10, 10]),
            [Constraint("T", ("a", "zz"))],
            "constraint 1 (T = a + zz) names unknown cell 'zz'",
        ),
        (_cells(["T", "a"], [10, 10]), [Constraint("nope", ("a",))], "names unknown cell 'nope'"),
        (_cells(["a", "b"], [5, -2]), [], "negative count in cell b (-2)"),
        (_cells(["a", "b"], [5, 2.5]), [], "whole number of persons; cell b (2.5)"),
        (_cells(["a", "b"], [5, "7"]), [], "whole number of persons; cell b ('7')"),
        (_cells(["a", "b"], [5, None]), [], "no value for cell 'b'"),
        (_cells(["a", "b"], [True, False]), [], "holds true/false"),
        (_cells(["a", None], [1, 2]), [], "cell_id is missing in row 2"),
        (_cells(["a", 3], [1, 2]), [], "cell_id must be a non-empty string; found 3"),
        (_cells(["a", ""], [1, 2]), [], "cell_id must be a non-empty string; found ''"),
        (pd.DataFrame({"id": ["a"], "value": [1]}), [], "no 'cell_id' column"),
        (pd.DataFrame({"cell_id": ["a"], "count": [1]}), [], "no 'value' column"),
        (
            _cells(["T", "a", "b"], [30, 10, 15]),
            [Constraint("T", ("a", "b"))],
            "constraint 1 (T = a + b) does not hold: total 'T' is 30 but its parts add up to 25",
        ),
        (_cells(["T", "a"], [10, 10]), [Constraint("T", ("T", "a"))], "lists its total 'T' among its parts"),
        (_cells(["T", "a"], [20, 10]), [Constraint("T", ("a", "a"))], "lists part 'a' more than once"),
        (_cells(["T", "a"], [10, 10]), [Constraint("T", ())], "needs a non-empty tuple of parts"),
        (_cells(["T", "a"], [10, 10]), [("T", ("a",))], "constraint 1 is a tuple, not a Constraint"),
        (_cells(["a"], [1]).assign(status="x"), [], "already has column 'status'"),
    ],
)
def test_bad_input_is_named(cells: pd.DataFrame, constraints: list[Constraint], message: str) -> None:
    with pytest.raises(ZichtError, match=re.escape(message)):
        protect(cells, constraints)


def test_the_second_bad_constraint_is_numbered() -> None:
    cells = _cells(["T", "a", "b", "c"], [30, 10, 20, 5])
    constraints = [Constraint("T", ("a", "b")), Constraint("b", ("c",))]
    with pytest.raises(ZichtError, match=re.escape("constraint 2 (b = c) does not hold")):
        protect(cells, constraints)


def test_integral_floats_are_accepted_unchanged() -> None:
    table = protect(_cells(["a", "b"], [12.0, np.int64(40)]), []).table
    assert table["value"].tolist() == [12.0, 40]  # the input column is kept as it came
    assert table["published"].tolist() == [10, 40]


def test_not_a_dataframe() -> None:
    with pytest.raises(ZichtError, match="cells must be a pandas DataFrame, got dict"):
        protect({"cell_id": ["a"], "value": [1]}, [])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 0}, "threshold must be a whole number >= 1, got 0"),
        ({"rounding_base": 2.5}, "rounding_base must be a whole number >= 1, got 2.5"),
        ({"min_interval": -1}, "min_interval must be a whole number >= 0, got -1"),
        ({"secondary": "yes"}, "secondary must be true or false, got 'yes'"),
        ({"threshold": True}, "threshold must be a whole number >= 1, got True"),
    ],
)
def test_bad_rules_are_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ZichtError, match=re.escape(message)):
        DisclosureRules(**kwargs)  # type: ignore[arg-type]


def test_withheld_must_be_true_or_false() -> None:
    cells = _cells(["a", "b"], [1, 2]).assign(withheld=["yes", False])
    with pytest.raises(
        ZichtError, match=re.escape("column 'withheld' must hold true/false for every cell; cell 'a'")
    ):
        protect(cells, [])
