"""Benchmark of `zicht synth`: wall time, CPU time and peak memory per region and worker count.

Each configuration runs in its own process (so peak memory is that run's alone) and the results are
printed as one table, with the speed-up of more workers as a ratio against one worker.

    python benchmarks/bench_synth.py                 # Twente with 1 and 2 workers
    python benchmarks/bench_synth.py --nl            # also the whole country with 2 workers
    python benchmarks/bench_synth.py --keep DIR      # keep the outputs under DIR
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


def _one(region: str, workers: int, out: Path, seed: int) -> dict[str, float | int | str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "zicht",
            "synth",
            "--region",
            region,
            "--seed",
            str(seed),
            "--out",
            str(out),
            "--workers",
            str(workers),
            "--quiet",
            "--force",
        ],
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    timings = json.loads((out / "synth-timings.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "synth-manifest.json").read_text(encoding="utf-8"))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "region": region,
        "workers": workers,
        "persons": manifest["persons"],
        "files": len(manifest["rows"]),
        "defects": manifest["defects"],
        "wall_s": round(wall, 1),
        "generate_s": timings["seconds"],
        "cpu_s": round((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 1),
        "peak_mb": max(timings["peak_rss_mb_parent"], timings["peak_rss_mb_workers"]),
        "output_mb": round(size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nl", action="store_true", help="also run all of the Netherlands (2 workers)")
    parser.add_argument("--keep", type=Path, help="directory to keep outputs in")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-synth-"))
    configs = [("twente", 1), ("twente", 2)] + ([("nl", 2)] if args.nl else [])
    rows = [_one(region, workers, base / f"{region}-{workers}", args.seed) for region, workers in configs]
    one = next(r for r in rows if r["region"] == "twente" and r["workers"] == 1)
    cols = [
        "region",
        "workers",
        "persons",
        "files",
        "defects",
        "wall_s",
        "generate_s",
        "cpu_s",
        "peak_mb",
        "output_mb",
        "vs_1_worker",
        "persons_per_s",
    ]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        r["vs_1_worker"] = f"{one['generate_s'] / r['generate_s']:.2f}x" if r["region"] == "twente" else "-"
        r["persons_per_s"] = f"{int(r['persons']) / float(r['generate_s']):,.0f}"
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")


if __name__ == "__main__":
    main()
