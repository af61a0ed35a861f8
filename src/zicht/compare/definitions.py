"""Which definitions a comparison runs: resolved from the registry, checked, compiled, and split into
counted (registration) and estimated (survey) definitions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zicht.engines.store import Store
from zicht.errors import InputError
from zicht.query_model import DefinitionQuery, compile_definition
from zicht.registry.files import load_registry, source_kinds
from zicht.registry.normalise import content_hash
from zicht.registry.rules import check_rules, is_survey_definition


@dataclass(frozen=True)
class Selected:
    definition: dict[str, Any]
    query: DefinitionQuery
    survey: bool

    def manifest_entry(self) -> dict[str, Any]:
        d = self.definition
        return {
            "id": d["id"],
            "version": str(d.get("version", "")),
            "status": d.get("status"),
            "content_hash": content_hash(d),
            "result": "estimate" if self.survey else "count",
        }


def resolve(names: Sequence[str | Mapping[str, Any]], registry: Path | None = None) -> list[dict[str, Any]]:
    """Definition dicts for ids (`id` = the current version, `id@version` = that version, also archived)
    or dicts given as they are."""
    files = None
    out = []
    for name in names:
        if isinstance(name, Mapping):
            out.append(dict(name))
            continue
        files = files if files is not None else load_registry(registry)
        wanted, _, version = str(name).strip().partition("@")
        matches = [
            f.data
            for f in files
            if f.data.get("id") == wanted
            and (f.data.get("version") == version if version else not f.archived)
        ]
        if not matches:
            known = sorted({str(f.data.get("id")) for f in files})
            raise InputError(f"definition {name!r} not found in the registry (known: {', '.join(known)})")
        out.append(matches[0])
    return out


def select(definitions: Sequence[Mapping[str, Any]], store: Store) -> list[Selected]:
    # The store says which sources it holds; the descriptors in mappings/ (slow to read) are only
    # consulted for sources a definition names that the store does not hold.
    kinds = {str(r.id): str(r.kind) for r in store.frame("source").itertuples(index=False) if r.id and r.kind}
    named = {s for d in definitions for c in d.get("criteria") or [] for s in c.get("sources") or []}
    if named - set(kinds):
        kinds = {**source_kinds(), **kinds}
    out = []
    for d in definitions:
        errors = [f for f in check_rules(d, kinds) if f.severity == "error"]
        if errors:
            raise InputError(f"definition {d.get('id')!r}: " + "; ".join(str(f) for f in errors[:3]))
        out.append(Selected(dict(d), compile_definition(d), is_survey_definition(d, kinds)))
    if not out:
        raise InputError("no definitions given")
    return out
