"""Benchmark: disclosure control on comparison-shaped tables at real region scale.

Tables are built like ``zicht compare`` output (see tests/unit/disclosure/tables.py): per region the
UpSet cells (exclusive intersections) of k definitions, each definition's count, the union and, per
pair, "both", "A not B" and "B not A"; regions are the real CBS 2024 wijken nested in gemeenten nested
in Twente (or Nederland). Every relation is a constraint. Counts are synthetic (a latent two-class
model), scaled by each wijk's real number of residents.

For each scenario the table shows the CPU time (``time.process_time``: the solver is single-threaded, and
CPU time does not depend on what else runs on the machine) of primary suppression and rounding only, of
the full protection (primary + LP-audited secondary suppression), and their ratio.

    python benchmarks/bench_protect.py                 # Twente, 1..6 definitions
    python benchmarks/bench_protect.py --national 2    # also all 3,393 wijken with 2 definitions
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.unit.disclosure.tables import comparison_table, national_wijk_tree, twente_wijk_tree

from zicht.disclosure import DisclosureRules, protect


def _run(name: str, tree: dict, leaves: dict, k: int) -> list[str]:
    cells, constraints = comparison_table(
        tree, leaves, [f"D{i}" for i in range(k)], np.random.default_rng(2024)
    )
    start = time.process_time()
    protect(cells, constraints, DisclosureRules(secondary=False))
    primary_only = time.process_time() - start
    start = time.process_time()
    result = protect(cells, constraints)
    full = time.process_time() - start
    rules = result.rules
    return [
        name,
        str(k),
        str(rules["cells"]),
        str(rules["constraints"]),
        str(rules["suppressed_primary"]),
        str(rules["suppressed_secondary"]),
        f"{rules['published_cells'] / rules['cells']:.0%}",
        str(rules["audit_rounds"]),
        str(rules["audit_lp_solves"]),
        f"{primary_only:.2f}",
        f"{full:.1f}",
        f"{full / primary_only:.0f}x",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--definitions", default="1,2,3,4,6", help="Twente runs: numbers of definitions")
    parser.add_argument(
        "--national", type=int, default=0, help="also run all wijken with this many definitions"
    )
    args = parser.parse_args()
    header = [
        "regions",
        "defs",
        "cells",
        "constraints",
        "primary",
        "secondary",
        "published",
        "rounds",
        "LPs",
        "primary only CPU s",
        "full CPU s",
        "full/primary",
    ]
    rows = []
    tree, leaves = twente_wijk_tree()
    label = f"Twente {len(leaves)} wijken"
    for k in (int(x) for x in args.definitions.split(",")):
        rows.append(_run(label, tree, leaves, k))
        print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    if args.national:
        tree, leaves = national_wijk_tree()
        rows.append(_run(f"NL {len(leaves)} wijken", tree, leaves, args.national))
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")


if __name__ == "__main__":
    main()
