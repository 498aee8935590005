"""One theme of the chosen framework: its goals with status, trends, and the municipalities compared."""

import streamlit as st

from dashboard import app_data
from dashboard.analysis.periods import label, sort_key
from dashboard.analysis.selection import (
    baseline_line,
    comparison_rows,
    framework_areas_with_references,
    indicator_rows,
    target_line,
)
from dashboard.markdown_text import escape
from dashboard.views import page_context
from dashboard.views.charts import comparison_spec, trend_spec
from dashboard.views.goal_cards import goal_card
from dashboard.views.notes import note_form, notes_beside_chart, notes_for
from dashboard.views.staff import current_user
from dashboard.views.widgets import add_to_presentation, chart_with_data

catalog = app_data.catalog()
framework = page_context.framework()
theme = page_context.current_theme()
municipality = page_context.municipality()
table = app_data.goal_table(framework)
notes = app_data.notes()
user = current_user(app_data.settings())

st.title(escape(theme.name))
st.caption(f"{framework.theme_label} uit {framework.name}")
st.markdown(f"**Ambitie.** {escape(theme.ambition)}")

if theme.goals:
    st.header("Doelen")
    for goal in theme.goals:
        goal_card(goal, table[table["doel_id"] == goal.id])

goal_for_indicator = {i: g for g in theme.goals for i in g.indicators}
areas = framework_areas_with_references(framework, catalog)
values = app_data.values(theme.all_indicators, [*areas, *(a for g in theme.goals for a in g.baseline_areas)])
st.header("Ontwikkeling en vergelijking")
if not theme.all_indicators:
    st.info("Bij dit onderdeel horen geen cijfermatige indicatoren; het wordt gevolgd met verhalen en gesprekken.")
for indicator_id in theme.all_indicators:
    indicator = catalog.indicators[indicator_id]
    rows = indicator_rows(values, indicator_id, areas)
    st.subheader(escape(indicator.name))
    st.caption(escape(indicator.description))
    if rows.empty:
        st.info(
            f"Geen gegevens voor {indicator.name.lower()}. De bron is {indicator.source}; "
            "nieuwe cijfers kunnen op de pagina Gegevens worden ingelezen."
        )
        continue
    goal = goal_for_indicator.get(indicator_id)
    focus = [municipality.code, *goal.baseline_areas] if goal else []
    baseline = baseline_line(goal, indicator_id, values, focus) if goal else None
    trend_col, compare_col = st.columns(2)
    shown_notes = notes_for(notes, indicator_id, list(rows["area_code"].unique()))
    with trend_col:
        st.markdown("**Door de tijd**")
        chart = trend_spec(rows, indicator.name, indicator.unit, baseline=baseline,
                           target=target_line(goal, indicator_id) if goal else None, notes=shown_notes)
        chart_with_data(chart, rows, key=f"trend_{indicator_id}",
                        alt_text=f"Lijngrafiek van {indicator.name.lower()} per gebied en periode"
                                 + ("; ✎ markeert een periode met notities." if len(shown_notes) else "."))
        add_to_presentation("trend", indicator_id, f"trend_{indicator_id}")
        notes_beside_chart(shown_notes)
        if user:
            with st.popover("Notitie toevoegen", icon=":material/edit_note:"):
                area_names = dict(zip(rows["area_code"], rows["area_name"], strict=True))
                periods = sorted(rows["period"].unique(), key=sort_key)
                note_form(user, indicator_id, indicator_id=indicator_id, area_options=area_names,
                          default_area=municipality.code, period_options=periods,
                          meetings=sorted(notes["meeting"].dropna().unique()))
    with compare_col:
        latest = comparison_rows(rows, indicator_id)
        st.markdown(f"**Vergeleken, {label(latest['period'].iloc[0])}**")
        chart = comparison_spec(latest, indicator.name, indicator.unit)
        chart_with_data(chart, latest, key=f"vergelijk_{indicator_id}",
                        alt_text=f"Staafgrafiek: {indicator.name.lower()} per gebied, hoogste bovenaan.")
        add_to_presentation("vergelijking", indicator_id, f"vergelijk_{indicator_id}")
