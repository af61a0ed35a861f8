"""The latent vulnerability model: correlated person-level factors calibrated per wijk.

Each adult has four standard-normal factors — psychological distress, loneliness, financial strain
and a severe-mental-illness propensity — with the correlations in `CORRELATION` (they cluster, as
in the Dutch monitors: distress, loneliness and money worries go together). The K10 score and the
De Jong Gierveld loneliness score are quantile transforms of the first two factors with cut points
taken from the wijk's RIVM/GGD health-monitor 2020 estimates (``nl_gezondheid_gemeente_wijk_2020.csv``,
every gemeente and wijk of NL: HoogRisicoOpAngstOfDepressie_25, MatigHoogRisicoOpAngstOfDepressie_24,
Eenzaam_28, ErnstigZeerErnstigEenzaam_29, MoeiteMetRondkomen_38) where the 2024 wijk code exists in the
2020 file, else the gemeente's, else (a gemeente formed after 2020) the national figure with a fixed
per-wijk variation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from zicht.synth.normal import ndtr, ndtri

FACTORS = ("psy", "lonely", "money", "severe")
CORRELATION = np.array(
    [
        [1.00, 0.45, 0.40, 0.55],
        [0.45, 1.00, 0.30, 0.30],
        [0.40, 0.30, 1.00, 0.30],
        [0.55, 0.30, 0.30, 1.00],
    ]
)
_CHOL = np.linalg.cholesky(CORRELATION)
INDICATORS = {
    "k10_high": "HoogRisicoOpAngstOfDepressie_25",
    "k10_moderate_or_high": "MatigHoogRisicoOpAngstOfDepressie_24",
    "lonely": "Eenzaam_28",
    "lonely_severe": "ErnstigZeerErnstigEenzaam_29",
    "money": "MoeiteMetRondkomen_38",
}


@lru_cache(maxsize=1)
def _monitor() -> pd.DataFrame:
    path = resources.files("zicht.data").joinpath("nl_gezondheid_gemeente_wijk_2020.csv")
    # CBS writes "." where it publishes no value (too few respondents)
    df = pd.read_csv(str(path), dtype={"Codering_3": str}, na_values=["."], skipinitialspace=True)
    df["Codering_3"] = df["Codering_3"].str.strip()
    df = df[df["leeftijdsgroep"] == "18+"].set_index("Codering_3")
    return (
        df[list(INDICATORS.values())].astype(float).rename(columns={v: k for k, v in INDICATORS.items()})
        / 100.0
    )


def national_indicators() -> pd.Series:
    """The national (NL01) monitor shares: the reference that wijk figures are scaled against."""
    return _monitor().loc["NL01"]


def wijk_indicators(wijk_codes: np.ndarray, gemeente: str) -> pd.DataFrame:
    """Per wijk the five monitor shares used for calibration, and where each came from."""
    mon = _monitor()
    national = mon.loc["NL01"]
    rows = []
    for code in wijk_codes:
        if code in mon.index and mon.loc[code].notna().all():
            values, origin = mon.loc[code], "wijk"
        elif gemeente in mon.index:
            values, origin = mon.loc[gemeente].fillna(national), "gemeente"
        else:
            # a gemeente formed after 2020 has no monitor figure: national share times a fixed wijk factor
            rng = np.random.default_rng([7, *code.encode()])
            values, origin = (national * float(np.exp(rng.normal(0, 0.18)))).clip(upper=0.95), "nl"
        values = values.fillna(national)
        rows.append({"wijk": code, **values.to_dict(), "origin": origin})
    return pd.DataFrame(rows).set_index("wijk")


@dataclass
class Latent:
    z: np.ndarray  # [n, 4] correlated standard normal factors (FACTORS order)
    k10: np.ndarray  # int, 10..50
    djg: np.ndarray  # int, 0..11
    money_problems: np.ndarray  # bool


def _piecewise_score(u: np.ndarray, cuts: list[tuple[np.ndarray, int, int]]) -> np.ndarray:
    """Map uniform u to an integer score: segment i spans quantiles [q_i, q_{i+1}) onto [lo_i, hi_i]."""
    out = np.zeros(len(u), dtype=np.int64)
    lower = np.zeros(len(u))
    for upper, lo, hi in cuts:
        inside = (u >= lower) & (u < upper)
        width = np.maximum(upper - lower, 1e-12)
        pos = (u - lower) / width
        out[inside] = lo + np.minimum(np.floor(pos * (hi - lo + 1)), hi - lo).astype(np.int64)[inside]
        lower = upper
    return out


def per_person(values: pd.Series, wijk_of_person: np.ndarray) -> np.ndarray:
    """``values.loc[wijk_of_person].to_numpy()``: a wijk figure for every person, looked up once per wijk
    (a label lookup per person costs seconds in a large gemeente)."""
    codes, wijken = pd.factorize(np.asarray(wijk_of_person, dtype=object))
    return values.loc[wijken].to_numpy()[codes]


def draw_latent(rng: np.random.Generator, wijk_of_person: np.ndarray, indicators: pd.DataFrame) -> Latent:
    n = len(wijk_of_person)
    z = rng.standard_normal((n, len(FACTORS))) @ _CHOL.T

    def ind(name: str) -> np.ndarray:
        return per_person(indicators[name], wijk_of_person)

    h = ind("k10_high")
    m = np.maximum(ind("k10_moderate_or_high"), h + 0.01)
    lonely = ind("lonely")
    severe = np.minimum(ind("lonely_severe"), lonely - 0.01)
    u_psy = ndtr(z[:, 0])
    u_lon = ndtr(z[:, 1])
    # K10: 10-15 none/low, 16-29 moderate, 30-50 high; shares per wijk as in the monitor
    k10 = _piecewise_score(u_psy, [(1 - m, 10, 15), (1 - h, 16, 29), (np.full(n, 1.0 + 1e-9), 30, 50)])
    # De Jong Gierveld 0-11: lonely from 3, (very) severely lonely from 9
    djg = _piecewise_score(u_lon, [(1 - lonely, 0, 2), (1 - severe, 3, 8), (np.full(n, 1.0 + 1e-9), 9, 11)])
    money = z[:, 2] > ndtri(1 - ind("money"))
    return Latent(z=z, k10=k10, djg=djg, money_problems=money)


def risk_threshold(p: np.ndarray) -> np.ndarray:
    """The threshold τ with P(N(0,1) > τ) = p, for a standard-normal risk score."""
    return ndtri(1 - np.clip(p, 1e-6, 0.95))
