"""value_min / value_max: inclusive bounds on the event's value; an event without a value does not
match a bounded criterion."""

from tests.spec.conftest import definition, event, meeting, person

PERSONS = [person(f"p{i}") for i in range(1, 6)]
EVENTS = [
    event("p1", "psy_distress", "2024-05-01", value=30),
    event("p2", "psy_distress", "2024-05-01", value=29.5),
    event("p3", "psy_distress", "2024-05-01", value=50),
    event("p4", "psy_distress", "2024-05-01", value=None),
    event("p5", "psy_distress", "2024-05-01", value=12),
]


def test_value_min_inclusive(engine):
    d = definition({"concepts": ["psy_distress"], "value_min": 30})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p3"}


def test_value_range(engine):
    d = definition({"concepts": ["psy_distress"], "value_min": 16, "value_max": 30})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p2"}


def test_value_max_only(engine):
    d = definition({"concepts": ["psy_distress"], "value_max": 29.5})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p2", "p5"}


def test_no_bound_ignores_values(engine):
    d = definition({"concepts": ["psy_distress"]})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p2", "p3", "p4", "p5"}
