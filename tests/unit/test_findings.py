"""One findings type for the registry check, its rules and the mapping lint: one line format, one dict."""

from __future__ import annotations

from pathlib import Path

from zicht.findings import WARNING, Finding
from zicht.mappings.lint import check_paths
from zicht.registry.rules import check_rules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mappings"


def test_a_placed_finding_reads_like_a_linter_line() -> None:
    f = Finding(
        "registry/e33.yaml", 12, 16, "source-exists", "unknown source 'politie-e3'", suggestion="politie-e33"
    )
    assert str(f) == (
        "registry/e33.yaml:12:16: error: unknown source 'politie-e3'; did you mean 'politie-e33'? "
        "[source-exists]"
    )


def test_subject_names_what_inside_the_file() -> None:
    f = Finding("x.sssom.tsv", 8, 0, "coverage", "code HH01 is not mapped", WARNING, subject="HH01")
    assert str(f) == "x.sssom.tsv:8: HH01: warning: code HH01 is not mapped [coverage]"
    assert f.to_dict() == {
        "file": "x.sssom.tsv",
        "line": 8,
        "column": 0,
        "rule": "coverage",
        "message": "code HH01 is not mapped",
        "severity": "warning",
        "suggestion": None,
        "subject": "HH01",
    }


def test_rule_findings_and_mapping_findings_are_the_same_type() -> None:
    definition = {
        "id": "x",
        "criteria": [{"id": "a", "concepts": ["safety_e33"]}, {"id": "a", "concepts": ["safety_e33"]}],
        "logic": {"op": "any", "operands": ["a"]},
    }
    rule_findings = check_rules(definition)
    lint_findings = check_paths(FIXTURES / "bad_coverage")
    assert rule_findings and lint_findings
    assert {type(f) for f in rule_findings + lint_findings} == {Finding}
    dup = next(f for f in rule_findings if f.rule == "unique-criterion-id")
    assert dup.subject == "criteria/1/id" and dup.file == ""
    assert str(dup).startswith("criteria/1/id: error: ")
