"""`zicht explain A B`: why each count changed between two runs, split into its causes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from zicht.choices import TextCsvJson
from zicht.cli.numbers import nl_number, nl_signed
from zicht.cli.params import CsvDialectOption
from zicht.errors import InputError


def explain_command(
    run_a: Annotated[
        Path,
        typer.Argument(
            help="Run A: the JSON of `zicht compare --format json`, the manifest beside a "
            "CSV (.manifest.json), or a manifest from the API's counts."
        ),
    ],
    run_b: Annotated[Path, typer.Argument(help="Run B, the same kinds of file.")],
    stores: Annotated[
        list[Path],
        typer.Option(
            "--store",
            help="A store a run used (repeat for each; add a store of A's "
            "extracts harmonised with B's mapping sets to split mappings from data).",
        ),
    ],
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            help="Registry folder holding both runs' definition versions "
            "(default as for zicht compare; printed on stderr).",
        ),
    ] = None,
    region: Annotated[
        list[str] | None, typer.Option("--region", help="Only this region code (repeatable).")
    ] = None,
    fmt: Annotated[TextCsvJson, typer.Option("--format", help="Output format.")] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file instead of standard output.")
    ] = None,
    csv_dialect: CsvDialectOption = "standard",
) -> None:
    """Split the change of every count per region between two runs into its causes: definition version,
    mapping set versions, data snapshot and reference date.

    Starting from run A the factors are switched to run B's one at a time, in that order; every step is a
    comparison through the same disclosure control as any count, and a factor's contribution is the
    change of the published value at its step (they add up to B − A)."""
    from zicht.compare import compare
    from zicht.explain import State, explain, find_store, read_run, store_info
    from zicht.registry.location import find_registry

    a, b = read_run(run_a), read_run(run_b)
    if a.level != b.level:
        raise InputError(
            f"the runs are at different levels ({a.level} and {b.level}); explain compares like with like"
        )
    infos = [store_info(p) for p in stores]
    where = find_registry(registry)
    typer.echo(where.describe(), err=True)
    state_a = State(find_store(a, infos), _documents(a, where.path), a.reference_date)
    state_b = State(find_store(b, infos), _documents(b, where.path), b.reference_date)

    def runner(state: State, level: str):
        versions = ", ".join(f"{i} {d.get('version')}" for i, d in state.definitions)
        typer.echo(f"zicht: comparing at {state.reference_date} on {state.store.path} ({versions})", err=True)
        return compare(state.store.path, state.documents(), state.reference_date, level, registry=where.path)

    result = explain(state_a, state_b, a.level, runner, infos)
    if region:
        result.rows = result.rows[result.rows["region_code"].isin(region)].reset_index(drop=True)
    if fmt == "json":
        data = (json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    elif fmt == "csv":
        data = result.to_csv(csv_dialect)
    else:
        data = render_text(result).encode("utf-8")
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.write_bytes(data)
        typer.echo(f"wrote {out} ({len(result.rows)} rows)", err=True)


def _documents(run, root: Path) -> tuple:
    from zicht.compare.definitions import resolve
    from zicht.registry.normalise import content_hash

    out = []
    for d in run.definitions:
        [doc] = resolve([f"{d['id']}@{d['version']}"], root)
        if d["content_hash"] and content_hash(doc) != d["content_hash"]:
            raise InputError(
                f"{run.label}: {d['id']} {d['version']} ran with content {d['content_hash']}, but the "
                f"registry's file has {content_hash(doc)}; explain needs the version that ran"
            )
        out.append((d["id"], doc))
    return tuple(out)


STATUS_WORDS = {
    "suppressed": "suppressed",
    "no_source": "no source",
    "too_few_respondents": "too few respondents",
    "absent": "absent",
}


def render_text(result) -> str:
    from zicht.explain import LABELS_NL, ORDER_TEXT
    from zicht.explain.attribute import COLUMNS

    lines = [f"Why the numbers changed ({result.level}); {ORDER_TEXT}.", ""]
    for i, step in enumerate(result.steps):
        lines.append(
            f"  step {i}: {'run A' if step.factor is None else LABELS_NL[step.factor]} — {step.change}"
        )
    lines += [f"  note: {n}" for n in result.notes]
    lines.append("")
    factors = result.factors
    for r in result.rows.to_dict(orient="records"):
        name = r["region_name"] or r["region_code"]
        unit = "%" if r["measure"] == "estimate_percent" else ""
        head = f"{name} ({r['region_code']}), {r['definition']}: "
        if r["split"] != "split":
            a = (
                nl_number(r["value_a"])
                if r["status_a"] == "published"
                else STATUS_WORDS.get(r["status_a"], r["status_a"])
            )
            b = (
                nl_number(r["value_b"])
                if r["status_b"] == "published"
                else STATUS_WORDS.get(r["status_b"], r["status_b"])
            )
            lines.append(f"{head}{a} → {b}; {r['split']}")
            continue
        parts = ", ".join(f"{LABELS_NL[f]} {nl_signed(r[COLUMNS[f]])}{unit}" for f in factors)
        lines.append(
            f"{head}{nl_number(r['value_a'])}{unit} → {nl_number(r['value_b'])}{unit} "
            f"({nl_signed(r['change'])}{unit}){': ' + parts if factors else ''}"
        )
    return "\n".join(lines) + "\n"
