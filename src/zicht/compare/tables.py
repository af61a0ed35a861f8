"""The true cells of a comparison as numpy arrays: a count `n` and a key sum `rk` per cell.

Everything is derived from the engine's (group, n, rk) frames without going back to persons: record
keys add up over disjoint groups, so a cell's key sum is the sum over the groups it is made of
(docs/disclosure.md). Cells, per region of every level from the total down to the comparison's level:

* `count` (region × definition), `pair` (region × pair × {both, only_a, only_b});
* `upset`: persons in exactly one set of definitions — sparse (region, mask) rows with n > 0;
* `attrition` per definition (region × criterion × {meets, admits, removes});
* `universe` (region × definition): residents in the definition's age range at the reference date,
  the denominator of the rates; `strata` for the standardised rate: members and residents per sex ×
  five-year band;
* `survey` per survey definition: respondents who meet it and who do not, with their design weights.

Regions get integer rows (`Regions`); sums use `np.bincount`, exact for `n` and, split into 16-bit
halves, for the key sums modulo 2**32 (all a cell key needs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zicht.compare.regions import LEVELS, TOTAL, UNKNOWN, levels_down_to
from zicht.disclosure.record_keys import KEY_MODULUS
from zicht.engines.base import Tabulation
from zicht.errors import InputError
from zicht.query_model.nodes import AgeRange, DefinitionQuery
from zicht.regions import catalogue
from zicht.regions.codes import TWENTE_CODE

BAND = 5
OPEN = 100  # ages above are counted at 100 (the open band of the population tables)
SEX_CODES = {"male": 0, "female": 1}
PAIR_PARTS = ("both", "only_a", "only_b")
ATTRITION_PARTS = ("meets", "admits", "removes")
_HALF = 1 << 16


@dataclass
class Sums:
    """Exact n and rk (mod 2**32) per cell, any shape."""

    n: np.ndarray
    rk: np.ndarray

    def __add__(self, other: Sums) -> Sums:
        return Sums(self.n + other.n, np.mod(self.rk + other.rk, KEY_MODULUS))


class Regions:
    """Every region from the total down to a level, with a row number, and each home's region per level.

    A home is a (gemeente, wijk, buurt) of residence as the engine reports it; a missing wijk or buurt
    becomes the explicit `<parent>-onbekend` region, as in `regions.rollup`."""

    def __init__(self, residents: pd.DataFrame, level: str, regio: bool = False) -> None:
        self.levels = levels_down_to(level)
        cols = ("gemeente", "wijk", "buurt")
        self._cats = [pd.Index(sorted(set(residents[c].dropna().unique())), dtype=object) for c in cols]
        self._sizes = [len(c) + 1 for c in self._cats]
        combined = self._combine(residents)
        self.home_keys = np.unique(combined)
        g, w, b = self._decode(self.home_keys)
        keys = _home_region_keys(g, w, b)
        _check_nesting(keys, self.levels)
        key_g = keys["gemeente"]
        # A regio (COROP region; Twente, CR12, is the one the catalogue knows) is an extra aggregate of
        # its gemeenten when the store holds all of them and more (a national store): its cells are sums
        # of the same (n, rk) as every other region's. Its gemeenten keep the total as their parent (the
        # nesting the suppression mode models); homes outside every regio have no regio row (-1).
        twente = set(catalogue.gemeente_codes("twente"))
        in_regio = np.isin(key_g, list(twente))
        self.regio = bool(regio and twente <= set(key_g[in_regio]) and not in_regio.all())
        self.row_levels = (("total", "regio") if self.regio else ("total",)) + self.levels[1:]
        self.regio_members = {TWENTE_CODE: sorted(set(key_g[in_regio]))} if self.regio else {}
        rows, self.home_region, self.level_rows = _region_rows(keys, self.levels, self.row_levels, in_regio)
        self.table = pd.DataFrame(rows, columns=["level", "region_code", "parent_code"])
        self.codes = self.table["region_code"].to_numpy(object)
        self.n = len(self.table)
        parent_index = pd.Index(self.table["region_code"]).get_indexer(self.table["parent_code"].fillna(""))
        # Codes are unique across levels except the unknowns' naming, which includes the parent.
        self.parent = np.where(self.table["parent_code"].isna(), -1, parent_index)

    def _combine(self, frame: pd.DataFrame) -> np.ndarray:
        out = np.zeros(len(frame), dtype=np.int64)
        for cat, size, col in zip(self._cats, self._sizes, ("gemeente", "wijk", "buurt"), strict=True):
            code = cat.get_indexer(frame[col].to_numpy(object)) + 1  # 0 = missing
            if (code == 0).any() and frame[col].notna().to_numpy()[code == 0].any():
                raise InputError(f"store: a {col} of residence is not among the residents' homes")
            out = out * size + code
        return out

    def _decode(self, combined: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        parts = []
        rest = combined.copy()
        for cat, size in zip(reversed(self._cats), reversed(self._sizes), strict=True):
            code = rest % size
            rest //= size
            vals = np.empty(len(code), dtype=object)
            vals[code > 0] = cat.to_numpy(object)[code[code > 0] - 1]
            vals[code == 0] = None
            parts.append(vals)
        b, w, g = parts
        return g, w, b

    def homes(self, frame: pd.DataFrame) -> np.ndarray:
        """Home index of every row of an engine frame."""
        combined = self._combine(frame)
        pos = np.searchsorted(self.home_keys, combined)
        if (
            len(pos)
            and (
                (pos >= len(self.home_keys))
                | (self.home_keys[np.minimum(pos, len(self.home_keys) - 1)] != combined)
            ).any()
        ):
            raise InputError("store: a person's residence is not among the residents' homes")
        return pos

    def rows_down_to(self, level: str) -> np.ndarray:
        return np.concatenate(
            [self.level_rows[lvl] for lvl in self.row_levels[: self.row_levels.index(level) + 1]]
        )

    def columns_down_to(self, level: str | None) -> range:
        """The `home_region` columns of the levels from the total down to `level` (None: all)."""
        return range(len(self.row_levels) if level is None else self.row_levels.index(level) + 1)

    def index(
        self, homes: np.ndarray, k: int, category: np.ndarray, n_categories: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cell index (region * n_categories + category) of each row at level column k, and which rows
        have a region there (all, except homes outside every regio)."""
        region = self.home_region[homes, k]
        has = region >= 0
        return (region * n_categories + category)[has], has

    def sparse_sum(
        self, homes: np.ndarray, category: np.ndarray, n_categories: int, n: np.ndarray, rk: np.ndarray
    ) -> tuple[np.ndarray, Sums]:
        """Like `sum`, but only the (region, category) cells with rows: (region * n_categories + category,
        sums), sorted by that index."""
        parts = [self.index(homes, k, category, n_categories) for k in self.columns_down_to(None)]
        index = np.concatenate([i for i, _ in parts])
        cells, inverse = np.unique(index, return_inverse=True)
        rk_mod = np.concatenate([np.mod(rk.astype(np.int64), KEY_MODULUS)[has] for _, has in parts])
        w_n = np.concatenate([n.astype(float)[has] for _, has in parts])
        hi = np.rint(
            np.bincount(inverse, weights=(rk_mod // _HALF).astype(float), minlength=len(cells))
        ).astype(np.int64)
        lo = np.rint(
            np.bincount(inverse, weights=(rk_mod % _HALF).astype(float), minlength=len(cells))
        ).astype(np.int64)
        out_n = np.rint(np.bincount(inverse, weights=w_n, minlength=len(cells)))
        return cells, Sums(out_n.astype(np.int64), np.mod(np.mod(hi, _HALF) * _HALF + lo, KEY_MODULUS))

    def sum(
        self,
        homes: np.ndarray,
        category: np.ndarray,
        n_categories: int,
        n: np.ndarray,
        rk: np.ndarray,
        down_to: str | None = None,
    ) -> Sums:
        """Regions × categories sums of n and rk over the rows (home, category) at every level (or down to
        `down_to`); regions below it are zero."""
        size = self.n * n_categories
        out_n = np.zeros(size, dtype=np.int64)
        hi = np.zeros(size, dtype=np.int64)
        lo = np.zeros(size, dtype=np.int64)
        rk_mod = np.mod(rk.astype(np.int64), KEY_MODULUS)
        w_hi, w_lo = (rk_mod // _HALF).astype(np.float64), (rk_mod % _HALF).astype(np.float64)
        w_n = n.astype(np.float64)
        for k in self.columns_down_to(down_to):
            index, has = self.index(homes, k, category, n_categories)
            out_n += np.rint(np.bincount(index, weights=w_n[has], minlength=size)).astype(np.int64)
            hi += np.rint(np.bincount(index, weights=w_hi[has], minlength=size)).astype(np.int64)
            lo += np.rint(np.bincount(index, weights=w_lo[has], minlength=size)).astype(np.int64)
        rk_out = np.mod(np.mod(hi, _HALF) * _HALF + lo, KEY_MODULUS)
        return Sums(out_n.reshape(self.n, n_categories), rk_out.reshape(self.n, n_categories))


@dataclass
class Attrition:
    criteria: tuple[str, ...]
    rows: np.ndarray  # region rows that carry attrition
    cells: Sums  # regions × criteria × 3 (meets, admits, removes)
    patterns: np.ndarray  # distinct criterion patterns (for the suppression mode's atoms)
    atoms: Sums  # regions × patterns
    member_patterns: np.ndarray  # bool per pattern
    selection: np.ndarray  # patterns × (criteria · 3): which patterns each attrition cell sums


@dataclass
class Survey:
    yes: Sums  # (regions,) respondents who meet the definition
    no: Sums
    sum_w_yes: np.ndarray
    sum_w_no: np.ndarray
    sum_w2_yes: np.ndarray
    sum_w2_no: np.ndarray


def _home_region_keys(g: np.ndarray, w: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """Each home's region code per level; a missing wijk or buurt is its parent's `-onbekend` region."""
    key_g = np.array([x if x is not None else UNKNOWN for x in g], dtype=object)
    key_w = np.array(
        [x if x is not None else f"{kg}-{UNKNOWN}" for x, kg in zip(w, key_g, strict=True)], dtype=object
    )
    key_b = np.array(
        [x if x is not None else f"{kw}-{UNKNOWN}" for x, kw in zip(b, key_w, strict=True)], dtype=object
    )
    return {"total": np.full(len(g), TOTAL, dtype=object), "gemeente": key_g, "wijk": key_w, "buurt": key_b}


def _check_nesting(keys: dict[str, np.ndarray], levels: Sequence[str]) -> None:
    """A wijk lies in one gemeente and a buurt in one wijk (down to the levels shown), else a clear error."""
    for child, parent in (("wijk", "gemeente"), ("buurt", "wijk")):
        if child not in levels:
            break
        frame = pd.DataFrame({"c": keys[child], "p": keys[parent]}).drop_duplicates()
        dup = frame[frame["c"].duplicated(keep=False)]
        if len(dup):
            code = dup["c"].iloc[0]
            where = sorted(dup.loc[dup["c"] == code, "p"])
            raise InputError(
                f"store: residence {code} lies in more than one {parent} ({', '.join(where)}); "
                "persons' residence codes must nest (buurt in wijk in gemeente)"
            )


def _region_rows(
    keys: dict[str, np.ndarray], levels: Sequence[str], row_levels: Sequence[str], in_regio: np.ndarray
) -> tuple[list[tuple[str, str, str | None]], np.ndarray, dict[str, np.ndarray]]:
    """The region rows level by level (level, code, parent code), each home's row per level, and each
    level's rows."""
    rows: list[tuple[str, str, str | None]] = []  # level, region code, parent code
    home_region, start = np.zeros((len(keys["total"]), len(row_levels)), dtype=np.int64), 0
    level_rows: dict[str, np.ndarray] = {}
    for k, lvl in enumerate(row_levels):
        if lvl == "regio":
            rows.append(("regio", TWENTE_CODE, TOTAL))
            home_region[:, k] = np.where(in_regio, start, -1)
            level_rows[lvl] = np.arange(start, start + 1)
            start += 1
            continue
        codes, inverse = np.unique(keys[lvl].astype(str), return_inverse=True)
        parent_of: dict[int, str] = {}
        if k:
            parent_keys = keys[levels[levels.index(lvl) - 1]]
            for code_i, p in zip(inverse, parent_keys, strict=True):
                parent_of.setdefault(int(code_i), p)
        for i, code in enumerate(codes):
            rows.append((lvl, str(code), parent_of.get(i) if k else None))
        home_region[:, k] = inverse + start
        level_rows[lvl] = np.arange(start, start + len(codes))
        start += len(codes)
    return rows, home_region, level_rows


@dataclass
class Tables:
    regions: Regions
    counted: tuple[str, ...]
    count: Sums  # regions × definitions
    pairs: list[tuple[int, int]]
    pair: Sums  # regions × pairs × 3
    upset_rows: np.ndarray  # region rows that carry intersections
    masks: np.ndarray  # distinct membership masks (sorted)
    upset_region: np.ndarray  # sparse intersections: region row, mask index, sums (only n > 0)
    upset_mask: np.ndarray
    upset: Sums
    universe: Sums  # regions × definitions
    member_strata: dict[str, Sums] = field(default_factory=dict)  # regions × 2 × bands
    resident_strata: dict[str, Sums] = field(default_factory=dict)
    attrition: dict[str, Attrition] = field(default_factory=dict)
    survey: dict[str, Survey] = field(default_factory=dict)


def _bands(age: AgeRange) -> tuple[int, int]:
    lo = min(age.age_min or 0, OPEN)
    hi = OPEN if age.age_max is None else min(age.age_max, OPEN)
    return lo, -(-(hi - lo + 1) // BAND)


def build_tables(
    tab: Tabulation,
    queries: Sequence[DefinitionQuery],
    surveyed: Sequence[DefinitionQuery],
    level: str,
    intersection_level: str,
    attrition_level: str,
    member_by_pattern: dict[str, tuple[dict[int, bool], list[dict[int, bool]]]],
    strata: bool = True,
    regio: bool = False,
) -> Tables:
    """The true sums of a comparison per region: intersections, and from them counts and pairs; then
    universes (and age-sex strata), attrition and survey answers."""
    regions = Regions(tab.residents, level, regio)
    ids = tab.counted
    d = len(ids)
    mem = tab.members
    m_homes = regions.homes(mem)
    masks, mask_idx = np.unique(mem["mask"].to_numpy(np.int64), return_inverse=True)
    upset_index, upset = regions.sparse_sum(
        m_homes, mask_idx, len(masks), mem["n"].to_numpy(np.int64), mem["rk"].to_numpy(np.int64)
    )
    upset_region, upset_mask = upset_index // max(len(masks), 1), upset_index % max(len(masks), 1)
    # counts and pairs from the sparse (region × mask) table: each is a sum over masks
    bits = ((masks[:, None] >> np.arange(d)) & 1).astype(bool) if len(masks) else np.zeros((0, d), bool)
    count = _select(upset_region, upset_mask, upset, regions.n, bits)
    pairs = [(i, j) for i in range(d) for j in range(i + 1, d)]
    a_idx = np.array([i for i, _ in pairs], dtype=np.int64)
    b_idx = np.array([j for _, j in pairs], dtype=np.int64)
    # only the persons in both are summed; only A = A - both and only B = B - both (key sums subtract too)
    both = _select(upset_region, upset_mask, upset, regions.n, bits[:, a_idx] & bits[:, b_idx])
    pair_n = np.stack([both.n, count.n[:, a_idx] - both.n, count.n[:, b_idx] - both.n], axis=2)
    pair_rk = np.mod(
        np.stack([both.rk, count.rk[:, a_idx] - both.rk, count.rk[:, b_idx] - both.rk], axis=2), KEY_MODULUS
    )
    tables = Tables(
        regions,
        ids,
        count,
        pairs,
        Sums(pair_n, pair_rk),
        regions.rows_down_to(intersection_level),
        masks,
        upset_region,
        upset_mask,
        upset,
        Sums(np.zeros((regions.n, d), dtype=np.int64), np.zeros((regions.n, d), dtype=np.int64)),
    )
    _add_universes(tables, tab, queries, m_homes, strata)
    for q in queries:
        crit = tab.criteria.get(q.id)
        if crit is None:
            continue
        tables.attrition[q.id] = _attrition(regions, q, crit, attrition_level, *member_by_pattern[q.id])
    for q in surveyed:
        tables.survey[q.id] = _survey(regions, tab.survey[q.id])
    return tables


def _add_universes(
    tables: Tables, tab: Tabulation, queries: Sequence[DefinitionQuery], m_homes: np.ndarray, strata: bool
) -> None:
    """Each definition's universe (residents in its age range) per region into `tables.universe`; with
    `strata`, residents and members per sex × age band too (for the standardised rates)."""
    regions = tables.regions
    res, mem = tab.residents, tab.members
    r_homes = regions.homes(res)
    r_age = res["age"].to_numpy("float64", na_value=np.nan)
    r_n, r_rk = res["n"].to_numpy(np.int64), res["rk"].to_numpy(np.int64)
    r_sex = res["sex"].map(SEX_CODES).to_numpy("float64", na_value=np.nan)
    mask = mem["mask"].to_numpy(np.int64)
    n = mem["n"].to_numpy(np.int64)
    rk = mem["rk"].to_numpy(np.int64)
    m_age = mem["age"].to_numpy("float64", na_value=np.nan)
    m_sex = mem["sex"].map(SEX_CODES).to_numpy("float64", na_value=np.nan)
    for i, q in enumerate(queries):
        inside = _in_range(r_age, q.population)
        s = regions.sum(
            r_homes[inside], np.zeros(int(inside.sum()), dtype=np.int64), 1, r_n[inside], r_rk[inside]
        )
        tables.universe.n[:, i], tables.universe.rk[:, i] = s.n[:, 0], s.rk[:, 0]
        if not strata:
            continue
        lo, n_bands = _bands(q.population)
        known = inside & ~np.isnan(r_sex)
        cat = (
            r_sex[known].astype(np.int64) * n_bands
            + (np.clip(r_age[known], 0, OPEN).astype(np.int64) - lo) // BAND
        )
        tables.resident_strata[q.id] = _reshape(
            regions.sum(r_homes[known], cat, 2 * n_bands, r_n[known], r_rk[known]), n_bands
        )
        member = ((mask >> i) & 1).astype(bool) & ~np.isnan(m_sex) & ~np.isnan(m_age)
        cat = (
            m_sex[member].astype(np.int64) * n_bands
            + (np.clip(m_age[member], 0, OPEN).astype(np.int64) - lo) // BAND
        )
        tables.member_strata[q.id] = _reshape(
            regions.sum(m_homes[member], cat, 2 * n_bands, n[member], rk[member]), n_bands
        )


def _reshape(s: Sums, n_bands: int) -> Sums:
    return Sums(s.n.reshape(-1, 2, n_bands), s.rk.reshape(-1, 2, n_bands))


def _in_range(age: np.ndarray, r: AgeRange) -> np.ndarray:
    ok = np.ones(len(age), dtype=bool)
    if r.age_min is not None:
        ok &= age >= r.age_min
    if r.age_max is not None:
        ok &= age <= r.age_max
    if r.age_min is not None or r.age_max is not None:
        ok &= ~np.isnan(age)
    return ok


_CHUNK = 1 << 22  # expanded (entry, selected column) pairs per pass: bounds the memory of `_select`


def _select(rows: np.ndarray, cols: np.ndarray, sums: Sums, n_rows: int, selection: np.ndarray) -> Sums:
    """Sparse (row, col) sums summed, per column of `selection` (cols × k, bool), over the selected cols:
    an n_rows × k table — a sparse product done as one `bincount` over every (entry, selected column)
    pair, so the work is that of the product (no dense regions × columns matrix). The float64 weights
    are exact: n and 16-bit key halves summed over fewer than 2**37 entries stay below 2**53."""
    k = selection.shape[1]
    size = n_rows * k
    sel_rows, sel_cols = np.nonzero(selection)  # row-major: each col's selected outputs are contiguous
    per_col = np.bincount(sel_rows, minlength=selection.shape[0])
    start = np.concatenate([[0], np.cumsum(per_col)[:-1]]).astype(np.int64)
    rk = np.mod(sums.rk, KEY_MODULUS)
    weights = (sums.n.astype(np.float64), (rk // _HALF).astype(np.float64), (rk % _HALF).astype(np.float64))
    totals = [np.zeros(size, dtype=np.float64) for _ in weights]
    reps = per_col[cols]
    ends = np.cumsum(reps)
    first = 0
    while first < len(cols):
        # entries [first, last) expand to at most _CHUNK pairs (at least one entry per pass)
        last = max(
            int(np.searchsorted(ends, (ends[first - 1] if first else 0) + _CHUNK, side="right")), first + 1
        )
        r = reps[first:last]
        entry = np.repeat(np.arange(first, last), r)
        offset = np.arange(len(entry)) - np.repeat(np.cumsum(r) - r, r)
        index = rows[entry] * k + sel_cols[start[cols[entry]] + offset]
        for total, w in zip(totals, weights, strict=True):
            total += np.bincount(index, weights=w[entry], minlength=size)
        first = last
    out_n, hi, lo = (np.rint(t).astype(np.int64).reshape(n_rows, k) for t in totals)
    return Sums(out_n, np.mod(np.mod(hi, _HALF) * _HALF + lo, KEY_MODULUS))


def _attrition(
    regions: Regions,
    q: DefinitionQuery,
    crit: pd.DataFrame,
    down_to: str,
    member_of: dict[int, bool],
    member_without: list[dict[int, bool]],
) -> Attrition:
    homes = regions.homes(crit)
    pattern = crit["pattern"].to_numpy(np.int64)
    patterns, idx = np.unique(pattern, return_inverse=True)
    atoms = regions.sum(
        homes,
        idx,
        len(patterns),
        crit["n"].to_numpy(np.int64),
        crit["rk"].to_numpy(np.int64),
        down_to=down_to,
    )
    atom_rows, atom_cols = np.nonzero(atoms.n)
    is_member = np.array([member_of[int(p)] for p in patterns], dtype=bool)
    sel = np.zeros((len(patterns), len(q.criteria) * 3), dtype=bool)
    for j in range(len(q.criteria)):
        without = np.array([member_without[j][int(p)] for p in patterns], dtype=bool)
        sel[:, 3 * j] = (patterns >> j) & 1 == 1
        sel[:, 3 * j + 1] = is_member & ~without
        sel[:, 3 * j + 2] = without & ~is_member
    c = _select(
        atom_rows,
        atom_cols,
        Sums(atoms.n[atom_rows, atom_cols], atoms.rk[atom_rows, atom_cols]),
        regions.n,
        sel,
    )
    cells = Sums(c.n.reshape(regions.n, len(q.criteria), 3), c.rk.reshape(regions.n, len(q.criteria), 3))
    return Attrition(
        tuple(c.id for c in q.criteria), regions.rows_down_to(down_to), cells, patterns, atoms, is_member, sel
    )


def _survey(regions: Regions, frame: pd.DataFrame) -> Survey:
    homes = regions.homes(frame)
    member = frame["member"].to_numpy(bool)
    cat = member.astype(np.int64)
    s = regions.sum(homes, cat, 2, frame["n"].to_numpy(np.int64), frame["rk"].to_numpy(np.int64))

    def weights(col: str) -> np.ndarray:
        out = np.zeros(regions.n * 2)
        for k in regions.columns_down_to(None):
            index, has = regions.index(homes, k, cat, 2)
            out += np.bincount(index, weights=frame[col].to_numpy(float)[has], minlength=regions.n * 2)
        return out.reshape(regions.n, 2)

    w, w2 = weights("sum_w"), weights("sum_w2")
    return Survey(
        Sums(s.n[:, 1], s.rk[:, 1]), Sums(s.n[:, 0], s.rk[:, 0]), w[:, 1], w[:, 0], w2[:, 1], w2[:, 0]
    )


__all__ = ["ATTRITION_PARTS", "LEVELS", "PAIR_PARTS", "Regions", "Sums", "Tables", "build_tables"]
