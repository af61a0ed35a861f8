"""`compare`: several definitions side by side per region, every count through one release step.

Flow: resolve and compile the definitions → one engine tabulation (groups with n and the sum of record
keys) → the true cells as arrays per region of every level (`tables.py`) → the release (`publish.py`:
cell-key perturbation by default, or LP-audited suppression) → published counts, rates, standardised
rates, overlaps, intersections, attrition, coverage flags and survey estimates, all derived from
published values only (`result.py`), with a run manifest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zicht.compare.coverage import NONE, Coverage
from zicht.compare.definitions import Selected, resolve, select
from zicht.compare.manifest import build_manifest
from zicht.compare.publish import MODES, PERTURB, Published, perturb
from zicht.compare.rates import Populations
from zicht.compare.regions import LEVELS, TOTAL, levels_down_to
from zicht.compare.result import ComparisonResult, CoverageGrid, assemble
from zicht.compare.survey import SurveyRules
from zicht.compare.tables import Tables, build_tables
from zicht.disclosure import DisclosureRules
from zicht.disclosure.ptable import PerturbationRules
from zicht.engines import DEFAULT_ENGINE, Engine, get_engine
from zicht.engines.in_memory import evaluate_logic
from zicht.engines.store import Store, open_store
from zicht.errors import InputError, ZichtError
from zicht.query_model.nodes import Criterion, DefinitionQuery
from zicht.query_model.transform import without_criterion
from zicht.regions.codes import TWENTE_CODE
from zicht.sql import scalar

if TYPE_CHECKING:
    import pandas as pd


def compare(
    store: Store | Path | str,
    definitions: Sequence[str | Mapping[str, Any]],
    reference_date: dt.date,
    level: str = "wijk",
    rules: DisclosureRules | None = None,
    survey_rules: SurveyRules | None = None,
    engine: str | Engine = DEFAULT_ENGINE,
    registry: Path | None = None,
    attrition_level: str | None = None,
    intersection_level: str | None = None,
    disclosure: str = PERTURB,
    perturbation: PerturbationRules | None = None,
) -> ComparisonResult:
    """Compare definitions (registry ids, `id@version`, or definition dicts) on a store at a reference date.

    `disclosure`: `perturb` (cell key method, `perturbation` rules) or `suppress` (`rules`: threshold,
    rounding, LP-audited secondary suppression). Attrition is reported down to `attrition_level` and
    UpSet intersections down to `intersection_level` (neither below `level`; default: `level` when
    perturbing, gemeente when suppressing, where every small cell costs complementary suppressions)."""
    if not isinstance(reference_date, dt.date) or isinstance(reference_date, dt.datetime):
        raise InputError(f"reference date must be a date, got {reference_date!r}")
    if disclosure not in MODES:
        raise InputError(f"unknown disclosure mode {disclosure!r} (choose {' or '.join(MODES)})")
    levels_down_to(level)  # an unknown level fails before any work
    default = level if disclosure == PERTURB else "gemeente"
    attrition_level = attrition_level or default
    intersection_level = intersection_level or default
    levels_down_to(attrition_level)
    levels_down_to(intersection_level)
    if LEVELS.index(attrition_level) > LEVELS.index(level):
        attrition_level = level
    if LEVELS.index(intersection_level) > LEVELS.index(level):
        intersection_level = level
    own = not isinstance(store, Store)
    st = store if isinstance(store, Store) else open_store(Path(store))
    try:
        return _compare(
            st,
            select(resolve(definitions, registry), st),
            reference_date,
            level,
            rules or DisclosureRules(),
            survey_rules or SurveyRules(),
            engine,
            attrition_level,
            intersection_level,
            disclosure,
            perturbation or PerturbationRules(),
        )
    finally:
        if own:
            st.close()


def _compare(
    store: Store,
    selected: list[Selected],
    reference_date: dt.date,
    level: str,
    rules: DisclosureRules,
    survey_rules: SurveyRules,
    engine_name: str | Engine,
    attrition_level: str,
    intersection_level: str,
    disclosure: str,
    perturbation: PerturbationRules,
) -> ComparisonResult:
    counted = [s for s in selected if not s.survey]
    surveyed = [s for s in selected if s.survey]
    if disclosure == PERTURB:
        _check_record_keys(store)
    engine = get_engine(engine_name) if isinstance(engine_name, str) else engine_name
    tables = _true_tables(
        store,
        engine,
        counted,
        surveyed,
        reference_date,
        level,
        intersection_level,
        attrition_level,
        disclosure,
    )
    published = _release(store, tables, disclosure, rules, perturbation)
    coverage = Coverage(store, reference_date)
    populations = Populations(store)
    standard = {}
    for s in counted:
        standard[s.query.id] = (
            populations.strata([populations.standard_code], s.query.population)
            if populations.standard_code
            else None
        )
    cov = CoverageGrid(
        [s.query.id for s in selected],
        *coverage.grid([s.query for s in selected], tables.regions.table, tables.regions.regio_members),
    )
    names = _region_names(store)
    manifest = build_manifest(
        store,
        selected,
        reference_date,
        level,
        attrition_level,
        intersection_level,
        published.rules,
        survey_rules,
        engine.name,
        populations,
        coverage,
    )
    return assemble(
        tables,
        published,
        names,
        cov,
        standard,
        survey_rules,
        manifest,
        dense_intersections=disclosure != PERTURB,
    )


def _true_tables(
    store: Store,
    engine: Engine,
    counted: list[Selected],
    surveyed: list[Selected],
    reference_date: dt.date,
    level: str,
    intersection_level: str,
    attrition_level: str,
    disclosure: str,
) -> Tables:
    """The engine's tabulation, summed per region into the comparison's true (unprotected) tables."""
    # only the residence levels the comparison shows (buurt groups would only be summed away)
    tab = engine.tabulate(
        store, [s.query for s in counted], [s.query for s in surveyed], reference_date, level=level
    )
    by_pattern = {
        s.query.id: _membership_by_pattern(s.query, tab.criteria[s.query.id])
        for s in counted
        if s.query.id in tab.criteria
    }
    return build_tables(
        tab,
        [s.query for s in counted],
        [s.query for s in surveyed],
        level,
        intersection_level,
        attrition_level,
        by_pattern,
        strata=disclosure == PERTURB,
        regio=disclosure == PERTURB,
    )


def _release(
    store: Store, tables: Tables, disclosure: str, rules: DisclosureRules, perturbation: PerturbationRules
) -> Published:
    """The published values of the true tables under the disclosure mode, with its rules and summary."""
    if disclosure == PERTURB:
        published = perturb(tables, perturbation)
    else:
        published = suppression()(tables, rules)
    published.rules["release_key_id"] = (store.manifest.get("release") or {}).get("release_key_id")
    published.rules["summary_nl"] = summary_nl(published.rules)
    return published


SUPPRESS_EXTRA = (
    "the suppression mode (--disclosure suppress) needs scipy and highspy for its LP audit, an optional "
    "extra: pip install 'zicht[suppress]'; the default release (perturb) does not"
)
_SUPPRESS_MODULES = ("scipy", "highspy")


def suppression() -> Callable[[Tables, DisclosureRules], Published]:
    """The LP-audited suppression (loaded on use: it needs scipy and highspy, the `suppress` extra)."""
    try:
        from zicht.compare.cells import suppress
    except ImportError as e:
        if not any((e.name or "").split(".")[0] == m or m in str(e) for m in _SUPPRESS_MODULES):
            raise
        raise ZichtError(SUPPRESS_EXTRA) from e
    return suppress


def _check_record_keys(store: Store) -> None:
    """Perturbation needs every person's record key: without them every cell key would be 0 and the
    deviation a function of the count alone (which a reader could undo)."""
    missing = scalar(store.con, "SELECT count(*) FROM person WHERE record_key IS NULL")
    if missing:
        raise InputError(
            f"store: {missing} persons have no record key; rebuild the store with `zicht harmonise` "
            "(store format 2) to publish perturbed counts, or use --disclosure suppress"
        )


def summary_nl(rules: dict[str, Any]) -> str:
    """The disclosure rules in one Dutch sentence, for the page footer."""
    if rules.get("mode") == PERTURB:
        blocked = rules.get("blocked_upto") or 0
        small = f" De waarden 1 t/m {blocked} komen niet voor." if blocked else ""
        return (
            f"Alle aantallen zijn licht verstoord (celsleutelmethode): bij elk aantal is een afwijking van "
            f"hoogstens {rules['max_deviation']} personen opgeteld (gemiddeld 0, variantie {rules['variance']:g}), "
            f"steeds dezelfde voor dezelfde personen, hoe de vraag ook luidt.{small} Nullen blijven 0. "
            "Delen tellen daardoor niet altijd precies op tot het totaal; cijfers per 1.000 inwoners, "
            "gestandaardiseerde cijfers, overlappen en schattingen zijn uit de verstoorde aantallen berekend."
        )
    return (
        f"Aantallen van 1 t/m {rules.get('threshold', 10) - 1} personen worden niet getoond; andere aantallen "
        "worden zo nodig ook weggelaten zodat een verborgen aantal niet uit totalen, overlappen of regio's "
        f"terug te rekenen is (op minder dan {rules.get('min_interval')} nauwkeurig); getoonde aantallen zijn "
        f"afgerond op {rules.get('rounding_base')}."
    )


def _membership_by_pattern(
    q: DefinitionQuery, crit: pd.DataFrame
) -> tuple[dict[int, bool], list[dict[int, bool]]]:
    """Membership per criterion pattern as the engine reported it (checked against the reference logic),
    and membership per pattern with each criterion dropped from the logic."""
    index = {c.id: j for j, c in enumerate(q.criteria)}
    patterns = sorted({int(p) for p in crit["pattern"]}) if len(crit) else []

    def holds_in(pattern: int) -> Callable[[Criterion], bool]:
        return lambda c: bool((pattern >> index[c.id]) & 1)

    member_of = {p: evaluate_logic(q.root, holds_in(p)) for p in patterns}
    for p, m in zip(crit["pattern"], crit["member"], strict=True):
        if bool(m) != member_of[int(p)]:
            raise RuntimeError(f"engine inconsistency in {q.id!r}: pattern {p} gives member={m}")
    member_without = []
    for c in q.criteria:
        tree = without_criterion(q.root, c.id)
        member_without.append(
            {p: True if tree is None else evaluate_logic(tree, holds_in(p)) for p in patterns}
        )
    return member_of, member_without


def _region_names(store: Store) -> dict[str, str]:
    regions = store.frame("region")
    names = dict(zip(regions["id"], regions["name"], strict=True))
    names[TOTAL] = "totaal"
    names.setdefault(TWENTE_CODE, "Twente")
    return names


__all__ = ["NONE", "compare"]
