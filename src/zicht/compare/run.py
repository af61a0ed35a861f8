"""`compare`: several definitions side by side per region, every count through disclosure control.

Flow: resolve and compile the definitions → one engine tabulation → roll up per region (total,
gemeente, wijk, buurt) → disclosure cells with all their relations (`cells.py`) → `protect` →
published counts, rates, overlaps, intersections, attrition, coverage flags and survey estimates,
with a run manifest. Rates and intervals are computed only where the counts they rest on are published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from zicht.compare import cells as cellmod
from zicht.compare.coverage import NONE, Coverage
from zicht.compare.definitions import Selected, resolve, select
from zicht.compare.manifest import build_manifest
from zicht.compare.rates import Populations, crude_rate, member_strata, standardised_rate
from zicht.compare.regions import LEVELS, TOTAL, UNKNOWN, levels_down_to, region_tree, rollup, with_keys
from zicht.compare.result import ComparisonResult, assemble
from zicht.compare.survey import SurveyRules, estimates
from zicht.disclosure import DisclosureRules, protect
from zicht.engines import DEFAULT_ENGINE, get_engine
from zicht.engines.in_memory import evaluate_logic
from zicht.engines.store import Store, open_store
from zicht.errors import InputError
from zicht.query_model.nodes import DefinitionQuery
from zicht.query_model.transform import without_criterion


def compare(store: Store | Path | str, definitions: Sequence[str | Mapping[str, Any]], reference_date: dt.date,
            level: str = "wijk", rules: DisclosureRules | None = None, survey_rules: SurveyRules | None = None,
            engine: str = DEFAULT_ENGINE, registry: Path | None = None,
            attrition_level: str = "gemeente", intersection_level: str = "gemeente") -> ComparisonResult:
    """Compare definitions (registry ids, `id@version`, or definition dicts) on a store at a reference date.

    Attrition is reported down to `attrition_level` and UpSet intersections down to
    `intersection_level` (neither below `level`): both bring many small cells into the disclosure
    problem, which then grows quickly per wijk and buurt and suppresses far more than it needs to."""
    if not isinstance(reference_date, dt.date) or isinstance(reference_date, dt.datetime):
        raise InputError(f"reference date must be a date, got {reference_date!r}")
    levels_down_to(level)  # an unknown level fails before any work
    levels_down_to(attrition_level)
    levels_down_to(intersection_level)
    if LEVELS.index(attrition_level) > LEVELS.index(level):
        attrition_level = level
    if LEVELS.index(intersection_level) > LEVELS.index(level):
        intersection_level = level
    own = not isinstance(store, Store)
    st = open_store(Path(store)) if own else store
    try:
        return _compare(st, select(resolve(definitions, registry), st), reference_date, level,
                        rules or DisclosureRules(), survey_rules or SurveyRules(), engine, attrition_level,
                        intersection_level)
    finally:
        if own:
            st.close()


def _compare(store: Store, selected: list[Selected], reference_date: dt.date, level: str, rules: DisclosureRules,
             survey_rules: SurveyRules, engine_name: str, attrition_level: str,
             intersection_level: str) -> ComparisonResult:
    counted = [s for s in selected if not s.survey]
    surveyed = [s for s in selected if s.survey]
    engine = get_engine(engine_name)
    tab = engine.tabulate(store, [s.query for s in counted], [s.query for s in surveyed], reference_date)
    regions = region_tree(tab.residents, level)
    ids = tab.counted

    members = rollup(with_keys(tab.members), ["sex", "age", "mask"], ["n"], level) if len(tab.members) else \
        pd.DataFrame(columns=["level", "region_code", "parent_code", "sex", "age", "mask", "n"])
    cells = cellmod.CellTable(regions)
    attrition_regions = regions[regions["level"].isin(levels_down_to(attrition_level))].reset_index(drop=True)
    upset_codes = regions.loc[regions["level"].isin(levels_down_to(intersection_level)), "region_code"]
    cellmod.add_membership(cells, ids, members.groupby(["region_code", "mask"], as_index=False)["n"].sum(),
                           upset_codes.tolist())
    for s in counted:
        crit = tab.criteria[s.query.id]
        rolled = rollup(with_keys(crit), ["pattern", "member"], ["n"], level) if len(crit) else \
            pd.DataFrame(columns=["level", "region_code", "parent_code", "pattern", "member", "n"])
        member_of, member_without = _membership_by_pattern(s.query, crit)
        cellmod.add_attrition(cells, s.query.id, [c.id for c in s.query.criteria],
                              rolled.groupby(["region_code", "pattern"], as_index=False)["n"].sum(),
                              member_of, member_without, attrition_regions)
    survey_rolled = {}
    for s in surveyed:
        sv = tab.survey[s.query.id]
        survey_rolled[s.query.id] = rollup(with_keys(sv), ["member"], ["n", "sum_w", "sum_w2"], level) if len(sv) \
            else pd.DataFrame(columns=["level", "region_code", "parent_code", "member", "n", "sum_w", "sum_w2"])
        cellmod.add_respondents(cells, s.query.id, survey_rolled[s.query.id])
    cells.add_nesting()
    protected = protect(cells.frame(), cells.constraints, rules)

    coverage = Coverage(store, reference_date)
    populations = Populations(store)
    extras = _rates(counted, members, regions, populations, protected.table)
    cov = coverage.frame([s.query for s in selected], regions)
    est = {sid: estimates(r) for sid, r in survey_rolled.items()}
    names = _region_names(store)
    manifest = build_manifest(store, selected, reference_date, level, attrition_level, intersection_level, protected.rules, survey_rules, engine.name,
                              populations, coverage)
    return assemble(protected.table, regions, names, cov, extras, est, survey_rules, manifest)


def _membership_by_pattern(q: DefinitionQuery, crit: pd.DataFrame) -> tuple[dict[int, bool], list[dict[int, bool]]]:
    """Membership per criterion pattern as the engine reported it (checked against the reference logic),
    and membership per pattern with each criterion dropped from the logic."""
    index = {c.id: j for j, c in enumerate(q.criteria)}
    patterns = sorted({int(p) for p in crit["pattern"]}) if len(crit) else []

    def holds_in(pattern: int):
        return lambda c: bool((pattern >> index[c.id]) & 1)

    member_of = {p: evaluate_logic(q.root, holds_in(p)) for p in patterns}
    for p, m in zip(crit["pattern"], crit["member"], strict=True):
        if bool(m) != member_of[int(p)]:
            raise RuntimeError(f"engine inconsistency in {q.id!r}: pattern {p} gives member={m}")
    member_without = []
    for c in q.criteria:
        tree = without_criterion(q.root, c.id)
        member_without.append({p: True if tree is None else evaluate_logic(tree, holds_in(p)) for p in patterns})
    return member_of, member_without


def _rates(counted: list[Selected], members: pd.DataFrame, regions: pd.DataFrame, populations: Populations,
           table: pd.DataFrame) -> pd.DataFrame:
    """population, rate_per_1000 and standardised_rate_per_1000 per (region, counted definition)."""
    published = table.loc[table["kind"] == "count"].set_index(["region_code", "definition"])["published"]
    gemeenten = regions.loc[regions["level"] == "gemeente", "region_code"].tolist()
    standard_code = populations.standard_code
    rows = []
    for i, s in enumerate(counted):
        age = s.query.population
        standard = populations.strata([standard_code], age) if standard_code else None
        in_def = members[(members["mask"].to_numpy(dtype="int64") >> i) & 1 == 1] if len(members) else members
        by_region = {code: g for code, g in in_def.groupby("region_code")} if len(in_def) else {}
        for r in regions.itertuples(index=False):
            codes = gemeenten if r.region_code == TOTAL else [r.region_code]
            unknown = r.region_code.endswith(UNKNOWN)
            pop = None if unknown else populations.total(codes, age)
            count = published.get((r.region_code, s.query.id))
            rate = crude_rate(None if pd.isna(count) else count, pop)
            dsr = None
            if rate is not None:
                region_members = by_region.get(r.region_code, members.iloc[0:0])
                dsr = standardised_rate(member_strata(region_members, age), populations.strata(codes, age), standard)
            rows.append((r.region_code, s.query.id, None if pop is None else round(pop), rate, dsr))
    out = pd.DataFrame(rows, columns=["region_code", "definition", "population", "rate_per_1000",
                                      "standardised_rate_per_1000"])
    return out.astype({"population": "Int64", "rate_per_1000": "Float64", "standardised_rate_per_1000": "Float64"})


def _region_names(store: Store) -> dict[str, str]:
    regions = store.frame("region")
    names = dict(zip(regions["id"], regions["name"], strict=True))
    names[TOTAL] = "totaal"
    return names


__all__ = ["NONE", "compare"]
