"""`zicht validate`: check source extracts against SHACL shapes and the privacy guard."""

from __future__ import annotations

from pathlib import Path

import typer

from zicht import paths
from zicht.errors import InputError
from zicht.validate.formats import FORMATS, render
from zicht.validate.rdf_input import is_rdf, validate_rdf
from zicht.validate.run import ENGINES, find_descriptor, validate_extracts


def validate(
    files: list[Path] = typer.Argument(..., help="Extract files (CSV or Parquet) of one source.", show_default=False),
    source: str | None = typer.Option(None, "--source", "-s", help="Source id (mappings/<id>.source.yaml) or a "
                                      "descriptor path; required for CSV/Parquet, not for RDF files (.ttl, .jsonld)."),
    engine: str = typer.Option("auto", "--engine", help="reference (rdflib + pyshacl), fast (compiled column checks) "
                               "or auto (fast, falling back to reference for shapes it cannot compile)."),
    fmt: str = typer.Option("text", "--format", "-f", help="Report format: text, json, ttl (sh:ValidationReport) or html."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file instead of stdout."),
    mappings: Path | None = typer.Option(None, "--mappings", help="Folder with <source>.source.yaml and "
                                         "<source>.codes.csv (default: the project's mappings/)."),
) -> None:
    """Validate source extracts: every violation with file, row, column, value, rule and message.

    RDF files (Turtle, JSON-LD, ...) of the harmonised model are checked against the model's shapes and
    the supplements in validators/ (reference engine, with the OWL ontology for subclass reasoning).

    Exit code 0 when the extracts conform, 1 when there are violations or privacy findings, 2 when an
    input cannot be read (missing file or column, wrong delimiter or encoding).
    """
    if engine not in ENGINES:
        raise typer.BadParameter(f"use one of {', '.join(ENGINES)}", param_hint="--engine")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    rdf = [f for f in files if is_rdf(f)]
    if rdf and len(rdf) != len(files):
        raise InputError("give either RDF files or table extracts (CSV/Parquet) in one run, not both")
    if rdf:
        report = validate_rdf(rdf)
    else:
        if source is None:
            raise typer.BadParameter("is required for CSV and Parquet extracts", param_hint="--source")
        descriptor = find_descriptor(source, mappings or paths.mappings_dir())
        report = validate_extracts(list(files), descriptor, engine=engine)
    text = render(report, fmt)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{'conforms' if report.conforms else 'does not conform'}: report written to {output}", err=True)
    else:
        typer.echo(text, nl=False)
    if not report.conforms:
        raise typer.Exit(1)
