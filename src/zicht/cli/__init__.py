"""The `zicht` command line. Each command group lives in its own module and is imported only when it runs.

`zicht --help` and `zicht --version` import no command module: the group below lists every command from
`COMMANDS` (name, module, attribute, summary) and imports a module when its command is resolved. The
summaries are the first sentence of each command's own help; a test keeps them equal.
"""

from __future__ import annotations

import importlib
import os
import sys
from difflib import get_close_matches
from typing import Annotated, Any, NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup

from zicht import __version__
from zicht.errors import ZichtError


class LazyCommand(NamedTuple):
    module: str
    attribute: str  # a Typer app (a command group) or a function (one command)
    summary: str


COMMANDS: dict[str, LazyCommand] = {
    "ontology": LazyCommand(
        "zicht.cli.ontology", "app", "Build and check the artefacts generated from ontology/zicht.yaml."
    ),
    "registry": LazyCommand(
        "zicht.cli.registry", "app", "Check, list, publish and version target-group definitions (registry/)."
    ),
    "concepts": LazyCommand(
        "zicht.cli.concepts", "list_concepts", "List the framework's domains and concepts with their CURIEs."
    ),
    "mappings": LazyCommand(
        "zicht.cli.mappings", "app", "Check source mappings (SSSOM) and measure their coverage of extracts."
    ),
    "harmonise": LazyCommand(
        "zicht.cli.harmonise",
        "harmonise_command",
        "Harmonise all source extracts into the store: person, event, note, region, population, source tables, quarantine and a manifest.",
    ),
    "pseudonymise": LazyCommand(
        "zicht.cli.harmonise",
        "pseudonymise_command",
        "Replace a person id column by HMAC-SHA-256 pseudonyms (key from a file or the environment; the key is never written).",
    ),
    "keys": LazyCommand(
        "zicht.cli.keys",
        "app",
        "Create, list and revoke API keys for `zicht serve` (field lab, steward or admin).",
    ),
    "serve": LazyCommand(
        "zicht.cli.serve", "serve", "Serve the API at http://HOST:PORT/api/v1 (OpenAPI docs at /api/v1/docs)."
    ),
    "validate": LazyCommand(
        "zicht.cli.validate",
        "validate",
        "Validate source extracts: every violation with file, row, column, value, rule and message.",
    ),
    "compare": LazyCommand(
        "zicht.cli.compare",
        "compare_command",
        "Compare target-group definitions per gemeente, wijk or buurt: counts, rates per 1,000, standardised rates, overlaps, intersections, criterion attrition, source coverage and survey estimates, all through disclosure control, with a run manifest.",
    ),
    "disclosure": LazyCommand(
        "zicht.cli.disclosure", "app", "Disclosure control: the perturbation table of the cell key method."
    ),
    "explain": LazyCommand(
        "zicht.cli.explain",
        "explain_command",
        "Split the change of every count per region between two runs into its causes: definition version, mapping set versions, data snapshot and reference date.",
    ),
    "demo": LazyCommand(
        "zicht.cli.demo",
        "demo",
        "Run the Twente demo: build the synthetic store once, compare all registry definitions per gemeente.",
    ),
    "synth": LazyCommand(
        "zicht.cli.synth", "app", "Generate synthetic person-level data with known ground truth."
    ),
    "regions": LazyCommand(
        "zicht.cli.synth",
        "regions_app",
        "Real CBS regions (2024) with synthetic buurten, and their population.",
    ),
}


def load_command(name: str) -> TyperCommand | TyperGroup:
    """Import the module of command `name` and build its click command."""
    entry = COMMANDS[name]
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    if isinstance(target, typer.Typer):
        command: TyperCommand | TyperGroup = typer.main.get_group(target)
    else:
        single = typer.Typer(rich_markup_mode=None, add_completion=False)
        single.command(name=name, help=target.__doc__)(target)
        command = typer.main.get_command(single)  # type: ignore[assignment]  # one command, so not a group
    command.name = name
    _plain_help(command)
    return command


def _plain_help(command: Any) -> None:
    # Groups added with add_typer used to inherit the root's plain help; built on their own they would not.
    command.rich_markup_mode = None
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


class LazyGroup(TyperGroup):
    """A command group that imports a command's module only when that command is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(load_command(cmd_name), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # click's own listing, but from the summaries: listing must not import every command.
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, TyperCommand(name, help=entry.summary).get_short_help_str(limit))
            for name, entry in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as error:  # typer's click UsageError; its suggestions see only loaded commands
            message = getattr(error, "message", None)
            matches = get_close_matches(args[0], list(COMMANDS)) if args else []
            if isinstance(message, str) and matches and "Did you mean" not in message:
                error.message = f"{message.rstrip('.')}. Did you mean {', '.join(repr(m) for m in matches)}?"  # type: ignore[attr-defined]
            raise


app = typer.Typer(
    name="zicht",
    cls=LazyGroup,
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
    version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """zicht command line."""


def main(argv: Any = None) -> None:
    """Entry point: run the CLI, turning user errors into one line on stderr and an exit code."""
    try:
        code = app(args=argv, standalone_mode=False)
    except typer.TyperException as exc:
        # A bad option or argument (a value not among the choices, a date that is not one): click's own
        # message, but the value it quotes may be an identifier, so it is redacted as every error is.
        from zicht.privacy.detect import redact

        exc.message = redact(exc.message)
        show = getattr(exc, "show", None)  # click's usage errors print the usage line before the message
        if show is not None:
            show()
        else:
            typer.echo(f"zicht: error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("zicht: interrupted", err=True)
        sys.exit(130)
    except ZichtError as exc:
        # Messages quote input (a path, an option, a value); a direct identifier in it is never repeated.
        # Imported only here: `zicht --help` must not load the detector (and numpy/pandas with it).
        from zicht.privacy.detect import redact

        typer.echo(f"zicht: error: {redact(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("zicht: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # last line of defence, see below
        # A traceback on user input is a bug; show one line and let ZICHT_DEBUG=1 reveal the trace.
        if os.environ.get("ZICHT_DEBUG"):
            raise
        from zicht.privacy.detect import redact

        typer.echo(
            f"zicht: internal error: {type(exc).__name__}: {redact(str(exc))[:500]} "
            "(set ZICHT_DEBUG=1 for details)",
            err=True,
        )
        sys.exit(70)
    # Without standalone mode click returns the code of an exit (`typer.Exit(1)`, --help's 0).
    if isinstance(code, int) and code:
        sys.exit(code)
