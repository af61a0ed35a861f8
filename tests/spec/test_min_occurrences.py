"""min_occurrences: the person needs at least that many matching events (default 1); events outside
the window or of other concepts do not count towards it."""

from tests.spec.conftest import definition, event, meeting, person

PERSONS = [person("p1"), person("p2"), person("p3")]
EVENTS = [
    event("p1", "safety_e33", "2024-02-01"),
    event("p1", "safety_e33", "2024-03-01"),
    event("p2", "safety_e33", "2024-02-01"),
    event("p2", "safety_e33", "2022-03-01"),  # one outside
    event("p3", "safety_e33", "2024-02-01"),
    event("p3", "safety_care_report", "2024-03-01"),
]


def test_default_is_one(engine):
    assert meeting(engine, definition({"concepts": ["safety_e33"]}), PERSONS, EVENTS) == {"p1", "p2", "p3"}


def test_at_least_two_matching_events(engine):
    d = definition({"concepts": ["safety_e33"], "min_occurrences": 2})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1"}


def test_events_of_different_matching_concepts_add_up(engine):
    d = definition({"concepts": ["safety"], "min_occurrences": 2})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p3"}
