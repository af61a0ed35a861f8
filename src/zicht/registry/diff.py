"""What changed between two versions of a definition, field by field, criterion by criterion (matched on
their ids, not their order) and the logic, with a Dutch sentence per change and the plain-Dutch
description of each side (zicht.registry.describe) for a side-by-side reading.

Changes that do not change the content hash (status, dates of publication) are listed apart as
lifecycle changes; the content hash decides whether the meaning changed at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zicht.registry.describe import describe
from zicht.registry.files import CRITERION_ORDER, source_catalogue
from zicht.registry.normalise import LIFECYCLE_FIELDS, content_hash, normalise

FIELD_NL = {
    "title": "titel",
    "description": "beschrijving",
    "author": "auteur (proeftuin)",
    "domains": "domeinen",
    "population": "populatie (leeftijd)",
    "reference_period": "peilperiode",
    "references": "bronvermeldingen",
    "changelog": "wijzigingen",
    "supersedes": "vervangt versie",
    "status": "status",
    "created": "aangemaakt",
    "published": "gepubliceerd",
    "version": "versie",
    "logic": "logica",
    "label": "naam",
    "concepts": "begrippen",
    "include_narrower": "nauwere begrippen meetellen",
    "sources": "bronnen",
    "window_months": "venster (maanden)",
    "min_occurrences": "minimaal aantal gebeurtenissen",
    "min_span_days": "minimale spreiding (dagen)",
    "value_min": "ondergrens waarde",
    "value_max": "bovengrens waarde",
    "age_min": "minimumleeftijd",
    "age_max": "maximumleeftijd",
    "months": "maanden",
}
SKIP = {"id", "version", "content_hash", "criteria"}


def diff_definitions(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    a, b = normalise(old), normalise(new)
    changes: list[dict[str, Any]] = []
    for key in sorted((set(a) | set(b)) - SKIP, key=_field_order):
        if a.get(key) != b.get(key):
            changes.append(_change(key, a.get(key), b.get(key)))
    crit_a = {c["id"]: c for c in a.get("criteria") or []}
    crit_b = {c["id"]: c for c in b.get("criteria") or []}
    for cid in [c for c in crit_a if c not in crit_b]:
        changes.append(
            {
                "path": f"criteria/{cid}",
                "kind": "removed",
                "old": crit_a[cid],
                "new": None,
                "text": f"Criterium ‘{crit_a[cid].get('label', cid)}’ ({cid}) vervalt.",
            }
        )
    for cid in [c for c in crit_b if c not in crit_a]:
        changes.append(
            {
                "path": f"criteria/{cid}",
                "kind": "added",
                "old": None,
                "new": crit_b[cid],
                "text": f"Criterium ‘{crit_b[cid].get('label', cid)}’ ({cid}) is nieuw.",
            }
        )
    for cid in [c for c in crit_a if c in crit_b]:
        x, y = crit_a[cid], crit_b[cid]
        for key in sorted(set(x) | set(y), key=_field_order):
            if key != "id" and x.get(key) != y.get(key):
                ch = _change(key, x.get(key), y.get(key), prefix=f"criteria/{cid}/")
                ch["text"] = f"Criterium ‘{y.get('label', cid)}’: {ch['text'][0].lower()}{ch['text'][1:]}"
                changes.append(ch)
    lifecycle = [
        c
        for c in (_change(k, old.get(k), new.get(k)) for k in LIFECYCLE_FIELDS if k != "content_hash")
        if c["old"] != c["new"]
    ]
    catalogue = source_catalogue()
    return {
        "id": new.get("id"),
        "from": old.get("version"),
        "to": new.get("version"),
        "from_hash": content_hash(old),
        "to_hash": content_hash(new),
        "content_changed": content_hash(old) != content_hash(new),
        "changes": changes,
        "lifecycle": lifecycle,
        "description": {"from": describe(old, catalogue), "to": describe(new, catalogue)},
    }


def _change(key: str, old: Any, new: Any, prefix: str = "") -> dict[str, Any]:
    name = FIELD_NL.get(key, key)
    if key == "reference_period":
        old, new = (_months(v) for v in (old, new))
    elif key == "population":
        old, new = (_ages(v) for v in (old, new))
    if key == "supersedes" and old is None:
        text, kind = f"Vervangt versie {_show(new)}.", "added"
    elif old is None:
        text, kind = f"{name.capitalize()}: nieuw {_show(new)}.", "added"
    elif new is None:
        text, kind = f"{name.capitalize()}: {_show(old)} vervalt.", "removed"
    else:
        text, kind = f"{name.capitalize()}: {_show(old)} → {_show(new)}.", "changed"
    if key == "description":
        text = f"{name.capitalize()} {'gewijzigd' if kind == 'changed' else 'nieuw' if kind == 'added' else 'vervalt'}."
    return {"path": prefix + key, "kind": kind, "old": old, "new": new, "text": text}


def _months(period: Any) -> Any:
    if isinstance(period, Mapping) and set(period) == {"months"}:
        return f"{_show(period['months'])} maanden"
    return period


def _ages(population: Any) -> Any:
    if not isinstance(population, Mapping) or not set(population) <= {"age_min", "age_max"}:
        return population
    low, high = population.get("age_min"), population.get("age_max")
    if low is not None and high is not None:
        return f"{_show(low)} tot en met {_show(high)} jaar"
    if low is not None:
        return f"vanaf {_show(low)} jaar"
    if high is not None:
        return f"tot en met {_show(high)} jaar"
    return "alle leeftijden"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) if value else "(geen)"
    if isinstance(value, dict):
        if "op" in value:
            return _logic_text(value)
        return ", ".join(f"{FIELD_NL.get(k, k)} {_show(v)}" for k, v in value.items())
    return str(value)


def _logic_text(node: Mapping[str, Any]) -> str:
    parts = list(node.get("operands") or []) + [f"({_logic_text(g)})" for g in node.get("groups") or []]
    op = {"all": "alle van", "any": "één van", "not": "niet"}.get(
        node["op"], f"ten minste {node.get('k')} van"
    )
    return f"{op} {', '.join(parts)}"


# The order changes are told in: what the definition is about first, then its criteria's fields (in the
# order a file lists them), then the rest.
_ORDER = (
    "title",
    "author",
    "domains",
    "population",
    "reference_period",
    "logic",
    *CRITERION_ORDER[1:],  # every criterion field but its id
    "description",
    "references",
    "supersedes",
    "changelog",
)


def _field_order(key: str) -> tuple[int, str]:
    return (_ORDER.index(key) if key in _ORDER else len(_ORDER), key)
