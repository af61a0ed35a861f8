"""Descriptor fields that the schema cannot check: delimiter, encoding, patterns that run in linear time."""

from __future__ import annotations

from pathlib import Path

import pytest

from zicht.errors import InputError
from zicht.mappings.descriptor import load_descriptor

FIXTURE = (
    Path(__file__).resolve().parents[2] / "fixtures" / "mappings" / "good_basic" / "wmo-test.source.yaml"
)


def _with(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "wmo-test.source.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('delimiter: ";"', 'delimiter: ";;"', "delimiter must be one character"),
        ('delimiter: ";"', "delimiter: '\"'", "delimiter must be one character"),
        ("encoding: utf-8", "encoding: klingon-8", "unknown encoding"),
        ('pattern: "^[0-9a-f]{64}$"', 'pattern: "^(a+)+$"', "nests a repetition"),
        ('pattern: "^[0-9a-f]{64}$"', 'pattern: "^(a|aa)*$"', "nests a repetition"),
        ('pattern: "^[0-9a-f]{64}$"', 'pattern: "^([a-z]+)*$"', "nests a repetition"),
        ('pattern: "^[0-9a-f]{64}$"', 'pattern: "^[0-9a-f"', "not a valid regular expression"),
        ('pattern: "^[0-9a-f]{64}$"', 'pattern: "(?P<x>a)(?P=x)"', "back-reference"),
        ('pattern: "^[0-9a-f]{64}$"', 'pattern: "' + "a" * 600 + '"', "longer than"),
    ],
)
def test_descriptors_that_cannot_be_read_safely_are_refused(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(InputError, match=message) as caught:
        load_descriptor(_with(tmp_path, old, new))
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "pattern", ["^(GM[0-9]{4})$", "^([0-9]{4}(-|/))*$", "^(ab|ac)+$", "^(NL01|GM[0-9]{4})$"]
)
def test_ordinary_patterns_pass(tmp_path: Path, pattern: str) -> None:
    load_descriptor(_with(tmp_path, 'pattern: "^[0-9a-f]{64}$"', f'pattern: "{pattern}"'))
