"""The hand-written SHACL supplements in validators/ on model instances (what LinkML cannot generate)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from typer.testing import CliRunner

from zicht.cli import app
from zicht.ontology.instances import shacl_findings

EVENT = {
    "id": "e1",
    "source_id": "wmo",
    "concept": "support_guidance",
    "person_id": "0123456789abcdef",
    "source_code": "X",
    "start_date": "2024-05-01",
}


def _rules(items) -> set[tuple[str, str]]:
    return {(f.path, f.rule) for f in shacl_findings(items)}


def test_event_end_before_start() -> None:
    assert _rules([("Event", {**EVENT, "end_date": "2024-04-30"})]) == {
        ("start_date", "LessThanOrEqualsConstraintComponent")
    }
    assert _rules([("Event", {**EVENT, "end_date": "2024-05-01"})]) == set()
    assert _rules([("Event", EVENT)]) == set()  # an open episode


def test_person_wijk_must_lie_in_the_gemeente() -> None:
    person = {
        "id": "0123456789abcdef",
        "sex": "female",
        "birth_year": 1980,
        "residence_gemeente": "GM0153",
        "residence_wijk": "WK016401",
    }
    assert _rules([("Person", person)]) == {("", "SPARQLConstraintComponent")}
    assert (
        _rules([("Person", {**person, "residence_wijk": "WK015301", "residence_buurt": "BU015301S01"})])
        == set()
    )


def test_age_band_and_value_order() -> None:
    population = {
        "region_code": "GM0153",
        "year": 2024,
        "sex": "male",
        "age_min": 30,
        "age_max": 20,
        "count": 5,
    }
    assert _rules([("Population", population)]) == {("age_min", "LessThanOrEqualsConstraintComponent")}


def test_definition_id_and_version_are_unique(tmp_path: Path) -> None:
    # Two Definition nodes with the same id and version (as an RDF document can carry them).
    doc = tmp_path / "defs.ttl"
    body = (
        'a zicht:Definition ; dcterms:identifier "epa" ; zicht:version "1.0.0" ; dcterms:title "t" ; '
        'dcterms:description "d" ; dcterms:creator "lab" ; zicht:status "draft" .'
    )
    doc.write_text(
        "@prefix zicht: <https://w3id.org/zicht/> . @prefix dcterms: <http://purl.org/dc/terms/> .\n"
        f"<urn:x:a> {body}\n<urn:x:b> {body}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(doc), "--format", "ttl"])
    assert result.exit_code == 1
    report = Graph().parse(data=result.output, format="turtle")
    messages = {str(m) for m in report.objects(None, None) if "same id and version" in str(m)}
    assert messages, result.output
