"""The synthetic residents of one gemeente, cell by cell from the CBS-based population.

Every buurt × sex × age cell of `zicht.regions.buurt_age_counts` becomes that many persons, so person
counts equal the population table at every level. A person's internal number is unique nationally
(gemeente digits × 10^7 + a running number), and the person key is the HMAC-SHA-256 of that number
with the run's field-lab key, as if every source pseudonymised with the same key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zicht.regions import buurt_age_counts, buurten

# Ages are counted on 1 January 2024; a person aged a then was born in 2023 - a (the model keeps birth
# years only), so the age at the reference date 2024-12-31 by the definition semantics is a + 1.
POPULATION_DATE_YEAR = 2024
_GM_FACTOR = 10_000_000


@dataclass
class People:
    gemeente: str
    number: np.ndarray  # int64 internal person number
    key: Any  # pandas text array (ExtensionArray) of 64-char hex pseudonyms
    sex: np.ndarray  # "male"/"female"
    birth_year: np.ndarray  # int64
    wijk: np.ndarray  # object
    buurt: np.ndarray  # object

    def __len__(self) -> int:
        return len(self.number)

    def age_at(self, year: int) -> np.ndarray:
        return year - self.birth_year


def field_lab_key(seed: int) -> bytes:
    """The run's pseudonymisation key: derived from the seed so that runs are reproducible."""
    return hashlib.sha256(f"zicht-synth-field-lab-key:{seed}".encode()).digest()


def pseudonyms(numbers: np.ndarray, key: bytes) -> np.ndarray:
    """HMAC-SHA-256 of each number (as decimal text) with ``key``, as lowercase hex.

    HMAC written out (RFC 2104) with the two key blocks hashed once: each value then costs copying two
    prepared SHA-256 states and hashing its own bytes, about a third of a full `hmac.digest` call (whose
    every call hashes both key blocks again). Equal to `hmac.digest` for every key (test_people.py).
    """
    block = hashlib.sha256(key).digest() if len(key) > 64 else key
    block = block.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block)).copy
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block)).copy
    out = []
    for n in numbers.tolist():
        h = inner()
        h.update(str(n).encode())
        o = outer()
        o.update(h.digest())
        out.append(o.hexdigest())
    return np.array(out, dtype=object)


def people_of(gemeente: str, key: bytes) -> People:
    b = buurten()
    counts = buurt_age_counts()
    idx = np.flatnonzero(b["gemeente_code"].to_numpy() == gemeente)
    sexes, ages, buurt_idx = [], [], []
    for sex in ("male", "female"):
        cells = counts[sex][idx]  # [n_buurten, 101]
        rows, age = np.nonzero(cells)
        n = cells[rows, age]
        buurt_idx.append(np.repeat(idx[rows], n))
        ages.append(np.repeat(age, n))
        sexes.append(np.full(int(n.sum()), sex, dtype=object))
    buurt_i = np.concatenate(buurt_idx)
    age_arr = np.concatenate(ages).astype(np.int64)
    number = int(gemeente[2:]) * _GM_FACTOR + np.arange(len(age_arr), dtype=np.int64)
    return People(
        gemeente=gemeente,
        number=number,
        # As pandas text (Arrow-backed where pyarrow is installed) once: every frame the keys go into
        # (register, extracts, truth) would otherwise convert the Python strings again.
        key=pd.array(pseudonyms(number, key), dtype="str"),
        sex=np.concatenate(sexes),
        birth_year=(POPULATION_DATE_YEAR - 1) - age_arr,
        wijk=b["wijk_code"].to_numpy()[buurt_i],
        buurt=b["buurt_code"].to_numpy()[buurt_i],
    )


def as_frame(people: People) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_key": people.key,
            "sex": people.sex,
            "birth_year": people.birth_year,
            "gemeente": people.gemeente,
            "wijk": people.wijk,
            "buurt": people.buurt,
        }
    )
