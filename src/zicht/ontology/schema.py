"""Loading the LinkML schema once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from linkml_runtime.utils.schemaview import SchemaView

from zicht import paths

ZICHT_NS = "https://w3id.org/zicht/"
CONCEPT_NS = "https://w3id.org/zicht/concept/"
SCHEME_IRI = ZICHT_NS + "framework"


@lru_cache(maxsize=4)
def _view(path: str) -> SchemaView:
    return SchemaView(path, merge_imports=True)


def schema_view(path: Path | None = None) -> SchemaView:
    """A SchemaView of ``ontology/zicht.yaml`` (or of ``path``), shared within the process."""
    return _view(str(path or paths.schema_path()))
