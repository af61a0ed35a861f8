"""The command line: help texts, one-line errors, and the ontology commands."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from zicht.cli import COMMANDS, app, load_command

runner = CliRunner()


def _all_commands(group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    out = []
    for name in group.list_commands(None):
        cmd = group.get_command(None, name)
        out.append((prefix + (name,), cmd))
        if hasattr(cmd, "list_commands"):
            out.extend(_all_commands(cmd, prefix + (name,)))
    return out


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert f"\n  {name} " in result.output


def test_every_command_has_help_text() -> None:
    import typer.main

    root = typer.main.get_command(app)
    commands = _all_commands(root)
    assert len(commands) > len(COMMANDS)  # the groups' own commands are walked too
    missing = [" ".join(path) for path, cmd in commands if not (cmd.help or "").strip()]
    assert missing == []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_listed_summary_is_the_commands_own_first_sentence(name: str) -> None:
    # The root help lists summaries without importing the commands; they must not drift from the docstrings.
    from typer.core import TyperCommand

    real = load_command(name).help or ""
    assert COMMANDS[name].summary == TyperCommand(name, help=real).get_short_help_str(10_000)


def test_help_imports_no_command_module() -> None:
    code = (
        "import sys; from zicht.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('pandas', 'numpy', 'duckdb', 'rdflib', 'sqlalchemy', 'fastapi', 'pyarrow') if m in sys.modules)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('zicht.cli.'))\n"
        "print(heavy, loaded, file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stderr.strip().splitlines()[-1] == "[] []"


def test_misspelt_command_suggests_the_nearest() -> None:
    proc = subprocess.run([sys.executable, "-m", "zicht", "comprae"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Did you mean 'compare'?" in proc.stderr


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
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "ZICHT_HOME": str(env_home)},
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("zicht: error: schema not found")
    assert len(proc.stderr.strip().splitlines()) == 1
