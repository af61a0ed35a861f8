"""Benchmark: the release of comparison counts — cell-key perturbation against LP suppression, side by side.

One run, same store, same definitions, same machine:

* **utility** at wijk level with all seed definitions: share of wijk counts that carry a number (of
  those whose sources are there), mean absolute deviation from the true count, region totals withheld;
* **CPU** (``time.process_time`` of this process; DuckDB's threads included) of `compare` end to end,
  perturbation with UpSet intersections down to wijk against suppression with its default (gemeente);
* with ``--nl STORE``: all of the Netherlands at wijk level with 20 definitions (perturbation);
* with ``--api``: the service on the Twente store — seconds from start until the page's comparison is
  ready, one uncached wijk comparison, and cached ``/counts`` reads under ``wrk`` (50 connections).

True counts come from ``compare(..., disclosure="suppress", rules=threshold 1, rounding 1)``, which
suppresses nothing (the engines' agreement with an independent oracle is tests/integration).

    python benchmarks/bench_disclosure.py --twente STORE [--nl /work/nl/store] [--api]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from zicht.compare import compare  # noqa: E402
from zicht.compare.definitions import resolve  # noqa: E402
from zicht.disclosure import DisclosureRules  # noqa: E402
from zicht.registry.files import load_registry  # noqa: E402

R = dt.date(2024, 12, 31)
EXACT = DisclosureRules(threshold=1, rounding_base=1)


def seed_ids() -> list[str]:
    return sorted(f.data["id"] for f in load_registry() if not f.archived and f.data.get("status") == "published")


def timed(fn):
    start = time.process_time()
    wall = time.perf_counter()
    out = fn()
    return out, time.process_time() - start, time.perf_counter() - wall


def utility(result, exact, level: str = "wijk") -> dict[str, float]:
    key = ["region_code", "definition"]
    got = result.counts.set_index(key)
    true = exact.counts.set_index(key)
    wijk = got[got["level"] == level]
    covered = wijk[wijk["coverage"] != "none"]
    shown = covered["count"].notna()
    dev = (covered["count"][shown].astype(float) - true.loc[covered.index[shown], "count"].astype(float)).abs()
    totals = got[got["level"].isin(["total", "gemeente"]) & (got["coverage"] != "none")]
    return {"shown": float(shown.mean()), "mad": float(dev.mean()) if len(dev) else float("nan"),
            "max_dev": float(dev.max()) if len(dev) else float("nan"),
            "totals_withheld": int(totals["count"].isna().sum()), "totals": len(totals)}


def twente(store: Path) -> list[str]:
    ids = seed_ids()
    exact = compare(store, ids, R, "wijk", rules=EXACT, disclosure="suppress")
    rows = ["| release | CPU s | wall s | wijk counts with a number | MAD (persons) | max dev | region totals withheld |",
            "|---|---|---|---|---|---|---|"]
    perturbed, cpu_p, wall_p = timed(lambda: compare(store, ids, R, "wijk", intersection_level="wijk"))
    u = utility(perturbed, exact)
    rows.append(f"| perturb (D=5, V=4, js=2), UpSet + attrition to wijk | {cpu_p:.1f} | {wall_p:.1f} | "
                f"{u['shown']:.1%} | {u['mad']:.2f} | {u['max_dev']:.0f} | {u['totals_withheld']} of {u['totals']} |")
    suppressed, cpu_s, wall_s = timed(lambda: compare(store, ids, R, "wijk", disclosure="suppress"))
    u = utility(suppressed, exact)
    rows.append(f"| suppress (threshold 10, rounding 5, LP audit), UpSet + attrition to gemeente | {cpu_s:.1f} | "
                f"{wall_s:.1f} | {u['shown']:.1%} | {u['mad']:.2f} | {u['max_dev']:.0f} | "
                f"{u['totals_withheld']} of {u['totals']} |")
    rows.append(f"\nratio suppress / perturb CPU: {cpu_s / cpu_p:.1f}x; {len(ids)} definitions "
                f"({', '.join(ids)}); pairs whose true difference is 1..9: see tests/attacks")
    return rows


def twenty_definitions() -> list[dict]:
    """The counted seed definitions in four variants each (age range, window): 20 definitions."""
    out = []
    docs = [d for d in resolve(seed_ids()) if d["id"] != "k10-high-monitor"]
    variants = [({}, None), ({"age_min": 18}, None), ({"age_min": 18, "age_max": 65}, None), ({}, 24)]
    for doc in docs:
        for k, (population, window) in enumerate(variants):
            d = copy.deepcopy(doc)
            d["id"] = f"{doc['id']}-v{k}"
            if population:
                d["population"] = population
            if window:
                d["reference_period"] = {"months": window}
                for c in d["criteria"]:
                    c["window_months"] = window
            out.append(d)
    return out[:20]


def national(store: Path) -> list[str]:
    defs = twenty_definitions()
    from zicht.engines import get_engine
    from zicht.engines.store import open_store
    from zicht.compare.definitions import select

    result, cpu, wall = timed(lambda: compare(store, defs, R, "wijk"))
    st = open_store(store)
    try:
        selected = select(defs, st)
        _, cpu_e, wall_e = timed(lambda: get_engine("duckdb").tabulate(
            st, [s.query for s in selected if not s.survey], [], R))
    finally:
        st.close()
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    return ["| Netherlands, wijk level, 20 definitions (perturb, UpSet + attrition to wijk) | CPU s | wall s |",
            "|---|---|---|",
            f"| compare end to end | {cpu:.1f} | {wall:.1f} |",
            f"| of which the engine's tabulation (measured separately) | {cpu_e:.1f} | {wall_e:.1f} |",
            f"\n{len(result.counts):,} count rows, {len(result.pairs):,} pair rows, {len(result.intersections):,} "
            f"intersection rows, {len(result.attrition):,} attrition rows; peak RSS {rss:.1f} GB"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(store: Path, tmp: Path, seconds: int = 15) -> list[str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    zicht = str(Path(sys.executable).with_name("zicht"))
    start = time.perf_counter()
    proc = subprocess.Popen([zicht, "serve", "--store", str(store), "--port", str(port), "--db",
                             f"sqlite:///{tmp / 'bench.db'}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        ids = ",".join(i for i in seed_ids())
        page = f"{base}/counts?definitions={ids}&date={R}&level=wijk"
        while True:
            try:
                with urllib.request.urlopen(page, timeout=120) as r:
                    json.loads(r.read())
                break
            except OSError:
                time.sleep(0.2)
        rows.append(f"| page's comparison ready after `zicht serve` (wall s) | {time.perf_counter() - start:.1f} |")
        for label, query in (("2 definitions", "definitions=e33-12m,epa-ggz-wmo&date=2024-06-30"),
                             ("6 definitions", f"definitions={ids}&date=2024-09-30")):
            t0 = time.perf_counter()
            with urllib.request.urlopen(f"{base}/counts?{query}&level=wijk", timeout=120) as r:
                r.read()
            rows.append(f"| uncached wijk comparison, {label}, another date (wall s) | {time.perf_counter() - t0:.2f} |")
        if shutil.which("wrk"):
            script = str(Path(__file__).with_name("wrk_report.lua"))
            gz = ["-H", "Accept-Encoding: gzip"]
            for label, extra, rate in (("gzip (as the page's browser asks), saturated", gz, 0),
                                       ("identity (1 MB JSON), saturated", [], 0),
                                       ("gzip, paced to about 500 req/s", gz, 550)):
                env = {"WRK_RATE": str(rate), "WRK_CONNECTIONS": "50", "PATH": "/usr/bin:/bin"}
                out = subprocess.run(["wrk", "-t2", "-c50", f"-d{seconds}s", "-s", script, *extra, page], capture_output=True,
                                     text=True, check=True, env=env).stdout
                got = {k: int(v) for k, v in re.findall(r"^(p\d+_us|requests|errors) (\d+)$", out, re.MULTILINE)}
                rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
                rows.append(f"| cached /counts (6 definitions, wijk), {label}: wrk 2 threads, 50 connections, {seconds} s | "
                            f"{rps:.0f} req/s; p50 {got['p50_us'] / 1000:.1f} ms, p95 {got['p95_us'] / 1000:.1f} ms, "
                            f"p99 {got['p99_us'] / 1000:.1f} ms; {got['errors']} errors |")
        else:
            rows.append("| cached /counts under wrk | wrk not installed (apt-get install -y wrk) |")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return ["| service (Twente store) | result |", "|---|---|", *rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--twente", type=Path, help="Twente store (default: the demo store, built on first use)")
    ap.add_argument("--nl", type=Path, help="national store: also all of NL at wijk level with 20 definitions")
    ap.add_argument("--api", action="store_true", help="also the service: start-up, uncached and cached reads")
    ap.add_argument("--skip-twente", action="store_true")
    args = ap.parse_args()
    if args.twente is None:
        from zicht.api.demo import resolve_store

        args.twente = resolve_store(None)
    if not args.skip_twente:
        print("\n".join(twente(args.twente)), flush=True)
    if args.nl:
        print("\n" + "\n".join(national(args.nl)), flush=True)
    if args.api:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            print("\n" + "\n".join(api(args.twente, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
