"""A real app server on a free loopback port and headless Debian Chromium, for what only a browser shows."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dashboard.auth import hash_password
from dashboard.store import Store

STAFF_USER = "marieke"
STAFF_PASSWORD = "browser-test-wachtwoord"
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_app(db: Path) -> Iterator[str]:
    """A Streamlit server for app.py on the SQLite store `db`, on a free loopback port; yields its URL."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, "DASHBOARD_DATABASE_URL": f"sqlite:///{db}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail("de app startte niet binnen 60 seconden")
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def log_in_on_gegevens(page, app_url: str) -> None:
    """Open Gegevens and log in with the staff account (the name typed with a capital: case does not matter)."""
    page.goto(f"{app_url}/gegevens")
    page.get_by_text("Log in om verder te gaan").wait_for(timeout=60_000)
    page.get_by_label("Accountnaam").fill("Marieke")
    page.get_by_label("Wachtwoord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text(f"Ingelogd als {STAFF_USER}.").wait_for(timeout=30_000)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} ontbreekt; installeer het Debian-pakket chromium")
        pytest.skip("geen Debian chromium op deze machine (apt-get install chromium)")
    db = tmp_path_factory.mktemp("browser") / "app.sqlite"
    store = Store(f"sqlite:///{db}")  # a named staff account, as `python -m dashboard gebruiker toevoegen` makes
    store.create_schema()
    store.add_user(STAFF_USER, hash_password(STAFF_PASSWORD, n=16))
    # One recorded meeting of the policy cycle, so Leren en verbeteren shows one in both modes (axe, 1080 px).
    meeting = store.add_cycle_meeting(
        framework_id="ijmond-2018-2021", kind="tellen_en_vertellen", held_on=date(2021, 11, 4),
        title="Tellen en vertellen IJmond 2021", participants=["gemeenten", "ouders", "jeugdigen"], author=STAFF_USER,
        figures=["overgewicht_5_14_pct"], stories="Ouders vertellen over de wachttijd bij het CJG.")
    store.add_cycle_outcome(meeting, kind="conclusie", text="De wachttijd bij het CJG vraagt aandacht.",
                            goal_ids=["ij18-1.1"], author=STAFF_USER)
    store.dispose()
    yield from serve_app(db)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
