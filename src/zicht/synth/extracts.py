"""Writing one source's records of one gemeente as that source's extract file, with defects.

Also turns the same valid records into the generator's clean event list (framework concepts), which
is what `zicht.synth.truth` evaluates: exactly the rows the extract delivers validly.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from zicht.parquet import write_parquet
from zicht.synth.codes import concept_of
from zicht.synth.defects import LATIN1_MARK, Defect, inject
from zicht.synth.records import format_dates
from zicht.synth.sources import SourceSpec

EVENT_COLUMNS = ("person", "source_id", "concept", "start", "end", "value", "weight")


def extract_frame(spec: SourceSpec, rec: pd.DataFrame) -> pd.DataFrame:
    """The records in the source's own columns (strings for CSV sources)."""
    rec = format_dates(rec)
    data = {}
    for col in spec.columns:
        values = rec[col.field] if col.field in rec else pd.Series([""] * len(rec))
        if spec.fmt == "csv":
            if col.datatype == "decimal":
                values = values.map(lambda v: f"{v:g}")
            values = values.astype(str)
        # A typed column goes in as it is: to_numpy() would turn Arrow-backed strings into Python objects
        # that the frame then converts back. Only object columns are handed over as values, so that the
        # frame infers their type as before.
        data[col.name] = values.to_numpy() if values.dtype == object else values.array
    return pd.DataFrame(data)


def write_extract(
    rng: np.random.Generator, spec: SourceSpec, rec: pd.DataFrame, path: Path, *, leaks: bool = False
) -> tuple[int, list[Defect]]:
    """Write the extract with injected defects (BSN-like ones only when ``leaks``); return rows and defects."""
    frame = extract_frame(spec, rec)
    frame, defects = inject(rng, spec, frame, leaks=leaks)
    path.parent.mkdir(parents=True, exist_ok=True)
    if spec.fmt == "parquet":
        write_parquet(
            frame,
            path,
            types={c.name: "BIGINT" if c.datatype == "integer" else "VARCHAR" for c in spec.columns},
        )
    else:
        buf = io.StringIO()
        frame.to_csv(buf, sep=spec.delimiter, index=False, lineterminator="\n")
        data = buf.getvalue().encode("utf-8").replace(LATIN1_MARK.encode("utf-8"), b"\xe9")
        path.write_bytes(data)
    return len(frame), defects


def clean_events(spec: SourceSpec, rec: pd.DataFrame) -> pd.DataFrame:
    """The framework events the valid records stand for (one per code column with a concept)."""
    concepts = concept_of(spec.id)
    frames = []
    for field in ("code", "code2"):
        if field not in rec or not concepts:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "person": rec["person"].to_numpy(),
                    "source_id": spec.id,
                    "concept": rec[field].map(concepts).to_numpy(),
                    "start": rec["start"].to_numpy().astype("datetime64[D]"),
                    # point events: harmonise writes end = start (docs/store.md)
                    "end": (rec["start"] if spec.point_events else rec["end"])
                    .to_numpy()
                    .astype("datetime64[D]"),
                    "value": rec["value"].to_numpy(float) if "value" in rec else np.nan,
                    "weight": rec["weight"].to_numpy(float) if "weight" in rec else np.nan,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=list(EVENT_COLUMNS))
    return pd.concat(frames, ignore_index=True)
