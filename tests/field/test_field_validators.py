"""The field's own validators on the shipped model, registry and mappings.

These run the tools a LinkML or SSSOM user would run (linkml-lint, linkml-validate, sssom-py's validator)
rather than zicht's own checks, so that a file zicht accepts is also one the field's tools accept. Each
check is paired with a broken input that the same tool must refuse, so the check cannot pass vacuously.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from zicht import paths
from zicht.mappings.sssom_table import read_sssom_tsv
from zicht.ontology.skos_integrity import committed_scheme_findings, integrity_findings

BIN = Path(sys.executable).parent
ROOT = paths.project_root()
SCHEMA = paths.schema_path()
REGISTRY = sorted(paths.registry_dir().glob("*.yaml")) + sorted(
    (paths.registry_dir() / "archive").glob("*/*.yaml")
)
DESCRIPTORS = sorted(paths.mappings_dir().glob("*.source.yaml"))
MAPPINGS = sorted(paths.mappings_dir().glob("*.sssom.tsv"))
EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "valid"
BAD_MAPPINGS = Path(__file__).resolve().parents[1] / "fixtures" / "mappings"


def _tool(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = BIN / name
    if not exe.is_file():
        found = shutil.which(name)
        assert found, f"{name} is not installed; it comes with the linkml dependency"
        exe = Path(found)
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=300)


# --- LinkML ------------------------------------------------------------------------------------------


def test_linkml_lint_reports_only_the_justified_warning() -> None:
    run = _tool(
        "linkml-lint", "--config", ROOT / ".linkmllint.yaml", "--format", "json", "--ignore-warnings", SCHEMA
    )
    assert run.returncode == 0, run.stdout + run.stderr
    problems = [(p["level"], p["rule_name"], p["message"]) for p in json.loads(run.stdout)]
    # `k` is kept on purpose; the reason is in .linkmllint.yaml.
    assert problems == [("warning", "standard_naming", "Slot has name 'k'")]


def test_schema_is_valid_against_the_linkml_metamodel() -> None:
    run = _tool("linkml-validate", SCHEMA)
    assert run.returncode == 0 and "No issues found" in run.stdout, run.stdout + run.stderr


def test_every_registry_file_is_a_valid_definition_for_linkml_validate() -> None:
    assert REGISTRY, "no registry files found"
    run = _tool("linkml-validate", "-s", SCHEMA, "-C", "Definition", *REGISTRY)
    assert run.returncode == 0 and "No issues found" in run.stdout, run.stdout + run.stderr


def test_linkml_validate_refuses_a_date_written_as_a_yaml_date(tmp_path: Path) -> None:
    # The schema's dates are ISO strings; an unquoted 2024-10-01 is a YAML timestamp and LinkML says so.
    text = REGISTRY[0].read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(re.sub(r'^published: "([0-9-]+)"$', r"published: \1", text, flags=re.M), encoding="utf-8")
    assert "published: 20" in bad.read_text(encoding="utf-8")
    run = _tool("linkml-validate", "-s", SCHEMA, "-C", "Definition", bad)
    assert run.returncode != 0 and "/published" in run.stdout + run.stderr


def test_every_source_descriptor_is_a_valid_source_for_linkml_validate() -> None:
    run = _tool("linkml-validate", "-s", SCHEMA, "-C", "Source", *DESCRIPTORS)
    assert run.returncode == 0 and "No issues found" in run.stdout, run.stdout + run.stderr


def test_valid_examples_pass_linkml_validate(tmp_path: Path) -> None:
    # One Container document with every valid example: one tool start-up instead of one per class.
    slot_of = {
        "Person": "persons",
        "Event": "events",
        "Region": "regions",
        "Population": "populations",
        "Source": "source_descriptors",
        "Note": "notes",
        "Definition": "definitions",
        "Concept": "framework_concepts",
    }
    container: dict[str, list] = {}
    for path in sorted(EXAMPLES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        container.setdefault(slot_of[doc["class"]], []).append(doc["instance"])
    assert set(container) == set(slot_of.values())
    out = tmp_path / "examples.yaml"
    out.write_text(yaml.safe_dump(container, allow_unicode=True, sort_keys=False), encoding="utf-8")
    run = _tool("linkml-validate", "-s", SCHEMA, "-C", "Container", out)
    assert run.returncode == 0 and "No issues found" in run.stdout, run.stdout + run.stderr


# --- SSSOM ---------------------------------------------------------------------------------------------


def _sssom_validate(path: Path) -> int:
    """What `sssom validate PATH` does (sssom.io.validate_file), in-process: 15 CLI start-ups cost ~90 s.

    Returns the number of mappings sssom-py read; raises when a validator reports an error.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sssom.constants import DEFAULT_VALIDATION_TYPES
        from sssom.parsers import parse_sssom_table
        from sssom.validators import validate

        msdf = parse_sssom_table(file_path=str(path))
        validate(msdf=msdf, validation_types=DEFAULT_VALIDATION_TYPES, fail_on_error=True)
    return len(msdf.df)


@pytest.mark.parametrize("path", MAPPINGS, ids=lambda p: p.name)
def test_every_mapping_set_passes_sssom_validate(path: Path) -> None:
    # sssom-py drops a row it cannot read with only a log line, so the row count is part of the check.
    assert _sssom_validate(path) == len(read_sssom_tsv(path).rows)


def test_sssom_validate_refuses_a_bad_curie() -> None:
    from jsonschema.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _sssom_validate(BAD_MAPPINGS / "bad_curie" / "wmo-test.sssom.tsv")


def test_sssom_validate_cli_agrees_on_one_shipped_file() -> None:
    run = _tool("sssom", "validate", MAPPINGS[0])
    assert run.returncode == 0, run.stdout + run.stderr


# --- SKOS integrity --------------------------------------------------------------------------------------


def test_committed_concept_scheme_has_skos_integrity() -> None:
    assert [str(f) for f in committed_scheme_findings()] == []


def test_skos_integrity_finds_every_kind_of_break() -> None:
    g = Graph().parse(paths.ontology_dir() / "zicht.concepts.ttl", format="turtle")
    zc = "https://w3id.org/zicht/concept/"
    outpatient, inpatient = (
        URIRef(zc + "ggz_specialised_outpatient"),
        URIRef(zc + "ggz_specialised_inpatient"),
    )
    # the unquoted-comma bug: two concepts with the label of their broader concept
    for c in (outpatient, inpatient):
        g.set((c, SKOS.prefLabel, Literal("Gespecialiseerde GGZ", lang="nl")))
    g.add((URIRef(zc + "ggz_crisis"), SKOS.prefLabel, Literal("Crisiszorg", lang="nl")))  # a second @nl label
    g.add((URIRef(zc + "ggz_basic"), SKOS.broader, URIRef(zc + "does_not_exist")))  # dangling broader
    g.add((URIRef(zc + "ggz"), SKOS.broader, URIRef(zc + "ggz_crisis")))  # a cycle (ggz_crisis is under ggz)
    found = [str(f) for f in integrity_findings(g)]

    def about(key: str) -> list[str]:
        return [f for f in found if f.startswith(f"{zc}{key}:")]

    assert any(
        "also the prefLabel of" in f and "ggz_specialised_inpatient" in f
        for f in about("ggz_specialised_outpatient")
    )
    assert any("S14" in f for f in about("ggz_crisis"))
    assert any("not a concept" in f for f in about("ggz_basic"))
    assert any("does_not_exist" in f and "does not list it" in f for f in about("ggz_basic"))
    assert any("own broader" in f for f in about("ggz"))
