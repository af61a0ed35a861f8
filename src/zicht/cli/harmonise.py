"""`zicht harmonise` (extracts → harmonised store) and `zicht pseudonymise` (keyed hash at the source)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from zicht.choices import BsnPolicy


def harmonise_command(
    in_dir: Annotated[Path, typer.Option("--in", help="Delivery folder with extracts/<source_id>/ files.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Store folder to write (zicht.duckdb, parquet/, manifest.json).")
    ],
    mappings: Annotated[
        Path | None,
        typer.Option(
            "--mappings", help="Folder with the SSSOM mappings and descriptors (default: mappings/)."
        ),
    ] = None,
    memory_limit: Annotated[
        str,
        typer.Option(
            "--memory-limit",
            help="DuckDB memory limit of the work database; larger data spills to the build folder.",
        ),
    ] = "1.5GB",  # zicht.harmonise.run.DEFAULT_MEMORY_LIMIT (not imported: --help stays light)
    bsn: Annotated[
        BsnPolicy,
        typer.Option(
            "--bsn",
            help="What a BSN in a file does: refuse-file (nothing of the "
            "file enters the store) or quarantine-row (only the rows with a BSN are quarantined).",
        ),
    ] = "refuse-file",
    release_key_file: Annotated[
        Path | None,
        typer.Option(
            "--release-key-file",
            help="File holding the secret release key "
            "that record keys are made from (default: this machine's key file).",
        ),
    ] = None,
    release_key_env: Annotated[
        str | None, typer.Option("--release-key-env", help="Environment variable holding the release key.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Harmonise all source extracts into the store: person, event, note, region, population, source tables,
    quarantine and a manifest. Exit 1 when a file was refused (e.g. it holds a BSN)."""
    from zicht.disclosure.record_keys import load_release_key
    from zicht.harmonise.run import harmonise

    release_key = load_release_key(release_key_file, release_key_env)
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description:<48}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task("reading", total=None)

        def report(label: str, done: int, total: int) -> None:
            bar.update(task, description=label[:48], completed=done, total=total)

        outcome = harmonise(
            in_dir,
            out_dir,
            mappings_dir=mappings,
            progress=report,
            memory_limit=memory_limit,
            bsn_policy=bsn,
            release_key=release_key,
        )
    m = outcome.manifest
    for sid, s in m["sources"].items():
        reasons = ", ".join(f"{k} {v}" for k, v in s["quarantined_by_reason"].items()) or "none"
        typer.echo(
            f"{sid:<18} rows {s['rows_read']:>9}  harmonised {s['rows_harmonised']:>9}  "
            f"quarantined {s['rows_quarantined']:>7} ({reasons})"
        )
    tables = ", ".join(f"{t} {v['rows']}" for t, v in m["tables"].items())
    typer.echo(f"store {out_dir}: {tables}; manifest {m['content_hash']}")
    for message in outcome.refused:
        typer.echo(f"zicht: refused: {message}", err=True)
    if outcome.refused:
        raise typer.Exit(1)


def pseudonymise_command(
    source: Annotated[Path, typer.Argument(help="CSV file with a person id column.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the pseudonymised CSV.")],
    column: Annotated[
        str, typer.Option("--column", help="The person id column to replace by its pseudonym.")
    ],
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="File holding the secret key (bytes).")
    ] = None,
    key_env: Annotated[
        str | None, typer.Option("--key-env", help="Environment variable holding the secret key.")
    ] = None,
    delimiter: Annotated[str, typer.Option("--delimiter", help="Field delimiter.")] = ",",
    encoding: Annotated[str, typer.Option("--encoding", help="Character encoding of the file.")] = "utf-8",
) -> None:
    """Replace a person id column by HMAC-SHA-256 pseudonyms (key from a file or the environment; the key is
    never written). A BSN in any other column refuses the file."""
    from zicht.pseudonymise import load_key, pseudonymise_csv

    key = load_key(key_file, key_env)
    result = pseudonymise_csv(source, out, column, key, delimiter=delimiter, encoding=encoding)
    typer.echo(f"{result.output}: {result.rows} rows, {result.hashed} ids pseudonymised in column {column!r}")
