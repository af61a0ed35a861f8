"""`zicht registry`: check, list, publish and version the target-group definitions in registry/."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from zicht import paths
from zicht.registry import edit
from zicht.registry.check import check_registry
from zicht.registry.files import load_registry, read_definition
from zicht.registry.normalise import content_hash

app = typer.Typer(help="Check, list, publish and version target-group definitions (registry/).", no_args_is_help=True)

ROOT = typer.Option(None, "--registry", help="Registry folder (default: the project's registry/).")


@app.command()
def check(
    root: Path = ROOT,
    fmt: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """Validate every definition file (schema, semantic rules, file names, versions, published.lock)."""
    findings = check_registry(root)
    errors = [f for f in findings if f.severity == "error"]
    if fmt == "json":
        typer.echo(json.dumps([f.__dict__ for f in findings], indent=2, ensure_ascii=False))
    else:
        for f in findings:
            typer.echo(str(f), err=f.severity == "error")
        n = len(load_registry(root))
        typer.echo(f"{n} definition file(s), {len(errors)} error(s), {len(findings) - len(errors)} warning(s)")
    if errors:
        raise typer.Exit(1)


@app.command(name="list")
def list_definitions(root: Path = ROOT) -> None:
    """List definitions: id, version, status, author and title."""
    for f in load_registry(root):
        d = f.data
        where = "archive" if f.archived else "current"
        typer.echo(f"{d.get('id'):<28} {d.get('version'):<8} {d.get('status'):<10} {where:<8} {d.get('author')} — {d.get('title')}")


@app.command()
def hash(file: Path = typer.Argument(..., help="A definition YAML file.")) -> None:  # noqa: A001 - command name
    """Print the content hash of a definition file."""
    typer.echo(content_hash(read_definition(file)))


@app.command()
def publish(definition_id: str = typer.Argument(..., help="Definition id."), root: Path = ROOT) -> None:
    """Publish the current draft: stamp date and content hash, record it in published.lock."""
    d = edit.publish(definition_id, root or paths.registry_dir())
    typer.echo(f"published {d['id']} {d['version']} {d['content_hash']}")


@app.command()
def status(
    definition_id: str = typer.Argument(..., help="Definition id."),
    to: str = typer.Argument(..., help="deprecated or withdrawn (or published)."),
    root: Path = ROOT,
) -> None:
    """Move the current version to another lifecycle status."""
    d = edit.set_status(definition_id, to, root or paths.registry_dir())
    typer.echo(f"{d['id']} {d['version']} is now {d['status']}")


@app.command(name="new-version")
def new_version(
    definition_id: str = typer.Argument(..., help="Definition id."),
    part: str = typer.Option("minor", "--part", help="major, minor or patch."),
    root: Path = ROOT,
) -> None:
    """Archive the frozen current version and start the next version as a draft."""
    d = edit.start_new_version(definition_id, part, root or paths.registry_dir())
    typer.echo(f"{d['id']} {d['version']} started as a draft (supersedes {d['supersedes']})")
