"""Hefboom Regels: figures held against limits that are data, from the documents and from uploads."""

from __future__ import annotations

import csv
import io

import pandas as pd

from dashboard.analysis.limits import limit_status, limit_table
from dashboard.catalog.models import Limit
from dashboard.ingest.seed import load_shipped_data
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import load_settings
from dashboard.store import Store

from .conftest import open_page, page_text, run_app


def observations(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": i, "area_code": a, "area_name": a, "period": p, "value": v}
                         for i, a, p, v in rows])


def test_since_when_counts_the_unbroken_run_of_exceeded_periods() -> None:
    limit = Limit(id="u", name="u", description="", kind="max", limit_indicator="budget", figure_indicator="spent")
    values = observations([
        ("budget", "A", "2021", 100), ("spent", "A", "2021", 120),  # over
        ("budget", "A", "2022", 100), ("spent", "A", "2022", 90),   # within: breaks the run
        ("budget", "A", "2023", 100), ("spent", "A", "2023", 110),
        ("budget", "A", "2024", 100), ("spent", "A", "2024", 125),
        ("spent", "A", "2025", 500),  # no budget for 2025: not compared
    ])
    status = limit_status(limit_table(limit, values)).iloc[0]
    assert (status["period"], status["since"], status["difference"], status["difference_pct"]) == ("2024", "2023",
                                                                                                    25.0, 25.0)


def test_a_norm_holds_until_a_new_one_and_a_baseline_holds_for_later_years() -> None:
    norm = Limit(id="w", name="w", description="", kind="max", limit_indicator="norm", figure_indicator="wait",
                 carry_forward=True)
    values = observations([("norm", "A", "2022", 42), ("wait", "A", "2021", 50), ("wait", "A", "2023", 40),
                           ("norm", "A", "2024", 35), ("wait", "A", "2024", 40)])
    table = limit_table(norm, values)
    assert list(zip(table["period"], table["limit"], table["exceeded"], strict=True)) == [
        ("2023", 42.0, False), ("2024", 35.0, True)]  # 2021 is before any norm
    baseline = Limit(id="g", name="g", description="", kind="max", limit_indicator="pct", figure_indicator="pct",
                     limit_period="2016")
    values = observations([("pct", "A", "2016", 4.6), ("pct", "A", "2019", 4.9), ("pct", "A", "2020", 4.1)])
    table = limit_table(baseline, values)
    assert list(zip(table["period"], table["exceeded"], strict=True)) == [("2019", True), ("2020", False)]


def test_transformatiefonds_from_the_document_on_the_page(app_env: str) -> None:
    at = open_page(run_app(), "app_pages/hefboom_regels.py")
    text = page_text(at)
    # 2018: 50.000+70.000+40.000+80.000+20.000+25.000+15.000 = 300.000, within 301.291.
    # 2019 and 2020: POH rises to 75.000, the total to 325.000: 23.709 above the budget.
    assert "IJmond: **grens overschreden** met € 23.709 (7,87%) in 2020, onafgebroken sinds 2019." in text
    table = at.dataframe[0].value.set_index("Periode")
    assert table.loc["2018", "Verschil"] == "−€ 1.291" and table.loc["2018", "Status"] == "binnen de grens"
    assert table.loc["2019", "Grens"] == "€ 301.291" and table.loc["2019", "Status"] == "overschreden"
    # Limits without figures say what is needed instead of showing an empty chart.
    assert "Nodig: ‘Wachttijd jeugdhulp’ en ‘Maximale wachttijd (norm)’" in text


def budget_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["indicator", "gebied", "periode", "waarde", "bron"])
    for year, budget, spent in (("2022", "41000000", "39500000"), ("2023", "42000000", "44100000"),
                                ("2024", "43000000", "45580000")):
        writer.writerow(["begroting_jeugdhulp_euro", "GM0375", year, budget, "Begroting Beverwijk"])
        writer.writerow(["uitgaven_jeugdhulp_euro", "GM0375", year, spent, "Jaarrekening Beverwijk"])
    writer.writerow(["wachttijd_norm_dagen", "GM0375", "2023", "42", "Contract 2023"])
    writer.writerow(["wachttijd_jeugdhulp_dagen", "GM0375", "2024", "38", "Aanbieders"])
    return out.getvalue().encode()


def test_uploaded_budget_and_waiting_times_are_held_against_their_limits(app_env: str, catalog) -> None:
    store = Store(app_env)
    load_shipped_data(store, catalog)
    plan = plan_import("begroting.csv", budget_csv(), catalog, store, load_settings(), "")
    assert plan.can_commit, plan.messages()
    commit_import(plan, store, "Begroting en uitgaven", "tester")

    at = open_page(run_app(), "app_pages/hefboom_regels.py")
    text = page_text(at)
    assert "Beverwijk: **grens overschreden** met € 2.580.000 (6%) in 2024, onafgebroken sinds 2023." in text
    # The norm of 2023 still applies in 2024: 38 days is within 42.
    assert "Beverwijk: binnen de grens in 2024 (ruimte 4 dagen)." in text
    assert "Overschreden grenzen (laatste periode): 2 van 3" in text
    # The figures behind the chart are traceable to the uploaded dataset.
    at.toggle(key="tabel_kader_uitgaven_jeugdhulp").set_value(True).run()
    behind = next(df.value for df in at.dataframe if "Dataset" in df.value.columns
                  and set(df.value["Bron"]) >= {"Begroting Beverwijk"})
    assert set(behind["Dataset"]) == {"Begroting en uitgaven"}
