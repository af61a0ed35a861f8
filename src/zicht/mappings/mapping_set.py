"""A checked mapping file as harmonise uses it: for every source code, its status and the concepts it
assigns.

Assignment rule (documented for stewards in docs/stewards.md): `skos:exactMatch` and `skos:broadMatch`
assign their object concept — a broadMatch states something true but less specific. `skos:narrowMatch`
would overclaim and `skos:relatedMatch` is not the same meaning, so they never assign. A code with
several assigning mappings to concepts on different branches yields one event per concept; the lint
forbids two exact meanings and mappings on one branch, so no record is counted twice for a concept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zicht.errors import InputError
from zicht.mappings.lint import (
    ALLOWED_PREDICATES,
    ASSIGNING_PREDICATES,
    ERROR,
    NO_TERM_FOUND,
    check_file,
)
from zicht.mappings.sssom_table import read_sssom_tsv

# Status of a code, also the quarantine reason for records whose code cannot be assigned.
MAPPED = "mapped"
NO_TERM = "no_term_found"
NOT_ASSIGNABLE = "no_assignable_mapping"
UNMAPPED = "unmapped_code"


@dataclass(frozen=True)
class Assignment:
    code: str
    concept: str  # CURIE zc:<key>
    predicate: str


@dataclass(frozen=True)
class MappingSet:
    path: Path
    mapping_set_id: str
    version: str
    sha256: str
    code_prefix: str
    status: dict[str, str]  # code → MAPPED / NO_TERM / NOT_ASSIGNABLE
    assignments: tuple[Assignment, ...]
    labels: dict[str, str]
    links: tuple[Assignment, ...]  # every mapping to a concept, whatever its predicate

    def about(self, code: str) -> Assignment | None:
        """The closest concept a code is *about* (exact, broad, narrow, related in that order): used for
        narrative notes, which are tagged with a theme and never counted."""
        order = {p: i for i, p in enumerate(ALLOWED_PREDICATES)}
        found = sorted(
            (a for a in self.links if a.code == code), key=lambda a: (order[a.predicate], a.concept)
        )
        return found[0] if found else None

    def status_of(self, code: str) -> str:
        return self.status.get(code, UNMAPPED)


def load_mapping_set(path: Path) -> MappingSet:
    """Lint the file and refuse it on any error: harmonising with a broken mapping would change data."""
    errors = [f for f in check_file(path) if f.severity == ERROR]
    if errors:
        shown = "; ".join(str(f) for f in errors[:3])
        more = f" (and {len(errors) - 3} more; run `zicht mappings check {path}`)" if len(errors) > 3 else ""
        raise InputError(f"mapping {path} has {len(errors)} error(s): {shown}{more}")
    table = read_sssom_tsv(path)
    status: dict[str, str] = {}
    assignments: list[Assignment] = []
    links: list[Assignment] = []
    labels: dict[str, str] = {}
    prefix = ""
    for row in table.rows:
        prefix, code = row.get("subject_id").split(":", 1)
        labels.setdefault(code, row.get("subject_label"))
        obj, predicate = row.get("object_id"), row.get("predicate_id")
        if obj == NO_TERM_FOUND:
            status[code] = NO_TERM
            continue
        links.append(Assignment(code, obj, predicate))
        if predicate in ASSIGNING_PREDICATES:
            status[code] = MAPPED
            assignments.append(Assignment(code, obj, predicate))
        else:
            status.setdefault(code, NOT_ASSIGNABLE)
    assignments.sort(key=lambda a: (a.code, a.concept))
    links.sort(key=lambda a: (a.code, a.concept, a.predicate))
    return MappingSet(
        path,
        table.mapping_set_id,
        table.mapping_set_version,
        table.sha256,
        prefix,
        status,
        tuple(assignments),
        labels,
        tuple(links),
    )
