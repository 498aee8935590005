"""One indicator on a page or slide: its trend (or a number card when there is one measurement) and the
areas compared, each saying plainly what is missing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.analysis.periods import label
from dashboard.analysis.selection import target_line
from dashboard.catalog.models import Area, Catalog, Goal, Indicator
from dashboard.formatting import SUPPRESSED, format_value
from dashboard.markdown_text import escape
from dashboard.views.charts import comparison_spec, trend_spec
from dashboard.views.widgets import chart_with_data, source_line


def goal_lines(goal: Goal | None, indicator_id: str, values: pd.DataFrame, focus: list[str],
               catalog: Catalog) -> list[tuple[str, float]]:
    """The 0-meting of each focus area that has one ('0-meting Beverwijk (2015)') and the goal's norm."""
    if goal is None:
        return []
    lines: list[tuple[str, float]] = []
    if goal.baseline_period:
        rows = values[(values["indicator_id"] == indicator_id) & (values["period"] == goal.baseline_period)
                      & values["value"].notna()]
        for code in dict.fromkeys(focus):
            found = rows[rows["area_code"] == code]
            if not found.empty and code in catalog.areas:
                lines.append((f"0-meting {catalog.areas[code].name} ({label(goal.baseline_period)})",
                              float(found["value"].iloc[-1])))
    target = target_line(goal, indicator_id)
    if target is not None:
        where = ", ".join(catalog.areas[c].name for c in goal.baseline_areas if c in catalog.areas)
        lines.append((f"norm{' ' + where if where else ''}", target))
    return lines


def number_cards(rows: pd.DataFrame, unit: str, intro: str | None = None) -> None:
    """One measurement per area: the figures as cards, not as a line of single dots."""
    shown = rows.dropna(subset=["value"])
    periods = list(dict.fromkeys(shown["period"]))
    st.markdown(intro or f"Er is één meting ({', '.join(label(p) for p in periods)}); daarom geen lijn maar "
                "de cijfers:")
    cols = st.columns(min(4, max(1, len(shown))))
    for i, row in enumerate(shown.itertuples()):
        value = SUPPRESSED if bool(getattr(row, "suppressed", False)) else format_value(row.value, unit)
        cols[i % len(cols)].metric(f"{escape(row.area_name)}, {label(row.period)}", value)


def trend_view(indicator: Indicator, rows: pd.DataFrame, key: str, lines: list[tuple[str, float]],
               notes: pd.DataFrame | None = None, alt_text: str | None = None) -> None:
    if rows.dropna(subset=["value"])["period"].nunique() <= 1:
        number_cards(rows, indicator.unit)
        if lines:
            st.caption(" · ".join(f"{text}: {format_value(value, indicator.unit)}" for text, value in lines))
        st.caption(source_line(rows))
        return
    spec = trend_spec(rows, indicator.name, indicator.unit, notes=notes, lines=lines)
    chart_with_data(spec, rows, key=key, alt_text=alt_text or (
        f"Lijngrafiek van {indicator.name.lower()} per gebied en periode; elke lijn heeft de naam van het "
        "gebied aan het eind."))


def missing_in_comparison(rows: pd.DataFrame, municipality: Area, expected: list[Area]) -> list[str]:
    """What the comparison cannot show: the chosen municipality or a reference (region, Nederland) without a
    figure in this period, each said in one line."""
    if rows.empty:
        return []
    period = label(rows["period"].iloc[0])
    present = set(rows.dropna(subset=["value"])["area_code"])
    lines = []
    if municipality.code not in present:
        lines.append(f"Voor {escape(municipality.name)} is er geen cijfer over {period}; de grafiek toont de gebieden "
                     "die het wel hebben.")
    missing = [a.name for a in expected if a.code not in present and a.code != municipality.code]
    if missing:
        lines.append(f"Geen cijfer over {period} voor {escape(', '.join(missing))}.")
    return lines


def comparison_view(indicator: Indicator, rows: pd.DataFrame, municipality: Area, references: list[Area],
                    key: str) -> None:
    for line in missing_in_comparison(rows, municipality, references):
        st.markdown(f"*{line}*")
    if len(rows.dropna(subset=["value"])) <= 1:  # one area: nothing to compare, so no one-bar chart
        number_cards(rows, indicator.unit, "Er is één gebied met een cijfer; daarom geen staaf maar het cijfer:")
        st.caption(source_line(rows))
        return
    chart_with_data(comparison_spec(rows, indicator.name, indicator.unit), rows, key=key,
                    alt_text=f"Staafgrafiek: {indicator.name.lower()} per gebied, met de waarde aan het eind van "
                             "elke staaf; gemeenten eerst (hoogste bovenaan), dan regio en Nederland.")


def references_for(municipality: Area, catalog: Catalog) -> list[Area]:
    """The region(s) above the municipality and Nederland: what every comparison should show beside it."""
    return [catalog.areas[c] for c in catalog.with_ancestors(municipality.code)[1:] if c in catalog.areas]
