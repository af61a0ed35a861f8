"""The validation report: one ``Violation`` per SHACL result, plus privacy findings and notices.

A violation says where (file, row counted from 1 after the header, column), what (the value as written,
never for a cell the privacy guard withheld), which rule (the shape) and constraint component, and why
(the shape's ``sh:message``). ``key`` is what the two engines must agree on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from zicht.privacy import PrivacyFinding

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Violation:
    file: str
    row: int | None
    column: str | None
    value: str | None
    component: str  # local name of the SHACL constraint component, e.g. "MinCountConstraintComponent"
    rule: str  # the shape that produced it (see ``rule_id``)
    message: str
    severity: str = "Violation"
    focus: str | None = None  # the focus node, for RDF input (table rows are identified by file and row)

    def key(self) -> tuple:
        return (self.file, self.row or 0, self.column or "", self.component, self.rule, self.value or "")


@dataclass
class Report:
    source: str
    files: list[str]
    engine: str  # the engine that produced the violations: "reference" or "fast"
    rows: int
    violations: list[Violation]
    privacy: list[PrivacyFinding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.violations and not self.privacy

    def by_rule(self) -> list[tuple[str, str, str, int]]:
        """(rule, severity, message, count) per rule, most frequent first."""
        counts = Counter((v.rule, v.severity, v.message) for v in self.violations)
        return sorted(((r, s, m, n) for (r, s, m), n in counts.items()), key=lambda t: (-t[3], t[0]))

    def sorted(self) -> Report:
        self.violations.sort(key=Violation.key)
        return self


def local_name(term: object) -> str:
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text
