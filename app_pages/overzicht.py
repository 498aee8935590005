"""Overzicht: the ambition, how the chosen municipality's goals stand, and its key figures."""

import streamlit as st

from dashboard import app_data, deployment, state
from dashboard.analysis.periods import label
from dashboard.analysis.targets import Status
from dashboard.formatting import format_row
from dashboard.markdown_text import escape
from dashboard.views import page_context
from dashboard.views.cycle import reminders
from dashboard.views.overview import counts_text, key_figure_indicators, key_figures, municipality_goals, summary_text
from dashboard.views.slides import heading, step_through

catalog = app_data.catalog()
framework = page_context.framework()
municipality = page_context.municipality()
goals = municipality_goals(app_data.goal_table(framework), municipality.code, framework, catalog)
# Only the municipality's own figures of the framework's indicators (the query layer filters in the database).
figures = key_figures(framework, municipality.code,
                      app_data.values(key_figure_indicators(framework), [municipality.code]), catalog)


def goal_status() -> None:
    if not state.presentation_mode():
        st.title("Overzicht")
    st.caption(f"{escape(framework.name)} · {escape(municipality.name)}")
    if notice := deployment.deployment_notice(catalog, app_data.settings()):
        st.info(notice, icon=":material/info:")
    st.markdown(f"**Ambitie.** {escape(framework.ambition)}")
    reminders(framework, link=not state.presentation_mode())
    heading(f"Hoe staan de doelen ervoor in {escape(municipality.name)}?")
    counts = goals.own_counts
    for col, status in zip(st.columns(4), Status, strict=True):
        col.metric(str(status).capitalize(), counts[status])
        if counts[status]:
            col.page_link("app_pages/hefboom_kpi.py", label="Toon deze doelen", icon=":material/filter_list:",
                          query_params={"kpi_status": str(status), "kpi_gebied": municipality.code})
    regional = counts_text(goals.regional_counts)
    if regional:
        regions = ", ".join(goals.region_names(catalog))
        st.markdown(f"Daarnaast gelden voor {escape(municipality.name)} doelen die voor de regio worden gemeten "
                    f"({escape(regions)}): {regional}. Die tellen hierboven niet mee.")
    st.caption("Een doel telt één keer, onder de status die de meeste aandacht vraagt.")
    st.page_link("app_pages/hefboom_kpi.py", label="Alle doelen en KPI's met hun status",
                 icon=":material/monitoring:")


def key_figure_cards(part: slice = slice(None)) -> None:
    heading(f"Kerncijfers {escape(municipality.name)}")
    if figures.empty:
        st.info(f"Voor {escape(municipality.name)} zijn nog geen cijfers bij dit beleidskader; "
                "upload ze op de pagina Gegevens.")
        return
    st.caption("Per cijfer de laatste meting van de gemeente zelf, met de verandering tegen de 0-meting van het "
               "doel of anders tegen de meting ervoor. Groen is de goede richting, rood de verkeerde.")
    cols = st.columns(3)
    for i, row in enumerate(figures.iloc[part].itertuples()):
        with cols[i % 3], st.container(border=True):
            st.metric(f"{escape(row.indicator_name)}, {label(row.period)}", format_row(row),
                      delta=row.delta, delta_color=row.delta_color)
            st.caption(f"Bron: {escape(row.source)}")


def themes(part: slice = slice(None)) -> None:
    heading(f"{escape(framework.themes_label)} in {escape(municipality.name)} ({len(framework.core_themes)})")
    for theme in framework.core_themes[part]:
        page = page_context.theme_page(theme.id)
        with st.container(border=True):
            if page is not None:
                st.page_link(page, label=escape(theme.name), icon=":material/flag:")
            st.caption(summary_text(goals.of_theme(theme.id), municipality.name, catalog)
                       or "Geen doelen met een norm; zie de cijfers op de pagina.")
    context = [theme for theme in framework.themes if theme.context]
    if context and (part.stop is None or part.stop >= len(framework.core_themes)):  # under the last part
        st.caption("Ter context, geen " + escape(framework.theme_label.lower()) + ":")
        for theme in context:
            page = page_context.theme_page(theme.id)
            if page is not None:
                st.page_link(page, label=escape(theme.name), icon=":material/info:")


# On the big screen six key figures per view (two rows of three cards fit 1080 px at 24 px type).
per_view = 6 if state.presentation_mode() else max(1, len(figures))
figure_steps = [("Kerncijfers", lambda i=i: key_figure_cards(slice(i, i + per_view)))
                for i in range(0, max(1, len(figures)), per_view)]
# Four themes per view on the big screen (the Transformatieplan's six action lines do not fit 1080 px).
themes_per_view = 4 if state.presentation_mode() else max(1, len(framework.core_themes))
theme_steps = [(framework.themes_label, lambda i=i: themes(slice(i, i + themes_per_view)))
               for i in range(0, max(1, len(framework.core_themes)), themes_per_view)]
step_through([("Hoe staan de doelen ervoor?", goal_status), *figure_steps, *theme_steps], "Overzicht")
