"""`zicht mappings check`: strict lint of SSSOM mapping files, one finding per problem and row.

Rules (stable ids, used in the text and JSON output and in docs/stewards.md):
metadata_yaml, metadata, prefix, columns, row_shape, sssom_py, missing_value, curie, predicate,
object_scheme, unknown_concept, justification, confidence, mapping_date, subject_prefix, object_label,
duplicate_row, exact_conflict, redundant_mapping, no_term_conflict, no_assignable_mapping, code_list,
coverage, unknown_code, subject_label, descriptor, privacy (a direct identifier in a label, comment or any
other cell or metadata value: named by line, column and character, never shown).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from zicht.errors import InputError, ZichtError
from zicht.findings import ERROR, WARNING, Finding
from zicht.mappings.codes import read_code_list
from zicht.mappings.descriptor import load_descriptor
from zicht.mappings.sssom_table import (
    EXPECTED_COLUMNS,
    KNOWN_COLUMNS,
    REQUIRED_COLUMNS,
    MappingRow,
    SSSOMTable,
    read_sssom_tsv,
)
from zicht.ontology.concepts import CURIE_PREFIX, ConceptScheme, framework
from zicht.ontology.schema import CONCEPT_NS

EXACT = "skos:exactMatch"
BROAD = "skos:broadMatch"
NARROW = "skos:narrowMatch"
RELATED = "skos:relatedMatch"
ALLOWED_PREDICATES = (EXACT, BROAD, NARROW, RELATED)
# Predicates that let harmonise assign the object concept to a record (see docs/stewards.md).
ASSIGNING_PREDICATES = (EXACT, BROAD)
NO_TERM_FOUND = "sssom:NoTermFound"


# The mapping justifications of the SEMAPV vocabulary (https://w3id.org/semapv/vocab/), as sssom-py lists
# them in `sssom.constants.SEMAPV` (a test keeps the two equal where sssom-py is installed): sssom-py is the
# `sssom` extra, and the first reader must not need it.
JUSTIFICATIONS = frozenset(
    {
        "semapv:CompositeMatching",
        "semapv:LexicalMatching",
        "semapv:LexicalSimilarityThresholdMatching",
        "semapv:LogicalReasoning",
        "semapv:ManualMappingCuration",
        "semapv:MappingChaining",
        "semapv:MappingInversion",
        "semapv:MappingReview",
        "semapv:SemanticSimilarityThresholdMatching",
        "semapv:UnspecifiedMatching",
        "semapv:crossSpeciesBroadMatch",
        "semapv:crossSpeciesExactMatch",
        "semapv:crossSpeciesNarrowMatch",
    }
)
SECOND_OPINION_MISSING = (
    "sssom-py is not installed, so its second reading of the mapping sets did not run: "
    "pip install 'zicht[sssom]'"
)


@lru_cache(maxsize=1)
def second_opinion_available() -> bool:
    """True when sssom-py (the `sssom` extra) can be imported for the second reading."""
    # sssom-py sets a pandas option that pandas 3 deprecates, at import time; keep that warning out.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import sssom.parsers  # noqa: F401
        except ImportError:
            return False
    return True


REQUIRED_METADATA = ("curie_map", "mapping_set_id", "mapping_set_version", "license")
CURIE_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*):(\S+)$")
URI_RE = re.compile(r"^https?://\S+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _finding(file: str, line: int, code: str | None, rule: str, severity: str, message: str) -> Finding:
    # The subject of a mapping finding is the source's own code ("-" or none: the file as a whole).
    return Finding(file, line, 0, rule, message, severity, subject="" if code in (None, "", "-") else code)


def sibling(path: Path, suffix: str) -> Path:
    """`x.sssom.tsv` → `x<suffix>` in the same folder."""
    return path.with_name(path.name[: -len(".sssom.tsv")] + suffix)


def mapping_files(target: Path) -> list[Path]:
    if target.is_dir():
        files = sorted(target.glob("*.sssom.tsv"))
        if not files:
            raise InputError(f"{target}: no *.sssom.tsv files in this folder")
        return files
    if not target.exists():
        raise InputError(f"{target}: no such file or folder")
    if not target.name.endswith(".sssom.tsv"):
        raise InputError(f"{target}: a mapping file must be named <source>.sssom.tsv")
    return [target]


def check_paths(target: Path) -> list[Finding]:
    findings: list[Finding] = []
    for path in mapping_files(target):
        findings.extend(check_file(path))
    return sorted(findings)


def check_file(path: Path) -> list[Finding]:
    table = read_sssom_tsv(path)
    out = _Collector(str(path))
    for line, rule, message in table.problems:
        out.add(line, "-", rule, ERROR, message)
    _check_privacy(table, out)
    if any(rule == "metadata_yaml" for _line, rule, _message in table.problems):
        return out.findings  # without the curie_map every later check would only repeat this one
    _check_metadata(table, out)
    _check_columns(table, out)
    if table.columns:
        if second_opinion_available():
            _check_with_sssom_py(table, out)
        _check_rows(table, out)
        _check_per_code(table, out, narrative=_is_narrative(table))
        _check_against_code_list(table, out)
        _check_against_descriptor(table, out)
    return out.findings


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []

    def add(self, line: int, code: str, rule: str, severity: str, message: str) -> None:
        # A finding quotes codes and values; one that is a direct identifier is withheld, not quoted.
        from zicht.privacy import redact

        self.findings.append(_finding(self.file, line, redact(code or "-"), rule, severity, redact(message)))


def _check_privacy(table: SSSOMTable, out: _Collector) -> None:
    """The privacy guard over every metadata value and every cell: labels and comments are typed by
    people, and `GET /mappings/{source}` serves them."""
    from zicht.privacy.fields import field_findings

    for f in field_findings(table.metadata):
        key = f.field.split("/", 1)[0]
        out.add(table.metadata_lines.get(key, 1), "-", "privacy", ERROR, f"metadata {f.message}")
    for row in table.rows:
        for column, value in row.cells.items():
            for f in field_findings(value, column):
                out.add(row.line, "-", "privacy", ERROR, f.message)


def _subject_code(table: SSSOMTable, subject_id: str) -> str:
    """The source's own code: the local part of the subject CURIE."""
    match = CURIE_RE.match(subject_id)
    return match.group(2) if match else subject_id


def _check_metadata(table: SSSOMTable, out: _Collector) -> None:
    meta, where = table.metadata, table.metadata_lines
    for key in REQUIRED_METADATA:
        if meta.get(key) in (None, "", {}):
            out.add(1, "-", "metadata", ERROR, f"metadata key {key!r} is missing or empty")
    for key in ("mapping_set_id", "license"):
        value = meta.get(key)
        if value not in (None, "") and not URI_RE.match(str(value)):
            out.add(where.get(key, 1), "-", "metadata", ERROR, f"{key} must be an http(s) URI, not {value!r}")
    cm = meta.get("curie_map")
    if cm is not None and not isinstance(cm, dict):
        out.add(where.get("curie_map", 1), "-", "metadata", ERROR, "curie_map must map prefixes to URI bases")
        return
    for prefix, base in table.curie_map.items():
        expected = {"zc": CONCEPT_NS, **_builtin()}.get(prefix)
        if expected is not None and base != expected:
            out.add(
                where.get("curie_map", 1),
                "-",
                "prefix",
                ERROR,
                f"prefix {prefix!r} must expand to {expected}, not {base}",
            )
        elif not URI_RE.match(base) and not base.startswith("urn:"):
            out.add(
                where.get("curie_map", 1),
                "-",
                "prefix",
                ERROR,
                f"prefix {prefix!r} expands to {base!r}, not a URI",
            )


def _builtin() -> dict[str, str]:
    from zicht.mappings.sssom_table import BUILTIN_PREFIXES

    return BUILTIN_PREFIXES


def _check_columns(table: SSSOMTable, out: _Collector) -> None:
    if not table.columns:
        return
    line = table.header_line
    for col in REQUIRED_COLUMNS:
        if col not in table.columns:
            out.add(line, "-", "columns", ERROR, f"required column {col!r} is missing")
    for col in EXPECTED_COLUMNS:
        if col not in table.columns and col not in REQUIRED_COLUMNS:
            out.add(
                line,
                "-",
                "columns",
                WARNING,
                f"column {col!r} is missing; stewards need it to judge a mapping",
            )
    seen: set[str] = set()
    for col in table.columns:
        if col in seen:
            out.add(line, "-", "columns", ERROR, f"column {col!r} appears twice")
        seen.add(col)
        if col not in KNOWN_COLUMNS:
            out.add(line, "-", "columns", ERROR, f"column {col!r} is not an SSSOM mapping slot")


def _check_with_sssom_py(table: SSSOMTable, out: _Collector) -> None:
    """sssom-py as a second reader: a file it cannot read, or whose rows it loses, is not valid SSSOM."""
    from sssom.parsers import parse_sssom_table

    logger = logging.getLogger("sssom")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            msdf = parse_sssom_table(table.path)
    except Exception as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        out.add(
            table.header_line or 1, "-", "sssom_py", ERROR, f"sssom-py cannot parse the file: {message[:200]}"
        )
        return
    finally:
        logger.setLevel(level)
    parsed = 0 if msdf.df is None else len(msdf.df)
    if parsed != len(table.rows):
        out.add(
            table.header_line,
            "-",
            "sssom_py",
            ERROR,
            f"sssom-py reads {parsed} mapping(s) where the file has {len(table.rows)} data row(s); "
            "the difference is malformed or duplicate rows (see the row findings)",
        )


def _curie_problem(value: str, prefixes: dict[str, str]) -> str | None:
    match = CURIE_RE.match(value)
    if not match:
        return f"{value!r} is not a CURIE (prefix:local)"
    if match.group(1) not in prefixes:
        return f"prefix {match.group(1)!r} of {value!r} is not declared in curie_map"
    return None


def _check_rows(table: SSSOMTable, out: _Collector) -> None:
    """Each row on its own (shape, CURIEs, predicate, object, justification, confidence, date), then that
    the file maps one code system (one subject prefix)."""
    scheme = framework()
    subject_prefixes: dict[str, int] = {}
    for row in table.rows:
        subject = row.get("subject_id")
        code = _subject_code(table, subject) if subject else "-"
        _check_shape(table, row, code, out)
        if subject and CURIE_RE.match(subject):
            subject_prefixes.setdefault(subject.split(":", 1)[0], row.line)
        predicate = row.get("predicate_id")
        if predicate and predicate not in ALLOWED_PREDICATES:
            out.add(
                row.line,
                code,
                "predicate",
                ERROR,
                f"predicate {predicate!r} is not allowed; use one of {', '.join(ALLOWED_PREDICATES)}",
            )
        _check_object(row, code, scheme, out)
        _check_values(row, code, out)
    if len(subject_prefixes) > 1:
        first, *others = sorted(subject_prefixes.items(), key=lambda kv: kv[1])
        for prefix, line in others:
            out.add(
                line,
                "-",
                "subject_prefix",
                ERROR,
                f"subject prefix {prefix!r} differs from {first[0]!r} (line {first[1]}); one file maps one code system",
            )


def _check_shape(table: SSSOMTable, row: MappingRow, code: str, out: _Collector) -> None:
    """The row's number of fields, its required values, and its CURIEs against the curie_map."""
    if row.n_fields != len(table.columns):
        out.add(
            row.line,
            code,
            "row_shape",
            ERROR,
            f"row has {row.n_fields} field(s) where the header has {len(table.columns)}",
        )
    for col in REQUIRED_COLUMNS:
        if col in table.columns and not row.get(col):
            out.add(row.line, code, "missing_value", ERROR, f"{col} is empty")
    for col in ("subject_id", "predicate_id", "object_id", "mapping_justification", "author_id"):
        value = row.get(col)
        if value:
            for part in value.split("|") if col == "author_id" else [value]:
                problem = _curie_problem(part.strip(), table.prefixes)
                if problem:
                    out.add(row.line, code, "curie", ERROR, f"{col}: {problem}")


def _check_object(row: MappingRow, code: str, scheme: ConceptScheme, out: _Collector) -> None:
    """The object is a framework concept (or NoTermFound), and its label, when given, the concept's."""
    obj = row.get("object_id")
    if not obj or obj == NO_TERM_FOUND:
        return
    if not obj.startswith(CURIE_PREFIX):
        out.add(
            row.line,
            code,
            "object_scheme",
            ERROR,
            f"object {obj!r} is not a framework concept (zc:...) nor {NO_TERM_FOUND}",
        )
    elif obj not in scheme:
        out.add(row.line, code, "unknown_concept", ERROR, f"object {obj!r} is not a concept of the framework")
    else:
        label = row.get("object_label")
        concept = scheme.get(obj)
        if label and label not in (concept.label_nl, concept.label_en):
            out.add(
                row.line,
                code,
                "object_label",
                WARNING,
                f"object_label {label!r} differs from the framework label {concept.label_nl!r}",
            )


def _check_values(row: MappingRow, code: str, out: _Collector) -> None:
    """mapping_justification from semapv, confidence in [0, 1], mapping_date a date."""
    justification = row.get("mapping_justification")
    if justification and justification not in JUSTIFICATIONS:
        out.add(
            row.line, code, "justification", ERROR, f"{justification!r} is not a semapv mapping justification"
        )
    confidence = row.get("confidence")
    if confidence:
        try:
            ok = 0.0 <= float(confidence) <= 1.0
        except ValueError:
            ok = False
        if not ok:
            out.add(
                row.line, code, "confidence", ERROR, f"confidence {confidence!r} is not a number in [0, 1]"
            )
    date = row.get("mapping_date")
    if date:
        try:
            ok = bool(DATE_RE.match(date)) and dt.date.fromisoformat(date) is not None
        except ValueError:
            ok = False
        if not ok:
            out.add(row.line, code, "mapping_date", ERROR, f"mapping_date {date!r} is not a date YYYY-MM-DD")


def _is_narrative(table: SSSOMTable) -> bool:
    path = sibling(table.path, ".source.yaml")
    try:
        return path.exists() and load_descriptor(path).kind == "narrative"
    except ZichtError:
        return False  # reported by _check_against_descriptor


def _check_per_code(table: SSSOMTable, out: _Collector, *, narrative: bool = False) -> None:
    """Repeated rows, then each code's rows together: one exact meaning, NoTermFound alone, no two concepts
    on one branch, and (outside narrative sources) at least one mapping harmonise can assign."""
    scheme = framework()
    for code, rows in _rows_by_code(table, out).items():
        exact = [r for r in rows if r.get("predicate_id") == EXACT and r.get("object_id") in scheme]
        if len({r.get("object_id") for r in exact}) > 1:
            for r in exact[1:]:
                out.add(
                    r.line,
                    code,
                    "exact_conflict",
                    ERROR,
                    f"exactMatch to {r.get('object_id')} as well as to {exact[0].get('object_id')} "
                    f"(line {exact[0].line}); a code has at most one exact meaning",
                )
        ntf = [r for r in rows if r.get("object_id") == NO_TERM_FOUND]
        if ntf and len(ntf) < len(rows):
            other = next(r for r in rows if r.get("object_id") != NO_TERM_FOUND)
            out.add(
                ntf[0].line,
                code,
                "no_term_conflict",
                ERROR,
                f"marked {NO_TERM_FOUND} but also mapped on line {other.line}",
            )
        usable = [
            r for r in rows if r.get("predicate_id") in ASSIGNING_PREDICATES and r.get("object_id") in scheme
        ]
        _check_one_branch(code, usable, scheme, out)
        # Notes are tagged with the closest concept whatever the predicate, so for them this is no loss.
        if (
            not narrative
            and not ntf
            and rows
            and not usable
            and all(r.get("predicate_id") in ALLOWED_PREDICATES for r in rows)
        ):
            out.add(
                rows[0].line,
                code,
                "no_assignable_mapping",
                WARNING,
                "only narrowMatch/relatedMatch mappings: records with this code go to quarantine "
                "(reason no_assignable_mapping)",
            )


def _rows_by_code(table: SSSOMTable, out: _Collector) -> dict[str, list[MappingRow]]:
    """The rows with a subject per code, in file order; a repeated (subject, predicate, object) is
    reported and left out."""
    by_code: dict[str, list[MappingRow]] = defaultdict(list)
    seen: dict[tuple[str, str, str], int] = {}
    for row in table.rows:
        subject, predicate, obj = row.get("subject_id"), row.get("predicate_id"), row.get("object_id")
        if not subject:
            continue
        code = _subject_code(table, subject)
        key = (subject, predicate, obj)
        if key in seen:
            out.add(
                row.line,
                code,
                "duplicate_row",
                ERROR,
                f"same subject, predicate and object as line {seen[key]}",
            )
            continue
        seen[key] = row.line
        by_code[code].append(row)
    return by_code


def _check_one_branch(code: str, usable: list[MappingRow], scheme: ConceptScheme, out: _Collector) -> None:
    """No two assignable concepts of a code on one branch (harmonise would count the broader one twice)."""
    for i, a in enumerate(usable):
        for b in usable[i + 1 :]:
            ka, kb = scheme.key_of(a.get("object_id")), scheme.key_of(b.get("object_id"))
            if ka == kb:
                continue
            if kb in {c.key for c in scheme.descendants(ka)} or ka in {c.key for c in scheme.descendants(kb)}:
                out.add(
                    b.line,
                    code,
                    "redundant_mapping",
                    ERROR,
                    f"{b.get('object_id')} and {a.get('object_id')} (line {a.line}) lie on one branch of the "
                    "framework; harmonise would count the record twice for the broader concept",
                )


def _check_against_code_list(table: SSSOMTable, out: _Collector) -> None:
    codes_path = sibling(table.path, ".codes.csv")
    if not codes_path.exists():
        out.add(
            1,
            "-",
            "code_list",
            ERROR,
            f"no code list {codes_path.name} next to the mapping; coverage cannot be checked",
        )
        return
    try:
        entries, problems = read_code_list(codes_path)
    except ZichtError as exc:
        out.add(1, "-", "code_list", ERROR, str(exc))
        return
    for line, rule, message in problems:
        out.findings.append(_finding(str(codes_path), line, "-", rule, ERROR, message))
    mapped: dict[str, int] = {}
    labels: dict[str, tuple[str, int]] = {}
    for row in table.rows:
        subject = row.get("subject_id")
        if subject:
            code = _subject_code(table, subject)
            mapped.setdefault(code, row.line)
            if row.get("subject_label"):
                labels.setdefault(code, (row.get("subject_label"), row.line))
    listed = {e.code: e for e in entries}
    for entry in entries:
        if entry.code not in mapped:
            out.findings.append(
                _finding(
                    str(codes_path),
                    entry.line,
                    entry.code,
                    "coverage",
                    ERROR,
                    f"code is neither mapped nor marked {NO_TERM_FOUND} in {table.path.name}",
                )
            )
        elif entry.label and entry.code in labels and labels[entry.code][0] != entry.label:
            label, line = labels[entry.code]
            out.add(
                line,
                entry.code,
                "subject_label",
                WARNING,
                f"subject_label {label!r} differs from the code list label {entry.label!r}",
            )
    for code, line in mapped.items():
        if code not in listed:
            out.add(line, code, "unknown_code", ERROR, f"code is not in the code list {codes_path.name}")


def _check_against_descriptor(table: SSSOMTable, out: _Collector) -> None:
    path = sibling(table.path, ".source.yaml")
    if not path.exists():
        out.add(1, "-", "descriptor", WARNING, f"no source descriptor {path.name} next to the mapping")
        return
    try:
        descriptor = load_descriptor(path)
    except ZichtError as exc:
        out.findings.append(_finding(str(path), 1, "-", "descriptor", ERROR, str(exc)))
        return
    if (
        descriptor.mapping_set_id
        and table.mapping_set_id
        and descriptor.mapping_set_id != table.mapping_set_id
    ):
        out.add(
            table.metadata_lines.get("mapping_set_id", 1),
            "-",
            "descriptor",
            ERROR,
            f"mapping_set_id {table.mapping_set_id} differs from the descriptor's {descriptor.mapping_set_id}",
        )
    prefixes = {
        r.get("subject_id").split(":", 1)[0] for r in table.rows if CURIE_RE.match(r.get("subject_id"))
    }
    if prefixes and prefixes != {descriptor.code_prefix}:
        out.add(
            table.header_line,
            "-",
            "descriptor",
            ERROR,
            f"subjects use prefix {', '.join(sorted(prefixes))} but the descriptor's code_system is "
            f"{descriptor.code_system!r}",
        )


def summary(findings: Iterable[Finding]) -> tuple[int, int]:
    items = list(findings)
    return sum(f.severity == ERROR for f in items), sum(f.severity == WARNING for f in items)
