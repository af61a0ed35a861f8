from __future__ import annotations

import re
import sys
from datetime import (
    date,
    datetime,
    time
)
from decimal import Decimal
from enum import Enum
from typing import (
    Any,
    ClassVar,
    Literal,
    Optional,
    Union
)

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer
)


metamodel_version = "1.12.0"
version = "0.1.0"


class ConfiguredBaseModel(BaseModel):
    model_config = ConfigDict(
        serialize_by_alias = True,
        validate_by_name = True,
        validate_assignment = True,
        validate_default = True,
        extra = "forbid",
        arbitrary_types_allowed = True,
        use_enum_values = True,
        strict = False,
    )





class LinkMLMeta(RootModel):
    root: dict[str, Any] = {}
    model_config = ConfigDict(frozen=True)

    def __getattr__(self, key:str):
        return getattr(self.root, key)

    def __getitem__(self, key:str):
        return self.root[key]

    def __setitem__(self, key:str, value):
        self.root[key] = value

    def __contains__(self, key:str) -> bool:
        return key in self.root


linkml_meta = LinkMLMeta({'default_prefix': 'zicht',
     'default_range': 'string',
     'description': 'The single source of truth of zicht. It formalises (1) the '
                    'conceptual framework for describing people with a '
                    '(psychological) vulnerability as a SKOS-style concept scheme '
                    '(the FrameworkConcept enumeration: domains are its top '
                    'concepts, `is_a` is skos:broader), (2) the harmonised data '
                    'model into which every source extract is translated (Person, '
                    'Event, Region, Population, Source, Note), and (3) the model '
                    'of a target-group Definition with its Criteria and logic. '
                    'OWL, SHACL, JSON Schema, the JSON-LD context and the Python '
                    'classes are generated from this file by `zicht ontology '
                    'build`.',
     'id': 'https://w3id.org/zicht/schema',
     'imports': ['linkml:types'],
     'license': 'https://creativecommons.org/licenses/by/4.0/',
     'name': 'zicht',
     'prefixes': {'dcterms': {'prefix_prefix': 'dcterms',
                              'prefix_reference': 'http://purl.org/dc/terms/'},
                  'linkml': {'prefix_prefix': 'linkml',
                             'prefix_reference': 'https://w3id.org/linkml/'},
                  'prov': {'prefix_prefix': 'prov',
                           'prefix_reference': 'http://www.w3.org/ns/prov#'},
                  'schema': {'prefix_prefix': 'schema',
                             'prefix_reference': 'http://schema.org/'},
                  'skos': {'prefix_prefix': 'skos',
                           'prefix_reference': 'http://www.w3.org/2004/02/skos/core#'},
                  'xsd': {'prefix_prefix': 'xsd',
                          'prefix_reference': 'http://www.w3.org/2001/XMLSchema#'},
                  'zc': {'prefix_prefix': 'zc',
                         'prefix_reference': 'https://w3id.org/zicht/concept/'},
                  'zicht': {'prefix_prefix': 'zicht',
                            'prefix_reference': 'https://w3id.org/zicht/'}},
     'see_also': ['https://github.com/zicht/zicht'],
     'source_file': 'ontology/zicht.yaml',
     'title': 'zicht — framework, harmonised data model and target-group '
              'definitions',
     'types': {'BuurtCode': {'description': 'A buurt code of either kind: a CBS '
                                            'buurt code (CbsBuurtCode) or a zicht '
                                            'synthetic buurt code '
                                            '(SyntheticBuurtCode). Both start with '
                                            "BU and the wijk's six characters.",
                             'from_schema': 'https://w3id.org/zicht/schema',
                             'name': 'BuurtCode',
                             'pattern': '^BU[0-9]{4}[0-9A-Z]{2}([0-9A-Z]{2}|S[0-9]{2})$',
                             'typeof': 'string'},
               'CbsBuurtCode': {'description': "A CBS buurt code: BU, the wijk's "
                                               'six characters and two more '
                                               '(digits or capital letters); '
                                               'always exactly ten characters.',
                                'from_schema': 'https://w3id.org/zicht/schema',
                                'name': 'CbsBuurtCode',
                                'pattern': '^BU[0-9]{4}[0-9A-Z]{4}$',
                                'typeof': 'string'},
               'ContentHash': {'description': 'A SHA-256 digest written as '
                                              'sha256:<64 lowercase hex digits>.',
                               'from_schema': 'https://w3id.org/zicht/schema',
                               'name': 'ContentHash',
                               'pattern': '^sha256:[0-9a-f]{64}$',
                               'typeof': 'string'},
               'CoropCode': {'description': 'A CBS COROP region code, CR and two '
                                            'digits (Twente, the 14 gemeenten of '
                                            'the Twente field lab, is CR12).',
                             'from_schema': 'https://w3id.org/zicht/schema',
                             'name': 'CoropCode',
                             'pattern': '^CR[0-9]{2}$',
                             'typeof': 'string'},
               'Curie': {'description': 'A compact URI, prefix:local.',
                         'from_schema': 'https://w3id.org/zicht/schema',
                         'name': 'Curie',
                         'pattern': '^[A-Za-z_][A-Za-z0-9_.-]*:[^\\s]+$',
                         'typeof': 'string'},
               'GemeenteCode': {'description': 'A CBS gemeente code, GM followed '
                                               'by four digits.',
                                'from_schema': 'https://w3id.org/zicht/schema',
                                'name': 'GemeenteCode',
                                'pattern': '^GM[0-9]{4}$',
                                'typeof': 'string'},
               'Identifier': {'description': 'A lowercase identifier of letters, '
                                             'digits and hyphens, starting with a '
                                             'letter.',
                              'from_schema': 'https://w3id.org/zicht/schema',
                              'name': 'Identifier',
                              'pattern': '^[a-z][a-z0-9]*(-[a-z0-9]+)*$',
                              'typeof': 'string'},
               'Pseudonym': {'description': 'A pseudonymous person key: the '
                                            'lowercase hex digest of a keyed hash '
                                            "(HMAC-SHA-256) of the source's person "
                                            'id, computed at the source. Never a '
                                            'BSN or any other direct identifier.',
                             'from_schema': 'https://w3id.org/zicht/schema',
                             'name': 'Pseudonym',
                             'pattern': '^[0-9a-f]{16,64}$',
                             'typeof': 'string'},
               'RegionCode': {'description': 'A region code: a CBS code (NL01, '
                                             'COROP CRxx, GMxxxx, WKxxxxxx, '
                                             'BUxxxxxxxx) or a zicht synthetic '
                                             'buurt code (see SyntheticBuurtCode), '
                                             'which is never a CBS code.',
                              'from_schema': 'https://w3id.org/zicht/schema',
                              'name': 'RegionCode',
                              'pattern': '^(NL01|CR[0-9]{2}|GM[0-9]{4}|WK[0-9]{4}[0-9A-Z]{2}|BU[0-9]{4}[0-9A-Z]{4}|BU[0-9]{4}[0-9A-Z]{2}S[0-9]{2})$',
                              'typeof': 'string'},
               'SemVer': {'description': 'A semantic version, MAJOR.MINOR.PATCH.',
                          'from_schema': 'https://w3id.org/zicht/schema',
                          'name': 'SemVer',
                          'pattern': '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$',
                          'typeof': 'string'},
               'SyntheticBuurtCode': {'description': 'A buurt that zicht derived '
                                                     'inside a real CBS wijk (no '
                                                     '2024 buurt data is published '
                                                     'with the files zicht has): '
                                                     "BU, the wijk's six "
                                                     'characters, S and a '
                                                     'two-digit number, e.g. '
                                                     'BU014101S01. Eleven '
                                                     'characters, so it can never '
                                                     'be a CBS buurt code (always '
                                                     'ten); BU and the wijk part '
                                                     'keep the nesting readable.',
                                      'from_schema': 'https://w3id.org/zicht/schema',
                                      'name': 'SyntheticBuurtCode',
                                      'pattern': '^BU[0-9]{4}[0-9A-Z]{2}S[0-9]{2}$',
                                      'typeof': 'string'},
               'WijkCode': {'description': "A CBS wijk code: WK, the gemeente's "
                                           'four digits and two more characters '
                                           '(digits, or capital letters where CBS '
                                           "uses them, e.g. Amsterdam's WK0363AA).",
                            'from_schema': 'https://w3id.org/zicht/schema',
                            'name': 'WijkCode',
                            'pattern': '^WK[0-9]{4}[0-9A-Z]{2}$',
                            'typeof': 'string'}}} )

class FrameworkConcept(str, Enum):
    """
    The concept scheme of the conceptual framework. Top concepts (no is_a) are the seven domains; is_a links a concept to its broader concept (skos:broader). Each value's meaning is its stable CURIE, title its English label, annotation pref_label_nl its Dutch label and description its definition.
    """
    Psychological_complaints_and_diagnoses = "psy"
    """
    Psychological complaints, distress and diagnosed mental disorders of a person.
    """
    Psychological_distress = "psy_distress"
    """
    Self-reported psychological distress, measured with the Kessler K10 scale (score 10–50).
    """
    Diagnosed_mental_disorder = "psy_diagnosis"
    """
    A mental disorder diagnosed by a professional and recorded in a care claim or record.
    """
    Schizophrenia_spectrum_and_other_psychotic_disorders = "psy_diagnosis_psychotic"
    """
    Diagnosis group schizophrenia spectrum and other psychotic disorders.
    """
    Bipolar_disorders = "psy_diagnosis_bipolar"
    """
    Diagnosis group bipolar and related disorders.
    """
    Depressive_disorders = "psy_diagnosis_depressive"
    """
    Diagnosis group depressive disorders.
    """
    Anxiety_disorders = "psy_diagnosis_anxiety"
    """
    Diagnosis group anxiety disorders, including obsessive-compulsive and trauma-related disorders.
    """
    Personality_disorders = "psy_diagnosis_personality"
    """
    Diagnosis group personality disorders.
    """
    Substance_related_and_addictive_disorders = "psy_diagnosis_substance"
    """
    Diagnosis group substance use disorders and other addictions.
    """
    Neurodevelopmental_disorders = "psy_diagnosis_neurodevelopmental"
    """
    Diagnosis group neurodevelopmental disorders such as ADHD and autism spectrum disorder.
    """
    Other_mental_disorders = "psy_diagnosis_other"
    """
    A diagnosed mental disorder outside the groups above.
    """
    Suicide_attempt = "psy_suicide_attempt"
    """
    A recorded suicide attempt (e.g. police code E14 or an emergency care record).
    """
    Mental_health_care_use = "ggz"
    """
    Use of mental health care (GGZ) paid under the Zvw or the Wlz.
    """
    Generalist_basic_mental_health_care = "ggz_basic"
    """
    Short generalist mental health treatment for mild to moderate, non-complex problems (generalistische basis-GGZ).
    """
    Specialised_mental_health_care = "ggz_specialised"
    """
    Specialised mental health treatment for complex or severe problems (gespecialiseerde GGZ), outpatient or inpatient.
    """
    Specialised_outpatient_mental_health_care = "ggz_specialised_outpatient"
    """
    Specialised mental health treatment without overnight stay (ambulant).
    """
    Specialised_inpatient_mental_health_care = "ggz_specialised_inpatient"
    """
    Specialised mental health treatment with admission to a clinical setting (klinisch).
    """
    Assertive_community_treatment_LEFT_PARENTHESISFACTRIGHT_PARENTHESIS = "ggz_specialised_fact"
    """
    Flexible assertive community treatment for people with severe mental illness, delivered at home by a multidisciplinary team.
    """
    Mental_health_crisis_care = "ggz_crisis"
    """
    Acute psychiatric assessment or treatment by a crisis service (crisisdienst), including crisis admission.
    """
    Long_term_mental_health_care_LEFT_PARENTHESISWlzRIGHT_PARENTHESIS = "ggz_wlz"
    """
    Long-term care for people with a lasting psychiatric condition under the Wlz (GGZ-B or GGZ-W profile).
    """
    Wlz_GGZ_sheltered_living_with_intensive_support_LEFT_PARENTHESISGGZ_BRIGHT_PARENTHESIS = "ggz_wlz_b"
    """
    Wlz care profile GGZ-B, sheltered living with intensive support and care.
    """
    Wlz_GGZ_living_with_guidance_LEFT_PARENTHESISGGZ_WRIGHT_PARENTHESIS = "ggz_wlz_w"
    """
    Wlz care profile GGZ-W, living with very intensive guidance, supervision and care.
    """
    Social_support = "support"
    """
    Municipal social support under the Wmo 2015 aimed at self-reliance and participation.
    """
    Guidance_LEFT_PARENTHESISWmo_begeleidingRIGHT_PARENTHESIS = "support_guidance"
    """
    Individual or group guidance to keep a person self-reliant at home (begeleiding).
    """
    Individual_guidance = "support_guidance_individual"
    """
    Guidance delivered to one person (begeleiding individueel).
    """
    Group_guidance = "support_guidance_group"
    """
    Guidance delivered in a group (begeleiding groep), other than day activities.
    """
    Day_activities = "support_day_activities"
    """
    Structured day activities for people who cannot (yet) work (dagbesteding).
    """
    Sheltered_housing = "support_sheltered_housing"
    """
    Supported housing with supervision for people with psychological or psychosocial problems (beschermd wonen).
    """
    Shelter_for_homeless_people = "support_shelter"
    """
    Shelter and support for people who have left their home and cannot cope on their own (maatschappelijke opvang).
    """
    Youth_care = "youth"
    """
    Care and support for children and young people under the Jeugdwet.
    """
    Outpatient_youth_care = "youth_outpatient"
    """
    Youth care without stay (jeugdhulp zonder verblijf), including youth guidance.
    """
    Residential_youth_care = "youth_residential"
    """
    Youth care with stay, in a foster family or an institution (jeugdhulp met verblijf).
    """
    Youth_mental_health_care = "youth_mental_health"
    """
    Mental health treatment for young people under the Jeugdwet (jeugd-GGZ).
    """
    Child_protection_measure = "youth_protection"
    """
    A child protection order or youth probation (jeugdbescherming, jeugdreclassering).
    """
    Safety_and_nuisance = "safety"
    """
    Reports of nuisance, worry or unsafe situations involving a person.
    """
    Police_report_of_a_confused_person_LEFT_PARENTHESISE33RIGHT_PARENTHESIS = "safety_e33"
    """
    A police incident registered under code E33, nuisance by a confused or overstrained person.
    """
    Report_to_the_care_and_nuisance_reporting_point = "safety_care_report"
    """
    A report of worry about a person or of nuisance to the municipal reporting point (meldpunt zorg en overlast).
    """
    Outreach_care = "safety_outreach"
    """
    Outreach care for people with multiple problems who do not seek care themselves (bemoeizorg, OGGZ).
    """
    Social_context = "context"
    """
    Social and material living conditions that go with or add to vulnerability.
    """
    Loneliness = "context_loneliness"
    """
    Loneliness as measured by the De Jong Gierveld scale (score 0–11, lonely from 3).
    """
    Severe_loneliness = "context_loneliness_severe"
    """
    Severe or very severe loneliness, De Jong Gierveld score 9 or higher.
    """
    Debt_problems = "context_debt"
    """
    Problematic debts or difficulty making ends meet.
    """
    Debt_counselling = "context_debt_counselling"
    """
    Municipal debt counselling under the Wgs, from intake to a debt settlement (schuldhulpverlening).
    """
    Income_support = "context_income_support"
    """
    Social assistance benefit under the Participatiewet (bijstand).
    """
    Housing_problems = "context_housing"
    """
    Problems with housing such as rent arrears, threatened eviction or homelessness.
    """
    Threatened_or_executed_eviction = "context_housing_eviction"
    """
    An eviction procedure started or carried out (huisuitzetting).
    """
    Homelessness = "context_housing_homeless"
    """
    Having no home of one's own, sleeping rough or staying with others (dakloosheid).
    """
    Functioning_and_participation = "functioning"
    """
    How a person functions in daily life and takes part in work, education and society.
    """
    Limitations_in_daily_functioning = "functioning_daily_limitations"
    """
    Serious limitations in self-care, household or daily activities due to health.
    """
    No_paid_work_or_education = "functioning_no_work"
    """
    Not in paid work or education while of working age.
    """
    Limited_social_participation = "functioning_social_participation"
    """
    Little or no contact with others or participation in social activities.
    """


class Sex(str, Enum):
    """
    Sex as registered (CBS uses man / vrouw).
    """
    male = "male"
    """
    Man.
    """
    female = "female"
    """
    Woman.
    """
    unknown = "unknown"
    """
    Not registered or not disclosed.
    """


class RegionLevel(str, Enum):
    """
    The level of a region in the nesting buurt → wijk → gemeente → regio → land.
    """
    land = "land"
    """
    The Netherlands.
    """
    regio = "regio"
    """
    A group of gemeenten such as Twente (CBS COROP region CR12).
    """
    gemeente = "gemeente"
    """
    A municipality (CBS GMxxxx).
    """
    wijk = "wijk"
    """
    A district of a gemeente (CBS WKxxxxxx).
    """
    buurt = "buurt"
    """
    A neighbourhood of a wijk (CBS BUxxxxxxxx, or a zicht synthetic buurt BUxxxxxxSnn).
    """


class SourceKind(str, Enum):
    """
    What kind of data a source delivers; it decides whether results are counts or estimates.
    """
    registration = "registration"
    """
    Person-level records of provided care, benefits or reports; they give counts.
    """
    survey = "survey"
    """
    A weighted sample survey such as the GGD health monitor; it gives estimates with intervals.
    """
    narrative = "narrative"
    """
    Narrative expertise of professionals, as dated and authored notes.
    """


class CoverageStatus(str, Enum):
    """
    Whether a gemeente delivers a source for a period.
    """
    full = "full"
    """
    The source is delivered for the whole period.
    """
    partial = "partial"
    """
    The source is delivered for part of the period or part of the population.
    """
    none = "none"
    """
    The source is not delivered.
    """


class DefinitionStatus(str, Enum):
    """
    Lifecycle status of a definition version; a published version never changes.
    """
    draft = "draft"
    """
    Being written; may change.
    """
    published = "published"
    """
    Frozen and citable; any change makes a new version.
    """
    deprecated = "deprecated"
    """
    Superseded by a newer version but still valid for comparison.
    """
    withdrawn = "withdrawn"
    """
    Withdrawn because it is wrong; kept only for the record.
    """


class LogicOperator(str, Enum):
    """
    How the operands of a logic node are combined.
    """
    all = "all"
    """
    Every operand holds (AND).
    """
    any = "any"
    """
    At least one operand holds (OR).
    """
    at_least = "at_least"
    """
    At least k of the operands hold.
    """
    not_ = "not"
    """
    The single operand does not hold.
    """


class ColumnRole(str, Enum):
    """
    What a column of a source extract carries.
    """
    person_key = "person_key"
    """
    The pseudonymous person key.
    """
    record_id = "record_id"
    """
    The source's own record id.
    """
    code = "code"
    """
    The source's own code that the mapping translates into a framework concept.
    """
    start_date = "start_date"
    """
    Start or event date.
    """
    end_date = "end_date"
    """
    End date.
    """
    value = "value"
    """
    A numeric value such as a K10 score.
    """
    region = "region"
    """
    A region code (residence or location).
    """
    sex = "sex"
    """
    Sex of the person.
    """
    birth_year = "birth_year"
    """
    Birth year of the person.
    """
    weight = "weight"
    """
    A survey design weight.
    """
    text = "text"
    """
    Free text.
    """
    other = "other"
    """
    Anything else.
    """


class ColumnDatatype(str, Enum):
    """
    The datatype of a source column.
    """
    string = "string"
    """
    Text.
    """
    integer = "integer"
    """
    Whole number.
    """
    decimal = "decimal"
    """
    Decimal number.
    """
    date = "date"
    """
    ISO 8601 date, YYYY-MM-DD.
    """



class Container(ConfiguredBaseModel):
    """
    A bag of records, used to validate and exchange collections of instances in one document.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'from_schema': 'https://w3id.org/zicht/schema', 'tree_root': True})

    persons: Optional[list[Person]] = Field(default=None, description="""Persons.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Container']} })
    events: Optional[list[Event]] = Field(default=None, description="""Events.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Container']} })
    regions: Optional[list[Region]] = Field(default=None, description="""Regions.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Container']} })
    populations: Optional[list[Population]] = Field(default=None, description="""Population cells.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Container']} })
    source_descriptors: Optional[list[Source]] = Field(default=None, description="""Source descriptors.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Container']} })
    notes: Optional[list[Note]] = Field(default=None, description="""Narrative notes.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Container']} })
    definitions: Optional[list[Definition]] = Field(default=None, description="""Target-group definitions.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Container']} })
    framework_concepts: Optional[list[Concept]] = Field(default=None, description="""Framework concepts.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Container']} })


class Concept(ConfiguredBaseModel):
    """
    A concept of the framework as a SKOS concept: the published view of one FrameworkConcept value, with its labels, definition and place in the hierarchy.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'skos:Concept',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'id': {'name': 'id',
                               'pattern': '^zc:[a-z][a-z0-9_]*$',
                               'range': 'Curie'}}})

    id: str = Field(default=..., description="""The identifier of the record.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept',
                       'Person',
                       'Event',
                       'Region',
                       'Source',
                       'Note',
                       'Definition',
                       'Criterion'],
         'slot_uri': 'dcterms:identifier'} })
    pref_label_nl: str = Field(default=..., description="""Dutch preferred label.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept']} })
    pref_label_en: str = Field(default=..., description="""English preferred label.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept']} })
    definition: str = Field(default=..., description="""Definition text.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept'], 'slot_uri': 'skos:definition'} })
    broader: Optional[str] = Field(default=None, description="""The CURIE of the broader concept; empty for a domain.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept'], 'slot_uri': 'skos:broader'} })
    in_scheme: Optional[str] = Field(default=None, description="""The concept scheme it belongs to.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept'], 'slot_uri': 'skos:inScheme'} })

    @field_validator('id')
    def pattern_id(cls, v):
        pattern=re.compile(r"^zc:[a-z][a-z0-9_]*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid id format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid id format: {v}"
            raise ValueError(err_msg)
        return v

    @field_validator('broader')
    def pattern_broader(cls, v):
        pattern=re.compile(r"^zc:[a-z][a-z0-9_]*$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid broader format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid broader format: {v}"
            raise ValueError(err_msg)
        return v


class Person(ConfiguredBaseModel):
    """
    A person known to at least one source, identified only by a pseudonym. Holds no direct identifiers (no BSN, name, address or full date of birth).
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Person',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'id': {'name': 'id', 'range': 'Pseudonym'},
                        'sex': {'name': 'sex', 'required': True}}})

    id: str = Field(default=..., description="""The identifier of the record.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept',
                       'Person',
                       'Event',
                       'Region',
                       'Source',
                       'Note',
                       'Definition',
                       'Criterion'],
         'slot_uri': 'dcterms:identifier'} })
    sex: Sex = Field(default=..., description="""Sex as registered.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Person', 'Population']} })
    birth_year: int = Field(default=..., description="""Year of birth (never the full date).""", ge=1900, le=2100, json_schema_extra = { "linkml_meta": {'domain_of': ['Person']} })
    residence_gemeente: str = Field(default=..., description="""Gemeente of residence.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Person']} })
    residence_wijk: Optional[str] = Field(default=None, description="""Wijk of residence.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Person']} })
    residence_buurt: Optional[str] = Field(default=None, description="""Buurt of residence.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Person']} })


class Event(ConfiguredBaseModel):
    """
    One harmonised record of a source: a person had care, support, a benefit, a report or a survey answer that the source's mapping translates into a framework concept. The original source code is kept so that every event can be traced back.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Event',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'concept': {'name': 'concept', 'required': True},
                        'id': {'description': 'Stable event id derived from source, '
                                              'file and row.',
                               'name': 'id',
                               'range': 'Identifier'},
                        'region_code': {'description': 'Location of the event where '
                                                       'the source gives one (e.g. the '
                                                       'wijk of an E33 report).',
                                        'name': 'region_code'},
                        'source_id': {'name': 'source_id', 'required': True},
                        'start_date': {'name': 'start_date', 'required': True}}})

    id: str = Field(default=..., description="""Stable event id derived from source, file and row.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept',
                       'Person',
                       'Event',
                       'Region',
                       'Source',
                       'Note',
                       'Definition',
                       'Criterion'],
         'slot_uri': 'dcterms:identifier'} })
    source_id: str = Field(default=..., description="""The identifier of the Source the record comes from.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event']} })
    concept: FrameworkConcept = Field(default=..., description="""A concept of the framework.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event']} })
    start_date: date = Field(default=..., description="""First day of the period or date of the event.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event', 'SourceCoverage']} })
    end_date: Optional[date] = Field(default=None, description="""Last day of the period (inclusive); empty when still running.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event', 'SourceCoverage']} })
    region_code: Optional[str] = Field(default=None, description="""Location of the event where the source gives one (e.g. the wijk of an E33 report).""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event', 'Population', 'Note']} })
    person_id: str = Field(default=..., description="""The pseudonym of the person.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event']} })
    source_code: str = Field(default=..., description="""The source's own code, unchanged.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event']} })
    source_code_system: Optional[str] = Field(default=None, description="""The code system of source_code (the mapping's subject prefix).""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event']} })
    value: Optional[float] = Field(default=None, description="""A numeric value such as a K10 or loneliness score.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event']} })
    weight: Optional[float] = Field(default=None, description="""Survey design weight (survey sources only).""", ge=0, json_schema_extra = { "linkml_meta": {'domain_of': ['Event']} })
    mapping_predicate: Optional[str] = Field(default=None, description="""The SSSOM predicate by which source_code maps to concept.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event']} })


class Region(ConfiguredBaseModel):
    """
    A CBS region (or a labelled synthetic sub-region) with its place in the nesting.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Region',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'id': {'description': 'The region code.',
                               'name': 'id',
                               'range': 'RegionCode'},
                        'name': {'name': 'name', 'required': True},
                        'year': {'description': 'The year of the region layout.',
                                 'name': 'year',
                                 'required': True}}})

    id: str = Field(default=..., description="""The region code.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept',
                       'Person',
                       'Event',
                       'Region',
                       'Source',
                       'Note',
                       'Definition',
                       'Criterion'],
         'slot_uri': 'dcterms:identifier'} })
    name: str = Field(default=..., description="""A human-readable name.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Region', 'SourceColumn'], 'slot_uri': 'schema:name'} })
    year: int = Field(default=..., description="""The year of the region layout.""", ge=1900, le=2100, json_schema_extra = { "linkml_meta": {'domain_of': ['Region', 'Population']} })
    synthetic: Optional[bool] = Field(default=None, description="""True for a record that was modelled or generated rather than published by CBS.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Region', 'Population']} })
    level: RegionLevel = Field(default=..., description="""Level in the nesting.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Region']} })
    parent: Optional[str] = Field(default=None, description="""Code of the enclosing region; empty only for NL01.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Region']} })


class Population(ConfiguredBaseModel):
    """
    Number of residents of a region on 1 January of a year, by sex and age band.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Population',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'age_max': {'description': 'Highest age in the band '
                                                   '(inclusive); empty for an open '
                                                   'band such as 95+.',
                                    'name': 'age_max'},
                        'age_min': {'name': 'age_min', 'required': True},
                        'count': {'name': 'count', 'required': True},
                        'region_code': {'name': 'region_code', 'required': True},
                        'sex': {'name': 'sex', 'required': True},
                        'year': {'name': 'year', 'required': True}}})

    region_code: str = Field(default=..., description="""The code of the region the record belongs to.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event', 'Population', 'Note']} })
    year: int = Field(default=..., description="""The calendar year the record refers to.""", ge=1900, le=2100, json_schema_extra = { "linkml_meta": {'domain_of': ['Region', 'Population']} })
    sex: Sex = Field(default=..., description="""Sex as registered.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Person', 'Population']} })
    age_min: int = Field(default=..., description="""Lowest age included, in whole years.""", ge=0, le=120, json_schema_extra = { "linkml_meta": {'domain_of': ['Population', 'Criterion', 'AgeRange']} })
    age_max: Optional[int] = Field(default=None, description="""Highest age in the band (inclusive); empty for an open band such as 95+.""", ge=0, le=120, json_schema_extra = { "linkml_meta": {'domain_of': ['Population', 'Criterion', 'AgeRange']} })
    count: int = Field(default=..., description="""A number of persons.""", ge=0, json_schema_extra = { "linkml_meta": {'domain_of': ['Population']} })
    synthetic: Optional[bool] = Field(default=None, description="""True for a record that was modelled or generated rather than published by CBS.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Region', 'Population']} })


class Source(ConfiguredBaseModel):
    """
    The descriptor of a data source: what it is, who owns it, which code system it uses, which gemeenten deliver it for which period, and the columns of its extract.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Source',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'id': {'name': 'id', 'range': 'Identifier'},
                        'title': {'name': 'title', 'required': True}}})

    id: str = Field(default=..., description="""The identifier of the record.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept',
                       'Person',
                       'Event',
                       'Region',
                       'Source',
                       'Note',
                       'Definition',
                       'Criterion'],
         'slot_uri': 'dcterms:identifier'} })
    title: str = Field(default=..., description="""A short title.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source', 'Definition', 'Reference'],
         'slot_uri': 'dcterms:title'} })
    description: Optional[str] = Field(default=None, description="""A free-text description.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source', 'SourceColumn', 'Definition'],
         'slot_uri': 'dcterms:description'} })
    kind: SourceKind = Field(default=..., description="""Registration, survey or narrative.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    owner: str = Field(default=..., description="""The organisation that holds the data.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    code_system: str = Field(default=..., description="""Prefix of the source's own codes (the mapping subject prefix).""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    mapping_set_id: Optional[str] = Field(default=None, description="""The SSSOM mapping set that translates the codes.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    period_start: date = Field(default=..., description="""First day covered.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    period_end: date = Field(default=..., description="""Last day covered.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    coverage: list[SourceCoverage] = Field(default=..., description="""Per gemeente whether and for which period the source is delivered.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    columns: Optional[list[SourceColumn]] = Field(default=None, description="""The columns of the source's extract.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    file_pattern: Optional[str] = Field(default=None, description="""Glob of the extract file names of this source.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    delimiter: Optional[str] = Field(default=None, description="""Field delimiter of CSV extracts.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    encoding: Optional[str] = Field(default=None, description="""Character encoding of CSV extracts.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })
    person_key: Optional[str] = Field(default=None, description="""How the person key was pseudonymised at the source.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source']} })


class SourceCoverage(ConfiguredBaseModel):
    """
    Whether one gemeente delivers a source, and for which period.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:SourceCoverage',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'gemeente_code': {'name': 'gemeente_code', 'required': True}}})

    gemeente_code: str = Field(default=..., description="""A CBS gemeente code.""", json_schema_extra = { "linkml_meta": {'domain_of': ['SourceCoverage']} })
    start_date: Optional[date] = Field(default=None, description="""First day of the period or date of the event.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event', 'SourceCoverage']} })
    end_date: Optional[date] = Field(default=None, description="""Last day of the period (inclusive); empty when still running.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event', 'SourceCoverage']} })
    coverage_status: CoverageStatus = Field(default=..., description="""Full, partial or none.""", json_schema_extra = { "linkml_meta": {'domain_of': ['SourceCoverage']} })
    remark: Optional[str] = Field(default=None, description="""Why coverage is partial or missing.""", json_schema_extra = { "linkml_meta": {'domain_of': ['SourceCoverage']} })


class SourceColumn(ConfiguredBaseModel):
    """
    One column of a source extract.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:SourceColumn',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'name': {'name': 'name', 'required': True}}})

    name: str = Field(default=..., description="""A human-readable name.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Region', 'SourceColumn'], 'slot_uri': 'schema:name'} })
    description: Optional[str] = Field(default=None, description="""A free-text description.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source', 'SourceColumn', 'Definition'],
         'slot_uri': 'dcterms:description'} })
    role: ColumnRole = Field(default=..., description="""What the column carries.""", json_schema_extra = { "linkml_meta": {'domain_of': ['SourceColumn']} })
    datatype: ColumnDatatype = Field(default=..., description="""Datatype of the values.""", json_schema_extra = { "linkml_meta": {'domain_of': ['SourceColumn']} })
    required: Optional[bool] = Field(default=None, description="""True when every row must have a value.""", json_schema_extra = { "linkml_meta": {'domain_of': ['SourceColumn']} })
    pattern: Optional[str] = Field(default=None, description="""Regular expression every value must match.""", json_schema_extra = { "linkml_meta": {'domain_of': ['SourceColumn']} })


class Note(ConfiguredBaseModel):
    """
    Narrative expertise: a dated, authored note by a professional about a region, an indicator or a definition.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Note',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'author': {'name': 'author', 'required': True},
                        'created_on': {'name': 'created_on', 'required': True},
                        'id': {'name': 'id', 'range': 'Identifier'},
                        'region_code': {'description': 'The region the note is about.',
                                        'name': 'region_code'}}})

    id: str = Field(default=..., description="""The identifier of the record.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept',
                       'Person',
                       'Event',
                       'Region',
                       'Source',
                       'Note',
                       'Definition',
                       'Criterion'],
         'slot_uri': 'dcterms:identifier'} })
    author: str = Field(default=..., description="""Who wrote it (a person or a field lab).""", json_schema_extra = { "linkml_meta": {'domain_of': ['Note', 'Definition'], 'slot_uri': 'dcterms:creator'} })
    created_on: date = Field(default=..., description="""The date it was written.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Note'], 'slot_uri': 'dcterms:date'} })
    region_code: Optional[str] = Field(default=None, description="""The region the note is about.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Event', 'Population', 'Note']} })
    text: str = Field(default=..., description="""The note itself.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Note']} })
    indicator: Optional[str] = Field(default=None, description="""The indicator or framework concept the note is about.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Note']} })
    definition_id: Optional[str] = Field(default=None, description="""The definition the note is about.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Note']} })
    language: Optional[str] = Field(default=None, description="""ISO 639-1 language of the text.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Note']} })

    @field_validator('language')
    def pattern_language(cls, v):
        pattern=re.compile(r"^[a-z]{2}$")
        if isinstance(v, list):
            for element in v:
                if isinstance(element, str) and not pattern.search(element):
                    err_msg = f"Invalid language format: {element}"
                    raise ValueError(err_msg)
        elif isinstance(v, str) and not pattern.search(v):
            err_msg = f"Invalid language format: {v}"
            raise ValueError(err_msg)
        return v


class Definition(ConfiguredBaseModel):
    """
    A versioned, citable definition of the target group registered by a field lab: criteria over framework concepts combined by logic. A published version never changes.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Definition',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'author': {'description': 'The field lab (proeftuin) or group '
                                                  'that owns the definition.',
                                   'name': 'author',
                                   'required': True},
                        'description': {'name': 'description', 'required': True},
                        'id': {'name': 'id', 'range': 'Identifier'},
                        'title': {'name': 'title', 'required': True}}})

    id: str = Field(default=..., description="""The identifier of the record.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept',
                       'Person',
                       'Event',
                       'Region',
                       'Source',
                       'Note',
                       'Definition',
                       'Criterion'],
         'slot_uri': 'dcterms:identifier'} })
    title: str = Field(default=..., description="""A short title.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source', 'Definition', 'Reference'],
         'slot_uri': 'dcterms:title'} })
    description: str = Field(default=..., description="""A free-text description.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source', 'SourceColumn', 'Definition'],
         'slot_uri': 'dcterms:description'} })
    author: str = Field(default=..., description="""The field lab (proeftuin) or group that owns the definition.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Note', 'Definition'], 'slot_uri': 'dcterms:creator'} })
    version: str = Field(default=..., description="""Semantic version of this definition.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    status: DefinitionStatus = Field(default=..., description="""Lifecycle status.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    domains: list[FrameworkConcept] = Field(default=..., description="""The framework domains the definition draws on.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    reference_period: Optional[ReferencePeriod] = Field(default=None, description="""The period over which membership is determined, relative to a reference date.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    population: Optional[AgeRange] = Field(default=None, description="""The age range of the population the definition applies to (also the denominator).""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    criteria: list[Criterion] = Field(default=..., description="""The criteria the logic combines.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    logic: Logic = Field(default=..., description="""How the criteria combine into membership.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    references: Optional[list[Reference]] = Field(default=None, description="""Literature and documents the definition is based on.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    content_hash: Optional[str] = Field(default=None, description="""Hash over the normalised definition content.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    created: Optional[date] = Field(default=None, description="""Date this version was created.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    published: Optional[date] = Field(default=None, description="""Date this version was published.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    supersedes: Optional[str] = Field(default=None, description="""The version this one replaces.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })
    changelog: Optional[str] = Field(default=None, description="""What changed compared to the superseded version.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Definition']} })


class Criterion(ConfiguredBaseModel):
    """
    One condition on a person's events: events of a set of concepts (with their narrower concepts), optionally from given sources, in a time window, at least a number of times, with a value threshold and age limits.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Criterion',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'id': {'description': 'Identifier of the criterion within its '
                                              'definition.',
                               'identifier': False,
                               'name': 'id',
                               'range': 'Identifier'}}})

    id: str = Field(default=..., description="""Identifier of the criterion within its definition.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Concept',
                       'Person',
                       'Event',
                       'Region',
                       'Source',
                       'Note',
                       'Definition',
                       'Criterion'],
         'slot_uri': 'dcterms:identifier'} })
    age_min: Optional[int] = Field(default=None, description="""Lowest age included, in whole years.""", ge=0, le=120, json_schema_extra = { "linkml_meta": {'domain_of': ['Population', 'Criterion', 'AgeRange']} })
    age_max: Optional[int] = Field(default=None, description="""Highest age included, in whole years (inclusive).""", ge=0, le=120, json_schema_extra = { "linkml_meta": {'domain_of': ['Population', 'Criterion', 'AgeRange']} })
    label: str = Field(default=..., description="""A short human-readable label.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Criterion']} })
    concepts: list[FrameworkConcept] = Field(default=..., description="""Concepts an event must have.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Criterion']} })
    include_narrower: Optional[bool] = Field(default=None, description="""Also match narrower concepts (default true).""", json_schema_extra = { "linkml_meta": {'domain_of': ['Criterion']} })
    sources: Optional[list[str]] = Field(default=None, description="""Only events from these sources.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Criterion']} })
    window_months: Optional[int] = Field(default=None, description="""Events starting or running in the months up to the reference date.""", ge=1, le=240, json_schema_extra = { "linkml_meta": {'domain_of': ['Criterion']} })
    min_occurrences: Optional[int] = Field(default=None, description="""Minimum number of matching events (default 1).""", ge=1, json_schema_extra = { "linkml_meta": {'domain_of': ['Criterion']} })
    min_span_days: Optional[int] = Field(default=None, description="""Minimum days between the first start and the last end (or start) of matching events.""", ge=0, json_schema_extra = { "linkml_meta": {'domain_of': ['Criterion']} })
    value_min: Optional[float] = Field(default=None, description="""Lowest value (inclusive) of a matching event.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Criterion']} })
    value_max: Optional[float] = Field(default=None, description="""Highest value (inclusive) of a matching event.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Criterion']} })


class Logic(ConfiguredBaseModel):
    """
    A node of the logic tree: an operator over operands (criterion ids) and nested groups. `not` takes exactly one operand; `at_least` needs k.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Logic', 'from_schema': 'https://w3id.org/zicht/schema'})

    op: LogicOperator = Field(default=..., description="""The operator.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Logic']} })
    k: Optional[int] = Field(default=None, description="""The k of at_least.""", ge=1, json_schema_extra = { "linkml_meta": {'domain_of': ['Logic']} })
    operands: Optional[list[str]] = Field(default=None, description="""Ids of criteria that are operands.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Logic']} })
    groups: Optional[list[Logic]] = Field(default=None, description="""Nested nodes that are operands.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Logic']} })


class ReferencePeriod(ConfiguredBaseModel):
    """
    The period of data a definition looks at, ending on the reference date.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:ReferencePeriod',
         'from_schema': 'https://w3id.org/zicht/schema'})

    months: int = Field(default=..., description="""Length in months.""", ge=1, le=240, json_schema_extra = { "linkml_meta": {'domain_of': ['ReferencePeriod']} })


class AgeRange(ConfiguredBaseModel):
    """
    An age range in whole years (inclusive).
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:AgeRange', 'from_schema': 'https://w3id.org/zicht/schema'})

    age_min: Optional[int] = Field(default=None, description="""Lowest age included, in whole years.""", ge=0, le=120, json_schema_extra = { "linkml_meta": {'domain_of': ['Population', 'Criterion', 'AgeRange']} })
    age_max: Optional[int] = Field(default=None, description="""Highest age included, in whole years (inclusive).""", ge=0, le=120, json_schema_extra = { "linkml_meta": {'domain_of': ['Population', 'Criterion', 'AgeRange']} })


class Reference(ConfiguredBaseModel):
    """
    A literature reference or document.
    """
    linkml_meta: ClassVar[LinkMLMeta] = LinkMLMeta({'class_uri': 'zicht:Reference',
         'from_schema': 'https://w3id.org/zicht/schema',
         'slot_usage': {'title': {'name': 'title', 'required': True}}})

    title: str = Field(default=..., description="""A short title.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Source', 'Definition', 'Reference'],
         'slot_uri': 'dcterms:title'} })
    citation: Optional[str] = Field(default=None, description="""A full citation.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Reference']} })
    url: Optional[str] = Field(default=None, description="""Where to read it.""", json_schema_extra = { "linkml_meta": {'domain_of': ['Reference']} })


# Model rebuild
# see https://pydantic-docs.helpmanual.io/usage/models/#rebuilding-a-model
Container.model_rebuild()
Concept.model_rebuild()
Person.model_rebuild()
Event.model_rebuild()
Region.model_rebuild()
Population.model_rebuild()
Source.model_rebuild()
SourceCoverage.model_rebuild()
SourceColumn.model_rebuild()
Note.model_rebuild()
Definition.model_rebuild()
Criterion.model_rebuild()
Logic.model_rebuild()
ReferencePeriod.model_rebuild()
AgeRange.model_rebuild()
Reference.model_rebuild()
