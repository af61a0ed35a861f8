"""Real CBS regions (NL, Twente, gemeenten, wijken 2024) with synthetic buurten, and their population.

`regions()` gives the rows of the model's `Region` class, `population()` those of `Population`.
The data are package files under ``zicht/data`` (Bron: CBS, CC BY 4.0; see ``zicht/data/README.md``).
"""

from zicht.regions.catalogue import (
    REGION_YEAR,
    buurten,
    gemeente_codes,
    gemeenten,
    regions,
    wijken,
)
from zicht.regions.codes import NL_CODE, TWENTE_CODE
from zicht.regions.population import AGES, age_shares, buurt_age_counts, population

__all__ = [
    "AGES",
    "NL_CODE",
    "REGION_YEAR",
    "TWENTE_CODE",
    "age_shares",
    "buurt_age_counts",
    "buurten",
    "gemeente_codes",
    "gemeenten",
    "population",
    "regions",
    "wijken",
]
