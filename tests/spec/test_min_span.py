"""min_span_days: min(R, max(coalesce(end, R))) - max(W, min(start)) >= D days over the matching events,
so an open episode runs until R and time before the window does not count."""

from tests.spec.conftest import definition, event, meeting, person

PERSONS = [person(f"p{i}") for i in range(1, 6)]
EVENTS = [
    # 2022-01-01 .. 2024-12-31 inside a 36-month window (W = 2022-01-01): 1095 days
    event("p1", "ggz_specialised", "2022-01-01", "2022-02-01"),
    event("p1", "ggz_specialised", "2024-06-01", None),
    # 2023-06-01 .. 2024-06-01: 366 days
    event("p2", "ggz_specialised", "2023-06-01", "2023-07-01"),
    event("p2", "ggz_specialised", "2024-05-01", "2024-06-01"),
    # starts before the window: counted from W = 2022-01-01 to 2024-01-01 = 730 days exactly
    event("p3", "ggz_specialised", "2015-01-01", "2024-01-01"),
    # starts before the window, one day short: 2022-01-01 .. 2023-12-31 = 729 days
    event("p4", "ggz_specialised", "2015-01-01", "2023-12-31"),
    # the end beyond R is cut at R: 2023-01-01 .. 2024-12-31 = 730 days
    event("p5", "ggz_specialised", "2023-01-01", "2026-01-01"),
]


def test_span_of_two_years(engine):
    d = definition({"concepts": ["ggz_specialised"], "window_months": 36, "min_span_days": 730})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p3", "p5"}


def test_span_together_with_min_occurrences(engine):
    d = definition(
        {"concepts": ["ggz_specialised"], "window_months": 36, "min_span_days": 300, "min_occurrences": 2}
    )
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p2"}


def test_zero_span_is_met_by_any_matching_event(engine):
    d = definition({"concepts": ["ggz_specialised"], "window_months": 36, "min_span_days": 0})
    assert meeting(engine, d, PERSONS, EVENTS) == {"p1", "p2", "p3", "p4", "p5"}
