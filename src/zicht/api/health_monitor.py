"""RIVM/GGD health monitor 2020 small-area estimates (CBS StatLine 50090NED): real aggregate estimates in %
of the age group, for the Netherlands, every gemeente and wijk (``nl_gezondheid_gemeente_wijk_2020.csv``)
and the buurten of Twente (``twente_gezondheid_wijk_buurt_2020.csv``; the national file has no buurten).

The files keep StatLine's column names; every code follows the **2020** layout. zicht's regions are the
2024 layout, so estimates are joined to a region only on a CBS code that exists in both layouts, and what
does not match is reported (`layout_report`): 18 gemeenten of 2020 were merged or split by 2024
(``gemeenten_2020_2024.csv``), wijken were renumbered, and zicht's buurten are synthetic (never a CBS
code), so a real 2020 buurt estimate is never attached to one of them. The monitor has no row for Twente;
its value is derived from the 14 gemeente estimates and marked as derived.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from zicht.regions import codes

NATIONAL_FILE = "nl_gezondheid_gemeente_wijk_2020.csv"
BUURT_FILE = "twente_gezondheid_wijk_buurt_2020.csv"
CHANGES_FILE = "gemeenten_2020_2024.csv"
YEAR = 2020
REGIONS_YEAR = 2024
LAYOUT = "CBS wijk- en buurtindeling 2020"
CREDIT = (
    "Bron: RIVM/CBS/GGD'en (Gezondheidsmonitor Volwassenen en Ouderen 2020, CBS StatLine 50090NED), CC BY 4.0"
)
AGE_GROUPS = ("18+", "65+")
LEVEL_OF = {"Land": "land", "Gemeente": "gemeente", "Wijk": "wijk", "Buurt": "buurt"}
TWENTE_METHOD = (
    "afgeleid: gemiddelde van de 14 Twentse gemeenteschattingen, gewogen naar het aantal inwoners op 1 januari "
    "2024 (CBS; inwoners van 18+ per gemeente zijn niet beschikbaar); de monitor publiceert geen cijfer voor Twente"
)

# StatLine column → (Dutch label, English label).
LABELS: dict[str, tuple[str, str]] = {
    "ErvarenGezondheidGoedZeerGoed_4": (
        "Ervaren gezondheid (zeer) goed",
        "Self-rated health good or very good",
    ),
    "VoldoetAanBeweegrichtlijn_5": ("Voldoet aan beweegrichtlijn", "Meets the physical activity guideline"),
    "WekelijkseSporters_6": ("Wekelijkse sporters", "Exercises weekly"),
    "Ondergewicht_7": ("Ondergewicht", "Underweight"),
    "NormaalGewicht_8": ("Normaal gewicht", "Normal weight"),
    "Overgewicht_9": ("Overgewicht", "Overweight"),
    "ErnstigOvergewicht_10": ("Ernstig overgewicht", "Obesity"),
    "Roker_11": ("Roker", "Smoker"),
    "VoldoetAanAlcoholRichtlijn_12": ("Voldoet aan alcoholrichtlijn", "Meets the alcohol guideline"),
    "Drinker_13": ("Drinker", "Drinks alcohol"),
    "ZwareDrinker_14": ("Zware drinker", "Heavy drinker"),
    "OvermatigeDrinker_15": ("Overmatige drinker", "Excessive drinker"),
    "EenOfMeerLangdurigeAandoeningen_16": (
        "Eén of meer langdurige aandoeningen",
        "One or more chronic conditions",
    ),
    "BeperktVanwegeGezondheid_17": ("Beperkt vanwege gezondheid", "Limited because of health"),
    "ErnstigBeperktVanwegeGezondheid_18": (
        "Ernstig beperkt vanwege gezondheid",
        "Severely limited because of health",
    ),
    "LangdurigeZiekteEnBeperkt_19": ("Langdurige ziekte en beperkt", "Chronic illness and limited"),
    "EenOfMeerLichamelijkeBeperkingen_20": (
        "Eén of meer lichamelijke beperkingen",
        "One or more physical disabilities",
    ),
    "BeperkingInHoren_21": ("Beperking in horen", "Hearing impairment"),
    "BeperkingInZien_22": ("Beperking in zien", "Visual impairment"),
    "BeperkingInBewegen_23": ("Beperking in bewegen", "Mobility impairment"),
    "MatigHoogRisicoOpAngstOfDepressie_24": (
        "Matig of hoog risico op angststoornis of depressie",
        "Moderate or high risk of anxiety or depression (K10 ≥ 16)",
    ),
    "HoogRisicoOpAngstOfDepressie_25": (
        "Hoog risico op angststoornis of depressie",
        "High risk of anxiety or depression (K10 ≥ 30)",
    ),
    "HeelVeelStressInAfgelopen4Weken_26": (
        "(Heel) veel stress in de afgelopen 4 weken",
        "(Very) much stress in the last 4 weeks",
    ),
    "MatigVeelRegieOverEigenLeven_27": (
        "Matig of veel regie over eigen leven",
        "Moderate or much control over own life",
    ),
    "Eenzaam_28": ("Eenzaam", "Lonely"),
    "ErnstigZeerErnstigEenzaam_29": ("(Zeer) ernstig eenzaam", "(Very) severely lonely"),
    "EmotioneelEenzaam_30": ("Emotioneel eenzaam", "Emotionally lonely"),
    "SociaalEenzaam_31": ("Sociaal eenzaam", "Socially lonely"),
    "Mantelzorger_32": ("Mantelzorger", "Informal carer"),
    "Vrijwilligerswerk_33": ("Vrijwilligerswerk", "Does volunteer work"),
    "LopenEnOfFietsenNaarSchoolOfWerk_34": (
        "Lopen en/of fietsen naar school of werk",
        "Walks and/or cycles to school or work",
    ),
    "LopenNaarSchoolOfWerk_35": ("Lopen naar school of werk", "Walks to school or work"),
    "FietsenNaarSchoolOfWerk_36": ("Fietsen naar school of werk", "Cycles to school or work"),
    "ErnstigeGeluidhinderDoorBuren_37": (
        "Ernstige geluidhinder door buren",
        "Severe noise nuisance from neighbours",
    ),
    "MoeiteMetRondkomen_38": ("Moeite met rondkomen", "Difficulty making ends meet"),
}


@dataclass(frozen=True)
class Row:
    code: str
    level: str
    gemeente_name: str
    age_group: str
    values: dict[str, float | None]


def _number(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text and text != "." else None


def _read(name: str, levels: Iterable[str]) -> list[Row]:
    wanted = set(levels)
    out = []
    with io.TextIOWrapper(
        resources.files("zicht.data").joinpath(name).open("rb"), encoding="utf-8", newline=""
    ) as fh:
        for rec in csv.DictReader(fh):
            kind = rec["SoortRegio_2"].strip()
            level = LEVEL_OF.get(kind, kind.lower())
            if level not in wanted:
                continue
            out.append(
                Row(
                    code=rec["Codering_3"].strip(),
                    level=level,
                    gemeente_name=rec["Gemeentenaam_1"].strip(),
                    age_group=rec["leeftijdsgroep"].strip(),
                    values={k: _number(rec.get(k)) for k in LABELS},
                )
            )
    return out


@lru_cache(maxsize=1)
def rows() -> tuple[Row, ...]:
    """Every estimate: land, gemeente and wijk from the national file, buurt from the Twente file."""
    return tuple(_read(NATIONAL_FILE, ("land", "gemeente", "wijk")) + _read(BUURT_FILE, ("buurt",)))


@lru_cache(maxsize=8)
def by_level(level: str, age: str) -> dict[str, Row]:
    return {r.code: r for r in rows() if r.level == level and r.age_group == age}


def netherlands(age: str) -> dict[str, float | None]:
    return by_level("land", age)[codes.NL_CODE].values


@lru_cache(maxsize=1)
def gemeente_changes() -> dict[str, list[dict[str, str]]]:
    """2020 gemeente code -> the 2024 gemeente(n) it went into, for the 18 codes that changed."""
    out: dict[str, list[dict[str, str]]] = {}
    with io.TextIOWrapper(
        resources.files("zicht.data").joinpath(CHANGES_FILE).open("rb"), encoding="utf-8", newline=""
    ) as fh:
        for rec in csv.DictReader(fh):
            out.setdefault(rec["gemeente_code_2020"], []).append(rec)
    return out


@lru_cache(maxsize=2)
def twente(age: str) -> dict[str, Any]:
    """Twente's value per indicator, derived from its 14 gemeenten (the monitor has no Twente row)."""
    from zicht import regions as catalogue

    g = catalogue.gemeenten()
    weights = dict(
        zip(g.loc[g["twente"], "gemeente_code"], g.loc[g["twente"], "aantal_inwoners_2024"], strict=True)
    )
    estimates = by_level("gemeente", age)
    missing = sorted(set(weights) - set(estimates))
    if missing:  # every Twente gemeente kept its code between 2020 and 2024; say so if that ever changes
        raise RuntimeError(f"health monitor: no 2020 estimate for Twente gemeente(n) {', '.join(missing)}")
    values: dict[str, float | None] = {}
    for key in LABELS:
        pairs = [(estimates[c].values[key], w) for c, w in weights.items()]
        if any(v is None for v, _w in pairs):
            values[key] = None  # a mean over part of Twente would not be Twente's figure
        else:
            values[key] = round(sum(v * w for v, w in pairs) / sum(w for _v, w in pairs), 1)
    return {
        "code": codes.TWENTE_CODE,
        "name": "Twente",
        "derived": True,
        "method": TWENTE_METHOD,
        "values": values,
    }


def layout_report(level: str, age: str, estimate_codes: set[str], region_codes: set[str]) -> dict[str, Any]:
    """How the 2020 estimates of ``level`` match the 2024 regions in the same area: what joins, what not."""
    report: dict[str, Any] = {
        "estimates_layout": YEAR,
        "regions_layout": REGIONS_YEAR,
        "matched": len(estimate_codes & region_codes),
    }
    if level == "buurt":
        report["note"] = (
            "zicht's 2024 buurten are synthetic (codes BU…S.., never CBS codes): the real 2020 buurt "
            "estimates are listed with their own codes and never joined to them; buurt estimates are "
            "shipped for Twente only"
        )
        report["matched"] = 0
        report["estimates_only"] = len(estimate_codes)
        return report
    changes = gemeente_changes() if level == "gemeente" else {}
    only_2020 = sorted(estimate_codes - region_codes)
    only_2024 = sorted(region_codes - estimate_codes)
    report["not_in_2024"] = [
        {
            "code": c,
            **(
                {"became": [x["gemeente_code_2024"] for x in changes[c]], "change": changes[c][0]["change"]}
                if c in changes
                else {}
            ),
        }
        for c in only_2020
    ]
    formed: dict[str, list[str]] = {}
    for old, targets in changes.items():
        for x in targets:
            formed.setdefault(x["gemeente_code_2024"], []).append(old)
    report["not_in_2020"] = [
        {"code": c, **({"formed_from": sorted(formed[c])} if c in formed else {})} for c in only_2024
    ]
    report["area_changed"] = sorted(c for c in region_codes & estimate_codes if c in formed)
    return report


def indicator_list() -> list[dict[str, str]]:
    return [{"key": k, "label_nl": nl, "label_en": en} for k, (nl, en) in LABELS.items()]
