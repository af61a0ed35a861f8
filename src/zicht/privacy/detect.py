"""Detecting direct identifiers in cells and column names, without ever echoing them in full.

A table can be large (a national extract has millions of rows), so each column is reduced to its distinct
values first and a cheap RE2 prefilter (pyarrow) picks candidates; only those are confirmed in Python.
Detection is deliberately conservative about *what* it reports (masked values only) and generous about
*whether* it reports: a false alarm costs a steward a look, a missed BSN costs a data breach.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

KINDS = ("bsn", "email", "phone", "street_address", "name", "date_of_birth")

_DESCRIPTIONS = {
    "bsn": "a BSN (9 digits passing the 11-check)",
    "email": "an e-mail address",
    "phone": "a phone number",
    "street_address": "a street address",
    "name": "a person's name",
    "date_of_birth": "a full date of birth",
}


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
    """Keep at most a third (and at most 4 characters) of a value; star the rest."""
    text = str(text)
    keep = min(4, len(text) // 3)
    return text[:keep] + "*" * (len(text) - keep)


def is_bsn(text: object) -> bool:
    """True for 9 digits (dots, spaces or hyphens between groups allowed) that pass the BSN 11-check."""
    if not isinstance(text, str):
        if isinstance(text, int) and not isinstance(text, bool):
            text = f"{text:09d}" if 0 <= text < 10**9 else str(text)
        else:
            return False
    digits = _SEPARATORS.sub("", text.strip())
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit() or len(text.strip()) > 11:
        return False
    if digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


_SEPARATORS = re.compile(r"[.\s-]")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Dutch numbers: 0 + 9 digits, +31/0031 + 9 digits; separators between groups allowed.
_PHONE = re.compile(r"(?<![0-9])(?:\+31|0031|0)[\s-]?(?:\(0\)[\s-]?)?[1-9](?:[\s-]?[0-9]){8}(?![0-9])")
_STREET_SUFFIX = (
    "straat|str\\.|laan|weg|plein|gracht|kade|singel|dijk|pad|steeg|hof|dreef|markt|park|erf|veld|esch|"
    "boulevard|allee|kamp|wal|zijde|street|road|avenue|lane"
)
_STREET = re.compile(
    rf"\b[A-Za-zÀ-ÿ'.-]*(?:{_STREET_SUFFIX})\s+[0-9]{{1,5}}(?:\s?[A-Za-z]{{1,2}}\b|[-/][0-9]{{1,4}})?",
    re.IGNORECASE,
)
_POSTCODE_WITH_NUMBER = re.compile(r"\b[1-9][0-9]{3}\s?[A-Z]{2}\b.*\b[0-9]{1,5}\b|\b[0-9]{1,5}[A-Za-z]?,?\s+[1-9][0-9]{3}\s?[A-Z]{2}\b")
_FULL_DATE = re.compile(
    r"^\s*(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}|[0-9]{8})(?:[T ][0-9:.]+)?\s*$"
)
_BSN_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{3}[.\s-]?[0-9]{2,3}[.\s-]?[0-9]{3,4}(?![0-9])")

# RE2 prefilters (pyarrow): supersets of what the Python patterns above confirm.
_PREFILTER = r"@|\s|^[0-9]{3}[.-]?[0-9]{2,3}[.-]?[0-9]{3,4}$|^[+0(][0-9()+-]{8,}$"

_NAME_COLUMNS = re.compile(
    r"^(naam|namen|voornaam|voornamen|achternaam|geslachtsnaam|roepnaam|voorletters|tussenvoegsel|"
    r"(full|first|last|given|family|sur|middle|person|client|cliënt|patient)_?names?|names?|surname)$"
)
_ADDRESS_COLUMNS = re.compile(r"^(adres|address|straat|straatnaam|street|huisnummer|house_?number|woonadres)$")
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

    A cell without inner whitespace is an identifier only as a whole (so that a hex pseudonym with a run of
    digits is not a phone number); free text is searched.
    """
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
    if free_text and any(is_bsn(m.group(0)) for m in _BSN_IN_TEXT.finditer(text)):
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
    for column in frame.columns:
        named = column_name_kind(str(column))
        values = _as_strings(frame[column])
        if named is not None and pc.count(values).as_py() > 0:
            findings.append(PrivacyFinding(file, None, str(column), named, ""))
        birth = named == "date_of_birth" or roles.get(str(column)) == "birth_year"
        for position, kind, text in _offending_cells(values, birth_column=birth):
            findings.append(PrivacyFinding(file, first_row + position, str(column), kind, mask(text)))
    return sorted(findings, key=lambda f: (f.file, f.row or 0, f.column, f.kind))


def _as_strings(series: pd.Series) -> pa.Array:
    if series.dtype == object:
        series = series.map(lambda v: v if v is None or isinstance(v, str) else str(v), na_action="ignore")
    array = pa.array(series, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        array = pc.cast(array, pa.string())
    return array


def _offending_cells(values: pa.Array, *, birth_column: bool) -> list[tuple[int, str, str]]:
    distinct = pc.unique(pc.drop_null(values))
    if len(distinct) == 0:
        return []
    if not birth_column:
        distinct = pc.filter(distinct, pc.match_substring_regex(distinct, _PREFILTER))
    bad: dict[str, str] = {}
    for text in distinct.to_pylist():
        kind = value_kind(text, birth_column=birth_column)
        if kind is not None:
            bad[text] = kind
    if not bad:
        return []
    if "bsn" in bad.values() and not birth_column:
        bad = _drop_chance_bsn(values, bad)
    hit = pc.is_in(values, value_set=pa.array(list(bad), type=values.type))
    positions = pc.indices_nonzero(pc.fill_null(hit, False)).to_pylist()
    texts = pc.take(values, pa.array(positions, type=pa.int64())).to_pylist() if positions else []
    return [(pos, bad[text], text) for pos, text in zip(positions, texts)]


def _drop_chance_bsn(values: pa.Array, bad: dict[str, str]) -> dict[str, str]:
    # A column of 9-digit numeric record ids passes the 11-check for about 1 in 11 values by chance.
    # When such a column has many 9-digit values and most of them fail the check, the passing ones are
    # chance, not BSNs; a real BSN column passes for every value.
    nine = pc.match_substring_regex(pc.unique(pc.drop_null(values)), r"^[0-9]{9}$")
    n_nine = pc.sum(nine).as_py() or 0
    n_pass = sum(1 for kind in bad.values() if kind == "bsn")
    if n_nine >= 20 and n_pass / n_nine < 0.5:
        return {text: kind for text, kind in bad.items() if kind != "bsn"}
    return bad
