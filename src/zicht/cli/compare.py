"""`zicht compare`: definitions side by side per region, through disclosure control, with a run manifest."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zicht.choices import CompareFormat, CsvDialect, DisclosureMode, EngineName
from zicht.cli.params import DATE_METAVAR, CsvDialectOption, reference_date
from zicht.errors import InputError
from zicht.regions.codes import ResidenceLevel

if TYPE_CHECKING:  # imported when the command runs, so that `zicht --help` stays light
    from zicht.compare import ComparisonResult
    from zicht.disclosure.ptable import PerturbationRules


def compare_command(
    store: Annotated[
        Path, typer.Option("--store", help="Harmonised store folder (made by `zicht harmonise`).")
    ],
    definitions: Annotated[
        str,
        typer.Option(
            "--definitions",
            help="Comma-separated definition ids from the registry "
            "(id = current version, id@version = that version).",
        ),
    ],
    date: Annotated[
        dt.date,
        typer.Option("--date", parser=reference_date, metavar=DATE_METAVAR, help="Reference date."),
    ],
    level: Annotated[
        ResidenceLevel, typer.Option("--level", help="Deepest level (totals above are included).")
    ] = "wijk",
    fmt: Annotated[
        CompareFormat,
        typer.Option(
            "--format",
            help="csv (plain; with --out its manifest is written beside it as "
            "NAME.manifest.json), json (manifest inside) or parquet (manifest in the file metadata).",
        ),
    ] = "csv",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Output file (default: standard output; parquet needs --out)."),
    ] = None,
    attrition_level: Annotated[
        ResidenceLevel | None,
        typer.Option(
            "--attrition-level",
            help="Criterion attrition down to this level (not below --level; default: --level, "
            "gemeente with --disclosure suppress).",
        ),
    ] = None,
    intersection_level: Annotated[
        ResidenceLevel | None,
        typer.Option(
            "--intersection-level",
            help="UpSet intersections down to this level (not below --level; default: "
            "--level, gemeente with --disclosure suppress).",
        ),
    ] = None,
    disclosure: Annotated[
        DisclosureMode,
        typer.Option(
            "--disclosure",
            help="perturb (default: cell key method, every "
            "count published with a small consistent deviation) or suppress (fixed "
            "publication tables: small counts suppressed, LP-audited, rounded).",
        ),
    ] = "perturb",
    max_deviation: Annotated[
        int | None,
        typer.Option("--max-deviation", help="perturb: largest deviation of a published count (default 5)."),
    ] = None,
    variance: Annotated[
        float | None, typer.Option("--variance", help="perturb: variance of the deviation (default 4).")
    ] = None,
    blocked_upto: Annotated[
        int | None,
        typer.Option("--blocked-upto", help="perturb: no count is published as 1 .. this (default 2)."),
    ] = None,
    manifest_out: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="Also write the run manifest (JSON) to this file "
            "(default with --format csv --out NAME.csv: NAME.manifest.json).",
        ),
    ] = None,
    threshold: Annotated[
        int, typer.Option("--threshold", help="suppress: counts below this are suppressed.")
    ] = 10,
    rounding: Annotated[
        int, typer.Option("--rounding", help="suppress: published counts are rounded to a multiple of this.")
    ] = 5,
    min_respondents: Annotated[
        int, typer.Option("--min-respondents", help="Survey estimates need this many respondents.")
    ] = 50,
    engine: Annotated[
        EngineName,
        typer.Option(
            "--engine",
            help="duckdb (default), spark (PySpark: pip install "
            "'zicht[spark]') or in_memory (the slow reference).",
        ),
    ] = "duckdb",
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="--engine spark: local[N] or local[*] (Spark in this process; default "
            "$ZICHT_SPARK_MASTER, else local[*]), spark://HOST:PORT (a cluster), sc://HOST:PORT (Spark Connect), "
            "yarn or k8s://…",
        ),
    ] = None,
    spark_conf: Annotated[
        list[str] | None,
        typer.Option(
            "--spark-conf",
            help="--engine spark: a Spark setting KEY=VALUE (repeatable), e.g. "
            "spark.driver.memory=4g or spark.sql.shuffle.partitions=64.",
        ),
    ] = None,
    spark_parquet: Annotated[
        str | None,
        typer.Option(
            "--spark-parquet",
            help="--engine spark: the store's parquet/ folder as the cluster sees it "
            "(hdfs://…, s3a://…, a shared mount); default STORE/parquet.",
        ),
    ] = None,
    registry: Annotated[
        Path | None,
        typer.Option(
            "--registry",
            help="Registry folder (default: $ZICHT_REGISTRY, ./registry in "
            "the working directory, else the packaged seed definitions; printed on stderr).",
        ),
    ] = None,
    csv_dialect: CsvDialectOption = "standard",
) -> None:
    """Compare target-group definitions per gemeente, wijk or buurt: counts, rates per 1,000, standardised
    rates, overlaps, intersections, criterion attrition, source coverage and survey estimates, all
    through disclosure control, with a run manifest."""
    from zicht.compare import SurveyRules, compare
    from zicht.disclosure import DisclosureRules
    from zicht.registry.location import find_registry

    if fmt == "parquet" and out is None:
        raise InputError("--format parquet needs --out FILE")
    names = [d.strip() for d in definitions.split(",") if d.strip()]
    if not names:
        raise InputError("--definitions: give at least one definition id")
    if min_respondents < 1:
        raise InputError(f"--min-respondents must be at least 1, got {min_respondents}")
    perturbation = _perturbation(disclosure, max_deviation, variance, blocked_upto)
    chosen = _engine(engine, spark_master, spark_conf, spark_parquet)
    where = find_registry(registry)
    typer.echo(where.describe(), err=True)
    result = compare(
        store,
        names,
        date,
        level,
        rules=DisclosureRules(threshold=threshold, rounding_base=rounding),
        survey_rules=SurveyRules(min_respondents=min_respondents),
        engine=chosen,
        registry=where.path,
        attrition_level=attrition_level,
        intersection_level=intersection_level,
        disclosure=disclosure,
        perturbation=perturbation,
    )
    _warn_outside_period(result, date)
    _write(result, fmt, out, manifest_out, csv_dialect)


def _perturbation(
    disclosure: str, max_deviation: int | None, variance: float | None, blocked_upto: int | None
) -> PerturbationRules:
    """The perturbation rules of the options given (only with --disclosure perturb), else the defaults."""
    from zicht.compare.publish import PERTURB
    from zicht.disclosure.ptable import PerturbationRules

    given: dict[str, Any] = {
        k: v
        for k, v in (("max_deviation", max_deviation), ("variance", variance), ("blocked_upto", blocked_upto))
        if v is not None
    }
    if given and disclosure != PERTURB:
        raise InputError("--max-deviation, --variance and --blocked-upto apply to --disclosure perturb only")
    return PerturbationRules(**given)


def _write(
    result: ComparisonResult, fmt: str, out: Path | None, manifest_out: Path | None, csv_dialect: CsvDialect
) -> None:
    """The result to --out (or standard output) and the manifest to --manifest; what was written on stderr."""
    if out is None:
        sys.stdout.buffer.write(result.to_bytes(fmt, csv_dialect))
        sys.stdout.flush()
        written: list[Path] = []
    else:
        written = result.write(out, fmt, csv_dialect)
    if manifest_out is not None:
        manifest_out.write_bytes(result.manifest_json())
        written.append(manifest_out)
    if written:
        typer.echo(
            f"wrote {', '.join(str(w) for w in written)} ({len(result.counts)} count rows, "
            f"{len(result.pairs)} pair rows)",
            err=True,
        )
    if fmt == "csv" and out is None and manifest_out is None:
        rules = result.manifest["disclosure"]
        hint = "give --out or --manifest to keep the run manifest"
        typer.echo(f"disclosure: {rules.get('rule') or rules.get('secondary_rule')} ({hint})", err=True)


def _warn_outside_period(result: Any, date: dt.date) -> None:
    """One line per source whose period does not meet a definition's window at the reference date: its
    counts are flagged (`no_source` / `partial`, gap `source:outside_period`), never silent zeros."""
    from zicht.compare.coverage import OUTSIDE_PERIOD

    gaps = result.counts["coverage_gaps"].dropna().astype(str)
    late: dict[str, set[str]] = {}
    for definition, text in zip(result.counts.loc[gaps.index, "definition"], gaps, strict=True):
        for part in text.split(";"):
            if part.endswith(":" + OUTSIDE_PERIOD):
                late.setdefault(part.rsplit("=", 1)[-1].split(":")[0], set()).add(definition)
    for source, definitions in sorted(late.items()):
        typer.echo(
            f"warning: the reference date {date} lies outside the period of source {source} "
            f"({', '.join(sorted(definitions))}): those counts are flagged, not zeros (coverage_gaps)",
            err=True,
        )


def _engine(name: str, master: str | None, conf: list[str] | None, parquet: str | None) -> Any:
    """The engine name, or for Spark an engine with the session options (checked before any work)."""
    if name != "spark":
        if master is not None or conf or parquet is not None:
            raise InputError("--spark-master, --spark-conf and --spark-parquet apply to --engine spark only")
        return name
    from zicht.engines.spark import SparkEngine

    settings: dict[str, str] = {}
    for item in conf or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(f"--spark-conf: {item!r} is not KEY=VALUE (e.g. spark.driver.memory=4g)")
        settings[key.strip()] = value.strip()
    return SparkEngine(master, settings, parquet)
