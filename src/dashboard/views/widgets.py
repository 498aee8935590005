"""Widgets shared by the pages: source line, table toggle and downloads under every chart."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.analysis.periods import label, sort_key
from dashboard.analysis.suppression import hidden_text
from dashboard.exports import download_frame, to_csv_bytes, to_xlsx_bytes
from dashboard.formatting import format_row, is_estimate
from dashboard.markdown_text import escape
from dashboard.views.charts import is_provisional, large_type


def dataset_label(name: str) -> str:
    """A dataset as a reader names it: an identifier-like name (a file stem such as 'upload_review') says
    'een upload' instead; the full name is on the page Gegevens and in 'Toon als tabel'."""
    looks_like_id = " " not in name and ("_" in name or re.search(r"\.(xlsx|csv|txt)$", name) is not None)
    return "een upload (zie Gegevens)" if looks_like_id else name


def source_line(frame: pd.DataFrame) -> str:
    """'Bron: …  ·  Periode: …  ·  Dataset: …' for exactly the rows shown; sources and datasets escaped (Markdown)."""
    if frame.empty:
        return ""
    periods = sorted(set(frame["period"].tolist()), key=sort_key)
    period_text = label(periods[0]) if len(periods) == 1 else f"{label(periods[0])} t/m {label(periods[-1])}"
    sources = "; ".join(escape(s) for s in sorted({s for s in frame["source"].tolist() if isinstance(s, str)}))
    datasets = "; ".join(escape(d) for d in sorted({dataset_label(d) for d in frame["dataset"].tolist()
                                                       if isinstance(d, str)}))
    example = " · voorbeelddata (fictief)" if "is_example" in frame and any(frame["is_example"].tolist()) else ""
    provisional = ""
    if "note" in frame and any(is_provisional(n) for n in frame["note"].tolist()):
        provisional = " · open punt = voorlopig cijfer (CBS)"
    return f"Bron: {sources} · Periode: {period_text} · Dataset: {datasets}{example}{provisional}{range_note(frame)}"


def range_note(frame: pd.DataFrame) -> str:
    """What the chart's range bars and the tooltips' '(schatting)' mean, only where the rows have them."""
    note = ""
    if "value_upper" in frame and frame["value_upper"].notna().any():
        note += " · balk of band = bandbreedte die het document noemt (van–tot)"
    if "estimate" in frame and any(is_estimate(e) for e in frame["estimate"].tolist()):
        note += " · bevat een schatting van het document"
    return note


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows as a reader sees them: Dutch numbers, labels, and 'te klein om te tonen'."""
    shown = pd.DataFrame({
        "Gebied": frame["area_name"],
        "Periode": frame["period"].map(label),
        "Indicator": frame["indicator_name"],
        "Waarde": [
            hidden_text(row.get("suppressed_reason")) if bool(row.get("suppressed", False)) else format_row(row)
            for _, row in frame.iterrows()
        ],
        "Bron": frame["source"].fillna(""),  # an empty cell, never "None"
        "Dataset": frame["dataset"],
    })
    if "note" in frame and frame["note"].notna().any():
        shown["Toelichting"] = frame["note"].fillna("").to_numpy()
    return shown.reset_index(drop=True)


def _download(write: Callable[[pd.DataFrame], bytes], frame: pd.DataFrame) -> bytes:
    return write(download_frame(frame))


def chart_with_data(spec: dict | None, frame: pd.DataFrame, key: str, alt_text: str) -> None:
    """A chart (a Vega-Lite spec) with its source, 'Toon als tabel' and downloads of exactly its data.

    In presentation mode: the chart in large type with its text alternative and source, no controls.
    """
    presenting = state.presentation_mode()
    as_table = False
    if not presenting:
        state.table_toggle_default(key)
        as_table = st.toggle("Toon als tabel", key=f"tabel_{key}",
                             help="Dezelfde cijfers als tabel (tekstalternatief)")
        state.remember_table_choice(key, as_table)
    if as_table or spec is None:
        st.dataframe(display_table(frame), hide_index=True, width="stretch")
    else:
        st.vega_lite_chart(large_type(spec) if presenting else spec, width="stretch")
        st.caption(escape(alt_text))
    st.caption(source_line(frame))
    if presenting:
        return
    left, right, _ = st.columns([1, 1, 4])
    # Files, and the frame they are made of, are built only when someone clicks (deferred download), not on
    # every rerun: a theme page has twenty charts.
    left.download_button("CSV", partial(_download, to_csv_bytes, frame), file_name=f"{key}.csv", mime="text/csv",
                         key=f"csv_{key}", icon=":material/download:")
    right.download_button(
        "Excel", partial(_download, to_xlsx_bytes, frame), file_name=f"{key}.xlsx", key=f"xlsx_{key}",
        icon=":material/download:", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def add_to_presentation(kind: str, subject: str, key: str) -> None:
    """'Voeg toe aan presentatie': this view becomes a slide of the own presentation (page Presenteren)."""
    if state.presentation_mode():
        return
    if st.button("Voeg toe aan presentatie", key=f"dia_{key}", icon=":material/add_to_queue:", type="tertiary"):
        slides = st.session_state.setdefault("eigen_dias", [])
        token = f"{kind}:{subject}"
        if token not in slides:
            slides.append(token)
        st.toast(f"Toegevoegd als dia {slides.index(token) + 1} van de eigen presentatie (pagina Presenteren).",
                 icon=":material/slideshow:")
