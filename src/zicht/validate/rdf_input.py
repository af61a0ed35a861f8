"""Validating RDF documents (Turtle, JSON-LD, N-Triples, RDF/XML) of the harmonised model.

RDF input is already typed, so there is no table to compile: pyshacl checks it against the model's
generated shapes plus the supplements in ``validators/``, with the OWL ontology as ontology graph so that
instances of a subclass meet the shapes of its superclass (RDFS inference).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from zicht import paths
from zicht.errors import InputError
from zicht.ontology.instances import shapes_graph
from zicht.validate.report import Report, Violation, local_name

RDF_SUFFIXES = {".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt", ".rdf": "xml", ".owl": "xml"}


def is_rdf(path: Path) -> bool:
    return path.suffix.lower() in RDF_SUFFIXES


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return Graph().parse(paths.ontology_dir() / "zicht.owl.ttl", format="turtle")


def validate_rdf(files: list[Path]) -> Report:
    from pyshacl import validate

    violations: list[Violation] = []
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        try:
            data = Graph().parse(path, format=RDF_SUFFIXES[path.suffix.lower()])
        except Exception as exc:
            raise InputError(
                f"{path}: not valid {RDF_SUFFIXES[path.suffix.lower()]}: {str(exc).splitlines()[0][:200]}"
            ) from None
        _conforms, report, _text = validate(
            data, shacl_graph=shapes_graph(), ont_graph=_ontology(), inference="rdfs", allow_warnings=True
        )
        for result in report.subjects(RDF.type, SH.ValidationResult):
            value = report.value(result, SH.value)
            path_term = report.value(result, SH.resultPath)
            message = report.value(result, SH.resultMessage)
            violations.append(
                Violation(
                    file=str(path),
                    row=None,
                    column=local_name(path_term) if path_term is not None else None,
                    value=str(value)
                    if isinstance(value, Literal)
                    else (None if value is None else str(value)),
                    component=local_name(report.value(result, SH.sourceConstraintComponent)),
                    rule=str(
                        report.value(result, SH.sourceConstraint) or report.value(result, SH.sourceShape)
                    ),
                    message=str(message) if message is not None else "",
                    severity=local_name(report.value(result, SH.resultSeverity)) or "Violation",
                    focus=str(report.value(result, SH.focusNode)),
                )
            )
    return Report("rdf", [str(p) for p in files], "reference", 0, violations).sorted()
