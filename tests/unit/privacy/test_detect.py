"""The privacy guard: BSN 11-check, identifier kinds, masking, and that values never leak in full."""

from __future__ import annotations

import random

import duckdb
import pandas as pd
import pytest

from zicht.privacy import column_name_kind, is_bsn, mask, redact, scan_frame, text_findings, value_kind
from zicht.privacy.detect import PREFILTER


def _bsn_weighted_sum(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1], strict=False))


@pytest.mark.parametrize("text", ["111222333", "123456782", "123.456.782", "123 456 782", "999999990"])
def test_known_bsns_pass(text: str) -> None:
    assert is_bsn(text)


@pytest.mark.parametrize(
    "text",
    [
        "123456789",
        "000000000",
        "12345678",
        "1234567820",
        "12345678a",
        "",
        "２３４５６７８９０",
        "1-2-3-4-5-6-7-8-2",
    ],
)
def test_non_bsns_fail(text: str) -> None:
    assert not is_bsn(text)


def test_is_bsn_agrees_with_the_definition_on_random_numbers() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        digits = f"{rng.randrange(1, 10**9):09d}"
        assert is_bsn(digits) == (_bsn_weighted_sum(digits) % 11 == 0)


def test_mask_shows_nothing_of_the_value() -> None:
    assert mask("123456782") == "*********"
    assert mask("ab") == "**"
    assert mask("jan.devries@example.nl") == "*" * 20


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jan.devries@example.nl", "email"),
        ("06-12345678", "phone"),
        ("+31 6 12345678", "phone"),
        ("053 1234567", "phone"),
        ("Hengelosestraat 12a", "street_address"),
        ("woont op de Oldenzaalsestraat 140, Enschede", "street_address"),
        ("Markt 1, 7511 AB Enschede", "street_address"),
        ("client met bsn 123456782 gebeld", "bsn"),
    ],
)
def test_value_kinds(text: str, kind: str) -> None:
    assert value_kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "GM0153",
        "WK015301",
        "2024-01-05",
        "a3f09c1e5d2b7a4c",
        "a0612345678bcdef",
        "E33",
        "12.5",
        "K10 score 31",
    ],
)
def test_ordinary_values_are_not_identifiers(text: str) -> None:
    assert value_kind(text) is None


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Achternaam", "name"),
        ("voornaam", "name"),
        ("BSN", "bsn"),
        ("e-mail", "email"),
        ("geboortedatum", "date_of_birth"),
        ("telefoonnummer", "phone"),
        ("adres", "street_address"),
        ("person_key", None),
        ("source_code", None),
    ],
)
def test_column_names(name: str, kind: str | None) -> None:
    assert column_name_kind(name) == kind


def test_scan_frame_reports_cells_and_columns_masked() -> None:
    frame = pd.DataFrame(
        {
            "person_key": ["a3f09c1e5d2b7a4c", "123456782", None],
            "geboortejaar": ["1980", "1980-02-03", "1975"],
            "naam": ["x", "y", "z"],
            "opmerking": ["", "mail jan@example.nl", "rustig"],
        }
    )
    findings = scan_frame(frame, file="wmo.csv", roles={"geboortejaar": "birth_year"})
    got = {(f.row, f.column, f.kind, f.masked) for f in findings}
    assert got == {
        (2, "person_key", "bsn", "*********"),
        (2, "geboortejaar", "date_of_birth", "**********"),
        (None, "naam", "name", ""),
        (2, "opmerking", "email", "*******************"),
    }
    for finding in findings:
        assert finding.file == "wmo.csv"
        for secret in ("123456782", "1980-02-03", "jan@example.nl"):
            assert secret not in finding.message


def test_first_row_offsets_row_numbers() -> None:
    findings = scan_frame(pd.DataFrame({"k": ["x", "123456782"]}), file="f", first_row=101)
    assert [(f.row, f.kind) for f in findings] == [(102, "bsn")]


def test_chance_passes_in_a_numeric_id_column_are_not_bsns() -> None:
    rng = random.Random(3)
    ids = [f"{rng.randrange(10**8, 10**9)}" for _ in range(500)]
    assert 10 < sum(is_bsn(i) for i in ids) < 100  # about 1 in 11 pass by chance
    assert scan_frame(pd.DataFrame({"record_id": ids}), file="f") == []


def test_a_few_bsns_among_pseudonyms_are_all_found() -> None:
    keys = [f"{i:016x}" for i in range(1000)]
    keys[10], keys[500] = "111222333", "123456782"
    findings = scan_frame(pd.DataFrame({"person_key": keys}), file="f")
    assert [(f.row, f.kind) for f in findings] == [(11, "bsn"), (501, "bsn")]


def test_non_string_columns_are_scanned() -> None:
    findings = scan_frame(pd.DataFrame({"nr": [123456782, 5]}), file="f")
    assert [(f.row, f.kind) for f in findings] == [(1, "bsn")]


# The forms real exports give a BSN (issue #12): separators, prefixes, numeric notations, Unicode.
EXPORT_FORMS = [
    "111.222.333",
    "111 222 333",
    "111\u00a0222\u00a0333",
    "111\u202f222\u202f333",
    "111\u2009222\u2009333",
    "１１１２２２３３３",
    "١١١٢٢٢٣٣٣",
    "१११२२२३३३",
    "123/456/782",
    "123_456_782",
    "123-456-782",
    "NL123456782",
    "nl 123456782",
    "BSN:123456782",
    "bsn 123.456.782",
    "123456782.0",
    "123456782,00",
    "1.23456782e+08",
    "1.23456782E8",
    "1.2345672e+07",  # 012345672 exported as a number loses its leading zero
    "111\u200b222\u200b333",
    "1234.56.782",
]


@pytest.mark.parametrize("text", EXPORT_FORMS)
def test_every_export_form_of_a_bsn_is_found(text: str) -> None:
    assert is_bsn(text)
    assert value_kind(text) == "bsn"
    assert [f.kind for f in text_findings(f"client {text} kwam langs")] == ["bsn"]
    findings = scan_frame(pd.DataFrame({"k": ["a3f09c1e5d2b7a4c", text]}), file="f")
    assert [(f.row, f.kind) for f in findings] == [(2, "bsn")]


@pytest.mark.parametrize(
    "text",
    [
        "123456789",
        "1.23456789e+08",
        "12345672",
        "2024-01-05",
        "0.5",
        "1.50",
        "000123",
        "1e5",
        "GM0153",
        "WK015301",
        "a3f09c1e5d2b7a4c",
    ],
)
def test_near_forms_that_are_not_bsns(text: str) -> None:
    assert not is_bsn(text)
    assert value_kind(text) is None


def test_text_findings_give_positions_in_the_original_text() -> None:
    text = "Client\u00a0111\u00a0222\u00a0333 mailde jan@example.nl, tel 06-12345678, woont Markt 1"
    found = text_findings(text)
    assert [f.kind for f in found] == ["bsn", "email", "phone", "street_address"]
    assert text[found[0].start : found[0].end] == "111\u00a0222\u00a0333"
    assert text[found[1].start : found[1].end] == "jan@example.nl"
    assert found[0].describe("text") == "text: character 8: looks like a BSN (9 digits passing the 11-check)"


def test_redact_replaces_identifiers_only() -> None:
    assert redact("no definition '111222333'") == "no definition '[withheld: bsn]'"
    assert redact("x 1.23456782e+08.") == "x [withheld: bsn]"
    assert (
        redact("no definition 'ggz-kwetsbaar' version 1.2.0") == "no definition 'ggz-kwetsbaar' version 1.2.0"
    )


@pytest.mark.parametrize("text", ["123456782\x0b", "\x1c123456782", "12345678\x0b2"])
def test_the_prefilter_passes_bsns_with_whitespace_that_re2_does_not_call_whitespace(text: str) -> None:
    # Python strips \v and \x1c-\x1f as whitespace, RE2's \s does not: the prefilter names them itself.
    assert value_kind(text) is not None
    assert duckdb.execute("SELECT regexp_matches(?, ?)", [text, PREFILTER]).fetchone() == (True,)


@pytest.mark.parametrize(
    "text", ["Z0014-0000001", "a3f09c1e5d2b7a4c", "2024-01-05", "3358", "GM0153", "SF30"]
)
def test_the_prefilter_drops_record_ids_pseudonyms_dates_and_codes(text: str) -> None:
    assert duckdb.execute("SELECT regexp_matches(?, ?)", [text, PREFILTER]).fetchone() == (False,)
