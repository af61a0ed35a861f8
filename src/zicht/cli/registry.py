"""`zicht registry`: check, list, publish and version the target-group definitions in registry/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from zicht.choices import SyncPrefer, TextOrJson, VersionPart
from zicht.errors import ZichtError
from zicht.registry import edit
from zicht.registry.check import run_check
from zicht.registry.files import load_registry, read_definition
from zicht.registry.location import RegistryLocation, find_registry, init_registry
from zicht.registry.normalise import content_hash

app = typer.Typer(
    help="Check, list, publish and version target-group definitions (registry/).", no_args_is_help=True
)

Root = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        help="Registry folder (default: $ZICHT_REGISTRY, ./registry in the working "
        "directory, else the seed definitions packaged with zicht; the folder "
        "read is always printed).",
    ),
]


def located(root: Path | None, *, writing: bool = False) -> RegistryLocation:
    """The registry a command works on, announced on stderr (so stdout stays clean for --format json)."""
    where = find_registry(root)
    typer.echo(where.describe(), err=True)
    if writing and not where.writable:
        raise ZichtError(
            f"{where.path} holds the seed definitions packaged with zicht and is not written to; "
            "make a registry of your own with `zicht registry init` (./registry) or pass --registry DIR"
        )
    return where


@app.command()
def check(
    root: Root = None,
    fmt: Annotated[
        TextOrJson,
        typer.Option("--format", help="text (file:line:column: severity: message [rule]) or json."),
    ] = "text",
) -> None:
    """Validate every definition file (schema, semantic rules, file names, versions, published.lock).

    Every file is checked, also when one is broken; each problem is one line with file:line:column, the
    rule, and the nearest known key, concept or source when a name is misspelt. Exit 1 on errors."""
    where = located(root)
    report = run_check(where.path)
    if fmt == "json":
        typer.echo(
            json.dumps(
                {
                    "registry": str(where.path),
                    "files": report.files,
                    "findings": [f.to_dict() for f in report.findings],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for f in report.findings:
            typer.echo(str(f))
        typer.echo(
            f"{report.files} definition file(s), {len(report.errors)} error(s), {len(report.warnings)} warning(s)"
        )
    if report.errors:
        raise typer.Exit(1)


@app.command()
def init(
    target: Annotated[Path, typer.Argument(help="Folder to create (default: ./registry).")] = Path(
        "registry"
    ),
) -> None:
    """Start a registry of your own: copy the seed definitions packaged with zicht into TARGET."""
    n = init_registry(target)
    typer.echo(
        f"wrote {n} file(s) to {target}; `zicht registry check` and `zicht compare` now read it from here"
    )


@app.command(name="list")
def list_definitions(root: Root = None) -> None:
    """List definitions: id, version, status, author and title."""
    for f in load_registry(located(root).path):
        d = f.data
        where = "archive" if f.archived else "current"
        typer.echo(
            f"{d.get('id'):<28} {d.get('version'):<8} {d.get('status'):<10} {where:<8} {d.get('author')} — {d.get('title')}"
        )


@app.command()
def hash(file: Annotated[Path, typer.Argument(help="A definition YAML file.")]) -> None:
    """Print the content hash of a definition file."""
    typer.echo(content_hash(read_definition(file)))


@app.command()
def publish(definition_id: Annotated[str, typer.Argument(help="Definition id.")], root: Root = None) -> None:
    """Publish the current draft: stamp date and content hash, record it in published.lock."""
    d = edit.publish(definition_id, located(root, writing=True).path)
    typer.echo(f"published {d['id']} {d['version']} {d['content_hash']}")


@app.command()
def status(
    definition_id: Annotated[str, typer.Argument(help="Definition id.")],
    to: Annotated[str, typer.Argument(help="deprecated or withdrawn (or published).")],
    root: Root = None,
) -> None:
    """Move the current version to another lifecycle status."""
    d = edit.set_status(definition_id, to, located(root, writing=True).path)
    typer.echo(f"{d['id']} {d['version']} is now {d['status']}")


@app.command(name="new-version")
def new_version(
    definition_id: Annotated[str, typer.Argument(help="Definition id.")],
    part: Annotated[
        VersionPart, typer.Option("--part", help="Which part of the version to raise.")
    ] = "minor",
    root: Root = None,
) -> None:
    """Archive the frozen current version and start the next version as a draft."""
    d = edit.start_new_version(definition_id, part, located(root, writing=True).path)
    typer.echo(f"{d['id']} {d['version']} started as a draft (supersedes {d['supersedes']})")


@app.command()
def sync(
    root: Root = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Registry database URL (default: $ZICHT_DB or the SQLite file `zicht serve` uses)."
        ),
    ] = None,
    prefer: Annotated[
        SyncPrefer | None,
        typer.Option(
            "--prefer",
            help="Resolve conflicts: files (the folder wins) or db (the "
            "database wins). Published content never changes either way.",
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would change.")] = False,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format.")] = "text",
) -> None:
    """Bring the registry folder and the service's database together (the service also does this itself).

    A definition changed on one side only is copied to the other; changed on both since they last agreed
    is a conflict, reported and left alone unless --prefer says which side wins. Exit 1 on conflicts or
    files that do not pass the check."""
    from zicht.db.engine import default_db_url, open_database
    from zicht.db.sync import sync as run_sync

    where = located(root, writing=True)
    engine, sessions = open_database(db or default_db_url())
    try:
        with sessions() as session:
            report = run_sync(session, where.path, prefer=prefer, dry_run=dry_run)
    finally:
        engine.dispose()
    if fmt == "json":
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for line in report.lines():
            typer.echo(("would be " if dry_run else "") + line)
        typer.echo(
            f"{len(report.imported)} imported, {len(report.exported)} exported, {len(report.moved)} moved, "
            f"{report.unchanged} unchanged, {len(report.conflicts)} conflict(s), {len(report.invalid)} invalid"
            + (" (dry run: nothing written)" if dry_run else "")
        )
    if not report.in_sync:
        raise typer.Exit(1)


@app.command()
def diff(
    definition_id: Annotated[str, typer.Argument(help="Definition id.")],
    old: Annotated[str, typer.Argument(help="The older version, e.g. 1.0.0.")],
    new: Annotated[str, typer.Argument(help="The newer version, e.g. 1.1.0.")],
    root: Root = None,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format.")] = "text",
) -> None:
    """What changed between two versions of a definition: fields, criteria and logic, in words."""
    from zicht.compare.definitions import resolve
    from zicht.registry.diff import diff_definitions

    where = located(root)
    a, b = resolve([f"{definition_id}@{old}", f"{definition_id}@{new}"], where.path)
    result = diff_definitions(a, b)
    if fmt == "json":
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    typer.echo(
        f"{definition_id} {old} → {new}: "
        + ("content changed" if result["content_changed"] else "same content (lifecycle only)")
    )
    for change in result["changes"]:
        typer.echo(f"  {change['text']}")
