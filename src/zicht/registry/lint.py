"""Every problem of one definition document, once, in words a field lab can act on.

One implementation behind `zicht registry check` (per file, with line:column) and the API's live
validation of a definition being written in the page. Three checkers look at a document:

- the JSON Schema generated from the model (structure, types, enums, patterns) — it knows *where*
  (a JSON path) and is the one whose findings are shown;
- the SHACL shapes (generated and the hand-written supplements) — the semantic reference; a SHACL
  result about a slot that JSON Schema or a registry rule already reported is the same problem seen
  twice, and is dropped;
- the registry rules (`zicht.registry.rules`): logic, ranges, windows, sources.

Messages name the key or value, never dump RDF nodes, and suggest the closest known key, concept or
source ("did you mean") when one is near.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zicht.ontology.concepts import framework
from zicht.ontology.instances import Finding, jsonschema_validator, shacl_findings
from zicht.registry.rules import check_rules

Path_ = tuple[Hashable, ...]

# Registry rules whose SHACL twin (a supplement shape) reports the same problem on these slots.
RULE_SLOTS = {
    "age-range-ordered": {"age_min", "age_max"},
    "value-range-ordered": {"value_min", "value_max"},
}
# SHACL names a few slots by their RDF property, not by the document's key.
SHACL_KEYS = {"identifier": "id", "creator": "author"}


@dataclass(frozen=True, order=True)
class Problem:
    path: Path_
    rule: str
    message: str
    severity: str = "error"
    suggestion: str | None = None

    @property
    def pointer(self) -> str:
        """The path as criteria/0/concepts/1 (empty for the whole document)."""
        return "/".join(str(p) for p in self.path)

    def text(self) -> str:
        hint = f"; did you mean {self.suggestion!r}?" if self.suggestion else ""
        return f"{self.message}{hint}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.pointer,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.text(),
            "suggestion": self.suggestion,
        }


def check_document(
    document: Mapping[str, Any], source_kinds: Mapping[str, str] | None = None
) -> list[Problem]:
    """All problems of a definition document (schema, shapes, registry rules), each reported once."""
    problems = _schema_problems(document)
    problems += _rule_problems(document, source_kinds)
    problems += _shacl_problems(document, problems)
    problems += _privacy_problems(document)
    return sorted(set(problems), key=lambda p: (_sort_key(p.path), p.rule, p.message))


def _privacy_problems(document: Mapping[str, Any]) -> list[Problem]:
    """Direct identifiers (and unstorable characters) in any text of the document: the privacy guard."""
    from zicht.privacy.fields import field_findings

    out = []
    for f in field_findings(dict(document)):
        path = tuple(int(p) if p.isdigit() else p for p in f.field.split("/") if p)
        out.append(Problem(path, "privacy", f.message.split(": ", 1)[1] if ": " in f.message else f.message))
    return out


def suggest(word: Any, candidates: Iterable[str]) -> str | None:
    """The closest candidate to ``word`` (a typo, a missing letter), or None when nothing is near."""
    if not isinstance(word, str) or not word:
        return None
    pool = sorted(set(candidates))
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.75)
    if not found:
        # Keys differ in case or in _ vs - more often than in letters.
        folded = {c.casefold().replace("-", "_"): c for c in pool}
        return folded.get(word.casefold().replace("-", "_"))
    return found[0]


# --- JSON Schema -------------------------------------------------------------------------------------


def _schema_problems(document: Mapping[str, Any]) -> list[Problem]:
    validator = jsonschema_validator("Definition")
    out: list[Problem] = []
    for err in validator.iter_errors(_jsonable(document)):
        out.extend(_translate(err))
    return out


def _translate(err: Any) -> list[Problem]:
    """One JSON Schema error as problems in the author's words (an anyOf/oneOf error as its branch's)."""
    path: Path_ = tuple(err.absolute_path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    if err.validator in ("anyOf", "oneOf"):
        # Optional structures are "X or null": the errors of the X branch are the useful ones.
        branch = [sub for sub in err.context or [] if not _is_null_branch(sub)]
        if branch:
            return [p for sub in branch for p in _translate(sub)]
    words = _SCHEMA_WORDS.get(err.validator)
    if words is None:
        return [Problem(path, f"schema-{err.validator}", _clip(err.message))]
    return words(err, path, schema)


def _unknown_keys(err: Any, path: Path_, schema: dict) -> list[Problem]:
    known = set(schema.get("properties") or {})
    extra = [k for k in (err.instance or {}) if k not in known]
    return [
        Problem((*path, k), "schema-key", f"unknown key {k!r}{_in(path)}", suggestion=suggest(k, known))
        for k in extra
    ]


def _missing_key(err: Any, path: Path_, schema: dict) -> list[Problem]:
    missing = re.match(r"'(.+)' is a required property", err.message)
    name = missing.group(1) if missing else err.message
    return [Problem(path, "schema-required", f"missing required key {name!r}{_in(path)}")]


def _not_in_enum(err: Any, path: Path_, schema: dict) -> list[Problem]:
    allowed = [str(v) for v in schema.get("enum") or []]
    if set(allowed) == {c.key for c in framework()}:
        message = f"unknown framework concept {err.instance!r} (see `zicht concepts`)"
        return [Problem(path, "concept-exists", message, suggestion=suggest(err.instance, allowed))]
    shown = ", ".join(allowed) if len(allowed) <= 8 else ", ".join(allowed[:8]) + ", ..."
    message = f"{_short(err.instance)} is not one of: {shown}"
    return [Problem(path, "schema-enum", message, suggestion=suggest(err.instance, allowed))]


def _wrong_type(err: Any, path: Path_, schema: dict) -> list[Problem]:
    wanted = schema.get("type")
    wanted = [t for t in (wanted if isinstance(wanted, list) else [wanted]) if t != "null"]
    expected = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
    return [Problem(path, "schema-type", f"expected {expected}, got {_short(err.instance)}")]


def _wrong_form(err: Any, path: Path_, schema: dict) -> list[Problem]:
    pattern = str(schema.get("pattern"))
    form = _PATTERN_WORDS.get(pattern, pattern)
    return [
        Problem(path, "schema-pattern", f"{_short(err.instance)} does not have the required form ({form})")
    ]


def _out_of_range(err: Any, path: Path_, schema: dict) -> list[Problem]:
    bound = _bound(err.validator, err.validator_value)
    return [Problem(path, f"schema-{err.validator}", f"{_short(err.instance)} is out of range ({bound})")]


def _bad_format(err: Any, path: Path_, schema: dict) -> list[Problem]:
    message = f"{_short(err.instance)} is not a valid {err.validator_value} (dates are YYYY-MM-DD)"
    return [Problem(path, "schema-format", message)]


_SCHEMA_WORDS: dict[str, Callable[[Any, Path_, dict], list[Problem]]] = {
    "additionalProperties": _unknown_keys,
    "required": _missing_key,
    "enum": _not_in_enum,
    "type": _wrong_type,
    "pattern": _wrong_form,
    "minimum": _out_of_range,
    "maximum": _out_of_range,
    "exclusiveMinimum": _out_of_range,
    "exclusiveMaximum": _out_of_range,
    "format": _bad_format,
}


def _is_null_branch(sub: Any) -> bool:
    return isinstance(sub.schema, dict) and sub.schema.get("type") == "null"


_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping (key: value)",
}
_PATTERN_WORDS = {
    "^[a-z][a-z0-9]*(-[a-z0-9]+)*$": "lower-case letters, digits and single hyphens, starting with a letter",
    "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$": "a semantic version MAJOR.MINOR.PATCH, e.g. 1.0.0",
    "^sha256:[0-9a-f]{64}$": "sha256: and 64 hexadecimal digits",
}


def _bound(kind: str, value: Any) -> str:
    return {
        "minimum": f"at least {value}",
        "maximum": f"at most {value}",
        "exclusiveMinimum": f"above {value}",
        "exclusiveMaximum": f"below {value}",
    }[kind]


def _in(path: Path_) -> str:
    return f" in {_human(path)}" if path else ""


def _human(path: Path_) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


# --- registry rules ----------------------------------------------------------------------------------


def _rule_problems(document: Mapping[str, Any], source_kinds: Mapping[str, str] | None) -> list[Problem]:
    out = []
    for f in check_rules(document, source_kinds):
        path = _parse_pointer(f.subject)
        suggestion = None
        if f.rule == "source-exists" and source_kinds:
            m = re.search(r"unknown source '(.+)'", f.message)
            suggestion = suggest(m.group(1), source_kinds) if m else None
            if m:
                path = _locate_list_item(document, path, m.group(1))
        if f.rule == "operand-exists":
            ids = [c.get("id") for c in document.get("criteria") or [] if isinstance(c, Mapping)]
            m = re.search(r"operand '(.+?)'", f.message)
            suggestion = suggest(m.group(1), [i for i in ids if isinstance(i, str)]) if m else None
            if m:
                path = _locate_list_item(document, path, m.group(1))
        out.append(Problem(path, f.rule, f.message, f.severity, suggestion))
    return out


def _locate_list_item(document: Mapping[str, Any], path: Path_, value: str) -> Path_:
    node: Any = document
    for p in path:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return path
    if isinstance(node, list) and value in node:
        return (*path, node.index(value))
    return path


def _parse_pointer(text: str) -> Path_:
    if not text or text == "<root>":
        return ()
    return tuple(int(p) if p.isdigit() else p for p in text.split("/"))


# --- SHACL -------------------------------------------------------------------------------------------


def _shacl_problems(document: Mapping[str, Any], seen: list[Problem]) -> list[Problem]:
    try:
        findings = shacl_findings([("Definition", document)])
    except Exception:
        if seen:
            return []
        raise
    covered = {p for prob in seen for p in prob.path if isinstance(p, str)}
    for prob in seen:
        covered |= RULE_SLOTS.get(prob.rule, set())
        m = re.match(r"missing required key '(.+)'", prob.message)
        if m:
            covered.add(m.group(1))
    out = []
    for f in findings:
        if f.severity != "Violation" or SHACL_KEYS.get(f.path, f.path) in covered:
            continue
        out.append(_shacl_problem(document, f))
    return out


def _shacl_problem(document: Mapping[str, Any], f: Finding) -> Problem:
    path = _find_key(document, SHACL_KEYS.get(f.path, f.path)) or ()
    message = f.message
    if f.rule == "MinCountConstraintComponent":
        message = f"{SHACL_KEYS.get(f.path, f.path)}: at least one value is needed"
    elif not message or "Node [" in message or "Literal(" in message:
        message = (
            f"{f.path}: value {f.value!r} is not allowed" if f.value is not None else f"{f.path} is not valid"
        )
    return Problem(path, f"shape-{_kebab(f.rule)}", message)


def _find_key(node: Any, key: str, path: Path_ = ()) -> Path_ | None:
    if isinstance(node, Mapping):
        if key in node:
            return (*path, key)
        items: Iterable[tuple[Hashable, Any]] = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return None
    for k, v in items:
        found = _find_key(v, key, (*path, k))
        if found is not None:
            return found
    return None


def _kebab(component: str) -> str:
    name = component.removesuffix("ConstraintComponent")
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


# --- helpers -----------------------------------------------------------------------------------------


def _sort_key(path: Path_) -> tuple:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path)


def _jsonable(data: Any) -> Any:
    import json

    return json.loads(json.dumps(data, default=str))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."
