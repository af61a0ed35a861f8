"""`zicht mappings`: check SSSOM mapping files strictly and measure how much of an extract they cover."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from zicht import paths
from zicht.choices import TextOrJson
from zicht.errors import InputError

app = typer.Typer(
    help="Check source mappings (SSSOM) and measure their coverage of extracts.", no_args_is_help=True
)


@app.command()
def check(
    path: Annotated[
        Path | None,
        typer.Argument(help="A <source>.sssom.tsv file or a folder of them (default: mappings/)."),
    ] = None,
    fmt: Annotated[
        TextOrJson, typer.Option("--format", help="text: one line per finding; json: a JSON document.")
    ] = "text",
) -> None:
    """Lint mapping files: one line `file:row: code: rule: message` per finding; exit 1 on errors."""
    from zicht.mappings.lint import (
        SECOND_OPINION_MISSING,
        check_paths,
        mapping_files,
        second_opinion_available,
        summary,
    )

    target = path or paths.mappings_dir()
    findings = check_paths(target)
    errors, warnings = summary(findings)
    if fmt == "json":
        typer.echo(
            json.dumps(
                {
                    "files": [str(p) for p in mapping_files(target)],
                    "errors": errors,
                    "warnings": warnings,
                    "second_opinion": second_opinion_available(),
                    "findings": [f.to_dict() for f in findings],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for finding in findings:
            typer.echo(str(finding))
        n_files = len(mapping_files(target))
        typer.echo(f"{n_files} mapping file(s): {errors} error(s), {warnings} warning(s)", err=True)
    if not second_opinion_available():
        typer.echo(f"note: {SECOND_OPINION_MISSING}", err=True)
    if errors:
        raise typer.Exit(1)


@app.command()
def coverage(
    extract: Annotated[
        Path, typer.Argument(help="An extract file, or a folder with the source's extract files.")
    ],
    source: Annotated[str, typer.Option("--source", help="The source id, e.g. wmo-enschede.")],
    mappings: Annotated[
        Path | None, typer.Option("--mappings", help="Folder with <source>.sssom.tsv (default: mappings/).")
    ] = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="text table or JSON.")] = "text",
) -> None:
    """Report codes in an extract that the mapping does not assign, with their frequencies."""
    from zicht.harmonise.run import find_descriptor
    from zicht.mappings.coverage import measure
    from zicht.mappings.descriptor import load_descriptor
    from zicht.mappings.mapping_set import load_mapping_set

    folder = mappings or paths.mappings_dir()
    sssom = folder / f"{source}.sssom.tsv"
    if not sssom.is_file():
        raise InputError(f"no mapping set {sssom} for source {source!r}")
    base = extract if extract.is_dir() else extract.parent
    descriptor_path = next(
        (p for p in (base / f"{source}.source.yaml", folder / f"{source}.source.yaml") if p.is_file()), None
    ) or find_descriptor(base, folder, source)
    report = measure(extract, load_descriptor(descriptor_path), load_mapping_set(sssom))
    if fmt == "json":
        typer.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    typer.echo(
        f"source {report.source_id}, mapping {report.mapping_set_id} {report.mapping_set_version}: "
        f"{report.covered} of {report.records} coded records covered ({report.share_covered:.2%})"
    )
    missing = report.not_covered()
    if not missing:
        typer.echo("every code in the extract is assigned a framework concept")
        return
    typer.echo(f"{'column':<22} {'code':<20} {'status':<22} {'records':>9} {'share':>8}  label")
    for c in missing:
        typer.echo(f"{c.column:<22} {c.code:<20} {c.status:<22} {c.records:>9} {c.share:>8.2%}  {c.label}")
