"""`sources` restricts a criterion to events of the given sources; without it any source counts."""

from tests.spec.conftest import definition, event, meeting, person

PERSONS = [person("p1"), person("p2"), person("p3")]
EVENTS = [
    event("p1", "safety_e33", "2024-05-01", source="politie-e33"),
    event("p2", "safety_e33", "2024-05-01", source="other-police"),
    event("p3", "safety_care_report", "2024-05-01", source="politie-e33"),
]


def test_without_sources_every_source_counts(engine):
    assert meeting(engine, definition({"concepts": ["safety_e33"]}), PERSONS, EVENTS) == {"p1", "p2"}


def test_sources_restrict_events(engine):
    d = definition({"concepts": ["safety_e33"], "sources": ["politie-e33"]})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1"}


def test_source_and_concept_must_match_on_the_same_event(engine):
    d = definition({"concepts": ["safety_e33", "safety_care_report"], "sources": ["politie-e33", "meldpunt"]})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p3"}
