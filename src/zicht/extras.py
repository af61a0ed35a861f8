"""Optional parts of zicht and the extra that installs each (`pip install 'zicht[EXTRA]'`).

The main job (`zicht demo`, `zicht serve`, validate, harmonise, synth, pseudonymise) runs on the base
install; what only a few users need is an extra, so that the base install stays small (README, #15).
`require` imports an optional module or raises `MissingExtra`: one line naming what needed it and the
command that installs it, never a traceback.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from zicht.errors import ZichtError

# extra → (what it adds, the modules it provides)
EXTRAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ontology": ("generating the ontology artefacts (zicht ontology build/check)", ("linkml",)),
    "sssom": ("sssom-py: the second reader in zicht mappings check, mapping sets as RDF", ("sssom",)),
    "postgres": ("a PostgreSQL registry database (psycopg)", ("psycopg",)),
    "suppress": ("the LP suppression mode (--disclosure suppress: scipy, HiGHS)", ("scipy", "highspy")),
    "fast-server": ("uvicorn's fast HTTP parser and event loop (httptools, uvloop)", ("httptools", "uvloop")),
}


class MissingExtra(ZichtError, ImportError):
    """An optional dependency is not installed (an ImportError too, for callers that catch those)."""

    exit_code = 2


def install_hint(extra: str) -> str:
    return f"pip install 'zicht[{extra}]'"


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """``module`` imported, or `MissingExtra` saying that ``purpose`` needs ``extra``."""
    if extra not in EXTRAS:
        raise ValueError(f"unknown extra {extra!r}")
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = (exc.name or module).split(".")[0]
        raise MissingExtra(
            f"{purpose} needs {missing}, which is not installed: {install_hint(extra)}"
        ) from None


def available(module: str) -> bool:
    """True when ``module`` can be imported (it is imported, as a check that is also a warm-up)."""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True
