"""Why did a number change between two runs? Split each count's change into its causes.

Between run A and run B up to four things can differ: the **definition version**, the **mapping set
versions**, the **data snapshot** and the **reference date**. Starting from A, they are switched to B's
one at a time, always in this order (`FACTORS`), and every intermediate state is computed like any other
comparison — through the same disclosure control. The contribution of a factor is the change of the
*published* value that switching it made; the contributions of one count add up exactly to B − A,
because each is the difference of two consecutive published values.

An order is needed because the factors interact (a new definition version may use a concept whose
mapping also changed): another order gives other shares for the same total, so the order is stated
with every explanation. Mapping sets and data live together in a store; separating them needs a store
of A's data harmonised with B's mapping sets (a "bridge"). Without one, their joint contribution is
reported as one step and the explanation says how to make the bridge.

A step whose value is not published (suppressed, no source) cannot be split further: the count is
marked "not split" with the step that hides it, and no contribution is guessed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from zicht.choices import CsvDialect
from zicht.explain.runs import StoreInfo
from zicht.registry.normalise import content_hash

FACTORS = ("definition", "mappings", "data", "date")
LABELS_NL = {
    "definition": "definitieversie",
    "mappings": "mappingsets",
    "data": "gegevens (momentopname)",
    "mappings+data": "mappingsets en gegevens samen",
    "date": "peildatum",
}
COLUMNS = {
    "definition": "due_to_definition",
    "mappings": "due_to_mappings",
    "data": "due_to_data",
    "mappings+data": "due_to_mappings_and_data",
    "date": "due_to_date",
}
ORDER_TEXT = (
    "one factor at a time, in the order definition version → mapping set versions → data snapshot → "
    "reference date; each contribution is the change of the published value at that step"
)
KEY = ["level", "region_code", "definition", "measure"]


@dataclass(frozen=True)
class State:
    store: StoreInfo
    definitions: tuple[tuple[str, Mapping[str, Any]], ...]  # (id, document), in run A's order
    reference_date: dt.date

    def documents(self) -> list[dict[str, Any]]:
        return [dict(doc) for _, doc in self.definitions]


@dataclass(frozen=True)
class Step:
    factor: str | None  # None: the starting point, run A
    state: State
    change: str


@dataclass
class Explanation:
    level: str
    steps: list[Step]
    rows: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def factors(self) -> list[str]:
        return [s.factor for s in self.steps if s.factor]

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "order": ORDER_TEXT,
            "steps": [
                {
                    "factor": s.factor or "start",
                    "label": LABELS_NL.get(s.factor or "", "run A"),
                    "column": COLUMNS.get(s.factor or ""),
                    "change": s.change,
                    "reference_date": s.state.reference_date.isoformat(),
                    "store": s.state.store.content_hash,
                    "definitions": [
                        {"id": i, "version": d.get("version"), "content_hash": content_hash(d)}
                        for i, d in s.state.definitions
                    ],
                }
                for s in self.steps
            ],
            "notes": self.notes,
            "rows": [{k: plain_value(v) for k, v in r.items()} for r in self.rows.to_dict(orient="records")],
        }

    def to_csv(self, dialect: CsvDialect = "standard") -> bytes:
        from zicht.csvfile import frame_csv

        return frame_csv(self.rows, dialect)


Runner = Callable[[State, str], Any]  # (state, level) -> ComparisonResult


def plan(a: State, b: State, stores: Sequence[StoreInfo] = ()) -> tuple[list[Step], list[str]]:
    """The states between A and B, one factor switched per step, and notes on what could not be split."""
    steps = [Step(None, a, "run A")]
    notes: list[str] = []
    s = a
    b_docs = dict(b.definitions)
    if any(content_hash(doc) != content_hash(b_docs[i]) for i, doc in s.definitions if i in b_docs):
        changed = [
            f"{i} {doc.get('version')} → {b_docs[i].get('version')}"
            for i, doc in s.definitions
            if i in b_docs and content_hash(doc) != content_hash(b_docs[i])
        ]
        s = dataclasses.replace(s, definitions=tuple((i, b_docs.get(i, doc)) for i, doc in s.definitions))
        steps.append(Step("definition", s, "; ".join(changed)))
    if not _same_store(s.store, b.store):
        store_steps, note = _store_steps(a, b, s, stores)
        steps += store_steps
        s = store_steps[-1].state
        notes += [note] if note else []
    if s.reference_date != b.reference_date:
        s = dataclasses.replace(s, reference_date=b.reference_date)
        steps.append(Step("date", s, f"{a.reference_date.isoformat()} → {b.reference_date.isoformat()}"))
    only_a = sorted(set(dict(a.definitions)) - set(b_docs))
    only_b = sorted(set(b_docs) - set(dict(a.definitions)))
    if only_a or only_b:
        notes.append(
            "only definitions in both runs are explained; "
            + "; ".join(
                x
                for x in (
                    f"only in A: {', '.join(only_a)}" if only_a else "",
                    f"only in B: {', '.join(only_b)}" if only_b else "",
                )
                if x
            )
        )
    return steps, notes


def _store_steps(a: State, b: State, s: State, stores: Sequence[StoreInfo]) -> tuple[list[Step], str | None]:
    """From A's store to B's: the data or the mapping sets alone, both through a bridge store of A's
    extracts harmonised with B's mapping sets when one is given, else both in one step (with a note)."""
    same_data, same_maps = s.store.data == b.store.data, s.store.mappings == b.store.mappings
    at_b = dataclasses.replace(s, store=b.store)
    if same_maps and not same_data:
        return [Step("data", at_b, _data_change(a.store, b.store))], None
    if same_data and not same_maps:
        return [Step("mappings", at_b, _mapping_change(a.store, b.store))], None
    bridge = next(
        (
            x
            for x in stores
            if x.data == s.store.data and x.mappings == b.store.mappings and not same_data and not same_maps
        ),
        None,
    )
    if bridge is not None:
        at_bridge = dataclasses.replace(s, store=bridge)
        return [
            Step("mappings", at_bridge, _mapping_change(a.store, b.store)),
            Step("data", dataclasses.replace(at_bridge, store=b.store), _data_change(a.store, b.store)),
        ], None
    what = "data and mapping sets" if not same_data and not same_maps else "the store"
    step = Step(
        "mappings+data",
        at_b,
        f"{what} changed together: {_mapping_change(a.store, b.store)}; {_data_change(a.store, b.store)}",
    )
    if same_data or same_maps:
        return [step], None
    return [step], (
        "mapping sets and data changed together and no store of A's extracts harmonised with B's "
        "mapping sets was given, so their contributions are reported as one; make one with "
        "`zicht harmonise --in <A's delivery> --mappings <B's mappings> --out BRIDGE` and "
        "pass it with --store BRIDGE to split them"
    )


def explain(a: State, b: State, level: str, runner: Runner, stores: Sequence[StoreInfo] = ()) -> Explanation:
    steps, notes = plan(a, b, stores)
    shared = [i for i, _ in a.definitions if i in dict(b.definitions)]
    values = []
    for i, step in enumerate(steps):
        state = dataclasses.replace(
            step.state, definitions=tuple((d, doc) for d, doc in step.state.definitions if d in shared)
        )
        values.append(published_values(runner(state, level)).assign(step=i))
    return Explanation(level, steps, _attribute(values, steps), notes)


def published_values(result: Any) -> pd.DataFrame:
    """Published counts and estimates of a comparison in one long frame (only published columns)."""
    return pd.concat(
        [
            _long(result.counts, "count", "count", "count_status"),
            _long(result.estimates, "estimate_percent", "estimate_percent", "estimate_status"),
        ],
        ignore_index=True,
    )


def _long(frame: pd.DataFrame, measure: str, value: str, status: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level": frame["level"],
            "region_code": frame["region_code"],
            "region_name": frame["region_name"],
            "definition": frame["definition"],
            "measure": measure,
            "value": frame[value].astype("Float64"),
            "status": frame[status],
        }
    )


def _column(step: Step) -> str:
    assert step.factor is not None, "only run A has no factor"
    return COLUMNS[step.factor]


def _attribute(values: list[pd.DataFrame], steps: list[Step]) -> pd.DataFrame:
    names = values[-1].drop_duplicates(KEY).set_index(KEY)["region_name"]
    names = pd.concat([values[0].drop_duplicates(KEY).set_index(KEY)["region_name"], names])
    names = names[~names.index.duplicated(keep="last")]
    wide = {i: v.drop_duplicates(KEY).set_index(KEY)[["value", "status"]] for i, v in enumerate(values)}
    keys = sorted(set().union(*(set(w.index) for w in wide.values())), key=lambda k: (k[0] != "total", k))
    rows = []
    for key in keys:
        cells = [
            (w.loc[key, "value"], w.loc[key, "status"]) if key in w.index else (None, "absent")
            for w in wide.values()
        ]
        vals = [None if v is None or pd.isna(v) else float(v) for v, _ in cells]
        stats = [s for _, s in cells]
        row: dict[str, Any] = dict(zip(KEY, key, strict=True))
        row["region_name"] = names.get(key)
        row["value_a"], row["status_a"] = vals[0], stats[0]
        row["value_b"], row["status_b"] = vals[-1], stats[-1]
        row["change"] = None if vals[0] is None or vals[-1] is None else vals[-1] - vals[0]
        hidden = next((i for i, s in enumerate(stats) if s != "published"), None)
        for i, step in enumerate(steps[1:], start=1):
            now, before = vals[i], vals[i - 1]
            row[_column(step)] = None if now is None or before is None else now - before
        if hidden is None:
            row["split"] = "split"
        else:
            where = "run A" if hidden == 0 else f"after switching the {steps[hidden].factor}"
            row["split"] = f"not split: {stats[hidden]} {where}"
        rows.append(row)
    columns = [
        "level",
        "region_code",
        "region_name",
        "definition",
        "measure",
        "value_a",
        "status_a",
        "value_b",
        "status_b",
        "change",
        *[_column(s) for s in steps[1:]],
        "split",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("value_a", "value_b", "change", *[_column(s) for s in steps[1:]]):
        frame[col] = frame[col].astype("Float64")
    return frame


def _same_store(x: StoreInfo, y: StoreInfo) -> bool:
    return (x.content_hash is not None and x.content_hash == y.content_hash) or (
        x.data == y.data and x.mappings == y.mappings
    )


def _mapping_change(a: StoreInfo, b: StoreInfo) -> str:
    am, bm = {m[0]: m for m in a.mappings}, {m[0]: m for m in b.mappings}
    out = []
    for sid in sorted(set(am) | set(bm)):
        x, y = am.get(sid), bm.get(sid)
        if x == y:
            continue
        out.append(
            f"{sid} {(x or (None, None, '-'))[2] or '-'} → {(y or (None, None, '-'))[2] or '-'}"
            + ("" if (x and y and x[2] != y[2]) or not (x and y) else " (same version, other content)")
        )
    return "mapping sets: " + (", ".join(out) or "no change")


def _data_change(a: StoreInfo, b: StoreInfo) -> str:
    ad, bd = {d[0]: d for d in a.data}, {d[0]: d for d in b.data}
    changed = sorted(s for s in set(ad) | set(bd) if ad.get(s) != bd.get(s))
    return "extracts: " + (", ".join(changed) + " changed" if changed else "no change")


def plain_value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value
