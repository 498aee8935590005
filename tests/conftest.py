"""Shared fixtures: a fresh store per test (SQLite, and PostgreSQL where CI provides one) and AppTest."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from dashboard.catalog.loader import load_catalog
from dashboard.catalog.models import Catalog
from dashboard.ingest.seed import load_shipped_data
from dashboard.settings import load_settings
from dashboard.store import Store

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("DASHBOARD_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("DASHBOARD_REQUIRE_POSTGRES") == "1"


def postgres_url_or_skip() -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    if REQUIRE_POSTGRES:
        pytest.fail("DASHBOARD_REQUIRE_POSTGRES=1 maar DASHBOARD_TEST_POSTGRES_URL ontbreekt")
    pytest.skip("geen PostgreSQL-server (zet DASHBOARD_TEST_POSTGRES_URL); in CI draait deze test altijd")


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def shipped_counts(catalog: Catalog) -> tuple[int, int]:
    """How many datasets and observations `init` loads from data/: the documents' figures and recorded CBS."""
    from dashboard.ingest.cbs_recorded import load_manifest, read_recorded
    from dashboard.ingest.seed import figures_files

    documents = figures_files()
    recorded = [read_recorded(table, catalog) for table in load_manifest()]
    return len(documents) + len(recorded), sum(len(f.rows) for f in documents) + sum(len(r.rows) for r in recorded)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(geo_path=load_settings().geo_path)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    url = postgres_url_or_skip()
    reset_postgres(url)
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    s.create_schema()
    yield s
    s.dispose()


@pytest.fixture
def seeded_store(store: Store, catalog: Catalog) -> Store:
    load_shipped_data(store, catalog)
    return store


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the app at a fresh SQLite store for this test."""
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    return url


@pytest.fixture
def seeds_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A documents folder that the test writes itself: per document, a short text around its figures' quotes.

    The real documents are third-party text and never in the repository (DASHBOARD_SEEDS_PATH points at them).
    """
    from dashboard.ingest.seed import figures_files

    folder = tmp_path / "seeds"
    folder.mkdir()
    for figures in figures_files():
        quotes = dict.fromkeys(row["quote"] for row in figures.rows if row.get("quote"))
        body = "\n\n".join(f"Tekst vooraf bij een cijfer. {quote} Tekst erna." for quote in quotes)
        (folder / figures.document).write_text(f"Testdocument {figures.document}\n\n{body}\n", encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_SEEDS_PATH", str(folder))
    return folder


def run_app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def open_page(at: AppTest, page: str) -> AppTest:
    return at.switch_page(page).run()


def open_theme(at: AppTest, theme_id: str) -> AppTest:
    """Theme pages share one module under different URL paths; AppTest can only switch by file,
    so select the page by the hash Streamlit derives from its url_path."""
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(f"thema-{theme_id}")
    return at.run()


def page_text(at: AppTest) -> str:
    """Everything a reader sees as text on the page (markdown, captions, metrics, headers, alerts)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    for metric in at.metric:
        parts.append(f"{metric.label}: {metric.value}")
    return "\n".join(parts)
