"""Harmonise on the generator's output for one small gemeente, checked against the generator's own record
of what it wrote: the defect manifest (which rows are bad) and its intended code → concept table."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from zicht.cli import app
from zicht.harmonise.run import QUARANTINE_ROW, harmonise
from zicht.synth.codes import concept_of
from zicht.synth.sources import SPECS

runner = CliRunner()
GEMEENTE = "GM0147"  # Borne: small, and it uses the regional Wmo list


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "run"
    result = runner.invoke(
        app,
        ["synth", "--region", "twente", "--gemeente", GEMEENTE, "--seed", "7", "--out", str(out), "--quiet"],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def store(synthetic: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("store")
    harmonise(synthetic, target, bsn_policy=QUARANTINE_ROW)
    return target


def _defects(run: Path) -> list[dict[str, str]]:
    with (run / "defects.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _query(store: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(store / "zicht.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.slow
def test_quarantine_is_exactly_the_defect_rows(synthetic: Path, store: Path) -> None:
    expected = {(d["file"], int(d["row"])) for d in _defects(synthetic)}
    got = {(f, r) for f, r in _query(store, "SELECT DISTINCT source_file, source_row FROM quarantine")}
    assert got == expected


@pytest.mark.slow
def test_unknown_codes_are_quarantined_as_unmapped(synthetic: Path, store: Path) -> None:
    unknown = {(d["file"], int(d["row"])) for d in _defects(synthetic) if d["kind"] == "unknown_code"}
    reasons = {
        (f, r): q for f, r, q in _query(store, "SELECT source_file, source_row, reason FROM quarantine")
    }
    assert unknown and {reasons[k] for k in unknown} == {"unmapped_code"}


@pytest.mark.slow
def test_events_per_concept_equal_the_generators_intent(synthetic: Path, store: Path) -> None:
    """Valid rows (all rows minus the defect rows) counted by the generator's own code → concept table."""
    bad = {(d["file"], int(d["row"])) for d in _defects(synthetic)}
    expected: Counter = Counter()
    for source_id, spec in SPECS.items():
        folder = synthetic / "extracts" / source_id
        if source_id in ("brp", "notes") or not folder.is_dir():
            continue
        intent = concept_of(source_id)
        for path in sorted(folder.glob("*.csv")):
            rel = path.relative_to(synthetic).as_posix()
            frame = pd.read_csv(
                path, sep=spec.delimiter, dtype=str, keep_default_na=False, encoding="latin-1"
            )
            for i, row in enumerate(frame.to_dict("records"), start=1):
                if (rel, i) in bad:
                    continue
                for col in (c.name for c in spec.columns if c.role == "code"):
                    if row[col]:
                        expected[(source_id, "zc:" + intent[row[col]])] += 1
    got = Counter(
        {
            (s, c): n
            for s, c, n in _query(store, "SELECT source_id, concept, count(*) FROM event GROUP BY 1, 2")
        }
    )
    assert got == expected


@pytest.mark.slow
def test_persons_equal_the_register_rows(synthetic: Path, store: Path) -> None:
    truth = pd.read_parquet(synthetic / "truth" / "persons" / f"{GEMEENTE}.parquet")
    assert _query(store, "SELECT count(*) FROM person") == [(len(truth),)]
    got = {r[0] for r in _query(store, "SELECT id FROM person")}
    assert got == set(truth["person_key"])


@pytest.mark.slow
def test_refuse_file_policy_refuses_exactly_the_files_with_a_bsn(synthetic: Path, tmp_path: Path) -> None:
    outcome = harmonise(synthetic, tmp_path / "strict")
    with_bsn = {d["file"] for d in _defects(synthetic) if d["kind"] in ("bsn_in_id", "bsn_in_text")}
    refused = {f["file"] for s in outcome.manifest["sources"].values() for f in s["refused_files"]}
    assert refused == with_bsn
    in_store = {
        r[0]
        for r in _query(
            tmp_path / "strict",
            "SELECT DISTINCT source_file FROM event UNION SELECT DISTINCT source_file FROM quarantine",
        )
    }
    assert not in_store & refused


@pytest.mark.slow
def test_coverage_reports_every_unknown_code(synthetic: Path) -> None:
    defects = [d for d in _defects(synthetic) if d["kind"] == "unknown_code"]
    for source_id in sorted({d["source_id"] for d in defects}):
        spec = SPECS[source_id]
        code_col = next(c.name for c in spec.columns if c.role == "code")
        expected = set()
        for d in (d for d in defects if d["source_id"] == source_id):
            frame = pd.read_csv(
                synthetic / d["file"],
                sep=spec.delimiter,
                dtype=str,
                keep_default_na=False,
                encoding="latin-1",
            )
            expected.add(frame.iloc[int(d["row"]) - 1][code_col])
        result = runner.invoke(
            app,
            [
                "mappings",
                "coverage",
                str(synthetic / "extracts" / source_id),
                "--source",
                source_id,
                "--format",
                "json",
            ],
        )
        assert result.exit_code == 0, result.output
        import json

        reported = {
            c["code"] for c in json.loads(result.stdout)["not_covered"] if c["status"] == "unmapped_code"
        }
        assert reported == expected


# generator defect kind → quarantine reasons that name it correctly
REASONS = {
    "unknown_code": {"unmapped_code"},
    "invalid_date": {"bad_date"},
    "end_before_start": {"end_before_start"},
    "future_date": {"after_period"},
    "duplicate": {"duplicate_row"},
    "wrong_region": {"unknown_region", "pattern_mismatch"},
    "bsn_in_id": {"bsn_detected"},
    "bsn_in_text": {"bsn_detected"},
    "missing_value": {"missing_value"},
    "encoding": {"bad_encoding"},
}


@pytest.mark.slow
def test_each_defect_gets_its_reason_and_column(synthetic: Path, store: Path) -> None:
    got = {
        (f, r): (q, c)
        for f, r, q, c in _query(store, 'SELECT source_file, source_row, reason, "column" FROM quarantine')
    }
    wrong = []
    for d in _defects(synthetic):
        reason, column = got[(d["file"], int(d["row"]))]
        if reason not in REASONS[d["kind"]] or (column or "") != d["column"]:
            wrong.append((d["file"], d["row"], d["kind"], d["column"], reason, column))
    assert wrong == []


@pytest.mark.slow
def test_every_table_is_stored_in_its_sort_order(store: Path) -> None:
    """Parquet files and database tables hold their rows in schema.SORT_KEYS order (what makes two runs
    byte-identical), also the event table, which is staged in that order instead of sorted at the end."""
    from zicht.harmonise.schema import SORT_KEYS

    con = duckdb.connect(str(store / "zicht.duckdb"), read_only=True)
    try:
        for table, keys in SORT_KEYS.items():
            order = ", ".join(f'"{k}"' for k in keys)
            for source in (f'"{table}"', f"read_parquet('{store / 'parquet' / f'{table}.parquet'}')"):
                stored = con.execute(f"SELECT * FROM {source}").fetchall()
                assert stored == con.execute(f"SELECT * FROM {source} ORDER BY {order}").fetchall(), (
                    table,
                    source,
                )
        assert con.execute("SELECT count(DISTINCT source_file) FROM event").fetchone()[0] > 5
    finally:
        con.close()
