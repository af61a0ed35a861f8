"""Generate everything for one gemeente: persons, latent state, extracts, defects and truth rows.

Each gemeente has its own random streams (seed, gemeente digits, stage), so a gemeente's output does
not depend on which other gemeenten run or in which order, and gemeenten can run in parallel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zicht.parquet import write_parquet
from zicht.synth import truth
from zicht.synth.episodes import DOMAINS, episodes
from zicht.synth.extracts import clean_events, write_extract
from zicht.synth.latent import draw_latent, national_indicators, per_person, wijk_indicators
from zicht.synth.people import field_lab_key, people_of
from zicht.synth.records import brp_records, distinct, note_records, source_records, survey_records
from zicht.synth.sources import SPECS

REFERENCE_DATE = date(2024, 12, 31)
_STAGES = {"latent": 1, "episodes": 2, "records": 3, "survey": 4, "notes": 5, "defects": 6}
_EMPTY = {
    "person": np.array([], np.int64),
    "person_key": np.array([], object),
    "code": np.array([], object),
    "start": np.array([], "datetime64[D]"),
    "end": np.array([], "datetime64[D]"),
    "wijk": np.array([], object),
    "gemeente": np.array([], object),
    "record_id": np.array([], object),
}


@dataclass
class GemeenteResult:
    gemeente: str
    persons: int
    files: dict[str, int] = field(default_factory=dict)  # relative path -> data rows
    defects: list[dict[str, Any]] = field(default_factory=list)
    counts: list[dict[str, Any]] = field(default_factory=list)  # registration definitions per region
    survey: list[dict[str, Any]] = field(default_factory=list)  # survey definitions per region (sums)


def _rng(seed: int, gemeente: str, stage: str, extra: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, int(gemeente[2:]), _STAGES[stage], extra])


def generate(
    gemeente: str,
    seed: int,
    out: Path,
    definitions: list[dict[str, Any]],
    leaks: frozenset[str] = frozenset(),
) -> GemeenteResult:
    """One gemeente's extracts and truth; ``leaks``: the sources whose file here carries a BSN leak."""
    people = people_of(gemeente, field_lab_key(seed))
    result = GemeenteResult(gemeente, len(people))
    ind = wijk_indicators(distinct(people.wijk), gemeente)
    national = national_indicators()
    latent = draw_latent(_rng(seed, gemeente, "latent"), people.wijk, ind)
    age = people.age_at(REFERENCE_DATE.year)
    scale = {name: per_person(ind[name] / national[name], people.wijk) for name in ("k10_high", "money")}
    eps = episodes(_rng(seed, gemeente, "episodes"), age, latent, scale)
    records = source_records(_rng(seed, gemeente, "records"), people, eps, latent.z[:, 3])
    records["brp"] = brp_records(people)
    records["ggd-monitor"] = survey_records(_rng(seed, gemeente, "survey"), people, latent.k10, latent.djg)
    records["notes"] = note_records(_rng(seed, gemeente, "notes"), people)

    events = []
    for n, spec in enumerate(SPECS.values()):
        if not spec.applies_to(gemeente) or spec.coverage(gemeente).status == "none":
            continue
        rec = records.get(spec.id)
        if rec is None:
            rec = pd.DataFrame(_EMPTY)
        rel = Path("extracts") / spec.id / spec.file_name(gemeente)
        rows, defects = write_extract(
            _rng(seed, gemeente, "defects", n), spec, rec, out / rel, leaks=spec.id in leaks
        )
        result.files[rel.as_posix()] = rows
        result.defects += [
            {"file": rel.as_posix(), "row": d.row, "column": d.column, "kind": d.kind, "source_id": spec.id}
            for d in defects
        ]
        if spec.id not in ("brp", "notes"):
            events.append(clean_events(spec, rec))

    persons = pd.DataFrame(
        {"birth_year": people.birth_year, "gemeente": gemeente, "wijk": people.wijk, "buurt": people.buurt}
    )
    ev = pd.concat(events, ignore_index=True)
    _truth_rows(result, definitions, persons, ev, people, latent, eps, out)
    return result


def _truth_rows(
    result: GemeenteResult,
    definitions: list[dict[str, Any]],
    persons: pd.DataFrame,
    ev: pd.DataFrame,
    people: Any,
    latent: Any,
    eps: pd.DataFrame,
    out: Path,
) -> None:
    """The true membership of every person (truth/persons/<gemeente>.parquet) and, per definition, the true
    counts per region (registrations) or survey sums per region (survey definitions) into ``result``."""
    kinds = {s.id: s.kind for s in SPECS.values()}
    table = _person_truth(people, latent, eps)
    # Each region level is factorised once (sorted, as groupby(sort=True) orders its groups); the counts of
    # every definition are then bincounts over the codes instead of a groupby per definition and level.
    regions = {level: pd.factorize(persons[level], sort=True) for level in ("gemeente", "wijk", "buurt")}
    for d in definitions:
        member = truth.membership(d, persons, ev, REFERENCE_DATE)
        table[f"member_{d['id']}"] = member
        if truth.is_survey(d, kinds):
            table[f"weight_{d['id']}"] = _survey_truth(result, d, persons, ev, member)
        else:
            _count_truth(result, d, persons, member, regions)
    path = out / "truth" / "persons" / f"{people.gemeente}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_parquet(pd.DataFrame(table), path)


def _person_truth(people: Any, latent: Any, eps: pd.DataFrame) -> dict[str, Any]:
    """Each person's region, latent traits and true domain flags (the columns before the memberships)."""
    table: dict[str, Any] = {
        "person_key": people.key,
        "sex": people.sex,
        "birth_year": people.birth_year,
        "gemeente": np.full(len(people), people.gemeente, dtype=object),
        "wijk": people.wijk,
        "buurt": people.buurt,
        **{f"z_{name}": latent.z[:, i] for i, name in enumerate(("psy", "lonely", "money", "severe"))},
        "k10": latent.k10,
        "djg": latent.djg,
        "money_problems": latent.money_problems,
    }
    for domain in DOMAINS:
        in_domain = eps["kind"].isin([k for k, _ in domain.kinds]) & (eps["source"] == domain.source)
        table[f"domain_{domain.name}"] = np.isin(
            np.arange(len(people)), eps.loc[in_domain, "person"].to_numpy()
        )
    return table


def _survey_truth(
    result: GemeenteResult, d: dict[str, Any], persons: pd.DataFrame, ev: pd.DataFrame, member: Any
) -> np.ndarray:
    """Appends the survey sums per gemeente and wijk of definition ``d``; returns each person's weight."""
    weight = truth.survey_respondents(d, persons, ev, REFERENCE_DATE)
    w = pd.Series(0.0, index=persons.index)
    w.loc[weight.index] = weight.to_numpy()
    respondent = w.to_numpy() > 0
    for level in ("gemeente", "wijk"):
        frame = pd.DataFrame({"region": persons[level], "w": w, "wm": w * member, "n": respondent})
        for region, g in frame[respondent].groupby("region", sort=True):
            result.survey.append(
                {
                    "definition_id": d["id"],
                    "level": level,
                    "region_code": region,
                    "respondents": int(g["n"].sum()),
                    "sum_weight": float(g["w"].sum()),
                    "sum_weight_member": float(g["wm"].sum()),
                }
            )
    return w.to_numpy()


def _count_truth(
    result: GemeenteResult,
    d: dict[str, Any],
    persons: pd.DataFrame,
    member: Any,
    regions: dict[str, tuple[np.ndarray, Any]],
) -> None:
    """Appends the true members and population per gemeente, wijk and buurt of definition ``d``."""
    inside = truth.universe(d, persons, REFERENCE_DATE)
    for level in ("gemeente", "wijk", "buurt"):
        codes, names = regions[level]
        known = codes >= 0  # a person without a region of this level is in no group (groupby's dropna)
        members = np.bincount(codes[known & member], minlength=len(names))
        population = np.bincount(codes[known & inside], minlength=len(names))
        for region, m, u in zip(names, members.tolist(), population.tolist(), strict=False):
            result.counts.append(
                {
                    "definition_id": d["id"],
                    "level": level,
                    "region_code": region,
                    "members": m,
                    "population": u,
                }
            )
