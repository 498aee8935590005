"""The store behaves the same on SQLite and PostgreSQL: one transaction per dataset, nothing deleted."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
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
