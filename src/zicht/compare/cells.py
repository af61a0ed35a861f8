"""The counts of a comparison as disclosure-control cells, with every linear relation between them.

Kinds of cells, each per region (all levels from total down to the chosen level):

* `count` (definition) — members; `both`, `only_a`, `only_b` (pair of definitions);
* `upset` (set of definitions) — persons in exactly that set of definitions (the UpSet bars);
* `meets`, `admits`, `removes` (definition, criterion) — criterion attrition;
* `atom` (definition, criterion pattern) — persons in the universe with exactly that pattern of met
  criteria. Atoms are never published: they are the parts that attrition numbers and counts are sums
  of, declared so that the audit sees every way published numbers combine (e.g. count = admits(a) +
  meets(b) for "a or b"), and so that small groups hidden in those combinations are protected too;
* `respondents` (survey definition).

Relations: each cell of a region equals the sum of the same cell over its child regions; per region
count(A) = both(A,B) + only_a(A,B), count(B) = both + only_b, count(A) = Σ upset(S ∋ A),
both(A,B) = Σ upset(S ⊇ {A,B}), count(A) = Σ member atoms of A, and each attrition cell = Σ its atoms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zicht.disclosure import Constraint

CELL_COLUMNS = ["cell_id", "kind", "level", "region_code", "definition", "other", "criterion", "value", "withheld"]
# Atoms are never published; disclosure control may use them as free complements (its `withheld` cells).
WITHHELD_KINDS = frozenset({"atom"})


@dataclass
class CellTable:
    regions: pd.DataFrame  # level, region_code, parent_code
    rows: list[tuple] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    _keys: dict[tuple[str, str, str, str], frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.level_of = dict(zip(self.regions["region_code"], self.regions["level"], strict=True))

    @staticmethod
    def cell_id(kind: str, region: str, definition: str, other: str = "", criterion: str = "") -> str:
        return f"{kind}|{region}|{definition}|{other}|{criterion}"

    def add_grid(self, kind: str, definition: str, other: str, criterion: str, values: np.ndarray,
                 codes: Sequence[str] | None = None) -> list[str]:
        """One cell per region (values in the order of `codes`, default all regions); returns their ids."""
        codes = list(self.regions["region_code"]) if codes is None else list(codes)
        ids = []
        for code, value in zip(codes, values, strict=True):
            cid = self.cell_id(kind, code, definition, other, criterion)
            self.rows.append((cid, kind, self.level_of[code], code, definition, other, criterion, int(value),
                              kind in WITHHELD_KINDS))
            ids.append(cid)
        self._keys[(kind, definition, other, criterion)] = frozenset(codes)
        return ids

    def relate(self, total: str, parts: Sequence[str]) -> None:
        if parts:
            self.constraints.append(Constraint(total, tuple(parts)))

    def add_nesting(self) -> None:
        children: dict[str, list[str]] = defaultdict(list)
        for code, parent in zip(self.regions["region_code"], self.regions["parent_code"], strict=True):
            if isinstance(parent, str):
                children[parent].append(code)
        for (kind, definition, other, criterion), present in sorted(self._keys.items()):
            for parent, kids in sorted(children.items()):
                if parent not in present or not all(k in present for k in kids):
                    continue
                self.relate(self.cell_id(kind, parent, definition, other, criterion),
                            [self.cell_id(kind, k, definition, other, criterion) for k in kids])

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=CELL_COLUMNS)


def matrix(rolled: pd.DataFrame, regions: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Regions × distinct values of `column` with the summed `n` (zeros where absent)."""
    keys = np.array(sorted(rolled[column].unique()), dtype=np.int64)
    out = np.zeros((len(regions), len(keys)), dtype=np.int64)
    if len(keys):
        pos_r = pd.Index(regions["region_code"]).get_indexer(rolled["region_code"])
        pos_k = pd.Index(keys).get_indexer(rolled[column].astype(np.int64))
        np.add.at(out, (pos_r, pos_k), rolled["n"].to_numpy(np.int64))
    return keys, out


def add_membership(cells: CellTable, ids: Sequence[str], rolled: pd.DataFrame,
                   upset_codes: Sequence[str] | None = None) -> None:
    """count, pairwise and UpSet cells from membership masks (rolled up: region_code, mask, n).

    UpSet intersections are made only for the regions in `upset_codes` (default all). Leaving them out
    below a level loses no relation between the published cells there: counts and pairwise cells are
    independent functions of the exclusive intersections apart from the relations declared here."""
    masks, m = matrix(rolled, cells.regions, "mask")
    all_codes = list(cells.regions["region_code"])
    upset_codes = all_codes if upset_codes is None else list(upset_codes)
    rows = [all_codes.index(c) for c in upset_codes]
    upset_row = {r: k for k, r in enumerate(rows)}
    upset = {int(mask): cells.add_grid("upset", _set_name(ids, int(mask)), "", "", m[rows, k], upset_codes)
             for k, mask in enumerate(masks)}
    counts = {}
    for i, d in enumerate(ids):
        has = (masks >> i) & 1 == 1
        counts[d] = cells.add_grid("count", d, "", "", m[:, has].sum(axis=1))
        for r, total in enumerate(counts[d]):
            if r in upset_row:
                cells.relate(total, [upset[int(x)][upset_row[r]] for x in masks[has]])
    for i, a in enumerate(ids):
        for j in range(i + 1, len(ids)):
            b = ids[j]
            in_a, in_b = (masks >> i) & 1 == 1, (masks >> j) & 1 == 1
            both = cells.add_grid("both", a, b, "", m[:, in_a & in_b].sum(axis=1))
            only_a = cells.add_grid("only_a", a, b, "", m[:, in_a & ~in_b].sum(axis=1))
            only_b = cells.add_grid("only_b", a, b, "", m[:, ~in_a & in_b].sum(axis=1))
            for r in range(len(cells.regions)):
                cells.relate(counts[a][r], [both[r], only_a[r]])
                cells.relate(counts[b][r], [both[r], only_b[r]])
                if r in upset_row:
                    cells.relate(both[r], [upset[int(x)][upset_row[r]] for x in masks[in_a & in_b]])


def add_attrition(cells: CellTable, definition: str, criteria: Sequence[str], rolled: pd.DataFrame,
                  member_of: dict[int, bool], member_without: Sequence[dict[int, bool]],
                  regions: pd.DataFrame) -> None:
    """Atoms per criterion pattern and meets/admits/removes per criterion (rolled: region_code, pattern, n).

    `member_of[p]`: membership for pattern p; `member_without[j][p]`: membership when criterion j is
    dropped from the logic."""
    codes = list(regions["region_code"])
    rolled = rolled[rolled["region_code"].isin(codes)]
    patterns, m = matrix(rolled, regions, "pattern")
    atoms = {int(p): cells.add_grid("atom", definition, "", str(int(p)), m[:, k], codes) for k, p in enumerate(patterns)}
    count_ids = [cells.cell_id("count", code, definition) for code in codes]
    members = [int(p) for p in patterns if member_of[int(p)]]
    for r, total in enumerate(count_ids):
        cells.relate(total, [atoms[p][r] for p in members])
    for j, crit in enumerate(criteria):
        sets = {
            "meets": [int(p) for p in patterns if (int(p) >> j) & 1],
            "admits": [int(p) for p in patterns if member_of[int(p)] and not member_without[j][int(p)]],
            "removes": [int(p) for p in patterns if member_without[j][int(p)] and not member_of[int(p)]],
        }
        for kind, chosen in sets.items():
            cols = [k for k, p in enumerate(patterns) if int(p) in chosen]
            ids = cells.add_grid(kind, definition, "", crit, m[:, cols].sum(axis=1), codes)
            for r, total in enumerate(ids):
                cells.relate(total, [atoms[p][r] for p in chosen])


def add_respondents(cells: CellTable, definition: str, rolled: pd.DataFrame) -> None:
    values = rolled.groupby("region_code")["n"].sum().reindex(cells.regions["region_code"], fill_value=0)
    cells.add_grid("respondents", definition, "", "", values.to_numpy())


def _set_name(ids: Sequence[str], mask: int) -> str:
    return "&".join(d for i, d in enumerate(ids) if (mask >> i) & 1)
