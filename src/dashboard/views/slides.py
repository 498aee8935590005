"""One slide of a presentation: a title, a key message, one chart or map (or a theme's goals) and its source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import app_data
from dashboard.analysis.limits import figure_name, observations_behind
from dashboard.analysis.periods import label, sort_key
from dashboard.analysis.selection import (
    baseline_line,
    comparison_rows,
    framework_areas_with_references,
    indicator_rows,
    limit_indicators,
    target_line,
)
from dashboard.analysis.suppression import hidden_text
from dashboard.catalog.models import Area, Catalog, Framework
from dashboard.formatting import format_observation, format_row, format_value
from dashboard.geo import BoundaryError
from dashboard.markdown_text import escape
from dashboard.presentations import Slide
from dashboard.views.charts import comparison_spec, limit_spec, trend_spec
from dashboard.views.maps import municipality_map
from dashboard.views.widgets import chart_with_data


def _value_text(row: pd.Series) -> str:
    if bool(row.get("suppressed", False)):
        return hidden_text(row.get("suppressed_reason"))
    return format_row(row)


def trend_message(rows: pd.DataFrame, municipality: Area) -> str:
    own = rows[rows["area_code"] == municipality.code]
    chosen = own if not own.empty else rows[rows["area_code"] == rows["area_code"].iloc[0]]
    first, last = chosen.iloc[0], chosen.iloc[-1]
    text = f"{last['area_name']}: {_value_text(last)} in {label(last['period'])}"
    if len(chosen) > 1:
        text += f", tegen {_value_text(first)} in {label(first['period'])}"
    return text + "."


def comparison_message(rows: pd.DataFrame, municipality: Area) -> str:
    municipalities = rows[rows["area_level"] == "gemeente"].dropna(subset=["value"])
    own = rows[rows["area_code"] == municipality.code]
    period = label(rows["period"].iloc[0])
    if own.empty or municipalities.empty:
        top = rows.dropna(subset=["value"]).iloc[0]
        return f"{top['area_name']}: {_value_text(top)} in {period}."
    rank = list(municipalities["area_code"]).index(municipality.code) + 1 \
        if municipality.code in set(municipalities["area_code"]) else None
    text = f"{municipality.name}: {_value_text(own.iloc[0])} in {period}"
    if rank is not None and len(municipalities) > 1:
        text += f", {rank}e van {len(municipalities)} gemeenten (hoogste eerst)"
    return text + "."


def limit_message(status: pd.DataFrame, unit: str) -> str:
    parts = []
    for row in status.itertuples():
        if row.exceeded:
            parts.append(f"{row.area_name}: grens overschreden met {format_value(abs(row.difference), unit)} "
                         f"in {label(row.period)}, onafgebroken sinds {label(row.since)}")
        else:
            parts.append(f"{row.area_name}: binnen de grens in {label(row.period)}")
    return "; ".join(parts) + "."


def _slide_values(slide: Slide, catalog: Catalog, framework: Framework, municipality: Area) -> pd.DataFrame:
    """Only the figures the slide shows (app_data query layer)."""
    if slide.kind in ("trend", "vergelijking"):
        return app_data.values([slide.subject], [*framework_areas_with_references(framework, catalog),
                                                 municipality.code])
    if slide.kind == "kaart":
        return app_data.values([slide.subject], levels=("gemeente",))
    if slide.kind == "grens":
        limits = [lm for lm in catalog.limits if lm.id == slide.subject]
        return app_data.values(limit_indicators(limits, catalog), levels=app_data.LEVELS_BUT_WIJK)
    return app_data.values([], [])


def render_slide(slide: Slide, catalog: Catalog, framework: Framework, municipality: Area) -> None:
    """Everything on one screen: the title as heading, the key message in large type, the chart, the source.

    Slides are shown in presentation mode, so chart_with_data draws large charts without controls.
    """
    values = _slide_values(slide, catalog, framework, municipality)
    title, message = slide.title, slide.message
    if slide.kind in ("trend", "vergelijking"):
        indicator = catalog.indicators[slide.subject]
        rows = indicator_rows(values, indicator.id, framework_areas_with_references(framework, catalog))
        if slide.kind == "vergelijking":
            rows = comparison_rows(rows, indicator.id)
        st.title(title or escape(indicator.name))
        if rows.empty:
            st.info(f"Er zijn geen cijfers voor {escape(indicator.name.lower())} in {framework.short_name}.")
            return
        if slide.kind == "trend":
            goal = next((g for t in framework.themes for g in t.goals if indicator.id in g.indicators), None)
            st.markdown(f"### {message or trend_message(rows, municipality)}")
            spec = trend_spec(rows, indicator.name, indicator.unit,
                              baseline=baseline_line(goal, indicator.id, values, [municipality.code])
                              if goal else None, target=target_line(goal, indicator.id) if goal else None)
            chart_with_data(spec, rows, key=f"dia_{slide.token}",
                            alt_text=f"Lijngrafiek van {indicator.name.lower()} per gebied en periode.")
        else:
            st.markdown(f"### {message or comparison_message(rows, municipality)}")
            chart_with_data(comparison_spec(rows, indicator.name, indicator.unit), rows, key=f"dia_{slide.token}",
                            alt_text=f"Staafgrafiek: {indicator.name.lower()} per gebied, hoogste bovenaan.")
    elif slide.kind == "kaart":
        indicator = catalog.indicators[slide.subject]
        municipal = values[(values["indicator_id"] == indicator.id) & (values["area_level"] == "gemeente")]
        st.title(title or f"{escape(indicator.name)} per gemeente")
        if municipal.empty:
            st.info(f"Er zijn geen cijfers per gemeente voor {escape(indicator.name.lower())}.")
            return
        period = max(municipal["period"].unique(), key=sort_key)
        rows = comparison_rows(municipal, indicator.id, period, levels=("gemeente",))
        st.markdown(f"### {message or comparison_message(rows, municipality)}")
        try:
            municipality_map(rows, indicator.unit, height=480)
        except BoundaryError as exc:
            st.error(f"De gemeentegrenzen kunnen niet worden geladen. {exc}")
    elif slide.kind == "grens":
        limit = next(lm for lm in catalog.limits if lm.id == slide.subject)
        unit = catalog.indicators[limit.limit_indicator].unit
        table, status = app_data.limit_comparison(limit)
        st.title(title or limit.name)
        if table.empty:
            st.info("Er zijn nog geen cijfers om tegen deze grens te houden.")
            return
        st.markdown(f"### {message or limit_message(status, unit)}")
        name = figure_name(limit, catalog)
        behind = observations_behind(limit, values, table["area_code"])
        chart_with_data(limit_spec(table, name, unit, limit.kind), behind, key=f"dia_{slide.token}",
                        alt_text=f"Staafdiagram: {name.lower()} per periode (rood boven de grens), "
                                 "de grens als zwart streepje.")
    else:  # doelen
        theme = framework.theme(slide.subject)
        table = app_data.goal_table(framework)
        table = table[(table["thema_id"] == theme.id)
                      & (table["gebied_code"].isna() | (table["gebied_code"] == municipality.code))]
        st.title(title or escape(theme.name))
        counts = table["status"].value_counts()
        summary = f"{len(table)} metingen bij {table['doel'].nunique()} doelen: " + ", ".join(
            f"{n} {status}" for status, n in counts.items())
        st.markdown(f"### {message or summary}")
        for goal_name, rows in table.groupby("doel", sort=False):
            st.markdown(f"**{goal_name}**")
            for row in rows.itertuples():
                latest = row.laatste if row.eenheid and row.laatste == row.laatste else None
                shown = format_observation(latest, row.eenheid, row.laatste_boven, row.laatste_schatting)
                measured = f" · laatste meting {shown}" if latest is not None else ""
                st.markdown(f"- {row.status} · {row.indicator or 'kwalitatief'}{measured}")
        st.caption(f"Bron van de doelen: {framework.name} · gemeente {municipality.name}")
