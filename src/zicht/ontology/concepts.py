"""The conceptual framework as a SKOS concept scheme, read from the FrameworkConcept enumeration.

Every framework concept has a stable CURIE ``zc:<key>``; ``is_a`` in the schema is ``skos:broader``.
Tables and SSSOM files use the CURIE, LinkML instance documents (registry YAML) use the bare key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from zicht.errors import ZichtError
from zicht.ontology.schema import CONCEPT_NS, SCHEME_IRI, schema_view

ZC = Namespace(CONCEPT_NS)
CURIE_PREFIX = "zc:"
KNOWN_ANNOTATIONS = frozenset({"pref_label_nl"})


@dataclass(frozen=True)
class Concept:
    key: str
    label_en: str
    label_nl: str
    definition: str
    broader: str | None
    narrower: tuple[str, ...] = field(default=())

    @property
    def curie(self) -> str:
        return CURIE_PREFIX + self.key

    @property
    def iri(self) -> str:
        return CONCEPT_NS + self.key

    @property
    def is_domain(self) -> bool:
        return self.broader is None


class ConceptScheme:
    """The framework concepts with their hierarchy; look concepts up by key or by CURIE."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._by_key = {c.key: c for c in concepts}

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key_or_curie: object) -> bool:
        return isinstance(key_or_curie, str) and self.key_of(key_or_curie) in self._by_key

    @staticmethod
    def key_of(key_or_curie: str) -> str:
        if key_or_curie.startswith(CURIE_PREFIX):
            return key_or_curie[len(CURIE_PREFIX) :]
        if key_or_curie.startswith(CONCEPT_NS):
            return key_or_curie[len(CONCEPT_NS) :]
        return key_or_curie

    def get(self, key_or_curie: str) -> Concept:
        key = self.key_of(key_or_curie)
        try:
            return self._by_key[key]
        except KeyError:
            raise ZichtError(f"unknown framework concept {key_or_curie!r}") from None

    def domains(self) -> list[Concept]:
        return [c for c in self if c.is_domain]

    def domain_of(self, key_or_curie: str) -> Concept:
        concept = self.get(key_or_curie)
        while concept.broader is not None:
            concept = self._by_key[concept.broader]
        return concept

    def descendants(self, key_or_curie: str, *, include_self: bool = True) -> list[Concept]:
        """The concept and everything narrower, depth first in schema order."""
        root = self.get(key_or_curie)
        out = [root] if include_self else []
        for child in root.narrower:
            out.extend(self.descendants(child))
        return out

    def to_graph(self) -> Graph:
        """The scheme as SKOS triples (prefLabel @nl/@en, definition, broader/narrower, top concepts)."""
        g = Graph()
        g.bind("skos", SKOS)
        g.bind("dcterms", DCTERMS)
        g.bind("zc", ZC)
        scheme = URIRef(SCHEME_IRI)
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal("Conceptueel kader psychisch kwetsbare mensen", lang="nl")))
        g.add(
            (
                scheme,
                SKOS.prefLabel,
                Literal("Framework for people with a psychological vulnerability", lang="en"),
            )
        )
        for c in self:
            node = URIRef(c.iri)
            g.add((node, RDF.type, SKOS.Concept))
            g.add((node, SKOS.inScheme, scheme))
            g.add((node, SKOS.notation, Literal(c.curie)))
            g.add((node, SKOS.prefLabel, Literal(c.label_nl, lang="nl")))
            g.add((node, SKOS.prefLabel, Literal(c.label_en, lang="en")))
            g.add((node, SKOS.definition, Literal(c.definition, lang="en")))
            if c.broader is None:
                g.add((node, SKOS.topConceptOf, scheme))
                g.add((scheme, SKOS.hasTopConcept, node))
            else:
                g.add((node, SKOS.broader, URIRef(CONCEPT_NS + c.broader)))
            for n in c.narrower:
                g.add((node, SKOS.narrower, URIRef(CONCEPT_NS + n)))
        return g


def scheme_from_schema(view=None) -> ConceptScheme:
    view = view or schema_view()
    enum = view.get_enum("FrameworkConcept")
    pvs = enum.permissible_values
    children: dict[str, list[str]] = {k: [] for k in pvs}
    for key, pv in pvs.items():
        if pv.is_a:
            if pv.is_a not in pvs:
                raise ZichtError(f"ontology: concept {key!r} is_a unknown concept {pv.is_a!r}")
            children[pv.is_a].append(key)
    concepts = []
    for key, pv in pvs.items():
        ann = pv.annotations or {}
        stray = sorted(set(ann) - KNOWN_ANNOTATIONS)
        if stray:
            # `{pref_label_nl: Gespecialiseerde GGZ, ambulant}` is YAML for a label cut at the comma plus an
            # annotation `ambulant`: refuse it rather than publish a wrong label.
            raise ZichtError(
                f"ontology: concept {key!r} has unknown annotation(s) {', '.join(stray)}; "
                "quote a pref_label_nl that contains a comma or a colon"
            )
        nl = ann.get("pref_label_nl")
        if nl is None or not str(nl.value).strip():
            raise ZichtError(f"ontology: concept {key!r} has no pref_label_nl annotation (its Dutch label)")
        concepts.append(
            Concept(
                key=key,
                label_en=pv.title or key,
                label_nl=str(nl.value),
                definition=pv.description or "",
                broader=pv.is_a or None,
                narrower=tuple(children[key]),
            )
        )
    return ConceptScheme(concepts)


@lru_cache(maxsize=1)
def framework() -> ConceptScheme:
    """The framework concept scheme of the installed schema."""
    return scheme_from_schema()
