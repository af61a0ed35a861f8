"""The command line: help texts, one-line errors, and the ontology commands."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from typer.testing import CliRunner

from zicht.cli import app

runner = CliRunner()


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((prefix + (name,), cmd))
        if isinstance(cmd, click.Group):
            out.extend(_all_commands(cmd, prefix + (name,)))
    return out


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "ontology" in result.output and "concepts" in result.output


def test_every_command_has_help_text() -> None:
    import typer.main

    root = typer.main.get_command(app)
    missing = [" ".join(path) for path, cmd in _all_commands(root) if not (cmd.help or "").strip()]
    assert missing == []


def test_ontology_check_passes() -> None:
    result = runner.invoke(app, ["ontology", "check"])
    assert result.exit_code == 0, result.output
    assert "in sync" in result.output


def test_concepts_lists_every_domain() -> None:
    result = runner.invoke(app, ["concepts", "--lang", "en"])
    assert result.exit_code == 0
    assert "zc:safety_e33" in result.output and "Police report of a confused person (E33)" in result.output


@pytest.mark.parametrize("args", [["nonsense"], ["concepts", "--lang"]])
def test_usage_errors_exit_2_without_traceback(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "zicht", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_user_error_is_one_line(monkeypatch, tmp_path) -> None:
    env_home = tmp_path / "empty"
    env_home.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "zicht", "ontology", "check"],
        capture_output=True, text=True, env={**__import__("os").environ, "ZICHT_HOME": str(env_home)},
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("zicht: error: schema not found")
    assert len(proc.stderr.strip().splitlines()) == 1
