"""Downloads and exports: exactly the data behind a chart, safe to open in a spreadsheet."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.analysis.suppression import hidden_text

# `toelichting` says why a value is empty: "te klein om te tonen", "verborgen om een klein aantal te
# beschermen" (secondary suppression) or that the count it rests on is missing; empty for a shown value.
EXPLANATION = "toelichting"
EXPORT_COLUMNS = [
    "indicator_id", "indicator_name", "area_code", "area_name", "period", "value", "value_upper", "estimate", "unit",
    "source", "dataset", EXPLANATION,
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


def with_explanation(observations: pd.DataFrame) -> pd.DataFrame:
    """The rows with `toelichting`: why a suppressed value is empty (rows without `suppressed` are shown)."""
    if "suppressed" not in observations:
        return observations.assign(**{EXPLANATION: ""})
    reasons = observations.get("suppressed_reason", pd.Series([None] * len(observations), index=observations.index))
    text = [hidden_text(r) if bool(s) else "" for s, r in zip(observations["suppressed"], reasons, strict=True)]
    return observations.assign(**{EXPLANATION: pd.Series(text, index=observations.index, dtype=object)})


def download_frame(observations: pd.DataFrame) -> pd.DataFrame:
    """The data behind a chart as a page offers it for download: the export columns it has, and why a
    value is empty."""
    frame = with_explanation(observations)
    return frame[[c for c in EXPORT_COLUMNS if c in frame.columns]]


def export_frame(observations: pd.DataFrame) -> pd.DataFrame:
    """Active observations in the columns of `python -m dashboard export`; a suppressed value stays empty
    and `toelichting` says why."""
    return with_explanation(observations).reindex(columns=EXPORT_COLUMNS).reset_index(drop=True)
