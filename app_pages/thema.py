"""One theme of the chosen framework: its goals with status, trends, and the municipalities compared.

On the big screen (presentation mode) the same content is a sequence of views: the theme, each goal, and
each chart, stepped like slides.
"""

import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.periods import label, sort_key
from dashboard.analysis.selection import comparison_rows, framework_areas_with_references, indicator_rows
from dashboard.markdown_text import escape
from dashboard.views import page_context
from dashboard.views.goal_cards import badge_markdown, goal_card
from dashboard.views.indicator_views import comparison_view, goal_lines, references_for, trend_view
from dashboard.views.notes import note_form, notes_beside_chart, notes_for
from dashboard.views.overview import municipality_goals, summary_text
from dashboard.views.slides import heading, step_through
from dashboard.views.staff import current_user
from dashboard.views.widgets import add_to_presentation

catalog = app_data.catalog()
framework = page_context.framework()
theme = page_context.current_theme()
municipality = page_context.municipality()
table = app_data.goal_table(framework)
notes = app_data.notes()
user = current_user(app_data.settings())
presenting = state.presentation_mode()
goals = municipality_goals(table, municipality.code, framework, catalog).of_theme(theme.id)
goal_for_indicator = {i: g for g in theme.goals for i in g.indicators}
areas = framework_areas_with_references(framework, catalog)
references = references_for(municipality, catalog)
# Only the theme's indicators for the framework's areas, the goals' 0-meting areas and the chosen municipality.
values = app_data.values(theme.all_indicators, [*areas, *(a for g in theme.goals for a in g.baseline_areas),
                                                 municipality.code])
indicator_data = {i: indicator_rows(values, i, areas) for i in theme.all_indicators}
with_data = [i for i, rows in indicator_data.items() if not rows.empty]


def introduction() -> None:
    st.title(escape(theme.name))
    st.caption(f"{escape(framework.theme_label)} uit {escape(framework.name)} · {escape(municipality.name)}")
    st.markdown(f"**Ambitie.** {escape(theme.ambition)}")
    summary = summary_text(goals, municipality.name, catalog)
    if summary:
        st.markdown(f"**Hoe staan de doelen ervoor?** {summary}.")
    if theme.goals and not presenting:
        st.header("Doelen")
    elif presenting:
        for goal in theme.goals:
            own = goals.own[goals.own["doel_id"] == goal.id]
            regional = goals.regional[goals.regional["doel_id"] == goal.id]
            statuses = dict.fromkeys([*own["status"], *regional["status"]])
            st.markdown(f"- **{escape(goal.name)}** " + " ".join(badge_markdown(s) for s in statuses))


def goal_step(goal) -> None:
    rows = table[table["doel_id"] == goal.id]
    if presenting:  # on the big screen only what holds for the chosen municipality (and its region)
        rows = rows[rows.index.isin(goals.own.index) | rows.index.isin(goals.regional.index)]
    goal_card(goal, rows, municipality.code)


def trend_step(indicator_id: str) -> None:
    indicator = catalog.indicators[indicator_id]
    rows = indicator_data[indicator_id]
    goal = goal_for_indicator.get(indicator_id)
    focus = [municipality.code, *(goal.baseline_areas if goal else ())]
    heading(f"{escape(indicator.name)}: door de tijd" if presenting else escape(indicator.name))
    st.caption(escape(indicator.description))
    trend_col, compare_col = (st.container(), None) if presenting else st.columns(2)
    shown_notes = notes_for(notes, indicator_id, list(rows["area_code"].unique()))
    with trend_col:
        if not presenting:
            st.markdown("**Door de tijd**")
        trend_view(indicator, rows, f"trend_{indicator_id}", goal_lines(goal, indicator_id, values, focus, catalog),
                   notes=shown_notes)
        add_to_presentation("trend", indicator_id, f"trend_{indicator_id}")
        notes_beside_chart(shown_notes)
        if user:
            with st.popover("Notitie toevoegen", icon=":material/edit_note:"):
                area_names = dict(zip(rows["area_code"], rows["area_name"], strict=True))
                periods = sorted(rows["period"].unique(), key=sort_key)
                note_form(user, indicator_id, indicator_id=indicator_id, area_options=area_names,
                          default_area=municipality.code, period_options=periods,
                          meetings=sorted(notes["meeting"].dropna().unique()))
    if compare_col is not None:
        with compare_col:
            comparison_step(indicator_id)


def comparison_step(indicator_id: str) -> None:
    indicator = catalog.indicators[indicator_id]
    latest = comparison_rows(indicator_data[indicator_id], indicator_id)
    if presenting:
        heading(f"{escape(indicator.name)}: vergeleken, {label(latest['period'].iloc[0])}")
    else:
        st.markdown(f"**Vergeleken, {label(latest['period'].iloc[0])}**")
    comparison_view(indicator, latest, municipality, references, f"vergelijk_{indicator_id}")
    add_to_presentation("vergelijking", indicator_id, f"vergelijk_{indicator_id}")


def without_data() -> None:
    if presenting:
        heading("Nog zonder cijfers")
    if not theme.all_indicators:
        st.info("Bij dit onderdeel horen geen cijfermatige indicatoren; het wordt gevolgd met verhalen en gesprekken.")
    for indicator_id in (i for i in theme.all_indicators if i not in with_data):
        indicator = catalog.indicators[indicator_id]
        if presenting:
            st.markdown(f"- **{escape(indicator.name)}**: nog geen cijfers (bron: {escape(indicator.source)})")
            continue
        st.subheader(escape(indicator.name))
        st.caption(escape(indicator.description))
        st.info(f"Geen gegevens voor {escape(indicator.name.lower())}. De bron is {escape(indicator.source)}; "
                "nieuwe cijfers kunnen op de pagina Gegevens worden ingelezen.")


steps = [(theme.short_name, introduction)]
steps += [(goal.name, lambda g=goal: goal_step(g)) for goal in theme.goals]
if presenting:
    for indicator_id in with_data:
        steps.append((f"{indicator_id} trend", lambda i=indicator_id: trend_step(i)))
        steps.append((f"{indicator_id} vergelijking", lambda i=indicator_id: comparison_step(i)))
    if len(with_data) < len(theme.all_indicators) or not theme.all_indicators:
        steps.append(("zonder cijfers", without_data))
else:
    steps.append(("zonder cijfers", lambda: st.header("Ontwikkeling en vergelijking")))
    steps += [(i, lambda i=i: trend_step(i)) for i in with_data]
    steps.append(("zonder cijfers", without_data))
step_through(steps, escape(theme.name))
