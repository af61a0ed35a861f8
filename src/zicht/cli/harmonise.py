"""`zicht harmonise` (extracts → harmonised store) and `zicht pseudonymise` (keyed hash at the source)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def harmonise_command(
    in_dir: Path = typer.Option(..., "--in", help="Delivery folder with extracts/<source_id>/ files."),
    out_dir: Path = typer.Option(..., "--out", help="Store folder to write (zicht.duckdb, parquet/, manifest.json)."),
    mappings: Path = typer.Option(None, "--mappings", help="Folder with the SSSOM mappings and descriptors "
                                  "(default: mappings/)."),
    memory_limit: str = typer.Option("3GB", "--memory-limit", help="DuckDB memory limit; larger data spills to disk."),
    bsn: str = typer.Option("refuse-file", "--bsn", help="What a BSN in a file does: refuse-file (nothing of the "
                            "file enters the store) or quarantine-row (only the rows with a BSN are quarantined)."),
    release_key_file: Path = typer.Option(None, "--release-key-file", help="File holding the secret release key "
                                          "that record keys are made from (default: this machine's key file)."),
    release_key_env: str = typer.Option(None, "--release-key-env", help="Environment variable holding the release key."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Harmonise all source extracts into the store: person, event, note, region, population, source tables,
    quarantine and a manifest. Exit 1 when a file was refused (e.g. it holds a BSN)."""
    from zicht.disclosure.record_keys import load_release_key
    from zicht.harmonise.run import harmonise

    release_key = load_release_key(release_key_file, release_key_env)
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description:<48}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, disable=quiet, transient=True) as bar:
        task = bar.add_task("reading", total=None)

        def report(label: str, done: int, total: int) -> None:
            bar.update(task, description=label[:48], completed=done, total=total)

        outcome = harmonise(in_dir, out_dir, mappings_dir=mappings, progress=report, memory_limit=memory_limit,
                            bsn_policy=bsn, release_key=release_key)
    m = outcome.manifest
    for sid, s in m["sources"].items():
        reasons = ", ".join(f"{k} {v}" for k, v in s["quarantined_by_reason"].items()) or "none"
        typer.echo(f"{sid:<18} rows {s['rows_read']:>9}  harmonised {s['rows_harmonised']:>9}  "
                   f"quarantined {s['rows_quarantined']:>7} ({reasons})")
    tables = ", ".join(f"{t} {v['rows']}" for t, v in m["tables"].items())
    typer.echo(f"store {out_dir}: {tables}; manifest {m['content_hash']}")
    for message in outcome.refused:
        typer.echo(f"zicht: refused: {message}", err=True)
    if outcome.refused:
        raise typer.Exit(1)


def pseudonymise_command(
    source: Path = typer.Argument(..., help="CSV file with a person id column."),
    out: Path = typer.Option(..., "--out", help="Where to write the pseudonymised CSV."),
    column: str = typer.Option(..., "--column", help="The person id column to replace by its pseudonym."),
    key_file: Path = typer.Option(None, "--key-file", help="File holding the secret key (bytes)."),
    key_env: str = typer.Option(None, "--key-env", help="Environment variable holding the secret key."),
    delimiter: str = typer.Option(",", "--delimiter", help="Field delimiter."),
    encoding: str = typer.Option("utf-8", "--encoding", help="Character encoding of the file."),
) -> None:
    """Replace a person id column by HMAC-SHA-256 pseudonyms (key from a file or the environment; the key is
    never written). A BSN in any other column refuses the file."""
    from zicht.pseudonymise import load_key, pseudonymise_csv

    key = load_key(key_file, key_env)
    result = pseudonymise_csv(source, out, column, key, delimiter=delimiter, encoding=encoding)
    typer.echo(f"{result.output}: {result.rows} rows, {result.hashed} ids pseudonymised in column {column!r}")
