"""Benchmark: 20 definitions → counts per wijk + pairwise overlaps per wijk, three ways in one run.

1. zicht: registry definitions compiled to query trees, DuckDB engine `tabulate`, pairs from the masks;
2. one hand-written DuckDB SQL query computing the same numbers;
3. a straightforward pandas version.

All three must give identical numbers (checked). Each method runs in a fresh subprocess (so peak memory
is per method); time is the best of `--repeat` runs. Results are printed as a table with ratios to the
hand-written SQL. `--scale N` replicates the store's persons and events N times into a temporary DuckDB
file (ids suffixed, same residences), to measure beyond the size of the store at hand.

    python benchmarks/bench_compare.py --store STORE [--scale 1] [--repeat 3] [--date 2024-12-31]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
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

METHODS = ("zicht", "sql", "pandas")


# --- the 20 definitions ------------------------------------------------------------------------------
def definitions() -> list[dict[str, Any]]:
    """The five registration seed definitions plus 15 variants (windows, minimum occurrences, k, spans)."""
    seeds = {f.data["id"]: f.data for f in load_registry() if not f.archived}
    out = [seeds[i] for i in ("epa-ggz-wmo", "ggz-specialised-12m", "e33-12m", "multi-domain-2of5",
                              "bemoeizorg-meldpunt-12m")]

    def variant(base: str, new_id: str, change) -> None:
        d = copy.deepcopy(seeds[base])
        d["id"] = new_id
        change(d)
        out.append(d)

    for months in (6, 24, 36):
        variant("ggz-specialised-12m", f"ggz-specialised-{months}m",
                lambda d, m=months: (d.update(reference_period={"months": m}), d["criteria"][0].update(window_months=m)))
        variant("e33-12m", f"e33-{months}m",
                lambda d, m=months: (d.update(reference_period={"months": m}), d["criteria"][0].update(window_months=m)))
    variant("e33-12m", "e33-12m-2x", lambda d: d["criteria"][0].update(min_occurrences=2))
    variant("ggz-specialised-12m", "ggz-specialised-12m-2x", lambda d: d["criteria"][0].update(min_occurrences=2))
    variant("multi-domain-2of5", "multi-domain-3of5", lambda d: d["logic"].update(k=3))
    variant("multi-domain-2of5", "multi-domain-1of5", lambda d: d["logic"].update(k=1))
    variant("epa-ggz-wmo", "epa-span-1y", lambda d: d["criteria"][0].update(min_span_days=365))
    variant("epa-ggz-wmo", "epa-all-ages", lambda d: d.pop("population"))
    variant("bemoeizorg-meldpunt-12m", "meldpunt-24m",
            lambda d: (d.update(reference_period={"months": 24}), d["criteria"][0].update(window_months=24)))
    variant("ggz-specialised-12m", "ggz-specialised-adults",
            lambda d: d.update(population={"age_min": 18}))
    variant("multi-domain-2of5", "multi-domain-2of5-24m", lambda d: (
        d.update(reference_period={"months": 24}), [c.update(window_months=24) for c in d["criteria"]]))
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
def run_zicht(con: duckdb.DuckDBPyConnection, defs: list[dict[str, Any]], reference: dt.date) -> pd.DataFrame:
    from zicht.compare.regions import rollup, with_keys
    from zicht.engines import get_engine
    from zicht.engines.store import Store
    from zicht.query_model import compile_definition

    queries = [compile_definition(d) for d in defs]
    tab = get_engine("duckdb").tabulate(Store(con), queries, [], reference, attrition=False)
    masks = rollup(with_keys(tab.members), ["mask"], ["n"], "wijk")
    masks = masks[masks["level"] == "wijk"].groupby(["region_code", "mask"], as_index=False)["n"].sum()
    return pairs_from_masks(masks, [d["id"] for d in defs])


def pairs_from_masks(masks: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """Counts (a == b) and overlaps (a < b) per wijk from persons per membership mask."""
    rows = []
    m = masks["mask"].to_numpy("int64")
    for i, a in enumerate(ids):
        for j in range(i, len(ids)):
            hit = ((m >> i) & 1 == 1) & ((m >> j) & 1 == 1)
            sums = masks[hit].groupby("region_code")["n"].sum()
            rows.extend((w, a, ids[j], int(n)) for w, n in sums.items())
    return _canonical(pd.DataFrame(rows, columns=["wijk", "a", "b", "n"]))


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
                having += (f" AND least({r}, max(coalesce(end_date, {r}))) - greatest({w}, min(start_date))"
                           f" >= {c['min_span_days']}")
            name = f"d{i}c{j}"
            ctes.append(f"{name} AS (SELECT person_id FROM event WHERE {where} GROUP BY person_id HAVING {having})")
            flags.append((c["id"], name))
        logic = d["logic"]
        parts = [f"(p.id IN (SELECT person_id FROM {name}))" for cid, name in flags if cid in logic["operands"]]
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


def run_sql(con: duckdb.DuckDBPyConnection, defs: list[dict[str, Any]], reference: dt.date) -> pd.DataFrame:
    out = con.execute(hand_sql(defs, reference)).df()
    ids = [d["id"] for d in defs]
    out["a"] = [ids[i] for i in out["a"]]
    out["b"] = [ids[i] for i in out["b"]]
    return _canonical(out[["wijk", "a", "b", "n"]])


# --- 3. pandas ---------------------------------------------------------------------------------------
def run_pandas(con: duckdb.DuckDBPyConnection, defs: list[dict[str, Any]], reference: dt.date) -> pd.DataFrame:
    person = con.execute("SELECT id, birth_year, residence_gemeente, residence_wijk FROM person").df()
    event = con.execute("SELECT person_id, source_id, concept, start_date, end_date FROM event").df()
    r = pd.Timestamp(reference)
    event["end_or_r"] = event["end_date"].fillna(r)
    person["age"] = reference.year - person["birth_year"]
    person["wijk"] = person["residence_wijk"].fillna(person["residence_gemeente"].fillna("onbekend") + "-onbekend")
    mask = pd.Series(0, index=person["id"].to_numpy(), dtype="int64")
    for i, d in enumerate(defs):
        period = (d.get("reference_period") or {}).get("months", 12)
        flags = {}
        for c in d["criteria"]:
            w = pd.Timestamp(window_start(reference, c.get("window_months") or period))
            ev = event[event["concept"].isin(concepts_of(c)) & (event["start_date"] <= r) & (event["end_or_r"] >= w)]
            if c.get("sources"):
                ev = ev[ev["source_id"].isin(c["sources"])]
            g = ev.groupby("person_id").agg(n=("start_date", "size"), first=("start_date", "min"), last=("end_or_r", "max"))
            ok = g["n"] >= (c.get("min_occurrences") or 1)
            if c.get("min_span_days") is not None:
                span = (g["last"].clip(upper=r) - g["first"].clip(lower=w)).dt.days
                ok &= span >= c["min_span_days"]
            flags[c["id"]] = person["id"].isin(g.index[ok]).to_numpy()
        ops = np.array([flags[o] for o in d["logic"]["operands"]])
        op = d["logic"]["op"]
        member = ops.all(axis=0) if op == "all" else ops.any(axis=0) if op == "any" else \
            ops.sum(axis=0) >= d["logic"]["k"]
        pop = d.get("population") or {}
        if pop.get("age_min") is not None:
            member &= (person["age"] >= pop["age_min"]).fillna(False).to_numpy(bool)
        if pop.get("age_max") is not None:
            member &= (person["age"] <= pop["age_max"]).fillna(False).to_numpy(bool)
        mask += member.astype("int64") << i
    masks = pd.DataFrame({"region_code": person["wijk"].to_numpy(), "mask": mask.to_numpy()})
    masks = masks[masks["mask"] != 0].groupby(["region_code", "mask"], as_index=False).size().rename(columns={"size": "n"})
    return pairs_from_masks(masks, [d["id"] for d in defs])


# --- harness -----------------------------------------------------------------------------------------
def scaled_store(store: Path, scale: int, workdir: Path) -> Path:
    """A DuckDB file with the store's person and event tables replicated `scale` times."""
    if scale == 1:
        return store / "zicht.duckdb"
    target = workdir / f"scaled_{scale}.duckdb"
    con = duckdb.connect(str(target))
    con.execute(f"ATTACH '{store / 'zicht.duckdb'}' AS src (READ_ONLY)")
    con.execute(f"""CREATE TABLE person AS SELECT id || '-' || k AS id, sex, birth_year, residence_gemeente,
                    residence_wijk, residence_buurt, record_key FROM src.person, range({scale}) t(k)""")
    con.execute(f"""CREATE TABLE event AS SELECT e.* REPLACE (id || '-' || k AS id, person_id || '-' || k AS person_id)
                    FROM src.event e, range({scale}) t(k)""")
    con.close()
    return target


def child(db: Path, method: str, reference: dt.date, repeat: int) -> None:
    con = duckdb.connect(str(db), read_only=True)
    defs = definitions()
    fn = {"zicht": run_zicht, "sql": run_sql, "pandas": run_pandas}[method]
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn(con, defs, reference)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)  # all threads of the process (DuckDB's too)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    digest = pd.util.hash_pandas_object(result, index=False).sum()
    print(json.dumps({"method": method, "best_s": min(times), "times": times, "best_cpu_s": min(cpu),
                      "peak_mb": peak_mb,
                      "rows": len(result), "checksum": int(digest) % (1 << 62),
                      "persons": con.execute("SELECT count(*) FROM person").fetchone()[0],
                      "events": con.execute("SELECT count(*) FROM event").fetchone()[0]}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--date", default="2024-12-31")
    ap.add_argument("--child", nargs=2, metavar=("DB", "METHOD"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    reference = dt.date.fromisoformat(args.date)
    if args.child:
        child(Path(args.child[0]), args.child[1], reference, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = scaled_store(args.store, args.scale, Path(tmp))
        results = {}
        for method in METHODS:
            out = subprocess.run([sys.executable, __file__, "--store", str(args.store), "--date", args.date,
                                  "--repeat", str(args.repeat), "--child", str(db), method],
                                 check=True, capture_output=True, text=True)
            results[method] = json.loads(out.stdout.strip().splitlines()[-1])
    sums = {r["checksum"] for r in results.values()}
    base, base_cpu = results["sql"]["best_s"], results["sql"]["best_cpu_s"]
    first = results["sql"]
    print(f"store {args.store} x{args.scale}: {first['persons']:,} persons, {first['events']:,} events; "
          f"20 definitions, counts per wijk + pairwise overlaps ({first['rows']:,} rows); best of {args.repeat}")
    print("| method | wall s | wall vs SQL | CPU s | CPU vs SQL | peak MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for method in METHODS:
        r = results[method]
        print(f"| {method} | {r['best_s']:.2f} | {r['best_s'] / base:.2f}x | {r['best_cpu_s']:.2f} | "
              f"{r['best_cpu_s'] / base_cpu:.2f}x | {r['peak_mb']:.0f} |")
    print("identical results: " + ("yes" if len(sums) == 1 else f"NO {sorted(sums)}"))
    if len(sums) != 1:
        sys.exit(1)


if __name__ == "__main__":
    main()
