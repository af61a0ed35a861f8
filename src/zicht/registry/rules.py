"""Semantic checks on one definition that the schema cannot express.

The schema (JSON Schema + SHACL) checks shapes, enums and patterns; these rules check meaning: logic
refers to existing criteria, `not` has one operand, `k` fits, ranges are ordered, sources exist, and
survey and registration criteria are not mixed (a survey gives estimates, registrations give counts).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from zicht.findings import ERROR, Finding
from zicht.ontology.concepts import framework


def _finding(path: str, rule: str, message: str, severity: str = ERROR) -> Finding:
    # Rules see a document, not a file: the path inside it is the subject; lint places it at line:column.
    return Finding("", 0, 0, rule, message, severity, subject=path)


def _walk(node: Mapping[str, Any], path: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    yield node, path
    for i, group in enumerate(_list(node.get("groups"))):
        if isinstance(group, Mapping):
            yield from _walk(group, f"{path}/groups/{i}")


# The rules run on documents that may not pass the schema (the page validates while a lab types, and
# the registry check reports every problem at once), so they look only at values of the right type and
# leave wrong types to the schema's messages.
def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _number(value: Any) -> int | float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(values: list) -> list[str]:
    return [v for v in values if isinstance(v, str)]


def check_rules(
    definition: Mapping[str, Any], source_kinds: Mapping[str, str] | None = None
) -> list[Finding]:
    """Findings for one definition dict. ``source_kinds`` maps known source ids to their kind."""
    criteria = [c if isinstance(c, Mapping) else {} for c in _list(definition.get("criteria"))]
    ids = [c.get("id") if isinstance(c.get("id"), str) else None for c in criteria]
    out = _id_rules(ids)
    logic = definition.get("logic")
    used: set[str] = set()
    if isinstance(logic, Mapping):
        for node, path in _walk(logic, "logic"):
            out.extend(_logic_node_rules(node, path, {c for c in ids if c is not None}, used))
    out.extend(
        _finding(f"criteria/{i}", "criterion-used", f"criterion {cid!r} is not used by the logic")
        for i, cid in enumerate(ids)
        if cid is not None and cid not in used
    )
    out.extend(_range_rules(definition, criteria))
    out.extend(_domain_and_source_rules(definition, criteria, source_kinds))
    return sorted(out)


def _id_rules(ids: list[str | None]) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for i, cid in enumerate(ids):
        if cid is None:
            continue
        if cid in seen:
            out.append(
                _finding(f"criteria/{i}/id", "unique-criterion-id", f"criterion id {cid!r} is used twice")
            )
        seen.add(cid)
    return out


def _logic_node_rules(
    node: Mapping[str, Any], path: str, criterion_ids: set[str], used: set[str]
) -> list[Finding]:
    """The rules of one logic node; adds the criterion ids it refers to to ``used``."""
    out: list[Finding] = []
    operands = _text(_list(node.get("operands")))
    used.update(operands)
    for op_id in operands:
        if op_id not in criterion_ids:
            out.append(
                _finding(
                    f"{path}/operands",
                    "operand-exists",
                    f"operand {op_id!r} is not a criterion id of this definition",
                )
            )
    n = len(operands) + len(_list(node.get("groups")))
    op, k = node.get("op"), node.get("k")
    if n == 0:
        out.append(_finding(path, "logic-has-operands", f"{op!r} node has no operands"))
    if op == "not" and n != 1:
        out.append(_finding(path, "not-single-operand", f"'not' takes exactly one operand, got {n}"))
    if op == "at_least":
        if k is None:
            out.append(_finding(path, "at-least-needs-k", "'at_least' needs k"))
        elif isinstance(k, int) and not isinstance(k, bool) and not 1 <= k <= n:
            out.append(_finding(path, "k-in-range", f"k={k} but the node has {n} operand(s)"))
    elif k is not None:
        out.append(_finding(path, "k-only-for-at-least", f"k is only meaningful for 'at_least', not {op!r}"))
    return out


def _range_rules(definition: Mapping[str, Any], criteria: list) -> list[Finding]:
    """Age and value ranges are ordered; a criterion's window fits in the reference period."""
    out: list[Finding] = []
    for scope, path in [(_mapping(definition.get("population")), "population")] + [
        (c, f"criteria/{i}") for i, c in enumerate(criteria)
    ]:
        lo, hi = _number(scope.get("age_min")), _number(scope.get("age_max"))
        if lo is not None and hi is not None and lo > hi:
            out.append(_finding(path, "age-range-ordered", f"age_min {lo} is above age_max {hi}"))
    period = _number(_mapping(definition.get("reference_period")).get("months"))
    for i, c in enumerate(criteria):
        lo, hi = _number(c.get("value_min")), _number(c.get("value_max"))
        if lo is not None and hi is not None and lo > hi:
            out.append(
                _finding(f"criteria/{i}", "value-range-ordered", f"value_min {lo} is above value_max {hi}")
            )
        window = _number(c.get("window_months"))
        if period is not None and window is not None and window > period:
            out.append(
                _finding(
                    f"criteria/{i}/window_months",
                    "window-within-period",
                    f"window of {window} months exceeds the reference period of {period} months",
                )
            )
    return out


def _domain_and_source_rules(
    definition: Mapping[str, Any], criteria: list, source_kinds: Mapping[str, str] | None
) -> list[Finding]:
    out: list[Finding] = []
    scheme = framework()
    declared = set(_text(_list(definition.get("domains"))))
    for i, c in enumerate(criteria):
        for concept in _text(_list(c.get("concepts"))):
            if concept in scheme:
                domain = scheme.domain_of(concept).key
                if declared and domain not in declared:
                    out.append(
                        _finding(
                            f"criteria/{i}/concepts",
                            "domain-declared",
                            f"concept {concept!r} belongs to domain {domain!r}, which is not in domains",
                        )
                    )
    if source_kinds is None:
        return out
    kinds_used: set[str] = set()
    for i, c in enumerate(criteria):
        sources = _text(_list(c.get("sources")))
        for s in sources:
            if s not in source_kinds:
                out.append(_finding(f"criteria/{i}/sources", "source-exists", f"unknown source {s!r}"))
        kinds = {source_kinds[s] for s in sources if s in source_kinds}
        kinds_used.update(kinds or {"registration"})
    if {"survey", "registration"} <= kinds_used:
        out.append(
            _finding(
                "criteria",
                "no-survey-registration-mix",
                "survey criteria (estimates) and registration criteria (counts) cannot be combined in one definition",
            )
        )
    return out


def is_survey_definition(definition: Mapping[str, Any], source_kinds: Mapping[str, str]) -> bool:
    """True when every criterion is restricted to survey sources (the result is an estimate)."""
    criteria = definition.get("criteria") or []
    return bool(criteria) and all(
        c.get("sources") and all(source_kinds.get(s) == "survey" for s in c["sources"]) for c in criteria
    )
