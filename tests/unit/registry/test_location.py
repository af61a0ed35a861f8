"""Which registry a command reads: explicit, $ZICHT_REGISTRY, ./registry, then the packaged seed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zicht import paths
from zicht.compare.definitions import resolve
from zicht.errors import ZichtError
from zicht.registry import location
from zicht.registry.location import find_registry, init_registry, writable_registry


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZICHT_REGISTRY", raising=False)
    monkeypatch.delenv("ZICHT_HOME", raising=False)


def _registry(folder: Path) -> Path:
    shutil.copytree(paths.registry_dir(), folder)
    return folder


def test_order_explicit_env_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cwd = tmp_path / "project"
    local = _registry(cwd / "registry")
    other = _registry(tmp_path / "other")
    assert find_registry(cwd=cwd).path == local.resolve()
    assert "working directory" in find_registry(cwd=cwd).describe()
    monkeypatch.setenv("ZICHT_REGISTRY", str(other))
    assert find_registry(cwd=cwd).path == other.resolve()
    assert find_registry(local, cwd=cwd).path == local.resolve()
    with pytest.raises(ZichtError, match="registry folder not found"):
        find_registry(tmp_path / "missing", cwd=cwd)


def test_without_a_local_registry_the_checkout_or_seed_is_used(tmp_path: Path) -> None:
    found = find_registry(cwd=tmp_path)
    assert found.path == paths.registry_dir()
    assert found.describe().startswith(f"registry: {paths.registry_dir()} (")


def test_installed_package_never_writes_its_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "is_checkout", lambda: False)
    user = tmp_path / "data" / "registry"
    monkeypatch.setattr(location, "user_registry", lambda: user)
    seed = find_registry(cwd=tmp_path)
    assert not seed.writable and "read-only" in seed.reason
    service = writable_registry(cwd=tmp_path)
    assert service.path == user and (user / "published.lock").is_file()
    assert sorted(p.name for p in user.glob("*.yaml")) == sorted(
        p.name for p in paths.registry_dir().glob("*.yaml")
    )
    # Once made, the CLI reads the same folder as the service.
    assert find_registry(cwd=tmp_path).path == user


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    assert init_registry(tmp_path / "registry") >= 7
    with pytest.raises(ZichtError, match="not empty"):
        init_registry(tmp_path / "registry")


def test_compare_resolves_a_definition_that_exists_only_in_the_local_registry(tmp_path: Path) -> None:
    local = _registry(tmp_path / "registry")
    text = (local / "e33-12m.yaml").read_text(encoding="utf-8").replace("id: e33-12m", "id: e33-24m")
    (local / "e33-24m.yaml").write_text(text, encoding="utf-8")
    [doc] = resolve(["e33-24m"], find_registry(cwd=tmp_path).path)
    assert doc["id"] == "e33-24m"
