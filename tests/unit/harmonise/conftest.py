"""A tiny delivery written by hand: a population register and one Wmo source, with known outcomes per row."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mappings"


def key(i: int) -> str:
    return hashlib.sha256(f"person-{i}".encode()).hexdigest()


BRP_DESCRIPTOR = """id: brp
title: BRP test
kind: registration
owner: Gemeente Test
code_system: brp:geslacht
period_start: 2024-12-31
period_end: 2024-12-31
file_pattern: "brp_*.csv"
delimiter: ","
coverage:
  - {gemeente_code: GM0153, coverage_status: full}
columns:
  - {name: pseudoniem, role: person_key, datatype: string, required: true, pattern: "^[0-9a-f]{64}$"}
  - {name: geslacht, role: sex, datatype: string, required: true, pattern: "^[MVO]$"}
  - {name: geboortejaar, role: birth_year, datatype: integer, required: true}
  - {name: buurtcode, role: region, datatype: string, required: true, pattern: "^BU[0-9]{6}S[0-9]{2}$"}
"""

# Wmo rows and what must become of each (row number → (reason or None for harmonised, column)).
WMO_ROWS = [
    (f"{key(1)};BG01;2023-01-01;;BU015301S01", None),
    (f"{key(2)};BG09;2023-02-01;2023-06-30;BU015301S01", None),
    (f"{key(3)};MO01;2023-02-01;;", ("no_assignable_mapping", "productcode")),
    (f"{key(4)};HH01;2023-02-01;;", ("no_term_found", "productcode")),
    (f"{key(5)};XX99;2023-02-01;;", ("unmapped_code", "productcode")),
    (f"{key(6)};DB01;2023-02-30;;", ("bad_date", "ingangsdatum")),
    (f"{key(6)};DB01;2023-03-01;2023-02-01;", ("end_before_start", "einddatum")),
    (f"{key(1)};BG01;2023-01-01;;BU015301S01", ("duplicate_row", None)),
    (f"{key(7)};BW01;2026-01-01;;", ("after_period", "ingangsdatum")),
    (f"{key(7)};BW01;2024-01-01;;BU01539999", ("unknown_region", "buurt")),
    (";BW01;2024-01-01;;", ("missing_value", "client_key")),
    (f"{key(8)};DB01;2024-03-01;;BU015301S01", None),
]
BRP_ROWS = [f"{key(i)},{'MV'[i % 2]},{1950 + i},BU015301S01" for i in range(1, 9)] + [
    f"{key(1)},M,1951,BU015301S01"
]


@pytest.fixture
def delivery(tmp_path: Path) -> tuple[Path, Path]:
    """(input folder, mappings folder)."""
    maps = tmp_path / "mappings"
    shutil.copytree(FIXTURES / "good_basic", maps)
    (maps / "brp.codes.csv").write_text(
        "code,label,column\nM,man,geslacht\nV,vrouw,geslacht\nO,onbekend,geslacht\n"
    )
    (maps / "brp.source.yaml").write_text(BRP_DESCRIPTOR)
    inp = tmp_path / "in"
    (inp / "extracts" / "brp").mkdir(parents=True)
    (inp / "extracts" / "wmo-test").mkdir(parents=True)
    (inp / "extracts" / "brp" / "brp_GM0153.csv").write_text(
        "pseudoniem,geslacht,geboortejaar,buurtcode\n" + "\n".join(BRP_ROWS) + "\n"
    )
    (inp / "extracts" / "wmo-test" / "wmo_GM0153.csv").write_text(
        "client_key;productcode;ingangsdatum;einddatum;buurt\n" + "\n".join(r for r, _ in WMO_ROWS) + "\n"
    )
    return inp, maps
