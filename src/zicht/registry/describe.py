"""A definition in plain Dutch sentences: who is in the population, what each criterion asks, how the
criteria combine. The registry pages and the authoring form show these (through the API), so a field
lab reads what it wrote — and a reviewer reads the same words — without YAML.

The sentences follow docs/definitions.md (windows up to and including the reference date, narrower
concepts included unless switched off, at least `min_occurrences` events, value bounds inclusive).
Works on documents that do not validate yet (the form describes while a lab types): what is missing
or of the wrong type is left out of the sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zicht.ontology.concepts import framework
from zicht.registry.normalise import DEFAULT_PERIOD_MONTHS

_WORDS = {
    1: "één",
    2: "twee",
    3: "drie",
    4: "vier",
    5: "vijf",
    6: "zes",
    7: "zeven",
    8: "acht",
    9: "negen",
    10: "tien",
}


def describe(
    definition: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """Sentences (Dutch) for a definition: {population, period, criteria: [{id, text}], logic, result}."""
    sources = sources or {}
    period = _int(_map(definition.get("reference_period")).get("months")) or DEFAULT_PERIOD_MONTHS
    criteria = [c for c in _list(definition.get("criteria")) if isinstance(c, Mapping)]
    labels = {str(c.get("id")): _label(c) for c in criteria if c.get("id")}
    survey = bool(criteria) and all(
        _list(c.get("sources"))
        and all(_map(sources.get(s)).get("kind") == "survey" for s in _list(c.get("sources")))
        for c in criteria
    )
    return {
        "population": _population(_map(definition.get("population"))),
        "period": f"Peilperiode: de {_months(period)} tot en met de peildatum.",
        "criteria": [
            {"id": str(c.get("id", "")), "label": _label(c), "text": _criterion(c, period, sources)}
            for c in criteria
        ],
        "logic": _logic_sentence(_map(definition.get("logic")), labels),
        "result": (
            "Uitkomst: een schatting (percentage met betrouwbaarheidsinterval) uit een enquête, geen telling."
            if survey
            else "Uitkomst: een telling van personen per gemeente, wijk en buurt (na onthullingsbeheersing)."
        ),
    }


def as_text(description: Mapping[str, Any]) -> str:
    """The sentences as one paragraph per part (for a plain-text rendering or a citation note)."""
    parts = [description["population"], description["period"]]
    parts += [f"{c['label']}: {c['text']}" for c in description["criteria"]]
    parts += [description["logic"], description["result"]]
    return "\n".join(p for p in parts if p)


def _population(pop: Mapping[str, Any]) -> str:
    lo, hi = _int(pop.get("age_min")), _int(pop.get("age_max"))
    if lo is None and hi is None:
        return "Populatie: alle inwoners, zonder leeftijdsgrens (ook de noemer van de cijfers per 1.000)."
    return f"Populatie: inwoners {_ages(lo, hi)} op de peildatum (ook de noemer van de cijfers per 1.000)."


def _ages(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"van {lo} tot en met {hi} jaar"
    if lo is not None:
        return f"van {lo} jaar of ouder"
    return f"tot en met {hi} jaar"


def _criterion(c: Mapping[str, Any], period: int, sources: Mapping[str, Mapping[str, Any]]) -> str:
    scheme = framework()
    concepts = [k for k in _list(c.get("concepts")) if isinstance(k, str)]
    names = []
    for key in concepts:
        if key in scheme:
            names.append(f"{scheme.get(key).label_nl} ({scheme.get(key).curie})")
        else:
            names.append(f"het onbekende begrip {key!r}")
    n = _int(c.get("min_occurrences")) or 1
    what = "één gebeurtenis" if n == 1 else f"{_count(n)} gebeurtenissen"
    text = f"ten minste {what} van {_join(names, 'of') or '(nog geen begrip gekozen)'}"
    if c.get("include_narrower", True) is False:
        text += ", alleen precies deze begrippen (geen nauwere)"
    else:
        text += ", nauwere begrippen meegerekend"
    src = [s for s in _list(c.get("sources")) if isinstance(s, str)]
    if src:
        titles = [f"{_map(sources.get(s)).get('title') or s} ({s})" for s in src]
        text += f", alleen uit {'bron' if len(src) == 1 else 'de bronnen'} {_join(titles, 'of')}"
    window = _int(c.get("window_months")) or period
    text += f", in de {_months(window)} tot en met de peildatum"
    lo, hi = _number(c.get("value_min")), _number(c.get("value_max"))
    if lo is not None and hi is not None:
        text += f", met een waarde van {_fmt(lo)} tot en met {_fmt(hi)}"
    elif lo is not None:
        text += f", met een waarde van ten minste {_fmt(lo)}"
    elif hi is not None:
        text += f", met een waarde van hoogstens {_fmt(hi)}"
    span = _int(c.get("min_span_days"))
    if span:
        text += f", verspreid over ten minste {f'{span:,}'.replace(',', '.')} dagen"
    alo, ahi = _int(c.get("age_min")), _int(c.get("age_max"))
    if alo is not None or ahi is not None:
        text += f"; geldt alleen voor personen {_ages(alo, ahi)}"
    return text[0].upper() + text[1:] + "."


def _logic_sentence(node: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    if not node:
        return "Logica: nog niet gekozen."
    return f"Iemand hoort bij de doelgroep als {_logic(node, labels)}."


def _logic(node: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    parts = [f"‘{labels.get(str(o), str(o))}’" for o in _list(node.get("operands"))]
    parts += [f"({_logic(g, labels)})" for g in _list(node.get("groups")) if isinstance(g, Mapping)]
    op = node.get("op")
    listed = _join(parts, "en" if op == "all" else "of")
    if op == "all":
        return f"aan {'het criterium' if len(parts) == 1 else 'alle criteria'} {listed} is voldaan"
    if op == "any":
        return f"aan {'het criterium' if len(parts) == 1 else 'ten minste één van'} {listed} is voldaan"
    if op == "at_least":
        k = _int(node.get("k"))
        return f"aan ten minste {_count(k) if k else '?'} van {_join(parts, 'en')} is voldaan"
    if op == "not":
        return f"níet aan {listed} is voldaan"
    return f"{listed} ({op!r} is geen bekende logica)"


def _label(c: Mapping[str, Any]) -> str:
    return str(c.get("label") or c.get("id") or "criterium")


def _months(n: int) -> str:
    return "maand" if n == 1 else f"{n} maanden"


def _count(n: int) -> str:
    return _WORDS.get(n, str(n))


def _join(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _fmt(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _number(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _list(v: Any) -> list:
    return v if isinstance(v, list) else []


def _map(v: Any) -> Mapping[str, Any]:
    return v if isinstance(v, Mapping) else {}
