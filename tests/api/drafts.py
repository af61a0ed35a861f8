"""Definition documents for the API tests, built from the shipped registry files."""

from __future__ import annotations

import copy
from typing import Any

from zicht import paths
from zicht.registry.files import read_definition


def registry_document(definition_id: str) -> dict[str, Any]:
    return read_definition(paths.registry_dir() / f"{definition_id}.yaml")


def draft(definition_id: str = "e33-twente", author: str = "Proeftuin Twente (voorbeeld)") -> dict[str, Any]:
    doc = copy.deepcopy(registry_document("e33-12m"))
    for key in ("published", "content_hash", "created"):
        doc.pop(key)
    doc.update(
        id=definition_id, version="0.1.0", status="draft", author=author, title="E33 in Twente (test draft)"
    )
    return doc
