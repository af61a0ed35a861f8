"""Rows of an extract table as RDF, the input of the reference engine.

Row ``i`` (0-based over all files) is ``urn:zicht:row:i``, a ``<source>/Record`` with ``zv:ordinal i`` (what
duplicate rules order by) and one triple per non-missing cell: the column's property and the cell's term
(``lexical.term``: typed when the text is valid for the column's datatype, a plain string otherwise).
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import RDF, XSD

from zicht.validate.lexical import term
from zicht.validate.reader import ExtractTable
from zicht.validate.shapes import SourceShapes
from zicht.validate.vocab import ZV, column_iri, row_iri


def rows_to_graph(table: ExtractTable, shapes: SourceShapes) -> Graph:
    g = Graph()
    columns = [c for c in shapes.datatypes if c in table.frame.columns]
    data = {c: table.text(c) for c in columns}
    props = {c: column_iri(shapes.source_id, c) for c in columns}
    for i in range(table.num_rows):
        node = row_iri(i)
        g.add((node, RDF.type, shapes.record_class))
        g.add((node, ZV.ordinal, Literal(str(i), datatype=XSD.integer)))
        for c in columns:
            text = data[c][i]
            if text is not None:
                g.add((node, props[c], term(text, shapes.datatypes[c])))
    return g
