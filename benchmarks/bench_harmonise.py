"""Benchmark of `zicht harmonise`: wall time, CPU time and peak memory on synthetic deliveries.

Each configuration runs `zicht harmonise` in its own process (so peak memory, read from the child's
rusage, is that run's alone) and the results are printed as one table with rows/second and the
memory limit as a ratio. The delivery is generated first with `zicht synth` (not timed here; see
bench_synth.py).

    python benchmarks/bench_harmonise.py                  # Twente, memory limit 3GB and 1GB
    python benchmarks/bench_harmonise.py --nl             # also the whole country (long)
    python benchmarks/bench_harmonise.py --input DIR      # use an existing synth output
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _synth(region: str, out: Path, seed: int) -> None:
    subprocess.run([sys.executable, "-m", "zicht", "synth", "--region", region, "--seed", str(seed), "--out", str(out),
                    "--workers", "2", "--quiet", "--force"], check=True)


def _one(label: str, inp: Path, store: Path, memory_limit: str) -> dict[str, object]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "zicht", "harmonise", "--in", str(inp), "--out", str(store), "--quiet",
                    "--bsn", "quarantine-row", "--memory-limit", memory_limit], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    rows = sum(s["rows_read"] for s in manifest["sources"].values())
    return {
        "delivery": label, "memory_limit": memory_limit, "rows_read": rows,
        "events": manifest["tables"]["event"]["rows"], "persons": manifest["tables"]["person"]["rows"],
        "wall_s": round(wall, 1), "cpu_s": round((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 1),
        # ru_maxrss of children is the largest child so far; each configuration runs after the previous one
        "peak_mb": round(after.ru_maxrss / 1024), "rows_per_s": round(rows / wall),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nl", action="store_true", help="also harmonise the whole country")
    parser.add_argument("--input", type=Path, help="an existing synth output folder (Twente)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-harmonise-") as tmp:
        work = Path(tmp)
        deliveries = []
        twente = args.input or work / "twente"
        if args.input is None:
            _synth("twente", twente, args.seed)
        deliveries.append(("twente", twente, ["3GB", "1GB"]))
        if args.nl:
            nl = work / "nl"
            _synth("nl", nl, args.seed)
            deliveries.append(("nl", nl, ["3GB"]))
        results = [_one(label, inp, work / f"store-{label}-{limit}", limit)
                   for label, inp, limits in deliveries for limit in limits]
    base = results[0]["wall_s"]
    cols = list(results[0]) + ["wall_vs_first"]
    print(" | ".join(cols))
    for r in results:
        print(" | ".join(str(v) for v in [*r.values(), round(float(r["wall_s"]) / float(base), 2)]))


if __name__ == "__main__":
    main()
