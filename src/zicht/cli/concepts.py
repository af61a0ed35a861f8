"""`zicht concepts`: the framework concept scheme as a tree."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from zicht.choices import Language
from zicht.ontology.concepts import framework


def list_concepts(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a tree.")] = False,
    lang: Annotated[Language, typer.Option("--lang", help="Label language.")] = "nl",
) -> None:
    """List the framework's domains and concepts with their CURIEs."""
    scheme = framework()
    if as_json:
        rows = [
            {
                "id": c.curie,
                "pref_label_nl": c.label_nl,
                "pref_label_en": c.label_en,
                "definition": c.definition,
                "broader": f"zc:{c.broader}" if c.broader else None,
            }
            for c in scheme
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return

    def show(key: str, depth: int) -> None:
        c = scheme.get(key)
        typer.echo(f"{'  ' * depth}{c.curie:<40} {c.label_nl if lang == 'nl' else c.label_en}")
        for child in c.narrower:
            show(child, depth + 1)

    for domain in scheme.domains():
        show(domain.key, 0)
