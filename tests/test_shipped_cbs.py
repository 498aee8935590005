"""The recorded CBS figures that ship in data/cbs: loaded by init as datasets like any other."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from dashboard.analysis.suppression import suppress
from dashboard.ingest.cbs_recorded import load_recorded_cbs
from dashboard.settings import DATA_DIR
from dashboard.store import Store

from .conftest import open_page, page_text, run_app

KWB_2024 = "CBS, Kerncijfers wijken en buurten 2024 (85984NED)"


def figure(frame: pd.DataFrame, indicator: str, area: str, period: str) -> pd.DataFrame:
    return frame[(frame["indicator_id"] == indicator) & (frame["area_code"] == area) & (frame["period"] == period)]


def test_every_municipality_and_wijk_gets_its_2024_figures_with_source_and_period(seeded_store: Store, catalog) -> None:
    rows = seeded_store.observations()
    kwb = rows[rows["source"].str.startswith(KWB_2024)]
    assert set(kwb["period"]) == {"2024"}
    municipalities = set(kwb.loc[kwb["area_level"] == "gemeente", "area_code"])
    assert len(municipalities) == 342  # every municipality of the Netherlands
    assert kwb.loc[kwb["area_level"] == "wijk", "area_code"].nunique() > 3300
    # Figures as CBS publishes them (checked against CBS in data/cbs/README.md).
    assert figure(kwb, "inwoners_aantal", "GM0375", "2024")["value"].tolist() == [42866.0]
    assert figure(kwb, "inwoners_aantal", "GM0392", "2024")["value"].tolist() == [167636.0]
    # Every wijk of Beverwijk has its inwoners, under the wijk code of the boundaries.
    beverwijk = {c for c, a in catalog.areas.items() if a.level == "wijk" and a.parent == "GM0375"}
    assert beverwijk and beverwijk <= set(kwb.loc[kwb["indicator_id"] == "inwoners_aantal", "area_code"])
    # A computed figure says how it was computed and keeps what it rests on.
    per_1000 = figure(kwb, "woningen_per_1000_inwoners", "GM0375", "2024").iloc[0]
    assert "berekend: woningvoorraad gedeeld door inwoners" in per_1000["source"]
    assert per_1000["value"] == per_1000["numerator"] / per_1000["denominator"] * 1000
    assert per_1000["denominator"] == 42866.0
    # The dataset is a CBS dataset with the CSV kept as its original file.
    datasets = seeded_store.datasets().set_index("id")
    dataset_id = int(per_1000["dataset_id"])
    assert datasets.loc[dataset_id, "kind"] == "cbs"
    name, content = seeded_store.original_file(dataset_id)
    assert name == "kwb_2024_85984NED_gemeenten_wijken.csv" and content.startswith(b"regiocode,")


def test_2019_age_groups_map_to_the_catalog_indicators_they_are(seeded_store: Store) -> None:
    rows = seeded_store.observations()
    kwb_2019 = rows[rows["source"].str.startswith("CBS, Kerncijfers wijken en buurten 2019 (84583NED)")]
    beverwijk = {r.indicator_id: r.value for r in kwb_2019[kwb_2019["area_code"] == "GM0375"].itertuples()}
    assert beverwijk["inwoners_aantal"] == 41176
    groups = ["kinderen_0_14_aantal", "jongeren_15_24_aantal", "inwoners_25_44_aantal", "inwoners_45_64_aantal",
              "inwoners_65_plus_aantal"]
    assert sum(beverwijk[g] for g in groups) == beverwijk["inwoners_aantal"]  # the groups add up exactly
    # 0-24 jaar is the same quantity as the document's "Jeugdigen 0-24 jaar" (2017): now also for 2019.
    assert beverwijk["jeugdigen_0_24_aantal"] == beverwijk["kinderen_0_14_aantal"] + beverwijk["jongeren_15_24_aantal"]
    assert set(kwb_2019["period"]) == {"2019"}


def test_small_wijken_of_the_shipped_figures_are_never_shown(seeded_store: Store) -> None:
    rows = seeded_store.observations()
    inwoners = rows[(rows["indicator_id"] == "inwoners_aantal") & (rows["area_level"] == "wijk")]
    tiny = set(inwoners.loc[(inwoners["value"] > 0) & (inwoners["value"] < 10), "area_code"])
    assert tiny  # the Netherlands has wijken with almost nobody living there (CBS gives no density for them)
    shown = suppress(rows[rows["area_code"].isin(tiny)], 10)
    # Neither the count nor the houses per 1.000 inwoners computed from it.
    hidden = shown[shown["indicator_id"].isin(["inwoners_aantal", "woningen_per_1000_inwoners"])]
    assert set(hidden["indicator_id"]) == {"inwoners_aantal", "woningen_per_1000_inwoners"}
    assert hidden["suppressed"].all() and hidden["value"].isna().all()
    # The density CBS does give (for wijken with more people) rests on the inwoners, so the same rule holds.
    density = rows[(rows["indicator_id"] == "bevolkingsdichtheid") & (rows["area_level"] == "wijk")]
    assert density["numerator"].notna().all()


def test_a_shipped_dataset_can_be_withdrawn_and_a_changed_recording_replaces_it(
    seeded_store: Store, catalog, tmp_path: Path
) -> None:
    datasets = seeded_store.datasets()
    shipped = datasets[datasets["source_file"].str.endswith("/84583NED")]
    dataset_id = int(shipped["id"].iloc[0])
    seeded_store.set_dataset_status(dataset_id, "withdrawn")
    assert not (seeded_store.observations()["dataset_id"] == dataset_id).any()
    seeded_store.set_dataset_status(dataset_id, "active")
    # A corrected recording (here: one figure changed) is loaded anew; the earlier one is withdrawn, not deleted.
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR / "cbs", data_dir / "cbs")
    csv = data_dir / "cbs" / "kwb_2019_gemeenten_leeftijd.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("Beverwijk,GM0375,41176", "Beverwijk,GM0375,41177"),
                   encoding="utf-8")
    report = load_recorded_cbs(seeded_store, catalog, data_dir)
    assert len(report) == 1 and "84583NED" in report[0]
    after = seeded_store.datasets().set_index("id")
    assert after.loc[dataset_id, "status"] == "withdrawn"
    rows = seeded_store.observations()
    assert figure(rows, "inwoners_aantal", "GM0375", "2019")["value"].tolist() == [41177.0]
    assert load_recorded_cbs(seeded_store, catalog, data_dir) == []  # loading again changes nothing


def test_vergelijken_and_the_theme_pages_use_the_shipped_figures(app_env: str) -> None:
    at = open_page(run_app({"indicator": "kinderen_0_14_aantal"}), "app_pages/vergelijken.py")
    assert not at.exception
    text = page_text(at)
    assert "Kinderen 0 t/m 14 jaar, 2019" in text
    assert "Kerncijfers wijken en buurten 2019 (84583NED)" in text
    at.toggle[0].set_value(True).run()  # "Toon als tabel": the figures behind the bars
    shown = set(at.dataframe[0].value["Gebied"])
    # Only the framework's own municipalities (and their regions and Nederland), not all 342 of the catalog.
    assert {"Beverwijk", "Heemskerk", "Velsen"} <= shown
    assert shown <= {"Beverwijk", "Heemskerk", "Velsen", "IJmond", "Beverwijk en Heemskerk",
                     "Zuid-Kennemerland en IJmond", "Kennemerland", "Nederland"}
    # The IJmond plan's "Jeugdigen 0-24 jaar" now has a later figure than its 2017 0-meting.
    overzicht = page_text(open_page(run_app({"gemeente": "GM0375"}), "app_pages/overzicht.py"))
    assert "Jeugdigen 0-24 jaar" in overzicht and "2019" in overzicht
