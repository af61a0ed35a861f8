"""Benchmark of `zicht validate`: the fast engine on a large extract against the reference engine.

Builds a realistic extract in the format of the Wmo source of Enschede (its real descriptor, code list and
wijken; pseudonymous keys, valid and open-ended episodes) with 0.2 % injected defects (impossible dates,
unknown codes, end before start, unknown wijken, missing values, duplicate rows), then measures in child
processes, so that each has its own peak memory:

- the fast engine end to end (read CSV, privacy guard, compiled checks) on ``--rows`` rows (default 1,000,000);
- the reference engine (rows → RDF → pyshacl) on the first ``--reference-rows`` rows (default 10,000);
- the fast engine on those same rows, with a check that both engines report the same violations.

Throughput is rows per second; the ratio is fast ÷ reference. Targets: fast on 1,000,000 rows < 10 s and
≥ 100× the reference throughput. Run: ``python benchmarks/bench_validate.py`` (takes several minutes,
almost all of it the reference engine).
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

import numpy as np
import pandas as pd

from zicht import paths

SOURCE = "wmo-enschede"


def build_extract(path: Path, rows: int, seed: int = 20241124) -> None:
    from zicht.mappings.descriptor import load_descriptor
    from zicht.regions import regions

    descriptor = load_descriptor(paths.mappings_dir() / f"{SOURCE}.source.yaml")
    codes = pd.read_csv(paths.mappings_dir() / f"{SOURCE}.codes.csv", dtype=str)["code"].tolist()
    table = regions()
    wijken = table.loc[(table["level"] == "wijk") & table["id"].str.startswith("WK0153"), "id"].tolist()
    rng = np.random.default_rng(seed)
    start = np.datetime64("2022-01-01") + rng.integers(0, 1000, rows).astype("timedelta64[D]")
    end = start + rng.integers(0, 400, rows).astype("timedelta64[D]")
    frame = pd.DataFrame({
        "client_key": [f"{k:064x}" for k in rng.integers(0, 2**62, rows, dtype=np.int64)],
        "toewijzingnummer": [f"T{i:08d}" for i in range(rows)],
        "product": np.array(codes, dtype=object)[rng.integers(0, len(codes), rows)],
        "ingangsdatum": start.astype(str),
        "einddatum": np.where(rng.random(rows) < 0.3, "", end.astype(str)),
        "wijk": np.array(wijken, dtype=object)[rng.integers(0, len(wijken), rows)],
    })
    columns = [c.name for c in descriptor.columns]
    assert list(frame.columns) == columns, (list(frame.columns), columns)
    bad = rng.choice(rows, size=max(1, rows // 500), replace=False)
    kinds = rng.integers(0, 6, len(bad))
    for row, kind in zip(bad.tolist(), kinds.tolist()):
        if kind == 0:
            frame.at[row, "ingangsdatum"] = "2023-02-29"
        elif kind == 1:
            frame.at[row, "product"] = "ZZ999"
        elif kind == 2:
            frame.at[row, "einddatum"] = "2021-12-31"
        elif kind == 3:
            frame.at[row, "wijk"] = "WK015399"
        elif kind == 4:
            frame.at[row, "client_key"] = ""
        elif row > 0:
            frame.iloc[row] = frame.iloc[row - 1]
    frame.to_csv(path, sep=descriptor.delimiter, index=False)


def measure(engine: str, extract: Path) -> dict:
    """Run in a child process: validate ``extract`` with ``engine``; time, rows, violations, peak memory."""
    from zicht.mappings.descriptor import load_descriptor
    from zicht.validate.run import validate_extracts
    from zicht.validate.shapes import source_shapes

    descriptor = load_descriptor(paths.mappings_dir() / f"{SOURCE}.source.yaml")
    t0 = time.perf_counter()
    shapes = source_shapes(descriptor)
    t1 = time.perf_counter()
    c1 = time.process_time()
    report = validate_extracts([extract], descriptor, engine=engine, shapes=shapes)
    t2 = time.perf_counter()
    c2 = time.process_time()
    assert report.engine == engine, report.notices
    return {
        "engine": engine, "rows": report.rows, "shapes_s": t1 - t0, "validate_s": t2 - t1, "cpu_s": c2 - c1,
        "violations": len(report.violations), "privacy": len(report.privacy),
        "keys": sorted(map(list, (v.key() for v in report.violations))) if report.rows <= 100_000 else None,
        "peak_mb": _peak_mb(),
    }


def _peak_mb() -> float:
    # VmHWM (this process's peak resident memory) starts afresh at exec; ru_maxrss would carry over the
    # parent's peak, which built the extract.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(engine: str, extract: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--measure", engine, str(extract)], check=False, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


def _table(runs: list[tuple[str, dict]]) -> None:
    print("| run | rows | validate wall (s) | validate CPU (s) | rows/s (wall) | shapes (s) | violations | privacy | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in runs:
        print(f"| {name} | {r['rows']:,} | {r['validate_s']:.2f} | {r['cpu_s']:.2f} | {r['rows'] / r['validate_s']:,.0f} | "
              f"{r['shapes_s']:.2f} | {r['violations']:,} | {r['privacy']} | {r['peak_mb']:,.0f} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reference-rows", type=int, default=10_000)
    parser.add_argument("--measure", nargs=2, metavar=("ENGINE", "EXTRACT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "wmo_big.csv", Path(tmp) / "wmo_small.csv"
        t = time.perf_counter()
        build_extract(big, args.rows)
        with big.open(encoding="utf-8") as fh:
            small.write_text("".join(line for _, line in zip(range(args.reference_rows + 1), fh)), encoding="utf-8")
        print(f"built extracts in {time.perf_counter() - t:.1f} s ({big.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
        fast_big = _child("fast", big)
        if args.reference_rows == 0:  # only the fast engine (e.g. to re-measure it on a quiet machine)
            _table([("fast", fast_big)])
            return
        fast_small = _child("fast", small)
        reference = _child("reference", small)
    agree = fast_small["keys"] == reference["keys"]
    rate = {name: r["rows"] / r["validate_s"] for name, r in
            (("fast_big", fast_big), ("fast_small", fast_small), ("reference", reference))}
    _table([("fast", fast_big), ("fast", fast_small), ("reference", reference)])
    print(f"- fast engine on {fast_big['rows']:,} rows: {fast_big['validate_s']:.2f} s wall, {fast_big['cpu_s']:.2f} s CPU "
          f"(target < 10 s: {'met' if fast_big['validate_s'] < 10 else 'NOT met'})")
    ratio = rate["fast_big"] / rate["reference"]
    cpu_ratio = (fast_big["rows"] / fast_big["cpu_s"]) / (reference["rows"] / reference["cpu_s"])
    print(f"- throughput ratio fast ({fast_big['rows']:,} rows) / reference ({reference['rows']:,} rows): {ratio:,.0f}× "
          f"(target ≥ 100×: {'met' if ratio >= 100 else 'NOT met'}); by CPU time {cpu_ratio:,.0f}×")
    print(f"- both engines report the same {reference['violations']} violations on the first "
          f"{reference['rows']:,} rows: {'yes' if agree else 'NO'}")


if __name__ == "__main__":
    main()
