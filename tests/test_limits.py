"""Hefboom Regels: figures held against limits that are data, from the documents and from uploads."""

from __future__ import annotations

import csv
import io

import pandas as pd

from dashboard.analysis.limits import baseline_only, limit_status, limit_table, whole_period_table
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


def test_amounts_for_several_years_are_spread_by_the_stated_rule() -> None:
    fund = Limit(id="t", name="t", description="", kind="max", limit_indicator="budget", figure_prefix="r_",
                 allocation="per_jaar", school_year_indicators=("r_school",), whole_period="2018/2020")
    values = observations([("budget", "A", y, 100) for y in ("2018", "2019", "2020")] + [
        ("budget", "A", "2018/2020", 300), ("r_a", "A", "2018", 90), ("r_span", "A", "2018/2020", 30),
        ("r_school", "A", "2018/2019", 12)])
    table = limit_table(fund, values).set_index("period")
    # 2018: 90 + 30/3 + 12*5/12 = 105 (over); 2019: 10 + 7 = 17; 2020: 10.
    assert round(table.loc["2018", "figure"], 6) == 105 and bool(table.loc["2018", "exceeded"])
    assert round(table.loc["2019", "figure"], 6) == 17 and round(table.loc["2020", "figure"], 6) == 10
    whole = whole_period_table(fund, values).iloc[0]
    assert (whole["figure"], whole["limit"], bool(whole["exceeded"])) == (132.0, 300.0, False)
    # Without the rule a span is not counted in any year: the yearly sum leaves it out.
    apart = limit_table(Limit(**{**fund.__dict__, "allocation": "apart"}), values).set_index("period")
    assert apart.loc["2018", "figure"] == 90 and not bool(apart.loc["2018", "exceeded"])


def test_a_baseline_limit_without_later_figures_still_shows_its_baseline() -> None:
    g = Limit(id="g", name="g", description="", kind="max", limit_indicator="pct", figure_indicator="pct",
              limit_period="2016")
    values = observations([("pct", "B", "2016", 4.6), ("pct", "V", "2016", 5.2)])
    assert limit_table(g, values).empty
    assert list(baseline_only(g, values)["value"]) == [4.6, 5.2]


def test_transformatiefonds_from_the_document_on_the_page(app_env: str) -> None:
    at = open_page(run_app(), "app_pages/hefboom_regels.py")
    text = page_text(at)
    # Per year 300.000 (2018) and 325.000 (2019, 2020); the € 70.000 for 2018-2020 counts 23.333,33 a year,
    # the € 25.000 for schooljaar 2018/2019 5/12 in 2018 (10.416,67) and 7/12 in 2019 (14.583,33).
    # 2018: 333.750, 32.459 above 301.291 (no longer "binnen de grens" by leaving the two out).
    assert "IJmond: **grens overschreden** met € 47.042 (15,61%) in 2020, onafgebroken sinds 2018." in text
    table = at.dataframe[0].value.set_index("Periode")
    assert table.loc["2018", "Verschil"] == "+€ 32.459" and table.loc["2018", "Status"] == "overschreden"
    assert table.loc["2019", "Grens"] == "€ 301.291" and table.loc["2019", "Verschil"] == "+€ 61.626"
    # The page says how the amounts for several years were allocated, and compares the whole period.
    assert "gelijk over die jaren verdeeld" in text and "5/12 in het eerste jaar" in text
    assert "€ 25.000 voor 2018-2019 (schooljaar): € 10.417 in 2018, € 14.583 in 2019" in text
    # 300.000 + 325.000 + 325.000 + 70.000 + 25.000 = 1.045.000 against 903.873.
    assert ("Over de hele periode 2018-2020: € 1.045.000 tegenover € 903.873; **grens overschreden** met "
            "€ 141.127") in text
    # Gedwongen kader: the 2016 0-meting exists; the page says so instead of "nog geen cijfers".
    assert ("De 0-meting (2016) is bekend: Beverwijk 4,6%; Heemskerk 4%; Velsen 5,2%. Er is nog geen latere "
            "meting") in text
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
