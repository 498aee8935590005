"""Region figures computed from their municipalities: only where the indicator says how, never over a stated one."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.analysis.regions import COMPUTED_DATASET, region_totals, with_region_totals
from dashboard.catalog.models import Catalog
from dashboard.store import Store

from .conftest import open_page, page_text, run_app

IJMOND = ["GM0375", "GM0396", "GM0453"]


def frame(catalog: Catalog, rows: list[tuple]) -> pd.DataFrame:
    """Observations as the store gives them: (indicator, area, period, value, numerator, denominator, example)."""
    records = []
    for number, (indicator_id, area, period, value, numerator, denominator, example) in enumerate(rows, start=1):
        records.append({
            "id": number, "indicator_id": indicator_id, "indicator_name": catalog.indicators[indicator_id].name,
            "unit": catalog.indicators[indicator_id].unit, "area_code": area, "area_name": catalog.areas[area].name,
            "area_level": catalog.areas[area].level, "period": period, "value": value, "numerator": numerator,
            "denominator": denominator, "source": f"bron {area}", "quote": None, "note": None,
            "dataset_id": number, "dataset": f"dataset {number}", "document": None, "is_example": example,
            "dataset_status": "active",
        })
    return pd.DataFrame(records)


def computed(catalog: Catalog, rows: list[tuple], region: str = "REG_IJMOND") -> pd.DataFrame:
    result = region_totals(frame(catalog, rows), catalog)
    return result[result["area_code"] == region]


def test_a_count_is_summed_when_every_municipality_has_it(catalog: Catalog) -> None:
    rows = [("jeugdigen_0_24_aantal", code, "2024", value, None, None, 0)
            for code, value in zip(IJMOND, [11000, 10000, 18000], strict=True)]
    ijmond = computed(catalog, rows)
    assert ijmond["value"].tolist() == [39000.0]
    assert ijmond["source"].iloc[0] == ("Som van Beverwijk, Heemskerk en Velsen "
                                        "(bron: bron GM0375, bron GM0396, bron GM0453)")
    assert ijmond["dataset"].iloc[0] == COMPUTED_DATASET
    # Without Velsen there is no IJmond figure: a partial sum would look like a fall.
    assert computed(catalog, rows[:2]).empty
    # Beverwijk en Heemskerk is complete with two.
    assert computed(catalog, rows[:2], "REG_BEVHEEM")["value"].tolist() == [21000.0]


def test_a_figure_the_region_has_itself_is_never_replaced(catalog: Catalog) -> None:
    rows = [("jeugdigen_0_24_aantal", code, "2024", 100.0, None, None, 0) for code in IJMOND]
    rows.append(("jeugdigen_0_24_aantal", "REG_IJMOND", "2024", 290.0, None, None, 0))
    assert computed(catalog, rows).empty
    combined = with_region_totals(frame(catalog, rows), catalog)
    assert combined.loc[combined["area_code"] == "REG_IJMOND", "value"].tolist() == [290.0]


def test_a_percentage_is_weighted_by_its_denominators_or_not_computed(catalog: Catalog) -> None:
    # jeugdhulp_pct_tot_18 aggregates as a weighted mean.
    weighted = [("jeugdhulp_pct_tot_18", "GM0375", "2024", 10.0, 100.0, 1000.0, 0),
                ("jeugdhulp_pct_tot_18", "GM0396", "2024", 20.0, 600.0, 3000.0, 1)]
    region = computed(catalog, weighted, "REG_BEVHEEM")
    assert math.isclose(region["value"].iloc[0], 17.5)  # 700 / 4000, not the plain mean 15
    assert (region["numerator"].iloc[0], region["denominator"].iloc[0]) == (700.0, 4000.0)
    assert region["source"].iloc[0].startswith("Gewogen gemiddelde van Beverwijk en Heemskerk")
    # One municipality's figure is example data: so is the region's.
    assert region["is_example"].tolist() == [1]
    without_weights = [(i, a, p, v, None, None, e) for i, a, p, v, _n, _d, e in weighted]
    assert computed(catalog, without_weights, "REG_BEVHEEM").empty
    # An indicator without an aggregation rule is never computed.
    plain = [("overgewicht_5_14_pct", code, "2024", 15.0, 15.0, 100.0, 0) for code in IJMOND]
    assert computed(catalog, plain).empty


def test_the_comparison_page_shows_the_computed_region_with_its_origin(app_env: str) -> None:
    at = run_app({"indicator": "jeugdigen_0_24_aantal", "periode": "2017"})
    at = open_page(at, "app_pages/vergelijken.py")
    assert not at.exception, at.exception
    at.toggle(key="tabel_vergelijken_jeugdigen_0_24_aantal").set_value(True).run()
    data = Store(app_env).observations()
    members = data[(data["indicator_id"] == "jeugdigen_0_24_aantal") & (data["period"] == "2017")
                   & data["area_code"].isin(IJMOND)]
    assert sorted(members["area_code"]) == sorted(IJMOND)
    table = at.dataframe[0].value.set_index("Gebied")
    expected = f"{members['value'].sum():,.0f}".replace(",", ".")
    assert table.loc["IJmond", "Waarde"] == expected
    assert "Som van Beverwijk, Heemskerk en Velsen" in table.loc["IJmond", "Bron"]
    assert "Berekend uit de cijfers van de gemeenten" in page_text(at)
