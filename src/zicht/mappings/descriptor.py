"""The source descriptor (`mappings/<source>.source.yaml`, class `Source`): what harmonise needs to read
an extract — its columns by role, delimiter, encoding, period and coverage."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

try:  # the parser of Python's own regular expressions (sre_parse before 3.11)
    from re import _constants as re_constants  # type: ignore[attr-defined]
    from re import _parser as re_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as re_constants
    import sre_parse as re_parser

from zicht import yamlio
from zicht.errors import InputError
from zicht.ontology.instances import jsonschema_findings


@dataclass(frozen=True)
class Column:
    name: str
    role: str
    datatype: str
    required: bool
    pattern: str | None


@dataclass(frozen=True)
class SourceDescriptor:
    path: Path
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def code_system(self) -> str:
        return str(self.data["code_system"])

    @property
    def code_prefix(self) -> str:
        """The CURIE prefix of the source's codes (the part of `code_system` before the colon)."""
        return self.code_system.split(":", 1)[0]

    @property
    def mapping_set_id(self) -> str | None:
        value = self.data.get("mapping_set_id")
        return str(value) if value else None

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return _date(self.data["period_start"]), _date(self.data["period_end"])

    @property
    def delimiter(self) -> str:
        return str(self.data.get("delimiter") or ",")

    @property
    def encoding(self) -> str:
        return str(self.data.get("encoding") or "utf-8")

    @property
    def file_pattern(self) -> str | None:
        value = self.data.get("file_pattern")
        return str(value) if value else None

    @property
    def columns(self) -> list[Column]:
        return [
            Column(
                name=str(c["name"]),
                role=str(c["role"]),
                datatype=str(c["datatype"]),
                required=bool(c.get("required", False)),
                pattern=str(c["pattern"]) if c.get("pattern") else None,
            )
            for c in self.data.get("columns") or []
        ]

    def columns_with_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    def column(self, role: str) -> Column | None:
        """The single column with ``role``; an error when the descriptor declares several."""
        found = self.columns_with_role(role)
        if len(found) > 1:
            names = ", ".join(c.name for c in found)
            raise InputError(
                f"{self.path}: source {self.id!r} declares several {role} columns ({names}); expected one"
            )
        return found[0] if found else None

    @property
    def coverage(self) -> list[dict[str, Any]]:
        return list(self.data.get("coverage") or [])


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _read_yaml(path: Path) -> Any:
    return yamlio.load_file(path)


@lru_cache(maxsize=256)
def _load_cached(path: Path, mtime_ns: int) -> SourceDescriptor:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: a source descriptor must be a YAML mapping")
    # Files may wrap the instance as {class: Source, instance: {...}} like the ontology examples.
    if "instance" in data and isinstance(data["instance"], dict):
        data = data["instance"]
    problems = jsonschema_findings("Source", data)
    if problems:
        first = problems[0]
        raise InputError(f"{path}: not a valid Source descriptor: {first} ({len(problems)} problem(s))")
    _check_reading(path, data)
    return SourceDescriptor(path, data)


# A pattern is matched against every cell of every extract, by Python's backtracking engine (validate's
# reference engine, pyshacl) as well as by RE2 (DuckDB): a nested quantifier such as ^(a+)+$ takes
# exponential time on a long cell in the former, so such patterns are refused at the door.
MAX_PATTERN_LENGTH = 500


def _check_reading(path: Path, data: dict[str, Any]) -> None:
    """What the schema cannot say: one-character delimiter, a known encoding, patterns that compile and
    run in linear time."""
    delimiter = data.get("delimiter")
    if delimiter is not None and (len(str(delimiter)) != 1 or str(delimiter) in "\r\n\"'"):
        raise InputError(
            f"{path}: delimiter must be one character other than a quote or line end, "
            f"got {str(delimiter)[:10]!r}"
        )
    encoding = data.get("encoding")
    if encoding is not None:
        try:
            codecs.lookup(str(encoding))
        except LookupError:
            raise InputError(f"{path}: unknown encoding {str(encoding)[:40]!r}") from None
    for i, column in enumerate(data.get("columns") or []):
        pattern = column.get("pattern") if isinstance(column, dict) else None
        if pattern is None:
            continue
        where = f"{path}: columns[{i}] ({str(column.get('name'))[:60]!r}): pattern"
        text = str(pattern)
        if len(text) > MAX_PATTERN_LENGTH:
            raise InputError(f"{where} is longer than {MAX_PATTERN_LENGTH} characters")
        try:
            parsed = re_parser.parse(text)
        except (re.error, RecursionError, OverflowError) as exc:
            raise InputError(f"{where} is not a valid regular expression: {exc}") from None
        if _nested_repeat(parsed, inside=False):
            raise InputError(
                f"{where} nests a repetition inside a repetition (like (a+)+), which can take "
                "exponential time on a long value; write it without the nesting"
            )
        if _backreference(parsed):
            raise InputError(
                f"{where} uses a back-reference or look-around, which the harmonise engine (RE2) cannot run"
            )


_REPEATS = {
    re_constants.MAX_REPEAT,
    re_constants.MIN_REPEAT,
    getattr(re_constants, "POSSESSIVE_REPEAT", None),
}


def _nested_repeat(items: Any, *, inside: bool) -> bool:
    """A repetition (``+``, ``*``, ``{2,}``) inside a long repetition, or a long repetition of
    alternatives that can start alike (``(a|aa)*``): the shapes that backtrack exponentially."""
    for op, arg in items:
        if op in _REPEATS:
            low, high, sub = arg
            if inside and high > 1 and low != high:  # a fixed count ({4}) cannot split a value two ways
                return True
            long_repeat = high == re_constants.MAXREPEAT or high > 10
            if long_repeat and _overlapping_branches(sub):
                return True
            if _nested_repeat(sub, inside=inside or long_repeat):
                return True
        elif op == re_constants.SUBPATTERN:
            if _nested_repeat(arg[-1], inside=inside):
                return True
        elif op == re_constants.BRANCH and any(_nested_repeat(branch, inside=inside) for branch in arg[1]):
            return True
    return False


def _overlapping_branches(items: Any) -> bool:
    """Alternatives anywhere in a repeated body that can start alike, or one that matches nothing
    (``a|aa`` is parsed as ``a(|a)``)."""
    for op, arg in items:
        if op == re_constants.SUBPATTERN and _overlapping_branches(arg[-1]):
            return True
        if op == re_constants.BRANCH:
            firsts = [_first_chars(branch) for branch in arg[1]]
            if any(not branch for branch in arg[1]):
                return True
            for i, a in enumerate(firsts):
                for b in firsts[i + 1 :]:
                    if a is None or b is None or a & b:
                        return True
    return False


def _first_chars(items: Any) -> set[int] | None:
    """The characters a branch can start with, or None for 'too many to say' (a class, a dot)."""
    for op, arg in items:
        if op == re_constants.LITERAL:
            return {arg}
        if op == re_constants.SUBPATTERN:
            return _first_chars(arg[-1])
        return None
    return set()


def _backreference(items: Any) -> bool:
    for op, arg in items:
        if op in (
            re_constants.GROUPREF,
            re_constants.GROUPREF_EXISTS,
            re_constants.ASSERT,
            re_constants.ASSERT_NOT,
        ):
            return True
        if op in _REPEATS and _backreference(arg[2]):
            return True
        if op == re_constants.SUBPATTERN and _backreference(arg[-1]):
            return True
        if op == re_constants.BRANCH and any(_backreference(b) for b in arg[1]):
            return True
    return False


def load_descriptor(path: Path) -> SourceDescriptor:
    """Read and check a source descriptor (JSON Schema of the `Source` class)."""
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise InputError(f"{path}: no such source descriptor") from None
    return _load_cached(path.resolve(), mtime)


def descriptor_paths(mappings_dir: Path) -> list[Path]:
    return sorted(mappings_dir.glob("*.source.yaml"))
