"""One rule for 'valid value of a datatype', scalar and vectorised, and always accepted by rdflib."""

from __future__ import annotations

import pandas as pd
import pytest

from zicht.validate.lexical import is_valid, term, valid_mask

CASES = {
    "date": (
        ["2024-02-29", "2023-12-31", "0001-01-01", "9999-12-31"],
        [
            "2023-02-29",
            "2023-13-01",
            "2023-1-5",
            "20230105",
            "0000-01-01",
            " 2023-01-01",
            "2023-01-01\n",
            "٢٠٢٣-01-01",
            "2023-01-01Z",
            "",
        ],
    ),
    "integer": (
        ["0", "-5", "+7", "007", "99999999999999999999999"],
        ["1.0", "1e3", "１２", " 1", "", "+", "x"],
    ),
    "decimal": (["0", "-0.0", ".5", "5.", "+1.25", "10"], ["1e2", "NaN", "inf", ".", "1,5", "", "- 1"]),
}


@pytest.mark.parametrize("datatype", sorted(CASES))
def test_valid_and_invalid_forms(datatype: str) -> None:
    good, bad = CASES[datatype]
    assert [is_valid(t, datatype) for t in good] == [True] * len(good)
    assert [is_valid(t, datatype) for t in bad] == [False] * len(bad)
    series = pd.Series(good + bad, dtype=object)
    assert valid_mask(series, datatype).tolist() == [True] * len(good) + [False] * len(bad)


@pytest.mark.parametrize("datatype", sorted(CASES))
def test_typed_terms_are_never_ill_typed_and_keep_their_text(datatype: str) -> None:
    for text in CASES[datatype][0]:
        literal = term(text, datatype)
        assert literal.datatype is not None and not literal.ill_typed
        assert str(literal) == text  # not normalised: "007" stays "007"
    for text in CASES[datatype][1]:
        assert term(text, datatype).datatype is None


def test_every_string_is_a_valid_string() -> None:
    assert is_valid("anything at all", "string")
    assert term("x", "string").datatype is None
