"""Injected defects: extra, corrupted rows placed among the valid rows of an extract.

Every defect is an EXTRA row (a corrupted copy of a valid row, or an exact duplicate placed after its
original), so the valid rows — and with them the ground truth — are untouched. `inject` returns the
rows in file order and one manifest entry per defect row (row 1 = first data row).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zicht.synth.sources import SourceSpec

KINDS = (
    "unknown_code",
    "invalid_date",
    "end_before_start",
    "future_date",
    "duplicate",
    "wrong_region",
    "bsn_in_id",
    "bsn_in_text",
    "missing_value",
    "encoding",
)
# Marks a character that the writer turns into a single latin-1 byte (0xE9, "é") in a UTF-8 file.
LATIN1_MARK = "\x00E9\x00"
_IMPOSSIBLE = ("2024-02-30", "2023-02-29", "2022-06-31", "2023-13-01", "2024-04-31")
DEFECT_RATE = 0.002
MAX_PER_FILE = 25
# A direct identifier in an extract is a delivery error of one file, not of every file: real deliveries
# have such a leak in a few files. LEAK_SHARE of a source's files leak (never all), each with 1-3 BSN-like
# values; `leaking_files` decides which, from the seed. With the default `--bsn refuse-file` harmonise
# refuses exactly these files.
LEAK_SHARE = 0.03
LEAK_KINDS = frozenset({"bsn_in_id", "bsn_in_text"})


@dataclass(frozen=True)
class Defect:
    row: int  # 1-based data row in the written file
    column: str  # extract column name ("" for a whole-row duplicate)
    kind: str


def bsn_like(rng: np.random.Generator) -> str:
    """A 9-digit number that passes the BSN 11-check (only ever used as a labelled defect)."""
    while True:
        digits = [int(rng.integers(1, 10))] + [int(d) for d in rng.integers(0, 10, 7)]
        last = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if last < 10:
            return "".join(map(str, digits + [last]))


def _col(spec: SourceSpec, role: str) -> str | None:
    return next((c.name for c in spec.columns if c.role == role), None)


def _needed(spec: SourceSpec, role: str) -> str:
    """The column of ``role``, which the defect kind was chosen for (`applicable` checks that it exists)."""
    col = _col(spec, role)
    if col is None:
        raise ValueError(f"source {spec.id} has no {role} column")
    return col


def leaking_files(seed: int, specs: Iterable[SourceSpec], gemeenten: list[str]) -> dict[str, frozenset[str]]:
    """Per gemeente the sources whose file in this run carries a BSN leak.

    Of each source's delivered files round(LEAK_SHARE * n) leak, never all n; in a run of two or more
    gemeenten BRP leaks in at least two files (one of two) and one free-text file leaks (a BSN typed into a
    note), so that every run shows both kinds and a store is left. The choice is a seeded hash of (source,
    gemeente): it does not depend on the order of work or the number of workers.
    """

    def rank(source: str, g: str) -> str:
        return hashlib.sha256(f"{seed}:{source}:{g}".encode()).hexdigest()

    out: dict[str, set[str]] = {g: set() for g in gemeenten}
    text_files: list[tuple[str, str, str]] = []
    for spec in specs:
        files = [g for g in gemeenten if spec.applies_to(g) and spec.coverage(g).status != "none"]
        k = round(LEAK_SHARE * len(files))
        if spec.id == "brp":
            k = max(k, 2)
        k = min(k, len(files) - 1)
        for g in sorted(files, key=lambda g: rank(spec.id, g))[: max(k, 0)]:
            out[g].add(spec.id)
        if "bsn_in_text" in applicable(spec) and len(files) >= 2:
            text_files += [(rank(spec.id, g), spec.id, g) for g in files]
    if len(gemeenten) >= 2 and text_files and not any(out[g] & {s for _, s, _ in text_files} for g in out):
        _, source, g = min(text_files)
        out[g].add(source)
    return {g: frozenset(s) for g, s in out.items()}


def applicable(spec: SourceSpec) -> list[str]:
    has = {c.role for c in spec.columns}
    kinds = ["duplicate", "missing_value"]
    if "code" in has:
        kinds.append("unknown_code")
    if "start_date" in has:
        kinds += ["invalid_date", "future_date"]
    if "end_date" in has:
        kinds.append("end_before_start")
    if "region" in has:
        kinds.append("wrong_region")
    if "person_key" in has:
        kinds.append("bsn_in_id")
    if "text" in has:
        kinds.append("bsn_in_text")
    if spec.fmt == "csv" and ("text" in has or "record_id" in has):
        kinds.append("encoding")
    return kinds


def _corrupt(rng: np.random.Generator, spec: SourceSpec, row: dict, kind: str, valid_codes: set[str]) -> str:
    """Corrupt a copy of a row in place; return the column the defect is in."""
    if kind == "duplicate":
        return ""
    if kind == "unknown_code":
        col = _needed(spec, "code")
        code = f"{row[col]}9"
        while code in valid_codes:
            code += "9"
        row[col] = code
        return col
    if kind == "invalid_date":
        col = _needed(spec, "start_date")
        row[col] = str(rng.choice(_IMPOSSIBLE))
        return col
    if kind == "future_date":
        col = _needed(spec, "start_date")
        row[col] = (
            f"{int(rng.integers(2026, 2029))}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
        )
        end = _col(spec, "end_date")
        if end:
            row[end] = ""  # keep the row to one defect: a future start with an empty (open) end
        return col
    if kind == "end_before_start":
        start, end = _needed(spec, "start_date"), _needed(spec, "end_date")
        day = np.datetime64(row[start]) - np.timedelta64(int(rng.integers(1, 200)), "D")
        row[end] = str(day)
        return end
    if kind == "wrong_region":
        col = str(rng.choice([c.name for c in spec.columns if c.role == "region"]))
        value = row[col]
        # codes of the right shape that do not exist: no wijk ends in ZZ, no synthetic buurt S99, no GM9xxx
        row[col] = {"WK": value[:6] + "ZZ", "BU": value[:8] + "S99", "GM": "GM9" + value[3:]}[value[:2]]
        return col
    if kind == "bsn_in_id":
        col = _needed(spec, "person_key")
        row[col] = bsn_like(rng)
        return col
    if kind == "bsn_in_text":
        col = _needed(spec, "text")
        row[col] = f"Contact met cliënt, BSN {bsn_like(rng)}, opnieuw gebeld"
        return col
    if kind == "missing_value":
        col = str(
            rng.choice(
                [
                    c.name
                    for c in spec.columns
                    if c.required
                    and c.role in ("person_key", "code", "start_date", "sex", "birth_year", "text")
                ]
            )
        )
        row[col] = None if spec.fmt == "parquet" else ""
        return col
    if kind == "encoding":
        col = _col(spec, "text") or _needed(spec, "record_id")
        row[col] = f"{row[col] or 'Cli'}{LATIN1_MARK}"
        return col
    raise ValueError(kind)


def inject(
    rng: np.random.Generator, spec: SourceSpec, rows: pd.DataFrame, *, leaks: bool = False
) -> tuple[pd.DataFrame, list[Defect]]:
    """Defects for one file; BSN-like values only when ``leaks`` (this file is one of the few that leak)."""
    n = len(rows)
    if n == 0:
        return rows, []
    count = int(min(MAX_PER_FILE, max(1, round(n * DEFECT_RATE))))
    kinds = [k for k in applicable(spec) if k not in LEAK_KINDS]
    leak_kinds = [k for k in applicable(spec) if k in LEAK_KINDS]
    planned = [str(rng.choice(kinds)) for _ in range(count)]
    if leaks and leak_kinds:
        extra_leaks = [str(rng.choice(leak_kinds)) for _ in range(int(rng.integers(0, 3)))]
        # a file with free text leaks there first (a BSN typed into a note), else in the person key
        planned += ["bsn_in_text" if "bsn_in_text" in leak_kinds else "bsn_in_id", *extra_leaks]
    valid_codes = {c.code for c in spec.codes}
    extra, placed = [], []
    for j, kind in enumerate(planned):
        base = int(rng.integers(0, n))
        row = rows.iloc[base].to_dict()
        column = _corrupt(rng, spec, row, kind, valid_codes)
        # a duplicate comes after its original, so that the first occurrence is the valid one
        pos = int(rng.integers(base + 1, n + 1)) if kind == "duplicate" else int(rng.integers(0, n + 1))
        extra.append(row)
        placed.append((pos, j, column, kind))
    # Order of the rows: by (insert before valid row, defects first, sequence), a total order; valid row i
    # is (i, 1, i) and defect j (pos, 0, j). The frame index of valid row i is i, of defect j it is n + j.
    at = np.concatenate([np.arange(n), np.array([p[0] for p in placed], dtype=np.int64)])
    count = len(planned)  # with the leaks of a leaking file
    first = np.concatenate([np.ones(n, dtype=np.int64), np.zeros(count, dtype=np.int64)])
    seq = np.concatenate([np.arange(n), np.arange(count)])
    order = np.lexsort((seq, first, at))
    all_rows = pd.concat([rows, pd.DataFrame(extra, columns=rows.columns)], ignore_index=True)
    out = all_rows.iloc[order].reset_index(drop=True)
    position = np.empty(n + count, dtype=np.int64)
    position[order] = np.arange(1, n + count + 1)
    defects = [Defect(int(position[n + j]), column, kind) for _, j, column, kind in placed]
    return out, sorted(defects, key=lambda d: d.row)
