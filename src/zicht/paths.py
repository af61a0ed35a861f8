"""Where the project's data folders (ontology/, mappings/, registry/, validators/) live.

In a source checkout they are the top-level folders; in an installed wheel they are package data under
``zicht/_data``. ``ZICHT_HOME`` points to another tree with the same layout (e.g. a field lab's own
registry).
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE_DIR.parents[1]


def project_root() -> Path:
    """The folder that holds ontology/, mappings/, registry/ and validators/."""
    override = os.environ.get("ZICHT_HOME")
    if override:
        return Path(override)
    if (_CHECKOUT_ROOT / "ontology" / "zicht.yaml").is_file() and (_CHECKOUT_ROOT / "src" / "zicht").is_dir():
        return _CHECKOUT_ROOT
    return _PACKAGE_DIR / "_data"


def is_checkout() -> bool:
    """True when running from a source checkout (where generated files may be rewritten)."""
    return project_root() == _CHECKOUT_ROOT


def ontology_dir() -> Path:
    return project_root() / "ontology"


def schema_path() -> Path:
    return ontology_dir() / "zicht.yaml"


def mappings_dir() -> Path:
    return project_root() / "mappings"


def registry_dir() -> Path:
    return project_root() / "registry"


def validators_dir() -> Path:
    return project_root() / "validators"


def model_module_path() -> Path:
    """The generated Python model classes; they live in the package itself."""
    return _PACKAGE_DIR / "model.py"
