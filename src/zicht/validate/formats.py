"""Rendering a validation report as text, JSON, Turtle (a standard ``sh:ValidationReport``) or HTML.

Values shown are the cell texts the checks saw; cells the privacy guard withheld never appear, only the
guard's masked form. Long values are shortened in text and HTML (never in JSON or Turtle).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from zicht.choices import VALIDATE_FORMATS
from zicht.validate.report import Report
from zicht.validate.vocab import ZV, column_iri, source_namespace

FORMATS = VALIDATE_FORMATS
PRIVACY_COMPONENT = ZV.PrivacyGuardConstraintComponent


def render(report: Report, fmt: str) -> str:
    if fmt == "text":
        return to_text(report)
    if fmt == "json":
        return json.dumps(to_json(report), ensure_ascii=False, indent=2)
    if fmt == "ttl":
        return to_graph(report).serialize(format="turtle")
    if fmt == "html":
        return to_html(report)
    raise ValueError(f"unknown format {fmt!r}")


def _short(text: str | None, width: int = 60) -> str:
    if text is None:
        return ""
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def _status(report: Report) -> str:
    if report.conforms:
        return "CONFORMS"
    return (
        f"DOES NOT CONFORM: {len(report.violations)} violation(s), {len(report.privacy)} privacy finding(s)"
    )


def to_text(report: Report) -> str:
    lines = [
        f"source {report.source}: {len(report.files)} file(s), {report.rows} row(s), engine {report.engine}",
        _status(report),
    ]
    for notice in report.notices:
        lines.append(f"notice: {notice}")
    if report.privacy:
        lines.append("")
        lines.append("Privacy guard (values masked; these cells were withheld from validation):")
        lines.extend(f"  {f.message}" for f in report.privacy)
    if report.violations:
        lines.append("")
        lines.append("Violations (file:row  column  value  [rule]  message):")
        for v in report.violations:
            value = "" if v.value is None else f"{_short(v.value)!r}"
            where = f"{v.file}:{v.row}" if v.focus is None else f"{v.file} <{v.focus}>"
            lines.append(f"  {where}  {v.column or '-'}  {value}  [{v.rule}]  {v.severity}: {v.message}")
        lines.append("")
        lines.append("Summary per rule:")
        for rule, severity, message, count in report.by_rule():
            lines.append(f"  {count:>8}  {severity:<9} {rule}  {message}")
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> dict:
    return {
        "source": report.source,
        "files": report.files,
        "engine": report.engine,
        "rows": report.rows,
        "conforms": report.conforms,
        "notices": report.notices,
        "privacy": [
            {
                "file": f.file,
                "row": f.row,
                "column": f.column,
                "kind": f.kind,
                "masked_value": f.masked,
                "message": f.message,
            }
            for f in report.privacy
        ],
        "violations": [
            {
                "file": v.file,
                "row": v.row,
                "focus": v.focus,
                "column": v.column,
                "value": v.value,
                "rule": v.rule,
                "component": v.component,
                "severity": v.severity,
                "message": v.message,
            }
            for v in report.violations
        ],
        "summary": [
            {"rule": rule, "severity": severity, "message": message, "count": count}
            for rule, severity, message, count in report.by_rule()
        ],
    }


def _focus(file: str, row: int | None) -> URIRef:
    # RFC 7111 fragment of the extract file; row counts data rows from 1 (the header is not counted).
    base = Path(file).resolve().as_uri()
    return URIRef(base if row is None else f"{base}#row={row}")


def to_graph(report: Report) -> Graph:
    g = Graph()
    g.bind("sh", SH)
    g.bind("zv", ZV)
    ns = source_namespace(report.source)
    g.bind("src", ns)
    node = BNode()
    g.add((node, RDF.type, SH.ValidationReport))
    g.add((node, SH.conforms, Literal(report.conforms)))
    for v in report.violations:
        result = BNode()
        g.add((node, SH.result, result))
        g.add((result, RDF.type, SH.ValidationResult))
        g.add((result, SH.focusNode, URIRef(v.focus) if v.focus else _focus(v.file, v.row)))
        if v.column is not None and v.focus is None:
            g.add((result, SH.resultPath, column_iri(report.source, v.column)))
        if v.value is not None:
            g.add((result, SH.value, Literal(v.value)))
        g.add((result, SH.sourceConstraintComponent, SH[v.component]))
        shape = URIRef(v.rule) if "://" in v.rule else ns[f"shape/{quote(v.rule)}"]
        g.add((result, SH.sourceShape, shape if not v.rule.startswith("_:") else BNode(v.rule[2:])))
        g.add((result, SH.resultSeverity, SH[v.severity]))
        g.add((result, SH.resultMessage, Literal(v.message)))
    for f in report.privacy:
        result = BNode()
        g.add((node, SH.result, result))
        g.add((result, RDF.type, SH.ValidationResult))
        g.add((result, SH.focusNode, _focus(f.file, f.row)))
        g.add((result, SH.resultPath, column_iri(report.source, f.column)))
        if f.masked:
            g.add((result, SH.value, Literal(f.masked)))
        g.add((result, SH.sourceConstraintComponent, PRIVACY_COMPONENT))
        g.add((result, SH.sourceShape, ZV[f"privacy/{f.kind}"]))
        g.add((result, SH.resultSeverity, SH.Violation))
        g.add((result, SH.resultMessage, Literal(f.message)))
    g.add((node, ZV.rows, Literal(report.rows, datatype=XSD.integer)))
    return g


def to_html(report: Report) -> str:
    e = html.escape
    rows = "\n".join(
        f"<tr><td>{e(v.file)}</td><td>{v.row or ''}</td><td>{e(v.column or '')}</td><td><code>{e(_short(v.value))}</code></td>"
        f"<td>{e(v.rule)}</td><td>{e(v.severity)}</td><td>{e(v.message)}</td></tr>"
        for v in report.violations
    )
    summary = "\n".join(
        f"<tr><td>{count}</td><td>{e(severity)}</td><td>{e(rule)}</td><td>{e(message)}</td></tr>"
        for rule, severity, message, count in report.by_rule()
    )
    privacy = "\n".join(f"<li>{e(f.message)}</li>" for f in report.privacy)
    notices = "\n".join(f"<li>{e(n)}</li>" for n in report.notices)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zicht validate: {e(report.source)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}}
.bad{{color:#a00}}.ok{{color:#070}}</style></head><body>
<h1>Validation of source {e(report.source)}</h1>
<p>{len(report.files)} file(s), {report.rows} row(s), engine {e(report.engine)}.</p>
<p class="{"ok" if report.conforms else "bad"}"><strong>{e(_status(report))}</strong></p>
{f"<h2>Notices</h2><ul>{notices}</ul>" if notices else ""}
{f"<h2>Privacy guard</h2><p>Values masked; these cells were withheld from validation.</p><ul>{privacy}</ul>" if privacy else ""}
{f"<h2>Summary per rule</h2><table><tr><th>count</th><th>severity</th><th>rule</th><th>message</th></tr>{summary}</table>" if summary else ""}
{f"<h2>Violations</h2><table><tr><th>file</th><th>row</th><th>column</th><th>value</th><th>rule</th><th>severity</th><th>message</th></tr>{rows}</table>" if rows else ""}
</body></html>
"""
