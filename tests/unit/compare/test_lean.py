"""The default release needs no scipy or highspy (#15: they are the extra of the LP suppression mode only).

Run in a fresh interpreter in which importing them fails, as on a lean install: the perturbation table,
`compare` with its defaults and a served /counts request must work; `--disclosure suppress` must fail
with a clear error naming the extra (it is the mode that needs it), in the API as 501."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.unit.compare.helpers import write_store

ROOT = Path(__file__).resolve().parents[3]

BLOCK_SCIPY = """
import sys
sys.path.insert(0, ROOT)
class _NoScipy:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("scipy", "highspy"):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the lean-install test)", name=name)
        return None
sys.meta_path.insert(0, _NoScipy())
"""


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "lean.py"
    script.write_text(f"ROOT = {str(ROOT)!r}\n" + BLOCK_SCIPY + textwrap.dedent(code), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script)], check=False, capture_output=True, text=True, cwd=ROOT, timeout=600
    )


def test_default_compare_and_counts_without_scipy(tmp_path: Path) -> None:
    store = write_store(tmp_path / "store")
    done = _run(
        f"""
        import datetime as dt, json
        from fastapi.testclient import TestClient
        from tests.unit.compare.helpers import E33, GGZ, MULTI, K10, R
        from zicht.api.app import create_app
        from zicht.api.settings import Settings
        from zicht.compare import compare
        from zicht.disclosure.ptable import PerturbationRules, perturbation_table

        assert perturbation_table(4, 3.0, 1).rows[-1].variance > 2.99  # a non-default table is solved too
        r = compare({str(store)!r}, [GGZ, E33, MULTI, K10], R, "wijk", intersection_level="wijk")
        assert r.manifest["disclosure"]["mode"] == "perturb"
        assert r.counts["count"].notna().any() and len(r.intersections) and len(r.attrition)
        from pathlib import Path
        app = create_app(Settings(db_url="sqlite:///{tmp_path / "lean.db"}", store=Path({str(store)!r})))
        with TestClient(app) as client:
            res = client.get("/api/v1/counts", params={{"definitions": "e33-12m,ggz-specialised-12m",
                                                      "date": "2024-12-31", "level": "wijk"}})
            assert res.status_code == 200, res.text
            assert res.json()["cells"] and res.json()["disclosure"]["mode"] == "perturb"
            res = client.get("/api/v1/counts", params={{"definitions": "e33-12m", "date": "2024-12-31",
                                                      "level": "gemeente", "disclosure": "suppress"}})
            assert res.status_code == 501 and "zicht[suppress]" in res.json()["error"]["message"], res.text
        app.state.engine.dispose()
        from zicht.errors import ZichtError
        try:
            compare({str(store)!r}, [GGZ, E33], R, "wijk", disclosure="suppress")
        except ZichtError as e:
            assert "pip install 'zicht[suppress]'" in str(e)
        else:
            raise AssertionError("the suppression mode ran without scipy")
        import sys
        assert not any(m.split(".")[0] in ("scipy", "highspy") for m in sys.modules)
        print("lean ok")
    """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "lean ok" in done.stdout
