"""The strict, bounded YAML reader every zicht YAML file goes through."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml

from zicht import paths, yamlio


def _error(text: str | bytes, limits: yamlio.Limits = yamlio.DEFAULT_LIMITS) -> yamlio.YamlError:
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load(text, name="f.yaml", limits=limits)
    return caught.value


def test_reads_what_safe_load_reads_for_every_committed_file():
    files = sorted(paths.registry_dir().rglob("*.yaml")) + sorted(paths.mappings_dir().glob("*.yaml"))
    assert files
    for path in files:
        assert yamlio.load_file(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path


def test_positions_of_keys_and_items():
    doc = yamlio.load_document(
        "id: x\ncriteria:\n  - concept: a\n    window: 12\n  - concept: b\n", name="d.yaml"
    )
    assert doc.data == {"id": "x", "criteria": [{"concept": "a", "window": 12}, {"concept": "b"}]}
    assert doc.position(("id",)) == (1, 1)
    assert doc.position(("criteria",)) == (2, 1)
    assert doc.position(("criteria", 0, "window")) == (4, 5)
    assert doc.position(("criteria", 1)) == (5, 5)
    # A path that does not exist points at its nearest ancestor.
    assert doc.where(("criteria", 1, "missing", 3)) == "d.yaml:5:5"
    assert doc.where(()) == "d.yaml:1:1"


def test_duplicate_keys_name_both_positions():
    err = _error("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert (
        str(err)
        == "f.yaml:4:3: duplicate-key: key 'c' appears twice in one mapping (first at line 3, column 3)"
    )
    assert (err.line, err.column, err.rule) == (4, 3, "duplicate-key")


@pytest.mark.parametrize(
    ("text", "rule", "line"),
    [
        ('a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n', "alias", 1),
        ("a: &a [*a]\n", "alias", 1),
        ("a: 1\nb: *nothing\n", "alias", 2),
        ("a: {x: 1}\nb:\n  <<: {y: 2}\n", "merge-key", 3),
        ("x: !!python/object/apply:os.system [ls]\n", "tag", 1),
        ("x: !!binary aGVsbG8=\n", "tag", 1),
        ("x: !!set {a, b}\n", "tag", 1),
        ("? [a, b]\n: 1\n", "key", 1),
        ("a: 1\n---\nb: 2\n", "documents", 2),
        ("created: 2024-02-30\n", "value", 1),
        ("n: " + "9" * 5000 + "\n", "value", 1),
        ('t: "a\\0b"\n', "character", 1),
        ('t: "a\\x07b"\n', "character", 1),
        ("a: [1, 2\nb: 3\n", "syntax", 2),
        ("a:\n\tb: 1\n", "syntax", 2),
        ("a: " + "[" * 80 + "]" * 80 + "\n", "depth", 1),
    ],
)
def test_refusals_carry_line_column_and_rule(text, rule, line):
    err = _error(text)
    assert err.rule == rule
    assert err.line == line
    assert str(err).startswith(f"f.yaml:{line}:")
    assert "\n" not in str(err)


def test_lone_surrogate_is_refused_whichever_parser():
    # libyaml refuses the escape itself; the pure-Python parser builds the surrogate, which the reader refuses.
    with pytest.raises(yamlio.YamlError):
        yamlio.load('t: "\\ud800"\n')
    doc = yamlio._Builder.__new__(yamlio._Builder)
    doc.__init__("", "f", yamlio.DEFAULT_LIMITS)
    event = yaml.ScalarEvent(None, None, (True, False), "a\ud800", yaml.Mark("f", 0, 0, 0, None, None), None)
    with pytest.raises(yamlio.YamlError, match="lone surrogate"):
        doc._scalar(event)


def test_bounds():
    small = yamlio.Limits(max_bytes=100, max_depth=3, max_mapping_keys=5, max_nodes=20, max_scalar_chars=10)
    assert _error("a: " + "x" * 200, small).rule == "size"
    assert _error(b"a: " + b"x" * 200, small).rule == "size"
    assert _error("a: {b: {c: {d: {e: 1}}}}", small).rule == "depth"
    assert _error("".join(f"k{i}: 1\n" for i in range(6)), small).rule == "size"
    assert _error("a: [" + ",".join("1" * 1 for _ in range(30)) + "]", small).rule == "size"
    assert _error("a: xxxxxxxxxxxxxxxxxxxx", small).rule == "size"


def test_twenty_thousand_unknown_keys_are_refused_early():
    text = "id: x\n" + "".join(f"unknown_{i}: {i}\n" for i in range(20_000))
    err = _error(text)
    assert err.rule == "size" and err.line == 2001  # the 2,001st key


def test_encoding_errors():
    assert _error("a: b".encode("utf-16")).rule == "encoding"
    err = _error(b"a: ok\nb: \xff\n")
    assert (err.rule, err.line, err.column) == ("encoding", 2, 4)
    assert yamlio.load("\ufeffa: 1\n".encode()) == {"a": 1}


def test_files(tmp_path: Path):
    assert _file_error(tmp_path / "missing.yaml") == "file"
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert _file_error(folder) == "file"
    loop = tmp_path / "loop.yaml"
    os.symlink(loop, loop)
    assert _file_error(loop) == "file"
    good = tmp_path / "good.yaml"
    good.write_text("created: 2024-02-29\n", encoding="utf-8")
    assert yamlio.load_file(good) == {"created": dt.date(2024, 2, 29)}
    # The API passes a neutral name: the server's path never appears in the message.
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load_file(folder, name="upload")
    assert str(tmp_path) not in str(caught.value)


def _file_error(path: Path) -> str:
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load_file(path)
    assert str(caught.value).startswith(str(path))
    return caught.value.rule
