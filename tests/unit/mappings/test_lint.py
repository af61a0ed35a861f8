"""`zicht mappings check`: each rule fires on a purpose-built broken file, at the right line and code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zicht import paths
from zicht.cli import app
from zicht.mappings.lint import ERROR, check_paths

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mappings"
runner = CliRunner()

# bad fixture → (rule, line, code) the lint must report as an error. Lines are file lines (1-based);
# "" for a finding about the file as a whole.
EXPECTED = {
    "metadata": ("metadata", 1, ""),
    "metadata_yaml": ("metadata_yaml", 3, ""),
    "prefix": ("prefix", 1, ""),
    "columns": ("columns", 9, ""),
    "row_shape": ("row_shape", 12, "DB01"),
    "missing_value": ("missing_value", 12, "DB01"),
    "curie": ("curie", 12, "DB01"),
    "predicate": ("predicate", 12, "DB01"),
    "unknown_concept": ("unknown_concept", 12, "DB01"),
    "object_scheme": ("object_scheme", 12, "DB01"),
    "justification": ("justification", 12, "DB01"),
    "confidence": ("confidence", 12, "DB01"),
    "mapping_date": ("mapping_date", 12, "DB01"),
    "duplicate_row": ("duplicate_row", 14, "DB01"),
    "exact_conflict": ("exact_conflict", 17, "DB01"),
    "redundant_mapping": ("redundant_mapping", 17, "BG01"),
    "no_term_conflict": ("no_term_conflict", 16, "HH01"),
    "coverage": ("coverage", 8, "HH01"),
    "unknown_code": ("unknown_code", 13, "BW01"),
    "subject_prefix": ("subject_prefix", 13, ""),
}


def test_good_fixture_has_no_errors() -> None:
    findings = check_paths(FIXTURES / "good_basic")
    assert [f for f in findings if f.severity == ERROR] == []
    # MO01 only has a narrowMatch: a warning that its records will be quarantined
    assert [(f.rule, f.subject) for f in findings] == [("no_assignable_mapping", "MO01")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_rule_fires_on_its_broken_file(name: str) -> None:
    rule, line, code = EXPECTED[name]
    findings = check_paths(FIXTURES / f"bad_{name}")
    errors = {(f.rule, f.line, f.subject) for f in findings if f.severity == ERROR}
    assert (rule, line, code) in errors, sorted(errors)


def test_every_bad_fixture_is_covered() -> None:
    names = {p.name[len("bad_") :] for p in FIXTURES.glob("bad_*")}
    assert names == set(EXPECTED)


def test_shipped_mappings_pass() -> None:
    findings = check_paths(paths.mappings_dir())
    assert [str(f) for f in findings if f.severity == ERROR] == []


def test_cli_text_output_and_exit_code() -> None:
    result = runner.invoke(app, ["mappings", "check", str(FIXTURES / "bad_predicate")])
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if x.endswith(" [predicate]"))
    assert line.startswith(str(FIXTURES / "bad_predicate" / "wmo-test.sssom.tsv") + ":12: DB01: error: ")
    assert "skos:closeMatch" in line


def test_cli_json_output() -> None:
    result = runner.invoke(
        app, ["mappings", "check", str(FIXTURES / "bad_exact_conflict"), "--format", "json"]
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["errors"] == 1
    (finding,) = [f for f in doc["findings"] if f["severity"] == "error"]
    assert finding["rule"] == "exact_conflict" and finding["line"] == 17 and finding["subject"] == "DB01"


def test_cli_passes_on_shipped_mappings() -> None:
    result = runner.invoke(app, ["mappings", "check"])
    assert result.exit_code == 0, result.output


def test_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["mappings", "check", str(tmp_path / "nope.sssom.tsv")])
    assert result.exit_code != 0
