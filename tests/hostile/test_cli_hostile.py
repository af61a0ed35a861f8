"""About fifty bad inputs a clumsy steward or a hostile user gives the `zicht` command (issue #12): each
one gets a one-line error naming file, row, column or field and the rule, a documented exit code (1 for
findings, 2 for input that cannot be read), never exit 70, never a traceback, never an identifier echoed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.hostile.cli import assert_clean_refusal, run_zicht
from zicht import paths

VALIDATE = Path(__file__).resolve().parents[1] / "fixtures" / "validate"
SEED = sorted(paths.registry_dir().glob("*.yaml"))[0]

# --- registry check ---------------------------------------------------------------------------------

REGISTRY_CASES: dict[str, Callable[[str], str | bytes]] = {
    "reference_period_number": lambda t: t.replace("reference_period:", "reference_period: 12\nx_old_rp:", 1),
    "created_not_a_day": lambda t: t + "\nextra_created: 2024-02-30\n",
    "criteria_text": lambda t: t.replace("criteria:", "criteria: x\nold_criteria:", 1),
    "recursive_alias": lambda t: t + "\nloop: &a [*a]\n",
    "billion_laughs": lambda t: (
        t
        + "\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(
            f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=False)
        )
    ),
    "duplicate_key": lambda t: t + "\ntitle: again\n",
    "twenty_thousand_unknown_keys": lambda t: (
        t + "".join(f"\nunknown_{i}: {i}" for i in range(20_000)) + "\n"
    ),
    "python_tag": lambda t: t + "\nboom: !!python/object/apply:os.system [echo]\n",
    "lone_surrogate": lambda t: t + '\nnote: "\\ud800"\n',
    "nul_escape": lambda t: t + '\nnote: "a\\0b"\n',
    "deep_nesting": lambda t: t + "\ndeep: " + "[" * 5000 + "]" * 5000 + "\n",
    "huge_version": lambda t: (
        "\n".join(
            "version: 99999999999999999999.0.0" if line.startswith("version:") else line
            for line in t.splitlines()
        )
        + "\n"
    ),
    "bsn_in_description": lambda t: t.replace(
        "description:", "description: 'client 111 222 333'\nold_description:", 1
    ),
    "top_level_list": lambda t: "- a\n- b\n",
    "empty": lambda t: "",
    "utf16": lambda t: t.encode("utf-16"),
    "binary": lambda t: bytes(range(256)) * 20,
    "tab_indent": lambda t: t + "\nx:\n\ty: 1\n",
}


def _registry(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    root.mkdir()
    shutil.copy(SEED, root / SEED.name)
    return root


@pytest.mark.parametrize("case", sorted(REGISTRY_CASES))
def test_registry_check_on_a_broken_file(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _registry(tmp_path)
    target = root / SEED.name
    content = REGISTRY_CASES[case](target.read_text(encoding="utf-8"))
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    run = run_zicht("registry", "check", "--registry", str(root), monkeypatch=monkeypatch)
    assert_clean_refusal(run, secrets=("111 222 333", "111222333"))
    assert SEED.name in run.text


@pytest.mark.parametrize("case", ["symlink_loop", "folder_named_yaml", "dangling_link", "unreadable_name"])
def test_registry_check_on_odd_entries(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _registry(tmp_path)
    if case == "symlink_loop":
        (root / "loop.yaml").symlink_to(root / "loop.yaml")
    elif case == "folder_named_yaml":
        (root / "folder.yaml").mkdir()
    elif case == "dangling_link":
        (root / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    else:
        (root / "na\udcffme.yaml".encode("utf-8", "surrogateescape").decode("utf-8", "replace")).write_text(
            "id: x\n"
        )
    run = run_zicht("registry", "check", "--registry", str(root), monkeypatch=monkeypatch)
    assert_clean_refusal(run, allowed=(0, 1, 2))


# --- mappings check ---------------------------------------------------------------------------------


def _mapping(tmp_path: Path) -> Path:
    folder = tmp_path / "maps"
    folder.mkdir()
    for p in paths.mappings_dir().glob("wmo-almelo.*"):
        shutil.copy(p, folder / p.name)
    return folder / "wmo-almelo.sssom.tsv"


def _last_cell(text: str, value: str) -> str:
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    cells = lines[header + 1].split("\t")
    cells[-1] = value
    lines[header + 1] = "\t".join(cells)
    return "\n".join(lines) + "\n"


MAPPING_CASES: dict[str, Callable[[str], str | bytes]] = {
    "very_long_field": lambda t: _last_cell(t, "x" * 300_000),
    "deeply_nested_header": lambda t: "#deep: " + "[" * 3000 + "]" * 3000 + "\n" + t,
    "billion_laughs_header": lambda t: "#a: &a [lol, lol, lol, lol]\n#b: &b [*a, *a, *a, *a]\n" + t,
    "duplicate_header_key": lambda t: "#license: x\n#license: y\n" + t,
    "bsn_in_comment": lambda t: _last_cell(t, "client 111 222 333 belde"),
    "email_in_comment": lambda t: _last_cell(t, "mail jan.devries@example.nl"),
    "nul_in_cell": lambda t: _last_cell(t, "a\x00b"),
    "utf16": lambda t: t.encode("utf-16"),
    "binary": lambda t: bytes(range(256)) * 20,
    "empty": lambda t: "",
    "metadata_only": lambda t: "".join(line + "\n" for line in t.splitlines() if line.startswith("#")),
    "cr_only": lambda t: t.replace("\n", "\r"),
}


@pytest.mark.parametrize("case", sorted(MAPPING_CASES))
def test_mappings_check_on_a_broken_file(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = _mapping(tmp_path)
    content = MAPPING_CASES[case](target.read_text(encoding="utf-8"))
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    run = run_zicht("mappings", "check", str(target), monkeypatch=monkeypatch)
    # CR-only line ends are read as lines (0 is fine there); every other case is a finding or refusal.
    assert_clean_refusal(
        run, allowed=(0, 1, 2) if case == "cr_only" else (1, 2), secrets=("111 222 333", "jan.devries")
    )
    assert len(run.text) < 100_000  # a huge field is not echoed back


# --- validate ---------------------------------------------------------------------------------------


def _descriptor(tmp_path: Path, old: str = "", new: str = "") -> Path:
    text = (VALIDATE / "testbron.source.yaml").read_text(encoding="utf-8")
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "testbron.source.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.copy(VALIDATE / "testbron.codes.csv", tmp_path / "testbron.codes.csv")
    return path


def _clean_lines() -> list[str]:
    return (VALIDATE / "clean.csv").read_text(encoding="utf-8").splitlines()


def _parquet(tmp_path: Path, kind: str) -> Path:
    header = _clean_lines()[0]
    delimiter = ";" if ";" in header else ","
    names = header.split(delimiter)
    n = 2
    columns: dict[str, pa.Array] = {name: pa.array(["x"] * n) for name in names}
    first = names[0]
    if kind == "list":
        columns[first] = pa.array([["a", "b"], ["c"]])
    elif kind == "binary":
        columns[first] = pa.array([b"\x00\xff", b"\x01"], type=pa.binary())
    elif kind == "struct":
        columns[first] = pa.array([{"a": 1}, {"a": 2}])
    elif kind == "map":
        columns[first] = pa.array([[("k", 1)], [("k", 2)]], type=pa.map_(pa.string(), pa.int64()))
    path = tmp_path / f"{kind}.parquet"
    pq.write_table(pa.table(columns), path)
    return path


def _csv(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _validate_files(tmp_path: Path) -> dict[str, Path]:
    lines = _clean_lines()
    header = lines[0]
    delimiter = ";" if ";" in header else ","
    first = header.split(delimiter)[0]
    body = "\n".join(lines) + "\n"
    return {
        "parquet_list_column": _parquet(tmp_path, "list"),
        "parquet_binary_column": _parquet(tmp_path, "binary"),
        "parquet_struct_column": _parquet(tmp_path, "struct"),
        "parquet_map_column": _parquet(tmp_path, "map"),
        "not_parquet": _csv(tmp_path, "fake.parquet", b"PAR1 not really"),
        "utf16": _csv(tmp_path, "utf16.csv", body.encode("utf-16")),
        "empty": _csv(tmp_path, "empty.csv", b""),
        "cr_only": _csv(tmp_path, "cr.csv", body.replace("\n", "\r").encode()),
        "duplicated_header": _csv(tmp_path, "dup.csv", (header + delimiter + first + "\n").encode()),
        "field_over_131072": _csv(tmp_path, "long.csv", (header + "\n" + "y" * 200_000 + "\n").encode()),
        "nul_bytes": _csv(tmp_path, "nul.csv", (header + "\n\x00\x00\x00\n").encode()),
        "binary": _csv(tmp_path, "bin.csv", bytes(range(256)) * 40),
        "folder": tmp_path,
        "missing": tmp_path / "does-not-exist.csv",
    }


VALIDATE_FILE_CASES = [
    "parquet_list_column",
    "parquet_binary_column",
    "parquet_struct_column",
    "parquet_map_column",
    "not_parquet",
    "utf16",
    "empty",
    "cr_only",
    "duplicated_header",
    "field_over_131072",
    "nul_bytes",
    "binary",
    "folder",
    "missing",
]


@pytest.mark.parametrize("case", VALIDATE_FILE_CASES)
def test_validate_on_a_broken_extract(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    descriptor = _descriptor(tmp_path / "d" if (tmp_path / "d").mkdir() is None else tmp_path)
    target = _validate_files(tmp_path)[case]
    run = run_zicht("validate", str(target), "--source", str(descriptor), monkeypatch=monkeypatch)
    assert_clean_refusal(run, allowed=(0, 1, 2))


DESCRIPTOR_CASES = {
    "bad_regex": ("pattern:", "pattern: '^[0-9'\n    old_pattern:"),
    "catastrophic_regex": ("pattern:", "pattern: '^(a+)+$'\n    old_pattern:"),
    "multi_character_delimiter": ("delimiter:", "delimiter: ';;'\nold_delimiter:"),
    "unknown_encoding": ("encoding:", "encoding: klingon\nold_encoding:"),
    "duplicate_key": ("id:", "id: a\nid:"),
}


@pytest.mark.parametrize("case", sorted(DESCRIPTOR_CASES))
def test_validate_with_a_broken_descriptor(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = DESCRIPTOR_CASES[case]
    text = (VALIDATE / "testbron.source.yaml").read_text(encoding="utf-8")
    if old not in text:
        pytest.fail(f"fixture descriptor has no {old!r}")
    descriptor = _descriptor(tmp_path, old, new)
    extract = _csv(tmp_path, "x.csv", ("\n".join(_clean_lines()) + "\n" + "a" * 5000 + "b\n").encode())
    run = run_zicht("validate", str(extract), "--source", str(descriptor), monkeypatch=monkeypatch)
    assert_clean_refusal(run, allowed=(2,))
    assert "testbron.source.yaml" in run.err


@pytest.mark.parametrize("fmt", ["text", "json", "ttl", "html"])
def test_validate_reports_never_echo_identifiers(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.unit.privacy.test_detect import EXPORT_FORMS

    descriptor = _descriptor(tmp_path)
    lines = _clean_lines()
    header = lines[0]
    delimiter = ";" if ";" in header else ","
    n = len(header.split(delimiter))
    rows = [delimiter.join([form] * n) for form in EXPORT_FORMS]
    extract = _csv(tmp_path, "ids.csv", ("\n".join([header, *rows]) + "\n").encode())
    run = run_zicht(
        "validate", str(extract), "--source", str(descriptor), "--format", fmt, monkeypatch=monkeypatch
    )
    assert_clean_refusal(run, allowed=(1,), secrets=tuple(EXPORT_FORMS))


# --- synth, harmonise, compare, pseudonymise, keys --------------------------------------------------


def test_synth_out_at_an_existing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me")
    run = run_zicht("synth", "--out", str(target), "--gemeente", "GM0153", "--quiet", monkeypatch=monkeypatch)
    assert_clean_refusal(run, allowed=(2,))
    assert target.read_text() == "keep me"


@pytest.mark.parametrize(
    "args", [["--gemeente", "GM9999"], ["--gemeente", "111222333"], ["--region", "mars"]]
)
def test_synth_bad_options(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = run_zicht("synth", "--out", str(tmp_path / "o"), *args, "--quiet", monkeypatch=monkeypatch)
    assert_clean_refusal(run, allowed=(2,), secrets=("111222333",))


def test_harmonise_out_path_with_a_quote(delivery, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inp, maps = delivery
    out = tmp_path / "it's here; DROP TABLE x; --"
    run = run_zicht(
        "harmonise",
        "--in",
        str(inp),
        "--out",
        str(out),
        "--mappings",
        str(maps),
        "--quiet",
        monkeypatch=monkeypatch,
    )
    assert run.code == 0, run.text[-2000:]
    assert (out / "zicht.duckdb").is_file() and (out / "parquet" / "event.parquet").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["--memory-limit", "3GB'; SELECT 1; --"],
        ["--memory-limit", "lots"],
        ["--bsn", "ignore"],
    ],
)
def test_harmonise_bad_options(
    args: list[str], delivery, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inp, maps = delivery
    run = run_zicht(
        "harmonise",
        "--in",
        str(inp),
        "--out",
        str(tmp_path / "s"),
        "--mappings",
        str(maps),
        "--quiet",
        *args,
        monkeypatch=monkeypatch,
    )
    assert_clean_refusal(run, allowed=(2,))


@pytest.mark.parametrize("where", ["missing", "file", "empty_folder"])
def test_harmonise_bad_input_folder(where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = {"missing": tmp_path / "nope", "file": tmp_path / "f", "empty_folder": tmp_path / "e"}[where]
    if where == "file":
        target.write_text("x")
    if where == "empty_folder":
        (target / "extracts").mkdir(parents=True)
    run = run_zicht(
        "harmonise", "--in", str(target), "--out", str(tmp_path / "s"), "--quiet", monkeypatch=monkeypatch
    )
    assert_clean_refusal(run, allowed=(2,))


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2024-02-30", "24-1-1", "111222333"])
def test_compare_bad_dates(date: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = run_zicht(
        "compare",
        "--store",
        str(tmp_path),
        "--definitions",
        "e33-12m",
        "--date",
        date,
        monkeypatch=monkeypatch,
    )
    assert_clean_refusal(run, allowed=(2,), secrets=("111222333",))


def test_compare_store_that_is_not_a_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "zicht.duckdb").write_bytes(b"not a database")
    run = run_zicht(
        "compare",
        "--store",
        str(tmp_path),
        "--definitions",
        "e33-12m",
        "--date",
        "2024-12-31",
        monkeypatch=monkeypatch,
    )
    assert_clean_refusal(run, allowed=(2,))


@pytest.mark.parametrize("case", ["quote_in_out", "missing_column", "bsn_elsewhere", "utf16", "empty"])
def test_pseudonymise_inputs(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZICHT_TEST_KEY", "k" * 32)
    src = tmp_path / "in.csv"
    content = {
        "quote_in_out": b"id,x\n000123,1\n",
        "missing_column": b"nr,x\n1,2\n",
        "bsn_elsewhere": b"id,x\n1,111.222.333\n",
        "utf16": "id,x\n1,2\n".encode("utf-16"),
        "empty": b"",
    }[case]
    src.write_bytes(content)
    out = tmp_path / ("it's.csv" if case == "quote_in_out" else "out.csv")
    run = run_zicht(
        "pseudonymise",
        str(src),
        "--out",
        str(out),
        "--column",
        "id",
        "--key-env",
        "ZICHT_TEST_KEY",
        monkeypatch=monkeypatch,
    )
    if case == "quote_in_out":
        assert run.code == 0 and out.is_file(), run.text
    else:
        assert_clean_refusal(run, secrets=("111.222.333",))
        assert not out.exists()


@pytest.mark.parametrize("lab", ["111222333", "jan.devries@example.nl", "x" * 1000, "a\x00b"])
def test_keys_refuse_identifier_lab_names(lab: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = run_zicht(
        "keys",
        "create",
        "--role",
        "fieldlab",
        "--lab",
        lab,
        "--db",
        f"sqlite:///{tmp_path / 'k.db'}",
        monkeypatch=monkeypatch,
    )
    assert_clean_refusal(run, allowed=(2,), secrets=("111222333", "jan.devries"))
