"""Running `zicht` the way a user does — through `zicht.cli.main`, the entry point that turns errors into
one line and an exit code — and checking what a hostile input may never cause."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import pytest

from zicht.cli import main

INTERNAL_ERROR = 70


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_zicht(*args: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setattr(sys, "argv", ["zicht", *args])
    monkeypatch.delenv("ZICHT_DEBUG", raising=False)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Run(code, out.getvalue(), err.getvalue())


def assert_clean_refusal(
    run: Run, *, allowed: tuple[int, ...] = (1, 2), secrets: tuple[str, ...] = ()
) -> None:
    """A clear, one-line error: a documented exit code, never 70, no traceback, no identifier echoed."""
    assert run.code != INTERNAL_ERROR, run.text[-2000:]
    assert run.code in allowed, (run.code, run.text[-2000:])
    assert "Traceback" not in run.text, run.text[-2000:]
    errors = [line for line in run.err.splitlines() if line.startswith("zicht: error:")]
    if run.code == 2 and errors:
        assert len(errors) == 1
    for secret in secrets:
        assert secret not in run.text
