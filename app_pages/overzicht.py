"""Overzicht: the ambition, headline figures for the chosen municipality, and how the goals stand."""

import streamlit as st

from dashboard import app_data, deployment
from dashboard.analysis.goals import status_counts
from dashboard.analysis.periods import label
from dashboard.analysis.targets import Status
from dashboard.formatting import format_row
from dashboard.markdown_text import escape
from dashboard.views import page_context
from dashboard.views.cycle import reminders
from dashboard.views.headlines import headline_figures, headline_indicators

catalog = app_data.catalog()
framework = page_context.framework()
municipality = page_context.municipality()

st.title("Overzicht")
st.caption(f"{framework.name} · {municipality.name}")
if notice := deployment.deployment_notice(catalog, app_data.settings()):
    st.info(notice, icon=":material/info:")
st.markdown(f"**Ambitie.** {escape(framework.ambition)}")
reminders(framework, link=True)

table = app_data.goal_table(framework)
counts = status_counts(table)
st.subheader("Hoe staan de doelen ervoor?")
cols = st.columns(4)
for col, status in zip(cols, Status, strict=True):
    col.metric(str(status).capitalize(), counts[status])
    if counts[status]:
        col.page_link("app_pages/hefboom_kpi.py", label="Toon deze doelen", icon=":material/filter_list:",
                      query_params={"kpi_status": str(status)})
st.page_link("app_pages/hefboom_kpi.py", label="Alle doelen en KPI's met hun status", icon=":material/monitoring:")

st.subheader(f"Kerncijfers {municipality.name}")
figures = headline_figures(framework, municipality.code, app_data.values(
    headline_indicators(framework), catalog.with_ancestors(municipality.code)), catalog)
if figures.empty:
    st.info(f"Voor {municipality.name} zijn nog geen cijfers bij dit beleidskader; upload ze op de pagina Gegevens.")
else:
    cols = st.columns(3)
    for i, row in enumerate(figures.itertuples()):
        with cols[i % 3], st.container(border=True):
            st.metric(escape(row.indicator_name), format_row(row))
            st.caption(f"{escape(row.area_name)}, {label(row.period)} · Bron: {escape(row.source)}")

st.subheader(f"{framework.themes_label} ({len(framework.core_themes)})")
for theme in framework.core_themes:
    page = page_context.theme_page(theme.id)
    theme_rows = table[table["thema_id"] == theme.id] if not table.empty else table
    theme_counts = status_counts(theme_rows)
    summary = ", ".join(f"{n} {s}" for s, n in theme_counts.items() if n)
    with st.container(border=True):
        if page is not None:
            st.page_link(page, label=escape(theme.name), icon=":material/flag:")
        st.caption(summary or "Geen doelen met een norm; zie de cijfers op de pagina.")

context = [theme for theme in framework.themes if theme.context]
if context:
    st.caption("Ter context, geen " + framework.theme_label.lower() + ":")
    for theme in context:
        page = page_context.theme_page(theme.id)
        if page is not None:
            st.page_link(page, label=theme.name, icon=":material/info:")
