"""The store behaves the same on SQLite and PostgreSQL: one transaction per dataset, nothing deleted."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from dashboard.formatting import format_number
from dashboard.ingest.seed import load_shipped_data
from dashboard.store import DatasetMeta, DuplicateDatasetError, Store

from .conftest import ROOT, postgres_url_or_skip, reset_postgres, shipped_counts

ROW = {"indicator_id": "overgewicht_5_14_pct", "area_code": "GM0375", "period": "2019", "value": 16.2,
       "source": "test"}


def meta(sha: str = "a" * 64, name: str = "Testupload") -> DatasetMeta:
    return DatasetMeta(name=name, kind="upload", source_file="test.xlsx", sha256=sha, created_by="tester")


def test_schema_creation_is_idempotent(store: Store) -> None:
    store.create_schema()
    store.create_schema()
    assert store.count("observations") == 0


def test_loading_the_shipped_data_twice_stores_it_once(seeded_store: Store, catalog) -> None:
    before = seeded_store.count("observations")
    assert load_shipped_data(seeded_store, catalog) == []
    datasets, observations = shipped_counts(catalog)
    assert seeded_store.count("observations") == before == observations
    assert len(seeded_store.datasets()) == datasets
    # The documents' 131 figures and, for every municipality and wijk, the recorded CBS figures.
    kinds = seeded_store.datasets()["kind"].value_counts()
    assert kinds["seed"] == 5 and kinds["cbs"] == 2
    assert observations > 131 + 3000


def test_a_dataset_is_written_whole_or_not_at_all(seeded_store: Store) -> None:
    before, datasets = seeded_store.count("observations"), len(seeded_store.datasets())
    bad = dict(ROW, area_code="GM9999")  # unknown area: the foreign key refuses it
    with pytest.raises(IntegrityError):
        seeded_store.add_dataset(meta(), [ROW, bad])
    assert seeded_store.count("observations") == before
    assert len(seeded_store.datasets()) == datasets


@pytest.fixture
def areas_store(store: Store, catalog) -> Store:
    """A store with the catalog's areas and indicators and no figures: any import is larger than its table."""
    store.upsert_areas(catalog.areas.values())
    store.upsert_indicators(catalog.indicators.values())
    return store


def wijk_rows(catalog, n: int) -> list[dict]:
    wijken = sorted(code for code, area in catalog.areas.items() if area.level == "wijk")
    return [dict(ROW, area_code=wijken[i % len(wijken)], period=str(2000 + i // len(wijken))) for i in range(n)]


def page_indexes(store: Store) -> set[str]:
    return {index["name"] for index in inspect(store.engine).get_indexes("observations")}


def test_an_import_larger_than_the_table_keeps_the_indexes_the_pages_query(areas_store: Store, catalog) -> None:
    before = page_indexes(areas_store)
    assert {"ix_observations_indicator_area_period", "ix_observations_area"} <= before
    rows = wijk_rows(catalog, 5_000)
    dataset = areas_store.add_dataset(meta(), rows)
    assert page_indexes(areas_store) == before
    stored = areas_store.observations(indicators=["overgewicht_5_14_pct"], areas=[rows[1]["area_code"]])
    assert list(stored["period"]) == sorted({r["period"] for r in rows if r["area_code"] == rows[1]["area_code"]})
    assert set(stored["dataset_id"]) == {dataset}
    if areas_store.dialect == "sqlite":  # and the database uses them again
        with areas_store.engine.connect() as conn:
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT id FROM observations WHERE indicator_id = 'x' AND area_code = 'y'"))
        assert "ix_observations_indicator_area_period" in plan


def test_a_refused_large_import_leaves_the_store_and_its_indexes_as_before(areas_store: Store, catalog) -> None:
    before = page_indexes(areas_store)
    rows = [*wijk_rows(catalog, 3_000), dict(ROW, area_code="GM9999")]  # the last row's area is unknown
    with pytest.raises(IntegrityError):
        areas_store.add_dataset(meta(), rows)
    assert areas_store.count("observations") == 0 and areas_store.datasets().empty
    assert page_indexes(areas_store) == before


def test_an_import_killed_halfway_leaves_the_store_as_before(tmp_path: Path, catalog) -> None:
    """The process dies while the rows go in on SQLite (after the indexes were dropped, with a page cache so
    small that SQLite has written pages into the file): the next open sees the store as it was, indexes and
    all. (On PostgreSQL the server rolls back a transaction whose connection is gone.)"""
    path = tmp_path / "store.sqlite"
    store = Store(f"sqlite:///{path}")
    store.create_schema()
    store.upsert_areas(catalog.areas.values())
    store.upsert_indicators(catalog.indicators.values())
    before, version = page_indexes(store), store.data_version()
    store.dispose()
    killer = textwrap.dedent(f"""
        import os, sys
        from sqlalchemy import event
        sys.path.insert(0, {str(ROOT)!r})
        from dashboard.catalog.loader import load_catalog
        from dashboard.settings import load_settings
        from dashboard.store import DatasetMeta, Store
        import dashboard.store.store as store_module
        from tests.test_store import wijk_rows

        store_module.IMPORT_CACHE_KIB = 64
        rows = wijk_rows(load_catalog(geo_path=load_settings().geo_path), 4_000)
        halfway = sorted(r["area_code"] for r in rows)[3_000]  # rows go in in key order
        store = Store("sqlite:///{path}")

        @event.listens_for(store.engine, "connect")
        def arm(connection, _record):  # as a killed process: no rollback, no cleanup
            connection.create_function("die", 0, lambda: os._exit(9))
            connection.execute("CREATE TEMP TRIGGER die AFTER INSERT ON observations "
                               f"WHEN NEW.area_code = '{{halfway}}' BEGIN SELECT die(); END")

        store.add_dataset(DatasetMeta(name="half", kind="upload", source_file="a.csv", sha256="c" * 64,
                                      created_by="tester"), rows)
    """)
    died = subprocess.run([sys.executable, "-c", killer], cwd=ROOT, capture_output=True, text=True)
    assert died.returncode == 9, died.stderr
    assert Path(f"{path}-journal").exists()  # it died with half a transaction in the file
    reopened = Store(f"sqlite:///{path}")
    assert reopened.count("observations") == 0 and reopened.datasets().empty
    assert page_indexes(reopened) == before and reopened.data_version() == version
    reopened.add_dataset(meta(), wijk_rows(catalog, 10))  # and it takes the next import
    assert reopened.count("observations") == 10
    reopened.dispose()


def test_same_file_twice_is_recognised(seeded_store: Store) -> None:
    first = seeded_store.add_dataset(meta(), [ROW])
    with pytest.raises(DuplicateDatasetError) as caught:
        seeded_store.add_dataset(meta(name="Nogmaals"), [ROW])
    assert caught.value.existing_id == first
    assert "al eerder ingelezen" in str(caught.value)


def test_withdraw_hides_and_restore_shows_again(seeded_store: Store) -> None:
    dataset_id = seeded_store.add_dataset(meta(), [ROW])
    seen = seeded_store.observations()
    assert ((seen["dataset_id"] == dataset_id) & (seen["value"] == 16.2)).any()
    seeded_store.set_dataset_status(dataset_id, "withdrawn")
    assert not (seeded_store.observations()["dataset_id"] == dataset_id).any()
    assert (seeded_store.observations(include_withdrawn=True)["dataset_id"] == dataset_id).any()
    seeded_store.set_dataset_status(dataset_id, "active")
    assert (seeded_store.observations()["dataset_id"] == dataset_id).any()


def test_export_command_prints_all_active_observations(seeded_store: Store) -> None:
    env = {**os.environ, "DASHBOARD_DATABASE_URL": seeded_store.url}
    result = subprocess.run([sys.executable, "-m", "dashboard", "export"], capture_output=True, text=True,
                            env=env, cwd=ROOT, check=True)
    lines = result.stdout.strip().splitlines()
    assert lines[0] == ("indicator_id,indicator_name,area_code,area_name,period,value,value_upper,estimate,unit,source,"
                        "dataset,toelichting")
    assert len(lines) == 1 + seeded_store.count("observations")
    assert any(line.startswith("overgewicht_5_14_pct,") and ",GM0375,Beverwijk,2015,17.4,,,percent," in line
               for line in lines)


def test_init_command_creates_the_store_and_reports(store_url: str, catalog) -> None:
    env = {**os.environ, "DASHBOARD_DATABASE_URL": store_url}
    result = subprocess.run([sys.executable, "-m", "dashboard", "init"], capture_output=True, text=True,
                            env=env, cwd=ROOT, check=True)
    datasets, observations = shipped_counts(catalog)
    assert f"{datasets} actieve datasets, {format_number(observations)} waarnemingen" in result.stdout
    # What the recorded CBS tables hold and the dashboard cannot place is reported, not dropped silently.
    assert "niet opgeslagen omdat ze niet in de gebiedsgrenzen staan" in result.stdout


@pytest.mark.postgres
def test_two_app_processes_on_one_postgresql_see_each_others_datasets() -> None:
    """A dataset written by one app process shows on the Gegevens page of another process."""
    url = postgres_url_or_skip()
    reset_postgres(url)
    env = {**os.environ, "DASHBOARD_DATABASE_URL": url}
    writer = textwrap.dedent("""
        from dashboard.catalog.loader import load_catalog
        from dashboard.ingest.seed import load_shipped_data
        from dashboard.settings import load_settings
        from dashboard.store import DatasetMeta, Store
        store = Store(load_settings().database_url)
        load_shipped_data(store, load_catalog(geo_path=load_settings().geo_path))
        store.add_dataset(DatasetMeta(name="Upload uit proces A", kind="upload", source_file="a.xlsx",
                          sha256="b" * 64, created_by="proces A"),
                          [{"indicator_id": "maatregel_pct", "area_code": "GM0453", "period": "2020",
                            "value": 4.1, "source": "test"}])
    """)
    reader = textwrap.dedent(f"""
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=90).run()
        at.switch_page("app_pages/gegevens.py").run()
        assert not at.exception, at.exception
        print("\\n".join(str(m.value) for m in at.markdown))
    """)
    subprocess.run([sys.executable, "-c", writer], env=env, cwd=ROOT, check=True)
    seen = subprocess.run([sys.executable, "-c", reader], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True)
    assert "Upload uit proces A" in seen.stdout
