"""Small counts per wijk never leave the product; downloads are safe to open in a spreadsheet."""

import io

import pandas as pd
from openpyxl import load_workbook

from dashboard.analysis.suppression import suppress
from dashboard.exports import to_csv_bytes, to_xlsx_bytes


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "indicator_id": ["jongeren", "jeugdhulp_pct", "jongeren", "jongeren", "jongeren", "jeugdhulp_pct",
                         "jeugdhulp_pct"],
        "area_code": ["WK037501", "WK037501", "WK037502", "GM0375", "WK037503", "WK037502", "WK037503"],
        "area_level": ["wijk", "wijk", "wijk", "gemeente", "wijk", "wijk", "wijk"],
        "period": ["2023"] * 7,
        "unit": ["count", "percent", "count", "count", "count", "percent", "percent"],
        "value": [7.0, 12.5, 40.0, 3.0, 55.0, 20.0, 25.0],
        "numerator": [None, 4.0, None, None, None, 40.0, 50.0],
        "denominator": [None, 32.0, None, None, None, 200.0, 200.0],
    })


def test_small_wijk_counts_and_percentages_from_them_are_blanked() -> None:
    out = suppress(frame(), threshold=10)
    # 7 and the percentage from teller 4 are small; the next smallest wijk of each is hidden to protect them.
    assert out["suppressed"].tolist() == [True, True, True, False, False, True, False]
    assert out["suppressed_reason"].tolist() == ["klein", "klein", "bescherming", None, None, "bescherming", None]
    assert out.loc[:2, ["value", "numerator", "denominator"]].isna().all().all()
    assert out.loc[4, "value"] == 55.0
    # Municipality totals are not about small groups of a wijk and stay visible.
    assert out.loc[3, "value"] == 3.0


def test_threshold_is_a_setting() -> None:
    out = suppress(frame(), threshold=5)
    assert out["suppressed_reason"].tolist() == [None, "klein", None, None, None, "bescherming", None]


def test_csv_and_xlsx_cells_that_look_like_formulas_are_neutralised() -> None:
    data = pd.DataFrame({"naam": ["=HYPERLINK(\"x\")", "+31", "-a", "@SUM(A1)", "gewoon"], "waarde": [1, 2, -3, 4, 5]})
    csv_text = to_csv_bytes(data).decode()
    assert "'=HYPERLINK" in csv_text and "'+31" in csv_text and "'@SUM" in csv_text and "\ngewoon," in csv_text
    assert ",-3" in csv_text  # numbers stay numbers
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(data))).active
    assert sheet["A2"].value == "'=HYPERLINK(\"x\")"
    assert sheet["B4"].value == -3
