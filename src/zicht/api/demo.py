"""The store `zicht serve` uses without --store: the Twente demo store in the user cache directory,
built once on first start from the synthetic Twente population (synth → harmonise)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from zicht.api.store_state import STORE_MARKERS

DEMO_SEED = 20241231


def demo_store_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("zicht", appauthor=False)) / "demo-twente"


def is_store(path: Path) -> bool:
    """A complete store of the current format (a demo store of an older format is built again)."""
    if not all((path / m).is_file() for m in STORE_MARKERS):
        return False
    from zicht.harmonise.manifest import FORMAT_VERSION

    try:
        return (
            json.loads((path / "manifest.json").read_text(encoding="utf-8")).get("format") == FORMAT_VERSION
        )
    except (OSError, ValueError, AttributeError):
        return False


# Shares of the first build's time (measured on Twente: synth ≈ 45 %, harmonise ≈ 55 %), so that one
# progress bar can run through both.
SYNTH_SHARE = 0.45

Step = Callable[[float, str], None]  # (fraction done 0..1, what is being done)


def build_demo_store(target: Path, echo: Callable[[str], None] = print, step: Step | None = None) -> Path:
    """Generate synthetic Twente extracts and harmonise them into ``target`` (minutes, once).

    Progress goes to ``step`` (one bar) when given, else one line per gemeente and file to ``echo``."""
    from zicht.harmonise.run import QUARANTINE_ROW, harmonise
    from zicht.regions import gemeente_codes
    from zicht.synth.run import run as synthesise

    work = target.parent / (target.name + ".building")
    shutil.rmtree(work, ignore_errors=True)
    extracts, store = work / "synth", work / "store"
    echo(f"zicht: building the Twente demo store in {target} (once; a few minutes)")
    n_gemeenten = len(gemeente_codes("twente"))
    synthesised: list[str] = []

    def synth_done(res) -> None:
        synthesised.append(res.gemeente)
        if step is None:
            echo(f"zicht: synthetic extracts for {res.gemeente} done")
        else:
            step(SYNTH_SHARE * len(synthesised) / n_gemeenten, "synthetische extracten")

    def progress(label: str, done: int, total: int) -> None:
        if step is None:
            echo(f"zicht: harmonise {label} ({done}/{total})")
        else:
            step(SYNTH_SHARE + (1 - SYNTH_SHARE) * done / max(total, 1), "harmoniseren")

    if step is not None:
        step(0.0, "synthetische extracten")
    synthesise("twente", DEMO_SEED, extracts, on_progress=synth_done)
    # The synthetic extracts carry BSN-like ids on purpose (defects to catch); quarantine those rows.
    harmonise(extracts, store, progress=progress, bsn_policy=QUARANTINE_ROW)
    shutil.rmtree(target, ignore_errors=True)
    store.rename(target)
    shutil.rmtree(work, ignore_errors=True)
    if step is None:
        echo(f"zicht: demo store ready at {target}")
    return target


def resolve_store(store: Path | None, echo: Callable[[str], None] = print, step: Step | None = None) -> Path:
    """``store`` if given, else the demo store (built on first use)."""
    if store is not None:
        return store
    demo = demo_store_dir()
    if is_store(demo):
        return demo
    return build_demo_store(demo, echo, step)
