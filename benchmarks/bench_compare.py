"""Benchmark: 20 definitions -> counts per wijk + all 190 pairwise overlaps per wijk, side by side in one run.

Methods (each in a fresh subprocess, so peak memory is per method; time is the best of `--repeat` runs):

* `zicht` - registry definitions compiled to query trees, the default engine's `tabulate(level="wijk")`,
  pairs from the membership masks; `zicht:NAME` runs another engine (e.g. `zicht:in_memory`);
* `sql` - one hand-written DuckDB SQL query computing the same numbers;
* `polars` - hand-written polars (lazy) on the store's Parquet files: one scan of the events with an
  aggregate per criterion, joined to the persons (polars is a benchmark baseline, not a dependency:
  `pip install polars`);
* `pandas` - a straightforward pandas version (slow; not in the default list);
* `floor` - the floor: `event JOIN person GROUP BY wijk` in DuckDB (no definitions; not compared).

All methods but the floor must give identical numbers (checked). The table gives wall and CPU seconds
(CPU of every thread of the process), peak RSS, and ratios to polars and to the floor. `--scale N`
replicates the store's persons and events N times into a temporary store (DuckDB file and Parquet; ids
suffixed, same residences), to measure beyond the size of the store at hand.

    python benchmarks/bench_compare.py --store STORE [--scale 1] [--repeat 2] [--methods zicht,sql,polars,floor]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from zicht.ontology.concepts import framework
from zicht.registry.files import load_registry

METHODS = ("zicht", "sql", "polars", "floor")
NOT_COMPARED = ("floor",)


# --- the 20 definitions ------------------------------------------------------------------------------
def definitions() -> list[dict[str, Any]]:
    """The five registration seed definitions plus 15 variants (windows, minimum occurrences, k, spans)."""
    seeds = {f.data["id"]: f.data for f in load_registry() if not f.archived}
    out = [
        seeds[i]
        for i in (
            "epa-ggz-wmo",
            "ggz-specialised-12m",
            "e33-12m",
            "multi-domain-2of5",
            "bemoeizorg-meldpunt-12m",
        )
    ]

    def variant(base: str, new_id: str, change) -> None:
        d = copy.deepcopy(seeds[base])
        d["id"] = new_id
        change(d)
        out.append(d)

    for months in (6, 24, 36):
        variant(
            "ggz-specialised-12m",
            f"ggz-specialised-{months}m",
            lambda d, m=months: (
                d.update(reference_period={"months": m}),
                d["criteria"][0].update(window_months=m),
            ),
        )
        variant(
            "e33-12m",
            f"e33-{months}m",
            lambda d, m=months: (
                d.update(reference_period={"months": m}),
                d["criteria"][0].update(window_months=m),
            ),
        )
    variant("e33-12m", "e33-12m-2x", lambda d: d["criteria"][0].update(min_occurrences=2))
    variant(
        "ggz-specialised-12m", "ggz-specialised-12m-2x", lambda d: d["criteria"][0].update(min_occurrences=2)
    )
    variant("multi-domain-2of5", "multi-domain-3of5", lambda d: d["logic"].update(k=3))
    variant("multi-domain-2of5", "multi-domain-1of5", lambda d: d["logic"].update(k=1))
    variant("epa-ggz-wmo", "epa-span-1y", lambda d: d["criteria"][0].update(min_span_days=365))
    variant("epa-ggz-wmo", "epa-all-ages", lambda d: d.pop("population"))
    variant(
        "bemoeizorg-meldpunt-12m",
        "meldpunt-24m",
        lambda d: (d.update(reference_period={"months": 24}), d["criteria"][0].update(window_months=24)),
    )
    variant("ggz-specialised-12m", "ggz-specialised-adults", lambda d: d.update(population={"age_min": 18}))
    variant(
        "multi-domain-2of5",
        "multi-domain-2of5-24m",
        lambda d: (
            d.update(reference_period={"months": 24}),
            [c.update(window_months=24) for c in d["criteria"]],
        ),
    )
    assert len(out) == 20, len(out)
    return out


def concepts_of(criterion: dict[str, Any]) -> list[str]:
    keys = set()
    for key in criterion["concepts"]:
        if criterion.get("include_narrower", True) is False:
            keys.add(key)
        else:
            keys.update(c.key for c in framework().descendants(key))
    return sorted("zc:" + k for k in keys)


def window_start(reference: dt.date, months: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    return reference - relativedelta(months=months) + dt.timedelta(days=1)


# --- 1. zicht ----------------------------------------------------------------------------------------
def run_zicht(
    store: Path,
    con: duckdb.DuckDBPyConnection,
    defs: list[dict[str, Any]],
    reference: dt.date,
    engine: str | None = None,
) -> pd.DataFrame:
    from zicht.engines import DEFAULT_ENGINE, get_engine
    from zicht.engines.store import Store
    from zicht.query_model import compile_definition

    queries = [compile_definition(d) for d in defs]
    tab = get_engine(engine or DEFAULT_ENGINE).tabulate(
        Store(con, store), queries, [], reference, attrition=False, level="wijk"
    )
    m = tab.members
    wijk = m["wijk"].where(m["wijk"].notna(), m["gemeente"].fillna("onbekend") + "-onbekend")
    masks = pd.DataFrame({"region_code": wijk, "mask": m["mask"], "n": m["n"]})
    return pairs_from_masks(masks, [d["id"] for d in defs])


def pairs_from_masks(masks: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Counts (a == b) and overlaps (a < b) per wijk from persons per (wijk, membership mask): every
    pair is a sum over the distinct masks that hold both bits (numpy, shared by all methods but sql)."""
    # factorize (hashing) rather than np.unique (sorting 10^5-10^6 Python strings); the rows are sorted at the end
    region, codes = pd.factorize(masks["region_code"].astype(str))
    codes = np.asarray(codes, dtype=object)
    distinct, which = np.unique(masks["mask"].to_numpy("int64"), return_inverse=True)
    per = np.zeros((len(codes), len(distinct)), dtype=np.int64)  # wijk x distinct mask
    np.add.at(per, (region, which), masks["n"].to_numpy("int64"))
    bits = ((distinct[:, None] >> np.arange(len(ids))) & 1).astype(np.int64)  # distinct mask x definition
    rows = []
    for i, a in enumerate(ids):
        both = per @ (bits[:, i:] * bits[:, [i]])  # wijk x (b >= a)
        w, j = np.nonzero(both)
        rows.append(
            pd.DataFrame(
                {"wijk": codes[w], "a": a, "b": np.asarray(ids, dtype=object)[i + j], "n": both[w, j]}
            )
        )
    return _canonical(pd.concat(rows, ignore_index=True))


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[frame["n"] > 0].astype({"n": "int64"})
    return frame.sort_values(["wijk", "a", "b"]).reset_index(drop=True)


# --- 2. hand-written SQL ---------------------------------------------------------------------------------
def _sql_list(values: list[str]) -> str:
    return ", ".join("'" + v + "'" for v in values)


def hand_sql(defs: list[dict[str, Any]], reference: dt.date) -> str:
    """One query, written the way an analyst would: per criterion a GROUP BY over events, per definition
    the logic over the criterion flags, then bit masks per person and counts per wijk and pair."""
    r = f"DATE '{reference}'"
    ctes, member_exprs = [], []
    for i, d in enumerate(defs):
        period = (d.get("reference_period") or {}).get("months", 12)
        flags = []
        for j, c in enumerate(d["criteria"]):
            w = f"DATE '{window_start(reference, c.get('window_months') or period)}'"
            where = f"concept IN ({_sql_list(concepts_of(c))}) AND start_date <= {r} AND coalesce(end_date, {r}) >= {w}"
            if c.get("sources"):
                where += f" AND source_id IN ({_sql_list(c['sources'])})"
            having = f"count(*) >= {c.get('min_occurrences') or 1}"
            if c.get("min_span_days") is not None:
                having += (
                    f" AND least({r}, max(coalesce(end_date, {r}))) - greatest({w}, min(start_date))"
                    f" >= {c['min_span_days']}"
                )
            name = f"d{i}c{j}"
            ctes.append(
                f"{name} AS (SELECT person_id FROM event WHERE {where} GROUP BY person_id HAVING {having})"
            )
            flags.append((c["id"], name))
        logic = d["logic"]
        parts = [
            f"(p.id IN (SELECT person_id FROM {name}))" for cid, name in flags if cid in logic["operands"]
        ]
        if logic["op"] == "all":
            expr = " AND ".join(parts)
        elif logic["op"] == "any":
            expr = " OR ".join(parts)
        else:
            expr = "(" + " + ".join(f"CAST({x} AS INTEGER)" for x in parts) + f") >= {logic['k']}"
        pop = d.get("population") or {}
        if pop.get("age_min") is not None:
            expr = f"({expr}) AND {reference.year} - p.birth_year >= {pop['age_min']}"
        if pop.get("age_max") is not None:
            expr = f"({expr}) AND {reference.year} - p.birth_year <= {pop['age_max']}"
        member_exprs.append(f"(CAST(coalesce({expr}, false) AS BIGINT) << {i})")
    n = len(defs)
    return f"""
    WITH {", ".join(ctes)},
    masks AS (
        SELECT coalesce(p.residence_wijk, coalesce(p.residence_gemeente, 'onbekend') || '-onbekend') AS wijk,
               {" + ".join(member_exprs)} AS mask
        FROM person p
    ),
    per_mask AS (SELECT wijk, mask, count(*) AS n FROM masks WHERE mask <> 0 GROUP BY ALL),
    idx AS (SELECT i FROM range({n}) t(i))
    SELECT m.wijk, a.i AS a, b.i AS b, sum(m.n) AS n
    FROM per_mask m, idx a, idx b
    WHERE a.i <= b.i AND ((m.mask >> a.i) & 1) = 1 AND ((m.mask >> b.i) & 1) = 1
    GROUP BY ALL
    """


def run_sql(
    store: Path, con: duckdb.DuckDBPyConnection, defs: list[dict[str, Any]], reference: dt.date
) -> pd.DataFrame:
    out = con.execute(hand_sql(defs, reference)).df()
    ids = [d["id"] for d in defs]
    out["a"] = [ids[i] for i in out["a"]]
    out["b"] = [ids[i] for i in out["b"]]
    return _canonical(out[["wijk", "a", "b", "n"]])


# --- 3. pandas ---------------------------------------------------------------------------------------
def run_pandas(
    store: Path, con: duckdb.DuckDBPyConnection, defs: list[dict[str, Any]], reference: dt.date
) -> pd.DataFrame:
    person = con.execute("SELECT id, birth_year, residence_gemeente, residence_wijk FROM person").df()
    event = con.execute("SELECT person_id, source_id, concept, start_date, end_date FROM event").df()
    r = pd.Timestamp(reference)
    event["end_or_r"] = event["end_date"].fillna(r)
    person["age"] = reference.year - person["birth_year"]
    person["wijk"] = person["residence_wijk"].fillna(
        person["residence_gemeente"].fillna("onbekend") + "-onbekend"
    )
    mask = pd.Series(0, index=person["id"].to_numpy(), dtype="int64")
    for i, d in enumerate(defs):
        period = (d.get("reference_period") or {}).get("months", 12)
        flags = {}
        for c in d["criteria"]:
            w = pd.Timestamp(window_start(reference, c.get("window_months") or period))
            ev = event[
                event["concept"].isin(concepts_of(c)) & (event["start_date"] <= r) & (event["end_or_r"] >= w)
            ]
            if c.get("sources"):
                ev = ev[ev["source_id"].isin(c["sources"])]
            g = ev.groupby("person_id").agg(
                n=("start_date", "size"), first=("start_date", "min"), last=("end_or_r", "max")
            )
            ok = g["n"] >= (c.get("min_occurrences") or 1)
            if c.get("min_span_days") is not None:
                span = (g["last"].clip(upper=r) - g["first"].clip(lower=w)).dt.days
                ok &= span >= c["min_span_days"]
            flags[c["id"]] = person["id"].isin(g.index[ok]).to_numpy()
        ops = np.array([flags[o] for o in d["logic"]["operands"]])
        op = d["logic"]["op"]
        member = (
            ops.all(axis=0)
            if op == "all"
            else ops.any(axis=0)
            if op == "any"
            else ops.sum(axis=0) >= d["logic"]["k"]
        )
        pop = d.get("population") or {}
        if pop.get("age_min") is not None:
            member &= (person["age"] >= pop["age_min"]).fillna(False).to_numpy(bool)
        if pop.get("age_max") is not None:
            member &= (person["age"] <= pop["age_max"]).fillna(False).to_numpy(bool)
        mask += member.astype("int64") << i
    masks = pd.DataFrame({"region_code": person["wijk"].to_numpy(), "mask": mask.to_numpy()})
    masks = (
        masks[masks["mask"] != 0]
        .groupby(["region_code", "mask"], as_index=False)
        .size()
        .rename(columns={"size": "n"})
    )
    return pairs_from_masks(masks, [d["id"] for d in defs])


# --- 4. hand-written polars (lazy) -------------------------------------------------------------------------
def run_polars(
    store: Path, con: duckdb.DuckDBPyConnection, defs: list[dict[str, Any]], reference: dt.date
) -> pd.DataFrame:
    """What a polars user writes: one lazy scan of the events with, per criterion, the matching events'
    count (and first start / last end for spans) per person, joined to the persons; the logic over the
    criterion flags gives the membership mask, counted per wijk and mask."""
    import polars as pl

    r = reference
    events = pl.scan_parquet(store / "parquet" / "event.parquet").select(
        "person_id", "source_id", "concept", "start_date", pl.col("end_date").fill_null(r).alias("end")
    )
    aggs, criteria = [], {}
    for i, d in enumerate(defs):
        period = (d.get("reference_period") or {}).get("months", 12)
        for c in d["criteria"]:
            w = window_start(reference, c.get("window_months") or period)
            match = pl.col("concept").is_in(concepts_of(c)) & (pl.col("end") >= w)
            if c.get("sources"):
                match &= pl.col("source_id").is_in(c["sources"])
            name = f"d{i}_{c['id']}"
            aggs.append(match.sum().alias(name))
            flag = pl.col(name) >= (c.get("min_occurrences") or 1)
            if c.get("min_span_days") is not None:
                aggs.append(pl.col("start_date").filter(match).min().alias(name + "_first"))
                aggs.append(pl.col("end").filter(match).max().alias(name + "_last"))
                span = (
                    pl.min_horizontal(pl.col(name + "_last"), pl.lit(r))
                    - pl.max_horizontal(pl.col(name + "_first"), pl.lit(w))
                ).dt.total_days()
                flag &= span.fill_null(-1) >= c["min_span_days"]
            criteria[(i, c["id"])] = flag
    relevant = sorted({k for d in defs for c in d["criteria"] for k in concepts_of(c)})
    per_person = (
        events.filter((pl.col("start_date") <= r) & pl.col("concept").is_in(relevant))
        .group_by("person_id")
        .agg(aggs)
    )
    persons = pl.scan_parquet(store / "parquet" / "person.parquet").select(
        "id", "birth_year", "residence_gemeente", "residence_wijk"
    )
    joined = persons.join(per_person, left_on="id", right_on="person_id", how="inner")
    age = r.year - pl.col("birth_year")
    mask = pl.lit(0, dtype=pl.Int64)
    for i, d in enumerate(defs):
        flags = [criteria[(i, o)] for o in d["logic"]["operands"]]
        op = d["logic"]["op"]
        member = (
            pl.all_horizontal(flags)
            if op == "all"
            else pl.any_horizontal(flags)
            if op == "any"
            else pl.sum_horizontal([f.cast(pl.Int32) for f in flags]) >= d["logic"]["k"]
        )
        pop = d.get("population") or {}
        if pop.get("age_min") is not None:
            member &= (age >= pop["age_min"]).fill_null(False)
        if pop.get("age_max") is not None:
            member &= (age <= pop["age_max"]).fill_null(False)
        mask = mask + (member.cast(pl.Int64) * (1 << i))
    wijk = pl.coalesce(
        pl.col("residence_wijk"), pl.col("residence_gemeente").fill_null("onbekend") + "-onbekend"
    )
    masks = (
        joined.select(wijk.alias("region_code"), mask.alias("mask"))
        .filter(pl.col("mask") != 0)
        .group_by("region_code", "mask")
        .agg(pl.len().alias("n"))
        .collect()
    )
    return pairs_from_masks(masks.to_pandas(), [d["id"] for d in defs])


# --- 5. the floor ------------------------------------------------------------------------------------------
def run_floor(
    store: Path, con: duckdb.DuckDBPyConnection, defs: list[dict[str, Any]], reference: dt.date
) -> pd.DataFrame:
    """Every event joined to its person, counted per wijk: less than any definition needs."""
    out = con.execute(
        "SELECT p.residence_wijk AS wijk, count(*) AS n FROM event e JOIN person p ON p.id = e.person_id "
        "GROUP BY 1"
    ).df()
    return out.assign(a="", b="")[["wijk", "a", "b", "n"]]


# --- harness -----------------------------------------------------------------------------------------
def scaled_store(store: Path, scale: int, workdir: Path) -> Path:
    """A store directory (DuckDB file and Parquet) with the store's persons and events replicated `scale` times."""
    if scale == 1:
        return store
    target = workdir / f"scaled_{scale}"
    (target / "parquet").mkdir(parents=True)
    con = duckdb.connect(str(target / "zicht.duckdb"))
    con.execute(f"ATTACH '{store / 'zicht.duckdb'}' AS src (READ_ONLY)")
    con.execute(f"""CREATE TABLE person AS SELECT id || '-' || k AS id, sex, birth_year, residence_gemeente,
                    residence_wijk, residence_buurt, record_key FROM src.person, range({scale}) t(k)""")
    con.execute(f"""CREATE TABLE event AS SELECT e.* REPLACE (id || '-' || k AS id, person_id || '-' || k AS person_id)
                    FROM src.event e, range({scale}) t(k)""")
    for table in ("person", "event"):
        con.execute(f"COPY {table} TO '{target / 'parquet' / (table + '.parquet')}' (FORMAT parquet)")
    con.close()
    return target


def descendants() -> list[tuple[float, float]]:
    """(CPU s, peak RSS MB) of every live descendant process (the Spark engine's local JVM), from /proc."""
    procs: dict[int, tuple[int, float, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            hwm = next(
                (
                    int(line.split()[1])
                    for line in (entry / "status").read_text().splitlines()
                    if line.startswith("VmHWM:")
                ),
                0,
            )
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile, or a kernel thread
        procs[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, hwm / 1024)
    mine, frontier = {}, [os.getpid()]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, cpu_s, peak) in procs.items():
            if ppid == parent and pid not in mine:
                mine[pid] = (cpu_s, peak)
                frontier.append(pid)
    return list(mine.values())


def tree_cpu() -> float:
    return time.process_time() + sum(c for c, _ in descendants())


RUNNERS = {"sql": run_sql, "polars": run_polars, "pandas": run_pandas, "floor": run_floor}


def child(store: Path, method: str, reference: dt.date, repeat: int) -> None:
    con = duckdb.connect(str(store / "zicht.duckdb"), read_only=True)
    defs = definitions()
    if method == "zicht" or method.startswith("zicht:"):
        engine = method.partition(":")[2] or None

        def fn(
            store: Path, con: duckdb.DuckDBPyConnection, defs: list[dict[str, Any]], reference: dt.date
        ) -> pd.DataFrame:
            return run_zicht(store, con, defs, reference, engine)
    else:
        fn = RUNNERS[method]
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), tree_cpu()
        result = fn(store, con, defs, reference)
        times.append(time.perf_counter() - start)
        cpu.append(
            tree_cpu() - start_cpu
        )  # all threads of the process (DuckDB's and polars' too) and the JVM
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + sum(m for _, m in descendants())
    digest = pd.util.hash_pandas_object(result, index=False).sum()
    print(
        json.dumps(
            {
                "method": method,
                "best_s": min(times),
                "times": times,
                "best_cpu_s": min(cpu),
                "peak_mb": peak_mb,
                "rows": len(result),
                "checksum": int(digest) % (1 << 62),
                "persons": con.execute("SELECT count(*) FROM person").fetchone()[0],
                "events": con.execute("SELECT count(*) FROM event").fetchone()[0],
            }
        )
    )


def ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}x" if base else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--date", default="2024-12-31")
    ap.add_argument(
        "--methods",
        default=",".join(METHODS),
        help="comma-separated: zicht, zicht:ENGINE, sql, polars, pandas, floor",
    )
    ap.add_argument("--child", nargs=2, metavar=("STORE", "METHOD"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    reference = dt.date.fromisoformat(args.date)
    if args.child:
        child(Path(args.child[0]), args.child[1], reference, args.repeat)
        return
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in RUNNERS and m != "zicht" and not m.startswith("zicht:")]
    if unknown:
        ap.error(f"unknown method(s) {', '.join(unknown)}")
    with tempfile.TemporaryDirectory(prefix="zicht-bench-") as tmp:
        # built in a subprocess: a child's peak RSS would otherwise start from this process's peak
        if args.scale == 1:
            store = args.store
        else:
            store = Path(tmp) / f"scaled_{args.scale}"
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import sys; sys.path.insert(0, sys.argv[1]); import bench_compare as b; "
                    "from pathlib import Path; b.scaled_store(Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))",
                    str(Path(__file__).parent),
                    str(args.store),
                    str(args.scale),
                    tmp,
                ],
                check=True,
            )
        results = {}
        for method in methods:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--store",
                    str(args.store),
                    "--date",
                    args.date,
                    "--repeat",
                    str(args.repeat),
                    "--child",
                    str(store),
                    method,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                sys.exit(f"{method} failed:\n{out.stderr}")
            results[method] = json.loads(out.stdout.strip().splitlines()[-1])
    compared = {m: r for m, r in results.items() if m not in NOT_COMPARED}
    sums = {r["checksum"] for r in compared.values()}
    first = next(iter(compared.values()), next(iter(results.values())))
    polars, floor = results.get("polars"), results.get("floor")
    print(
        f"store {args.store} x{args.scale}: {first['persons']:,} persons, {first['events']:,} events; "
        f"20 definitions, counts per wijk + pairwise overlaps ({first['rows']:,} rows); best of {args.repeat}"
    )
    print(
        "| method | wall s | CPU s | peak MB | wall vs polars | CPU vs polars | wall vs floor | CPU vs floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for method, r in results.items():
        print(
            f"| {method} | {r['best_s']:.2f} | {r['best_cpu_s']:.2f} | {r['peak_mb']:.0f} | "
            f"{ratio(r['best_s'], polars and polars['best_s'])} | {ratio(r['best_cpu_s'], polars and polars['best_cpu_s'])} | "
            f"{ratio(r['best_s'], floor and floor['best_s'])} | {ratio(r['best_cpu_s'], floor and floor['best_cpu_s'])} |"
        )
    print(
        "identical results: "
        + ("yes" if len(sums) == 1 else f"NO {sorted(sums)}")
        + f" ({', '.join(compared)})"
    )
    if len(sums) != 1:
        sys.exit(1)


if __name__ == "__main__":
    main()
