"""Regions and population: real CBS codes and counts, synthetic buurten that add up, valid instances."""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np
import pytest

from zicht.errors import InputError
from zicht.ontology.instances import validate_instance
from zicht.regions import buurten, gemeente_codes, population, regions

TWENTE = {
    "GM0141",
    "GM0147",
    "GM1774",
    "GM0153",
    "GM0158",
    "GM0163",
    "GM0164",
    "GM1735",
    "GM0168",
    "GM0173",
    "GM1742",
    "GM0183",
    "GM1700",
    "GM0189",
}


def _cbs_wijken() -> dict[str, tuple[int, int, str]]:
    """The published wijk figures, read straight from the package CSV (not through zicht.regions)."""
    path = resources.files("zicht.data").joinpath("nl_wijken.csv")
    with open(str(path), encoding="utf-8") as fh:
        return {
            r["wijk_code"]: (int(r["mannen_2024"] or 0), int(r["vrouwen_2024"] or 0), r["gemeente_code"])
            for r in csv.DictReader(fh)
        }


def test_levels_and_nesting() -> None:
    reg = regions().set_index("id")
    assert reg.loc["NL01", "level"] == "land"
    assert reg.loc["CR12", "level"] == "regio" and reg.loc["CR12", "parent"] == "NL01"
    gem = reg[reg["level"] == "gemeente"]
    assert len(gem) == 342
    assert set(gem.index[gem["parent"] == "CR12"]) == TWENTE
    assert (gem.loc[~gem.index.isin(TWENTE), "parent"] == "NL01").all()
    wijk = reg[reg["level"] == "wijk"]
    assert len(wijk) == 3393 and not wijk["synthetic"].any()
    assert (wijk["parent"] == "GM" + wijk.index.str[2:6]).all()
    buurt = reg[reg["level"] == "buurt"]
    assert buurt["synthetic"].all()
    assert (buurt.index.str[2:8] == buurt["parent"].str[2:]).all()
    assert buurt.index.str.fullmatch(r"BU[0-9]{4}[0-9A-Z]{2}S[0-9]{2}").all()
    assert reg.index.is_unique


def test_buurten_add_up_to_the_real_wijk_per_sex() -> None:
    cbs = _cbs_wijken()
    b = buurten().groupby("wijk_code")[["mannen", "vrouwen"]].sum()
    assert set(b.index) == set(cbs)
    for code, (men, women, _) in cbs.items():
        assert (b.loc[code, "mannen"], b.loc[code, "vrouwen"]) == (men, women), code


def test_population_equals_cbs_per_wijk_and_sex() -> None:
    cbs = _cbs_wijken()
    twente = [c for c, v in cbs.items() if v[2] in TWENTE]
    pop = population(levels=("wijk",), gemeente_filter=sorted(TWENTE))
    per = pop.groupby(["region_code", "sex"])["count"].sum()
    assert sorted(per.index.get_level_values(0).unique()) == sorted(c for c in twente if sum(cbs[c][:2]) > 0)
    for code in twente:
        men, women, _ = cbs[code]
        assert per.get((code, "male"), 0) == men and per.get((code, "female"), 0) == women, code


def test_population_levels_are_consistent_and_age_bands_single_years() -> None:
    pop = population(gemeente_filter=["GM0153", "GM0164"])
    gem = pop[pop["region_code"].isin(["GM0153", "GM0164"])]
    wijk = pop[pop["region_code"].str.startswith(("WK0153", "WK0164"))]
    buurt = pop[pop["region_code"].str.startswith(("BU0153", "BU0164"))]
    assert gem["count"].sum() == wijk["count"].sum() == buurt["count"].sum()
    assert (pop["age_max"].isna() == (pop["age_min"] == 100)).all()
    assert (pop.loc[pop["age_max"].notna(), "age_max"] == pop.loc[pop["age_max"].notna(), "age_min"]).all()
    assert (pop["count"] > 0).all() and pop["synthetic"].all()


def test_age_structure_follows_the_national_bands() -> None:
    path = resources.files("zicht.data").joinpath("cbs_leeftijd_geslacht_2024_benadering.csv")
    with open(str(path), encoding="utf-8") as fh:
        bands = list(csv.DictReader(fh))
    total_men = sum(int(b["mannen"]) for b in bands)
    band_65_69 = next(int(b["mannen"]) for b in bands if b["age_min"] == "65")
    pop = population(levels=("land",))
    men = pop[pop["sex"] == "male"]
    share = men.loc[men["age_min"].between(65, 69), "count"].sum() / men["count"].sum()
    assert share == pytest.approx(band_65_69 / total_men, abs=0.001)


def test_instances_validate() -> None:
    reg = regions().set_index("id")
    for code in ("NL01", "CR12", "GM0153", "GM0014", "WK015300", "BU015300S01"):
        row = reg.loc[code]
        data = {
            "id": code,
            "name": row["name"],
            "level": row["level"],
            "year": int(row["year"]),
            "synthetic": bool(row["synthetic"]),
        }
        if isinstance(row["parent"], str):
            data["parent"] = row["parent"]
        assert validate_instance("Region", data) == [], code
    pop = population(levels=("wijk",), gemeente_filter=["GM0153"])
    for row in (pop.iloc[0], pop[pop["age_min"] == 100].iloc[0]):
        data = {
            k: (None if v is None or (isinstance(v, float) and np.isnan(v)) else v) for k, v in row.items()
        }
        data = {
            k: (int(v) if k in ("year", "age_min", "age_max", "count") else v)
            for k, v in data.items()
            if v is not None and not (hasattr(v, "__class__") and str(v) == "<NA>")
        }
        data["synthetic"] = bool(data["synthetic"])
        assert validate_instance("Population", data) == []


def test_run_regions() -> None:
    assert set(gemeente_codes("twente")) == TWENTE
    assert len(gemeente_codes("nl")) == 342
    with pytest.raises(InputError, match="unknown region 'utrecht'"):
        gemeente_codes("utrecht")


def test_filter_keeps_whole_land_and_regio() -> None:
    cbs = _cbs_wijken()
    pop = population(levels=("land", "regio", "gemeente"), gemeente_filter=["GM0183"])
    totals = pop.groupby("region_code")["count"].sum()
    assert set(totals.index) == {"NL01", "CR12", "GM0183"}
    assert totals["NL01"] == sum(m + w for m, w, _ in cbs.values())
    assert totals["CR12"] == sum(m + w for m, w, g in cbs.values() if g in TWENTE)
    assert totals["GM0183"] == sum(m + w for m, w, g in cbs.values() if g == "GM0183")
    outside = population(levels=("regio",), gemeente_filter=["GM0014"])
    assert outside.empty
