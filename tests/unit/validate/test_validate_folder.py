"""`zicht validate DIR`: every extract in the folder, one report; the folder's descriptor when --source is absent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.hostile.cli import assert_clean_refusal, run_zicht

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "validate"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "testbron"
    folder.mkdir()
    for name in ("testbron.source.yaml", "testbron.codes.csv"):
        shutil.copy(FIXTURES / name, folder / name)
    shutil.copy(FIXTURES / "clean.csv", folder / "a.csv")
    shutil.copy(FIXTURES / "dirty.csv", folder / "b.csv")
    return folder


def test_a_folder_is_every_extract_in_it_in_one_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    whole = run_zicht("validate", str(folder), "--format", "json", monkeypatch=monkeypatch)
    files = run_zicht(
        "validate",
        str(folder / "a.csv"),
        str(folder / "b.csv"),
        "--source",
        str(folder / "testbron.source.yaml"),
        "--format",
        "json",
        monkeypatch=monkeypatch,
    )
    assert whole.code == files.code == 1, whole.text
    assert json.loads(whole.out) == json.loads(files.out)
    report = json.loads(whole.out)
    assert sorted(Path(f).name for f in report["files"]) == ["a.csv", "b.csv"]  # not the code list


def test_a_folder_without_extracts_or_with_two_descriptors_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    run = run_zicht("validate", str(empty), monkeypatch=monkeypatch)
    assert_clean_refusal(run, allowed=(2,))
    assert "no extracts" in run.err
    folder = _folder(tmp_path)
    shutil.copy(FIXTURES / "testbron.source.yaml", folder / "other.source.yaml")
    run = run_zicht("validate", str(folder), monkeypatch=monkeypatch)
    assert_clean_refusal(run, allowed=(2,))
    assert "--source" in run.err


def test_a_delivery_folder_stands_for_its_source_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)  # tmp_path/testbron, as extracts/<source>/ of a delivery
    descriptor = str(folder / "testbron.source.yaml")
    whole = run_zicht(
        "validate", str(tmp_path), "--source", descriptor, "--format", "json", monkeypatch=monkeypatch
    )
    inner = run_zicht(
        "validate", str(folder), "--source", descriptor, "--format", "json", monkeypatch=monkeypatch
    )
    assert whole.code == inner.code == 1 and json.loads(whole.out) == json.loads(inner.out)
    # without --source the error names the folders to choose from
    run = run_zicht("validate", str(tmp_path), monkeypatch=monkeypatch)
    assert_clean_refusal(run, allowed=(2,))
    assert "its folders: testbron" in run.err
