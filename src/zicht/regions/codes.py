"""Region codes: the one place that knows what a CBS code and a zicht synthetic code look like.

The patterns are the LinkML types of ontology/zicht.yaml (RegionCode, GemeenteCode, WijkCode, BuurtCode,
CbsBuurtCode, SyntheticBuurtCode, CoropCode), read once, so the model, harmonise, the API and synth check
codes the same way.

Synthetic buurten (zicht divides each real wijk into buurten; 2024 buurt data are not in the shipped
files) are ``BU`` + the wijk's six characters + ``S`` + two digits, e.g. ``BU014101S01``: eleven
characters where every CBS buurt code has ten, so no synthetic code can ever equal a CBS code, while
``BU`` and the wijk part keep the level and the nesting readable (and ``code[2:6]``, ``code[2:8]`` still
give the gemeente and wijk digits). Twente is the CBS COROP region ``CR12``, which is exactly the 14
gemeenten of the Twente field lab; ``RGTWENTE``, the code zicht used before, is accepted as an alias on
input only.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Literal, get_args

from zicht import paths

# The levels of the region hierarchy, top down: the Netherlands, a COROP region (Twente), gemeente, wijk,
# buurt. A person lives in a gemeente, wijk and buurt (the residence levels a comparison breaks down to).
Level = Literal["land", "regio", "gemeente", "wijk", "buurt"]
ResidenceLevel = Literal["gemeente", "wijk", "buurt"]
LEVELS: tuple[Level, ...] = get_args(Level)
RESIDENCE_LEVELS: tuple[ResidenceLevel, ...] = get_args(ResidenceLevel)

NL_CODE = "NL01"
TWENTE_CODE = "CR12"
LEGACY_ALIASES = {"RGTWENTE": TWENTE_CODE}

_TYPES = (
    "RegionCode",
    "CoropCode",
    "GemeenteCode",
    "WijkCode",
    "BuurtCode",
    "CbsBuurtCode",
    "SyntheticBuurtCode",
)


@lru_cache(maxsize=1)
def patterns() -> dict[str, str]:
    """The code patterns of the model's types, by type name."""
    import yaml

    with paths.schema_path().open(encoding="utf-8") as fh:
        schema = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    types = schema.get("types") or {}
    missing = [t for t in _TYPES if not (types.get(t) or {}).get("pattern")]
    if missing:
        raise RuntimeError(f"ontology/zicht.yaml has no pattern for type(s) {', '.join(missing)}")
    return {t: types[t]["pattern"] for t in _TYPES}


@cache
def _compiled(type_name: str) -> re.Pattern[str]:
    return re.compile(patterns()[type_name])


def region_code_pattern() -> str:
    """Any region code of the model (CBS or synthetic), as a regular expression."""
    return patterns()["RegionCode"]


# Level of a CBS code by type; synthetic buurten are level buurt too.
_CBS_LEVELS = (
    ("land", None),
    ("regio", "CoropCode"),
    ("gemeente", "GemeenteCode"),
    ("wijk", "WijkCode"),
    ("buurt", "CbsBuurtCode"),
)


def is_synthetic(code: str) -> bool:
    """True for a zicht synthetic buurt code (never a CBS code)."""
    return bool(_compiled("SyntheticBuurtCode").match(code))


def is_cbs(code: str) -> bool:
    """True when ``code`` has the form of a CBS code (NL01, COROP, gemeente, wijk, buurt)."""
    return cbs_level(code) is not None


def cbs_level(code: str) -> str | None:
    if code == NL_CODE:
        return "land"
    for level, type_name in _CBS_LEVELS[1:]:
        if _compiled(type_name).match(code):
            return level
    return None


def level_of(code: str) -> str | None:
    """land, regio, gemeente, wijk or buurt for a valid code (CBS or synthetic); None otherwise."""
    return "buurt" if is_synthetic(code) else cbs_level(code)


def synthetic_buurt_code(wijk_code: str, number: int) -> str:
    """The code of synthetic buurt ``number`` (1..99) of a real wijk: WK014101, 1 -> BU014101S01."""
    if not _compiled("WijkCode").match(wijk_code):
        raise ValueError(f"{wijk_code!r} is not a CBS wijk code")
    if not 1 <= number <= 99:
        raise ValueError(f"synthetic buurt number {number} is outside 1..99")
    return f"BU{wijk_code[2:]}S{number:02d}"


def canonical(code: str) -> str:
    """The current code for an input code (``RGTWENTE`` -> ``CR12``); other codes unchanged."""
    return LEGACY_ALIASES.get(code, code)


def within_pattern() -> str:
    """What an API ``within=`` parameter accepts: NL01, a COROP code (or a legacy alias), a GM or WK code."""
    kinds = [re.escape(NL_CODE), *(re.escape(a) for a in LEGACY_ALIASES)]
    kinds += [
        patterns()[t].removeprefix("^").removesuffix("$") for t in ("CoropCode", "GemeenteCode", "WijkCode")
    ]
    return f"^({'|'.join(kinds)})$"


# The two-letter prefix of a residence level's codes (CBS: GM0153, WK015301, BU01530101; synthetic buurten
# keep BU); the digits after it nest: a wijk's and a buurt's first four are their gemeente's.
_PREFIX = {"gemeente": "GM", "wijk": "WK", "buurt": "BU"}


def level_of_pattern(pattern: str | None) -> ResidenceLevel | None:
    """The residence level a column's declared code pattern names (``^WK[0-9]{6}$`` -> wijk), else None.

    A descriptor states the level of a region column only through its pattern; the deepest prefix wins."""
    text = pattern or ""
    for level in reversed(RESIDENCE_LEVELS):
        if _PREFIX[level] in text:
            return level
    return None


def gemeente_of(code: str) -> str | None:
    """The gemeente code a gemeente, wijk or buurt code lies in (WK015301 -> GM0153); None for others."""
    if level_of(code) not in RESIDENCE_LEVELS:
        return None
    return "GM" + code[2:6]


def nests_in(code: str, outer: str) -> bool:
    """Whether residence code ``code`` lies in gemeente or wijk ``outer`` by its digits (WK015301 in GM0153,
    BU01530101 and BU015301S01 in WK015301); also for codes of another year's layout."""
    inner, level = level_of(code), level_of(outer)
    if inner not in RESIDENCE_LEVELS or level not in ("gemeente", "wijk"):
        return False
    return LEVELS.index(inner) > LEVELS.index(level) and code[2:].startswith(outer[2:])
