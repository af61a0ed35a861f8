"""`zicht synth`: generate a region's synthetic population, extracts, defects and ground truth.

Output directory layout::

    DIR/extracts/<source_id>/<file>_<GMxxxx>.csv|parquet   one file per source and delivering gemeente
    DIR/extracts/<source_id>/<source_id>.source.yaml       the descriptor, restricted to this run's gemeenten
    DIR/defects.csv                                       every injected defect: file,row,column,kind,source_id
    DIR/truth/persons/<GMxxxx>.parquet                    per person: latent state, domains, memberships
    DIR/truth/counts.csv                                  members and universe per definition and region
    DIR/truth/survey_estimates.csv                        weighted estimates of survey definitions
    DIR/truth/definitions.json                            which definitions (id, version, hash) at which date
    DIR/synth-manifest.json                               seed, region, version, gemeenten, rows per file
    DIR/synth-timings.json                                wall time and peak memory (not deterministic)

Everything except synth-timings.json is byte-identical for the same seed, region and package version.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from zicht import __version__, paths, yamlio
from zicht.errors import InputError
from zicht.regions import NL_CODE, TWENTE_CODE, gemeente_codes, wijken
from zicht.synth.defects import LEAK_KINDS, leaking_files
from zicht.synth.descriptors import descriptor, descriptor_yaml
from zicht.synth.gemeente import REFERENCE_DATE, GemeenteResult, generate
from zicht.synth.sources import SPECS

_OUTPUTS = ("extracts", "truth", "defects.csv", "synth-manifest.json", "synth-timings.json")


def load_definitions(directory: Path | None = None) -> list[dict[str, Any]]:
    """The seed definitions of the registry (registry/*.yaml), sorted by id."""
    folder = directory or paths.registry_dir()
    defs = []
    for path in sorted(folder.glob("*.yaml")):
        data = yamlio.load_file(path)
        if not isinstance(data, dict) or "criteria" not in data or "logic" not in data:
            raise InputError(f"{path}: not a definition (needs criteria and logic)")
        defs.append(data)
    return sorted(defs, key=lambda d: d["id"])


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: is a file, not a folder; give a new or existing folder")
    existing = [name for name in _OUTPUTS if (out / name).exists()]
    if existing and not force:
        raise InputError(
            f"{out} already holds synthetic output ({', '.join(existing)}); use --force to replace it"
        )
    for name in existing:
        target = out / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    out.mkdir(parents=True, exist_ok=True)


def _task(args: tuple[str, int, str, list[dict[str, Any]], frozenset[str]]) -> GemeenteResult:
    gemeente, seed, out, definitions, leaks = args
    return generate(gemeente, seed, Path(out), definitions, leaks)


def run(
    region: str,
    seed: int,
    out: Path,
    *,
    gemeenten: list[str] | None = None,
    workers: int = 1,
    force: bool = False,
    on_progress: Callable[[GemeenteResult], None] | None = None,
) -> dict[str, Any]:
    """Generate a region; return the manifest. `gemeenten` restricts the run (e.g. for tests)."""
    all_codes = gemeente_codes(region)
    if gemeenten:
        unknown = sorted(set(gemeenten) - set(all_codes))
        if unknown:
            raise InputError(f"gemeente(n) {', '.join(unknown)} not in region {region!r}")
        codes = [g for g in all_codes if g in set(gemeenten)]
    else:
        codes = all_codes
    definitions = load_definitions()
    _prepare(out, force)
    started = time.perf_counter()
    size = wijken().groupby("gemeente_code")[["mannen_2024", "vrouwen_2024"]].sum().sum(axis=1)
    # biggest gemeenten first so that parallel workers finish together
    order = sorted(codes, key=lambda g: -int(size.get(g, 0)))
    leaks = leaking_files(seed, SPECS.values(), codes)
    tasks = [(g, seed, str(out), definitions, leaks[g]) for g in order]
    results: dict[str, GemeenteResult] = {}
    if workers > 1 and len(tasks) > 1:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(workers) as pool:
            for res in pool.imap_unordered(_task, tasks):
                results[res.gemeente] = res
                if on_progress:
                    on_progress(res)
    else:
        for task in tasks:
            res = _task(task)
            results[res.gemeente] = res
            if on_progress:
                on_progress(res)
    ordered = [results[g] for g in codes]
    manifest = _finish(region, seed, out, codes, ordered, definitions)
    timings = {
        "seconds": round(time.perf_counter() - started, 2),
        "workers": workers,
        "peak_rss_mb_parent": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_mb_workers": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "persons": manifest["persons"],
    }
    (out / "synth-timings.json").write_text(json.dumps(timings, indent=2) + "\n", encoding="utf-8")
    return manifest


def _finish(
    region: str,
    seed: int,
    out: Path,
    codes: list[str],
    results: list[GemeenteResult],
    definitions: list[dict[str, Any]],
) -> dict[str, Any]:
    for spec in SPECS.values():
        if any(spec.applies_to(g) for g in codes):
            target = out / "extracts" / spec.id / f"{spec.id}.source.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(descriptor_yaml(descriptor(spec, codes)), encoding="utf-8")
    defects = sorted((d for r in results for d in r.defects), key=lambda d: (d["file"], d["row"]))
    with (out / "defects.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["file", "row", "column", "kind", "source_id"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(defects)
    _write_truth(out, region, codes, results, definitions)
    files = dict(sorted((k, v) for r in results for k, v in r.files.items()))
    manifest = {
        "generator": "zicht synth",
        "version": __version__,
        "region": region,
        "seed": seed,
        "reference_date": REFERENCE_DATE.isoformat(),
        "period": ["2022-01-01", "2024-12-31"],
        "gemeenten": codes,
        "persons": sum(r.persons for r in results),
        "defects": len(defects),
        "leaking_files": sorted({d["file"] for d in defects if d["kind"] in LEAK_KINDS}),
        "defects_by_kind": dict(
            sorted(pd.Series([d["kind"] for d in defects], dtype=object).value_counts().items())
        ),
        "rows": files,
    }
    (out / "synth-manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _write_truth(
    out: Path, region: str, codes: list[str], results: list[GemeenteResult], definitions: list[dict[str, Any]]
) -> None:
    truth = out / "truth"
    truth.mkdir(parents=True, exist_ok=True)
    complete = set(codes) == set(gemeente_codes(region))
    # region-wide rows only when the run covers the whole region (a filtered run is not "Twente")
    wide = ([TWENTE_CODE] if region == "twente" else [TWENTE_CODE, NL_CODE]) if complete else []
    twente = set(gemeente_codes("twente"))

    counts = pd.DataFrame(
        [c for r in results for c in r.counts],
        columns=["definition_id", "level", "region_code", "members", "population"],
    )
    extra = []
    gem = counts[counts["level"] == "gemeente"]
    for code in wide:
        sub = gem if code == NL_CODE else gem[gem["region_code"].isin(twente)]
        agg = sub.groupby("definition_id", sort=True)[["members", "population"]].sum().reset_index()
        agg.insert(1, "level", "land" if code == NL_CODE else "regio")
        agg.insert(2, "region_code", code)
        extra.append(agg)
    counts = pd.concat([counts, *extra], ignore_index=True).sort_values(
        ["definition_id", "level", "region_code"], ignore_index=True
    )
    counts.to_csv(truth / "counts.csv", index=False, lineterminator="\n")

    survey = pd.DataFrame(
        [s for r in results for s in r.survey],
        columns=["definition_id", "level", "region_code", "respondents", "sum_weight", "sum_weight_member"],
    )
    gem = survey[survey["level"] == "gemeente"]
    extra = []
    for code in wide:
        sub = gem if code == NL_CODE else gem[gem["region_code"].isin(twente)]
        agg = sub.groupby("definition_id", sort=True)[
            ["respondents", "sum_weight", "sum_weight_member"]
        ].sum()
        agg = agg.reset_index()
        agg.insert(1, "level", "land" if code == NL_CODE else "regio")
        agg.insert(2, "region_code", code)
        extra.append(agg)
    survey = pd.concat([survey, *extra], ignore_index=True)
    survey["estimate"] = (survey["sum_weight_member"] / survey["sum_weight"]).round(6)
    survey["sum_weight"] = survey["sum_weight"].round(4)
    survey["sum_weight_member"] = survey["sum_weight_member"].round(4)
    survey = survey.sort_values(["definition_id", "level", "region_code"], ignore_index=True)
    survey.to_csv(truth / "survey_estimates.csv", index=False, lineterminator="\n")

    meta = {
        "reference_date": REFERENCE_DATE.isoformat(),
        "definitions": [
            {"id": d["id"], "version": d.get("version"), "content_hash": d.get("content_hash")}
            for d in definitions
        ],
        "semantics": "docs/definitions.md; evaluated by zicht.synth.truth over the valid delivered records",
        "survey_respondents": "persons with an event of the definition's survey sources in its reference "
        "period and in its population; estimate = sum(weight*member)/sum(weight)",
    }
    (truth / "definitions.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
