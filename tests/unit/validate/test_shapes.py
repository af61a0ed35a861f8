"""The shapes generated for a source: one named rule per constraint, each with a message and a severity."""

from __future__ import annotations

from rdflib import Literal
from rdflib.namespace import SH, XSD

from zicht.validate.shapes import source_shapes
from zicht.validate.vocab import DUPLICATE_KEY, ZV, column_iri


def _rules(shapes) -> dict[str, object]:
    base = "https://w3id.org/zicht/source/testbron/shape/"
    return {str(s)[len(base) :]: s for s in shapes.graph.subjects(SH.path, None) if str(s).startswith(base)}


def test_one_rule_per_constraint(shapes) -> None:
    g, rules = shapes.graph, _rules(shapes)
    assert set(rules) >= {
        "client_key/required",
        "client_key/pattern",
        "product/code",
        "begin/datatype",
        "begin/future",
        "begin/before-eind",
        "wijk/region",
        "geboortejaar/min",
        "geboortejaar/max",
        "gewicht/min",
        "eind/datatype",
    }
    assert "eind/required" not in rules  # eind is optional
    assert g.value(rules["client_key/required"], SH.minCount) == Literal(1)
    assert g.value(rules["begin/datatype"], SH.datatype) == XSD.date
    assert g.value(rules["begin/future"], SH.maxInclusive) == Literal("2024-12-31", datatype=XSD.date)
    assert g.value(rules["begin/before-eind"], SH.lessThanOrEquals) == column_iri("testbron", "eind")
    # Bounds come from the model: Person.birth_year 1900..2100, Event.weight >= 0.
    assert g.value(rules["geboortejaar/min"], SH.minInclusive).value == 1900
    assert g.value(rules["geboortejaar/max"], SH.maxInclusive).value == 2100
    assert g.value(rules["gewicht/min"], SH.minInclusive).value == 0


def test_code_and_region_lists(shapes) -> None:
    from zicht.validate.compile import _list_items

    g, rules = shapes.graph, _rules(shapes)
    assert [str(x) for x in _list_items(g, g.value(rules["product/code"], SH["in"]))] == [
        "02A01",
        "02A02",
        "03B01",
    ]
    assert [str(x) for x in _list_items(g, g.value(rules["wijk/region"], SH["in"]))] == [
        "WK015301",
        "WK015302",
    ]


def test_every_rule_has_a_message_and_a_severity(shapes) -> None:
    g = shapes.graph
    for shape in _rules(shapes).values():
        assert g.value(shape, SH.message) is not None, shape
        assert g.value(shape, SH.severity) == SH.Violation, shape
    for constraint in g.objects(None, SH.sparql):
        assert g.value(constraint, SH.message) is not None


def test_duplicate_record_rule_declares_its_template(shapes) -> None:
    g = shapes.graph
    (constraint,) = [c for c in g.objects(None, SH.sparql) if "testbron" in str(c)]
    assert g.value(constraint, ZV.template) == DUPLICATE_KEY
    assert "?theirs < ?mine" in str(g.value(constraint, SH.select))


def test_hand_written_supplements_are_part_of_the_graph(shapes) -> None:
    assert (ZV.EventDateOrder, SH.targetClass, None) in shapes.graph


def test_missing_code_list_is_a_notice(descriptor, tmp_path) -> None:
    from zicht.mappings.descriptor import load_descriptor

    alone = tmp_path / "testbron.source.yaml"
    alone.write_text(descriptor.path.read_text(encoding="utf-8"), encoding="utf-8")
    built = source_shapes(load_descriptor(alone), region_codes={"wijk": []}, include_model=False)
    assert not any("product/code" in str(s) for s in built.graph.subjects())
    assert built.notices and "column product: no code list" in built.notices[0]
