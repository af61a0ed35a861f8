"""Rates per 1,000 residents and age/sex directly standardised rates.

Denominators come from the store's `population` table (CBS figures; single years of age or bands).
A band that lies partly inside the definition's age range counts pro rata (uniform within the band);
an open band (age_max NULL) counts whole when the range reaches into it. Wijk and buurt codes are looked
up directly; the total is the sum of the gemeenten present; an "unknown" region has no denominator.

Direct standardisation uses the population of the Netherlands in the store (`region.level = 'land'`,
code NL01 in the synthetic stores) as the standard: strata are sex (male/female) × five-year age bands
within the definition's range; strata without residents in the region are left out and the standard
weights renormalised over the rest. Persons of unknown sex or age cannot be put in a stratum and are
left out of the standardised rate (they do count in the crude rate).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from zicht.engines.store import Store
from zicht.query_model.nodes import AgeRange

BAND = 5
SEXES = ("male", "female")


class Populations:
    def __init__(self, store: Store) -> None:
        pop = store.frame("population")
        if not pop.empty and pop["year"].notna().any():
            pop = pop[pop["year"] == pop["year"].max()]  # the latest year in the store
        self.table = pop.astype({"count": "float64"})
        self.year = None if pop.empty else int(pop["year"].max())
        regions = store.frame("region")
        land = regions.loc[regions["level"] == "land", "id"].tolist()
        self.standard_code = land[0] if len(land) == 1 else None
        self.by_region = {code: g for code, g in self.table.groupby("region_code", sort=False)}

    def strata(self, region_codes: Sequence[str], age: AgeRange) -> pd.DataFrame:
        """Population per sex and five-year band within `age` for the sum of `region_codes`:
        columns sex, band (index), count. Empty when a region has no population rows."""
        frames = [self.by_region.get(code) for code in region_codes]
        if not frames or any(f is None for f in frames):
            return pd.DataFrame(columns=["sex", "band", "count"])
        rows = pd.concat(frames, ignore_index=True)
        lo = age.age_min or 0
        out = []
        for r in rows.itertuples(index=False):
            share, first = _share(r.age_min, r.age_max, lo, age.age_max)
            if share > 0:
                out.append((r.sex, (first - lo) // BAND, r.count * share))
        frame = pd.DataFrame(out, columns=["sex", "band", "count"])
        return frame.groupby(["sex", "band"], as_index=False)["count"].sum()

    def total(self, region_codes: Sequence[str], age: AgeRange) -> float | None:
        strata = self.strata(region_codes, age)
        return None if strata.empty else float(strata["count"].sum())


def _share(band_min: int, band_max: object, lo: int, hi: int | None) -> tuple[float, int]:
    """Fraction of a population band inside [lo, hi], and the first age of the overlap."""
    band_min = int(band_min)
    if band_max is None or (isinstance(band_max, float) and math.isnan(band_max)) or band_max is pd.NA:
        inside = hi is None or hi >= band_min
        return (1.0 if inside else 0.0), max(band_min, lo)
    band_max = int(band_max)
    first, last = max(band_min, lo), band_max if hi is None else min(band_max, hi)
    if last < first:
        return 0.0, first
    return (last - first + 1) / (band_max - band_min + 1), first


def crude_rate(count: object, population: float | None) -> float | None:
    if count is None or count is pd.NA or population is None or population <= 0:
        return None
    return round(float(count) / population * 1000, 1)


def standardised_rate(members: pd.DataFrame, region_pop: pd.DataFrame, standard: pd.DataFrame,
                      age: AgeRange) -> float | None:
    """Directly standardised rate per 1,000. `members`: columns sex, age, n of one region and definition."""
    if region_pop.empty or standard.empty:
        return None
    lo = age.age_min or 0
    known = members[members["sex"].isin(SEXES) & members["age"].notna()]
    counts = known.assign(band=((known["age"].astype("int64") - lo) // BAND)).groupby(["sex", "band"])["n"].sum()
    merged = region_pop.merge(standard, on=["sex", "band"], suffixes=("_region", "_standard"))
    merged = merged[merged["count_region"] > 0]
    if merged.empty or merged["count_standard"].sum() <= 0:
        return None
    n = np.array([counts.get((s, b), 0) for s, b in zip(merged["sex"], merged["band"], strict=True)], dtype=float)
    weights = merged["count_standard"].to_numpy() / merged["count_standard"].sum()
    return round(float((weights * n / merged["count_region"].to_numpy()).sum() * 1000), 1)
