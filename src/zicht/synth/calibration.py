"""How the synthetic data compares with published Dutch figures: the calibration table of docs/synthetic-data.md.

Every figure is measured on a harmonised store (the same data a user sees), not on the generator's
internals, so the table can be re-measured on any store: ``zicht synth calibration --store DIR``.
Reference date 2024-12-31; "the year" is 2024 (the 12 months up to it), "the year before" 2023. Ages are
ages on the reference date (year(R) - birth year), as the definitions count them.

The targets are published figures with their source (`FIGURES`). Where a figure counts something the
synthetic sources do not hold (GP mental-health care, Wmo aids and transport), the note says so and the
gap is expected; where no national figure exists (meldpunt), there is no target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from zicht.errors import InputError
from zicht.sql import scalar

REFERENCE = dt.date(2024, 12, 31)
YEAR = REFERENCE.year


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    unit: str  # "per 1,000 <universe>", "ratio", "share"
    target: float | None  # the published figure in `unit`; None = no national figure
    source: str
    note: str = ""


# Published figures (the source says what was counted; the note how it maps onto the synthetic measure).
FIGURES: tuple[Figure, ...] = (
    Figure(
        "epa",
        "EPA (epa-ggz-wmo) per 1,000 aged 18-65",
        "per 1,000",
        16.0,
        "Delespaul & Consensusgroep EPA, Tijdschr. Psychiatr. 55 (2013) 427-438: 160,000 patients aged 18-65 "
        "in care (12-month care prevalence 1.6 %)",
        "registration data see persons in care, so the in-care figure is the target; the population "
        "prevalence of 281,000 (1.7 % of all ages, about 27 per 1,000 if read against ages 18-65 only) includes "
        "persons not in care and is an upper bound",
    ),
    Figure(
        "e33_persons",
        "persons with an E33/E14 report in the year, per 1,000 residents",
        "per 1,000",
        2.0,
        "RIVM (2018), E33 and E14 reports of 2016: 61,000 of 80,000 reports traced to about 34,000 persons "
        "(17.1 M residents)",
        "a lower bound: 19,000 reports were not traced to a person",
    ),
    Figure(
        "e33_reports_per_person",
        "E33/E14 reports per person with a report, in the year",
        "ratio",
        1.8,
        "RIVM (2018): 61,000 traced reports / 34,000 persons",
    ),
    Figure(
        "e33_known",
        "share of the year's persons with a report in the 12 months before",
        "share",
        0.38,
        "RIVM (2018): about 13,000 of the 34,000 persons were known from the 12 months before",
    ),
    Figure(
        "e33_once",
        "share of the year's persons with exactly one report",
        "share",
        0.65,
        "Politie (2019, half-year figures): 60-70 % of persons are seen once",
    ),
    Figure(
        "e33_2in24_vs_1in12",
        "persons with >= 2 E33 in 24 months / persons with >= 1 E33 in 12 months",
        "ratio",
        None,
        "derived, no published figure: with the three figures above about 0.4-0.6",
        "the issue's check: must be well below 1 ('most persons appear once')",
    ),
    Figure(
        "meldpunt_persons",
        "persons with a meldpunt report in the year, per 1,000 adults",
        "per 1,000",
        None,
        "no national figure (meldpunten register differently per gemeente)",
        "of the order of E33: both reach people who avoid care",
    ),
    Figure(
        "meldpunt_reports_per_person",
        "meldpunt reports per person with a report, in the year",
        "ratio",
        None,
        "no national figure",
    ),
    Figure(
        "ggz_curative",
        "adults in Zvw GGZ (basic or specialised) in the year, per 1,000 adults",
        "per 1,000",
        84.0,
        "NZa/Vektis via Staat van Volksgezondheid en Zorg: 1,191,095 patients 18+ in curative GGZ in 2021 "
        "(basic, specialised and GP practice mental-health care) / 14.2 M adults",
        "the synthetic claims have no GP practice mental-health care (POH-GGZ), so the synthetic value is lower",
    ),
    Figure(
        "youth_care",
        "young people (0-22) with youth care in the year, per 1,000 aged 0-22",
        "per 1,000",
        106.0,
        "CBS Jeugdmonitor 2024: 474,000 young people under 23 with jeugdzorg in 2023 (10.6 %)",
    ),
    Figure(
        "income_support",
        "residents 18-66 with income support on the reference date, per 1,000 aged 18-66",
        "per 1,000",
        36.0,
        "CBS: 406,000 persons below AOW age with algemene bijstand at the end of 2024 / 11.2 M aged 18-66 "
        "(CBS population 2024)",
    ),
    Figure(
        "debt_new",
        "adults starting debt counselling in the year, per 1,000 adults",
        "per 1,000",
        5.3,
        "NVVK jaarverslag 2022: 75,531 registrations (aanmeldingen) with NVVK members / 14.3 M adults",
        "NVVK members only: a lower bound for all municipal debt counselling",
    ),
    Figure(
        "wmo_any",
        "residents with a Wmo provision in the year, per 1,000 residents",
        "per 1,000",
        64.0,
        "CBS (2020): over 1.1 million people with a Wmo maatwerkvoorziening in 2019 / 17.3 M residents",
        "the synthetic Wmo has guidance, day activities, sheltered housing, shelter and household help, not aids, "
        "wheelchairs or transport, so the synthetic value is lower",
    ),
    Figure(
        "k10_high",
        "weighted share of survey respondents with K10 >= 30",
        "share",
        0.067,
        "RIVM/CBS/GGD health monitor 2020 (CBS 50090NED), adults, Netherlands: high risk of anxiety or "
        "depression 6.7 %",
        "the generator draws K10 per wijk from the monitor's figure, so this checks the chain",
    ),
    Figure(
        "lonely",
        "weighted share of survey respondents with De Jong Gierveld >= 3",
        "share",
        0.470,
        "health monitor 2020 (CBS 50090NED), adults, Netherlands: lonely 47.0 %",
    ),
)
BY_ID = {f.id: f for f in FIGURES}


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> float | None:
    row = con.execute(sql).fetchone()
    return None if row is None or row[0] is None else float(row[0])


def _within(year: int) -> str:
    return f"start_date between DATE '{year}-01-01' and DATE '{year}-12-31'"


def _active(start: dt.date, end: dt.date) -> str:
    return f"start_date <= DATE '{end}' and (end_date is null or end_date >= DATE '{start}')"


# events count only for persons in the person table (a refused BRP file leaves its persons' events unlinked)
_REGISTERED = "person_id in (select id from person)"


def _age(lo: int, hi: int) -> str:
    return f"({YEAR} - birth_year) between {lo} and {hi}"


def _persons(con: duckdb.DuckDBPyConnection, where: str) -> float:
    return float(scalar(con, f"select count(*) from person where {where}"))


def _per_1000(con: duckdb.DuckDBPyConnection, events: str, universe: str) -> float | None:
    """Persons of ``universe`` with an event matching ``events``, per 1,000 persons of ``universe``."""
    n = _persons(con, universe)
    if n == 0:
        return None
    hit = _one(
        con,
        f"select count(*) from person where {universe} and id in "
        f"(select person_id from event where {events})",
    )
    return 1000.0 * (hit or 0.0) / n


def _reports(con: duckdb.DuckDBPyConnection, concepts: str) -> dict[str, float | None]:
    """Recurrence of point reports: persons, reports per person, known from the year before, seen once."""
    this = f"{concepts} and {_within(YEAR)} and {_REGISTERED}"
    before = f"{concepts} and {_within(YEAR - 1)}"
    row = con.execute(
        f"""
        with y as (select person_id, count(*) as n from event where {this} group by 1)
        select count(*), sum(n), count(*) filter (where n = 1),
               count(*) filter (where person_id in (select person_id from event where {before}))
        from y
        """
    ).fetchone()
    persons, reports, once, known = (float(v or 0) for v in row)  # type: ignore[union-attr]
    if persons == 0:
        return {"per_person": None, "once": None, "known": None}
    return {"per_person": reports / persons, "once": once / persons, "known": known / persons}


def _survey_share(con: duckdb.DuckDBPyConnection, concept: str, cut: float) -> float | None:
    """Weighted share of the year's respondents whose score on ``concept`` is at least ``cut``."""
    return _one(
        con,
        f"select sum(weight * (value >= {cut})::int) / sum(weight) from event "
        f"where concept = '{concept}' and {_within(YEAR)} and value is not null and weight > 0",
    )


def _epa(store_dir: Path) -> float | None:
    from zicht.engines import get_engine, open_store
    from zicht.query_model.compile import compile_definition
    from zicht.synth.run import load_definitions

    definition = next(d for d in load_definitions() if d["id"] == "epa-ggz-wmo")
    store = open_store(store_dir)
    members = get_engine("duckdb").members(store, compile_definition(definition), REFERENCE)
    with duckdb.connect(str(store_dir / "zicht.duckdb"), read_only=True) as con:
        universe = _persons(con, _age(18, 65))
    return 1000.0 * len(members) / universe if universe else None


def measure(store_dir: Path) -> dict[str, float | None]:
    """Every figure of `FIGURES` measured on the store at ``store_dir`` (None where the store has no data)."""
    db = store_dir / "zicht.duckdb"
    if not db.is_file():
        raise InputError(f"{store_dir}: no zicht.duckdb here; give a store folder written by zicht harmonise")
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        missing = sorted({"person", "event"} - tables)
        if missing:
            raise InputError(
                f"{db}: not a zicht store (no table {', '.join(missing)}); give a folder written by "
                "zicht harmonise"
            )
        out = measure_tables(con)
    out["epa"] = _epa(store_dir)
    return {f.id: out.get(f.id) for f in FIGURES}


def measure_tables(con: duckdb.DuckDBPyConnection) -> dict[str, float | None]:
    """The figures that plain SQL over the store's `person` and `event` tables gives (all but EPA)."""
    w12, r = dt.date(YEAR, 1, 1), REFERENCE
    w24 = dt.date(YEAR - 1, 1, 1)
    out: dict[str, float | None] = {}
    everyone, adults = "true", _age(18, 200)
    police = "concept in ('zc:safety_e33', 'zc:psy_suicide_attempt')"
    out["e33_persons"] = _per_1000(con, f"{police} and {_within(YEAR)}", everyone)
    rec = _reports(con, police)
    out["e33_reports_per_person"], out["e33_known"], out["e33_once"] = (
        rec["per_person"],
        rec["known"],
        rec["once"],
    )
    e33 = "concept = 'zc:safety_e33'"
    e33 = f"{e33} and {_REGISTERED}"
    one_in_12 = _one(con, f"select count(distinct person_id) from event where {e33} and {_within(YEAR)}")
    two_in_24 = _one(
        con,
        f"select count(*) from (select person_id from event where {e33} and start_date between "
        f"DATE '{w24}' and DATE '{r}' group by 1 having count(*) >= 2)",
    )
    out["e33_2in24_vs_1in12"] = (two_in_24 or 0.0) / one_in_12 if one_in_12 else None
    meld = "source_id = 'meldpunt'"
    has_meldpunt = (
        f"residence_gemeente in (select distinct residence_gemeente from person where id in "
        f"(select person_id from event where {meld}))"
    )
    out["meldpunt_persons"] = _per_1000(con, f"{meld} and {_within(YEAR)}", f"{adults} and {has_meldpunt}")
    out["meldpunt_reports_per_person"] = _reports(con, meld)["per_person"]
    ggz = "(concept = 'zc:ggz_basic' or concept like 'zc:ggz_specialised%')"
    out["ggz_curative"] = _per_1000(con, f"{ggz} and {_active(w12, r)}", adults)
    out["youth_care"] = _per_1000(con, f"concept like 'zc:youth_%' and {_active(w12, r)}", _age(0, 22))
    out["income_support"] = _per_1000(
        con, f"concept = 'zc:context_income_support' and {_active(r, r)}", _age(18, 66)
    )
    out["debt_new"] = _per_1000(
        con,
        f"concept = 'zc:context_debt_counselling' and {_within(YEAR)} and person_id not in "
        f"(select person_id from event where concept = 'zc:context_debt_counselling' "
        f"and start_date < DATE '{w12}')",
        adults,
    )
    out["wmo_any"] = _per_1000(con, f"source_id like 'wmo-%' and {_active(w12, r)}", everyone)
    out["k10_high"] = _survey_share(con, "zc:psy_distress", 30)
    out["lonely"] = _survey_share(con, "zc:context_loneliness", 3)
    return out


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{100 * value:.1f} %"
    if unit == "ratio":
        return f"{value:.2f}"
    return f"{value:.1f}"


def table(measured: dict[str, dict[str, float | None]]) -> str:
    """A Markdown table: one row per figure, one column per measured store, then target, gap and source."""
    names = list(measured)
    head = ["figure", *names, "target", "gap", "source"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for f in FIGURES:
        values = [measured[n].get(f.id) for n in names]
        last = values[-1]
        if f.target is None or last is None:
            gap = "—"
        else:
            gap = f"{100 * (last - f.target) / f.target:+.0f} %"
        source = f.source + (f" — {f.note}" if f.note else "")
        row = [f.label, *(_fmt(v, f.unit) for v in values), _fmt(f.target, f.unit), gap, source]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
