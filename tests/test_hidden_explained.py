"""A downloaded file says why a value is empty (toelichting), on the pages' downloads and in the CLI export."""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from dashboard import cli
from dashboard.analysis.suppression import suppress
from dashboard.exports import download_frame, to_csv_bytes, to_xlsx_bytes

from .test_disclosure_paths import PROTECTED, SMALL, upload, wijken


def test_the_cli_export_says_why_a_wijk_is_empty(seeded_store, catalog, monkeypatch, capsys) -> None:
    w = wijken(catalog)
    upload(seeded_store, catalog, {"GM0375": 100, w[0]: 50, w[1]: 45, w[2]: 5}, "beverwijk")
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", seeded_store.url)
    capsys.readouterr()
    assert cli.main(["export"]) == 0
    rows = [r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["dataset"] == "beverwijk"]
    why = {r["area_code"]: (r["value"], r["toelichting"]) for r in rows}
    assert why == {"GM0375": ("100", ""), w[0]: ("50", ""), w[1]: ("", PROTECTED), w[2]: ("", SMALL)}


def _rows(code: str, value: float, level: str = "wijk") -> dict:
    return {"indicator_id": "a", "indicator_name": "Aantal", "area_code": code, "area_name": code,
            "area_level": level, "period": "2023", "value": value, "numerator": None, "denominator": None,
            "unit": "count", "source": "Test", "dataset": "test"}


def test_a_page_download_says_why_in_csv_and_excel() -> None:
    frame = suppress(pd.DataFrame([_rows("GM0375", 100, "gemeente"), _rows("WK037501", 50), _rows("WK037502", 45),
                                   _rows("WK037503", 5)]), threshold=10)
    data = download_frame(frame)
    parsed = list(csv.DictReader(io.StringIO(to_csv_bytes(data).decode("utf-8"))))
    assert [(r["area_code"], r["value"], r["toelichting"]) for r in parsed] == [
        ("GM0375", "100.0", ""), ("WK037501", "50.0", ""), ("WK037502", "", PROTECTED), ("WK037503", "", SMALL)]
    sheet = load_workbook(io.BytesIO(to_xlsx_bytes(data))).active
    header = [c.value for c in sheet[1]]
    column = header.index("toelichting")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)] == [None, None, PROTECTED, SMALL]
