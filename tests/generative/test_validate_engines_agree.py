"""Differential test: the fast validation engine reports exactly the reference engine's violations.

Hypothesis builds dirty extract tables — near-miss dates, numbers with signs and leading zeros, Unicode
digits, trailing newlines, unknown codes, empty cells, repeated rows — and both engines validate them
against the same shapes graph: the shapes generated from a descriptor plus hand-written extra shapes that
use more constraint components than the generator does (exclusive bounds, lengths, lessThan, typed sh:in,
flags). The sets of (file, row, column, component, rule, value) must be equal.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from zicht.mappings.descriptor import load_descriptor
from zicht.validate.compile import compile_shapes
from zicht.validate.fast import run_fast
from zicht.validate.reader import FILE, ROW, ExtractTable
from zicht.validate.reference import run_reference
from zicht.validate.shapes import SourceShapes, source_shapes

FIXTURES = Path(__file__).parents[1] / "fixtures" / "validate"
REGIONS = {
    "wijk": ["WK015301", "WK015302"],
    "gemeente": ["GM0153"],
    "buurt": ["BU015301S01"],
    "any": ["WK015301"],
}

# Extra shapes on the fixture's record class: components the generator does not emit.
EXTRA = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix col: <https://w3id.org/zicht/source/testbron/column/> .
@prefix ex: <https://w3id.org/zicht/source/testbron/shape/extra/> .
ex:shape a sh:NodeShape ; sh:targetClass <https://w3id.org/zicht/source/testbron/Record> ;
  sh:property ex:a, ex:b, ex:c, ex:d, ex:e, ex:f, ex:g, ex:h, ex:i, ex:j .
ex:a sh:path col:gewicht ; sh:maxExclusive 10.5 ; sh:message "below 10.5" ; sh:severity sh:Warning .
ex:b sh:path col:geboortejaar ; sh:minExclusive "1950"^^xsd:integer ; sh:message "after 1950" .
ex:c sh:path col:product ; sh:minLength 5 ; sh:maxLength 5 ; sh:message "five characters" ; sh:severity sh:Info .
ex:d sh:path col:eind ; sh:lessThan col:begin ; sh:message "strictly before" ; sh:severity sh:Warning .
ex:e sh:path col:geboortejaar ; sh:in ( 1980 "1975" 1990 ) ; sh:message "typed in" .
ex:f sh:path col:product ; sh:pattern "^0[0-9]a" ; sh:flags "i" ; sh:message "case-insensitive" .
ex:g sh:path col:toewijzing ; sh:datatype xsd:string ; sh:maxCount 1 ; sh:message "string" .
ex:h sh:path col:begin ; sh:minInclusive "2023-01-01"^^xsd:date ; sh:message "from 2023" .
ex:i sh:path col:gewicht ; sh:lessThanOrEquals col:geboortejaar ; sh:message "weight below year" .
ex:j sh:path col:client_key ; sh:nodeKind sh:Literal ; sh:minInclusive "a" ; sh:message "string bound" .
"""


@pytest.fixture(scope="module")
def shapes() -> SourceShapes:
    descriptor = load_descriptor(FIXTURES / "testbron.source.yaml")
    base = source_shapes(descriptor, region_codes=REGIONS, include_model=False)
    graph = Graph()
    graph += base.graph
    graph.parse(data=EXTRA, format="turtle")
    return SourceShapes(base.source_id, graph, base.record_class, base.columns, base.datatypes)


NOISE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
DATES = st.sampled_from(
    [
        "2023-01-01",
        "2024-12-31",
        "2025-01-01",
        "2022-02-28",
        "2024-02-29",
        "2023-02-29",
        "2023-02-30",
        "2023-1-5",
        "20230105",
        "0000-01-01",
        "9999-12-31",
        "2023-01-01\n",
        " 2023-01-01",
        "2023-13-01",
        "2023-01-01Z",
        "١٩٨٠-01-01",
    ]
)
INTEGERS = st.sampled_from(
    [
        "1980",
        "1900",
        "2100",
        "2101",
        "1899",
        "+1950",
        "0001950",
        "1950",
        "1951",
        "-5",
        "19x0",
        "１９８０",
        "1e3",
        "1975",
        "1990",
        "01980",
        " 1980",
        "99999999999999999999999",
    ]
)
DECIMALS = st.sampled_from(
    [
        "0",
        "-0",
        "0.0",
        "-0.0",
        "1.5",
        ".5",
        "5.",
        "-1",
        "+0",
        "1e2",
        "abc",
        "10.5",
        "10.50",
        "10.4999999999999999999",
        "10.5000000000000000001",
        "-0.00000000000000000000001",
        "1980",
        "2100.0",
        "NaN",
        "inf",
    ]
)
CODES = st.sampled_from(["02A01", "02A02", "03B01", "02a01", " 02A01", "99X99", "02A0", "02A011", "A"])
WIJKEN = st.sampled_from(["WK015301", "WK015302", "WK999999", "wk015301", "WK0153011", "GM0153"])
KEYS = st.sampled_from(
    ["0123456789abcdef", "0123456789abcdee", "0123456789ABCDEF", "abc", "0123456789abcdef\n"]
)
IDS = st.sampled_from(["T1", "T2", "T3", "", "t1"])


def _cell(values: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), values, NOISE)


ROWS = st.fixed_dictionaries(
    {
        "client_key": _cell(KEYS),
        "toewijzing": _cell(IDS),
        "product": _cell(CODES),
        "begin": _cell(DATES),
        "eind": _cell(DATES),
        "wijk": _cell(WIJKEN),
        "geboortejaar": _cell(INTEGERS),
        "gewicht": _cell(DECIMALS),
    }
)


@st.composite
def tables(draw: st.DrawFn) -> list[dict[str, str | None]]:
    rows = draw(st.lists(ROWS, max_size=12))
    # Repeat some rows so that duplicate keys occur often.
    for index in draw(st.lists(st.integers(0, max(len(rows) - 1, 0)), max_size=4)) if rows else []:
        rows.append(dict(rows[index]))
    return rows


def _table(rows: list[dict[str, str | None]], columns: list[str]) -> ExtractTable:
    # An empty cell is a missing value, as the reader delivers it.
    data = {c: pd.Series([r[c] if r[c] else None for r in rows], dtype=object) for c in columns}
    data[FILE] = pd.Series([0] * len(rows), dtype="int64")
    data[ROW] = pd.Series(range(1, len(rows) + 1), dtype="int64")
    return ExtractTable(pd.DataFrame(data), ["extract.csv"])


@pytest.mark.slow
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=tables())
def test_fast_engine_reports_exactly_what_pyshacl_reports(shapes: SourceShapes, rows) -> None:
    table = _table(rows, list(shapes.datatypes))
    checks = compile_shapes(shapes)
    reference = sorted(v.key() for v in run_reference(table, shapes))
    fast = sorted(v.key() for v in run_fast(table, checks, dict(shapes.datatypes)))
    assert fast == reference


def test_the_extra_shapes_are_compiled_not_skipped(shapes: SourceShapes) -> None:
    rules = {c.rule for c in compile_shapes(shapes)}
    extra = {r for r in rules if r.startswith("extra/")}
    assert len(extra) == 10
