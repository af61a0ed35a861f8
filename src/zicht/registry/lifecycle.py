"""Status transitions and versioning of definitions.

draft → published → deprecated | withdrawn; draft → withdrawn. A published (or later) version is
immutable: any change to its content needs a new version, which starts as a draft.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

from zicht.choices import VERSION_PARTS
from zicht.errors import ZichtError
from zicht.registry.normalise import content_hash

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"published", "withdrawn"}),
    "published": frozenset({"deprecated", "withdrawn"}),
    "deprecated": frozenset({"withdrawn"}),
    "withdrawn": frozenset(),
}
FROZEN = frozenset({"published", "deprecated", "withdrawn"})
BUMPS = VERSION_PARTS


class LifecycleError(ZichtError):
    """A change the lifecycle does not allow (the API answers 409)."""


def parse_version(text: str) -> tuple[int, int, int]:
    parts = str(text).split(".")
    if len(parts) != 3 or not all(
        p.isascii() and p.isdigit() and (p == "0" or not p.startswith("0")) for p in parts
    ):
        raise ZichtError(f"{str(text)[:40]!r} is not a semantic version MAJOR.MINOR.PATCH")
    if any(len(p) > 9 for p in parts):  # the registry database keeps each part as an integer
        raise ZichtError(f"{str(text)[:40]!r}: a version part has more than 9 digits")
    return int(parts[0]), int(parts[1]), int(parts[2])


def bump(version: str, part: str) -> str:
    major, minor, patch = parse_version(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ZichtError(f"unknown version part {part!r}; use one of {', '.join(BUMPS)}")


def transition(definition: Mapping[str, Any], to: str, *, today: date | None = None) -> dict[str, Any]:
    """A copy of ``definition`` moved to status ``to``; publishing stamps the date and content hash."""
    current = definition.get("status", "draft")
    if to not in TRANSITIONS:
        raise LifecycleError(f"unknown status {to!r}")
    if to not in TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(sorted(TRANSITIONS.get(current, ()))) or "none"
        raise LifecycleError(
            f"{definition.get('id')} {definition.get('version')}: cannot go from {current!r} to {to!r} (allowed: {allowed})"
        )
    out = copy.deepcopy(dict(definition))
    out["status"] = to
    if to == "published":
        out["published"] = (today or date.today()).isoformat()
        out["content_hash"] = content_hash(out)
    return out


def assert_content_change_allowed(old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    """Raise when ``new`` changes the content of a frozen version ``old``."""
    if old.get("status") in FROZEN and content_hash(old) != content_hash(new):
        raise LifecycleError(
            f"{old.get('id')} {old.get('version')} is {old.get('status')} and can never change; "
            "create a new version instead"
        )


def new_version(
    definition: Mapping[str, Any], part: str = "minor", *, today: date | None = None
) -> dict[str, Any]:
    """A draft copy with the next version that supersedes ``definition``."""
    out = copy.deepcopy(dict(definition))
    out["version"] = bump(definition["version"], part)
    out["status"] = "draft"
    out["supersedes"] = definition["version"]
    out["created"] = (today or date.today()).isoformat()
    for key in ("published", "content_hash", "changelog"):
        out.pop(key, None)
    return out
