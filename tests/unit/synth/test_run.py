"""A small run end to end: reproducible, totals equal CBS, defects exactly as listed, coverage kept."""

from __future__ import annotations

import csv
import re
from datetime import date
from importlib import resources
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.unit.synth.conftest import SEED, SMALL
from tests.unit.synth.extract_io import descriptor, read_rows
from zicht.errors import InputError
from zicht.ontology.instances import validate_instance
from zicht.regions import regions
from zicht.synth.run import run

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _passes_11_check(value: str) -> bool:
    if not re.fullmatch(r"\d{9}", value):
        return False
    digits = [int(c) for c in value]
    return (sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]) % 11 == 0


def _files(run_dir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(run_dir).as_posix(): p.read_bytes() for p in sorted(run_dir.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_identical_bytes(small_run: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    run("twente", SEED, again, gemeenten=SMALL, workers=2)
    first, second = _files(small_run), _files(again)
    first.pop("synth-timings.json")
    second.pop("synth-timings.json")
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_other_seed_gives_other_data(small_run: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    run("twente", SEED + 1, other, gemeenten=["GM0183"])
    name = "extracts/zvw-ggz/ggz_declaraties_GM0183.csv"
    assert (other / name).read_bytes() != (small_run / name).read_bytes()


def test_refuses_to_overwrite_without_force(small_run: Path) -> None:
    with pytest.raises(InputError, match="use --force"):
        run("twente", SEED, small_run, gemeenten=SMALL)
    with pytest.raises(InputError, match="GM0363"):
        run("twente", SEED, small_run, gemeenten=["GM0363"], force=True)


def _defects(run_dir: Path) -> pd.DataFrame:
    return pd.read_csv(run_dir / "defects.csv", dtype={"column": str}, keep_default_na=False)


def test_brp_totals_equal_cbs_per_wijk_and_sex(small_run: Path) -> None:
    defects = _defects(small_run)
    with open(str(resources.files("zicht.data").joinpath("nl_wijken.csv")), encoding="utf-8") as fh:
        cbs = {
            r["wijk_code"]: (int(r["mannen_2024"]), int(r["vrouwen_2024"]))
            for r in csv.DictReader(fh)
            if r["gemeente_code"] in SMALL
        }
    counted: dict[tuple[str, str], int] = {}
    for gm in SMALL:
        name = f"extracts/brp/brp_{gm}.parquet"
        bad = set(defects.loc[defects["file"] == name, "row"])
        rows = pq.read_table(small_run / name).to_pylist()
        for i, r in enumerate(rows, start=1):
            if i not in bad:
                counted[(r["wijkcode"], r["geslacht"])] = counted.get((r["wijkcode"], r["geslacht"]), 0) + 1
    for wijk, (men, women) in cbs.items():
        assert (counted.get((wijk, "M"), 0), counted.get((wijk, "V"), 0)) == (men, women), wijk


def test_every_listed_defect_is_there_and_nothing_else(small_run: Path) -> None:
    """Recall and precision of the manifest: listed rows carry the defect, other rows are clean."""
    defects = _defects(small_run)
    assert len(defects) > 20
    assert set(defects["kind"]) >= {"duplicate", "missing_value", "unknown_code", "invalid_date", "bsn_in_id"}
    region_ids = set(regions()["id"])
    for rel in sorted(
        {
            *defects["file"],
            *[p.relative_to(small_run).as_posix() for p in (small_run / "extracts").rglob("*_GM*.*")],
        }
    ):
        source_id = rel.split("/")[1]
        desc = descriptor(small_run, source_id)
        codes = set(pd.read_csv(Path("mappings") / f"{source_id}.codes.csv", dtype=str)["code"])
        cols = {c["role"]: c["name"] for c in reversed(desc["columns"])}  # first column of each role
        code_cols = [c["name"] for c in desc["columns"] if c["role"] in ("code", "sex")]
        regions_cols = [c["name"] for c in desc["columns"] if c["role"] == "region"]
        _header, rows, lines = read_rows(small_run / rel, desc.get("delimiter", ","))
        listed = {int(r.row): (r.column, r.kind) for r in defects[defects["file"] == rel].itertuples()}
        seen: set[tuple[str, ...]] = set()
        for i, row in enumerate(rows, start=1):
            values = tuple(row.values())
            problems = set()
            if values in seen:
                problems.add(("", "duplicate"))
            seen.add(values)
            for c in desc["columns"]:
                v = row[c["name"]]
                if c.get("required") and v == "":
                    problems.add((c["name"], "missing_value"))
            if "person_key" in cols and _passes_11_check(row[cols["person_key"]]):
                problems.add((cols["person_key"], "bsn_in_id"))
            for code_col in code_cols:
                if row[code_col] and row[code_col] not in codes:
                    problems.add((code_col, "unknown_code"))
            start = row.get(cols.get("start_date", ""), "")
            if start:
                if not _is_date(start):
                    problems.add((cols["start_date"], "invalid_date"))
                elif start > "2024-12-31":
                    problems.add((cols["start_date"], "future_date"))
            end = row.get(cols.get("end_date", ""), "")
            if end and _is_date(start) and _is_date(end) and end < start:
                problems.add((cols["end_date"], "end_before_start"))
            for rc in regions_cols:
                if row[rc] and row[rc] not in region_ids:
                    problems.add((rc, "wrong_region"))
            text_col = cols.get("text")
            if text_col and any(_passes_11_check(t) for t in re.findall(r"\d{9}", row[text_col])):
                problems.add((text_col, "bsn_in_text"))
            if lines:
                try:
                    lines[i - 1].decode("utf-8")
                except UnicodeDecodeError:
                    problems.add(("?", "encoding"))
            expected = listed.get(i)
            if expected is None:
                assert problems == set(), (rel, i, problems)
            elif expected[1] == "encoding":
                assert ("?", "encoding") in problems, (rel, i)
            else:
                assert expected in problems, (rel, i, expected, problems)


def test_coverage_is_kept(small_run: Path) -> None:
    assert not (small_run / "extracts/meldpunt/meldingen_GM0183.csv").exists()
    assert (small_run / "extracts/meldpunt/meldingen_GM0189.csv").exists()
    wmo = pd.read_csv(
        small_run / "extracts/wmo-twente-regio/wmo_GM0189.csv",
        sep=";",
        dtype=str,
        keep_default_na=False,
        encoding="latin-1",
    )
    bad = set(_defects(small_run).query("file == 'extracts/wmo-twente-regio/wmo_GM0189.csv'")["row"])
    valid = wmo[~(wmo.index + 1).isin(bad)]
    assert len(valid) > 50
    assert ((valid["einddatum"] == "") | (valid["einddatum"] >= "2024-07-01")).all()
    desc = descriptor(small_run, "wmo-twente-regio")
    cov = {c["gemeente_code"]: c for c in desc["coverage"]}
    assert set(cov) == set(SMALL)
    assert cov["GM0189"]["coverage_status"] == "partial" and str(cov["GM0189"]["start_date"]) == "2024-07-01"
    assert validate_instance("Source", desc) == []


def test_truth_counts_match_the_person_table(small_run: Path) -> None:
    persons = pd.concat([pd.read_parquet(small_run / f"truth/persons/{gm}.parquet") for gm in SMALL])
    counts = pd.read_csv(small_run / "truth/counts.csv")
    gem = counts[counts["level"] == "gemeente"].set_index(["definition_id", "region_code"])
    for def_id in counts["definition_id"].unique():
        per = persons.groupby("gemeente")[f"member_{def_id}"].sum()
        for gm in SMALL:
            assert gem.loc[(def_id, gm), "members"] == per[gm]
    # Tubbergen delivers no meldpunt data, so nobody there can meet the meldpunt definition
    assert gem.loc[("bemoeizorg-meldpunt-12m", "GM0183"), "members"] == 0
    assert gem.loc[("bemoeizorg-meldpunt-12m", "GM0189"), "members"] > 0
    assert (
        len(persons) == counts.query("level == 'gemeente' and definition_id == 'e33-12m'")["population"].sum()
    )
    survey = pd.read_csv(small_run / "truth/survey_estimates.csv")
    assert set(survey["region_code"][survey["level"] == "gemeente"]) == set(SMALL)
    # a filtered run is not the region: no CR12 rows
    assert "CR12" not in set(counts["region_code"])


def test_person_keys_link_across_sources(small_run: Path) -> None:
    brp = set(pd.read_parquet(small_run / "extracts/brp/brp_GM0183.parquet")["pseudoniem"].dropna())
    claims = pd.read_csv(
        small_run / "extracts/zvw-ggz/ggz_declaraties_GM0183.csv",
        dtype=str,
        keep_default_na=False,
        encoding="latin-1",
    )
    keys = set(claims["verzekerde_pseudo"]) - {""}
    linked = keys & brp
    assert len(linked) >= len(keys) - len(_defects(small_run).query("kind == 'bsn_in_id'"))
    assert all(re.fullmatch(r"[0-9a-f]{64}", k) for k in linked)


@pytest.mark.slow
def test_full_twente_run(tmp_path: Path) -> None:
    """The whole region: CBS totals per wijk and sex, the survey reproduces the monitor per gemeente."""
    out = tmp_path / "twente"
    manifest = run("twente", 2, out, workers=2)
    with open(str(resources.files("zicht.data").joinpath("nl_wijken.csv")), encoding="utf-8") as fh:
        cbs = [r for r in csv.DictReader(fh) if r["gemeente_code"] in manifest["gemeenten"]]
    assert len(cbs) == 127
    persons = pd.concat(
        [pd.read_parquet(p, columns=["wijk", "sex"]) for p in (out / "truth/persons").glob("*.parquet")]
    )
    per = persons.groupby(["wijk", "sex"]).size()
    for r in cbs:
        assert per.get((r["wijk_code"], "male"), 0) == int(r["mannen_2024"]), r["wijk_code"]
        assert per.get((r["wijk_code"], "female"), 0) == int(r["vrouwen_2024"]), r["wijk_code"]
    assert (
        manifest["persons"]
        == len(persons)
        == sum(int(r["mannen_2024"]) + int(r["vrouwen_2024"]) for r in cbs)
    )
    with open(
        str(resources.files("zicht.data").joinpath("twente_gezondheid_wijk_buurt_2020.csv")), encoding="utf-8"
    ) as fh:
        monitor = {
            r["Codering_3"]: float(r["HoogRisicoOpAngstOfDepressie_25"]) / 100
            for r in csv.DictReader(fh)
            if r["leeftijdsgroep"] == "18+" and r["SoortRegio_2"] == "Gemeente"
        }
    survey = pd.read_csv(out / "truth/survey_estimates.csv").query("level == 'gemeente'")
    assert len(survey) == 14
    for r in survey.itertuples():
        # about 700-5,000 respondents per gemeente: within 3 percentage points of the monitor
        assert abs(r.estimate - monitor[r.region_code]) < 0.03, (r.region_code, r.estimate)
    counts = pd.read_csv(out / "truth/counts.csv").query("region_code == 'CR12'").set_index("definition_id")
    assert (counts["population"] > 0).all()
    rates = counts["members"] / counts["population"]
    # RIVM 2016: about 2 persons per 1,000 residents with an E33/E14 report in a year
    assert 0.001 < rates["e33-12m"] < 0.004
    # Delespaul 2013: 16 per 1,000 aged 18-65 in care with EPA (registration data see persons in care)
    assert 0.012 < rates["epa-ggz-wmo"] < 0.020
    # E33 recurrence, counted from the police extracts without their defect rows: most persons appear once
    # (RIVM 2016: 34,000 persons, 21,000 of them new in the year), so >= 2 reports in 24 months is far rarer
    # than >= 1 in 12 months
    defects = _defects(out)
    police = []
    for path in sorted((out / "extracts/politie-e33").glob("*.csv")):
        rows = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="latin-1")
        bad = set(defects.loc[defects["file"] == path.relative_to(out).as_posix(), "row"])
        police.append(rows[~(rows.index + 1).isin(bad)])
    e33 = pd.concat(police).query("maatschappelijke_klasse == 'E33'")
    year = e33["pleegdatum"].str[:4]
    per_person_12 = e33[year == "2024"].groupby("betrokkene_sleutel").size()
    per_person_24 = e33[year >= "2023"].groupby("betrokkene_sleutel").size()
    assert (per_person_12 == 1).mean() > 0.55
    assert (per_person_24 >= 2).sum() < 0.6 * len(per_person_12)
