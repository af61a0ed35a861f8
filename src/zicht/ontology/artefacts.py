"""Generating the artefacts of ontology/zicht.yaml and checking that the committed ones are in sync.

Every artefact is produced by a LinkML generator except the SKOS concept scheme, which is built from
the FrameworkConcept enumeration (LinkML renders enumerations as OWL individuals, not as SKOS).
Generators run from the project root with a relative schema path, so the output does not depend on
where the checkout lives.
"""

from __future__ import annotations

import contextlib
import difflib
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zicht import paths
from zicht.errors import OutOfSyncError, ZichtError

SCHEMA_REL = "ontology/zicht.yaml"


@dataclass(frozen=True)
class Artefact:
    name: str
    path: Callable[[], Path]
    generate: Callable[[str], str]
    description: str


def _linkml(generator: str) -> Any:
    """A LinkML generator module: full linkml is the `ontology` extra (the runtime needs linkml-runtime only)."""
    from zicht.extras import require

    return require(f"linkml.generators.{generator}", "ontology", "generating the ontology artefacts")


def _owl(schema: str) -> str:
    OwlSchemaGenerator = _linkml("owlgen").OwlSchemaGenerator

    return OwlSchemaGenerator(
        schema,
        skip_vacuous_min_zero_cardinality_axioms=True,
        skip_vacuous_local_range_axioms=True,
        consolidate_cardinality_axioms=True,
    ).serialize()


def _shacl(schema: str) -> str:
    ShaclGenerator = _linkml("shaclgen").ShaclGenerator

    return ShaclGenerator(schema).serialize()


def _jsonschema(schema: str) -> str:
    JsonSchemaGenerator = _linkml("jsonschemagen").JsonSchemaGenerator

    return JsonSchemaGenerator(schema).serialize()


def _context(schema: str) -> str:
    ContextGenerator = _linkml("jsonldcontextgen").ContextGenerator

    return ContextGenerator(schema).serialize()


def _pydantic(schema: str) -> str:
    PydanticGenerator = _linkml("pydanticgen").PydanticGenerator

    return PydanticGenerator(schema).serialize()


def _skos(schema: str) -> str:
    from zicht.ontology.concepts import scheme_from_schema
    from zicht.ontology.schema import schema_view

    return scheme_from_schema(schema_view(Path(schema).resolve())).to_graph().serialize(format="turtle")


def _in_ontology(name: str) -> Callable[[], Path]:
    return lambda: paths.ontology_dir() / name


ARTEFACTS: tuple[Artefact, ...] = (
    Artefact("owl", _in_ontology("zicht.owl.ttl"), _owl, "OWL ontology (Turtle)"),
    Artefact("shacl", _in_ontology("zicht.shacl.ttl"), _shacl, "SHACL shapes (Turtle)"),
    Artefact("jsonschema", _in_ontology("zicht.schema.json"), _jsonschema, "JSON Schema"),
    Artefact("context", _in_ontology("zicht.context.jsonld"), _context, "JSON-LD context"),
    Artefact("skos", _in_ontology("zicht.concepts.ttl"), _skos, "SKOS concept scheme of the framework"),
    Artefact("python", paths.model_module_path, _pydantic, "Python model classes (pydantic)"),
)


def _normalise(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def generate_all() -> dict[str, str]:
    """Generate every artefact in memory: name -> text."""
    root = paths.project_root()
    if not (root / SCHEMA_REL).is_file():
        raise ZichtError(f"schema not found: {root / SCHEMA_REL}")
    out: dict[str, str] = {}
    with contextlib.chdir(root), warnings.catch_warnings():
        # Generators warn about things the schema does on purpose (e.g. enum values with meanings).
        warnings.simplefilter("ignore")
        for artefact in ARTEFACTS:
            try:
                out[artefact.name] = _normalise(artefact.generate(SCHEMA_REL))
            except Exception as exc:  # a generator failing is a schema error the user must see
                raise ZichtError(f"generating {artefact.name} from {SCHEMA_REL} failed: {exc}") from exc
    return out


def build() -> list[Path]:
    """Regenerate every artefact in place; return the files written."""
    written = []
    for artefact, text in zip(ARTEFACTS, generate_all().values(), strict=True):
        target = artefact.path()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


@dataclass(frozen=True)
class Drift:
    artefact: Artefact
    reason: str
    diff: str


def check() -> list[Drift]:
    """Compare every committed artefact with a fresh build; return what differs."""
    drifts = []
    for artefact, text in zip(ARTEFACTS, generate_all().values(), strict=True):
        target = artefact.path()
        if not target.is_file():
            drifts.append(Drift(artefact, "missing", ""))
            continue
        current = target.read_text(encoding="utf-8")
        if current != text:
            diff = "".join(
                difflib.unified_diff(
                    current.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"{target.name} (committed)",
                    tofile=f"{target.name} (generated)",
                    n=1,
                )
            )
            drifts.append(Drift(artefact, "differs from a fresh build", diff))
    return drifts


def require_in_sync() -> None:
    drifts = check()
    if drifts:
        names = ", ".join(f"{d.artefact.path().name} ({d.reason})" for d in drifts)
        raise OutOfSyncError(
            f"generated artefacts out of sync with {SCHEMA_REL}: {names}; run `zicht ontology build`"
        )
