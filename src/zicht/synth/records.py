"""From episodes to each source's clean records (logical fields), before formatting and defects.

A record has the logical fields that `zicht.synth.sources.Column.field` refers to: person_key,
record_id, code, code2, start, end, wijk, gemeente, buurt, sex, birth_year, value, weight, text,
author, other. Coverage is applied here: what a gemeente does not deliver is not a record. The same
records, and nothing else, feed the extracts and the ground truth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zicht.synth.codes import CODES, codes_of_kind
from zicht.synth.episodes import DAY0, DAY_END, diagnosis_of
from zicht.synth.people import People
from zicht.synth.sources import SPECS, SURVEY_END, SURVEY_START, SourceSpec, wmo_source_of

_DEBT_REMARKS = (
    "",
    "",
    "",
    "Betalingsachterstand energie en huur",
    "Aflossing loopt volgens plan",
    "Klant niet verschenen op afspraak",
    "Beslag op inkomen opgeheven",
    "Doorverwezen naar budgetcursus",
)
_REPORT_REMARKS = (
    "",
    "",
    "Buren maken zich zorgen",
    "Persoon komt verward over",
    "Melding via woningcorporatie",
    "Huisarts vraagt om bemoeizorg",
    "Herhaalde overlast in portiek",
)
_UZOVI = ("3311", "3343", "3358", "7029")


def distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique`` of an array of strings (the sorted distinct values), from a hash table: np.unique sorts
    the whole per-person array of Python strings, which costs seconds in a large gemeente."""
    return np.array(sorted(pd.unique(np.asarray(values, dtype=object))), dtype=object)


def _codes(rng: np.random.Generator, source_id: str, kinds: np.ndarray) -> np.ndarray:
    out = np.empty(len(kinds), dtype=object)
    for kind in distinct(kinds):
        mask = kinds == kind
        out[mask] = rng.choice(np.array(codes_of_kind(source_id, str(kind)), dtype=object), int(mask.sum()))
    return out


def _dates(values: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(values.astype("datetime64[D]"), unit="D")
    return np.where(np.isnat(values), "", text).astype(object)


def _ids(prefix: str, gemeente: str, n: int) -> np.ndarray:
    return np.array([f"{prefix}{gemeente[2:]}-{i:07d}" for i in range(1, n + 1)], dtype=object)


def _split_by_year(ep: pd.DataFrame) -> pd.DataFrame:
    """Insurer claims close per calendar year: one claim row per episode per year it runs in."""
    rows = []
    for year in (2021, 2022, 2023, 2024):
        y0, y1 = np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31")
        end = ep["end"].to_numpy()
        start = ep["start"].to_numpy()
        runs = (start <= y1) & (np.isnat(end) | (end >= y0))
        part = ep[runs].copy()
        part["start"] = np.maximum(part["start"].to_numpy(), y0)
        e = part["end"].to_numpy()
        # a claim of an episode still running at the end of 2024 stays open; earlier years close on 31 Dec
        closed_by_year = np.isnat(e) | (e > y1)
        part["end"] = np.where(closed_by_year & (year < 2024), y1, e)
        rows.append(part)
    return pd.concat(rows, ignore_index=True).sort_values(
        ["person", "start", "kind"], kind="stable", ignore_index=True
    )


def _delivered(spec: SourceSpec, gemeente: str, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Mask of records the gemeente delivers under the source's coverage."""
    cov = spec.coverage(gemeente)
    if cov.status == "none":
        return np.zeros(len(start), bool)
    lo = np.datetime64(cov.start or spec.period_start)
    hi = np.datetime64(cov.end or spec.period_end)
    last = np.where(np.isnat(end), hi, end)
    return (start <= hi) & (last >= lo)


def source_records(
    rng: np.random.Generator,
    people: People,
    eps: pd.DataFrame,
    severe: np.ndarray,
) -> dict[str, pd.DataFrame]:
    """Per source id the delivered clean records of one gemeente (registrations only)."""
    gm = people.gemeente
    out: dict[str, pd.DataFrame] = {}
    diagnosis = diagnosis_of(rng, severe)
    for source, ep in eps.groupby("source", sort=True):
        source_id = wmo_source_of(gm) if source == "wmo" else str(source)
        spec = SPECS[source_id]
        if source_id == "zvw-ggz":
            ep = _split_by_year(ep)
        ep = ep[_delivered(spec, gm, ep["start"].to_numpy(), ep["end"].to_numpy())].reset_index(drop=True)
        person = ep["person"].to_numpy()
        kinds = ep["kind"].to_numpy()
        rec = pd.DataFrame(
            {
                "person": person,
                "person_key": people.key[person],
                "code": _codes(rng, source_id, kinds),
                "start": ep["start"].to_numpy(),
                "end": ep["end"].to_numpy()
                if not spec.point_events
                else np.full(len(ep), np.datetime64("NaT", "D")),
                "wijk": people.wijk[person],
                "gemeente": gm,
            }
        )
        if source_id == "zvw-ggz":
            rec["code2"] = _codes(rng, source_id, diagnosis[person])
            rec["other"] = rng.choice(np.array(_UZOVI, dtype=object), len(rec))
        if source_id == "politie-e33":
            # the incident location is mostly the person's own wijk, sometimes another wijk of the gemeente
            elsewhere = rng.random(len(rec)) < 0.2
            rec.loc[elsewhere, "wijk"] = rng.choice(distinct(people.wijk), int(elsewhere.sum()))
        if source_id == "schuldhulp":
            rec["text"] = rng.choice(np.array(_DEBT_REMARKS, dtype=object), len(rec))
        if source_id == "meldpunt":
            rec["text"] = rng.choice(np.array(_REPORT_REMARKS, dtype=object), len(rec))
        rec["record_id"] = _ids(source_id[0].upper(), gm, len(rec))
        out[source_id] = rec
    return out


def brp_records(people: People) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person": np.arange(len(people)),
            "person_key": people.key,
            "sex": np.where(people.sex == "male", "M", "V"),
            "birth_year": people.birth_year,
            "gemeente": people.gemeente,
            "wijk": people.wijk,
            "buurt": people.buurt,
        }
    )


def survey_records(
    rng: np.random.Generator, people: People, k10: np.ndarray, djg: np.ndarray
) -> pd.DataFrame:
    """The health monitor sample: adults, response rising with age, weights calibrated per sex × age group.

    Design weights are the inverse response probability, post-stratified so that the weights of each
    sex × age group of the gemeente add up to its number of residents (as the GGD weighting does).
    """
    age = people.age_at(2024)
    adult = np.flatnonzero(age >= 18)
    group = np.digitize(age[adult], [35, 50, 65, 75])
    response = np.array([0.025, 0.035, 0.045, 0.055, 0.045])[group]
    take = rng.random(adult.size) < response
    who = adult[take]
    strata = pd.Series(people.sex[adult]).astype(str) + "|" + pd.Series(group).astype(str)
    pop_size = strata.value_counts()
    resp_strata = strata[take].reset_index(drop=True)
    base = 1.0 / response[take]
    base_sum = pd.Series(base).groupby(resp_strata).transform("sum").to_numpy()
    weight = np.round(base / base_sum * pop_size.loc[resp_strata].to_numpy(), 4)
    n = who.size
    days = int((np.datetime64(SURVEY_END) - np.datetime64(SURVEY_START)).astype(int)) + 1
    date = np.datetime64(SURVEY_START) + rng.integers(0, days, n).astype("timedelta64[D]")
    resp_id = _ids("R", people.gemeente, n)
    one = pd.DataFrame(
        {
            "person": who,
            "person_key": people.key[who],
            "record_id": resp_id,
            "weight": weight,
            "wijk": people.wijk[who],
            "start": date,
            "gemeente": people.gemeente,
        }
    )
    k = one.assign(code="GGADS201", value=k10[who].astype(float))
    lon = one.assign(code="GGEES203", value=djg[who].astype(float))
    rec = pd.concat([k, lon]).sort_values(["record_id", "code"], kind="stable", ignore_index=True)
    rec["end"] = np.datetime64("NaT", "D")
    return rec


_NOTE_TEXTS = {
    "EENZ": "Veel alleenstaande ouderen; het buurthuis ziet minder bezoekers dan voor de coronajaren.",
    "SCHULD": "Meer vragen over achterstanden bij energie en huur; de wachttijd voor schuldhulp loopt op.",
    "VERWARD": "Wijkagent meldt terugkerende overlast door enkele bewoners die geen zorg accepteren.",
    "GGZ": "Lange wachttijden in de specialistische ggz; het wijkteam vangt cliënten tussentijds op.",
    "WONEN": "Woningcorporatie signaleert meer dreigende huisuitzettingen na huurachterstand.",
    "JEUGD": "Jongerenwerk ziet meer jongeren met somberheidsklachten en schooluitval.",
}
_AUTHORS = ("Wijkteam {w}", "GGD Twente, sociaal verpleegkundige", "Wijkagent {w}", "Welzijnswerk {w}")


def note_records(rng: np.random.Generator, people: People) -> pd.DataFrame:
    rows = []
    themes = [c.code for c in CODES["notes"]]
    for wijk in distinct(people.wijk):
        for _ in range(int(rng.integers(1, 4))):
            theme = str(rng.choice(themes))
            day = DAY0 + np.timedelta64(int(rng.integers(0, int((DAY_END - DAY0).astype(int)) + 1)), "D")
            author = str(rng.choice(_AUTHORS)).format(w=wijk)
            rows.append(
                {"code": theme, "start": day, "wijk": wijk, "text": _NOTE_TEXTS[theme], "author": author}
            )
    rec = pd.DataFrame(rows)
    rec["record_id"] = _ids("N", people.gemeente, len(rec))
    rec["end"] = np.datetime64("NaT", "D")
    rec["gemeente"] = people.gemeente
    return rec


def format_dates(rec: pd.DataFrame) -> pd.DataFrame:
    out = rec.copy()
    for col in ("start", "end"):
        if col in out:
            out[col] = _dates(out[col].to_numpy())
    return out
