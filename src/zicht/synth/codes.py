"""The code lists of the synthetic sources, in each source's own codes and labels.

Every source has its own code system (as in reality: a gemeente's Wmo product list, an insurer's
care-type codes, the police's maatschappelijke klassen). A code carries the generator's *kind*: the
semantic event the latent model produces (e.g. ``wmo.guidance_ind``), and the framework concept the
generator means by it. The concept is used only by the generator's own ground truth
(``zicht.synth.truth``); harmonise must get it from the SSSOM mappings, and a test compares the two.
Codes and labels are modelled on the real registrations (zorgprestatiemodel, CIZ profiles, iWmo/iJw
product categories, police codes, GGD-GHOR variable names) but are the generator's own lists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    kind: str  # the generator's semantic event kind; "" for codes that carry no event (e.g. sex)
    concept: str  # framework concept key the generator intends; "" when the code is not an event
    group: str = ""  # the source's own grouping (column or category), written to codes.csv


# --- care (national registrations) ---------------------------------------------------------------
ZVW_GGZ = [
    Code("GB01", "Generalistische basis-ggz, kort traject", "ggz.basic", "ggz_basic", "zorgprestatie"),
    Code("GB02", "Generalistische basis-ggz, middel traject", "ggz.basic", "ggz_basic", "zorgprestatie"),
    Code("GB03", "Generalistische basis-ggz, intensief traject", "ggz.basic", "ggz_basic", "zorgprestatie"),
    Code("GB04", "Generalistische basis-ggz, chronisch traject", "ggz.basic", "ggz_basic", "zorgprestatie"),
    Code(
        "SA10",
        "Gespecialiseerde ggz ambulant, setting monodisciplinair",
        "ggz.outpatient",
        "ggz_specialised_outpatient",
        "zorgprestatie",
    ),
    Code(
        "SA11",
        "Gespecialiseerde ggz ambulant, setting multidisciplinair",
        "ggz.outpatient",
        "ggz_specialised_outpatient",
        "zorgprestatie",
    ),
    Code(
        "SK20",
        "Klinisch verblijf ggz (verblijfsdagen)",
        "ggz.inpatient",
        "ggz_specialised_inpatient",
        "zorgprestatie",
    ),
    Code(
        "SK21",
        "Klinisch intensieve behandeling (HIC)",
        "ggz.inpatient",
        "ggz_specialised_inpatient",
        "zorgprestatie",
    ),
    Code("SF30", "Ambulante behandeling door FACT-team", "ggz.fact", "ggz_specialised_fact", "zorgprestatie"),
    Code("CR40", "Crisisbeoordeling acute psychiatrie", "ggz.crisis", "ggz_crisis", "zorgprestatie"),
    Code("CR41", "Crisisopname", "ggz.crisis", "ggz_crisis", "zorgprestatie"),
    Code("CR42", "Intensieve thuisbehandeling na crisis", "ggz.crisis", "ggz_crisis", "zorgprestatie"),
    Code(
        "D01",
        "Neurobiologische ontwikkelingsstoornissen",
        "dx.neurodevelopmental",
        "psy_diagnosis_neurodevelopmental",
        "hoofddiagnosegroep",
    ),
    Code(
        "D02",
        "Schizofreniespectrum- en andere psychotische stoornissen",
        "dx.psychotic",
        "psy_diagnosis_psychotic",
        "hoofddiagnosegroep",
    ),
    Code(
        "D03", "Bipolaire-stemmingsstoornissen", "dx.bipolar", "psy_diagnosis_bipolar", "hoofddiagnosegroep"
    ),
    Code(
        "D04",
        "Depressieve-stemmingsstoornissen",
        "dx.depressive",
        "psy_diagnosis_depressive",
        "hoofddiagnosegroep",
    ),
    Code("D05", "Angststoornissen", "dx.anxiety", "psy_diagnosis_anxiety", "hoofddiagnosegroep"),
    Code(
        "D06",
        "Obsessieve-compulsieve en verwante stoornissen",
        "dx.ocd",
        "psy_diagnosis_anxiety",
        "hoofddiagnosegroep",
    ),
    Code(
        "D07",
        "Trauma- en stressorgerelateerde stoornissen",
        "dx.trauma",
        "psy_diagnosis_anxiety",
        "hoofddiagnosegroep",
    ),
    Code("D08", "Voedings- en eetstoornissen", "dx.eating", "psy_diagnosis_other", "hoofddiagnosegroep"),
    Code(
        "D09",
        "Middelgerelateerde en verslavingsstoornissen",
        "dx.substance",
        "psy_diagnosis_substance",
        "hoofddiagnosegroep",
    ),
    Code(
        "D10",
        "Persoonlijkheidsstoornissen",
        "dx.personality",
        "psy_diagnosis_personality",
        "hoofddiagnosegroep",
    ),
    Code("D11", "Overige psychische stoornissen", "dx.other", "psy_diagnosis_other", "hoofddiagnosegroep"),
]

WLZ_GGZ = [
    Code("GGZB3", "Zorgprofiel GGZ-B 3: beschut wonen met begeleiding en verzorging", "wlz.b", "ggz_wlz_b"),
    Code(
        "GGZB4",
        "Zorgprofiel GGZ-B 4: beschut wonen met begeleiding en intensieve verzorging",
        "wlz.b",
        "ggz_wlz_b",
    ),
    Code(
        "GGZB5",
        "Zorgprofiel GGZ-B 5: beschermd wonen met intensieve begeleiding en uitgebreide verzorging",
        "wlz.b",
        "ggz_wlz_b",
    ),
    Code(
        "GGZB6", "Zorgprofiel GGZ-B 6: beschermd wonen met intensieve zorg en toezicht", "wlz.b", "ggz_wlz_b"
    ),
    Code("GGZB7", "Zorgprofiel GGZ-B 7: beschermd wonen met zeer intensieve zorg", "wlz.b", "ggz_wlz_b"),
    Code("GGZW1", "Zorgprofiel GGZ-Wonen 1: wonen met begeleiding", "wlz.w", "ggz_wlz_w"),
    Code("GGZW2", "Zorgprofiel GGZ-Wonen 2: wonen met intensieve begeleiding", "wlz.w", "ggz_wlz_w"),
    Code(
        "GGZW3",
        "Zorgprofiel GGZ-Wonen 3: wonen met zeer intensieve begeleiding en toezicht",
        "wlz.w",
        "ggz_wlz_w",
    ),
]

# --- Wmo: one code system per gemeente or group of gemeenten ---------------------------------------
_WMO_CONCEPT = {
    "wmo.household": "support",  # household help is Wmo support without a narrower framework concept
    "wmo.guidance_ind": "support_guidance_individual",
    "wmo.guidance_grp": "support_guidance_group",
    "wmo.day": "support_day_activities",
    "wmo.sheltered": "support_sheltered_housing",
    "wmo.shelter": "support_shelter",
}


def _wmo(rows: list[tuple[str, str, str]]) -> list[Code]:
    return [Code(code, label, kind, _WMO_CONCEPT[kind]) for code, label, kind in rows]


WMO = {
    "wmo-enschede": _wmo(
        [
            ("41001", "Hulp bij het huishouden", "wmo.household"),
            ("42101", "Ondersteuning zelfstandig leven basis", "wmo.guidance_ind"),
            ("42102", "Ondersteuning zelfstandig leven plus", "wmo.guidance_ind"),
            ("43001", "Ondersteuning in een groep", "wmo.guidance_grp"),
            ("44001", "Dagactiviteiten", "wmo.day"),
            ("45001", "Beschermd wonen (verblijf)", "wmo.sheltered"),
            ("46001", "Maatschappelijke opvang en nachtopvang", "wmo.shelter"),
        ]
    ),
    "wmo-hengelo": _wmo(
        [
            ("HH-SCH", "Schoon en leefbaar huis", "wmo.household"),
            ("BEG-IND-L", "Begeleiding individueel licht", "wmo.guidance_ind"),
            ("BEG-IND-Z", "Begeleiding individueel zwaar", "wmo.guidance_ind"),
            ("BEG-GRP", "Begeleiding groep", "wmo.guidance_grp"),
            ("DAG-REG", "Dagbesteding regulier", "wmo.day"),
            ("DAG-SPEC", "Dagbesteding specialistisch", "wmo.day"),
            ("BW-24U", "Beschermd wonen met 24-uurstoezicht", "wmo.sheltered"),
            ("MO-NO", "Maatschappelijke opvang", "wmo.shelter"),
        ]
    ),
    "wmo-almelo": _wmo(
        [
            ("01A01", "Huishoudelijke ondersteuning", "wmo.household"),
            ("02A01", "Individuele begeleiding", "wmo.guidance_ind"),
            ("02A05", "Individuele begeleiding specialistisch", "wmo.guidance_ind"),
            ("03B01", "Groepsbegeleiding", "wmo.guidance_grp"),
            ("04D01", "Dagbesteding", "wmo.day"),
            ("07B01", "Beschermd wonen", "wmo.sheltered"),
            ("08M01", "Opvang dak- en thuislozen", "wmo.shelter"),
        ]
    ),
    "wmo-twente-regio": _wmo(
        [
            ("TW-W01", "Schoonmaakondersteuning", "wmo.household"),
            ("TW-O11", "Ondersteuning bij zelfstandig wonen", "wmo.guidance_ind"),
            ("TW-O12", "Ondersteuning bij zelfstandig wonen plus", "wmo.guidance_ind"),
            ("TW-O21", "Ondersteuning in groepsverband", "wmo.guidance_grp"),
            ("TW-D31", "Dagbesteding", "wmo.day"),
            ("TW-B41", "Beschermd wonen regio Twente", "wmo.sheltered"),
            ("TW-M51", "Maatschappelijke opvang regio Twente", "wmo.shelter"),
        ]
    ),
    "wmo-nl-standaard": _wmo(
        [
            ("HH01", "Hulp bij het huishouden", "wmo.household"),
            ("BG01", "Begeleiding individueel", "wmo.guidance_ind"),
            ("BG02", "Begeleiding groep", "wmo.guidance_grp"),
            ("DB01", "Dagbesteding", "wmo.day"),
            ("BW01", "Beschermd wonen", "wmo.sheltered"),
            ("MO01", "Maatschappelijke opvang", "wmo.shelter"),
        ]
    ),
    "wmo-nl-lokaal": _wmo(
        [
            ("huishoudhulp", "Huishoudelijke hulp", "wmo.household"),
            ("ondersteuning_thuis", "Ondersteuning thuis", "wmo.guidance_ind"),
            ("groepsbegeleiding", "Begeleiding in een groep", "wmo.guidance_grp"),
            ("dagbesteding", "Dagbesteding", "wmo.day"),
            ("beschermd_wonen", "Beschermd wonen", "wmo.sheltered"),
            ("opvang", "Maatschappelijke opvang", "wmo.shelter"),
        ]
    ),
}

# --- other municipal registrations -------------------------------------------------------------------
JEUGD = [
    Code("41", "Jeugdhulp met verblijf: pleegzorg", "youth.residential", "youth_residential"),
    Code("43", "Jeugdhulp ambulant", "youth.outpatient", "youth_outpatient"),
    Code("44", "Jeugdhulp met verblijf: accommodatie", "youth.residential", "youth_residential"),
    Code("45", "Jeugd-ggz", "youth.mental", "youth_mental_health"),
    Code("47", "Jeugdbescherming", "youth.protection", "youth_protection"),
    Code("48", "Jeugdreclassering", "youth.protection", "youth_protection"),
    Code("53", "Jeugdhulp ambulant: dagbehandeling", "youth.outpatient", "youth_outpatient"),
]

PARTICIPATIEWET = [
    Code("PW-ALG", "Algemene bijstand (Participatiewet)", "income", "context_income_support"),
    Code("PW-IOAW", "IOAW-uitkering (oudere werkloze werknemers)", "income", "context_income_support"),
    Code("PW-IOAZ", "IOAZ-uitkering (oudere gewezen zelfstandigen)", "income", "context_income_support"),
    Code("PW-BBZ", "Bbz-uitkering levensonderhoud (zelfstandigen)", "income", "context_income_support"),
]

SCHULDHULP = [
    Code("SHV01", "Aanmelding en intake schuldhulpverlening", "debt", "context_debt_counselling"),
    Code("SHV02", "Stabilisatiefase", "debt", "context_debt_counselling"),
    Code("SHV03", "Minnelijke schuldregeling", "debt", "context_debt_counselling"),
    Code("SHV04", "Budgetbeheer", "debt", "context_debt_counselling"),
    Code("SHV05", "Nazorg schuldhulpverlening", "debt", "context_debt_counselling"),
    Code("SHV06", "Verwijzing naar Wsnp", "debt", "context_debt_counselling"),
]

POLITIE = [
    Code("E33", "Overlast door verward/overspannen persoon", "police.e33", "safety_e33"),
    Code("E14", "Poging tot zelfdoding", "police.e14", "psy_suicide_attempt"),
]

MELDPUNT = [
    Code("MZO", "Melding zorg om een persoon", "meld.care", "safety_care_report"),
    Code("MOV", "Melding overlast door een persoon", "meld.nuisance", "safety_care_report"),
    Code("MWV", "Melding woningvervuiling", "meld.hoarding", "safety_care_report"),
    Code("MHU", "Melding dreigende huisuitzetting", "meld.eviction", "context_housing_eviction"),
    Code("BZA", "Aanmelding bemoeizorg", "meld.outreach", "safety_outreach"),
    Code("BZC", "Contact bemoeizorgteam", "meld.outreach", "safety_outreach"),
]

GGD_MONITOR = [
    Code("GGADS201", "Kessler psychologische distress, somscore K10 (10-50)", "survey.k10", "psy_distress"),
    Code(
        "GGEES203", "Eenzaamheid De Jong Gierveld, somscore (0-11)", "survey.loneliness", "context_loneliness"
    ),
]

NOTES = [
    Code("EENZ", "Eenzaamheid", "note", "context_loneliness"),
    Code("SCHULD", "Schulden en geldzorgen", "note", "context_debt"),
    Code("VERWARD", "Verward gedrag en overlast", "note", "safety"),
    Code("GGZ", "Psychische problemen en ggz", "note", "ggz"),
    Code("WONEN", "Wonen en woonproblemen", "note", "context_housing"),
    Code("JEUGD", "Jeugd en gezin", "note", "youth"),
]

BRP = [
    Code("M", "man", "", "", "geslacht"),
    Code("V", "vrouw", "", "", "geslacht"),
    Code("O", "onbekend", "", "", "geslacht"),
]

CODES: dict[str, list[Code]] = {
    "brp": BRP,
    "zvw-ggz": ZVW_GGZ,
    "wlz-ggz": WLZ_GGZ,
    **WMO,
    "jeugd": JEUGD,
    "participatiewet": PARTICIPATIEWET,
    "schuldhulp": SCHULDHULP,
    "politie-e33": POLITIE,
    "meldpunt": MELDPUNT,
    "ggd-monitor": GGD_MONITOR,
    "notes": NOTES,
}


def codes_of_kind(source_id: str, kind: str) -> list[str]:
    """The source's codes for one semantic event kind (several codes may mean the same kind)."""
    return [c.code for c in CODES[source_id] if c.kind == kind]


def concept_of(source_id: str) -> dict[str, str]:
    """code → intended framework concept key for one source (codes without a concept left out)."""
    return {c.code: c.concept for c in CODES[source_id] if c.concept}
