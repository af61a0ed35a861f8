"""Care, support, benefit and report episodes per person, driven by the latent factors.

A domain has a standard-normal risk score (a weighted sum of the latent factors, rescaled to unit
variance, mixed with the domain's own noise so that the factors explain `SHARED` of its variance:
without that noise, domains loading on the same factor would select nearly the same persons) and a person takes part in the domain in 2022-2024 when the score exceeds the threshold
that gives the target probability for the person's age group, scaled by the wijk's monitor figure
(`DOMAINS`). Because domains share factors, they overlap as in reality. The targets are orders of
magnitude from published Dutch figures; docs/synthetic-data.md gives the sources.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zicht.synth.latent import CORRELATION, Latent, risk_threshold

DAY0 = np.datetime64("2022-01-01")
DAY_END = np.datetime64("2024-12-31")
PERIOD_DAYS = int((DAY_END - DAY0).astype(int)) + 1
_NAT = np.datetime64("NaT", "D")
# Share of a domain's risk variance explained by the latent factors (the rest is the domain's own).
SHARED = 0.6
# Persons above this SMI propensity (about the top 27 %) get multi-year trajectories where the domain has
# long_for_severe: it sets how many meet a "long specialised GGZ" criterion such as the EPA definition's.
LONG_CARE_SEVERITY = 0.6


@dataclass(frozen=True)
class Domain:
    name: str
    source: str  # source id, or "wmo" for the gemeente's Wmo code system
    p: tuple[tuple[int, int, float], ...]  # (age_min, age_max, probability of any episode in 2022-2024)
    loadings: tuple[float, float, float, float]  # on psy, lonely, money, severe
    wijk_indicator: str | None  # monitor share the probability scales with
    kinds: tuple[tuple[str, float], ...]
    episodes: tuple[int, int]  # min, max episodes per person
    duration: tuple[int, int] | None  # days (uniform between); None = point events
    open_share: float = 0.0  # share of episodes still running at the end of the period
    long_for_severe: bool = False  # persons with high "severe" get long (multi-year) episodes
    # Repeated point events (reports): (chronic share, reports per year of a chronic person). The persons
    # of the domain with the highest SMI propensity (the chronic share) report at that rate over the whole
    # period, the others once: most persons are seen once and the "known" ones many times (RIVM on E33,
    # 2016; zicht.synth.calibration measures it). Replaces `episodes`.
    recurrence: tuple[float, float] | None = None
    shared: float = 0.6  # share of the risk variance the latent factors explain (SHARED by default)


ADULT = 18
DOMAINS: tuple[Domain, ...] = (
    Domain(
        "ggz_basic",
        "zvw-ggz",
        ((18, 120, 0.045),),
        (0.85, 0.2, 0.1, 0.0),
        "k10_high",
        (("ggz.basic", 1.0),),
        (1, 2),
        (60, 240),
    ),
    Domain(
        "ggz_specialised",
        "zvw-ggz",
        ((18, 120, 0.050),),
        (0.55, 0.1, 0.1, 0.6),
        "k10_high",
        (("ggz.outpatient", 0.93), ("ggz.fact", 0.07)),
        (1, 2),
        (90, 420),
        0.25,
        True,
        # specialised GGZ is for severe and complex problems: it follows the SMI propensity more closely than
        # the default, which (with Wmo guidance) sets the EPA figure (zicht.synth.calibration: 16 per 1,000)
        shared=0.75,
    ),
    Domain(
        "ggz_inpatient",
        "zvw-ggz",
        ((18, 120, 0.006),),
        (0.3, 0.0, 0.1, 0.9),
        "k10_high",
        (("ggz.inpatient", 1.0),),
        (1, 2),
        (10, 90),
    ),
    Domain(
        "ggz_crisis",
        "zvw-ggz",
        ((18, 120, 0.010),),
        (0.5, 0.1, 0.2, 0.6),
        "k10_high",
        (("ggz.crisis", 1.0),),
        (1, 3),
        (1, 14),
    ),
    Domain(
        "wlz",
        "wlz-ggz",
        ((18, 120, 0.0018),),
        (0.1, 0.1, 0.1, 0.95),
        None,
        (("wlz.b", 0.6), ("wlz.w", 0.4)),
        (1, 1),
        (700, 1500),
        0.8,
    ),
    Domain(
        "wmo_guidance",
        "wmo",
        ((18, 120, 0.045),),
        (0.3, 0.2, 0.2, 0.8),
        "money",
        (("wmo.guidance_ind", 0.8), ("wmo.guidance_grp", 0.2)),
        (1, 2),
        (150, 800),
        0.45,
        True,
        # Guidance goes mostly to people with a severe, lasting disorder (the EPA consensus: "coordinated
        # care needed"); a larger shared part makes support follow the SMI propensity more closely.
        shared=0.92,
    ),
    Domain(
        "wmo_day",
        "wmo",
        ((18, 64, 0.010), (65, 120, 0.020)),
        (0.2, 0.3, 0.1, 0.6),
        None,
        (("wmo.day", 1.0),),
        (1, 1),
        (200, 900),
        0.5,
        shared=0.85,
    ),
    Domain(
        "wmo_sheltered",
        "wmo",
        ((18, 120, 0.0035),),
        (0.2, 0.1, 0.2, 0.9),
        None,
        (("wmo.sheltered", 1.0),),
        (1, 1),
        (365, 1400),
        0.7,
    ),
    Domain(
        "wmo_shelter",
        "wmo",
        ((18, 120, 0.0025),),
        (0.2, 0.1, 0.6, 0.5),
        "money",
        (("wmo.shelter", 1.0),),
        (1, 2),
        (20, 240),
    ),
    Domain(
        "wmo_household",
        "wmo",
        ((18, 64, 0.010), (65, 74, 0.05), (75, 120, 0.18)),
        (0.1, 0.4, 0.0, 0.1),
        None,
        (("wmo.household", 1.0),),
        (1, 1),
        (300, 1400),
        0.6,
    ),
    Domain(
        "youth",
        "jeugd",
        ((1, 20, 0.16),),
        (0.3, 0.0, 0.5, 0.2),
        "money",
        (
            ("youth.outpatient", 0.6),
            ("youth.mental", 0.25),
            ("youth.residential", 0.08),
            ("youth.protection", 0.07),
        ),
        (1, 2),
        (60, 500),
        0.25,
    ),
    Domain(
        "income",
        "participatiewet",
        # CBS: 406,000 on bijstand at the end of 2024, ~36 per 1,000 aged 18-66 on one day
        ((18, 66, 0.046),),
        (0.3, 0.1, 0.8, 0.3),
        "money",
        (("income", 1.0),),
        (1, 1),
        (180, 1400),
        0.6,
    ),
    Domain(
        "debt",
        "schuldhulp",
        # NVVK: ~75,000 registrations a year (5 per 1,000 adults start in a year)
        ((18, 120, 0.025),),
        (0.25, 0.05, 0.85, 0.1),
        "money",
        (("debt", 1.0),),
        (1, 2),
        (60, 700),
        0.3,
    ),
    Domain(
        "e33",
        "politie-e33",
        # 3-year probability for ages 12+. With the recurrence below about 46 % of them report in a given
        # year: ~2 persons per 1,000 residents (RIVM 2016: ~34,000 persons in 17.1 M); 21 % chronic at 2.8
        # reports a year give 1.8 reports per person, 38 % known from the year before, 2 in 3 seen once.
        ((12, 120, 0.0046),),
        (0.35, 0.1, 0.2, 0.7),
        "k10_high",
        (("police.e33", 1.0),),
        (1, 1),
        None,
        recurrence=(0.21, 2.8),
    ),
    Domain(
        "e14",
        "politie-e33",
        # RIVM 2016: about 5,000 E14 reports a year, i.e. ~0.3 per 1,000 residents
        ((12, 120, 0.0008),),
        (0.8, 0.3, 0.1, 0.3),
        "k10_high",
        (("police.e14", 1.0),),
        (1, 2),
        None,
    ),
    Domain(
        "meldpunt",
        "meldpunt",
        ((18, 120, 0.007),),
        (0.2, 0.35, 0.35, 0.5),
        "money",
        (
            ("meld.care", 0.35),
            ("meld.nuisance", 0.25),
            ("meld.hoarding", 0.08),
            ("meld.eviction", 0.10),
            ("meld.outreach", 0.22),
        ),
        (1, 1),
        None,
        recurrence=(0.15, 1.5),  # no national figure: the shape of E33, fewer repeats
    ),
)
DIAGNOSES = (  # (kind, weight for mild, weight for severe)
    ("dx.depressive", 0.34, 0.12),
    ("dx.anxiety", 0.24, 0.06),
    ("dx.trauma", 0.08, 0.08),
    ("dx.ocd", 0.03, 0.02),
    ("dx.neurodevelopmental", 0.12, 0.06),
    ("dx.eating", 0.03, 0.02),
    ("dx.substance", 0.05, 0.10),
    ("dx.personality", 0.05, 0.22),
    ("dx.bipolar", 0.02, 0.12),
    ("dx.psychotic", 0.01, 0.18),
    ("dx.other", 0.03, 0.02),
)


def _risk(
    rng: np.random.Generator, z: np.ndarray, loadings: tuple[float, ...], shared: float = SHARED
) -> np.ndarray:
    w = np.asarray(loadings)
    common = z @ w / np.sqrt(w @ CORRELATION @ w)
    return np.sqrt(shared) * common + np.sqrt(1 - shared) * rng.standard_normal(len(z))


def _probability(domain: Domain, age: np.ndarray, scale: np.ndarray) -> np.ndarray:
    p = np.zeros(len(age))
    for lo, hi, value in domain.p:
        p[(age >= lo) & (age <= hi)] = value
    return p * scale


def episodes(
    rng: np.random.Generator,
    age: np.ndarray,
    latent: Latent,
    wijk_scale: dict[str, np.ndarray],
) -> pd.DataFrame:
    """All episodes of one gemeente's residents: person, source, kind, start, end (NaT = running)."""
    frames = []
    severe = latent.z[:, 3]
    for domain in DOMAINS:
        scale = wijk_scale[domain.wijk_indicator] if domain.wijk_indicator else np.ones(len(age))
        p = _probability(domain, age, scale)
        who = np.flatnonzero(
            (p > 0) & (_risk(rng, latent.z, domain.loadings, domain.shared) > risk_threshold(p))
        )
        if who.size == 0:
            continue
        if domain.recurrence is not None:
            person, offset = _recurrent(rng, who, severe[who], domain.recurrence)
        else:
            n_ep = rng.integers(domain.episodes[0], domain.episodes[1] + 1, who.size)
            person = np.repeat(who, n_ep)
        kinds, weights = zip(*domain.kinds, strict=True)
        kind = rng.choice(np.array(kinds, dtype=object), person.size, p=np.asarray(weights) / sum(weights))
        if domain.recurrence is not None:
            start = DAY0 + offset.astype("timedelta64[D]")
            end = np.full(person.size, _NAT, dtype="datetime64[D]")
        elif domain.duration is None:
            start = DAY0 + rng.integers(0, PERIOD_DAYS, person.size).astype("timedelta64[D]")
            end = np.full(person.size, _NAT, dtype="datetime64[D]")
        else:
            lo, hi = domain.duration
            length = rng.integers(lo, hi + 1, person.size)
            # episodes may have started before the period (left-censored, as in a real extract)
            offset = rng.integers(-lo, PERIOD_DAYS, person.size)
            if domain.long_for_severe:
                long = severe[person] > LONG_CARE_SEVERITY
                length[long] = rng.integers(730, 1500, int(long.sum()))
                # chronic care often began years before the extract's period
                offset[long] = rng.integers(-1100, 365, int(long.sum()))
            start = DAY0 + offset.astype("timedelta64[D]")
            end = start + length.astype("timedelta64[D]")
            running = (rng.random(person.size) < domain.open_share) | (end > DAY_END)
            end = np.where(running, _NAT, end)
            # the extract shows care from 2021 on; episodes over before 2022 are not in the period
            start = np.maximum(start, DAY0 - np.timedelta64(365, "D"))
            inside = np.isnat(end) | (end >= DAY0)
            person, kind, start, end = person[inside], kind[inside], start[inside], end[inside]
        frames.append(
            pd.DataFrame(
                {"person": person, "source": domain.source, "kind": kind, "start": start, "end": end}
            )
        )
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["source", "person", "start", "kind"], kind="stable", ignore_index=True)


def _recurrent(
    rng: np.random.Generator, who: np.ndarray, severe: np.ndarray, recurrence: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Persons and day offsets (from DAY0) of repeated point events in the period; see Domain.recurrence."""
    chronic_share, per_year = recurrence
    n = who.size
    # the chronic ones are those with the highest SMI propensity (stable order for ties: deterministic)
    rank = np.argsort(-severe, kind="stable")
    chronic = np.zeros(n, bool)
    chronic[rank[: round(chronic_share * n)]] = True
    count = np.ones(n, np.int64)
    count[chronic] = np.maximum(1, rng.poisson(per_year * PERIOD_DAYS / 365.25, int(chronic.sum())))
    idx = np.repeat(np.arange(n), count)
    offset = rng.integers(0, PERIOD_DAYS, idx.size)
    return who[idx], offset


def diagnosis_of(rng: np.random.Generator, severe: np.ndarray) -> np.ndarray:
    """A main diagnosis group per person (more psychotic/personality/bipolar when `severe` is high)."""
    kinds = np.array([d[0] for d in DIAGNOSES], dtype=object)
    mild = np.array([d[1] for d in DIAGNOSES])
    heavy = np.array([d[2] for d in DIAGNOSES])
    is_heavy = severe > 1.0
    out = rng.choice(kinds, len(severe), p=mild / mild.sum())
    out[is_heavy] = rng.choice(kinds, int(is_heavy.sum()), p=heavy / heavy.sum())
    return out
