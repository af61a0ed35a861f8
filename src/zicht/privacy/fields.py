"""The privacy guard on typed fields: notes, definition texts, SSSOM labels and comments, key names.

A field that holds a direct identifier is refused as a whole; the refusal names the field (a path such
as ``criteria/0/label``) and the character position, never the value. Text that cannot be stored or
shown safely — a lone surrogate, a NUL or another control character — is refused the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from zicht.errors import InputError
from zicht.privacy.detect import describe_kind, text_findings

_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class FieldFinding:
    field: str  # path from the document root, "/"-separated; "" for a bare value
    position: int  # 1-based character offset in the field's text
    kind: str  # a privacy kind (bsn, email, phone, street_address) or "character"

    @property
    def message(self) -> str:
        where = f"{self.field or 'value'}: character {self.position}"
        if self.kind == "character":
            return f"{where}: a control character or lone surrogate cannot be stored; remove it"
        return (
            f"{where}: looks like {describe_kind(self.kind)}; direct identifiers are refused — leave them out"
        )

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "position": self.position, "rule": self.kind, "message": self.message}


class IdentifierRefused(InputError):
    """Typed input holding a direct identifier (or unstorable text); the message names field and position."""

    def __init__(self, what: str, findings: list[FieldFinding]) -> None:
        first = findings[0]
        more = f" ({len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(f"{what}: {first.message}{more}")
        self.findings = findings


def field_findings(value: Any, field: str = "") -> list[FieldFinding]:
    """Every identifier or unstorable character in the strings of ``value`` (nested dicts and lists are
    walked; keys are checked too)."""
    out: list[FieldFinding] = []
    for path, text in _strings(value, field):
        bad = _BAD_CHAR.search(text)
        if bad:
            out.append(FieldFinding(path, bad.start() + 1, "character"))
            continue
        out.extend(FieldFinding(path, f.start + 1, f.kind) for f in text_findings(text))
    return out


def refuse_identifiers(value: Any, what: str, field: str = "") -> None:
    """Raise `IdentifierRefused` when ``value`` holds a direct identifier or unstorable text."""
    found = field_findings(value, field)
    if found:
        raise IdentifierRefused(what, found)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}/{key}" if path else str(key)
            if isinstance(key, str):
                # A key is shown in the path, so a key that is itself an identifier is named by position.
                yield from _strings(key, (path or "") + "/<key>" if path else "<key>")
            yield from _strings(item, _safe_path(child))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}/{i}" if path else str(i))


def _safe_path(path: str) -> str:
    """A field path never repeats an identifier that a key held."""
    if field_findings_text(path):
        return "/".join("<key>" if field_findings_text(part) else part for part in path.split("/"))
    return path


def field_findings_text(text: str) -> bool:
    return bool(_BAD_CHAR.search(text)) or bool(text_findings(text))
