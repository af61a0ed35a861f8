"""`zicht registry check` reports as a linter: which registry it reads, every file, one line per problem,
file:line:column, the rule, and "did you mean" for misspelt keys, concepts and sources."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from zicht import paths
from zicht.registry.check import run_check
from zicht.registry.lint import check_document, suggest

TYPOS = """\
id: e33-24m
version: 0.1.0
status: draft
author: Proeftuin Twente (voorbeeld)
title: Ten minste één E33-melding in 24 maanden
description: Persons with at least one E33 report in the 24 months up to the reference date.
domains: [safety]
reference_period: {months: 24}
criteria:
  - id: e33
    label: E33-melding
    concepts: [safety_e3]
    sources: [politie-e3]
    min_occurences: 2
    window_months: 24
logic: {op: any, operands: [e33]}
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ZICHT_REGISTRY", "ZICHT_HOME")}
    return {**env, **extra}


def _zicht(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zicht", *args], capture_output=True, text=True, cwd=cwd, env=_env()
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A field lab's project folder with its own registry/ (a copy of the seeds) and a new file."""
    shutil.copytree(paths.registry_dir(), tmp_path / "registry")
    return tmp_path


def test_a_new_file_in_the_working_directory_registry_is_read_and_announced(project: Path) -> None:
    good = yaml.safe_load(TYPOS)
    good["criteria"][0].update(concepts=["safety_e33"], sources=["politie-e33"], min_occurrences=2)
    del good["criteria"][0]["min_occurences"]
    (project / "registry" / "e33-24m.yaml").write_text(
        yaml.safe_dump(good, sort_keys=False, allow_unicode=True)
    )
    done = _zicht(["registry", "check"], project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"registry: {project / 'registry'} (./registry in the working directory)" in done.stderr
    assert "7 definition file(s), 0 error(s)" in done.stdout
    listed = _zicht(["registry", "list"], project)
    assert "e33-24m" in listed.stdout


def test_every_file_is_checked_once_per_problem_with_suggestions(project: Path) -> None:
    (project / "registry" / "e33-24m.yaml").write_text(TYPOS, encoding="utf-8")
    (project / "registry" / "broken.yaml").write_text("id: x\n  version: : 1\n", encoding="utf-8")
    done = _zicht(["registry", "check"], project)
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if ": error: " in line]
    broken = [line for line in lines if line.startswith("registry/broken.yaml:")]
    typos = [line for line in lines if line.startswith("registry/e33-24m.yaml:")]
    assert broken == [
        "registry/broken.yaml:2:10: error: mapping values are not allowed in this context [yaml-syntax]"
    ]
    # One line each for the misspelt key, concept and source; nothing twice, no RDF node dumps.
    assert len(typos) == 3, typos
    assert (
        "registry/e33-24m.yaml:12:16: error: unknown framework concept 'safety_e3' (see `zicht concepts`); did you "
        "mean 'safety_e33'? [concept-exists]" in typos
    )
    assert (
        "registry/e33-24m.yaml:13:15: error: unknown source 'politie-e3'; did you mean 'politie-e33'? [source-exists]"
        in typos
    )
    assert (
        "registry/e33-24m.yaml:14:5: error: unknown key 'min_occurences' in criteria[0]; did you mean "
        "'min_occurrences'? [schema-key]" in typos
    )
    assert "Node [" not in done.stdout and "Literal(" not in done.stdout
    assert "8 definition file(s), 4 error(s)" in done.stdout
    assert "Traceback" not in done.stderr


def test_json_output_names_file_line_column_rule(project: Path) -> None:
    (project / "registry" / "e33-24m.yaml").write_text(TYPOS, encoding="utf-8")
    done = _zicht(["registry", "check", "--format", "json"], project)
    body = json.loads(done.stdout)
    assert body["registry"] == str(project / "registry")
    by_rule = {f["rule"]: f for f in body["findings"]}
    assert set(by_rule) == {"schema-key", "concept-exists", "source-exists"}
    assert by_rule["schema-key"]["suggestion"] == "min_occurrences"
    assert all({"file", "line", "column", "severity", "message"} <= set(f) for f in body["findings"])


@pytest.mark.parametrize(
    "patch",
    [
        {
            "criteria": [
                {"id": "a", "label": "x", "concepts": ["ggz"], "window_months": "twelve", "age_min": "18"}
            ]
        },
        {"criteria": "ggz"},
        {"logic": {"op": "at_least", "k": "2", "operands": [["nested"]], "groups": "x"}},
        {"population": {"age_min": 70, "age_max": 18}, "domains": "ggz"},
    ],
)
def test_wrong_types_give_messages_not_crashes(patch: dict) -> None:
    doc = {
        "id": "x",
        "version": "1.0.0",
        "status": "draft",
        "author": "a",
        "title": "t",
        "description": "d",
        "domains": ["ggz"],
        "criteria": [{"id": "a", "label": "x", "concepts": ["ggz"]}],
        "logic": {"op": "any", "operands": ["a"]},
        **patch,
    }
    problems = check_document(doc)
    assert problems and all(p.message for p in problems)
    assert len({(p.path, p.message) for p in problems}) == len(problems)


def test_shacl_and_json_schema_do_not_both_report_one_problem() -> None:
    doc = yaml.safe_load(TYPOS)
    rules = [p.rule for p in check_document(doc)]
    assert not any(r.startswith("shape-") for r in rules), rules


def test_a_missing_author_is_one_message() -> None:
    # SHACL names the author `creator` (dcterms:creator): the JSON Schema message covers it.
    doc = yaml.safe_load(TYPOS)
    doc["criteria"][0] = {"id": "e33", "label": "E33", "concepts": ["safety_e33"]}
    del doc["author"]
    assert [(p.pointer, p.rule) for p in check_document(doc)] == [("", "schema-required")]


@pytest.mark.parametrize("bad_id", ["", "E33 Twente", "-x"])
def test_a_bad_id_is_one_message_at_the_id(bad_id: str) -> None:
    # SHACL names the id `identifier` (its RDF property): the JSON Schema message covers it.
    doc = yaml.safe_load(TYPOS)
    doc["criteria"][0] = {"id": "e33", "label": "E33", "concepts": ["safety_e33"]}
    doc["id"] = bad_id
    assert [(p.pointer, p.rule) for p in check_document(doc)] == [("id", "schema-pattern")]


def test_empty_lists_say_a_value_is_needed() -> None:
    doc = yaml.safe_load(TYPOS)
    doc["criteria"][0] = {"id": "e33", "label": "E33", "concepts": []}
    doc["domains"] = []
    found = {(p.pointer, p.message) for p in check_document(doc) if p.rule == "shape-min-count"}
    assert found == {
        ("criteria/0/concepts", "concepts: at least one value is needed"),
        ("domains", "domains: at least one value is needed"),
    }


def test_supplement_only_problems_still_come_through() -> None:
    # created after published: only a hand-written SHACL supplement knows this rule.
    doc = yaml.safe_load(TYPOS)
    doc["criteria"][0] = {"id": "e33", "label": "E33", "concepts": ["safety_e33"]}
    doc.update(created="2025-01-02", published="2024-01-01")
    problems = check_document(doc)
    assert [(p.pointer, p.rule, p.message) for p in problems] == [
        ("created", "shape-less-than-or-equals", "Definition: created is after published")
    ]
    # A rule and its SHACL supplement twin: reported once, by the rule.
    doc["population"] = {"age_min": 70, "age_max": 18}
    assert [p.rule for p in check_document(doc)] == ["shape-less-than-or-equals", "age-range-ordered"]


def test_suggest_finds_near_names_only() -> None:
    assert suggest("min_occurences", ["min_occurrences", "min_span_days"]) == "min_occurrences"
    assert suggest("Window-Months", ["window_months"]) == "window_months"
    assert suggest("colour", ["min_occurrences", "sources"]) is None


def test_seed_registry_has_no_findings() -> None:
    report = run_check(paths.registry_dir())
    assert report.findings == [] and report.files >= 6
