"""The reference engine: rows → RDF (rdflib) → pyshacl. It is the definition of a correct result."""

from __future__ import annotations

from urllib.parse import unquote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from zicht.validate.reader import FILE, ROW, ExtractTable
from zicht.validate.report import Violation, local_name
from zicht.validate.rows_rdf import rows_to_graph
from zicht.validate.shapes import SourceShapes
from zicht.validate.vocab import ordinal_of


def run_reference(table: ExtractTable, shapes: SourceShapes) -> list[Violation]:
    from pyshacl import validate

    data = rows_to_graph(table, shapes)
    _conforms, report, _text = validate(
        data, shacl_graph=shapes.graph, inference="none", advanced=False, allow_warnings=True, inplace=True
    )
    return violations_from_report(report, table, shapes)


def violations_from_report(report: Graph, table: ExtractTable, shapes: SourceShapes) -> list[Violation]:
    files = table.frame[FILE].tolist()
    rows = table.frame[ROW].tolist()
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        ordinal = ordinal_of(focus)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        out.append(
            Violation(
                file=table.files[files[ordinal]] if ordinal is not None else "",
                row=rows[ordinal] if ordinal is not None else None,
                column=shapes.columns.get(path) if isinstance(path, URIRef) else None,
                value=str(value) if isinstance(value, Literal) else None,
                component=local_name(report.value(result, SH.sourceConstraintComponent)),
                rule=rule_id(
                    report.value(result, SH.sourceConstraint) or report.value(result, SH.sourceShape)
                ),
                message=str(message) if message is not None else "",
                severity=local_name(report.value(result, SH.resultSeverity)) or "Violation",
            )
        )
    return out


def rule_id(shape: object) -> str:
    """A readable, stable name of a shape: the part after ``shape/`` for generated ones, else the IRI."""
    text = str(shape)
    marker = "/shape/"
    if isinstance(shape, URIRef) and marker in text:
        return unquote(text.split(marker, 1)[1])
    return text if isinstance(shape, URIRef) else f"_:{text}"
