"""Every extra (#15): with its package hidden, the code that needs it says so in one line naming the extra,
and what does not need it keeps working. The packages are hidden in this process (sys.modules entries set
to None make `import` fail) and zicht's modules that imported them are dropped, then restored after each test."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zicht import paths
from zicht.extras import EXTRAS, MissingExtra, require

Hide = Callable[..., None]


@pytest.fixture()
def hide(monkeypatch: pytest.MonkeyPatch) -> Hide:
    def _hide(*packages: str, reload: tuple[str, ...] = ()) -> None:
        for name in list(sys.modules):
            if any(name == p or name.startswith(p + ".") for p in packages + reload):
                monkeypatch.delitem(sys.modules, name)
        for p in packages:
            monkeypatch.setitem(sys.modules, p, None)

    return _hide


def _one_line(error: BaseException, extra: str) -> None:
    text = str(error)
    assert "\n" not in text and f"pip install 'zicht[{extra}]'" in text, text


def test_every_extra_is_in_pyproject_and_the_test_extra() -> None:
    import tomllib

    project = tomllib.loads((paths.project_root() / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert set(EXTRAS) <= set(extras)
    test_all = [r for r in extras["test"] if r.startswith("zicht[")]
    assert test_all and set(test_all[0].removeprefix("zicht[").removesuffix("]").split(",")) == set(EXTRAS)
    base = " ".join(project["dependencies"])
    for heavy in ("pyarrow", "scipy", "highspy", "psycopg", "sssom", "httptools", "uvloop", '"linkml=='):
        assert heavy not in base, heavy


def test_require_names_the_extra(hide: Hide) -> None:
    hide("highspy")
    with pytest.raises(MissingExtra) as info:
        require("highspy", "suppress", "the suppression mode")
    _one_line(info.value, "suppress")
    assert isinstance(info.value, ImportError) and info.value.exit_code == 2


@pytest.mark.parametrize("package", ["scipy", "highspy"])
def test_suppress_without_scipy_or_highspy(hide: Hide, package: str) -> None:
    hide(package, reload=("zicht.disclosure", "zicht.compare"))
    with pytest.raises(MissingExtra) as info:
        importlib.import_module("zicht.compare.cells")
    _one_line(info.value, "suppress")
    assert package in str(info.value)
    # the default release does not need it
    from zicht.disclosure.ptable import perturbation_table

    assert perturbation_table(5, 4.0, 2).rows


def test_postgres_without_psycopg(hide: Hide) -> None:
    hide("psycopg")
    from zicht.db.engine import make_engine

    with pytest.raises(MissingExtra) as info:
        make_engine("postgresql://zicht@localhost/zicht")
    _one_line(info.value, "postgres")
    make_engine("sqlite:///:memory:").dispose()  # SQLite needs nothing extra


def test_ontology_build_without_full_linkml(hide: Hide) -> None:
    hide("linkml")  # linkml_runtime stays: the model needs it at run time
    from zicht.ontology import artefacts

    with pytest.raises(MissingExtra) as info:
        artefacts._owl("ontology/zicht.yaml")
    _one_line(info.value, "ontology")
    import zicht.model  # noqa: F401  (the generated model runs on linkml-runtime alone)


def test_mappings_check_without_sssom_says_so(hide: Hide) -> None:
    hide("sssom")
    from zicht.cli import app
    from zicht.mappings import lint

    lint.second_opinion_available.cache_clear()
    try:
        result = CliRunner().invoke(app, ["mappings", "check", str(paths.mappings_dir())])
        assert result.exit_code == 0, result.output
        assert "pip install 'zicht[sssom]'" in result.stderr
        findings = lint.check_paths(paths.mappings_dir())
        assert not [f for f in findings if f.rule == "sssom_py"]
    finally:
        lint.second_opinion_available.cache_clear()


def test_mapping_rdf_without_sssom_is_501_and_tsv_still_served(hide: Hide, tmp_path: Path) -> None:
    hide("sssom")
    from fastapi.testclient import TestClient

    from zicht.api.app import create_app
    from zicht.api.settings import Settings
    from zicht.mappings import rdf

    rdf._graph.cache_clear()
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'extras.db'}"))
    with TestClient(app) as client:
        turtle = client.get("/api/v1/mappings/jeugd", headers={"Accept": "text/turtle"})
        assert turtle.status_code == 501, turtle.text
        assert "pip install 'zicht[sssom]'" in turtle.text
        assert (
            client.get("/api/v1/mappings/jeugd", headers={"Accept": "text/tab-separated-values"}).status_code
            == 200
        )
    app.state.engine.dispose()
    rdf._graph.cache_clear()


def test_serve_without_the_fast_server_extra_says_so(hide: Hide) -> None:
    from zicht.cli.serve import server_note

    hide("httptools")
    note = server_note()
    assert note is not None and "httptools" in note and "pip install 'zicht[fast-server]'" in note


def test_the_semapv_justifications_are_sssom_pys() -> None:
    sssom_constants = pytest.importorskip("sssom.constants", reason="the sssom extra is not installed")
    from zicht.mappings.lint import JUSTIFICATIONS

    assert {m.value for m in sssom_constants.SEMAPV} == JUSTIFICATIONS
