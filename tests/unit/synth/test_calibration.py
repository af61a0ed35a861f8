"""The calibration figures are measured as documented: a hand-made store with every answer counted by hand."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from zicht.errors import InputError
from zicht.synth.calibration import FIGURES, measure, measure_tables, table

# ten adults (age 44 on 2024-12-31) and one child (14)
PERSONS = [(f"p{i}", 1980, "GM0001") for i in range(1, 11)] + [("c1", 2010, "GM0001")]
EVENTS = [
    # (person, source, concept, start, end, value, weight)
    ("p1", "politie-e33", "zc:safety_e33", "2023-06-01", None, None, None),
    ("p1", "politie-e33", "zc:safety_e33", "2024-03-01", None, None, None),
    ("p1", "politie-e33", "zc:safety_e33", "2024-05-01", None, None, None),
    ("p2", "politie-e33", "zc:safety_e33", "2024-07-01", None, None, None),
    ("p3", "politie-e33", "zc:safety_e33", "2023-02-01", None, None, None),
    ("p3", "politie-e33", "zc:safety_e33", "2023-04-01", None, None, None),
    ("p4", "politie-e33", "zc:psy_suicide_attempt", "2024-01-15", None, None, None),
    ("gone", "politie-e33", "zc:safety_e33", "2024-01-15", None, None, None),  # person not in the store
    ("p5", "participatiewet", "zc:context_income_support", "2022-01-01", None, None, None),
    ("p6", "participatiewet", "zc:context_income_support", "2022-01-01", "2024-06-30", None, None),
    ("p7", "schuldhulp", "zc:context_debt_counselling", "2024-02-01", "2024-09-01", None, None),
    ("p8", "schuldhulp", "zc:context_debt_counselling", "2023-05-01", "2023-08-01", None, None),
    ("p8", "schuldhulp", "zc:context_debt_counselling", "2024-03-01", None, None, None),
    ("c1", "jeugd", "zc:youth_outpatient", "2023-03-01", "2024-02-01", None, None),
    ("p9", "zvw-ggz", "zc:ggz_specialised_outpatient", "2023-01-01", "2024-01-10", None, None),
    ("p10", "zvw-ggz", "zc:ggz_basic", "2023-01-01", "2023-12-31", None, None),  # over before the year
    ("p9", "wmo-enschede", "zc:support_guidance_individual", "2024-01-01", None, None, None),
    ("p1", "ggd-monitor", "zc:psy_distress", "2024-10-01", None, 35.0, 2.0),
    ("p2", "ggd-monitor", "zc:psy_distress", "2024-10-01", None, 20.0, 1.0),
    ("p3", "ggd-monitor", "zc:psy_distress", "2024-10-02", None, 31.0, 1.0),
]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute("create table person (id varchar, birth_year integer, residence_gemeente varchar)")
    c.executemany("insert into person values (?, ?, ?)", PERSONS)
    c.execute(
        "create table event (person_id varchar, source_id varchar, concept varchar, start_date date, "
        "end_date date, value double, weight double)"
    )
    c.executemany("insert into event values (?, ?, ?, ?, ?, ?, ?)", EVENTS)
    return c


def test_figures_counted_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    got = measure_tables(con)
    # police reports in 2024 (E33 or E14): p1 (2), p2, p4 -> 3 of 11 residents; p1 known from 2023
    assert got["e33_persons"] == pytest.approx(1000 * 3 / 11)
    assert got["e33_reports_per_person"] == pytest.approx(4 / 3)
    assert got["e33_known"] == pytest.approx(1 / 3)
    assert got["e33_once"] == pytest.approx(2 / 3)
    # >= 2 E33 in 2023-2024: p1, p3; >= 1 E33 in 2024: p1, p2 (E14 is not E33)
    assert got["e33_2in24_vs_1in12"] == pytest.approx(1.0)
    assert got["income_support"] == pytest.approx(1000 * 1 / 10)  # p5 runs on 2024-12-31, p6 ended
    assert got["debt_new"] == pytest.approx(1000 * 1 / 10)  # p7 new; p8 was in debt counselling in 2023
    assert got["youth_care"] == pytest.approx(1000 * 1 / 1)  # the one child, care until 2024-02-01
    assert got["ggz_curative"] == pytest.approx(1000 * 1 / 10)  # p9 into 2024, p10 over in 2023
    assert got["wmo_any"] == pytest.approx(1000 * 1 / 11)
    assert got["k10_high"] == pytest.approx(3 / 4)  # weights 2 + 1 of 4 score 30 or more
    assert got["meldpunt_persons"] is None  # no meldpunt in this store: no universe


def test_table_has_a_row_per_figure_with_its_source() -> None:
    values = {f.id: f.target for f in FIGURES}
    text = table({"a": values})
    rows = text.splitlines()[2:]
    assert len(rows) == len(FIGURES)
    for f, row in zip(FIGURES, rows, strict=True):
        assert f.source in row
        assert ("+0 %" in row) == (f.target is not None)


def test_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no zicht.duckdb"):
        measure(tmp_path)
    duckdb.connect(str(tmp_path / "zicht.duckdb")).close()
    with pytest.raises(InputError, match="not a zicht store"):
        measure(tmp_path)
