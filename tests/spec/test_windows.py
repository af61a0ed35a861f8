"""An event counts when it overlaps the window [W, R] with W = R - window_months months + 1 day:
start_date <= R and coalesce(end_date, R) >= W. Without window_months the reference period applies,
and without that 12 months."""

import datetime as dt

from tests.spec.conftest import definition, event, meeting, person

PERSONS = [person(f"p{i}") for i in range(1, 8)]
EVENTS = [
    event("p1", "safety_e33", "2024-01-01"),  # first day of a 12-month window up to 2024-12-31
    event("p2", "safety_e33", "2023-12-31"),  # the day before
    event("p3", "safety_e33", "2024-12-31"),  # on the reference date
    event("p4", "safety_e33", "2025-01-01"),  # after the reference date
    event("p5", "ggz_basic", "2020-01-01", None),  # an open episode that started long ago
    event("p6", "ggz_basic", "2020-01-01", "2023-12-31"),  # ended the day before the window
    event("p7", "ggz_basic", "2020-01-01", "2024-01-01"),  # ended on the window's first day
]


def test_twelve_month_window_bounds(engine):
    d = definition({"concepts": ["safety_e33", "ggz_basic"], "window_months": 12})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p3", "p5", "p7"}


def test_default_window_is_the_reference_period(engine):
    d = definition({"concepts": ["safety_e33"]}, reference_period={"months": 13})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p2", "p3"}


def test_default_window_without_reference_period_is_twelve_months(engine):
    d = definition({"concepts": ["safety_e33"]})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p3"}


def test_month_end_is_clamped(engine):
    # R = 2024-03-31, 1 month: R - 1 month = 2024-02-29 (clamped), so W = 2024-03-01.
    events = [event("p1", "safety_e33", "2024-03-01"), event("p2", "safety_e33", "2024-02-29")]
    d = definition({"concepts": ["safety_e33"], "window_months": 1})
    assert meeting(engine, d, PERSONS, events, dt.date(2024, 3, 31)) == {"p1"}


def test_event_without_start_date_never_matches(engine):
    events = [
        {
            "id": "x",
            "person_id": "p1",
            "source_id": "s",
            "concept": "zc:safety_e33",
            "start_date": None,
            "end_date": None,
        }
    ]
    assert meeting(engine, definition({"concepts": ["safety_e33"]}), PERSONS, events) == set()


def test_each_criterion_has_its_own_window(engine):
    # One definition, two windows over the same concept: c0 looks back 6 months (W = 2024-07-01),
    # c1 24 months (W = 2023-01-01); an event may fall in both, one or neither.
    events = [
        event("p1", "safety_e33", "2024-08-01"),  # in both windows
        event("p2", "safety_e33", "2023-06-01"),  # only in the 24-month window
        event("p3", "safety_e33", "2022-06-01"),  # in neither
        event("p4", "safety_e33", "2023-06-01"),
        event("p4", "safety_e33", "2024-10-01"),
    ]
    both = definition(
        {"concepts": ["safety_e33"], "window_months": 6}, {"concepts": ["safety_e33"], "window_months": 24}
    )
    assert meeting(engine, both, PERSONS, events) == {"p1", "p4"}
    only_long = definition(
        {"concepts": ["safety_e33"], "window_months": 6},
        {"concepts": ["safety_e33"], "window_months": 24},
        logic={"op": "all", "operands": ["c1"], "groups": [{"op": "not", "operands": ["c0"]}]},
    )
    assert meeting(engine, only_long, PERSONS, events) == {"p2"}
