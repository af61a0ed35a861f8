"""`zicht demo`: the main job on the embedded defaults, end to end, with no server to set up.

Synthetic Twente extracts → harmonised store (built once in the user cache) → every definition in the
registry compared per gemeente at the reference date, through disclosure control → a table on screen
and the full result (CSV + JSON with the run manifest) in an output folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zicht.api.settings import PAGE_REFERENCE_DATE
from zicht.cli.numbers import nl_number
from zicht.cli.params import DATE_METAVAR, reference_date
from zicht.errors import InputError
from zicht.regions.codes import ResidenceLevel

if TYPE_CHECKING:  # imported when the command runs, so that `zicht --help` stays light
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    from zicht.compare import ComparisonResult

# The page's words for a count that is not published (web/static/js/format.js COUNT_STATUS_NL).
COUNT_STATUS_NL = {
    "suppressed": "onderdrukt (kleine aantallen)",
    "not_covered": "geen brondekking",
    "no_source": "geen brondekking",
    "too_few_respondents": "te weinig respondenten",
    "absent": "niet in deze run",
}

DEFAULT_DATE = dt.date.fromisoformat(PAGE_REFERENCE_DATE)


def _header(definition_id: str, width: int = 11) -> str:
    """``ggz-specialised-12m`` → lines of at most ``width`` characters, broken after hyphens."""
    lines: list[str] = []
    for piece in [p + "-" for p in definition_id.split("-")[:-1]] + [definition_id.split("-")[-1]]:
        if lines and len(lines[-1]) + len(piece) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return "\n".join(lines)


def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the comparison files.")] = Path("zicht-demo"),
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", help="Harmonised store (default: the Twente demo store, built on first run)."
        ),
    ] = None,
    date: Annotated[
        dt.date,
        typer.Option("--date", parser=reference_date, metavar=DATE_METAVAR, help="Reference date."),
    ] = DEFAULT_DATE,
    level: Annotated[ResidenceLevel, typer.Option("--level", help="Level of the table.")] = "gemeente",
) -> None:
    """Run the Twente demo: build the synthetic store once, compare all registry definitions per gemeente."""
    from rich.console import Console

    from zicht.registry.location import find_registry

    console = Console(stderr=True)
    where = find_registry()
    console.print(where.describe(), highlight=False)
    ids = _published_ids(where.path)
    resolved, result = _compare_with_progress(console, store, ids, date, level, where.path)
    console.print(
        f"zicht: compared {len(ids)} definitions per {level} at {date:%d-%m-%Y} on {resolved}",
        highlight=False,
    )
    csv_path, excel_path = _write_files(result, out, level)
    shown = result.counts.loc[result.counts["level"].isin(["total", level])]
    Console().print(_table(shown, level, date))
    _print_notes(console, result, shown)
    console.print(
        f"wrote {csv_path} (pandas, R: comma, decimal point), {excel_path} (Excel: semicolon, decimal "
        f"comma) with their run manifest {out / f'compare-{level}.manifest.json'}, and "
        f"{out / f'compare-{level}.json'}; browse the wijkscan page with `zicht serve`",
        highlight=False,
    )


def _published_ids(registry: Path | None) -> list[str]:
    """The registry's published and deprecated definitions (a registry with errors stops the demo)."""
    from zicht.registry.check import check_registry
    from zicht.registry.files import load_registry

    findings = [f for f in check_registry(registry) if f.severity == "error"]
    if findings:
        raise InputError(f"the registry has {len(findings)} error(s); run `zicht registry check`")
    return [
        f.data["id"]
        for f in load_registry(registry)
        if not f.archived and f.data.get("status") in ("published", "deprecated")
    ]


def _compare_with_progress(
    console: Console, store: Path | None, ids: list[str], date: dt.date, level: str, registry: Path | None
) -> tuple[Path, ComparisonResult]:
    """The store (built on first run) and the comparison, under one progress bar for the whole job."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from zicht.api.demo import resolve_store
    from zicht.compare import compare

    with Progress(
        TextColumn("{task.description:<24}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("voorbereiden", total=100)

        def step(fraction: float, label: str) -> None:
            bar.update(task, completed=round(90 * fraction, 1), description=label)

        resolved = resolve_store(store, echo=lambda msg: bar.console.print(msg, highlight=False), step=step)
        bar.update(task, completed=90, description=f"{len(ids)} definities vergelijken")
        result = compare(resolved, ids, date, level, registry=registry)
        bar.update(task, completed=100, description="klaar")
    return resolved, result


def _write_files(result: ComparisonResult, out: Path, level: str) -> tuple[Path, Path]:
    """CSV (standard and Excel dialect, with the manifest beside it) and JSON into the output folder."""
    out.mkdir(parents=True, exist_ok=True)
    csv_path, excel_path = out / f"compare-{level}.csv", out / f"compare-{level}-excel.csv"
    result.write(csv_path, "csv")
    excel_path.write_bytes(result.to_bytes("csv", "excel"))
    result.write(out / f"compare-{level}.json", "json")
    return csv_path, excel_path


def _table(shown: pd.DataFrame, level: str, date: dt.date) -> Table:
    """Rate per 1,000 (count) per region × definition, with the page's words where nothing is published."""
    from rich import box
    from rich.table import Table

    table = Table(
        title=f"Per 1.000 inwoners (aantal) per {level}, {date:%d-%m-%Y} — synthetische data, "
        "na statistische beveiliging",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column(level, no_wrap=True, min_width=14)
    definitions = sorted(shown["definition"].unique())
    for d in definitions:
        # the id in lines broken after its hyphens, so that an 80-column terminal shows it whole
        table.add_column(_header(d), justify="right", min_width=11, overflow="fold")
    for (code, name), rows in shown.groupby(["region_code", "region_name"], sort=False):
        cells = []
        by_def = rows.set_index("definition")
        for d in definitions:
            row = by_def.loc[d]
            if row["count_status"] != "published":
                status = str(row["count_status"])
                cells.append(COUNT_STATUS_NL.get(status, status.replace("_", " ")))
            else:
                cells.append(f"{nl_number(row['rate_per_1000'], 1)}\n({nl_number(row['count'])})")
        table.add_row("Totaal" if code == name else name, *cells)
    return table


def _print_notes(console: Console, result: ComparisonResult, shown: pd.DataFrame) -> None:
    """Below the table: missing coverage, the national survey estimates and the disclosure rules."""
    if (shown["count_status"] == "no_source").any():
        console.print(
            "geen brondekking: a source the definition needs is missing in that gemeente — no count, never a zero"
        )
    est = result.estimates
    if len(est):
        top = est.loc[est["level"] == "total"]
        for _, row in top.iterrows():
            if row["estimate_status"] == "published":
                console.print(
                    f"{row['definition']}: schatting {nl_number(row['estimate_percent'], 1)}% "
                    f"(95%-BI {nl_number(row['ci_low_percent'], 1)}–{nl_number(row['ci_high_percent'], 1)}), "
                    f"{nl_number(row['respondents'])} respondenten"
                )
    rules = result.manifest.get("disclosure", {})
    console.print(
        f"disclosure control: cell key method — every count is published with a deviation of at most "
        f"{rules.get('max_deviation')} persons (mean 0, variance {rules.get('variance')}), the same for the same "
        f"persons in every table; zeros stay 0, no count is published as 1 to {rules.get('blocked_upto')} "
        "(full rules in the manifest)"
    )
