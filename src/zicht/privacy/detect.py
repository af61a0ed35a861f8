"""Detecting direct identifiers in cells and column names, without ever echoing them in full.

A table can be large (a national extract has millions of rows), so each column is reduced to its distinct
values first and a cheap RE2 prefilter (DuckDB's regexp_matches) picks candidates; only those are confirmed in Python.
Detection is deliberately conservative about *what* it reports (masked values only) and generous about
*whether* it reports: a false alarm costs a steward a look, a missed BSN costs a data breach.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from zicht.sql import sql_text

KINDS = ("bsn", "email", "phone", "street_address", "name", "date_of_birth")

_DESCRIPTIONS = {
    "bsn": "a BSN (9 digits passing the 11-check)",
    "email": "an e-mail address",
    "phone": "a phone number",
    "street_address": "a street address",
    "name": "a person's name",
    "date_of_birth": "a full date of birth",
}


def describe_kind(kind: str) -> str:
    """``a BSN (9 digits passing the 11-check)``, ``an e-mail address``, ..."""
    return _DESCRIPTIONS[kind]


@dataclass(frozen=True)
class PrivacyFinding:
    """A direct identifier found in a table. ``row`` counts from 1 (first data row); None = whole column."""

    file: str
    row: int | None
    column: str
    kind: str
    masked: str

    @property
    def message(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        shown = f" ({self.masked})" if self.masked else ""
        scope = "value" if self.row is not None else "column"
        return (
            f"{self.file}: {where}column {self.column!r}: {scope} looks like {_DESCRIPTIONS[self.kind]}{shown}; "
            "direct identifiers are refused — pseudonymise at the source"
        )


def mask(text: str) -> str:
    """The form a finding shows instead of the value: as many stars as characters (at most 20), nothing of
    the value itself — a refusal names the field and the position, never (part of) the identifier."""
    return "*" * min(len(str(text)), 20)


# Characters that exports put between or around digits: every Unicode space (NBSP, narrow NBSP, figure
# space, ...) becomes a plain space, every dash a hyphen; zero-width characters disappear.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


@lru_cache(maxsize=4096)
def _normal_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if ord(ch) in _ZERO_WIDTH:
        return ""
    digit = unicodedata.decimal(ch, None)
    if digit is not None:  # full-width, Arabic-Indic, Devanagari, ... digits
        return str(digit)
    if ch.isspace() or unicodedata.category(ch) == "Zs":
        return " "
    if unicodedata.category(ch) == "Pd" or ch == "\u2212":
        return "-"
    return unicodedata.normalize("NFKC", ch)


def normalise(text: str) -> str:
    """``text`` as the guard reads it: NFKC, Unicode digits as ASCII digits, every space a plain space,
    every dash a hyphen, zero-width characters removed. ASCII text comes back unchanged."""
    if text.isascii():
        return text
    return "".join(_normal_char(ch) for ch in text)


def _normalise_with_positions(text: str) -> tuple[str, list[int]]:
    """The normalised text and, per normalised character, the index of the original character."""
    if text.isascii():
        return text, list(range(len(text)))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = _normal_char(ch)
        out.append(piece)
        where.extend([i] * len(piece))
    return "".join(out), where


def _checksum_ok(digits: str) -> bool:
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=False)) - int(digits[8])
    return total % 11 == 0


def is_bsn(text: object) -> bool:
    """True for a value that is a BSN (9 digits passing the 11-check) in any form exports produce:
    digit groups with dots, spaces, hyphens, slashes or underscores between them (``111.222.333``,
    ``123/456/782``), a short letter prefix (``NL123456782``, ``BSN:123456782``), a number written as
    a decimal or in scientific notation (``123456782.0``, ``1.23456782e+08``; the leading zero a
    numeric export drops is restored), full-width or other Unicode digits and Unicode spaces."""
    if isinstance(text, bool):
        return False
    if isinstance(text, int):
        return 0 < text < 10**9 and _checksum_ok(f"{text:09d}")
    if isinstance(text, float):
        return text.is_integer() and 0 < text < 1e9 and _checksum_ok(f"{int(text):09d}")
    if not isinstance(text, str):
        return False
    value = normalise(text).strip()
    if len(value) > 40:
        return False
    grouped = _BSN_TOKEN.fullmatch(value)
    if grouped is not None:
        return _checksum_ok(re.sub(r"[^0-9]", "", grouped.group("digits")))
    return _numeric_bsn(value)


def _numeric_bsn(value: str) -> bool:
    """``123456782.0``, ``123456782,00``, ``1.23456782e+08``, ``1.2345672E7`` (from 012345672)."""
    if not _NUMERIC.fullmatch(value) or not ("." in value or "," in value or "e" in value.lower()):
        return False
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return False
    if not number.is_finite() or number != number.to_integral_value() or not 0 < number < 10**9:
        return False
    return _checksum_ok(f"{int(number):09d}")


# Digit groups of at least two digits, one separator between groups, at most four groups; an optional
# prefix of up to four letters (NL, BSN, nr) with an optional colon, hash or hyphen.
_SEP = r"[.\s/_-]"
_BSN_TOKEN = re.compile(
    rf"(?:[A-Za-z]{{1,4}}\s?[:#-]?\s?)?(?P<digits>[0-9]{{2,}}(?:{_SEP}[0-9]{{2,}}){{0,3}})"
)
_NUMERIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")
_DIGIT_RUN = re.compile(r"[0-9]+")
_TOKEN = re.compile(r"[^\s]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Dutch numbers: 0 + 9 digits, +31/0031 + 9 digits; spaces, dots, slashes or hyphens between groups.
_PHONE = re.compile(r"(?<![0-9])(?:\+31|0031|0)[\s./-]?(?:\(0\)[\s./-]?)?[1-9](?:[\s./-]?[0-9]){8}(?![0-9])")
_STREET_SUFFIX = (
    "straat|str\\.|laan|weg|plein|gracht|kade|singel|dijk|pad|steeg|hof|dreef|markt|park|erf|veld|esch|"
    "boulevard|allee|kamp|wal|zijde|street|road|avenue|lane"
)
_STREET = re.compile(
    rf"\b[A-Za-zÀ-ÿ'.-]*(?:{_STREET_SUFFIX})\s+[0-9]{{1,5}}(?:\s?[A-Za-z]{{1,2}}\b|[-/][0-9]{{1,4}})?",
    re.IGNORECASE,
)
_POSTCODE_WITH_NUMBER = re.compile(
    r"\b[1-9][0-9]{3}\s?[A-Z]{2}\b.*\b[0-9]{1,5}\b|\b[0-9]{1,5}[A-Za-z]?,?\s+[1-9][0-9]{3}\s?[A-Z]{2}\b"
)
_FULL_DATE = re.compile(
    r"^\s*(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}|[0-9]{8})(?:[T ][0-9:.]+)?\s*$"
)

# RE2 prefilter (DuckDB, as in harmonise.identifiers): a superset of what `value_kind` confirms, so that only
# candidates are handed to Python. A value with whitespace (Python's: RE2's \s lacks \v and \x1c-\x1f), an @
# or a non-ASCII character always passes; a plain ASCII token can only be a BSN with exactly nine digits (any
# prefix or separators), a BSN in a numeric notation (a decimal point, comma or exponent), or a phone number
# (+ or 0, then 9 to 14 digits). Record ids such as Z0014-0000001, hex pseudonyms, dates, codes and small
# numbers fail it without a Python call (tests/hostile/test_properties.py checks the superset).
PREFILTER = (
    r"@|\s|[\x0b\x1c-\x1f]|[^\x00-\x7f]"
    r"|^[^0-9]*(?:[0-9][^0-9]*){9}$"
    r"|^[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$|^[+-]?[0-9]+[.,][0-9]+$"
    r"|^[+0][^0-9]*(?:[0-9][^0-9]*){9,14}$"
)


def _bsn_spans(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` (already normalised) that hold a BSN inside free text.

    Digit runs joined by single separators form a chain; a chain, or a part of it that ends at spaces,
    with nine digits that pass the check is a BSN. Tokens in a numeric notation are checked as numbers.
    """
    spans: list[tuple[int, int]] = []
    runs = [(m.start(), m.end()) for m in _DIGIT_RUN.finditer(text)]
    chains: list[list[tuple[int, int]]] = []
    for run in runs:
        if chains:
            last = chains[-1][-1]
            gap = text[last[1] : run[0]]
            if len(gap) == 1 and re.fullmatch(_SEP, gap):
                chains[-1].append(run)
                continue
        chains.append([run])
    for chain in chains:
        for i in range(len(chain)):
            if i > 0 and not text[chain[i][0] - 1].isspace():
                continue
            digits = ""
            for j in range(i, len(chain)):
                digits += text[chain[j][0] : chain[j][1]]
                if len(digits) > 9:
                    break
                ends = j == len(chain) - 1 or text[chain[j][1]].isspace()
                if len(digits) == 9 and ends and _checksum_ok(digits):
                    spans.append((chain[i][0], chain[j][1]))
                    break
    for m in _TOKEN.finditer(text):
        token = m.group().strip(".,;:()[]{}\"'")
        if token and token[0] in "0123456789+-" and _numeric_bsn(token):
            spans.append((m.start(), m.end()))
    return spans


@dataclass(frozen=True)
class TextFinding:
    """A direct identifier inside a text: its kind and where it starts (0-based character offset)."""

    kind: str
    start: int
    end: int

    def describe(self, field: str) -> str:
        return f"{field}: character {self.start + 1}: looks like {_DESCRIPTIONS[self.kind]}"


def text_findings(
    text: str, kinds: tuple[str, ...] = ("bsn", "email", "phone", "street_address")
) -> list[TextFinding]:
    """Every direct identifier in a free text (a note, a title, a label, a URL part), with its position
    in ``text`` as given (before normalisation)."""
    if not isinstance(text, str) or not text:
        return []
    norm, where = _normalise_with_positions(text)
    found: list[tuple[str, int, int]] = []
    if "bsn" in kinds:
        found += [("bsn", a, b) for a, b in _bsn_spans(norm)]
        token = norm.strip()
        if is_bsn(token) and not found:
            lead = len(norm) - len(norm.lstrip())
            found.append(("bsn", lead, lead + len(token)))
    if "email" in kinds:
        found += [("email", m.start(), m.end()) for m in _EMAIL.finditer(norm)]
    if "phone" in kinds:
        found += [("phone", m.start(), m.end()) for m in _PHONE.finditer(norm)]
    if "street_address" in kinds:
        found += [("street_address", m.start(), m.end()) for m in _STREET.finditer(norm)]
        found += [("street_address", m.start(), m.end()) for m in _POSTCODE_WITH_NUMBER.finditer(norm)]
    out: list[TextFinding] = []
    for kind, a, b in sorted(found, key=lambda f: (f[1], f[2])):
        start = where[a] if a < len(where) else len(text)
        end = where[b - 1] + 1 if 0 < b <= len(where) else len(text)
        if out and out[-1].kind == kind and start < out[-1].end:  # one identifier found twice
            out[-1] = TextFinding(kind, out[-1].start, max(end, out[-1].end))
            continue
        out.append(TextFinding(kind, start, end))
    return out


# A message built with repr() shows a non-breaking or zero-width space as an escape (`111\\xa0222\\xa0333`),
# which would hide a BSN from the guard; such escapes are read back as the character they stand for.
_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")


def _unescape_separator(match: re.Match[str]) -> str:
    code = int(next(g for g in match.groups() if g), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return match.group(0)
    ch = chr(code)
    category = unicodedata.category(ch)
    if category in ("Zs", "Cf", "Pd", "Nd") or ch.isspace():
        return ch
    return match.group(0)


def redact(text: str) -> str:
    """``text`` with every direct identifier replaced by ``[withheld: <kind>]`` (for messages that quote
    input, such as an error naming a path segment)."""
    original = text
    if "\\" in text:
        text = _ESCAPE.sub(_unescape_separator, text)
    findings = text_findings(text)
    if not findings:
        return original
    spans: list[list[Any]] = []
    for f in findings:  # sorted by start; overlapping findings become one span (the first one's kind)
        if spans and f.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], f.end)
        else:
            spans.append([f.start, f.end, f.kind])
    out, pos = [], 0
    for start, end, kind in spans:
        out.append(text[pos:start])
        out.append(f"[withheld: {kind}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


_NAME_COLUMNS = re.compile(
    r"^(naam|namen|voornaam|voornamen|achternaam|geslachtsnaam|roepnaam|voorletters|tussenvoegsel|"
    r"(full|first|last|given|family|sur|middle|person|client|cliënt|patient)_?names?|names?|surname)$"
)
_ADDRESS_COLUMNS = re.compile(
    r"^(adres|address|straat|straatnaam|street|huisnummer|house_?number|woonadres)$"
)
_EMAIL_COLUMNS = re.compile(r"^(e_?mail|e_?mailadres|mail)$")
_PHONE_COLUMNS = re.compile(r"^(tel|telefoon|telefoonnummer|phone|phone_?number|mobiel|mobile)$")
_DOB_COLUMNS = re.compile(r"^(geboortedatum|geb_?datum|gebdat|birth_?date|date_?of_?birth|dob)$")
_BSN_COLUMNS = re.compile(r"^(bsn|burgerservicenummer|sofinummer|sofi_?nr|bsn_?nummer)$")


def column_name_kind(name: str) -> str | None:
    """The kind of direct identifier a column's name announces, if any."""
    key = re.sub(r"[\s.-]+", "_", str(name).strip().lower())
    for kind, pattern in (
        ("bsn", _BSN_COLUMNS),
        ("name", _NAME_COLUMNS),
        ("street_address", _ADDRESS_COLUMNS),
        ("email", _EMAIL_COLUMNS),
        ("phone", _PHONE_COLUMNS),
        ("date_of_birth", _DOB_COLUMNS),
    ):
        if pattern.match(key):
            return kind
    return None


def value_kind(text: str, *, birth_column: bool = False) -> str | None:
    """The kind of direct identifier one cell holds, if any (BSN, e-mail, phone, street address, birth date).

    The cell is normalised first (`normalise`). A cell without inner whitespace is an identifier only as a
    whole (so that a hex pseudonym with a run of digits is not a phone number); free text is searched.
    """
    text = normalise(text)
    stripped = text.strip()
    free_text = any(ch.isspace() for ch in stripped)
    if is_bsn(stripped):
        return "bsn"
    if birth_column and _FULL_DATE.match(text):
        return "date_of_birth"
    if _EMAIL.search(text):
        return "email"
    if _PHONE.search(text) if free_text else _PHONE.fullmatch(stripped):
        return "phone"
    if free_text and (_STREET.search(text) or _POSTCODE_WITH_NUMBER.search(text)):
        return "street_address"
    if free_text and _bsn_spans(text):
        return "bsn"
    return None


def scan_frame(
    frame: pd.DataFrame,
    *,
    file: str,
    roles: Mapping[str, str] | None = None,
    first_row: int = 1,
) -> list[PrivacyFinding]:
    """Every direct identifier in ``frame``: per offending cell, plus per column whose name announces one.

    ``roles`` maps column names to descriptor roles; a ``birth_year`` column that holds full dates is a
    date of birth. Row numbers are ``first_row`` + position. Values never leave this function unmasked.
    """
    roles = roles or {}
    findings: list[PrivacyFinding] = []
    con = duckdb.connect(config={"threads": 1})
    try:
        for column in frame.columns:
            named = column_name_kind(str(column))
            values = _as_strings(frame[column])
            if named is not None and values.notna().any():
                findings.append(PrivacyFinding(file, None, str(column), named, ""))
            birth = named == "date_of_birth" or roles.get(str(column)) == "birth_year"
            for position, kind, text in _offending_cells(con, values, birth_column=birth):
                findings.append(PrivacyFinding(file, first_row + position, str(column), kind, mask(text)))
    finally:
        con.close()
    return sorted(findings, key=lambda f: (f.file, f.row or 0, f.column, f.kind))


def _as_strings(series: pd.Series) -> pd.Series:
    """The column as Python str (missing: None), positions 0..n-1; other types as their text."""
    text = series.astype(object).reset_index(drop=True)
    missing = text.isna().to_numpy()
    out = np.array([v if isinstance(v, str) else str(v) for v in text.tolist()], dtype=object)
    out[missing] = None
    return pd.Series(out, dtype=object)


def _offending_cells(
    con: duckdb.DuckDBPyConnection, values: pd.Series, *, birth_column: bool
) -> list[tuple[int, str, str]]:
    con.register("scan_values", pd.DataFrame({"v": values}))
    try:
        keep = "" if birth_column else f" AND regexp_matches(v, {sql_text(PREFILTER)})"
        distinct = [
            r[0]
            for r in con.execute(f"SELECT DISTINCT v FROM scan_values WHERE v IS NOT NULL{keep}").fetchall()
        ]
        if not distinct:
            return []
        nine = con.execute(
            f"SELECT count(DISTINCT v) FILTER (WHERE regexp_matches(v, {sql_text(NINE_DIGITS)})) "
            "FROM scan_values"
        ).fetchall()[0][0]
    finally:
        con.unregister("scan_values")
    bad = classify(distinct, birth_column=birth_column, nine_digit_values=nine)
    if not bad:
        return []
    positions = np.flatnonzero(values.isin(list(bad)).to_numpy())
    texts = values.to_numpy()[positions].tolist()
    return [(int(pos), bad[text], text) for pos, text in zip(positions.tolist(), texts, strict=True)]


NINE_DIGITS = r"^[0-9]{9}$"


def classify(
    distinct: Iterable[str], *, birth_column: bool = False, nine_digit_values: int = 0
) -> dict[str, str]:
    """value → kind for the distinct values of one column that are direct identifiers.

    ``nine_digit_values`` is how many distinct values of the column are plain 9-digit numbers. A column of
    9-digit record numbers passes the 11-check for about 1 in 11 values by chance: when it has at least
    20 such values and fewer than half pass, the passing plain numbers are chance, not BSNs (a real BSN
    column passes for every value). Other forms (in text, with separators or a prefix) always count.
    """
    bad: dict[str, str] = {}
    for text in distinct:
        kind = value_kind(text, birth_column=birth_column)
        if kind is not None:
            bad[text] = kind
    if birth_column or nine_digit_values < 20:
        return bad
    plain = [t for t, k in bad.items() if k == "bsn" and _PLAIN_NINE.fullmatch(t)]
    if len(plain) / nine_digit_values < 0.5:
        for t in plain:
            del bad[t]
    return bad


_PLAIN_NINE = re.compile(r"[0-9]{9}")
