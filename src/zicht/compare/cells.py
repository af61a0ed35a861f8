"""The suppression mode: the cells of a comparison with every linear relation a reader can use, through
the LP-audited suppression of `zicht.disclosure.protect`, read back into the release arrays.

Kinds of cells, each per region (all levels from total down to the chosen level):

* `count` (definition) — members; `both`, `only_a`, `only_b` (pair of definitions);
* `upset` (set of definitions) — persons in exactly that set of definitions (the UpSet bars). Published
  down to the intersection level and *withheld* below it: counts and pair cells are sums of them, so a
  reader can use those relations (a pair cell is bounded by the higher-order intersections it is made
  of) whether or not the intersections are shown, and the audit must see them;
* `meets`, `admits`, `removes` (definition, criterion) — criterion attrition;
* `atom` (definition, criterion pattern) — persons in the universe with exactly that pattern of met
  criteria. Atoms are never published: they are the parts that attrition numbers and counts are sums
  of, declared so that the audit sees every way published numbers combine (e.g. count = admits(a) +
  meets(b) for "a or b"), and so that small groups hidden in those combinations are protected too;
* `universe` (definition) — residents in the definition's age range (the rates' denominator);
* `respondents`, `survey_yes`, `survey_no` (survey definition): an estimate is published only when the
  respondents and the respondents who meet the definition are (estimate × respondents ≈ that count).

Relations: each cell of a region equals the sum of the same cell over its child regions; per region
count(A) = both(A,B) + only_a(A,B), count(B) = both + only_b, count(A) = Σ upset(S ∋ A),
both(A,B) = Σ upset(S ⊇ {A,B}), count(A) = Σ member atoms of A, each attrition cell = Σ its atoms,
respondents = survey_yes + survey_no. The standardised rate is not published in this mode (its
stratum counts are not protected).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zicht.compare.publish import Published, Values
from zicht.compare.tables import ATTRITION_PARTS, PAIR_PARTS, Attrition, Tables
from zicht.disclosure.problem import Constraint
from zicht.disclosure.protect import protect
from zicht.disclosure.rules import DisclosureRules

CELL_COLUMNS = [
    "cell_id",
    "kind",
    "level",
    "region_code",
    "definition",
    "other",
    "criterion",
    "value",
    "withheld",
]


@dataclass
class CellTable:
    regions: pd.DataFrame  # level, region_code, parent_code
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    _keys: dict[tuple[str, str, str, str], frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.level_of = dict(zip(self.regions["region_code"], self.regions["level"], strict=True))

    @staticmethod
    def cell_id(kind: str, region: str, definition: str, other: str = "", criterion: str = "") -> str:
        return f"{kind}|{region}|{definition}|{other}|{criterion}"

    def add_grid(
        self,
        kind: str,
        definition: str,
        other: str,
        criterion: str,
        values: np.ndarray,
        codes: Sequence[str] | None = None,
        withheld: bool | Sequence[bool] = False,
    ) -> list[str]:
        """One cell per region (values in the order of `codes`, default all regions); returns their ids.
        `withheld` cells are never published (one flag, or one per region)."""
        codes = list(self.regions["region_code"]) if codes is None else list(codes)
        flags = [withheld] * len(codes) if isinstance(withheld, bool) else list(withheld)
        ids = []
        for code, value, hidden in zip(codes, values, flags, strict=True):
            cid = self.cell_id(kind, code, definition, other, criterion)
            self.rows.append(
                (cid, kind, self.level_of[code], code, definition, other, criterion, int(value), bool(hidden))
            )
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
                self.relate(
                    self.cell_id(kind, parent, definition, other, criterion),
                    [self.cell_id(kind, k, definition, other, criterion) for k in kids],
                )

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=CELL_COLUMNS)


Ids = list[str]  # cell ids of one grid, one per region row (or per row of a sub-list of regions)


@dataclass
class CellIds:
    """The cell ids of each released table, by the shape the release arrays are read back in."""

    count: dict[str, Ids]  # definition -> per region row
    pair: list[list[Ids]]  # pair -> (both, only_a, only_b) -> per region row
    upset: dict[int, Ids]  # definition-set mask -> per region row
    universe: list[Ids]  # per definition -> per region row
    attrition: dict[str, list[list[Ids]]]  # definition -> criterion -> part -> per attrition row
    survey: dict[str, tuple[Ids, Ids, Ids]]  # definition -> (respondents, yes, no)


def suppress(t: Tables, rules: DisclosureRules) -> Published:
    """Protect every cell of the comparison in one call and return the published values."""
    cells = CellTable(t.regions.table)
    ids = _add_cells(cells, t)
    cells.add_nesting()
    protected = protect(cells.frame(), cells.constraints, rules)
    out = _read_back(t, ids, protected.table.set_index("cell_id")["published"])
    out.rules = {"mode": "suppress", **protected.rules}
    return out


def _add_cells(cells: CellTable, t: Tables) -> CellIds:
    """Every cell of the comparison with the relations between them (module docstring), in one order:
    intersections, counts, pairs, universes, attrition, survey."""
    ids = list(t.counted)
    bits = (
        ((t.masks[:, None] >> np.arange(len(ids))) & 1).astype(bool)
        if len(t.masks)
        else np.zeros((0, len(ids)), bool)
    )  # bits[k, i]: definition i is in the set of mask k
    upset_ids = _add_upset(cells, t)
    count_ids = {}
    for i, d in enumerate(ids):
        count_ids[d] = cells.add_grid("count", d, "", "", t.count.n[:, i])
        for r, total in enumerate(count_ids[d]):
            cells.relate(total, [upset_ids[int(x)][r] for x in t.masks[bits[:, i]]])
    pair_ids = []
    for k, (i, j) in enumerate(t.pairs):
        a, b = ids[i], ids[j]
        grid = [cells.add_grid(part, a, b, "", t.pair.n[:, k, p]) for p, part in enumerate(PAIR_PARTS)]
        pair_ids.append(grid)
        both_masks = t.masks[bits[:, i] & bits[:, j]]
        for r in range(t.regions.n):
            cells.relate(count_ids[a][r], [grid[0][r], grid[1][r]])
            cells.relate(count_ids[b][r], [grid[0][r], grid[2][r]])
            cells.relate(grid[0][r], [upset_ids[int(x)][r] for x in both_masks])
    universe_ids = [cells.add_grid("universe", d, "", "", t.universe.n[:, i]) for i, d in enumerate(ids)]
    attrition_ids = {d: _add_attrition(cells, d, att, count_ids[d]) for d, att in t.attrition.items()}
    survey_ids = {}
    for d, sv in t.survey.items():
        resp = cells.add_grid("respondents", d, "", "", sv.yes.n + sv.no.n)
        yes = cells.add_grid("survey_yes", d, "", "", sv.yes.n)
        no = cells.add_grid("survey_no", d, "", "", sv.no.n)
        for r in range(t.regions.n):
            cells.relate(resp[r], [yes[r], no[r]])
        survey_ids[d] = (resp, yes, no)
    return CellIds(count_ids, pair_ids, upset_ids, universe_ids, attrition_ids, survey_ids)


def _add_upset(cells: CellTable, t: Tables) -> dict[int, Ids]:
    """The exclusive intersections, one grid per definition set; withheld below the intersection level."""
    ids = list(t.counted)
    dense = np.zeros((t.regions.n, len(t.masks)), dtype=np.int64)
    dense[t.upset_region, t.upset_mask] = t.upset.n
    upset_rows = set(t.upset_rows.tolist())
    withheld = [r not in upset_rows for r in range(t.regions.n)]
    return {
        int(mask): cells.add_grid("upset", _set_name(ids, int(mask)), "", "", dense[:, k], withheld=withheld)
        for k, mask in enumerate(t.masks)
    }


def _add_attrition(cells: CellTable, d: str, att: Attrition, count_ids: Ids) -> list[list[Ids]]:
    """A definition's attrition cells and its (withheld) criterion-pattern atoms they and its count add up
    from, in the regions down to the attrition level."""
    codes = list(cells.regions["region_code"])
    rows = att.rows
    sub = [codes[r] for r in rows]
    atoms = {
        int(p): cells.add_grid("atom", d, "", str(int(p)), att.atoms.n[rows, k], sub, withheld=True)
        for k, p in enumerate(att.patterns)
    }
    member_patterns = [int(p) for p, m in zip(att.patterns, att.member_patterns, strict=True) if m]
    index = {code: r for r, code in enumerate(codes)}
    for pos, code in enumerate(sub):
        cells.relate(count_ids[index[code]], [atoms[p][pos] for p in member_patterns])
    grids = []
    for j, crit in enumerate(att.criteria):
        row = []
        for part_i, part in enumerate(ATTRITION_PARTS):
            ids_ = cells.add_grid(part, d, "", crit, att.cells.n[rows, j, part_i], sub)
            chosen = _attrition_patterns(att, j, part_i)
            for pos, total in enumerate(ids_):
                cells.relate(total, [atoms[p][pos] for p in chosen])
            row.append(ids_)
        grids.append(row)
    return grids


def _read_back(t: Tables, cell_ids: CellIds, published: pd.Series) -> Published:
    """The published values (cell id -> value, missing where suppressed) in the release arrays' shapes."""

    def values(ids: Any) -> Values:  # nested lists or an object array of cell ids
        got = published.reindex(np.asarray(ids, dtype=object).ravel())
        shown = got.notna().to_numpy()
        value = got.fillna(0).to_numpy(np.int64)
        shape = np.asarray(ids, dtype=object).shape
        return Values(value.reshape(shape), shown.reshape(shape))

    n_r = t.regions.n
    ids = list(t.counted)
    count = values(np.array([cell_ids.count[d] for d in ids], dtype=object).T.reshape(n_r, len(ids)))
    pair = (
        values(np.array(cell_ids.pair, dtype=object).transpose(2, 0, 1).reshape(n_r, len(t.pairs), 3))
        if t.pairs
        else Values(np.zeros((n_r, 0, 3), np.int64), np.zeros((n_r, 0, 3), bool))
    )
    upset_cells = [
        cell_ids.upset[int(t.masks[m])][r] for r, m in zip(t.upset_region, t.upset_mask, strict=True)
    ]
    upset = (
        values(np.array(upset_cells, dtype=object))
        if upset_cells
        else Values(np.zeros(0, np.int64), np.zeros(0, bool))
    )
    universe = values(np.array(cell_ids.universe, dtype=object).T.reshape(n_r, len(ids)))
    out = Published(count, pair, upset, universe, standardised=False)
    for d, grids in cell_ids.attrition.items():
        att = t.attrition[d]
        arr = np.empty((n_r, len(att.criteria), 3), dtype=object)  # None where no cell
        for j, row in enumerate(grids):
            for p, ids_ in enumerate(row):
                arr[att.rows, j, p] = ids_
        full = np.where(arr == None, "", arr)  # noqa: E711 - regions below the attrition level
        out.attrition[d] = values(full)
    for d, (resp, yes, no) in cell_ids.survey.items():
        out.respondents[d], out.survey_yes[d], out.survey_no[d] = values(resp), values(yes), values(no)
    return out


def _attrition_patterns(a: Attrition, j: int, part: int) -> list[int]:
    return [int(p) for p, s in zip(a.patterns, a.selection[:, 3 * j + part], strict=True) if s]


def _set_name(ids: Sequence[str], mask: int) -> str:
    return "&".join(d for i, d in enumerate(ids) if (mask >> i) & 1)
