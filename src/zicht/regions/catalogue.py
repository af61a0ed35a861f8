"""The region catalogue: CBS gemeenten and wijken (KWB 2024) from package data, plus synthetic buurten.

CBS publishes wijk figures rounded to multiples of 5, per sex separately. The person-level data of
zicht are generated per wijk and sex from exactly these published numbers, so a wijk holds
``mannen + vrouwen`` persons (which may differ by a few from the published wijk total) and a gemeente
holds the sum of its wijken (which differs from the published gemeente total by CBS's rounding, e.g.
Enschede 161,735 vs 161,738). Buurten of 2024 are not available, so each real wijk is divided into
clearly labelled synthetic buurten whose men and women add up to the wijk's exactly.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from zicht.errors import InputError
from zicht.regions.codes import NL_CODE, TWENTE_CODE, synthetic_buurt_code

REGION_YEAR = 2024
# Residents per synthetic buurt aimed at; CBS buurten have a median of roughly 1,000-1,500 residents.
_BUURT_SIZE = 1500
_MAX_BUURTEN = 9
_BUURT_SEED = 20240101  # fixed: the synthetic buurt layout is part of the package, not of a run


def _data_file(name: str) -> str:
    return str(resources.files("zicht.data").joinpath(name))


@lru_cache(maxsize=1)
def gemeenten() -> pd.DataFrame:
    """All 342 gemeenten of 2024: code, name, published population by sex, twente flag."""
    df = pd.read_csv(_data_file("nl_gemeenten.csv"), dtype={"gemeente_code": str})
    df["twente"] = df["twente"].astype(bool)
    return df.sort_values("gemeente_code", ignore_index=True)


@lru_cache(maxsize=1)
def wijken() -> pd.DataFrame:
    """All 3,393 wijken of 2024 with the published (rounded) population by sex."""
    df = pd.read_csv(_data_file("nl_wijken.csv"), dtype={"wijk_code": str, "gemeente_code": str})
    for col in ("aantal_inwoners_2024", "mannen_2024", "vrouwen_2024"):
        df[col] = df[col].fillna(0).astype("int64")
    return df.sort_values("wijk_code", ignore_index=True)


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total by weights with the largest-remainder method (exact sum)."""
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(np.int64)
    rest = total - int(out.sum())
    if rest:
        order = np.argsort(-(raw - out), kind="stable")
        out[order[:rest]] += 1
    return out


@lru_cache(maxsize=1)
def buurten() -> pd.DataFrame:
    """Synthetic buurten, BU + the wijk's 6 characters + S + 2 digits (never a CBS code, see
    `zicht.regions.codes`); their men and women add up to the wijk's."""
    rows = []
    for w in wijken().itertuples(index=False):
        people = int(w.mannen_2024) + int(w.vrouwen_2024)
        k = int(min(_MAX_BUURTEN, max(1, round(people / _BUURT_SIZE))))
        rng = np.random.default_rng([_BUURT_SEED, *w.wijk_code.encode()])
        weights = rng.dirichlet(np.full(k, 4.0))
        men = _split(int(w.mannen_2024), weights)
        women = _split(int(w.vrouwen_2024), weights)
        for i in range(k):
            rows.append(
                (
                    synthetic_buurt_code(w.wijk_code, i + 1),
                    f"{w.wijk_naam} - synthetische buurt {i + 1}",
                    w.wijk_code,
                    w.gemeente_code,
                    int(men[i]),
                    int(women[i]),
                )
            )
    return pd.DataFrame(
        rows, columns=["buurt_code", "buurt_naam", "wijk_code", "gemeente_code", "mannen", "vrouwen"]
    )


@lru_cache(maxsize=1)
def regions() -> pd.DataFrame:
    """Rows of the `Region` class: land, regio Twente, gemeenten, wijken and synthetic buurten."""
    g = gemeenten()
    w = wijken()
    b = buurten()
    parts = [
        pd.DataFrame(
            [
                {"id": NL_CODE, "name": "Nederland", "level": "land", "parent": None, "synthetic": False},
                {
                    "id": TWENTE_CODE,
                    "name": "Twente",
                    "level": "regio",
                    "parent": NL_CODE,
                    "synthetic": False,
                },
            ]
        ),
        pd.DataFrame(
            {
                "id": g["gemeente_code"],
                "name": g["gemeente_naam"],
                "level": "gemeente",
                "parent": np.where(g["twente"], TWENTE_CODE, NL_CODE),
                "synthetic": False,
            }
        ),
        pd.DataFrame(
            {
                "id": w["wijk_code"],
                "name": w["wijk_naam"],
                "level": "wijk",
                "parent": w["gemeente_code"],
                "synthetic": False,
            }
        ),
        pd.DataFrame(
            {
                "id": b["buurt_code"],
                "name": b["buurt_naam"],
                "level": "buurt",
                "parent": b["wijk_code"],
                "synthetic": True,
            }
        ),
    ]
    df = pd.concat(parts, ignore_index=True)
    df.insert(4, "year", REGION_YEAR)
    return df[["id", "name", "level", "parent", "year", "synthetic"]]


def gemeente_codes(region: str) -> list[str]:
    """The gemeenten of a run region: ``twente`` (14) or ``nl`` (342)."""
    g = gemeenten()
    if region == "twente":
        return g.loc[g["twente"], "gemeente_code"].tolist()
    if region == "nl":
        return g["gemeente_code"].tolist()
    raise InputError(f"unknown region {region!r}: use twente or nl")
