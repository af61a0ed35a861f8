"""Definitions in Dutch sentences and the diff between two versions."""

from __future__ import annotations

import copy

from zicht import paths
from zicht.registry.describe import as_text, describe
from zicht.registry.diff import diff_definitions
from zicht.registry.files import read_definition, source_catalogue


def _seed(name: str) -> dict:
    return read_definition(paths.registry_dir() / f"{name}.yaml")


def test_sentences_say_windows_counts_values_ages_and_logic() -> None:
    epa = describe(_seed("epa-ggz-wmo"), source_catalogue())
    assert epa["population"].startswith("Populatie: inwoners van 18 tot en met 65 jaar")
    long = epa["criteria"][0]["text"]
    assert "Ten minste twee gebeurtenissen van Gespecialiseerde GGZ (zc:ggz_specialised)" in long
    assert (
        "in de 36 maanden tot en met de peildatum" in long and "verspreid over ten minste 730 dagen." in long
    )
    assert epa["logic"].startswith("Iemand hoort bij de doelgroep als aan alle criteria")
    k10 = describe(_seed("k10-high-monitor"), source_catalogue())
    assert "met een waarde van ten minste 30" in k10["criteria"][0]["text"]
    assert "GGD Gezondheidsmonitor" in k10["criteria"][0]["text"] and k10["result"].startswith(
        "Uitkomst: een schatting"
    )
    multi = describe(_seed("multi-domain-2of5"))
    assert "ten minste twee van ‘GGZ-zorg’" in multi["logic"]
    assert as_text(multi).count("\n") == 8


def test_half_written_documents_are_described_without_errors() -> None:
    out = describe(
        {
            "criteria": [{"id": "a", "concepts": ["ggz", "nope", 3], "window_months": "x"}],
            "logic": {"op": "not", "operands": ["a"], "groups": [{"op": "any", "operands": []}]},
        }
    )
    assert "het onbekende begrip 'nope'" in out["criteria"][0]["text"]
    assert "níet aan" in out["logic"]
    assert describe({})["logic"] == "Logica: nog niet gekozen."


def test_diff_matches_criteria_by_id_and_separates_lifecycle() -> None:
    old = _seed("multi-domain-2of5")
    new = copy.deepcopy(old)
    new.update(version="1.1.0", status="draft", supersedes="1.0.0")
    new["criteria"] = list(reversed(new["criteria"]))  # order alone is no change
    new["criteria"][0]["window_months"] = 24
    new["criteria"].append({"id": "k10", "label": "K10", "concepts": ["psy_distress"]})
    new["logic"] = dict(new["logic"], k=3, operands=[*new["logic"]["operands"], "k10"])
    result = diff_definitions(old, new)
    assert result["content_changed"] and result["from"] == "1.0.0" and result["to"] == "1.1.0"
    paths_changed = [c["path"] for c in result["changes"]]
    assert "criteria/e33/window_months" in paths_changed and "criteria/k10" in paths_changed
    assert "logic" in paths_changed and not any(p.startswith("criteria/ggz") for p in paths_changed)
    assert {c["path"] for c in result["lifecycle"]} == {"status"}
    window = next(c for c in result["changes"] if c["path"] == "criteria/e33/window_months")
    assert window["text"] == "Criterium ‘E33-melding’: venster (maanden): 12 → 24."
    same = diff_definitions(old, dict(old, status="deprecated"))
    assert not same["content_changed"] and same["changes"] == []


def test_diff_says_periods_ages_and_supersedes_in_words() -> None:
    old = _seed("e33-12m")
    new = copy.deepcopy(old)
    new.update(
        version="1.1.0", supersedes="1.0.0", reference_period={"months": 24}, population={"age_min": 18}
    )
    texts = {c["path"]: c["text"] for c in diff_definitions(old, new)["changes"]}
    assert texts["reference_period"] == "Peilperiode: 12 maanden → 24 maanden."
    assert texts["population"] == "Populatie (leeftijd): nieuw vanaf 18 jaar."
    assert texts["supersedes"] == "Vervangt versie 1.0.0."
    both = dict(new, population={"age_min": 18, "age_max": 64})
    assert {c["path"]: c["text"] for c in diff_definitions(new, both)["changes"]}[
        "population"
    ] == "Populatie (leeftijd): vanaf 18 jaar → 18 tot en met 64 jaar."
