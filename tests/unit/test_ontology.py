"""The framework model: coverage of the required domains and classes, and generated artefacts in sync."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from zicht import paths
from zicht.ontology import artefacts
from zicht.ontology.concepts import framework
from zicht.ontology.schema import CONCEPT_NS, SCHEME_IRI, schema_view

REQUIRED_DOMAINS = {"psy", "ggz", "support", "youth", "safety", "context", "functioning"}
REQUIRED_NARROWER = {
    "ggz": {"ggz_basic", "ggz_specialised", "ggz_crisis", "ggz_wlz"},
    "support": {"support_guidance", "support_sheltered_housing", "support_shelter", "support_day_activities"},
    "safety": {"safety_e33", "safety_care_report", "safety_outreach"},
    "context": {"context_loneliness", "context_debt", "context_income_support", "context_housing"},
}


def test_domains_are_the_top_concepts() -> None:
    assert {c.key for c in framework().domains()} == REQUIRED_DOMAINS


@pytest.mark.parametrize("domain", sorted(REQUIRED_NARROWER))
def test_domain_has_its_named_narrower_concepts(domain: str) -> None:
    assert REQUIRED_NARROWER[domain] <= set(framework().get(domain).narrower)


def test_every_concept_has_both_labels_a_definition_and_a_stable_curie() -> None:
    for concept in framework():
        assert concept.label_nl and concept.label_en and concept.definition, concept.key
        assert concept.label_nl != concept.key
        assert concept.curie == f"zc:{concept.key}"


def test_descendants_include_all_levels() -> None:
    keys = {c.key for c in framework().descendants("ggz")}
    assert {"ggz", "ggz_specialised", "ggz_specialised_fact", "ggz_wlz_b"} <= keys
    assert "support" not in keys
    assert framework().domain_of("zc:ggz_specialised_fact").key == "ggz"


def test_committed_skos_scheme_is_valid_skos() -> None:
    g = Graph().parse(paths.ontology_dir() / "zicht.concepts.ttl")
    scheme = URIRef(SCHEME_IRI)
    tops = set(g.objects(scheme, SKOS.hasTopConcept))
    assert {URIRef(CONCEPT_NS + d) for d in REQUIRED_DOMAINS} == tops
    for concept in g.subjects(RDF.type, SKOS.Concept):
        langs = {lit.language for lit in g.objects(concept, SKOS.prefLabel)}
        assert langs == {"nl", "en"}, concept
        # broader and narrower are each other's inverse
        for broader in g.objects(concept, SKOS.broader):
            assert (broader, SKOS.narrower, concept) in g


def test_every_class_slot_and_enum_is_described() -> None:
    view = schema_view()
    undocumented = [c for c, cls in view.all_classes().items() if not cls.description]
    undocumented += [e for e, enum in view.all_enums().items() if not enum.description]
    for cname in view.all_classes():
        undocumented += [f"{cname}.{s.name}" for s in view.class_induced_slots(cname) if not s.description]
    for ename, enum in view.all_enums().items():
        undocumented += [f"{ename}.{k}" for k, pv in enum.permissible_values.items() if not pv.description]
    assert undocumented == []


def test_required_model_classes_and_key_slots() -> None:
    view = schema_view()
    expect = {
        "Person": {"id", "sex", "birth_year", "residence_gemeente", "residence_wijk", "residence_buurt"},
        "Event": {"person_id", "source_id", "concept", "source_code", "start_date", "end_date", "value"},
        "Region": {"id", "name", "level", "parent", "year"},
        "Population": {"region_code", "year", "sex", "age_min", "age_max", "count"},
        "Source": {"kind", "owner", "coverage", "period_start", "period_end", "code_system"},
        "Note": {"author", "created_on", "region_code", "indicator", "definition_id", "text"},
        "Definition": {
            "id",
            "version",
            "status",
            "author",
            "title",
            "description",
            "domains",
            "reference_period",
            "criteria",
            "logic",
            "references",
            "content_hash",
        },
        "Criterion": {
            "concepts",
            "include_narrower",
            "sources",
            "window_months",
            "min_occurrences",
            "value_min",
            "value_max",
            "age_min",
            "age_max",
        },
        "Logic": {"op", "k", "operands", "groups"},
    }
    for cname, slots in expect.items():
        assert slots <= {s.name for s in view.class_induced_slots(cname)}, cname
    assert set(view.get_enum("LogicOperator").permissible_values) == {"all", "any", "at_least", "not"}
    assert set(view.get_enum("DefinitionStatus").permissible_values) == {
        "draft",
        "published",
        "deprecated",
        "withdrawn",
    }


def test_generated_artefacts_are_in_sync() -> None:
    assert artefacts.check() == []


def test_sync_check_detects_drift(tmp_path, monkeypatch) -> None:
    # Point the project root at a copy whose SHACL file was edited by hand.
    import shutil

    root = tmp_path / "tree"
    shutil.copytree(paths.ontology_dir(), root / "ontology")
    (root / "src" / "zicht").mkdir(parents=True)
    shutil.copy(paths.model_module_path(), root / "src" / "zicht" / "model.py")
    shacl = root / "ontology" / "zicht.shacl.ttl"
    shacl.write_text(shacl.read_text() + "\n# edited by hand\n")
    (root / "ontology" / "zicht.context.jsonld").unlink()
    monkeypatch.setenv("ZICHT_HOME", str(root))
    monkeypatch.setattr(paths, "model_module_path", lambda: root / "src" / "zicht" / "model.py")
    drifts = {d.artefact.name: d.reason for d in artefacts.check()}
    assert drifts == {"shacl": "differs from a fresh build", "context": "missing"}


def test_json_schema_and_context_are_well_formed() -> None:
    schema = json.loads((paths.ontology_dir() / "zicht.schema.json").read_text())
    assert {"Person", "Event", "Definition", "Criterion", "Logic"} <= set(schema["$defs"])
    context = json.loads((paths.ontology_dir() / "zicht.context.jsonld").read_text())
    assert context["@context"]["zc"] == CONCEPT_NS if isinstance(context["@context"]["zc"], str) else True


def test_generated_python_model_parses_a_definition() -> None:
    from zicht import model

    definition = model.Definition(
        id="e33-12m",
        version="1.0.0",
        status="published",
        author="Proeftuin",
        title="E33",
        description="x",
        domains=["safety"],
        criteria=[model.Criterion(id="e33", label="E33", concepts=["safety_e33"], window_months=12)],
        logic=model.Logic(op="any", operands=["e33"]),
    )
    assert definition.criteria[0].concepts == ["safety_e33"]
    with pytest.raises(ValueError):
        model.Criterion(id="e33", label="E33", concepts=["not_a_concept"])
    # Type-level patterns (e.g. SemVer) are not enforced by the generated pydantic classes; the JSON Schema
    # and SHACL checks are the authority for those (see test_examples).
    with pytest.raises(ValueError):
        model.Definition(
            id="x",
            version="1.0.0",
            status="final",
            author="a",
            title="t",
            description="d",
            domains=["safety"],
            criteria=[],
            logic=model.Logic(op="any"),
        )


def test_linkml_lint_is_clean_but_for_the_justified_warning() -> None:
    import yaml
    from linkml.linter.linter import Linter

    root = paths.project_root()
    config = yaml.safe_load((root / ".linkmllint.yaml").read_text())
    problems = list(Linter(config).lint(str(paths.schema_path()), validate_schema=True))
    found = sorted((p.level, p.rule_name, p.message) for p in problems)
    # `k` is kept on purpose; the reason is in .linkmllint.yaml.
    assert found == [("warning", "standard_naming", "Slot has name 'k'")]


def test_an_unquoted_label_with_a_comma_is_refused(tmp_path) -> None:
    from linkml_runtime.utils.schemaview import SchemaView

    from zicht.errors import ZichtError
    from zicht.ontology.concepts import scheme_from_schema

    text = paths.schema_path().read_text(encoding="utf-8")
    assert '{pref_label_nl: "Gespecialiseerde GGZ, ambulant"}' in text
    broken = tmp_path / "zicht.yaml"
    broken.write_text(
        text.replace('"Gespecialiseerde GGZ, ambulant"', "Gespecialiseerde GGZ, ambulant"), encoding="utf-8"
    )
    with pytest.raises(ZichtError, match="ggz_specialised_outpatient.*ambulant"):
        scheme_from_schema(SchemaView(str(broken), merge_imports=True))


def test_dutch_and_english_labels_are_unique_within_the_scheme() -> None:
    scheme = list(framework())
    assert len({c.label_nl for c in scheme}) == len(scheme)
    assert len({c.label_en for c in scheme}) == len(scheme)
    assert framework().get("ggz_specialised_outpatient").label_nl == "Gespecialiseerde GGZ, ambulant"
