"""Logic: all / any / at_least k / not over criteria and nested groups; `not` is the complement within
the universe (persons in the population range)."""

from tests.spec.conftest import definition, event, meeting, person

# p_abc has a, b and c; p_ab has a and b; p_a has a; p_c has c; p_none has nothing.
PERSONS = [
    person("p_abc"),
    person("p_ab"),
    person("p_a"),
    person("p_c"),
    person("p_none"),
    person("p_child", 2015),
]
EVENTS = [
    event("p_abc", "ggz_basic", "2024-05-01"),
    event("p_abc", "support_shelter", "2024-05-01"),
    event("p_abc", "safety_e33", "2024-05-01"),
    event("p_ab", "ggz_basic", "2024-05-01"),
    event("p_ab", "support_shelter", "2024-05-01"),
    event("p_a", "ggz_basic", "2024-05-01"),
    event("p_c", "safety_e33", "2024-05-01"),
]
A, B, C = {"concepts": ["ggz_basic"]}, {"concepts": ["support_shelter"]}, {"concepts": ["safety_e33"]}


def test_all(engine):
    d = definition(A, B, logic={"op": "all", "operands": ["c0", "c1"]})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p_abc", "p_ab"}


def test_any(engine):
    d = definition(B, C, logic={"op": "any", "operands": ["c0", "c1"]})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p_abc", "p_ab", "p_c"}


def test_at_least_k(engine):
    d = definition(A, B, C, logic={"op": "at_least", "k": 2, "operands": ["c0", "c1", "c2"]})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p_abc", "p_ab"}
    d3 = definition(A, B, C, logic={"op": "at_least", "k": 3, "operands": ["c0", "c1", "c2"]})
    assert meeting(engine, d3, PERSONS, EVENTS) == {"p_abc"}


def test_not_is_the_complement_within_the_universe(engine):
    d = definition(A, logic={"op": "not", "operands": ["c0"]}, population={"age_min": 18})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p_c", "p_none"}


def test_nested_groups(engine):
    # a and not c
    d = definition(
        A, C, logic={"op": "all", "operands": ["c0"], "groups": [{"op": "not", "operands": ["c1"]}]}
    )
    assert meeting(engine, d, PERSONS, EVENTS) == {"p_ab", "p_a"}
    # c or (a and b)
    d2 = definition(
        A, B, C, logic={"op": "any", "operands": ["c2"], "groups": [{"op": "all", "operands": ["c0", "c1"]}]}
    )
    assert meeting(engine, d2, PERSONS, EVENTS) == {"p_abc", "p_ab", "p_c"}


def test_a_criterion_may_be_used_twice(engine):
    # at least 2 of {a, a, c}: a alone suffices because it is counted twice
    d = definition(
        A,
        C,
        logic={
            "op": "at_least",
            "k": 2,
            "operands": ["c0", "c1"],
            "groups": [{"op": "any", "operands": ["c0"]}],
        },
    )
    assert meeting(engine, d, PERSONS, EVENTS) == {"p_abc", "p_ab", "p_a"}
