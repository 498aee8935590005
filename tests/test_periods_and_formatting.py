"""Periods sort and read as a Dutch reader expects; numbers use Dutch notation."""

import pytest

from dashboard.analysis.periods import PeriodError, is_valid, label, latest, sort_key
from dashboard.formatting import format_value


def test_periods_sort_by_end() -> None:
    periods = ["2020", "2018/2020", "2022-H1", "2015", "2023-Q2", "2019/2020", "2016"]
    assert sorted(periods, key=sort_key) == ["2015", "2016", "2018/2020", "2019/2020", "2020", "2022-H1",
                                             "2023-Q2"]
    assert latest(["2015", "2020-H1"]) == "2020-H1"


def test_period_labels_in_dutch() -> None:
    assert label("2022-H1") == "1e helft 2022"
    assert label("2023-Q2") == "2e kwartaal 2023"
    assert label("2018/2020") == "2018-2020"
    assert label("2017") == "2017"


def test_invalid_periods_are_refused_with_the_valid_formats() -> None:
    assert not is_valid("2020/2018")
    assert not is_valid("20-20")
    with pytest.raises(PeriodError, match="2022-H1"):
        sort_key("voorjaar")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (17.4, "percent", "17,4%"),
        (0.08, "percent", "0,08%"),
        (11319, "count", "11.319"),
        (301291, "euro", "€ 301.291"),
        (-26, "percent_change", "-26%"),
        (38, "percent_change", "+38%"),
        (7.5, "grade", "7,5"),
        (None, "percent", "geen gegevens"),
        (float("nan"), "count", "geen gegevens"),
    ],
)
def test_dutch_number_notation(value, unit, expected) -> None:
    assert format_value(value, unit) == expected


def test_chart_cache_keys_follow_the_data_exactly() -> None:
    import pandas as pd

    from dashboard.views.charts import frame_key

    a = pd.DataFrame({"area_code": ["GM0375"], "period": ["2023"], "value": [12.5], "note": [None]})
    assert frame_key(a) == frame_key(a.copy())
    assert frame_key(a) != frame_key(a.assign(value=[12.6]))
    assert frame_key(a.assign(value=[float("nan")])) == frame_key(a.assign(value=[float("nan")]))
    assert frame_key(a) != frame_key(a.assign(note=["Voorlopig cijfer (CBS)"]))
