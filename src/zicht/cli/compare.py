"""`zicht compare`: definitions side by side per region, safely suppressed, with a run manifest."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer

from zicht.errors import InputError


def compare_command(
    store: Path = typer.Option(..., "--store", help="Harmonised store folder (made by `zicht harmonise`)."),
    definitions: str = typer.Option(..., "--definitions", help="Comma-separated definition ids from the registry "
                                    "(id = current version, id@version = that version)."),
    date: str = typer.Option(..., "--date", help="Reference date YYYY-MM-DD."),
    level: str = typer.Option("wijk", "--level", help="gemeente, wijk or buurt (totals above are included)."),
    fmt: str = typer.Option("csv", "--format", help="csv (manifest as first comment line), json or parquet "
                            "(manifest in the file metadata)."),
    out: Path = typer.Option(None, "--out", help="Output file (default: standard output; parquet needs --out)."),
    attrition_level: str = typer.Option("gemeente", "--attrition-level", help="Criterion attrition down to this "
                                        "level (gemeente, wijk or buurt; not below --level)."),
    intersection_level: str = typer.Option("gemeente", "--intersection-level", help="UpSet intersections down to "
                                           "this level (gemeente, wijk or buurt; not below --level)."),
    threshold: int = typer.Option(10, "--threshold", help="Primary suppression: counts below this are suppressed."),
    rounding: int = typer.Option(5, "--rounding", help="Published counts are rounded to a multiple of this."),
    min_respondents: int = typer.Option(50, "--min-respondents", help="Survey estimates need this many respondents."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or in_memory (the slow reference)."),
    registry: Path = typer.Option(None, "--registry", help="Registry folder (default: $ZICHT_REGISTRY, ./registry in "
                                  "the working directory, else the packaged seed definitions; printed on stderr)."),
) -> None:
    """Compare target-group definitions per gemeente, wijk or buurt: counts, rates per 1,000, standardised
    rates, overlaps, intersections, criterion attrition, source coverage and survey estimates, all
    through disclosure control, with a run manifest."""
    from zicht.compare import FORMATS, SurveyRules, compare
    from zicht.disclosure import DisclosureRules
    from zicht.registry.location import find_registry

    try:
        reference_date = dt.date.fromisoformat(date)
    except ValueError:
        raise InputError(f"--date: {date!r} is not a date YYYY-MM-DD") from None
    if fmt not in FORMATS:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt == "parquet" and out is None:
        raise InputError("--format parquet needs --out FILE")
    names = [d.strip() for d in definitions.split(",") if d.strip()]
    if not names:
        raise InputError("--definitions: give at least one definition id")
    if min_respondents < 1:
        raise InputError(f"--min-respondents must be at least 1, got {min_respondents}")
    where = find_registry(registry)
    typer.echo(where.describe(), err=True)
    result = compare(store, names, reference_date, level,
                     rules=DisclosureRules(threshold=threshold, rounding_base=rounding),
                     survey_rules=SurveyRules(min_respondents=min_respondents), engine=engine, registry=where.path,
                     attrition_level=attrition_level, intersection_level=intersection_level)
    data = result.to_bytes(fmt)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.write_bytes(data)
        typer.echo(f"wrote {out} ({len(result.counts)} count rows, {len(result.pairs)} pair rows)", err=True)
