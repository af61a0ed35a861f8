"""The closed vocabularies that cross a boundary: CLI options, API parameters and library arguments.

One ``Literal`` each, so that Typer shows the choices and refuses any other value with one line, mypy
checks the library calls, and the library takes its tuples from here (``get_args``) instead of a second
spelling. This module imports nothing heavy: a command module imports it before ``--help`` runs. Region
levels live with the region codes (`zicht.regions.codes`).
"""

from __future__ import annotations

from typing import Literal, get_args

CompareFormat = Literal["csv", "json", "parquet"]
DisclosureMode = Literal["perturb", "suppress"]
EngineName = Literal["duckdb", "spark", "in_memory"]
ValidateEngine = Literal["reference", "fast", "auto"]
ValidateFormat = Literal["text", "json", "ttl", "html"]
TextOrJson = Literal["text", "json"]
TextCsvJson = Literal["text", "csv", "json"]
BsnPolicy = Literal["refuse-file", "quarantine-row"]
VersionPart = Literal["major", "minor", "patch"]
SyncPrefer = Literal["files", "db"]
SynthRegion = Literal["twente", "nl"]
Language = Literal["nl", "en"]
Role = Literal["fieldlab", "steward", "admin"]
CsvDialect = Literal["standard", "excel"]

COMPARE_FORMATS: tuple[CompareFormat, ...] = get_args(CompareFormat)
DISCLOSURE_MODES: tuple[DisclosureMode, ...] = get_args(DisclosureMode)
ENGINE_NAMES: tuple[EngineName, ...] = get_args(EngineName)
VALIDATE_ENGINES: tuple[ValidateEngine, ...] = get_args(ValidateEngine)
VALIDATE_FORMATS: tuple[ValidateFormat, ...] = get_args(ValidateFormat)
BSN_POLICIES: tuple[BsnPolicy, ...] = get_args(BsnPolicy)
VERSION_PARTS: tuple[VersionPart, ...] = get_args(VersionPart)
SYNC_PREFER: tuple[SyncPrefer, ...] = get_args(SyncPrefer)
ROLES: tuple[Role, ...] = get_args(Role)
CSV_DIALECTS: tuple[CsvDialect, ...] = get_args(CsvDialect)
