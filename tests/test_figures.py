"""Figures as the documents state them: ranges keep both bounds, estimates are marked, context is under Nederland."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis.suppression import suppress
from dashboard.catalog.loader import CatalogError
from dashboard.exports import export_frame
from dashboard.formatting import format_observation
from dashboard.ingest.seed import read_figures_file
from dashboard.store import Store

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
    assert format_observation(11, "percent", 12) == "11 tot 12%"
    assert format_observation(2000, "count", None, 1) == "2.000 (schatting)"
    assert format_observation(10.5, "percent", np.nan, np.nan) == "10,5%"


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
    assert "11 tot 12%" in set(rows["Waarde"]) and "2.000 (schatting)" in set(rows["Waarde"])
    assert "Bronnen" in page_text(at)
