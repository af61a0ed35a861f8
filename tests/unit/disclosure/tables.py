"""Comparison-shaped count tables for the disclosure tests and benchmark.

A table is built the way ``zicht compare`` builds one: per leaf region the persons fall into exclusive
intersections of the definitions (UpSet cells: "in exactly A and C"); every other cell is a sum of those
(definition counts, pairwise "both", "only A", "only B", the union), and every region above the leaves
sums its children. The constraints state all of these relations, so they overlap and nest.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from zicht.disclosure import Constraint

Tree = dict[str, list[str]]  # parent region -> child regions


def _subsets(definitions: list[str]) -> list[tuple[str, ...]]:
    return [s for size in range(1, len(definitions) + 1) for s in combinations(definitions, size)]


def pattern_probabilities(definitions: list[str], rng: np.random.Generator) -> np.ndarray:
    """Probabilities of each exclusive intersection (and, last, of none): a two-class latent mixture."""
    high = rng.uniform(0.2, 0.6, len(definitions))
    low = rng.uniform(0.002, 0.02, len(definitions))
    share_vulnerable = 0.05
    probabilities = []
    for subset in _subsets(definitions):
        inside = np.array([d in subset for d in definitions])
        p_high = np.prod(np.where(inside, high, 1 - high))
        p_low = np.prod(np.where(inside, low, 1 - low))
        probabilities.append(share_vulnerable * p_high + (1 - share_vulnerable) * p_low)
    probabilities.append(1 - sum(probabilities))
    return np.array(probabilities)


def comparison_table(
    tree: Tree,
    leaves: dict[str, int],
    definitions: list[str],
    rng: np.random.Generator,
    *,
    pairs: bool = True,
) -> tuple[pd.DataFrame, list[Constraint]]:
    """Cells ``<region>|<kind>`` and their constraints; ``leaves`` maps leaf region -> residents."""
    subsets = _subsets(definitions)
    probabilities = pattern_probabilities(definitions, rng)
    exclusive: dict[str, np.ndarray] = {
        leaf: rng.multinomial(residents, probabilities)[:-1] for leaf, residents in leaves.items()
    }

    def fill(region: str) -> np.ndarray:
        if region not in exclusive:
            exclusive[region] = np.sum([fill(child) for child in tree[region]], axis=0)
        return exclusive[region]

    for parent in tree:
        fill(parent)

    kinds: dict[str, list[int]] = {}  # kind -> indexes of the exclusive cells it sums
    for index, subset in enumerate(subsets):
        kinds["only:" + "&".join(subset)] = [index]
    for d in definitions:
        kinds[f"count:{d}"] = [i for i, s in enumerate(subsets) if d in s]
    kinds["union"] = list(range(len(subsets)))
    pair_list = list(combinations(definitions, 2)) if pairs else []
    for a, b in pair_list:
        kinds[f"both:{a}&{b}"] = [i for i, s in enumerate(subsets) if a in s and b in s]
        kinds[f"only:{a}-not-{b}"] = [i for i, s in enumerate(subsets) if a in s and b not in s]
        kinds[f"only:{b}-not-{a}"] = [i for i, s in enumerate(subsets) if b in s and a not in s]

    rows = []
    for region, counts in exclusive.items():
        for kind, indexes in kinds.items():
            rows.append(
                {
                    "cell_id": f"{region}|{kind}",
                    "region": region,
                    "kind": kind,
                    "value": int(counts[indexes].sum()),
                }
            )
    cells = pd.DataFrame(rows)

    constraints: list[Constraint] = []
    for region in exclusive:

        def cell(kind: str, region: str = region) -> str:
            return f"{region}|{kind}"

        exclusive_cells = ["only:" + "&".join(s) for s in subsets]
        constraints.append(Constraint(cell("union"), tuple(cell(k) for k in exclusive_cells)))
        for d in definitions:
            parts = [k for k, s in zip(exclusive_cells, subsets, strict=False) if d in s]
            # A single part states an identity (with one definition, its count is its only cell):
            # identical cells must be linked, or one could be published while the other is hidden.
            constraints.append(Constraint(cell(f"count:{d}"), tuple(cell(k) for k in parts)))
        for a, b in pair_list:
            both = [k for k, s in zip(exclusive_cells, subsets, strict=False) if a in s and b in s]
            constraints.append(Constraint(cell(f"both:{a}&{b}"), tuple(cell(k) for k in both)))
            constraints.append(
                Constraint(cell(f"count:{a}"), (cell(f"both:{a}&{b}"), cell(f"only:{a}-not-{b}")))
            )
            constraints.append(
                Constraint(cell(f"count:{b}"), (cell(f"both:{a}&{b}"), cell(f"only:{b}-not-{a}")))
            )
    for parent, children in tree.items():
        for kind in kinds:
            constraints.append(Constraint(f"{parent}|{kind}", tuple(f"{child}|{kind}" for child in children)))
    return cells, constraints


def twente_wijk_tree() -> tuple[Tree, dict[str, int]]:
    """The real Twente hierarchy: wijken -> gemeenten -> Twente, with CBS resident counts."""
    return _real_tree(twente_only=True)


def national_wijk_tree() -> tuple[Tree, dict[str, int]]:
    """All 3,393 wijken -> 342 gemeenten -> Nederland."""
    return _real_tree(twente_only=False)


def _real_tree(twente_only: bool) -> tuple[Tree, dict[str, int]]:
    from zicht.regions import NL_CODE, TWENTE_CODE, gemeente_codes, wijken

    frame = wijken()
    gemeenten = set(gemeente_codes("twente")) if twente_only else set(frame["gemeente_code"])
    frame = frame[frame["gemeente_code"].isin(gemeenten)]
    top = TWENTE_CODE if twente_only else NL_CODE
    resident_column = "aantal_inwoners_2024"
    tree: Tree = {top: sorted(gemeenten)}
    for gemeente, group in frame.groupby("gemeente_code"):
        tree[str(gemeente)] = sorted(group["wijk_code"])
    leaves = {
        str(w): int(n) for w, n in zip(frame["wijk_code"], frame[resident_column].fillna(0), strict=False)
    }
    return tree, leaves
