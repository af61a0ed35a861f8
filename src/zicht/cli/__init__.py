"""The `zicht` command line. Each command group lives in its own module and registers itself here."""

from __future__ import annotations

import os
import sys

import typer

from zicht import __version__
from zicht.errors import ZichtError

app = typer.Typer(
    name="zicht",
    help="zicht: harmonise source data on people with a (psychological) vulnerability, register "
    "competing target-group definitions and compare their counts per gemeente, wijk and buurt.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"zicht {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Show the version and exit.", callback=_version, is_eager=True),
) -> None:
    """zicht command line."""


def _register() -> None:
    # Imported here so that `zicht --help` stays fast and a broken optional group cannot break the rest.
    from zicht.cli import concepts, ontology, registry
    from zicht.cli import harmonise as harmonise_cli
    from zicht.cli import mappings as mappings_cli

    app.add_typer(ontology.app, name="ontology")
    app.add_typer(registry.app, name="registry")
    app.command(name="concepts", help=concepts.list_concepts.__doc__)(concepts.list_concepts)
    app.add_typer(mappings_cli.app, name="mappings")
    app.command(name="harmonise", help=harmonise_cli.harmonise_command.__doc__)(harmonise_cli.harmonise_command)
    app.command(name="pseudonymise", help=harmonise_cli.pseudonymise_command.__doc__)(harmonise_cli.pseudonymise_command)
    from zicht.cli import keys, serve

    app.add_typer(keys.app, name="keys")
    app.command(name="serve", help=serve.serve.__doc__)(serve.serve)

    from zicht.cli import validate as validate_cli

    app.command(name="validate", help=validate_cli.validate.__doc__)(validate_cli.validate)

    from zicht.cli import compare as compare_cli

    app.command(name="compare", help=compare_cli.compare_command.__doc__)(compare_cli.compare_command)
    from zicht.cli import disclosure as disclosure_cli

    app.add_typer(disclosure_cli.app, name="disclosure")
    from zicht.cli import demo as demo_cli
    from zicht.cli import explain as explain_cli

    app.command(name="explain", help=explain_cli.explain_command.__doc__)(explain_cli.explain_command)

    app.command(name="demo", help=demo_cli.demo.__doc__)(demo_cli.demo)

    from zicht.cli import synth as synth_cli

    app.add_typer(synth_cli.app, name="synth")
    app.add_typer(synth_cli.regions_app, name="regions")


_register()


def main() -> None:
    """Entry point: run the CLI, turning user errors into one line on stderr and an exit code."""
    try:
        app()
    except ZichtError as exc:
        typer.echo(f"zicht: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("zicht: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence, see below
        # A traceback on user input is a bug; show one line and let ZICHT_DEBUG=1 reveal the trace.
        if os.environ.get("ZICHT_DEBUG"):
            raise
        typer.echo(f"zicht: internal error: {type(exc).__name__}: {exc} (set ZICHT_DEBUG=1 for details)", err=True)
        sys.exit(70)
