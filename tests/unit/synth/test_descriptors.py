"""Descriptors and code lists in mappings/: valid `Source` instances, in sync, codes per gemeente differ."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from zicht import paths
from zicht.ontology.instances import validate_instance
from zicht.regions import gemeente_codes
from zicht.synth.codes import CODES, concept_of
from zicht.synth.descriptors import write_mappings
from zicht.synth.sources import SPECS, wmo_source_of

SOURCE_IDS = sorted(SPECS)


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_descriptor_validates_against_source_class(source_id: str) -> None:
    data = yaml.safe_load((paths.mappings_dir() / f"{source_id}.source.yaml").read_text(encoding="utf-8"))
    assert validate_instance("Source", data) == []
    assert data["id"] == source_id
    roles = [c["role"] for c in data["columns"]]
    if SPECS[source_id].point_events:
        assert "end_date" not in roles
    assert roles.count("person_key") == (0 if source_id == "notes" else 1)


def test_committed_files_are_what_the_code_writes(tmp_path: Path) -> None:
    written = write_mappings(tmp_path, gemeente_codes("nl"))
    assert len(written) == 2 * len(SPECS)
    for path in written:
        assert path.read_bytes() == (paths.mappings_dir() / path.name).read_bytes(), path.name


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_code_list_is_complete_and_unique(source_id: str) -> None:
    text = (paths.mappings_dir() / f"{source_id}.codes.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) > 0
    assert codes == [c.code for c in CODES[source_id]]
    assert all(r["label"] for r in rows)


def test_wmo_codes_differ_per_gemeente() -> None:
    systems = {gm: wmo_source_of(gm) for gm in ("GM0153", "GM0164", "GM0141", "GM0147", "GM1774", "GM0189")}
    assert systems["GM0153"] == "wmo-enschede" and systems["GM0164"] == "wmo-hengelo"
    assert systems["GM0141"] == "wmo-almelo"
    assert systems["GM0147"] == systems["GM1774"] == systems["GM0189"] == "wmo-twente-regio"
    outside = {wmo_source_of(gm) for gm in gemeente_codes("nl") if gm not in gemeente_codes("twente")}
    assert outside == {"wmo-nl-standaard", "wmo-nl-lokaal"}
    wmo = [s for s in SPECS if s.startswith("wmo-")]
    for i, a in enumerate(wmo):
        for b in wmo[i + 1 :]:
            assert not {c.code for c in CODES[a]} & {c.code for c in CODES[b]}, (a, b)
            assert SPECS[a].code_system != SPECS[b].code_system


def test_twente_coverage_as_documented() -> None:
    meldpunt = yaml.safe_load((paths.mappings_dir() / "meldpunt.source.yaml").read_text(encoding="utf-8"))
    none = {c["gemeente_code"] for c in meldpunt["coverage"] if c["coverage_status"] == "none"}
    assert none & set(gemeente_codes("twente")) == {"GM0183", "GM1774"}
    assert len(meldpunt["coverage"]) == 342


def _sssom_assignments(source_id: str) -> dict[str, str]:
    lines = [
        ln
        for ln in (paths.mappings_dir() / f"{source_id}.sssom.tsv").read_text("utf-8").splitlines()
        if not ln.startswith("#")
    ]
    out = {}
    for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t"):
        if row["predicate_id"] in ("skos:exactMatch", "skos:broadMatch"):
            out[row["subject_id"].split(":", 1)[1]] = row["object_id"].split(":", 1)[1]
    return out


@pytest.mark.parametrize("source_id", [s for s in SOURCE_IDS if s not in ("brp", "notes")])
def test_generator_concepts_agree_with_the_sssom_mappings(source_id: str) -> None:
    """The ground truth uses the generator's intended concepts; harmonise uses the SSSOM files."""
    assert _sssom_assignments(source_id) == concept_of(source_id)
