"""Valid and invalid example instances of every class, checked with JSON Schema and SHACL."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from zicht.ontology.instances import jsonschema_findings, shacl_findings
from zicht.ontology.schema import schema_view

DATA = Path(__file__).resolve().parents[1] / "data"
VALID = sorted((DATA / "valid").glob("*.yaml"))
INVALID = sorted((DATA / "invalid").glob("*.yaml"))
MODEL_CLASSES = {"Person", "Event", "Region", "Population", "Source", "Note", "Definition", "Concept"}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_has_no_findings(path: Path) -> None:
    doc = _load(path)
    assert jsonschema_findings(doc["class"], doc["instance"]) == []
    assert shacl_findings([(doc["class"], doc["instance"])]) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_is_rejected_for_the_stated_reasons(path: Path) -> None:
    doc = _load(path)
    expected = doc["expect"]
    got_json = Counter((f.path, f.rule) for f in jsonschema_findings(doc["class"], doc["instance"]))
    got_shacl = Counter((f.path, f.rule) for f in shacl_findings([(doc["class"], doc["instance"])]))
    assert got_json == Counter(tuple(x) for x in expected["jsonschema"]), doc["why"]
    assert got_shacl == Counter(tuple(x) for x in expected["shacl"]), doc["why"]


def test_every_model_class_has_valid_and_invalid_examples() -> None:
    valid = {_load(p)["class"] for p in VALID}
    invalid = {_load(p)["class"] for p in INVALID}
    assert valid >= MODEL_CLASSES
    assert invalid >= MODEL_CLASSES
    assert set(schema_view().all_classes()) >= MODEL_CLASSES


def test_shacl_messages_name_the_offending_value_and_path() -> None:
    doc = _load(DATA / "invalid" / "region-bad-level.yaml")
    findings = shacl_findings([(doc["class"], doc["instance"])])
    by_path = {f.path: f for f in findings}
    assert by_path["level"].value == "district"
    assert "district" in str(by_path["level"])
