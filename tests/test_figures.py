"""Figures as the documents state them: ranges keep both bounds, estimates are marked, context is under Nederland."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis.goals import series
from dashboard.analysis.suppression import suppress
from dashboard.analysis.targets import Measurement, evaluate
from dashboard.catalog.loader import CatalogError
from dashboard.catalog.models import TargetRule
from dashboard.exports import export_frame
from dashboard.formatting import format_observation
from dashboard.ingest.seed import load_shipped_data, read_figures_file
from dashboard.store import DatasetMeta, Store
from dashboard.views.charts import comparison_chart, trend_chart
from dashboard.views.widgets import display_table, source_line

from .conftest import open_page, page_text, run_app


def test_a_range_and_an_estimate_read_as_written(tmp_path: Path) -> None:
    path = tmp_path / "fig.yaml"
    path.write_text("""name: t
document: d
observations:
  - {indicator: a, area: X, period: "2023", lower: 11, upper: 12, source: s, quote: q}
  - {indicator: b, area: X, period: "2014", value: 2000, estimate: true, source: s, quote: q}
""", encoding="utf-8")
    rows = read_figures_file(path).rows
    assert (rows[0]["value"], rows[0]["value_upper"], rows[1]["estimate"]) == (11, 12, True)
    path.write_text("""name: t
document: d
observations:
  - {indicator: a, area: X, period: "2023", lower: 12, upper: 11, source: s, quote: q}
""", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"fig\.yaml, waarneming 1: een bandbreedte"):
        read_figures_file(path)


def test_ranges_and_estimates_are_shown_as_such() -> None:
    assert format_observation(11, "percent", 12) == "11–12%"
    assert format_observation(1000, "euro", 2500) == "€ 1.000–2.500"
    assert format_observation(2000, "count", None, 1) == "2.000 (schatting)"
    assert format_observation(12, "percent", 25.0, 1.0) == "12–25% (schatting)"
    assert format_observation(10.5, "percent", np.nan, np.nan) == "10,5%"


def _chart_rows() -> pd.DataFrame:
    return pd.DataFrame([
        {"area_code": "GM0361", "area_name": "Alkmaar", "area_level": "gemeente", "period": "2023", "value": 10.5,
         "value_upper": np.nan, "estimate": 1.0, "source": "Armoedemonitor", "note": None},
        {"area_code": "GM0392", "area_name": "Haarlem", "area_level": "gemeente", "period": "2023", "value": 9.0,
         "value_upper": 10.0, "estimate": np.nan, "source": "s", "note": None},
        {"area_code": "REF_100K", "area_name": "Gemeenten > 100.000", "area_level": "referentie", "period": "2023",
         "value": 11.0, "value_upper": 12.0, "estimate": np.nan, "source": "s", "note": None},
    ])


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [])


def test_a_range_is_drawn_as_a_bar_from_lower_to_upper_bound_and_the_tooltip_says_it() -> None:
    rows = _chart_rows()
    trend = trend_chart(rows, "Minimahuishoudens", "percent").to_dict(validate=False)
    bars = [layer for layer in _layers(trend) if str(layer["mark"]).find("errorbar") >= 0]
    assert len(bars) == 1 and bars[0]["encoding"]["y2"]["field"] == "value_upper"
    data = pd.DataFrame(next(iter(trend["datasets"].values())))
    assert set(data["waarde"]) == {"10,5% (schatting)", "9–10%", "11–12%"}
    compared = comparison_chart(rows, "Minimahuishoudens", "percent").to_dict(validate=False)
    # Every area is a bar with its value (issue 18); each stated range, the municipality's and the reference
    # group's, is an error bar on its bar.
    ranged = [layer for layer in _layers(compared) if "errorbar" in str(layer["mark"])]
    assert ranged, "a range is an error bar"
    ranged_areas = {row["area_name"] for layer in ranged for row in compared["datasets"][layer["data"]["name"]]}
    assert ranged_areas == {"Haarlem", "Gemeenten > 100.000"}, ranged_areas
    # The scale reaches the upper bound, so the range is not cut off.
    assert compared["layer"][0]["encoding"]["x"]["scale"]["domain"][1] >= 12


def test_without_a_range_no_range_layer_is_drawn() -> None:
    rows = _chart_rows().assign(value_upper=np.nan)
    spec = trend_chart(rows, "Minimahuishoudens", "percent").to_dict(validate=False)
    assert not any("errorbar" in str(layer["mark"]) for layer in _layers(spec))


def test_the_table_under_a_chart_shows_the_range_and_the_estimate() -> None:
    rows = _chart_rows().assign(indicator_name="Minimahuishoudens", unit="percent", dataset="d")
    assert display_table(rows)["Waarde"].tolist() == ["10,5% (schatting)", "9–10%", "11–12%"]
    assert "bandbreedte" in source_line(rows) and "schatting" in source_line(rows)
    assert "bandbreedte" not in source_line(rows.assign(value_upper=np.nan, estimate=np.nan))


def test_a_goal_measurement_keeps_its_range_and_estimate_for_the_goal_cards() -> None:
    values = _chart_rows().assign(indicator_id="x")
    [ranged] = series(values, "x", "GM0392")
    [estimated] = series(values, "x", "GM0361")
    assert (ranged.upper, ranged.estimate, estimated.upper, estimated.estimate) == (10.0, False, None, True)
    rule = TargetRule(kind="daalt", text="daalt")
    later = Measurement(8.0, "2024")
    assert "9–10% (2023)" in evaluate(rule, ranged, later, "percent").reason


def test_a_hidden_wijk_value_hides_its_upper_bound_too() -> None:
    frame = pd.DataFrame([{"indicator_id": "inwoners_aantal", "area_code": "WK037500", "period": "2024",
                           "area_level": "wijk", "unit": "count", "value": 3.0, "value_upper": 6.0,
                           "numerator": np.nan, "denominator": np.nan}])
    assert np.isnan(suppress(frame, 10).iloc[0]["value_upper"])


def test_context_ranges_and_estimates_from_the_documents_are_stored(seeded_store: Store) -> None:
    values = seeded_store.observations()
    frame = export_frame(values).set_index(["indicator_id", "area_code", "period"])
    assert frame.loc[("minimahuishoudens_pct", "REF_100K", "2023"), ["value", "value_upper"]].tolist() == [11, 12]
    assert frame.loc[("scheiding_problemen_aantal", "REG_IJMOND", "2014"), "estimate"] == 1
    assert frame.loc[("minimahuishoudens_pct", "GM0361", "2023"), "estimate"] == 1
    # National context the documents use to frame local figures, under Nederland.
    assert frame.loc[("transformatiebudget_euro", "NL01", "2019"), "value"] == 36_000_000
    assert frame.loc[("transformatiebudget_rijk_euro", "NL01", "2018/2020"), "value"] == 54_000_000
    assert frame.loc[("kinderen_per_kind_met_jeugdhulp", "NL01", "2024"), "value"] == 7
    assert frame.loc[("uitgaven_jeugdhulp_stijging_euro", "NL01", "2015/2019"), "value"] == 1_900_000_000
    notes = values.set_index(["indicator_id", "area_code", "period"])["note"]
    assert notes.loc[("transformatiebudget_gemeenten_euro", "NL01", "2018/2020")].startswith("Landelijke context")


def test_bronnen_shows_the_range_and_the_estimate(app_env: str) -> None:
    at = open_page(run_app(), "app_pages/bronnen.py")
    shown = pd.concat([frame.value for frame in at.dataframe], ignore_index=True)
    rows = shown[shown["Indicator"].isin(["Minimahuishoudens", "Kinderen met problemen na een echtscheiding (aantal)"])]
    assert "11–12%" in set(rows["Waarde"]) and "2.000 (schatting)" in set(rows["Waarde"])
    assert "Bronnen" in page_text(at)


def test_vergelijken_and_overzicht_show_the_range_and_the_estimate(app_env: str) -> None:
    at = run_app({"kader": "alkmaar-2025", "indicator": "minimahuishoudens_pct", "periode": "2023"})
    at = open_page(at, "app_pages/vergelijken.py")
    at.toggle(key="tabel_vergelijken_minimahuishoudens_pct").set_value(True).run()
    shown = at.dataframe[0].value.set_index("Gebied")["Waarde"]
    assert shown["Alkmaar"] == "10,5% (schatting)"
    assert "11–12%" in set(shown)


def test_a_headline_card_shows_a_stated_range_and_estimate(app_env: str, catalog) -> None:
    store = Store(app_env)
    load_shipped_data(store, catalog)
    rows = [{"indicator_id": "inwoners_aantal", "area_code": "GM0361", "period": "2026", "value": 113_000,
             "value_upper": 114_000, "source": "Prognose", "estimate": True}]
    store.add_dataset(DatasetMeta(name="Prognose", kind="upload", source_file="p.xlsx", sha256="b" * 64,
                                  created_by="test"), rows)
    at = run_app({"kader": "alkmaar-2025", "gemeente": "GM0361"})
    cards = {metric.label.split(",")[0]: metric.value for metric in at.metric}  # 'Inwoners, 2024': with its year
    assert cards["Inwoners"] == "113.000–114.000 (schatting)"
