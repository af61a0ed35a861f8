"""Region codes: synthetic buurt codes can never be CBS codes, checked against every real code shipped."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from zicht import paths
from zicht.regions import buurten, codes, regions

CBS_CODE = re.compile(r"^(NL[0-9]{2}|[A-Z]{2}[0-9]{2,4}[0-9A-Z]{0,4})$")
CODE_TOKEN = re.compile(r"\b(?:NL|GM|WK|BU|CR)[0-9A-Z]{2,10}\b")


def _shared_data() -> Path | None:
    # The real public files next to the checkout (/work/shared/data here; CI gets a copy beside its clone).
    for base in (paths.project_root().parent, paths.project_root().parent.parent):
        candidate = base / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


def _real_files() -> list[Path]:
    package = Path(str(resources.files("zicht.data").joinpath("nl_gemeenten.csv"))).parent
    files = sorted(
        p for p in package.iterdir() if p.suffix in (".csv", ".geojson") and "benadering" not in p.name
    )
    shared = _shared_data()
    if shared is not None:
        files += sorted(p for p in shared.iterdir() if p.suffix in (".csv", ".geojson"))
    return files


def _codes_in(path: Path) -> Iterator[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".geojson":
        for feature in json.loads(text)["features"]:
            props = feature["properties"]
            for key in ("code", "statcode", "gemeente_code"):
                if props.get(key):
                    yield str(props[key]).strip()
        return
    for row in csv.DictReader(text.splitlines()):
        for key, value in row.items():
            if (
                key
                and value
                and key.lower() in ("gemeente_code", "wijk_code", "codering_3", "wijkenenbuurten")
            ):
                yield value.strip()


REAL_FILES = _real_files()


@pytest.fixture(scope="module")
def real_codes() -> set[str]:
    found: set[str] = set()
    for path in REAL_FILES:
        found |= set(_codes_in(path))
    return found


def test_real_files_are_found_and_hold_every_level(real_codes: set[str]) -> None:
    names = {p.name for p in REAL_FILES}
    assert {"nl_gemeenten.csv", "nl_wijken.csv", "twente_gezondheid_wijk_buurt_2020.csv"} <= names
    levels = {codes.cbs_level(c) for c in real_codes}
    assert {"land", "gemeente", "wijk", "buurt"} <= levels
    assert sum(1 for c in real_codes if c.startswith("BU")) >= 500  # the 2020 buurten of Twente


def test_every_real_code_is_a_cbs_code_and_none_is_synthetic(real_codes: set[str]) -> None:
    assert [c for c in sorted(real_codes) if not codes.is_cbs(c)] == []
    assert [c for c in sorted(real_codes) if codes.is_synthetic(c)] == []


def test_no_synthetic_code_equals_a_real_code(real_codes: set[str]) -> None:
    synthetic = set(buurten()["buurt_code"])
    assert len(synthetic) == len(buurten()) > 10_000
    assert synthetic.isdisjoint(real_codes)
    # ... and none has the form of a CBS code, so no future CBS file can collide either.
    assert all(codes.is_synthetic(c) and not codes.is_cbs(c) and not CBS_CODE.match(c) for c in synthetic)
    # The 2020 Almelo buurt that the indicators used to label with a synthetic name.
    assert "BU01411001" in real_codes and "BU01411001" not in synthetic


def test_synthetic_codes_keep_level_and_nesting_readable() -> None:
    b = buurten()
    assert (b["buurt_code"].str[2:8] == b["wijk_code"].str[2:]).all()
    assert (b["buurt_code"].str.len() == 11).all()
    assert {codes.level_of(c) for c in b["buurt_code"]} == {"buurt"}
    assert codes.synthetic_buurt_code("WK0363AA", 3) == "BU0363AAS03"
    with pytest.raises(ValueError):
        codes.synthetic_buurt_code("BU01410101", 1)


def test_only_buurten_are_synthetic_and_every_catalogue_code_has_the_model_pattern() -> None:
    reg = regions()
    pattern = re.compile(codes.region_code_pattern())
    assert reg["id"].map(lambda c: bool(pattern.match(c))).all()
    assert (reg["synthetic"] == reg["id"].map(codes.is_synthetic)).all()
    assert (reg.loc[~reg["synthetic"], "id"].map(codes.is_cbs)).all()


def test_twente_is_the_corop_region_of_its_14_gemeenten() -> None:
    reg = regions().set_index("id")
    assert codes.TWENTE_CODE == "CR12" and reg.loc["CR12", "level"] == "regio"
    assert codes.cbs_level("CR12") == "regio"
    assert (reg["parent"] == "CR12").sum() == 14
    assert codes.canonical("RGTWENTE") == "CR12" and codes.canonical("GM0153") == "GM0153"


def test_patterns_come_from_the_model() -> None:
    from zicht.ontology.schema import schema_view

    view = schema_view()
    for name, pattern in codes.patterns().items():
        assert view.get_type(name).pattern == pattern


def test_levels_nesting_and_column_patterns_have_one_home() -> None:
    assert codes.LEVELS == ("land", "regio", "gemeente", "wijk", "buurt")
    assert codes.LEVELS[2:] == codes.RESIDENCE_LEVELS
    assert [
        codes.level_of(c) for c in ("NL01", "CR12", "GM0153", "WK015301", "BU01530101", "BU015301S01")
    ] == [
        *codes.LEVELS,
        "buurt",
    ]
    # The level a descriptor's region column declares through its pattern; the deepest prefix wins.
    assert codes.level_of_pattern("^GM[0-9]{4}$") == "gemeente"
    assert codes.level_of_pattern("^WK[0-9]{6}$") == "wijk"
    assert codes.level_of_pattern("^(BU|WK)[0-9A-Z]+$") == "buurt"
    assert codes.level_of_pattern(None) is None and codes.level_of_pattern("^[0-9]{4}$") is None
    assert codes.gemeente_of("BU015301S01") == "GM0153" and codes.gemeente_of("WK015301") == "GM0153"
    assert codes.gemeente_of("CR12") is None and codes.gemeente_of("not a code") is None
    assert codes.nests_in("BU015301S01", "WK015301") and codes.nests_in("WK015301", "GM0153")
    assert not codes.nests_in("WK015301", "GM0154") and not codes.nests_in("GM0153", "GM0153")
    assert not codes.nests_in("GM0153", "WK015301")


def test_within_pattern_is_built_from_the_model_types() -> None:
    within = re.compile(codes.within_pattern())
    for good in ("NL01", "CR12", "RGTWENTE", "GM0153", "WK015301"):
        assert within.match(good), good
    for bad in ("BU01530101", "GM153", "RG12", "CR123", "wk015301"):
        assert not within.match(bad), bad
