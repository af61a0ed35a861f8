"""Population by region, sex and single year of age on 1 January 2024.

The age structure per region is not published in the data we have, so every synthetic buurt's men
and women (which add up to the real CBS wijk figures) are divided over ages 0-99 and an open band
100+ after the national age-sex structure of 1 January 2024 (package file
``cbs_leeftijd_geslacht_2024_benadering.csv``: an approximation of CBS StatLine 7461BEV / 03759ned
in five-year bands, spread evenly over the single years of each band; see docs/synthetic-data.md).
The split is pure arithmetic (largest remainder), so it is the same in every run; the synthetic
persons are generated from exactly these cells, so population and person counts agree at every level.
Rows whose age split is modelled carry ``synthetic = True``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from zicht.regions.catalogue import REGION_YEAR, buurten, gemeenten
from zicht.regions.codes import NL_CODE, TWENTE_CODE

AGES = np.arange(101)  # 0..99 single years, 100 = the open band 100+
OPEN_AGE = 100


@lru_cache(maxsize=1)
def age_shares() -> dict[str, np.ndarray]:
    """Share of each single year of age (0..99, 100+) per sex, from the national five-year bands."""
    path = resources.files("zicht.data").joinpath("cbs_leeftijd_geslacht_2024_benadering.csv")
    bands = pd.read_csv(str(path))
    out = {}
    for sex, col in (("male", "mannen"), ("female", "vrouwen")):
        per_age = np.zeros(len(AGES))
        for band in bands.itertuples(index=False):
            if pd.isna(band.age_max):
                per_age[OPEN_AGE] += getattr(band, col)
            else:
                lo, hi = int(band.age_min), int(band.age_max)
                per_age[lo : hi + 1] += getattr(band, col) / (hi - lo + 1)
        out[sex] = per_age / per_age.sum()
    return out


def _allocate(totals: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Rows of totals split over the columns of shares, largest remainder, exact row sums."""
    raw = totals[:, None].astype(float) * shares[None, :]
    out = np.floor(raw).astype(np.int64)
    rest = totals - out.sum(axis=1)
    frac = raw - out
    # stable tie-break: the larger fraction first, then the lower age
    order = np.argsort(-frac, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(shares.size)[None, :].repeat(len(totals), axis=0), axis=1)
    out += (ranks < rest[:, None]).astype(np.int64)
    return out


@lru_cache(maxsize=1)
def buurt_age_counts() -> dict[str, np.ndarray]:
    """Per sex an array [n_buurten, 101] of persons by single year of age, rows in `buurten()` order."""
    b = buurten()
    shares = age_shares()
    return {
        "male": _allocate(b["mannen"].to_numpy(np.int64), shares["male"]),
        "female": _allocate(b["vrouwen"].to_numpy(np.int64), shares["female"]),
    }


def population(
    levels: tuple[str, ...] = ("land", "regio", "gemeente", "wijk", "buurt"),
    gemeente_filter: list[str] | None = None,
) -> pd.DataFrame:
    """Rows of the `Population` class (year 2024, single years of age and 100+), for the given levels.

    With `gemeente_filter`, gemeente/wijk/buurt rows are those of the given gemeenten, while land and
    regio rows always hold their whole region (NL01 all of NL; CR12 = Twente, when a filtered gemeente lies
    in Twente, all of Twente), so that a filter never shrinks a denominator silently.
    Every row is a modelled age split of real CBS counts, so ``synthetic`` is True. Cells with a count
    of 0 are left out (a missing cell means 0).
    """
    b = buurten()
    counts = buurt_age_counts()
    keys = {
        "buurt": b["buurt_code"].to_numpy(),
        "wijk": b["wijk_code"].to_numpy(),
        "gemeente": b["gemeente_code"].to_numpy(),
    }
    twente = set(gemeenten().loc[lambda d: d["twente"], "gemeente_code"])
    keys["regio"] = np.where(np.isin(keys["gemeente"], list(twente)), TWENTE_CODE, "")
    keys["land"] = np.full(len(b), NL_CODE)
    everything = np.ones(len(b), bool)
    mask = everything if gemeente_filter is None else np.isin(keys["gemeente"], gemeente_filter)
    wanted_regio = set(keys["regio"][mask]) - {""}
    frames = []
    for level in levels:
        for sex, arr in counts.items():
            rows = everything if level in ("land", "regio") else mask
            df = pd.DataFrame(arr[rows], columns=AGES)
            df["region_code"] = keys[level][rows]
            if level == "regio":
                df.loc[~df["region_code"].isin(wanted_regio), "region_code"] = ""
            df = df[df["region_code"] != ""].groupby("region_code", sort=True).sum()
            long = df.stack().rename("count").reset_index().rename(columns={"level_1": "age_min"})
            long.columns = ["region_code", "age_min", "count"]
            long["sex"] = sex
            frames.append(long[long["count"] > 0])
    out = pd.concat(frames, ignore_index=True)
    out["age_min"] = out["age_min"].astype("int64")
    out["age_max"] = out["age_min"].where(out["age_min"] < OPEN_AGE).astype("Int64")
    out["year"] = REGION_YEAR
    out["synthetic"] = True
    out = out[["region_code", "year", "sex", "age_min", "age_max", "count"] + ["synthetic"]]
    return out.sort_values(["region_code", "sex", "age_min"], ignore_index=True)
