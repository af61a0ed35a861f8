"""SKOS integrity of the framework's concept scheme, checked with SHACL (validators/skos/integrity.shacl.ttl).

The shapes carry the rules (one prefLabel per language, unique labels within a scheme, broader targets
that exist, no cycles); this module runs them with pyshacl and names, for each violation, the concept,
the rule and the offending value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from zicht import paths

SHAPES_REL = Path("skos") / "integrity.shacl.ttl"


@dataclass(frozen=True, order=True)
class IntegrityFinding:
    concept: str  # IRI of the concept the violation is about
    message: str
    value: str | None = None

    def __str__(self) -> str:
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{self.concept}: {self.message}{shown}"


@lru_cache(maxsize=1)
def shapes() -> Graph:
    return Graph().parse(paths.validators_dir() / SHAPES_REL, format="turtle")


def integrity_findings(scheme: Graph) -> list[IntegrityFinding]:
    """Every violation of the SKOS integrity shapes in ``scheme`` (empty when the scheme is sound)."""
    from pyshacl import validate

    _conforms, report, _text = validate(scheme, shacl_graph=shapes(), inference="none", advanced=True)
    out = []
    for result in report.subjects(predicate=None, object=SH.ValidationResult):
        value = report.value(result, SH.value)
        out.append(
            IntegrityFinding(
                str(report.value(result, SH.focusNode)),
                str(report.value(result, SH.resultMessage) or ""),
                None if value is None else str(value),
            )
        )
    return sorted(out)


def committed_scheme_findings() -> list[IntegrityFinding]:
    """Integrity findings of the committed ontology/zicht.concepts.ttl."""
    return integrity_findings(Graph().parse(paths.ontology_dir() / "zicht.concepts.ttl", format="turtle"))
