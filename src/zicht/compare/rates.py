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

from collections.abc import Sequence

import numpy as np
import pandas as pd

from zicht.engines.store import Store
from zicht.query_model.nodes import AgeRange

BAND = 5
SEXES = ("male", "female")


OPEN = 100  # the last single-year slot holds an open band (e.g. 100+)


class Populations:
    """Population per region as an array [sex (male, female), age 0..100] (bands spread evenly over their
    single years; an open band sits at its first age)."""

    def __init__(self, store: Store) -> None:
        pop = store.frame("population")
        if not pop.empty and pop["year"].notna().any():
            pop = pop[pop["year"] == pop["year"].max()]  # the latest year in the store
        self.year = None if pop.empty else int(pop["year"].max())
        regions = store.frame("region")
        land = regions.loc[regions["level"] == "land", "id"].tolist()
        self.standard_code = land[0] if len(land) == 1 else None
        self.arrays: dict[str, np.ndarray] = {}
        pop = pop[pop["sex"].isin(SEXES)]
        codes = pop["region_code"].to_numpy(object)
        sex = (pop["sex"].to_numpy(object) == "female").astype(int)
        lo = pop["age_min"].to_numpy("int64").clip(0, OPEN)
        hi_raw = pd.to_numeric(pop["age_max"], errors="coerce").to_numpy("float64")
        hi = np.where(np.isnan(hi_raw), lo, np.clip(np.nan_to_num(hi_raw), 0, OPEN)).astype("int64")
        count = pop["count"].to_numpy("float64")
        for code in pd.unique(codes):
            self.arrays[code] = np.zeros((2, OPEN + 1))
        for c, s, a, b, n in zip(codes, sex, lo, hi, count, strict=True):
            b = max(a, b)
            self.arrays[c][s, a : b + 1] += n / (b - a + 1)

    def strata(self, region_codes: Sequence[str], age: AgeRange) -> np.ndarray | None:
        """Population per sex (rows) and five-year band within `age` (columns) for the sum of the regions;
        None when a region has no population rows."""
        arrays = [a for code in region_codes if (a := self.arrays.get(code)) is not None]
        if not arrays or len(arrays) < len(region_codes):
            return None
        return _bands(np.sum(arrays, axis=0), age)

    def total(self, region_codes: Sequence[str], age: AgeRange) -> float | None:
        strata = self.strata(region_codes, age)
        return None if strata is None else float(strata.sum())


def _bands(per_age: np.ndarray, age: AgeRange) -> np.ndarray:
    lo = min(age.age_min or 0, OPEN)
    hi = OPEN if age.age_max is None else min(age.age_max, OPEN)
    part = per_age[:, lo : hi + 1]
    n_bands = -(-part.shape[1] // BAND)
    padded = np.zeros((2, n_bands * BAND))
    padded[:, : part.shape[1]] = part
    bands: np.ndarray = padded.reshape(2, n_bands, BAND).sum(axis=2)
    return bands


def member_strata(members: pd.DataFrame, age: AgeRange) -> np.ndarray:
    """Members (columns sex, age, n) per sex and five-year band within `age`; unknown sex/age left out."""
    per_age = np.zeros((2, OPEN + 1))
    known = members[members["sex"].isin(SEXES) & members["age"].notna()]
    if len(known):
        s = (known["sex"].to_numpy(object) == "female").astype(int)
        a = known["age"].to_numpy("int64").clip(0, OPEN)
        np.add.at(per_age, (s, a), known["n"].to_numpy("float64"))
    return _bands(per_age, age)


def crude_rate(count: float | None, population: float | None) -> float | None:
    if count is None or count is pd.NA or population is None or population <= 0:
        return None
    return round(float(count) / population * 1000, 1)


def standardised_rate(
    members: np.ndarray, region_pop: np.ndarray | None, standard: np.ndarray | None
) -> float | None:
    """Directly standardised rate per 1,000 from members and population per stratum (same shapes)."""
    if region_pop is None or standard is None:
        return None
    present = region_pop > 0
    weight_total = standard[present].sum()
    if not present.any() or weight_total <= 0:
        return None
    rates = members[present] / region_pop[present]
    return round(float((standard[present] / weight_total * rates).sum() * 1000), 1)
