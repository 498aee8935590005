"""Small counts per wijk never leave the product; downloads are safe to open in a spreadsheet."""

import io

import pandas as pd
from openpyxl import load_workbook

from dashboard.analysis.suppression import suppress
from dashboard.exports import to_csv_bytes, to_xlsx_bytes


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "area_level": ["wijk", "wijk", "wijk", "gemeente"],
        "unit": ["count", "percent", "count", "count"],
        "value": [7.0, 12.5, 40.0, 3.0],
        "numerator": [None, 4.0, None, None],
        "denominator": [None, 32.0, None, None],
    })


def test_small_wijk_counts_and_percentages_from_them_are_blanked() -> None:
    out = suppress(frame(), threshold=10)
    assert out["suppressed"].tolist() == [True, True, False, False]
    assert out.loc[:1, ["value", "numerator", "denominator"]].isna().all().all()
    assert out.loc[2, "value"] == 40.0
    # Municipality totals are not about small groups of a wijk and stay visible.
    assert out.loc[3, "value"] == 3.0


def test_threshold_is_a_setting() -> None:
    assert suppress(frame(), threshold=5)["suppressed"].tolist() == [False, True, False, False]


def test_csv_and_xlsx_cells_that_look_like_formulas_are_neutralised() -> None:
    data = pd.DataFrame({"naam": ["=HYPERLINK(\"x\")", "+31", "-a", "@SUM(A1)", "gewoon"], "waarde": [1, 2, -3, 4, 5]})
    csv_text = to_csv_bytes(data).decode()
    assert "'=HYPERLINK" in csv_text and "'+31" in csv_text and "'@SUM" in csv_text and "\ngewoon," in csv_text
    assert ",-3" in csv_text  # numbers stay numbers
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(data))).active
    assert sheet["A2"].value == "'=HYPERLINK(\"x\")"
    assert sheet["B4"].value == -3
