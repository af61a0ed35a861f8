"""Age at R is year(R) - birth_year. `population` limits the universe (and the denominator);
age_min/age_max on a criterion limit that criterion. A person without a birth year has no age: outside
any bounded range, inside an unbounded one."""

from tests.spec.conftest import definition, event, meeting, person

PERSONS = [
    person("p17", 2007),
    person("p18", 2006),
    person("p65", 1959),
    person("p66", 1958),
    person("pnone", None),
]
EVENTS = [event(p["id"], "safety_e33", "2024-05-01") for p in PERSONS]


def test_population_range_inclusive(engine):
    d = definition({"concepts": ["safety_e33"]}, population={"age_min": 18, "age_max": 65})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p18", "p65"}


def test_open_ended_population(engine):
    d = definition({"concepts": ["safety_e33"]}, population={"age_min": 18})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p18", "p65", "p66"}


def test_no_population_includes_unknown_age(engine):
    assert meeting(engine, definition({"concepts": ["safety_e33"]}), PERSONS, EVENTS) == {
        "p17",
        "p18",
        "p65",
        "p66",
        "pnone",
    }


def test_criterion_age_limits_only_that_criterion(engine):
    events = EVENTS + [event(p["id"], "ggz_basic", "2024-05-01") for p in PERSONS if p["id"] != "p18"]
    d = definition(
        {"concepts": ["safety_e33"], "age_max": 17},
        {"concepts": ["ggz_basic"]},
        logic={"op": "any", "operands": ["c0", "c1"]},
    )
    assert meeting(engine, d, PERSONS, events) == {"p17", "p65", "p66", "pnone"}
    d_only = definition({"concepts": ["safety_e33"], "age_min": 60})
    assert meeting(engine, d_only, PERSONS, EVENTS) == {"p65", "p66"}
