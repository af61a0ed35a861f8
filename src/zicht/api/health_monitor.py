"""RIVM/GGD health monitor 2020 small-area estimates (CBS StatLine 50090NED) for Twente, as shipped in
``zicht/data/twente_gezondheid_wijk_buurt_2020.csv``: real aggregate estimates in % of the age group.

The file keeps StatLine's column names; the wijk and buurt codes follow the **2020** layout.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FILE = "twente_gezondheid_wijk_buurt_2020.csv"
YEAR = 2020
LAYOUT = "CBS wijk- en buurtindeling 2020"
CREDIT = "Bron: RIVM/CBS/GGD'en (Gezondheidsmonitor Volwassenen en Ouderen 2020, CBS StatLine 50090NED), CC BY 4.0"
AGE_GROUPS = ("18+", "65+")
LEVEL_OF = {"Land": "land", "Gemeente": "gemeente", "Wijk": "wijk", "Buurt": "buurt"}

# StatLine column → (Dutch label, English label).
LABELS: dict[str, tuple[str, str]] = {
    "ErvarenGezondheidGoedZeerGoed_4": ("Ervaren gezondheid (zeer) goed", "Self-rated health good or very good"),
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
    "EenOfMeerLangdurigeAandoeningen_16": ("Eén of meer langdurige aandoeningen", "One or more chronic conditions"),
    "BeperktVanwegeGezondheid_17": ("Beperkt vanwege gezondheid", "Limited because of health"),
    "ErnstigBeperktVanwegeGezondheid_18": ("Ernstig beperkt vanwege gezondheid", "Severely limited because of health"),
    "LangdurigeZiekteEnBeperkt_19": ("Langdurige ziekte en beperkt", "Chronic illness and limited"),
    "EenOfMeerLichamelijkeBeperkingen_20": ("Eén of meer lichamelijke beperkingen", "One or more physical disabilities"),
    "BeperkingInHoren_21": ("Beperking in horen", "Hearing impairment"),
    "BeperkingInZien_22": ("Beperking in zien", "Visual impairment"),
    "BeperkingInBewegen_23": ("Beperking in bewegen", "Mobility impairment"),
    "MatigHoogRisicoOpAngstOfDepressie_24": ("Matig of hoog risico op angststoornis of depressie", "Moderate or high risk of anxiety or depression (K10 ≥ 16)"),
    "HoogRisicoOpAngstOfDepressie_25": ("Hoog risico op angststoornis of depressie", "High risk of anxiety or depression (K10 ≥ 30)"),
    "HeelVeelStressInAfgelopen4Weken_26": ("(Heel) veel stress in de afgelopen 4 weken", "(Very) much stress in the last 4 weeks"),
    "MatigVeelRegieOverEigenLeven_27": ("Matig of veel regie over eigen leven", "Moderate or much control over own life"),
    "Eenzaam_28": ("Eenzaam", "Lonely"),
    "ErnstigZeerErnstigEenzaam_29": ("(Zeer) ernstig eenzaam", "(Very) severely lonely"),
    "EmotioneelEenzaam_30": ("Emotioneel eenzaam", "Emotionally lonely"),
    "SociaalEenzaam_31": ("Sociaal eenzaam", "Socially lonely"),
    "Mantelzorger_32": ("Mantelzorger", "Informal carer"),
    "Vrijwilligerswerk_33": ("Vrijwilligerswerk", "Does volunteer work"),
    "LopenEnOfFietsenNaarSchoolOfWerk_34": ("Lopen en/of fietsen naar school of werk", "Walks and/or cycles to school or work"),
    "LopenNaarSchoolOfWerk_35": ("Lopen naar school of werk", "Walks to school or work"),
    "FietsenNaarSchoolOfWerk_36": ("Fietsen naar school of werk", "Cycles to school or work"),
    "ErnstigeGeluidhinderDoorBuren_37": ("Ernstige geluidhinder door buren", "Severe noise nuisance from neighbours"),
    "MoeiteMetRondkomen_38": ("Moeite met rondkomen", "Difficulty making ends meet"),
}


@dataclass(frozen=True)
class Row:
    code: str
    level: str
    gemeente_name: str
    age_group: str
    values: dict[str, float | None]


def _number(text: str) -> float | None:
    text = (text or "").strip()
    return float(text) if text and text != "." else None


@lru_cache(maxsize=1)
def rows() -> tuple[Row, ...]:
    out = []
    with resources.files("zicht.data").joinpath(FILE).open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            out.append(Row(
                code=rec["Codering_3"].strip(),
                level=LEVEL_OF.get(rec["SoortRegio_2"].strip(), rec["SoortRegio_2"].strip().lower()),
                gemeente_name=rec["Gemeentenaam_1"].strip(),
                age_group=rec["leeftijdsgroep"].strip(),
                values={k: _number(rec.get(k, "")) for k in LABELS},
            ))
    return tuple(out)


def indicator_list() -> list[dict[str, str]]:
    return [{"key": k, "label_nl": nl, "label_en": en} for k, (nl, en) in LABELS.items()]
