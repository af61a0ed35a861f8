"""Defect injection on a tiny frame: extra rows only, at the listed positions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zicht.synth.defects import KINDS, applicable, bsn_like, inject
from zicht.synth.sources import SPECS


def _eleven_check(value: str) -> bool:
    d = [int(c) for c in value]
    return (
        len(d) == 9
        and (9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7] - d[8])
        % 11
        == 0
    )


def test_bsn_like_values_pass_the_eleven_check() -> None:
    rng = np.random.default_rng(5)
    values = [bsn_like(rng) for _ in range(200)]
    assert all(_eleven_check(v) for v in values)
    assert len(set(values)) > 190


@pytest.mark.parametrize("source_id", ["schuldhulp", "brp", "politie-e33"])
def test_removing_listed_rows_gives_back_the_valid_rows(source_id: str) -> None:
    spec = SPECS[source_id]
    n = 3000
    data = {}
    for c in spec.columns:
        if c.role == "start_date":
            data[c.name] = ["2023-05-01"] * n
        elif c.role == "end_date":
            data[c.name] = ["2023-09-01"] * n
        elif c.role == "region":
            data[c.name] = {"gemeente": "GM0153", "wijk": "WK015300", "buurt": "BU015300S01"}[c.field]
        elif c.datatype == "integer":
            data[c.name] = list(range(1950, 1950 + n))
        elif c.role == "sex":
            data[c.name] = ["M"] * n
        else:
            data[c.name] = [f"{c.name}-{i}" for i in range(n)]
    frame = pd.DataFrame(data)
    out, defects = inject(np.random.default_rng(3), spec, frame)
    assert len(out) == n + len(defects) and len(defects) == 6
    rows = {d.row for d in defects}
    assert len(rows) == len(defects)
    kept = out[~(out.index + 1).isin(rows)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, frame)
    for d in defects:
        assert d.kind in applicable(spec) and d.kind in KINDS
        corrupted = out.iloc[d.row - 1]
        if d.kind == "duplicate":
            earlier = out.iloc[: d.row - 1]
            assert (earlier == corrupted).all(axis=1).any()
        else:
            assert d.column in frame.columns
            assert not (frame == corrupted).all(axis=1).any()
