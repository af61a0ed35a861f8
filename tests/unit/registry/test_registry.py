"""The definitions registry: seed files, hashing, semantic rules, lifecycle and the immutability check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from zicht import paths
from zicht.registry import edit
from zicht.registry.check import check_registry
from zicht.registry.files import dump_definition, read_definition, read_lock
from zicht.registry.lifecycle import LifecycleError, bump, transition
from zicht.registry.normalise import content_hash
from zicht.registry.rules import check_rules

SEEDS = {
    "epa-ggz-wmo",
    "ggz-specialised-12m",
    "e33-12m",
    "multi-domain-2of5",
    "bemoeizorg-meldpunt-12m",
    "k10-high-monitor",
}


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(paths.registry_dir(), root)
    return root


def _rules(findings) -> set[str]:
    return {f.rule for f in findings}


def test_seed_registry_is_clean_and_complete() -> None:
    assert check_registry() == []
    ids = {p.stem for p in paths.registry_dir().glob("*.yaml")}
    assert ids >= SEEDS
    for did in SEEDS:
        d = read_definition(paths.registry_dir() / f"{did}.yaml")
        assert d["status"] == "published" and len(d["description"]) > 100 and d["references"]


def test_hash_ignores_order_defaults_and_lifecycle_but_not_content() -> None:
    d = read_definition(paths.registry_dir() / "multi-domain-2of5.yaml")
    shuffled = dict(
        d, criteria=list(reversed(d["criteria"])), domains=list(reversed(d["domains"])), status="deprecated"
    )
    shuffled["criteria"][0] = dict(shuffled["criteria"][0], include_narrower=True, min_occurrences=1)
    assert content_hash(shuffled) == content_hash(d)
    changed = dict(d, logic=dict(d["logic"], k=3))
    assert content_hash(changed) != content_hash(d)
    assert content_hash(dict(d, description=d["description"] + " Extra.")) != content_hash(d)


def test_editing_a_published_file_is_detected(registry: Path) -> None:
    path = registry / "e33-12m.yaml"
    data = yaml.safe_load(path.read_text())
    data["criteria"][0]["window_months"] = 6
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    rules = {(f.file, f.rule) for f in check_registry(registry)}
    assert ("registry/e33-12m.yaml", "published-immutable") in rules


def test_recomputing_the_hash_after_an_edit_is_still_caught_by_the_lock(registry: Path) -> None:
    path = registry / "e33-12m.yaml"
    data = read_definition(path)
    data["title"] = "Iets anders"
    data["content_hash"] = content_hash(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    findings = check_registry(registry)
    assert [f.rule for f in findings] == ["published-immutable"]
    assert "make a new version" in findings[0].message


def test_deleting_a_published_version_is_detected(registry: Path) -> None:
    (registry / "e33-12m.yaml").unlink()
    assert "published-kept" in _rules(check_registry(registry))


def test_new_version_flow_archives_and_checks_clean(registry: Path) -> None:
    draft = edit.start_new_version("e33-12m", "minor", registry)
    assert draft["version"] == "1.1.0" and draft["status"] == "draft" and draft["supersedes"] == "1.0.0"
    assert (registry / "archive" / "e33-12m" / "1.0.0.yaml").is_file()
    path = registry / "e33-12m.yaml"
    data = read_definition(path)
    data["criteria"][0]["min_occurrences"] = 2
    path.write_text(dump_definition(data))
    assert check_registry(registry) == []
    published = edit.publish("e33-12m", registry)
    assert published["content_hash"] == content_hash(read_definition(path))
    assert ("e33-12m", "1.1.0") in {(e["id"], e["version"]) for e in read_lock(registry)}
    assert check_registry(registry) == []
    edit.set_status("e33-12m", "deprecated", registry)
    assert check_registry(registry) == []  # deprecating keeps the content hash


def test_lifecycle_transitions() -> None:
    d = {"id": "x", "version": "1.0.0", "status": "draft", "criteria": [], "logic": {"op": "any"}}
    published = transition(d, "published")
    assert published["status"] == "published" and published["content_hash"].startswith("sha256:")
    with pytest.raises(LifecycleError, match="cannot go from 'published' to 'draft'"):
        transition(published, "draft")
    with pytest.raises(LifecycleError):
        transition(transition(published, "withdrawn"), "deprecated")
    assert bump("1.9.3", "minor") == "1.10.0" and bump("1.9.3", "major") == "2.0.0"


def _definition(**logic) -> dict:
    return {
        "id": "t",
        "domains": ["ggz", "psy"],
        "criteria": [
            {"id": "a", "concepts": ["ggz"]},
            {"id": "b", "concepts": ["ggz_basic"]},
            {"id": "k10", "concepts": ["psy_distress"], "sources": ["ggd-monitor"], "value_min": 30},
        ],
        "logic": logic,
    }


@pytest.mark.parametrize(
    ("logic", "rule"),
    [
        ({"op": "not", "operands": ["a", "b", "k10"]}, "not-single-operand"),
        ({"op": "at_least", "k": 4, "operands": ["a", "b", "k10"]}, "k-in-range"),
        ({"op": "at_least", "operands": ["a", "b", "k10"]}, "at-least-needs-k"),
        ({"op": "any", "k": 2, "operands": ["a", "b", "k10"]}, "k-only-for-at-least"),
        ({"op": "any", "operands": ["a", "b", "k10", "zz"]}, "operand-exists"),
        ({"op": "any", "operands": ["a", "b"]}, "criterion-used"),
    ],
)
def test_logic_rules(logic: dict, rule: str) -> None:
    assert rule in _rules(check_rules(_definition(**logic)))


def test_survey_and_registration_criteria_cannot_mix() -> None:
    kinds = {"ggd-monitor": "survey", "zvw-ggz": "registration"}
    findings = check_rules(_definition(op="any", operands=["a", "b", "k10"]), kinds)
    assert "no-survey-registration-mix" in _rules(findings)
    only_survey = _definition(op="any", operands=["k10"])
    only_survey["criteria"] = [only_survey["criteria"][2]]
    assert check_rules(only_survey, kinds) == []


def test_concepts_outside_declared_domains_and_unknown_sources() -> None:
    d = _definition(op="any", operands=["a", "b", "k10"])
    d["domains"] = ["ggz"]
    d["criteria"][0]["sources"] = ["nope"]
    rules = _rules(check_rules(d, {"ggd-monitor": "survey"}))
    assert {"domain-declared", "source-exists"} <= rules
