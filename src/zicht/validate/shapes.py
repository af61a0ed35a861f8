"""The SHACL shapes an extract of one source is validated against.

Generated from the source descriptor (``mappings/<source>.source.yaml``) and the model, one named property
shape per rule so that every result carries its own ``sh:message`` and ``sh:severity``:

- ``required`` column → ``sh:minCount 1``; ``datatype`` → ``sh:datatype``; ``pattern`` → ``sh:pattern``;
- a ``code`` column → ``sh:in`` over the codes of ``mappings/<source>.codes.csv`` listed for that column;
- a ``region`` column → ``sh:in`` over the region codes of the region layout (``zicht.regions``), of the
  level its pattern names (GM/WK/BU), in the gemeenten the descriptor's coverage lists (status not none);
- ``birth_year`` and ``weight`` columns → the bounds of ``Person.birth_year`` / ``Event.weight`` in the model;
- a ``start_date`` column → ``sh:maxInclusive`` the last day the source covers (no future events) and
  ``sh:lessThanOrEquals`` the ``end_date`` column;
- every column → no U+FFFD (bytes that did not decode in the declared encoding);
- a row identical in every column to an earlier row → a SPARQL constraint of the declared template
  ``zv:DuplicateKey`` (a steward can declare the same template over other keys in ``validators/``).

The graph also holds the model's generated shapes and every hand-written supplement in ``validators/``
(``shapes_graph`` of zicht.ontology.instances); a steward can add shapes for a source's record class there.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from zicht import paths
from zicht.mappings.codes import read_code_list
from zicht.mappings.descriptor import SourceDescriptor
from zicht.ontology.instances import shapes_graph as model_shapes_graph
from zicht.ontology.schema import schema_view
from zicht.regions.codes import gemeente_of, level_of_pattern
from zicht.validate.lexical import XSD_BY_DATATYPE, term
from zicht.validate.vocab import DUPLICATE_KEY, ZV, column_iri, record_class, source_namespace

ENCODING_PATTERN = "^[^\ufffd]*$"


@dataclass(frozen=True)
class SourceShapes:
    """The shapes graph of one source plus what the engines need to relate it to table columns."""

    source_id: str
    graph: Graph
    record_class: URIRef
    columns: Mapping[URIRef, str]  # path IRI → column name
    datatypes: Mapping[str, str]  # column name → descriptor datatype
    notices: tuple[str, ...] = ()  # what could not be generated (e.g. no code list), for the report


def duplicate_key_query(key_paths: list[URIRef], optional_paths: Sequence[URIRef] = ()) -> str:
    """The SPARQL of the ``zv:DuplicateKey`` template; the fast engine compiles only this exact text.

    A row is reported when an earlier row (lower ``zv:ordinal``) has the same term in every key path (all
    present) and, in every optional path, the same term or no value in both.
    """
    own = " ".join(f"$this <{p}> ?k{i} ." for i, p in enumerate(key_paths))
    other = " ".join(f"?other <{p}> ?k{i} ." for i, p in enumerate(key_paths))
    optional = " ".join(
        f"OPTIONAL {{ $this <{p}> ?a{i} }} OPTIONAL {{ ?other <{p}> ?b{i} }} "
        f"FILTER ((!BOUND(?a{i}) && !BOUND(?b{i})) || (BOUND(?a{i}) && BOUND(?b{i}) && sameTerm(?a{i}, ?b{i})))"
        for i, p in enumerate(optional_paths)
    )
    return (
        "SELECT DISTINCT $this ?path ?value WHERE { "
        f"{own} $this <{ZV.ordinal}> ?mine . {other} ?other <{ZV.ordinal}> ?theirs . "
        f"FILTER (?theirs < ?mine) {optional + ' ' if optional else ''}"
        f"BIND (<{key_paths[0]}> AS ?path) BIND (?k0 AS ?value) }}"
    )


DUPLICATE_RULE = "Record/duplicate"


def duplicate_columns(descriptor: SourceDescriptor) -> tuple[list[str], list[str]]:
    """The columns of the duplicate rule: (anchors: the required ones, record id first; the others)."""
    ordered = sorted(descriptor.columns, key=lambda c: c.role != "record_id")
    return [c.name for c in ordered if c.required], [c.name for c in ordered if not c.required]


def source_shapes(
    descriptor: SourceDescriptor,
    *,
    codes_path: Path | None = None,
    region_codes: Mapping[str, list[str]] | None = None,
    include_model: bool = True,
) -> SourceShapes:
    """Shapes for the extracts of ``descriptor``'s source.

    ``codes_path`` defaults to ``<source>.codes.csv`` next to the descriptor; ``region_codes`` maps a level
    (gemeente/wijk/buurt/any) to its codes and defaults to the region layout of ``zicht.regions``.
    """
    sid = descriptor.id
    ns = source_namespace(sid)
    g = Graph()
    g.bind("sh", SH)
    g.bind("zv", ZV)
    g.bind("src", ns)
    node = ns["shape/Record"]
    cls = record_class(sid)
    g.add((node, RDF.type, SH.NodeShape))
    g.add((node, SH.targetClass, cls))
    g.add((node, RDFS.label, Literal(f"A row of an extract of source {sid}")))
    columns = {column_iri(sid, c.name): c.name for c in descriptor.columns}
    datatypes = {c.name: c.datatype for c in descriptor.columns}
    codes_path = codes_path or _find_code_list(descriptor)
    codes = _codes_by_column(codes_path, descriptor) if codes_path is not None else {}
    notices = [
        f"column {c.name}: no code list for source {sid} (looked for {sid}.codes.csv next to the descriptor and "
        "in mappings/), so its codes are not checked"
        for c in descriptor.columns_with_role("code")
        if not codes.get(c.name)
    ]

    def rule(column: str, name: str, message: str, severity: URIRef = SH.Violation) -> URIRef:
        shape = ns[f"shape/{column_iri(sid, column).rsplit('/', 1)[1]}/{name}"]
        g.add((node, SH.property, shape))
        g.add((shape, RDF.type, SH.PropertyShape))
        g.add((shape, SH.path, column_iri(sid, column)))
        g.add((shape, SH.message, Literal(message, lang="en")))
        g.add((shape, SH.severity, severity))
        return shape

    _, period_end = descriptor.period
    covered = {c.get("gemeente_code") for c in descriptor.coverage if c.get("coverage_status") != "none"}
    ends = [c.name for c in descriptor.columns_with_role("end_date")]
    for col in descriptor.columns:
        name = col.name
        if col.required:
            g.add((rule(name, "required", f"{name}: a value is required"), SH.minCount, Literal(1)))
        xsd = XSD_BY_DATATYPE.get(col.datatype)
        if xsd is not None:
            g.add(
                (
                    rule(name, "datatype", f"{name}: not a valid {col.datatype} ({_FORMS[col.datatype]})"),
                    SH.datatype,
                    xsd,
                )
            )
        if col.pattern:
            g.add(
                (
                    rule(name, "pattern", f"{name}: does not match the pattern {col.pattern}"),
                    SH.pattern,
                    Literal(col.pattern),
                )
            )
        g.add(
            (
                rule(name, "encoding", f"{name}: holds bytes that are not valid {descriptor.encoding}"),
                SH.pattern,
                Literal(ENCODING_PATTERN),
            )
        )
        if codes.get(name):
            shape = rule(name, "code", f"{name}: code not in the code list of source {sid} (unmapped code)")
            _add_in(g, shape, [_typed(v, col.datatype) for v in codes[name]])
        if col.role == "region":
            level = level_of_pattern(col.pattern) or "any"
            known = _covered((region_codes or _layout_codes())[level], covered)
            what = f"{level} code" if level != "any" else "region code"
            shape = rule(
                name, "region", f"{name}: not a {what} of the region layout in a gemeente the source covers"
            )
            _add_in(g, shape, [_typed(v, col.datatype) for v in known])
        bounds = _model_bounds(col.role)
        if bounds and col.datatype in ("integer", "decimal"):
            low, high = bounds
            if low is not None:
                g.add(
                    (
                        rule(name, "min", f"{name}: not a number of at least {low}"),
                        SH.minInclusive,
                        Literal(low),
                    )
                )
            if high is not None:
                g.add(
                    (
                        rule(name, "max", f"{name}: not a number of at most {high}"),
                        SH.maxInclusive,
                        Literal(high),
                    )
                )
        if col.role == "start_date" and col.datatype == "date":
            shape = rule(
                name,
                "future",
                f"{name}: not a date on or before {period_end.isoformat()}, the last day the source covers",
            )
            g.add((shape, SH.maxInclusive, Literal(period_end.isoformat(), datatype=XSD.date)))
            for end in ends:
                if datatypes.get(end) == "date":
                    shape = rule(
                        name,
                        f"before-{column_iri(sid, end).rsplit('/', 1)[1]}",
                        f"{name}: not a date on or before the end date {end}",
                    )
                    g.add((shape, SH.lessThanOrEquals, column_iri(sid, end)))
    # A duplicate record is a row identical to an earlier one in every column. Not the record id alone:
    # sources repeat it legitimately (a survey in long format has one row per variable of a respondent).
    # The required columns anchor the match; the others must be equal or empty in both rows.
    # The record id comes first: it is the value a duplicate is reported with.
    anchor_names, optional_names = duplicate_columns(descriptor)
    anchors = [column_iri(sid, c) for c in anchor_names]
    if anchors:
        optional = [column_iri(sid, c) for c in optional_names]
        _add_duplicate_key(
            g,
            node,
            ns["shape/Record/duplicate"],
            anchors,
            optional,
            "duplicate record: identical in every column to an earlier row",
        )
    if include_model:
        g += model_shapes_graph()
    return SourceShapes(sid, g, cls, columns, datatypes, tuple(notices))


_FORMS = {"integer": "whole number such as 42", "decimal": "number such as 12.5", "date": "date YYYY-MM-DD"}


def _add_in(g: Graph, shape: URIRef, values: Iterable[Literal]) -> None:
    g.add((shape, SH["in"], rdf_list(g, list(dict.fromkeys(values)))))


def rdf_list(g: Graph, items: list) -> URIRef | BNode:
    """Add an RDF list in one batch (rdflib's Collection appends item by item, quadratic in length)."""
    if not items:
        return RDF.nil
    nodes = [BNode() for _ in items]
    triples = []
    for i, (node, item) in enumerate(zip(nodes, items, strict=False)):
        triples.append((node, RDF.first, item, g))
        triples.append((node, RDF.rest, nodes[i + 1] if i + 1 < len(nodes) else RDF.nil, g))
    g.addN(triples)
    return nodes[0]


def _add_duplicate_key(
    g: Graph, node: URIRef, name: URIRef, key_paths: list[URIRef], optional_paths: list[URIRef], message: str
) -> None:
    g.add((node, SH.sparql, name))
    g.add((name, RDF.type, SH.SPARQLConstraint))
    g.add((name, SH.message, Literal(message, lang="en")))
    g.add((name, SH.severity, SH.Violation))
    g.add((name, SH.select, Literal(duplicate_key_query(key_paths, optional_paths))))
    g.add((name, ZV.template, DUPLICATE_KEY))
    for predicate, members in ((ZV.keyPaths, key_paths), (ZV.optionalKeyPaths, optional_paths)):
        g.add((name, predicate, rdf_list(g, members)))


def _typed(text: str, datatype: str) -> Literal:
    return term(text, datatype)


def _find_code_list(descriptor: SourceDescriptor) -> Path | None:
    name = f"{descriptor.id}.codes.csv"
    for candidate in (descriptor.path.with_name(name), paths.mappings_dir() / name):
        if candidate.is_file():
            return candidate
    return None


def _codes_by_column(path: Path, descriptor: SourceDescriptor) -> dict[str, list[str]]:

    entries, _problems = read_code_list(path)
    with path.open(encoding="utf-8", newline="") as fh:
        header = fh.readline()
    code_columns = [c.name for c in descriptor.columns_with_role("code")]
    if "column" not in header:
        return {c: [e.code for e in entries] for c in code_columns}
    out: dict[str, list[str]] = {}
    delimiter = ";" if header.count(";") > header.count(",") else ","
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=delimiter):
            code, column = (row.get("code") or "").strip(), (row.get("column") or "").strip()
            if code:
                for target in [column] if column else code_columns:
                    out.setdefault(target, []).append(code)
    return out


def _covered(codes: list[str], gemeenten: set) -> list[str]:
    """The codes that lie in one of ``gemeenten`` (a GM/WK/BU code carries its gemeente's four digits)."""
    if not gemeenten:
        return list(codes)
    return [c for c in codes if (g := gemeente_of(c)) is None or g in gemeenten]


@lru_cache(maxsize=1)
def _layout_codes() -> dict[str, list[str]]:
    from zicht.regions import regions

    table = regions()
    out = {level: sorted(table.loc[table["level"] == level, "id"]) for level in ("gemeente", "wijk", "buurt")}
    out["any"] = sorted(table["id"])
    return out


def _model_bounds(role: str) -> tuple[float | None, float | None] | None:
    slot = {"birth_year": ("Person", "birth_year"), "weight": ("Event", "weight")}.get(role)
    if slot is None:
        return None
    view = schema_view()
    induced = {s.name: s for s in view.class_induced_slots(slot[0])}[slot[1]]
    return induced.minimum_value, induced.maximum_value
