"""BSN leaks sit in a few files, as in real deliveries: the defaults of `zicht harmonise` leave a store."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.unit.synth.conftest import SMALL
from zicht.harmonise.run import harmonise
from zicht.regions import gemeente_codes
from zicht.synth.defects import leaking_files
from zicht.synth.sources import SPECS

TEXT_SOURCES = {"schuldhulp", "meldpunt", "notes"}


def _delivered(gemeenten: list[str]) -> dict[str, list[str]]:
    return {
        s.id: [g for g in gemeenten if s.applies_to(g) and s.coverage(g).status != "none"]
        for s in SPECS.values()
    }


@pytest.mark.parametrize("region", ["twente", "nl"])
def test_a_few_files_leak_never_all_of_a_source(region: str) -> None:
    gemeenten = gemeente_codes(region)
    leaks = leaking_files(1, SPECS.values(), gemeenten)
    files = _delivered(gemeenten)
    leaking = {(s, g) for g, sources in leaks.items() for s in sources}
    assert all(g in files[s] for s, g in leaking), "only delivered files can leak"
    for source, delivered in files.items():
        assert sum(1 for s, _ in leaking if s == source) < max(len(delivered), 1), source
    assert sum(1 for s, _ in leaking if s == "brp") >= 2
    assert any(s in TEXT_SOURCES for s, _ in leaking), "a BSN in free text is one of the leaks"
    share = len(leaking) / sum(len(v) for v in files.values())
    assert 0.01 <= share <= 0.05, share


def test_leaks_do_not_depend_on_order_and_follow_the_seed() -> None:
    gemeenten = gemeente_codes("nl")
    first = leaking_files(1, SPECS.values(), gemeenten)
    assert first == leaking_files(1, list(SPECS.values())[::-1], gemeenten[::-1])
    assert first != leaking_files(2, SPECS.values(), gemeenten)


@pytest.mark.slow
def test_default_harmonise_refuses_only_the_leaking_files(small_run: Path, tmp_path: Path) -> None:
    """Default synth + default harmonise: persons in the store, exactly the files with a BSN refused."""
    defects = pd.read_csv(small_run / "defects.csv", keep_default_na=False)
    with_bsn = set(defects.loc[defects["kind"].isin(["bsn_in_id", "bsn_in_text"]), "file"])
    assert with_bsn, "the small run has a leak"
    outcome = harmonise(small_run, tmp_path / "store")  # the default BSN policy: refuse the file
    assert len(outcome.refused) == len(with_bsn)
    refused = {f["file"] for s in outcome.manifest["sources"].values() for f in s["refused_files"]}
    with duckdb.connect(str(tmp_path / "store" / "zicht.duckdb"), read_only=True) as con:
        persons = con.sql("select residence_gemeente, count(*) from person group by 1").fetchall()
        stored_files = {r[0] for r in con.sql("select distinct source_file from event").fetchall()}
    assert refused == with_bsn
    assert not (stored_files & with_bsn)
    # the persons of every BRP file that was not refused, and only those (the truth holds every resident)
    kept = {g for g in SMALL if f"extracts/brp/brp_{g}.parquet" not in with_bsn}
    assert kept and len(kept) < len(SMALL)
    expected = {
        g: len(pd.read_parquet(small_run / f"truth/persons/{g}.parquet", columns=["person_key"]))
        for g in kept
    }
    assert dict(persons) == expected
