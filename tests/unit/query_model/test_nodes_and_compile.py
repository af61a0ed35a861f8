"""The query model refuses invalid trees when they are built; compile fills in the documented defaults."""

from __future__ import annotations

import pytest

from zicht.errors import InputError
from zicht.query_model import (
    AgeRange,
    All,
    AnyOf,
    AtLeast,
    Criterion,
    DefinitionQuery,
    Not,
    compile_definition,
)
from zicht.query_model.nodes import QueryModelError
from zicht.query_model.transform import without_criterion
from zicht.registry.files import load_registry


def crit(cid: str = "a", **kw: object) -> Criterion:
    return Criterion(
        id=cid, concepts=kw.pop("concepts", ("zc:ggz",)), window_months=kw.pop("window_months", 12), **kw
    )


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: crit(concepts=()), "concepts must not be empty"),
        (lambda: crit(concepts=("ggz",)), "must be CURIEs"),
        (lambda: crit(window_months=0), "window_months must be 1..240"),
        (lambda: crit(min_occurrences=0), "min_occurrences must be >= 1"),
        (lambda: crit(value_min=5, value_max=1), "value_min 5.0 is above value_max 1.0"),
        (lambda: AgeRange(70, 18), "age_min 70 is above age_max 18"),
        (lambda: AtLeast(3, (crit("a"), crit("b"))), "k must be 1..2"),
        (lambda: All(()), "needs at least one operand"),
        (lambda: Not("a"), "operand must be a node"),
        (
            lambda: DefinitionQuery("d", All((crit("a"), crit("a", window_months=3)))),
            "used for two different criteria",
        ),
    ],
)
def test_invalid_nodes_are_refused(build, message):
    with pytest.raises(QueryModelError, match=message):
        build()


def test_nodes_are_immutable_and_normalised():
    c = crit(concepts=("zc:b", "zc:a", "zc:a"), sources=("s2", "s1"))
    assert c.concepts == ("zc:a", "zc:b") and c.sources == ("s1", "s2")
    with pytest.raises(AttributeError):
        c.id = "x"  # type: ignore[misc]


def test_every_seed_definition_compiles():
    for f in load_registry():
        q = compile_definition(f.data)
        assert q.id == f.data["id"] and q.content_hash.startswith("sha256:")
        assert [c.id for c in q.criteria] == [c["id"] for c in f.data["criteria"]]


def test_defaults_and_narrower_concepts():
    d = {
        "id": "x",
        "reference_period": {"months": 24},
        "logic": {"op": "any", "operands": ["a", "b"]},
        "criteria": [
            {"id": "a", "concepts": ["ggz_specialised"]},
            {"id": "b", "concepts": ["ggz_specialised"], "include_narrower": False, "window_months": 6},
        ],
    }
    q = compile_definition(d)
    a, b = q.criteria
    assert a.window_months == 24 and a.min_occurrences == 1
    assert set(a.concepts) == {
        "zc:ggz_specialised",
        "zc:ggz_specialised_outpatient",
        "zc:ggz_specialised_inpatient",
        "zc:ggz_specialised_fact",
    }
    assert b.concepts == ("zc:ggz_specialised",) and b.window_months == 6
    assert compile_definition({**d, "reference_period": None}).criteria[0].window_months == 12


@pytest.mark.parametrize(
    "change, message",
    [
        ({"logic": {"op": "any", "operands": ["zz"]}}, "logic/operands: 'zz' is not a criterion id"),
        ({"logic": {"op": "xor", "operands": ["a"]}}, "unknown operator 'xor'"),
        (
            {"criteria": [{"id": "a", "concepts": ["nonsense"]}]},
            "criteria/0/concepts: unknown framework concept",
        ),
        ({"logic": {"op": "not", "operands": ["a", "a"]}}, "'not' takes exactly one operand"),
    ],
)
def test_compile_errors_name_the_place(change, message):
    d = {"id": "x", "criteria": [{"id": "a", "concepts": ["ggz"]}], "logic": {"op": "any", "operands": ["a"]}}
    with pytest.raises(InputError, match=message):
        compile_definition({**d, **change})


def test_without_criterion():
    a, b, c = crit("a"), crit("b"), crit("c")
    assert without_criterion(All((a, b)), "a") == All((b,))
    assert without_criterion(AtLeast(2, (a, b, c)), "c") == AtLeast(2, (a, b))
    assert without_criterion(AtLeast(2, (a, b)), "a") == AtLeast(1, (b,))
    assert without_criterion(AnyOf((a, Not(a))), "a") is None
