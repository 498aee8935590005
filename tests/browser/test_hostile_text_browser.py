"""In a real browser, hostile text from an upload renders as the literal text: no link, no external image,
no red text, no HTML, and no stray backslashes from the escaping."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.catalog.loader import load_catalog
from dashboard.ingest.seed import load_shipped_data
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import load_settings
from dashboard.store import Store

from ..test_hostile_text import HOSTILE, hostile_upload
from .conftest import CHROMIUM, screenshot, serve_app


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip("geen Debian chromium op deze machine")
    db = tmp_path_factory.mktemp("vijandig") / "app.sqlite"
    store = Store(f"sqlite:///{db}")
    catalog = load_catalog(geo_path=load_settings().geo_path)
    load_shipped_data(store, catalog)
    plan = plan_import("vijandig.xlsx", hostile_upload(catalog), catalog, store, load_settings(), HOSTILE)
    commit_import(plan, store, "Dataset " + HOSTILE, "tester")
    store.dispose()
    yield from serve_app(db)


@pytest.mark.parametrize("path", ["vergelijken?indicator=vijandig_aantal", "bronnen", ""])
def test_hostile_text_renders_literally(hostile_url: str, page, path: str) -> None:
    page.goto(f"{hostile_url}/{path}")
    page.locator("text=klik hier >> visible=true").first.wait_for(timeout=60_000)
    time.sleep(2)
    screenshot(page, f"vijandig_{path.split('?')[0] or 'overzicht'}")
    main = page.locator("section.stMain, [data-testid='stMain']").first
    assert main.locator("a[href*='x.example']").count() == 0
    assert main.locator("img[src*='x.example']").count() == 0
    assert main.locator("b", has_text="vet").count() == 0
    assert main.locator("a[href^='mailto:']").count() == 0
    text = main.inner_text().replace("\u2060", "")  # the invisible word joiner that breaks autolinks
    assert HOSTILE in text
    assert "\\[" not in text and "\\:" not in text
