"""A criterion matches events of its concepts and, unless include_narrower is false, of every narrower
concept (all levels down the FrameworkConcept hierarchy)."""

from tests.spec.conftest import definition, event, meeting, person

PERSONS = [person("p1"), person("p2"), person("p3"), person("p4")]
EVENTS = [
    event("p1", "ggz_specialised", "2024-05-01"),  # the concept itself
    event("p2", "ggz_specialised_fact", "2024-05-01"),  # one level narrower
    event("p3", "ggz_basic", "2024-05-01"),  # a sibling: not narrower
    event("p4", "ggz", "2024-05-01"),  # broader: never matches a narrower criterion
]


def test_concept_matches_itself_and_narrower(engine):
    d = definition({"concepts": ["ggz_specialised"]})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p2"}


def test_domain_matches_all_levels_down(engine):
    events = [
        event("p1", "support_guidance_individual", "2024-05-01"),
        event("p2", "ggz_wlz_b", "2024-05-01"),
    ]
    d = definition({"concepts": ["support"]})
    assert meeting(engine, d, PERSONS, events) == {"p1"}


def test_include_narrower_false_matches_only_the_concept(engine):
    d = definition({"concepts": ["ggz_specialised"], "include_narrower": False})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1"}


def test_several_concepts_are_alternatives(engine):
    d = definition({"concepts": ["ggz_basic", "ggz_specialised_fact"]})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p2", "p3"}
