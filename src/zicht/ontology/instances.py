"""Checking LinkML instance data against the generated JSON Schema and SHACL shapes.

Both checks run on every instance: JSON Schema catches structural errors early and with a JSON path,
SHACL is the semantic reference that the rest of zicht (validators, registry) relies on. A finding
names the engine, where in the instance it is, the rule and the offending value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from zicht import paths
from zicht.ontology.rdf import InstanceConverter


@dataclass(frozen=True, order=True)
class Finding:
    engine: str  # "jsonschema" or "shacl"
    path: str  # slot name (SHACL) or JSON path (JSON Schema)
    rule: str  # e.g. "PatternConstraintComponent", "required", "pattern"
    message: str
    value: str | None = None
    severity: str = "Violation"

    def __str__(self) -> str:
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{self.path or '<root>'}: {self.message}{shown} [{self.engine}:{self.rule}]"


@lru_cache(maxsize=1)
def _json_schema() -> dict[str, Any]:
    return json.loads((paths.ontology_dir() / "zicht.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def _validator(class_name: str) -> jsonschema.protocols.Validator:
    schema = dict(_json_schema())
    if class_name not in schema.get("$defs", {}):
        raise KeyError(f"no class {class_name!r} in the JSON Schema")
    schema = {**schema, "$ref": f"#/$defs/{class_name}"}
    for key in ("properties", "required", "additionalProperties", "type", "title"):
        schema.pop(key, None)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def jsonschema_validator(class_name: str) -> jsonschema.protocols.Validator:
    """The JSON Schema validator of one class (for callers that read the raw errors, e.g. the registry lint)."""
    return _validator(class_name)


def jsonschema_findings(class_name: str, data: Mapping[str, Any]) -> list[Finding]:
    findings = []
    for err in _validator(class_name).iter_errors(_jsonable(data)):
        path = "/".join(str(p) for p in err.absolute_path)
        value = None if err.validator in ("required", "additionalProperties") else _short(err.instance)
        findings.append(Finding("jsonschema", path, str(err.validator), err.message, value))
    return sorted(findings)


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The generated SHACL shapes plus every hand-written supplement in validators/."""
    g = Graph()
    g.parse(paths.ontology_dir() / "zicht.shacl.ttl", format="turtle")
    supplements = paths.validators_dir()
    if supplements.is_dir():
        for ttl in sorted(supplements.glob("*.ttl")):
            g.parse(ttl, format="turtle")
    return g


def shacl_findings(items: list[tuple[str, Mapping[str, Any]]], shapes: Graph | None = None) -> list[Finding]:
    """Validate instances with pyshacl; return one finding per validation result."""
    from pyshacl import validate

    converter = InstanceConverter()
    data = Graph()
    for class_name, instance in items:
        converter.add(data, class_name, instance)
    _conforms, report, _text = validate(
        data,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none",
        allow_warnings=True,
    )
    return findings_from_report(report, converter)


def findings_from_report(report: Graph, converter: InstanceConverter | None = None) -> list[Finding]:
    out = []
    for result in report.subjects(predicate=None, object=SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        component = report.value(result, SH.sourceConstraintComponent)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        out.append(
            Finding(
                "shacl",
                _local(path),
                _local(component),
                str(message) if message is not None else "",
                None if value is None else str(value),
                _local(severity) or "Violation",
            )
        )
    return sorted(out)


def validate_instance(class_name: str, data: Mapping[str, Any]) -> list[Finding]:
    """All findings of JSON Schema and SHACL for one instance of ``class_name``."""
    return jsonschema_findings(class_name, data) + shacl_findings([(class_name, data)])


def load_yaml(path: Path) -> Any:
    """The data of a YAML file, read by the strict, bounded `zicht.yamlio` reader."""
    from zicht import yamlio

    return yamlio.load_file(path)


def _local(term: Node | None) -> str:
    if term is None:
        return ""
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _jsonable(data: Any) -> Any:
    # YAML gives dates as datetime.date; the JSON Schema expects the ISO strings JSON would carry.
    return json.loads(json.dumps(data, default=str))


def _short(value: Any) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."
