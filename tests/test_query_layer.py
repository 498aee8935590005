"""The query layer: pages get only the figures they show, suppressed with their whole wijk group, with the
computed region figures; caches follow the store's data version, so a second replica sees a write at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import app_data
from dashboard.analysis.regions import COMPUTED_DATASET
from dashboard.catalog.models import Catalog
from dashboard.ingest.example import build_example_export
from dashboard.store import DatasetMeta, Store

from .conftest import ROOT, open_page, open_theme, page_text, postgres_url_or_skip, reset_postgres, run_app
from .test_accounts import cheap_hash

PAGES = ["app_pages/overzicht.py", "app_pages/hefboom_kpi.py", "app_pages/hefboom_cultuur.py",
         "app_pages/hefboom_regels.py", "app_pages/hefboom_leren.py", "app_pages/vergelijken.py",
         "app_pages/wijken.py", "app_pages/gegevens.py", "app_pages/bronnen.py", "app_pages/presentatie.py"]


BANNER = "Dit dashboard toont ook voorbeelddata"


def meta(sha: str) -> DatasetMeta:
    return DatasetMeta(name=f"Test {sha[:4]}", kind="upload", source_file="t.csv", sha256=sha, created_by="tester")


def wijk_rows(catalog: Catalog, municipality: str, numerators: list[float]) -> list[dict]:
    wijken = sorted(c for c, a in catalog.areas.items() if a.level == "wijk" and a.parent == municipality)
    rows = [{"indicator_id": "jeugdhulp_pct_tot_18", "area_code": code, "period": "2024",
             "value": 100 * n / 200, "numerator": n, "denominator": 200.0, "source": "test"}
            for code, n in zip(wijken, numerators, strict=False)]
    rows.append({"indicator_id": "jeugdhulp_pct_tot_18", "area_code": municipality, "period": "2024",
                 "value": 10.0, "numerator": 300.0, "denominator": 3000.0, "source": "test"})
    return rows


def test_the_store_returns_only_the_indicators_areas_and_periods_asked_for(seeded_store: Store) -> None:
    everything = seeded_store.observations()
    some = seeded_store.observations(indicators=["jeugdigen_0_24_aantal"], areas=["GM0375", "GM0453"],
                                     periods=["2017"])
    expected = everything[(everything["indicator_id"] == "jeugdigen_0_24_aantal") & (everything["period"] == "2017")
                          & everything["area_code"].isin(["GM0375", "GM0453"])]
    assert len(some) == len(expected) == 2
    assert set(some["area_code"]) == {"GM0375", "GM0453"}
    assert seeded_store.observations(indicators=[]).empty  # nothing asked, nothing returned
    municipal = seeded_store.observations(levels=["gemeente"])
    assert not municipal.empty and set(municipal["area_level"]) == {"gemeente"}
    assert "jeugdigen_0_24_aantal" in seeded_store.indicators_with_data(levels=["gemeente"])
    assert "2017" in seeded_store.periods_with_data("jeugdigen_0_24_aantal", areas=["GM0375"])


def test_what_has_data_follows_the_levels_and_withdrawals(store: Store, catalog: Catalog) -> None:
    store.upsert_areas(catalog.areas.values())
    store.upsert_indicators(catalog.indicators.values())
    municipal = store.add_dataset(meta("e" * 64), [{"indicator_id": "maatregel_pct", "area_code": "GM0453",
                                                    "period": "2020", "value": 4.1, "source": "t"}])
    assert store.indicators_with_data(levels=["wijk"]) == set()
    assert store.indicators_with_data(levels=["gemeente"]) == {"maatregel_pct"}
    dataset_id = store.add_dataset(meta("d" * 64), wijk_rows(catalog, "GM0375", [40.0, 50.0]))
    assert store.indicators_with_data(levels=["wijk"]) == {"jeugdhulp_pct_tot_18"}
    assert store.indicators_with_data(areas=["GM0453"]) == {"maatregel_pct"}
    assert store.parents_with_data("wijk") == {"GM0375"}
    assert store.periods_with_data("jeugdhulp_pct_tot_18", levels=["wijk"]) == ["2024"]
    assert store.figure_counts() == (4, 2)
    store.set_dataset_status(dataset_id, "withdrawn")
    assert store.indicators_with_data(levels=["wijk"]) == set()
    assert store.parents_with_data("wijk") == set()
    assert store.figure_counts() == (1, 1)
    store.set_dataset_status(municipal, "withdrawn")
    assert store.indicators_with_data() == set()


def test_the_page_queries_use_the_index(tmp_path: Path, catalog: Catalog) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.create_schema()
    with store.engine.begin() as conn:  # an older store without the index: create_schema adds it
        conn.execute(text("DROP INDEX ix_observations_indicator_area_period"))
    store.create_schema()
    o = "observations"
    with store.engine.connect() as conn:
        plan = conn.execute(text(f"EXPLAIN QUERY PLAN SELECT * FROM {o} WHERE indicator_id IN ('a', 'b') "
                                 "AND area_code IN ('GM0375') AND period IN ('2024')")).fetchall()
    assert "ix_observations_indicator_area_period" in " ".join(str(row) for row in plan)


def test_every_write_raises_the_data_version_and_reads_do_not(store: Store, catalog: Catalog) -> None:
    store.upsert_areas(catalog.areas.values())
    store.upsert_indicators(catalog.indicators.values())
    seen = [store.data_version()]
    row = {"indicator_id": "jeugdigen_0_24_aantal", "area_code": "GM0375", "period": "2024", "value": 1.0,
           "source": "t"}
    dataset_id = store.add_dataset(meta("b" * 64), [row])
    seen.append(store.data_version())
    store.observations()
    store.datasets()
    assert store.data_version() == seen[-1]
    store.set_dataset_status(dataset_id, "withdrawn")
    seen.append(store.data_version())
    store.set_dataset_status(dataset_id, "active")
    seen.append(store.data_version())
    note = store.add_note("Een verhaal", "Marieke")
    seen.append(store.data_version())
    store.edit_note(note, "Marieke", "Een ander verhaal")
    seen.append(store.data_version())
    store.set_note_status(note, "Marieke", "withdrawn")
    seen.append(store.data_version())
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    with pytest.raises(KeyError):  # a failed write changes nothing, so neither does the version
        store.set_dataset_status(9999, "withdrawn")
    assert store.data_version() == seen[-1]


def test_a_wijk_is_suppressed_together_with_its_municipality_and_the_other_wijken(
        seeded_store: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = wijk_rows(catalog, "GM0375", [4.0, 50.0, 60.0, 70.0, 80.0])
    seeded_store.add_dataset(meta("c" * 64), rows)
    handed_to_suppression: list[pd.DataFrame] = []
    real = app_data.suppress

    def spy(frame: pd.DataFrame, threshold: int, **linked) -> pd.DataFrame:
        handed_to_suppression.append(frame)
        return real(frame, threshold, **linked)

    monkeypatch.setattr(app_data, "suppress", spy)
    one_wijk = rows[0]["area_code"]
    shown = app_data.query_observations(seeded_store, catalog, 10, indicators=["jeugdhulp_pct_tot_18"],
                                        areas=[one_wijk], periods=["2024"])
    # The page gets the one wijk it asked for, hidden (4 < 10) ...
    assert shown["area_code"].tolist() == [one_wijk]
    assert shown["suppressed"].tolist() == [True] and shown["value"].isna().all()
    # ... and suppression saw the whole group: every wijk of Beverwijk with a figure, and Beverwijk itself.
    seen = set(handed_to_suppression[-1]["area_code"])
    assert {r["area_code"] for r in rows} <= seen


def test_a_region_figure_is_computed_for_the_region_on_screen_with_its_origin(seeded_store: Store,
                                                                             catalog: Catalog) -> None:
    shown = app_data.query_observations(seeded_store, catalog, 10, indicators=["jeugdigen_0_24_aantal"],
                                        areas=["REG_IJMOND"], periods=["2017"])
    members = seeded_store.observations(indicators=["jeugdigen_0_24_aantal"], areas=["GM0375", "GM0396", "GM0453"],
                                        periods=["2017"])
    assert shown["area_code"].tolist() == ["REG_IJMOND"]  # the members are not returned: they were not asked for
    assert shown["value"].iloc[0] == members["value"].sum()
    assert shown["dataset"].iloc[0] == COMPUTED_DATASET
    assert shown["source"].iloc[0].startswith("Som van Beverwijk, Heemskerk en Velsen")


def _wijk_indicators(at) -> list[str]:
    return list(at.selectbox(key="indicator").options)


@pytest.mark.postgres
def test_two_replicas_on_one_postgresql_see_an_upload_and_a_withdrawal_on_the_next_rerun(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, catalog: Catalog) -> None:
    url = postgres_url_or_skip()
    reset_postgres(url)
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    replica = open_page(run_app(), "app_pages/wijken.py")
    assert not replica.exception, replica.exception
    example = catalog.indicators["jeugdhulp_pct_tot_18"].name
    assert example not in _wijk_indicators(replica)
    assert BANNER not in page_text(replica)

    # The other replica: another process on the same database imports example wijk figures.
    upload = tmp_path / "voorbeeld.xlsx"
    upload.write_bytes(build_example_export(catalog, "GM0375"))
    Store(url).add_user("tester", cheap_hash())  # the author of an import is an account
    subprocess.run([sys.executable, "-m", "dashboard", "import", str(upload), "--naam", "voorbeeld",
                    "--door", "tester"],
                   cwd=ROOT, env={**os.environ, "DASHBOARD_DATABASE_URL": url}, check=True,
                   capture_output=True)
    replica.run()  # the next rerun, no restart, no waiting
    assert example in _wijk_indicators(replica)
    assert f"{BANNER} (fictief): voorbeeld." in page_text(replica)

    # Withdrawn through the other replica: gone from every page on the next rerun.
    other = Store(url)
    datasets = other.datasets()
    other.set_dataset_status(int(datasets.loc[datasets["name"] == "voorbeeld", "id"].iloc[0]), "withdrawn")
    other.dispose()
    replica.run()
    assert example not in _wijk_indicators(replica)
    for page in PAGES:
        at = open_page(replica, page)
        assert not at.exception, (page, at.exception)
        assert BANNER not in page_text(at), page
    assert BANNER not in page_text(open_theme(replica, "gezonde-levensstijl"))


def test_a_query_for_one_indicator_and_period_hides_what_the_whole_store_hides(seeded_store: Store,
                                                                               catalog: Catalog) -> None:
    """Linked indicators (men + women = inhabitants) and periods are fetched along, so a page asking for
    only the inhabitants of 2024 sees them hidden exactly as the export of everything hides them."""
    from dashboard.analysis.suppression import suppress

    everything = suppress(seeded_store.observations(), 10, relations=catalog.relations)
    whole = everything[(everything["indicator_id"] == "inwoners_aantal") & (everything["period"] == "2024")]
    asked = app_data.query_observations(seeded_store, catalog, 10, indicators=["inwoners_aantal"], periods=["2024"])
    assert set(asked["indicator_id"]) == {"inwoners_aantal"} and set(asked["period"]) == {"2024"}
    key = ["area_code", "dataset_id"]
    hidden_whole = whole.set_index(key)["suppressed"]
    hidden_asked = asked[asked["area_level"] == "wijk"].set_index(key)["suppressed"]
    assert hidden_asked.sum() > 20
    assert (hidden_asked == hidden_whole.loc[hidden_asked.index]).all()
