"""Twente (COROP CR12) as a regio of its own when the store holds all of Twente and more (a national store).

Its cells are aggregates of its gemeenten's persons, released like every other cell. In the test store
every member of a definition who lives in Twente lives in one Twente gemeente (the other thirteen hold
one resident each, in no definition), so the regio and that gemeente hold the same members: the cell
key method must publish exactly the same member counts, overlaps, intersections, attrition and survey
values for both (an oracle that does not depend on how the regio is summed)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.unit.compare.helpers import E33, GGZ, K10, MULTI, R, tables
from zicht.compare import compare
from zicht.engines import store_from_frames
from zicht.regions import catalogue
from zicht.regions.codes import TWENTE_CODE

ENSCHEDE, AMSTERDAM = "GM0153", "GM0363"  # a Twente gemeente and one outside Twente
RENAME = {"GM1": ENSCHEDE, "GM2": AMSTERDAM}
OTHER_TWENTE = [g for g in catalogue.gemeente_codes("twente") if g != ENSCHEDE]


def _national_like() -> dict[str, pd.DataFrame]:
    t = {k: v.copy() for k, v in tables().items()}
    t["person"]["residence_gemeente"] = t["person"]["residence_gemeente"].replace(RENAME)
    t["population"]["region_code"] = t["population"]["region_code"].replace(RENAME)
    t["region"]["id"] = t["region"]["id"].replace(RENAME)
    t["region"]["parent"] = t["region"]["parent"].replace(RENAME)
    t["source_coverage"]["gemeente_code"] = t["source_coverage"]["gemeente_code"].replace(RENAME)
    return t


def _with_all_of_twente(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """One resident (in no definition) in every other Twente gemeente, with Enschede's source coverage."""
    t = {k: v.copy() for k, v in t.items()}
    extra = pd.DataFrame(
        [
            {
                "id": f"t{i:03d}",
                "sex": "male",
                "birth_year": 1984,
                "residence_gemeente": g,
                "residence_wijk": f"WK{g[2:]}01",
                "residence_buurt": None,
            }
            for i, g in enumerate(OTHER_TWENTE)
        ]
    )
    t["person"] = pd.concat([t["person"], extra], ignore_index=True)
    cov = t["source_coverage"]
    enschede = cov[cov["gemeente_code"] == ENSCHEDE]
    t["source_coverage"] = pd.concat(
        [cov, *(enschede.assign(gemeente_code=g) for g in OTHER_TWENTE)], ignore_index=True
    )
    return t


@pytest.fixture(scope="module")
def national():
    store = store_from_frames(_with_all_of_twente(_national_like()))
    try:
        yield compare(store, [GGZ, E33, MULTI, K10], R, "wijk")
    finally:
        store.close()


def _by_region(frame: pd.DataFrame, code: str, keys: list[str]) -> pd.DataFrame:
    # the regio has more residents (population, rates) and its coverage gaps name gemeenten, not
    # criteria; everything about its members must agree
    rows = frame[frame["region_code"] == code].drop(
        columns=[
            "level",
            "region_code",
            "region_name",
            "coverage_gaps",
            "population",
            "rate_per_1000",
            "standardised_rate_per_1000",
            # without its only criterion a definition
            # admits every resident: more in the regio
            "removes",
            "removes_status",
        ],
        errors="ignore",
    )
    return rows.sort_values(keys).reset_index(drop=True)


def test_twente_is_a_regio_with_the_values_of_its_only_gemeente(national):
    counts = national.counts
    regio = counts[counts["level"] == "regio"]
    assert set(regio["region_code"]) == {TWENTE_CODE} and (regio["region_name"] == "Twente").all()
    for name, keys in (
        ("counts", ["definition"]),
        ("pairs", ["definition_a", "definition_b"]),
        ("intersections", ["definitions"]),
        ("attrition", ["definition", "criterion"]),
        ("estimates", ["definition"]),
    ):
        frame = getattr(national, name)
        got, same_persons = _by_region(frame, TWENTE_CODE, keys), _by_region(frame, ENSCHEDE, keys)
        assert len(got) and got.equals(same_persons), name


def test_coverage_of_the_regio_is_that_of_its_gemeenten(national):
    counts = national.counts.set_index(["region_code", "definition"])
    # E33 is delivered in the Twente gemeente and not in the other: full in Twente, partial in the total
    assert counts.loc[(TWENTE_CODE, E33), "coverage"] == "full"
    assert counts.loc[("totaal", E33), "coverage"] == "partial"


def test_no_regio_on_a_store_of_twente_only_or_part_of_twente_or_in_the_suppression_mode():
    t = _with_all_of_twente(_national_like())
    store = store_from_frames(t)
    try:
        suppressed = compare(store, [GGZ, E33], R, "gemeente", disclosure="suppress")
    finally:
        store.close()
    assert "regio" not in set(suppressed.counts["level"])
    store = store_from_frames(_national_like())  # one Twente gemeente only: no complete Twente to show
    try:
        part = compare(store, [GGZ, E33], R, "gemeente")
    finally:
        store.close()
    assert "regio" not in set(part.counts["level"])
    only = {k: v.copy() for k, v in t.items()}
    only["person"] = only["person"][only["person"]["residence_gemeente"] != AMSTERDAM]  # the total is Twente
    store = store_from_frames(only)
    try:
        twente_only = compare(store, [GGZ, E33], R, "wijk")
    finally:
        store.close()
    assert "regio" not in set(twente_only.counts["level"])


def test_the_api_answers_level_regio_with_twente_on_a_national_store(tmp_path, national):
    from pathlib import Path

    from fastapi.testclient import TestClient

    from tests.unit.compare.helpers import write_store
    from zicht.api.app import create_app
    from zicht.api.settings import Settings

    store = write_store(tmp_path / "store", _with_all_of_twente(_national_like()))
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'api.db'}", store=Path(store)))
    try:
        with TestClient(app) as client:
            body = client.get(
                "/api/v1/counts",
                params={"definitions": f"{E33},{GGZ}", "date": R.isoformat(), "level": "regio"},
            ).json()
    finally:
        app.state.engine.dispose()
    cells = {c["definition"]: c for c in body["cells"]}
    assert set(cells) == {E33, GGZ} and {c["region"] for c in cells.values()} == {TWENTE_CODE}
    assert all(c["region_name"] == "Twente" and c["level"] == "regio" for c in cells.values())
    # the same released value as the library's (registry definitions are the same ids and versions)
    direct = national.counts.set_index(["region_code", "definition"])
    for d in (E33, GGZ):
        assert cells[d]["count"] == direct.loc[(TWENTE_CODE, d), "count"]
