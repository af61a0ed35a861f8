"""Benchmark of `zicht harmonise`: wall time, CPU time and peak memory on synthetic deliveries.

Each configuration runs harmonise in its own process (so its peak memory is that run's alone) and the
results are printed as one table, with CPU time as a ratio against the first configuration. CPU time is the figure to compare when the machine is shared; wall time is shown too. The delivery is generated first with `zicht synth` (not timed here; see
bench_synth.py).

    python benchmarks/bench_harmonise.py                  # Twente, memory limit 1.5GB (the default) and 1GB
    python benchmarks/bench_harmonise.py --nl             # also the whole country (long)
    python benchmarks/bench_harmonise.py --input DIR      # use an existing synth output
    python benchmarks/bench_harmonise.py --input DIR --delivery x10=SUB --subset-of NL_DIR --every 3
                                                          # growth: Twente, every third gemeente of a
                                                          # national delivery (about ten Twentes), ...

`--subset-of NL_DIR --every K` first makes SUB from NL_DIR: every K-th gemeente's files of every source (hard
links where the file system allows, else copies) with the descriptors, so that the growth from Twente over
about ten times Twente to the whole country is measured on the same national synthetic data.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _synth(region: str, out: Path, seed: int) -> None:
    subprocess.run([sys.executable, "-m", "zicht", "synth", "--region", region, "--seed", str(seed), "--out", str(out),
                    "--workers", "2", "--quiet", "--force"], check=True)


_RUN = """
import json, resource, sys, time
from pathlib import Path
from zicht.harmonise.run import harmonise
started = time.perf_counter()
harmonise(Path(sys.argv[1]), Path(sys.argv[2]), memory_limit=sys.argv[3], bsn_policy="quarantine-row")
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
                  "user": usage.ru_utime, "sys": usage.ru_stime, "peak_kb": usage.ru_maxrss}))
"""


def _one(label: str, inp: Path, store: Path, memory_limit: str) -> dict[str, object]:
    # A fresh process per configuration, so that its peak memory (RUSAGE_SELF) is that run's alone.
    done = subprocess.run([sys.executable, "-c", _RUN, str(inp), str(store), memory_limit], check=True,
                          capture_output=True, text=True)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    rows = sum(s["rows_read"] for s in manifest["sources"].values())
    return {
        "delivery": label, "memory_limit": memory_limit, "rows_read": rows,
        "events": manifest["tables"]["event"]["rows"], "persons": manifest["tables"]["person"]["rows"],
        "files": sum(len(s["files"]) for s in manifest["sources"].values()),
        "wall_s": round(measured["wall"], 1), "cpu_s": round(measured["cpu"], 1),
        "user_s": round(measured["user"], 1), "sys_s": round(measured["sys"], 1),
        "peak_mb": round(measured["peak_kb"] / 1024), "rows_per_cpu_s": round(rows / measured["cpu"]),
    }


def subset(national: Path, target: Path, every: int) -> int:
    """Every ``every``-th gemeente (in code order) of a national delivery into ``target``; returns how many."""
    gemeenten = sorted({m.group(0) for p in (national / "extracts").glob("*/*")
                        if (m := re.search(r"GM[0-9]{4}", p.name))})[::every]
    wanted = set(gemeenten)
    for folder in sorted(p for p in (national / "extracts").iterdir() if p.is_dir()):
        out = target / "extracts" / folder.name
        out.mkdir(parents=True, exist_ok=True)
        for f in sorted(folder.iterdir()):
            m = re.search(r"GM[0-9]{4}", f.name)
            if f.suffix == ".yaml" or (m and m.group(0) in wanted):
                dest = out / f.name
                if dest.exists():
                    continue
                try:
                    os.link(f, dest)
                except OSError:
                    shutil.copy2(f, dest)
    return len(gemeenten)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nl", action="store_true", help="also harmonise the whole country")
    parser.add_argument("--input", type=Path, help="an existing synth output folder (Twente)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--delivery", action="append", default=[], metavar="LABEL=DIR",
                        help="also harmonise this existing delivery (at the default 1.5GB), e.g. x10=/tmp/x10 or nl=/work/nl2/delivery")
    parser.add_argument("--subset-of", type=Path, help="make the first --delivery's DIR from this national delivery")
    parser.add_argument("--every", type=int, default=3, help="with --subset-of: every K-th gemeente (default 3)")
    args = parser.parse_args()
    extra = [(label, Path(folder)) for label, _, folder in (d.partition("=") for d in args.delivery)]
    if args.subset_of is not None:
        if not extra:
            parser.error("--subset-of needs a --delivery LABEL=DIR to write the subset to")
        n = subset(args.subset_of, extra[0][1], args.every)
        print(f"{extra[0][1]}: {n} gemeenten of {args.subset_of}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="bench-harmonise-") as tmp:
        work = Path(tmp)
        deliveries = []
        twente = args.input or work / "twente"
        if args.input is None:
            _synth("twente", twente, args.seed)
        deliveries.append(("twente", twente, ["1.5GB", "1GB"]))
        if args.nl:
            nl = work / "nl"
            _synth("nl", nl, args.seed)
            deliveries.append(("nl", nl, ["1.5GB"]))
        deliveries += [(label, folder, ["1.5GB"]) for label, folder in extra]
        results = [_one(label, inp, work / f"store-{label}-{limit}", limit)
                   for label, inp, limits in deliveries for limit in limits]
    base = float(results[0]["cpu_s"])
    cols = list(results[0]) + ["cpu_vs_first"]
    print(" | ".join(cols))
    for r in results:
        print(" | ".join(str(v) for v in [*r.values(), round(float(r["cpu_s"]) / base, 2)]))


if __name__ == "__main__":
    main()
