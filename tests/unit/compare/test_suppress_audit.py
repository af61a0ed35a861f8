"""The suppression mode must hold against a reader who knows that every count and pair cell is a sum of
exclusive (UpSet) intersections, also in wijken where those intersections are not published (issue #16:
pair cells modelled without the higher-order intersections let an attacker narrow both(A, B) from
[1, 41] to [1, 10]). The attacker here is written apart from the code under test: unknowns are the
intersections per wijk, everything published is a linear equation on them, and an LP bounds each
suppressed cell."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from tests.unit.compare.helpers import E33, GGZ, MULTI, R, tables
from zicht.compare import compare
from zicht.disclosure import DisclosureRules
from zicht.engines import store_from_frames

DEFS = (GGZ, E33, MULTI)


def _bigger_store() -> dict[str, pd.DataFrame]:
    """The helper store with 300 more persons, so that some wijk cells are large and some small. (This
    seed gives a table where modelling the pair cells without the unpublished wijk intersections lets
    the attacker pin only_b(GGZ, multi-domain) in WK1 to exactly 7.)"""
    data = tables()
    shares = np.random.default_rng(1014).uniform(0.02, 0.4, 3)
    rng = np.random.default_rng(14)
    persons = [data["person"]]
    events = [data["event"]]
    extra_p, extra_e = [], []
    for i in range(100, 400):
        wijk = ("WK1", "WK2", "WK3")[i % 3]
        extra_p.append(
            {
                "id": f"p{i:03d}",
                "sex": "male",
                "birth_year": 1984,
                "residence_gemeente": "GM2" if wijk == "WK3" else "GM1",
                "residence_wijk": wijk,
                "residence_buurt": None,
            }
        )
        for (source, concept), share in zip(
            (
                ("zvw-ggz", "zc:ggz_specialised_outpatient"),
                ("politie-e33", "zc:safety_e33"),
                ("schuldhulp", "zc:context_debt_counselling"),
            ),
            shares,
            strict=True,
        ):
            if rng.random() < share:
                extra_e.append(
                    {
                        "id": f"{source}-x{i}",
                        "person_id": f"p{i:03d}",
                        "source_id": source,
                        "concept": concept,
                        "start_date": R.replace(month=6, day=1),
                        "end_date": R.replace(month=6, day=1),
                    }
                )
    data["person"] = pd.concat([*persons, pd.DataFrame(extra_p)], ignore_index=True)
    data["event"] = pd.concat([*events, pd.DataFrame(extra_e)], ignore_index=True)
    return data


def test_no_suppressed_cell_narrows_below_the_interval_given_the_intersections():
    store = store_from_frames(_bigger_store())
    try:
        result = compare(
            store,
            list(DEFS),
            R,
            "wijk",
            rules=DisclosureRules(rounding_base=1),
            disclosure="suppress",
            attrition_level="gemeente",
            intersection_level="gemeente",
        )
    finally:
        store.close()
    counts, pairs = result.counts, result.pairs
    wijken = {"GM1": ["WK1", "WK2"], "GM2": ["WK3"]}
    masks = list(range(1, 8))
    var = {
        (w, m): k
        for k, (w, m) in enumerate(itertools.product([w for ws in wijken.values() for w in ws], masks))
    }
    ids = [result.manifest["definitions"][i]["id"] for i in range(3)]
    bit = {d: 1 << i for i, d in enumerate(ids)}

    def row(regions: list[str], pred) -> np.ndarray:
        a = np.zeros(len(var))
        for w in regions:
            for m in masks:
                if pred(m):
                    a[var[(w, m)]] = 1
        return a

    def members(region: str) -> list[str]:
        return (
            wijken.get(region, [region]) if region != "totaal" else [w for ws in wijken.values() for w in ws]
        )

    facts = []  # (coefficients, published value or None = suppressed)
    for r in counts.itertuples(index=False):
        if r.count_status == "no_source":
            continue
        facts.append(
            (
                row(members(r.region_code), lambda m, d=r.definition: bool(m & bit[d])),
                None if pd.isna(r.count) else int(r.count),
                (r.region_code, r.definition),
            )
        )
    for p in pairs.itertuples(index=False):
        a, b = bit[p.definition_a], bit[p.definition_b]
        for part, pred in (
            ("both", lambda m, a=a, b=b: m & a and m & b),
            ("only_a", lambda m, a=a, b=b: m & a and not m & b),
            ("only_b", lambda m, a=a, b=b: not m & a and m & b),
        ):
            status = getattr(p, f"{part}_status")
            if status == "no_source":
                continue
            value = getattr(p, part)
            facts.append(
                (
                    row(members(p.region_code), pred),
                    None if pd.isna(value) else int(value),
                    (p.region_code, p.definition_a, p.definition_b, part),
                )
            )
    for i in result.intersections.itertuples(index=False):
        if i.count_status == "no_source" or pd.isna(i.count):
            continue
        m_exact = sum(bit[d] for d in i.definitions.split("&"))
        facts.append(
            (
                row(members(i.region_code), lambda m, e=m_exact: m == e),
                int(i.count),
                (i.region_code, i.definitions),
            )
        )
    a_eq = np.array([f[0] for f in facts if f[1] is not None])
    b_eq = np.array([f[1] for f in facts if f[1] is not None], dtype=float)
    hidden = [f for f in facts if f[1] is None]
    a_ub = np.array([-f[0] for f in hidden]) if hidden else None  # a suppressed cell is at least 1
    b_ub = -np.ones(len(hidden)) if hidden else None
    assert hidden, "the case must suppress something"
    for coef, _, name in hidden:
        bounds = []
        for sign in (1, -1):
            res = linprog(
                sign * coef, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
            )
            assert res.status in (0, 3), res.message  # 3: unbounded, the cell can be any size
            bounds.append(sign * res.fun if res.status == 0 else np.inf)
        lo, hi = np.ceil(bounds[0] - 1e-6), np.floor(bounds[1] + 1e-6)
        assert hi - lo >= 10, (name, lo, hi)
