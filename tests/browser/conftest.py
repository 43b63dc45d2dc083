"""Browser fixtures: the real app served from a fresh database, driven by Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import DATA, ROOT
from tests.databases import new_database

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Chromium: apt-get install chromium chromium-driver",
        allow_module_level=True,
    )
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need playwright: make install-dev"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(
    tmp_path: Path,
    public: bool,
    users: tuple[tuple[str, str, str], ...] = (),
    database_url: str | None = None,
) -> tuple[subprocess.Popen, str]:
    """The app on `database_url`, or on a new database loaded with data/."""
    url = database_url or new_database(tmp_path, "browser")
    env = {**os.environ, "DATABASE_URL": url}
    if database_url is None:
        subprocess.run(
            [sys.executable, "-m", "etl", "load", str(DATA)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    for name, role, password in users:  # (name, role, password), added as a script would
        subprocess.run(
            [sys.executable, "-m", "etl", "users", "add", name, "--role", role, "--password-stdin"],
            input=password + "\n",
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    port = _free_port()
    args = [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)]
    log = (tmp_path / "app.log").open("w")
    process = subprocess.Popen(
        args + (["--public"] if public else []),
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.5)
    process.kill()
    tail = (tmp_path / "app.log").read_text()[-2000:]
    raise RuntimeError(f"the app did not answer /healthz:\n{tail}")


def _serving(tmp_path_factory, public: bool, users: tuple = ()):
    process, base = _serve(tmp_path_factory.mktemp("browser"), public=public, users=users)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The internal view's base URL."""
    yield from _serving(tmp_path_factory, public=False)


@pytest.fixture(scope="session")
def served_public(tmp_path_factory):
    """The public read-only view's base URL."""
    yield from _serving(tmp_path_factory, public=True)


USERS = (("ana", "analyst", "analyst password 1"), ("adm", "admin", "admin password 22"))


@pytest.fixture(scope="session")
def served_with_users(tmp_path_factory):
    """The internal view's base URL, with the USERS added by `python -m etl users add`: every
    page needs a login there."""
    yield from _serving(tmp_path_factory, public=False, users=USERS)


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Watch:
    """Console errors and requests to hosts other than the app's own, seen by one page."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.external: set[str] = set()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            return
        self.external.add(host)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", accept_downloads=True)
    tab = context.new_page()
    tab.watch = Watch(tab)
    yield tab
    context.close()
    assert tab.watch.errors == [], tab.watch.errors
    assert tab.watch.external == set(), tab.watch.external


SERIOUS = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => ['serious', 'critical'].includes(v.impact))"
    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
)


def axe_violations(tab) -> list[str]:
    """axe-core's serious and critical findings on the page (its script is inline: the public
    view's content policy refuses it unless the context bypasses CSP)."""
    tab.add_script_tag(path=str(AXE))
    return tab.evaluate(SERIOUS)


def wait_until(tab, expression: str, timeout: float = 15.0) -> None:
    """Wait until the JavaScript `expression` is true in the page, polling with evaluate: the
    pages' content policy has no 'unsafe-eval', and Playwright's wait_for_function compiles its
    predicate from a string inside the page, which that policy refuses."""
    deadline = time.monotonic() + timeout
    while not tab.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:g} s: {expression}")
        tab.wait_for_timeout(50)


def open_page(tab, url: str) -> None:
    response = tab.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200
    tab.wait_for_selector("#navbar nav", timeout=15000)
    tab.wait_for_load_state("networkidle")
