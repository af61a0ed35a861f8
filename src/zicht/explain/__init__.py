"""`zicht explain`: why a number changed between two runs (definition version, mapping sets, data
snapshot, reference date), each contribution computed from published values only (see `attribute`)."""

from zicht.explain.attribute import FACTORS, LABELS_NL, ORDER_TEXT, Explanation, State, Step, explain, plan
from zicht.explain.runs import Run, StoreInfo, find_store, read_run, run_from_manifest, store_info

__all__ = [
    "FACTORS",
    "LABELS_NL",
    "ORDER_TEXT",
    "Explanation",
    "Run",
    "State",
    "Step",
    "StoreInfo",
    "explain",
    "find_store",
    "plan",
    "read_run",
    "run_from_manifest",
    "store_info",
]
