"""A small synthetic run (two Twente gemeenten) shared by the synth tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from zicht.synth.run import run

# Tubbergen delivers no meldpunt data; Wierden delivers Wmo only from 2024-07-01.
SMALL = ["GM0183", "GM0189"]
SEED = 11


@pytest.fixture(scope="session")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth-small")
    run("twente", SEED, out, gemeenten=SMALL)
    return out
