"""Which registry folder a command reads, and why.

A field lab keeps its definitions in a `registry/` folder of its own project; the definitions packaged
with zicht are only the seed. Every command that reads definitions asks `find_registry` and prints the
answer (`RegistryLocation.describe`), so that a file is never silently ignored because another copy
was read. The order, first match wins:

1. an explicit `--registry DIR`;
2. `$ZICHT_REGISTRY`;
3. `$ZICHT_HOME/registry` (a whole project tree elsewhere), when that folder exists;
4. `./registry/` in the working directory;
5. the source checkout's `registry/` when zicht runs from one;
6. the service's registry in the user data directory (made by `zicht serve` on a machine without a
   registry folder of its own);
7. the seed definitions packaged with zicht (read-only).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from zicht import paths
from zicht.errors import ZichtError

ENV = "ZICHT_REGISTRY"


@dataclass(frozen=True)
class RegistryLocation:
    path: Path
    reason: str
    writable: bool = True  # False for the packaged seed: commands that write refuse it

    def describe(self) -> str:
        return f"registry: {self.path} ({self.reason})"


def packaged_registry() -> Path:
    """The registry that ships with zicht (the checkout's registry/ or the wheel's package data)."""
    return paths.registry_dir()


def user_registry() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("zicht", appauthor=False)) / "registry"


def find_registry(explicit: Path | None = None, cwd: Path | None = None) -> RegistryLocation:
    if explicit is not None:
        return _existing(Path(explicit), "--registry")
    env = os.environ.get(ENV)
    if env:
        return _existing(Path(env), f"${ENV}")
    if os.environ.get("ZICHT_HOME") and paths.registry_dir().is_dir():
        return RegistryLocation(paths.registry_dir().resolve(), "$ZICHT_HOME/registry")
    local = (cwd or Path.cwd()) / "registry"
    if local.is_dir():
        return RegistryLocation(local.resolve(), "./registry in the working directory")
    if paths.is_checkout():
        return RegistryLocation(paths.registry_dir(), "the source checkout's registry/")
    user = user_registry()
    if user.is_dir():
        return RegistryLocation(
            user,
            "the service's registry in the user data directory; "
            "create ./registry/ with `zicht registry init` for a project of your own",
        )
    return RegistryLocation(
        packaged_registry(),
        "the seed definitions packaged with zicht, read-only; start your own with `zicht registry init`",
        writable=False,
    )


def writable_registry(explicit: Path | None = None, cwd: Path | None = None) -> RegistryLocation:
    """Where a command that writes definitions (or the service) keeps them: `find_registry`, except that
    the packaged seed is never written to — the user data directory gets a copy of it instead."""
    found = find_registry(explicit, cwd)
    if found.writable:
        return found
    target = user_registry()
    init_registry(target, found.path)
    return RegistryLocation(
        target, "the service's registry in the user data directory, made from the packaged seed definitions"
    )


def init_registry(target: Path, seed: Path | None = None) -> int:
    """Copy the seed definitions (current and archived, with published.lock) into an empty or new
    ``target``; returns the number of files copied."""
    seed = seed or packaged_registry()
    if target.exists() and any(target.iterdir()):
        raise ZichtError(f"{target} exists and is not empty; not overwriting it")
    target.mkdir(parents=True, exist_ok=True)
    n = 0
    for src in sorted(seed.rglob("*")):
        if src.is_file() and (src.suffix == ".yaml" or src.name == "published.lock"):
            dst = target / src.relative_to(seed)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            n += 1
    return n


def _existing(path: Path, reason: str) -> RegistryLocation:
    if not path.is_dir():
        raise ZichtError(f"registry folder not found: {path} (from {reason})")
    return RegistryLocation(path.resolve(), reason)
