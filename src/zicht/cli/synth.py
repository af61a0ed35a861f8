"""`zicht synth`: synthetic population, source extracts, defects and ground truth; `zicht regions`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from zicht.choices import SynthRegion

app = typer.Typer(help="Generate synthetic person-level data with known ground truth.")
regions_app = typer.Typer(
    help="Real CBS regions (2024) with synthetic buurten, and their population.", no_args_is_help=True
)


@app.callback(invoke_without_command=True)
def synth_run(
    ctx: typer.Context,
    region: Annotated[
        SynthRegion, typer.Option("--region", help="twente (14 gemeenten) or nl (all 342).")
    ] = "twente",
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; the same seed gives byte-identical output.")
    ] = 1,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output directory (required unless a subcommand is given).")
    ] = None,
    gemeente: Annotated[
        list[str] | None, typer.Option("--gemeente", help="Only these gemeenten (GMxxxx); repeatable.")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Parallel worker processes.")] = 1,
    force: Annotated[bool, typer.Option("--force", help="Replace earlier synthetic output in DIR.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Generate persons, source extracts, the defect manifest and the ground truth for a region."""
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise typer.BadParameter("give an output directory", param_hint="--out")
    from zicht.regions import gemeente_codes
    from zicht.synth.run import run

    total = len(gemeente or gemeente_codes(region))
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task(f"synth {region}", total=total)
        manifest = run(
            region,
            seed,
            out,
            gemeenten=gemeente or None,
            workers=workers,
            force=force,
            on_progress=lambda r: progress.update(task, advance=1, description=f"{r.gemeente}"),
        )
    timings = json.loads((out / "synth-timings.json").read_text(encoding="utf-8"))
    typer.echo(
        f"{manifest['persons']:,} persons in {len(manifest['gemeenten'])} gemeenten, "
        f"{len(manifest['rows'])} files, {manifest['defects']} defects, {timings['seconds']} s -> {out}"
    )


@app.command("descriptors")
def synth_descriptors(
    out: Annotated[
        Path | None, typer.Option("--out", help="Mappings directory (default: the project's mappings/).")
    ] = None,
) -> None:
    """Write mappings/<source>.source.yaml and <source>.codes.csv of every synthetic source."""
    from zicht import paths
    from zicht.regions import gemeente_codes
    from zicht.synth.descriptors import write_mappings

    written = write_mappings(out or paths.mappings_dir(), gemeente_codes("nl"))
    typer.echo(f"wrote {len(written)} files")


@app.command("calibration")
def synth_calibration(
    store: Annotated[
        list[Path],
        typer.Option(
            "--store",
            metavar="[NAME=]DIR",
            help="A harmonised store folder; repeatable (NAME=DIR names its column).",
        ),
    ],
) -> None:
    """Measure the calibration figures (docs/synthetic-data.md) on stores; print them against the sources."""
    from zicht.synth.calibration import measure, table

    measured = {}
    for item in store:
        name, _, folder = str(item).rpartition("=") if "=" in str(item) else (item.name, "", str(item))
        measured[name] = measure(Path(folder))
    typer.echo(table(measured))


@regions_app.command("export")
def regions_export(
    out: Annotated[Path, typer.Option("--out", help="Directory for regions.parquet and population.parquet.")],
    region: Annotated[SynthRegion, typer.Option("--region", help="Which regions.")] = "nl",
) -> None:
    """Write the Region and Population rows as Parquet."""
    from zicht.parquet import write_parquet
    from zicht.regions import NL_CODE, TWENTE_CODE, gemeente_codes, population, regions

    codes = gemeente_codes(region)
    out.mkdir(parents=True, exist_ok=True)
    reg = regions()
    if region == "twente":
        keep = reg["id"].isin(codes) | reg["parent"].isin(codes) | reg["id"].isin([NL_CODE, TWENTE_CODE])
        wijk_codes = reg.loc[keep & (reg["level"] == "wijk"), "id"]
        reg = reg[keep | reg["parent"].isin(wijk_codes)]
    write_parquet(reg, out / "regions.parquet")
    pop = population(gemeente_filter=codes)
    write_parquet(pop, out / "population.parquet")
    typer.echo(f"{len(reg):,} regions, {len(pop):,} population cells -> {out}")
