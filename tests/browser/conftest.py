"""Browser tests: the real app (uvicorn on a loopback port) on a small synthetic store, driven by
Debian's chromium through Playwright. Browser downloads do not work here, so the tests need the
`chromium` package (.ci/system-deps installs it); without it they skip and say why."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
# One small gemeente with many wijken (Tubbergen: about 21,000 residents, 13 wijken, and no meldpunt
# source) keeps the store and its disclosure-controlled comparison quick while giving published,
# suppressed and not-covered wijken; the other thirteen gemeenten have no data in it.
STORE_GEMEENTEN = ("GM0183",)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def chromium_executable() -> str | None:
    for candidate in (os.environ.get("ZICHT_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _run(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "zicht", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"zicht {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        )


@pytest.fixture(scope="session")
def test_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A harmonised store of two synthetic Twente gemeenten, made by the real synth + harmonise CLI."""
    root = tmp_path_factory.mktemp("wijkscan-store")
    gemeenten = [arg for g in STORE_GEMEENTEN for arg in ("--gemeente", g)]
    _run(["synth", "--region", "twente", "--seed", "7", *gemeenten, "--out", str(root / "synth"), "--quiet"])
    # The synthetic extracts carry BSN-like ids on purpose; quarantining those rows keeps the rest.
    _run(
        [
            "harmonise",
            "--in",
            str(root / "synth"),
            "--out",
            str(root / "store"),
            "--quiet",
            "--bsn",
            "quarantine-row",
        ]
    )
    return root / "store"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Server:
    base: str  # e.g. http://127.0.0.1:PORT
    app: object  # the FastAPI app, for making API keys in tests

    @property
    def api(self) -> str:
        return f"{self.base}/api/v1"

    def get(self, path: str, accept: str = "application/json", **params: str) -> dict:
        resp = httpx.get(f"{self.api}/{path}", params=params, headers={"Accept": accept}, timeout=120)
        resp.raise_for_status()
        return resp.json()


@pytest.fixture(scope="session")
def server(test_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import uvicorn

    from zicht.api.app import create_app
    from zicht.api.settings import Settings

    db = tmp_path_factory.mktemp("wijkscan-db") / "registry.db"
    app = create_app(Settings(db_url=f"sqlite:///{db}", store=test_store))
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, name="wijkscan-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", app)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        pytest.skip(
            "no chromium executable (/usr/bin/chromium): install Debian's `chromium` package, "
            "e.g. with .ci/system-deps; Playwright cannot download browsers here"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class PageRun:
    page: Page
    outside_requests: list[str]
    errors: list[str]


@pytest.fixture
def wijkscan(browser: Browser, server: Server) -> Iterator[PageRun]:
    """The page at a common laptop size, loaded and idle; records any request leaving the machine."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="nl-NL"
    )
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith((server.base, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{server.base}/", wait_until="load")
    page.wait_for_selector("body[data-loads]", state="attached", timeout=120_000)
    yield PageRun(page, outside, errors)
    context.close()


def save_screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
