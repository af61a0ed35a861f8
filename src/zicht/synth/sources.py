"""The synthetic sources: their extract formats (own column names, delimiters, files) and coverage.

One `SourceSpec` per source id. Its columns say which logical field of a generated record fills
which column of the extract (`field`), and carry the role/datatype that the descriptor declares.
Coverage is a rule over gemeente codes, so that the national descriptor in ``mappings/`` and the
descriptor written next to each run's extracts come from the same place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from zicht.regions import codes
from zicht.synth.codes import CODES

PERIOD_START = date(2022, 1, 1)
PERIOD_END = date(2024, 12, 31)
SURVEY_START = date(2024, 9, 2)
SURVEY_END = date(2024, 12, 13)

PSEUDONYM_PATTERN = "^[0-9a-f]{64}$"
PERSON_KEY_METHOD = (
    "HMAC-SHA-256 (lowercase hex) of the internal person number with the field-lab key, applied at the "
    "source; the same key for every source so that records link"
)

# The Twente gemeenten that keep their own Wmo product list; the other eleven share the regional list.
WMO_OWN_LIST = {"GM0153": "wmo-enschede", "GM0164": "wmo-hengelo", "GM0141": "wmo-almelo"}


@lru_cache(maxsize=1)
def _twente() -> frozenset[str]:
    # The region data is the one list of Twente's gemeenten; read lazily, on first use.
    from zicht.regions import gemeente_codes

    return frozenset(gemeente_codes("twente"))


@dataclass(frozen=True)
class Column:
    name: str
    role: str  # ColumnRole
    datatype: str  # ColumnDatatype
    field: str  # logical field of a generated record (see zicht.synth.records)
    required: bool = False
    pattern: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Coverage:
    status: str  # full / partial / none
    start: date | None = None
    end: date | None = None
    remark: str | None = None


@dataclass(frozen=True)
class SourceSpec:
    id: str
    title: str
    description: str
    kind: str
    owner: str
    code_system: str
    file_stem: str  # extract file name is f"{file_stem}_{gemeente}.{ext}"
    columns: tuple[Column, ...]
    fmt: str = "csv"  # csv or parquet
    delimiter: str = ","
    period_start: date = PERIOD_START
    period_end: date = PERIOD_END
    point_events: bool = False
    exceptions: dict[str, Coverage] = field(default_factory=dict)

    @property
    def codes(self) -> list:
        return CODES[self.id]

    def file_name(self, gemeente: str) -> str:
        return f"{self.file_stem}_{gemeente}.{self.fmt}"

    def applies_to(self, gemeente: str) -> bool:
        """True when this code system is the one the gemeente uses (only Wmo differs per gemeente)."""
        return wmo_source_of(gemeente) == self.id if self.id.startswith("wmo-") else True

    def coverage(self, gemeente: str) -> Coverage:
        return self.exceptions.get(gemeente) or _national_exception(self.id, gemeente) or Coverage("full")


def wmo_source_of(gemeente: str) -> str:
    """The Wmo code system a gemeente registers its provisions in."""
    if gemeente in WMO_OWN_LIST:
        return WMO_OWN_LIST[gemeente]
    if gemeente in _twente():
        return "wmo-twente-regio"
    # outside Twente: a fixed, seed-independent split between two national variants
    return "wmo-nl-standaard" if sum(int(d) for d in gemeente[2:]) % 2 == 0 else "wmo-nl-lokaal"


def _national_exception(source_id: str, gemeente: str) -> Coverage | None:
    # A few gemeenten outside Twente do not deliver some municipal sources, so that national counts
    # also meet missing coverage. Fixed rules on the code keep the descriptors seed-independent.
    if gemeente in _twente():
        return None
    n = int(gemeente[2:])
    if source_id == "meldpunt" and n % 9 == 4:
        return Coverage("none", remark="Meldpunt zorg en overlast registreert niet op persoonsniveau.")
    if source_id == "schuldhulp" and n % 13 == 5:
        return Coverage("none", remark="Schuldhulpverlening uitbesteed; geen levering.")
    if source_id == "jeugd" and n % 17 == 3:
        return Coverage(
            "partial",
            date(2023, 1, 1),
            PERIOD_END,
            "Nieuw registratiesysteem vanaf 2023; 2022 niet geleverd.",
        )
    return None


def _key(name: str) -> Column:
    return Column(
        name,
        "person_key",
        "string",
        "person_key",
        True,
        PSEUDONYM_PATTERN,
        "Pseudoniem van de persoon (sleutel-hash aan de bron).",
    )


def _date(name: str, role: str, required: bool) -> Column:
    field_name = "start" if role == "start_date" else "end"
    return Column(
        name,
        role,
        "date",
        field_name,
        required,
        r"^\d{4}-\d{2}-\d{2}$",
        "Datum in ISO 8601 (JJJJ-MM-DD)" + ("" if required else "; leeg = loopt nog") + ".",
    )


def _wijk(name: str, required: bool = True) -> Column:
    # CBS wijk codes end in two characters that are letters for Amsterdam (WK0363AA): the model's WijkCode
    return Column(
        name,
        "region",
        "string",
        "wijk",
        required,
        codes.patterns()["WijkCode"],
        "CBS-wijkcode (indeling 2024).",
    )


def _gemeente(name: str) -> Column:
    return Column(
        name, "region", "string", "gemeente", True, codes.patterns()["GemeenteCode"], "CBS-gemeentecode."
    )


def _code(name: str, field_name: str = "code", description: str | None = None) -> Column:
    return Column(name, "code", "string", field_name, True, None, description)


def _record(name: str) -> Column:
    return Column(name, "record_id", "string", "record_id", True, None, "Eigen recordnummer van de bron.")


_WMO_FORMATS: dict[str, tuple[str, str, tuple[Column, ...]]] = {
    "wmo-enschede": (
        "Gemeente Enschede",
        ";",
        (
            _key("client_key"),
            _record("toewijzingnummer"),
            _code("product"),
            _date("ingangsdatum", "start_date", True),
            _date("einddatum", "end_date", False),
            _wijk("wijk"),
        ),
    ),
    "wmo-hengelo": (
        "Gemeente Hengelo",
        ",",
        (
            _key("burger_id"),
            _record("beschikking_id"),
            _code("voorziening_code"),
            _date("datum_start", "start_date", True),
            _date("datum_einde", "end_date", False),
        ),
    ),
    "wmo-almelo": (
        "Gemeente Almelo",
        ";",
        (
            _key("cliënt_pseudoniem"),
            _record("dossier"),
            _code("prodcode"),
            _date("begin", "start_date", True),
            _date("eind", "end_date", False),
        ),
    ),
    "wmo-twente-regio": (
        "Samenwerkende Twentse gemeenten (inkoopregio Twente)",
        ";",
        (
            _key("pseudo_id"),
            _record("regnr"),
            _code("code_voorziening"),
            _date("startdatum", "start_date", True),
            _date("einddatum", "end_date", False),
            _gemeente("gemeentecode"),
        ),
    ),
    "wmo-nl-standaard": (
        "Gemeenten met de standaard iWmo-productlijst",
        ",",
        (
            _key("clientsleutel"),
            _record("toewijzing"),
            _code("productcode"),
            _date("begindatum", "start_date", True),
            _date("einddatum", "end_date", False),
            _gemeente("gemeente"),
        ),
    ),
    "wmo-nl-lokaal": (
        "Gemeenten met een eigen lokale productlijst",
        ";",
        (
            _key("persoon"),
            _record("id"),
            _code("product"),
            _date("van", "start_date", True),
            _date("tot", "end_date", False),
            _gemeente("gemeente"),
        ),
    ),
}


def _wmo_spec(source_id: str) -> SourceSpec:
    owner, delimiter, columns = _WMO_FORMATS[source_id]
    exceptions = {}
    if source_id == "wmo-twente-regio":
        exceptions["GM0189"] = Coverage(
            "partial",
            date(2024, 7, 1),
            PERIOD_END,
            "Nieuw Wmo-systeem per 1 juli 2024; alleen voorzieningen die op of na die "
            "datum lopen zijn geleverd.",
        )
    return SourceSpec(
        id=source_id,
        title=f"Wmo-maatwerkvoorzieningen: {owner}",
        description="Toegekende Wmo-maatwerkvoorzieningen met de lokale productcodes van de gemeente(n).",
        kind="registration",
        owner=owner,
        code_system=f"{source_id.replace('-', '')}:product",
        file_stem="wmo",
        columns=columns,
        delimiter=delimiter,
        exceptions=exceptions,
    )


SPECS: dict[str, SourceSpec] = {
    s.id: s
    for s in [
        SourceSpec(
            id="brp",
            title="BRP-uittreksel (gepseudonimiseerd)",
            description="Alle ingezetenen per gemeente op de peildatum: pseudoniem, geslacht, geboortejaar en "
            "woonbuurt. Het is de persoonstabel waaraan alle andere bronnen koppelen.",
            kind="registration",
            owner="Gemeente (Basisregistratie Personen)",
            code_system="brp:geslacht",
            file_stem="brp",
            fmt="parquet",
            period_start=PERIOD_END,
            columns=(
                _key("pseudoniem"),
                Column("geslacht", "sex", "string", "sex", True, "^[MVO]$", "Geslachtsaanduiding M, V of O."),
                Column("geboortejaar", "birth_year", "integer", "birth_year", True, None, "Geboortejaar."),
                _gemeente("gemeentecode"),
                _wijk("wijkcode"),
                Column(
                    "buurtcode",
                    "region",
                    "string",
                    "buurt",
                    True,
                    codes.patterns()["SyntheticBuurtCode"],
                    "Buurtcode van de synthetische buurtindeling (BU + wijkcode + S + volgnummer, nooit een CBS-code; "
                    "zie docs/synthetic-data.md).",
                ),
            ),
        ),
        SourceSpec(
            id="zvw-ggz",
            title="GGZ-declaraties zorgverzekeraar (zorgprestatiemodel)",
            description="Declaratieregels ggz van de zorgverzekeraar per verzekerde: zorgprestatie (basis-ggz, "
            "gespecialiseerd ambulant, klinisch, FACT, crisis) en hoofddiagnosegroep. Declaraties sluiten per "
            "kalenderjaar; elke codekolom levert een eigen gebeurtenis op.",
            kind="registration",
            owner="Zorgverzekeraar (regio Oost)",
            code_system="zvwggz:code",
            file_stem="ggz_declaraties",
            columns=(
                _record("declaratienummer"),
                _key("verzekerde_pseudo"),
                _code("zorgprestatie", description="Zorgprestatie (codelijst groep zorgprestatie)."),
                _code(
                    "hoofddiagnosegroep",
                    "code2",
                    "Hoofddiagnosegroep DSM-5 (codelijst groep hoofddiagnosegroep).",
                ),
                _date("begindatum", "start_date", True),
                _date("einddatum", "end_date", False),
                Column(
                    "uzovi", "other", "string", "other", True, "^[0-9]{4}$", "UZOVI-code van de verzekeraar."
                ),
            ),
        ),
        SourceSpec(
            id="wlz-ggz",
            title="Wlz-indicaties GGZ (CIZ)",
            description="Indicatiebesluiten Wet langdurige zorg met een GGZ-B- of GGZ-Wonen-zorgprofiel.",
            kind="registration",
            owner="CIZ (Centrum indicatiestelling zorg)",
            code_system="wlzggz:zorgprofiel",
            file_stem="wlz_indicaties",
            delimiter=";",
            columns=(
                _record("besluitnummer"),
                _key("client_sleutel"),
                _code("zorgprofiel"),
                _date("ingangsdatum", "start_date", True),
                _date("einddatum", "end_date", False),
                _gemeente("gemeente"),
            ),
        ),
        *[_wmo_spec(s) for s in _WMO_FORMATS],
        SourceSpec(
            id="jeugd",
            title="Jeugdhulp (iJw-productcategorieën)",
            description="Toewijzingen jeugdhulp per jeugdige naar productcategorie.",
            kind="registration",
            owner="Gemeente (Jeugdwet)",
            code_system="jeugd:productcategorie",
            file_stem="jeugdhulp",
            delimiter=";",
            columns=(
                _key("jeugdige_pseudo"),
                _record("toewijzing_id"),
                _code("productcategorie"),
                _date("begindatum", "start_date", True),
                _date("einddatum", "end_date", False),
                _gemeente("gemeente_code"),
            ),
            exceptions={
                "GM0168": Coverage(
                    "partial",
                    date(2023, 1, 1),
                    PERIOD_END,
                    "Nieuw registratiesysteem per 2023; toewijzingen die vóór 2023 eindigden "
                    "zijn niet geleverd.",
                )
            },
        ),
        SourceSpec(
            id="participatiewet",
            title="Bijstandsuitkeringen (Participatiewet)",
            description="Lopende en beëindigde uitkeringen levensonderhoud per regeling.",
            kind="registration",
            owner="Gemeente (Werk en Inkomen)",
            code_system="pw:regeling",
            file_stem="uitkeringen",
            columns=(
                _key("bsn_hash"),
                _record("dossiernummer"),
                _code("regeling"),
                _date("ingangsdatum_uitkering", "start_date", True),
                _date("einddatum_uitkering", "end_date", False),
            ),
        ),
        SourceSpec(
            id="schuldhulp",
            title="Schuldhulpverlening",
            description="Trajecten schuldhulpverlening per fase, met een vrij opmerkingenveld.",
            kind="registration",
            owner="Gemeente (Schuldhulpverlening)",
            code_system="shv:fase",
            file_stem="schuldhulp",
            delimiter=";",
            columns=(
                _key("klant_sleutel"),
                _record("traject_id"),
                _code("fase"),
                _date("datum_start", "start_date", True),
                _date("datum_eind", "end_date", False),
                Column("opmerking", "text", "string", "text", False, None, "Vrije tekst van de consulent."),
            ),
            exceptions={
                "GM0158": Coverage("none", remark="Schuldhulp uitbesteed aan kredietbank; geen levering.")
            },
        ),
        SourceSpec(
            id="politie-e33",
            title="Politieregistraties E33 en E14",
            description="Incidentregistraties met maatschappelijke klasse E33 (verward/overspannen persoon) of "
            "E14 (poging tot zelfdoding), met de pleeglocatie als wijk. Puntgebeurtenissen: geen einddatum.",
            kind="registration",
            owner="Politie eenheid Oost-Nederland",
            code_system="politie:klasse",
            file_stem="incidenten",
            point_events=True,
            columns=(
                _record("registratienummer"),
                _key("betrokkene_sleutel"),
                _code("maatschappelijke_klasse"),
                _date("pleegdatum", "start_date", True),
                _wijk("pleegwijk"),
                _gemeente("pleeggemeente"),
            ),
        ),
        SourceSpec(
            id="meldpunt",
            title="Meldpunt zorg en overlast en bemoeizorg",
            description="Meldingen bij het meldpunt zorg en overlast en aanmeldingen/contacten bemoeizorg. "
            "Puntgebeurtenissen: geen einddatum.",
            kind="registration",
            owner="GGD / gemeente (meldpunt zorg en overlast)",
            code_system="meldpunt:soort",
            file_stem="meldingen",
            delimiter=";",
            point_events=True,
            columns=(
                _record("melding_id"),
                _key("persoon_pseudo"),
                _code("soort_melding"),
                _date("datum_melding", "start_date", True),
                _wijk("wijk"),
                Column("toelichting", "text", "string", "text", False, None, "Toelichting van de melder."),
            ),
            exceptions={
                "GM0183": Coverage(
                    "none", remark="Tubbergen levert geen meldpuntgegevens (geen persoonsregistratie)."
                ),
                "GM1774": Coverage(
                    "none", remark="Dinkelland levert geen meldpuntgegevens (geen persoonsregistratie)."
                ),
            },
        ),
        SourceSpec(
            id="ggd-monitor",
            title="GGD Gezondheidsmonitor Volwassenen en Ouderen 2024",
            description="Gewogen steekproef van volwassenen (18+): K10-somscore (10-50) en De Jong Gierveld-"
            "eenzaamheidsscore (0-11) per respondent, met weegfactor. Lang formaat: één regel per variabele.",
            kind="survey",
            owner="GGD Twente / GGD GHOR Nederland",
            code_system="ggdmon:variabele",
            file_stem="gezondheidsmonitor_2024",
            period_start=SURVEY_START,
            period_end=SURVEY_END,
            point_events=True,
            columns=(
                _record("respondentnummer"),
                _key("pseudoniem"),
                _code("variabele"),
                Column("score", "value", "decimal", "value", True, None, "Somscore van de variabele."),
                Column(
                    "weegfactor", "weight", "decimal", "weight", True, None, "Ontwerpgewicht (weegfactor)."
                ),
                _wijk("wijkcode"),
                _date("afnamedatum", "start_date", True),
            ),
        ),
        SourceSpec(
            id="notes",
            title="Notities van professionals per wijk",
            description="Korte verhalende notities van wijkteams, GGD en politie over een wijk en een thema.",
            kind="narrative",
            owner="Wijkteams, GGD en wijkagenten",
            code_system="notitie:thema",
            file_stem="notities",
            delimiter=";",
            point_events=True,
            columns=(
                _record("notitie_id"),
                Column("auteur", "other", "string", "author", True, None, "Auteur."),
                _date("datum", "start_date", True),
                _wijk("wijkcode"),
                _code("thema"),
                Column("tekst", "text", "string", "text", True, None, "De notitie."),
            ),
        ),
    ]
}
