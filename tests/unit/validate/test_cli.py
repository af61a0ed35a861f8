"""`zicht validate`: exit codes 0/1/2, the four formats, and no identifier in any output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH
from typer.testing import CliRunner

from zicht.cli import app
from zicht.errors import InputError

from .conftest import FIXTURES

runner = CliRunner()
SOURCE = str(FIXTURES / "testbron.source.yaml")


def _run(*args: str):
    return runner.invoke(app, ["validate", *args, "--source", SOURCE])


def test_clean_extract_exits_0() -> None:
    result = _run(str(FIXTURES / "clean.csv"))
    assert result.exit_code == 0, result.output
    assert "CONFORMS" in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "ttl", "html"])
def test_dirty_extract_exits_1_and_never_shows_the_bsn(fmt: str) -> None:
    result = _run(str(FIXTURES / "dirty.csv"), "--format", fmt)
    assert result.exit_code == 1
    assert "123456782" not in result.output
    assert "*********" in result.output


def test_json_report_lists_every_violation_and_a_summary() -> None:
    result = _run(str(FIXTURES / "dirty.csv"), "--format", "json", "--engine", "fast")
    doc = json.loads(result.output)
    assert doc["conforms"] is False and doc["engine"] == "fast" and doc["rows"] == 6
    assert len(doc["violations"]) == 15
    first = doc["violations"][0]
    assert set(first) == {
        "file",
        "row",
        "focus",
        "column",
        "value",
        "rule",
        "component",
        "severity",
        "message",
    }
    assert sum(s["count"] for s in doc["summary"]) == 15
    assert doc["privacy"][0]["masked_value"] == "*********"


def test_turtle_report_is_a_shacl_validation_report() -> None:
    result = _run(str(FIXTURES / "dirty.csv"), "--format", "ttl")
    g = Graph().parse(data=result.output, format="turtle")
    (report,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(report, SH.conforms).value is False
    results = list(g.objects(report, SH.result))
    assert len(results) == 16  # 15 violations + 1 privacy finding
    for r in results:
        assert g.value(r, SH.focusNode) is not None and g.value(r, SH.resultSeverity) == SH.Violation
        assert "#row=" in str(g.value(r, SH.focusNode))


def test_html_report_escapes_and_summarises() -> None:
    result = _run(str(FIXTURES / "dirty.csv"), "--format", "html")
    assert result.output.startswith("<!doctype html>") and "Summary per rule" in result.output


def test_report_to_file(tmp_path) -> None:
    out = tmp_path / "report.json"
    result = _run(str(FIXTURES / "dirty.csv"), "--format", "json", "--output", str(out))
    assert result.exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["conforms"] is False


def test_unreadable_input_exits_2_with_one_line(tmp_path) -> None:
    wrong = tmp_path / "comma.csv"
    wrong.write_text((FIXTURES / "clean.csv").read_text(encoding="utf-8").replace(";", ","), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "zicht", "validate", str(wrong), "--source", SOURCE],
        check=False,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "comma-delimited" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unknown_source_is_an_input_error_and_unknown_engine_a_usage_error() -> None:
    result = runner.invoke(app, ["validate", str(FIXTURES / "clean.csv"), "--source", "nosuch"])
    assert isinstance(result.exception, InputError) and "unknown source 'nosuch'" in str(result.exception)
    assert (
        InputError("x").exit_code == 2
    )  # what `zicht` exits with (see test_unreadable_input_exits_2_with_one_line)
    assert _run(str(FIXTURES / "clean.csv"), "--engine", "turbo").exit_code == 2
