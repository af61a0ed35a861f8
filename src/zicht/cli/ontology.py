"""`zicht ontology`: regenerate and check the artefacts generated from ontology/zicht.yaml."""

from __future__ import annotations

from typing import Annotated

import typer

from zicht import paths
from zicht.errors import ZichtError
from zicht.ontology import artefacts

app = typer.Typer(
    help="Build and check the artefacts generated from ontology/zicht.yaml.", no_args_is_help=True
)


@app.command()
def build() -> None:
    """Regenerate OWL, SHACL, JSON Schema, JSON-LD context, SKOS scheme and Python classes."""
    if not paths.is_checkout():
        raise ZichtError(
            "`zicht ontology build` rewrites files of a source checkout; this zicht is an installed package"
        )
    for path in artefacts.build():
        typer.echo(f"wrote {path.relative_to(paths.project_root())}")


@app.command()
def check(
    diff: Annotated[bool, typer.Option("--diff", help="Show a unified diff of what differs.")] = False,
) -> None:
    """Fail when a committed artefact differs from what the schema generates now, or the concept scheme
    breaks SKOS integrity (one prefLabel per language, unique labels, broader concepts that exist)."""
    drifts = artefacts.check()
    for drift in drifts:
        typer.echo(f"{drift.artefact.path().relative_to(paths.project_root())}: {drift.reason}", err=True)
        if diff and drift.diff:
            typer.echo(drift.diff, err=True)
    from zicht.ontology.skos_integrity import committed_scheme_findings

    broken = committed_scheme_findings()
    for finding in broken:
        typer.echo(f"ontology/zicht.concepts.ttl: SKOS integrity: {finding}", err=True)
    if drifts or broken:
        raise typer.Exit(1)
    typer.echo(
        f"all {len(artefacts.ARTEFACTS)} generated artefacts are in sync with ontology/zicht.yaml; "
        "the concept scheme passes the SKOS integrity checks"
    )
