"""Downloads and exports: exactly the data behind a chart, safe to open in a spreadsheet."""

from __future__ import annotations

import io

import pandas as pd

EXPORT_COLUMNS = [
    "indicator_id", "indicator_name", "area_code", "area_name", "period", "value", "value_upper", "estimate", "unit",
    "source", "dataset",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: object) -> object:
    """A text a spreadsheet would run as a formula gets a quote in front; numbers are never text here."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula (CSV injection) with a quote.

    Only text is touched: a numeric column stays numeric, so ``-26`` is written as the number -26.
    """
    safe = frame.copy()
    for column in safe.columns:
        if pd.api.types.is_numeric_dtype(safe[column]):
            continue
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_safe_text)
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralise(frame).to_csv(index=False).encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "gegevens") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()


def export_frame(observations: pd.DataFrame) -> pd.DataFrame:
    """Active observations in the columns of `python -m dashboard export`; suppressed values stay empty."""
    return observations.reindex(columns=EXPORT_COLUMNS).reset_index(drop=True)
