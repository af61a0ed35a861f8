"""Harmonise: source extracts → the canonical tables of the harmonised store (docs/store.md).

`run.harmonise(in_dir, out_dir)` reads every source's extract files, refuses files that carry a bare BSN,
checks each row against the source descriptor, maps codes with the source's SSSOM mapping set and writes
`person`, `event`, `note`, `quarantine`, `region`, `population`, `source` and `source_coverage` to an
embedded DuckDB database and to sorted Parquet files, with a manifest of what went in.
"""
