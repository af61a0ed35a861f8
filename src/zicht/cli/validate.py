"""`zicht validate`: check source extracts against SHACL shapes and the privacy guard."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Annotated

import typer

from zicht import paths
from zicht.choices import ValidateEngine, ValidateFormat
from zicht.errors import InputError
from zicht.harmonise.extract import EXTRACT_SUFFIXES
from zicht.validate.formats import render
from zicht.validate.rdf_input import is_rdf, validate_rdf
from zicht.validate.run import find_descriptor, validate_extracts


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Extract files (CSV or Parquet) of one source, or a folder: every "
            "extract in it, in one report.",
            show_default=False,
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            "-s",
            help="Source id (mappings/<id>.source.yaml) or a "
            "descriptor path; required for CSV/Parquet, not for RDF files (.ttl, .jsonld).",
        ),
    ] = None,
    engine: Annotated[
        ValidateEngine,
        typer.Option(
            "--engine",
            help="reference (rdflib + pyshacl), fast (compiled column checks) "
            "or auto (fast, falling back to reference for shapes it cannot compile).",
        ),
    ] = "auto",
    fmt: Annotated[
        ValidateFormat,
        typer.Option("--format", "-f", help="Report format (ttl: an sh:ValidationReport)."),
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    mappings: Annotated[
        Path | None,
        typer.Option(
            "--mappings",
            help="Folder with <source>.source.yaml and "
            "<source>.codes.csv (default: the project's mappings/).",
        ),
    ] = None,
) -> None:
    """Validate source extracts: every violation with file, row, column, value, rule and message.

    RDF files (Turtle, JSON-LD, ...) of the harmonised model are checked against the model's shapes and
    the supplements in validators/ (reference engine, with the OWL ontology for subclass reasoning).

    A folder stands for every extract (.csv, .tsv, .txt, .parquet) in it (matching the descriptor's file_pattern); without
    --source, the descriptor is the folder's own <id>.source.yaml (as in extracts/<id>/ of a delivery).

    Exit code 0 when the extracts conform, 1 when there are violations or privacy findings, 2 when an
    input cannot be read (missing file or column, wrong delimiter or encoding).
    """
    folder_files: set[Path] = set()
    if any(f.is_dir() for f in files):
        files, source, folder_files = expand_folders(files, source)
    rdf = [f for f in files if is_rdf(f)]
    if rdf and len(rdf) != len(files):
        raise InputError("give either RDF files or table extracts (CSV/Parquet) in one run, not both")
    if rdf:
        report = validate_rdf(rdf)
    else:
        if source is None:
            raise typer.BadParameter("is required for CSV and Parquet extracts", param_hint="--source")
        descriptor = find_descriptor(source, mappings or paths.mappings_dir())
        files = [
            f
            for f in files
            if f not in folder_files
            or descriptor.file_pattern is None
            or fnmatch.fnmatch(f.name, descriptor.file_pattern)
        ]
        if not files:
            raise InputError(
                f"no extract in the folder matches the descriptor's file_pattern {descriptor.file_pattern!r}"
            )
        report = validate_extracts(list(files), descriptor, engine=engine)
    text = render(report, fmt)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        typer.echo(
            f"{'conforms' if report.conforms else 'does not conform'}: report written to {output}", err=True
        )
    else:
        typer.echo(text, nl=False)
    if not report.conforms:
        raise typer.Exit(1)


def expand_folders(given: list[Path], source: str | None) -> tuple[list[Path], str | None, set[Path]]:
    """Folders replaced by the extracts in them (sorted by name); the source a folder's descriptor names
    when --source is not given. Returns (files, source, the files that came from a folder)."""
    files: list[Path] = []
    from_folders: set[Path] = set()
    for path in given:
        if not path.is_dir():
            files.append(path)
            continue
        # A source's code list (<id>.codes.csv) may lie beside its extracts; it is not an extract.
        found = sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix.lower() in EXTRACT_SUFFIXES and not p.name.endswith(".codes.csv")
        )
        if not found:
            # a delivery folder (zicht synth --out, harmonise --in) holds one folder per source
            within = path / Path(source).name.removesuffix(".source.yaml") if source else None
            if within is not None and within.is_dir() and within != path:
                more, source, folder_files = expand_folders([within], source)
                files.extend(more)
                from_folders.update(folder_files)
                continue
            sources = sorted(p.name for p in path.iterdir() if p.is_dir())
            hint = f"; its folders: {', '.join(sources[:12])} (give one, or --source ID)" if sources else ""
            raise InputError(
                f"{path}: no extracts ({', '.join(EXTRACT_SUFFIXES)} files) in this folder{hint}"
            )
        files.extend(found)
        from_folders.update(found)
        if source is None:
            descriptors = sorted(path.glob("*.source.yaml"))
            if len(descriptors) == 1:
                source = str(descriptors[0])
            elif len(descriptors) > 1:
                raise InputError(
                    f"{path}: {len(descriptors)} source descriptors in this folder; name one with --source"
                )
    return files, source, from_folders
