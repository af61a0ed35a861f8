"""`zicht harmonise --in DIR --out STORE`: all source extracts of a delivery → the harmonised store.

Layout of the input (as `zicht synth` writes it and a field lab delivers it): `DIR/extracts/<source_id>/`
holds a source's files. Each source needs a descriptor `<source_id>.source.yaml` (next to the files,
or in the mappings folder) and, unless it is the population register, a mapping set
`<source_id>.sssom.tsv` in the mappings folder.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from zicht import paths
from zicht.choices import BSN_POLICIES
from zicht.disclosure.record_keys import key_id, load_release_key
from zicht.errors import InputError
from zicht.harmonise import manifest as manifest_mod
from zicht.harmonise.checks import sql_text
from zicht.harmonise.extract import extract_files, load_extract, skipped_entries, undecodable_cells
from zicht.harmonise.identifiers import BSNRefused, bsn_refusal, identifier_findings
from zicht.harmonise.records import (
    KIND_EVENTS,
    KIND_NOTES,
    KIND_PERSONS,
    FileResult,
    register_mapping,
    stage_file,
)
from zicht.harmonise.reference import load_population, load_region_table, load_sources
from zicht.harmonise.store import create_work_tables, replace_store, resolve_duplicates, write_store
from zicht.mappings.codes import read_code_list
from zicht.mappings.descriptor import SourceDescriptor, load_descriptor
from zicht.mappings.mapping_set import MappingSet, load_mapping_set
from zicht.mappings.sssom_table import file_sha256
from zicht.ontology.schema import schema_view
from zicht.sql import scalar

Progress = Callable[[str, int, int], None]  # (label, done, total)
REFUSE_FILE, QUARANTINE_ROW = BSN_POLICIES
# The work database's memory limit. A national delivery's stage tables are larger than that and spill to
# the build folder; at 3GB the national run peaked at 3.8 GB (the limit plus the Python side: region and
# population tables, mapping sets), over the 2.5 GB that issue #13 allows.
DEFAULT_MEMORY_LIMIT = "1.5GB"


@dataclass
class Outcome:
    store: Path
    manifest: dict[str, Any]
    refused: list[str] = field(default_factory=list)


def source_kind(descriptor: SourceDescriptor) -> str:
    roles = {c.role for c in descriptor.columns}
    if descriptor.kind == "narrative":
        return KIND_NOTES
    if "code" not in roles and {"sex", "birth_year", "person_key"} <= roles:
        return KIND_PERSONS
    return KIND_EVENTS


def find_descriptor(in_dir: Path, mappings_dir: Path, source_id: str) -> Path:
    """The descriptor delivered with the extract wins over the national one in the mappings folder."""
    name = f"{source_id}.source.yaml"
    for candidate in (
        in_dir / "extracts" / source_id / name,
        in_dir / "sources" / name,
        in_dir / name,
        mappings_dir / name,
    ):
        if candidate.is_file():
            return candidate
    raise InputError(
        f"{in_dir / 'extracts' / source_id}: no source descriptor {name} next to the files or in "
        f"{mappings_dir}"
    )


def sex_codes(mappings_dir: Path, source_id: str) -> dict[str, str]:
    """Register sex codes → Sex values, by matching the code list's labels with the Sex enum's Dutch labels
    (man / vrouw / onbekend) or its keys."""
    path = mappings_dir / f"{source_id}.codes.csv"
    entries, problems = read_code_list(path)
    if problems:
        line, _rule, message = problems[0]
        raise InputError(f"{path}:{line}: {message}")
    enum = schema_view().get_enum("Sex")
    by_label = {}
    for key, pv in enum.permissible_values.items():
        by_label[key] = key
        ann = (pv.annotations or {}).get("pref_label_nl")
        if ann is not None:
            by_label[str(ann.value).lower()] = key
    out = {e.code: by_label[e.label.lower()] for e in entries if e.label.lower() in by_label}
    if not out:
        raise InputError(f"{path}: no code's label is a sex (man/vrouw/onbekend or male/female/unknown)")
    return out


def harmonise(
    in_dir: Path,
    out_dir: Path,
    *,
    mappings_dir: Path | None = None,
    progress: Progress | None = None,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int | None = None,
    bsn_policy: str = REFUSE_FILE,
    release_key: bytes | None = None,
) -> Outcome:
    """Harmonise every source under ``in_dir/extracts`` into a store in ``out_dir``.

    ``bsn_policy`` REFUSE_FILE (the default) refuses a file holding a BSN as a whole; QUARANTINE_ROW keeps
    the file and quarantines each row with a BSN (reason `bsn_detected`, value masked), for deliveries
    where a whole-file refusal would drop too much (e.g. to keep every resident of a synthetic run, whose
    BSN defects sit in a few files).

    ``release_key`` is the secret from which each person's record key is made (cell key method,
    `zicht.disclosure.record_keys`); ``None`` uses this machine's default release key file.
    """
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?\s*([KMGT]i?B|B)?", memory_limit.strip(), re.IGNORECASE):
        raise InputError(f"--memory-limit: {memory_limit[:40]!r} is not a size such as 3GB or 512MB")
    if bsn_policy not in (REFUSE_FILE, QUARANTINE_ROW):
        raise InputError(f"unknown BSN policy {bsn_policy!r}: use {REFUSE_FILE} or {QUARANTINE_ROW}")
    release_key = release_key if release_key is not None else load_release_key()
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    mappings_dir = mappings_dir or paths.mappings_dir()
    delivery = _read_delivery(in_dir, mappings_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    build_dir = Path(tempfile.mkdtemp(prefix=".zicht-build-", dir=out_dir))
    try:
        con = _work_database(build_dir, memory_limit, threads)
        staged = _stage_delivery(con, delivery, bsn_policy, progress)
        manifest = _finish(con, delivery, staged, build_dir, release_key, progress)
        manifest["run"] = {
            "started_at": started_at,
            "seconds": round(time.monotonic() - started, 1),
            "input": str(in_dir.resolve()),
            "mappings": str(mappings_dir.resolve()),
            "pid": os.getpid(),
        }
        manifest_mod.write(manifest, build_dir / "manifest.json")
        replace_store(build_dir, out_dir)
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
    return Outcome(out_dir, manifest, staged.refused)


@dataclass
class Delivery:
    """The sources of a delivery as read before any file: descriptors, kinds, mapping sets, files."""

    in_dir: Path
    mappings_dir: Path
    descriptors: list[SourceDescriptor]
    kinds: dict[str, str]
    mappings: dict[str, MappingSet | None]
    files: dict[str, list[Path]]


@dataclass
class Staged:
    """What staging the files left besides the work tables: per-file results, refusals, key columns."""

    results: dict[str, list[FileResult]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    person_keys: dict[str, str] = field(default_factory=dict)
    note_ids: dict[str, str] = field(default_factory=dict)
    event_ids: dict[str, str] = field(default_factory=dict)


def _read_delivery(in_dir: Path, mappings_dir: Path) -> Delivery:
    extracts = in_dir / "extracts"
    if not extracts.is_dir():
        raise InputError(f"{in_dir}: no extracts/ folder (expected extracts/<source_id>/<files>)")
    source_ids = sorted(p.name for p in extracts.iterdir() if p.is_dir())
    if not source_ids:
        raise InputError(f"{extracts}: no source folders")
    descriptors = [load_descriptor(find_descriptor(in_dir, mappings_dir, s)) for s in source_ids]
    for sid, d in zip(source_ids, descriptors, strict=False):
        if d.id != sid:
            raise InputError(f"{d.path}: descriptor id {d.id!r} does not match its folder extracts/{sid}")
    kinds = {d.id: source_kind(d) for d in descriptors}
    mappings: dict[str, MappingSet | None] = {}
    for d in descriptors:
        path = mappings_dir / f"{d.id}.sssom.tsv"
        if kinds[d.id] == KIND_PERSONS:
            mappings[d.id] = None
        elif not path.is_file():
            raise InputError(f"source {d.id!r}: no mapping set {path}")
        else:
            mappings[d.id] = load_mapping_set(path)
    files = {d.id: extract_files(in_dir, d) for d in descriptors}
    return Delivery(in_dir, mappings_dir, descriptors, kinds, mappings, files)


def _work_database(build_dir: Path, memory_limit: str, threads: int | None) -> duckdb.DuckDBPyConnection:
    # An in-memory work database spills to temp_directory beyond memory_limit, without the per-commit
    # fsyncs of a database file.
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = {sql_text(memory_limit)}")
    # Paths are quoted as SQL literals, never pasted: an --out folder may hold a quote.
    con.execute(f"SET temp_directory = {sql_text(str(build_dir / 'spill'))}")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    create_work_tables(con)
    return con


def _stage_delivery(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    bsn_policy: str,
    progress: Progress | None,
) -> Staged:
    """Stage every file of every source, in store order (sources by id, files by name)."""
    known_regions = load_region_table(con)
    staged = Staged()
    total = sum(len(v) for v in delivery.files.values())
    done = 0
    for d in delivery.descriptors:
        kind, mapping = delivery.kinds[d.id], delivery.mappings[d.id]
        register_mapping(con, mapping)
        sexes = sex_codes(delivery.mappings_dir, d.id) if kind == KIND_PERSONS else None
        if kind == KIND_PERSONS:
            staged.person_keys[d.id] = d.column("person_key").name  # type: ignore[union-attr]
        if kind == KIND_NOTES:
            staged.note_ids[d.id] = d.column("record_id").name  # type: ignore[union-attr]
        if kind == KIND_EVENTS and d.column("record_id") is not None:
            staged.event_ids[d.id] = d.column("record_id").name  # type: ignore[union-attr]
        staged.results[d.id] = []
        for path in delivery.files[d.id]:
            if progress:
                progress(f"{d.id}: {path.name}", done, total)
            result = _stage_one_file(
                con, delivery, d, path, bsn_policy, sexes=sexes, known_regions=known_regions
            )
            if result.refused is not None:
                staged.refused.append(result.refused)
            staged.results[d.id].append(result)
            done += 1
    if progress:
        progress("writing the store", done, total)
    return staged


def _stage_one_file(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    d: SourceDescriptor,
    path: Path,
    bsn_policy: str,
    *,
    sexes: dict[str, str] | None,
    known_regions: bool,
) -> FileResult:
    """Read, scan and stage one file; a file that cannot be read or holds a BSN is refused on its own:
    nothing of it stays in the work tables, the manifest says why, the other files are harmonised."""
    rel = path.relative_to(delivery.in_dir).as_posix()
    result = FileResult(rel, file_sha256(path))
    staging = False
    try:
        columns, bad_rows = load_extract(con, path, d)
        roles = {c.name: c.role for c in d.columns}
        undecodable = "bytes that are not valid text in the declared encoding; value not shown"
        flagged = [
            (r, "bad_encoding", col, undecodable) for r, col in undecodable_cells(con, columns, bad_rows)
        ]
        found = identifier_findings(con, "raw", columns, roles=roles)
        refusal = bsn_refusal(rel, found) if bsn_policy == REFUSE_FILE else None
        if refusal is not None:
            raise refusal
        flagged += [
            (f.row, "bsn_detected" if f.kind == "bsn" else "direct_identifier", f.column, f.detail)
            for f in found
        ]
        staging = True
        stage_file(
            con,
            d,
            delivery.mappings[d.id],
            delivery.kinds[d.id],
            result,
            max_birth_year=d.period[1].year,
            sex_codes=sexes,
            known_regions=known_regions,
            flagged=flagged,
        )
    except (InputError, duckdb.Error) as exc:
        _refuse_file(con, result, exc, path, staged=staging)
    return result


def _finish(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    staged: Staged,
    build_dir: Path,
    release_key: bytes,
    progress: Progress | None,
) -> dict[str, Any]:
    """The global steps after every file is staged: duplicates across files, the reference tables, the store
    files and the manifest (without its `run` entry)."""
    descriptors, mappings, results = delivery.descriptors, delivery.mappings, staged.results
    removed_events = resolve_duplicates(con, staged.person_keys, staged.note_ids, staged.event_ids)
    _recount_duplicates(con, results, removed_events)
    load_sources(con, descriptors, mappings)
    gemeenten = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT residence_gemeente FROM person_stage WHERE residence_gemeente IS NOT NULL"
        ).fetchall()
    ]
    notes = [load_population(con, gemeenten)]
    counts = write_store(con, build_dir, release_key)
    register = next((sid for sid, k in delivery.kinds.items() if k == KIND_PERSONS), None)
    con.execute(f"ATTACH {sql_text(str(build_dir / 'zicht.duckdb'))} AS store (READ_ONLY)")
    links = manifest_mod.linkage(con, register)
    con.execute("DETACH store")
    con.close()
    sources = {
        d.id: manifest_mod.source_entry(
            d,
            mappings[d.id],
            results[d.id],
            _shown_path(d.path, delivery.in_dir, delivery.mappings_dir),
            skipped_entries(delivery.in_dir, d),
        )
        for d in descriptors
    }
    tables = {
        t: {"rows": n, "sha256": file_sha256(build_dir / "parquet" / f"{t}.parquet")}
        for t, n in counts.items()
    }
    release = {
        "record_keys": "HMAC-SHA-256 of the pseudonym with the release key, first 32 bits",
        "release_key_id": key_id(release_key),
    }
    return manifest_mod.build(sources, tables, links, notes, release)


REFUSED_REASON = "file_refused"


def _refuse_file(
    con: duckdb.DuckDBPyConnection, result: FileResult, exc: Exception, path: Path, *, staged: bool
) -> None:
    # Only a file refused while it was being staged can have left rows in the work tables; the others
    # (unreadable, a BSN) are refused before staging, and each DELETE would scan the national stage tables
    # (tens of millions of rows) once per refused file.
    if staged:
        for table in ("quarantine", "event_stage", "person_stage", "note_stage", "event_record"):
            con.execute(f"DELETE FROM {table} WHERE source_file = ?", [result.file])
    if isinstance(exc, InputError):
        message = str(exc).replace(str(path), result.file)  # the delivery's own name, not this machine's path
    else:  # a DuckDB error on data it could not read: one line, no server paths beyond the file's own
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        message = f"{result.file}: could not be read: {first}"
    result.refused = message
    try:
        result.rows_read = scalar(con, "SELECT count(*) FROM raw") if isinstance(exc, BSNRefused) else 0
    except duckdb.Error:
        result.rows_read = 0
    result.rows_harmonised = result.events = result.cells_quarantined = 0
    result.quarantined.clear()
    if result.rows_read:
        result.quarantined[REFUSED_REASON] = result.rows_read
    result.first_date = result.last_date = None


def _shown_path(path: Path, in_dir: Path, mappings_dir: Path) -> str:
    for base, label in ((in_dir, ""), (mappings_dir, "mappings/")):
        try:
            return label + path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def _recount_duplicates(
    con: duckdb.DuckDBPyConnection, results: dict[str, list[FileResult]], removed_events: dict[str, int]
) -> None:
    """Rows found to repeat a person, note or event record id of another row move from harmonised to
    quarantined (and their events leave the file's count)."""
    moved = con.execute(
        "SELECT source_file, reason, count(*) FROM quarantine WHERE reason IN ('duplicate_person', "
        "'duplicate_record_id') GROUP BY 1, 2"
    ).fetchall()
    by_file = {f.file: f for items in results.values() for f in items}
    for file, reason, n in moved:
        result = by_file[file]
        result.rows_harmonised -= n
        result.quarantined[reason] += n
    for file, n in removed_events.items():
        by_file[file].events -= n
