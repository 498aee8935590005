"""Hefboom KPI's en informatie: every goal and KPI of the chosen framework with its status."""

from functools import partial

import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.goals import series
from dashboard.analysis.targets import Status
from dashboard.exports import to_csv_bytes, to_xlsx_bytes
from dashboard.formatting import format_observation
from dashboard.markdown_text import escape
from dashboard.views import frameworks, page_context
from dashboard.views.slides import heading, step_through

catalog = app_data.catalog()
framework = page_context.framework()
steering_lever = next(lv for lv in catalog.steering.levers if lv.id == "kpi")
table = app_data.goal_table(framework)
values = app_data.values(app_data.goal_indicators(framework), app_data.goal_areas(framework))

if not state.presentation_mode():
    st.title("KPI's en informatie")
    st.markdown(steering_lever.description)
    frameworks.plan_on_lever(framework, "kpi")
    st.caption(f"Alle doelen en KPI's uit {escape(framework.name)}; wat aandacht nodig heeft staat bovenaan.")

ALL = "alle"
area_options = [ALL, *dict.fromkeys(c for c in table["gebied_code"].dropna())]
theme_options = [ALL, *(t.id for t in framework.themes)]
status_options = [str(s) for s in Status]
presenting = state.presentation_mode()
state.bind("kpi_gebied", area_options, ALL)
state.bind("thema", theme_options, ALL)
state.list_choice("kpi_status", status_options, status_options)
if not presenting:  # on the big screen the link decides the filters; no controls
    c1, c2, c3 = st.columns([1, 1, 2])  # four status chips side by side, none cut ('kwalit…')
    c1.selectbox("Gebied", area_options, key="kpi_gebied", placeholder="Kies een gebied",
                 format_func=lambda c: "Alle gebieden" if c == ALL else catalog.areas[c].name)
    c2.selectbox("Thema", theme_options, key="thema", placeholder="Kies een thema",
                 format_func=lambda t: "Alle thema's" if t == ALL else framework.theme(t).short_name)
    c3.multiselect("Status", status_options, key="kpi_status", placeholder="Kies een of meer statussen")
chosen_status = st.session_state["kpi_status"]
state.write_url({"kpi_gebied": st.session_state["kpi_gebied"], "thema": st.session_state["thema"],
                 "kpi_status": [] if set(chosen_status) == set(status_options) else list(chosen_status)})

shown = table
if st.session_state["kpi_gebied"] != ALL:
    shown = shown[shown["gebied_code"].isna() | (shown["gebied_code"] == st.session_state["kpi_gebied"])]
if st.session_state["thema"] != ALL:
    shown = shown[shown["thema_id"] == st.session_state["thema"]]
shown = shown[shown["status"].isin(chosen_status)]

if shown.empty:
    st.info("Geen doelen bij deze keuze.")
    st.stop()


def trend(indicator_id: str | None, area_code: str | None) -> list[float]:
    if not indicator_id or not area_code:
        return []
    points = [m.value for m in series(values, indicator_id, area_code)]
    return points if len(points) > 1 else []  # one measurement is no trend: no flat line


def kpi_steps(frame) -> None:
    """On the big screen: the goals eight at a time, as a plain table that needs no scrolling."""
    plain = frame.drop(columns=["Trend", "doel_tekst", "toelichting"]).rename(columns={
        "status": "Status", "doel": "Doel", "indicator": "Indicator", "gebied": "Gebied"})
    pages = [plain.iloc[i:i + 8] for i in range(0, len(plain), 8)]

    def draw(number: int, part) -> None:
        st.title(f"KPI's en informatie ({number} van {len(pages)})")
        st.caption(f"Doelen en KPI's uit {escape(framework.name)}; wat aandacht nodig heeft staat bovenaan.")
        st.table(part.set_index("Status"))

    def plan_texts() -> None:
        heading("KPI's en informatie")
        frameworks.plan_on_lever(framework, "kpi")

    plan_step = [("uit het plan", plan_texts)] if any(lever == "kpi" for lever, _ in framework.lever_texts) else []
    step_through([*plan_step, *((f"deel {n}", lambda n=n, p=p: draw(n, p)) for n, p in enumerate(pages, 1))],
                 "KPI's en informatie")


display = shown.assign(
    **{
        "0-meting": [format_observation(v, u, hi, est) if u else "" for v, u, hi, est in zip(
            shown["nulmeting"], shown["eenheid"], shown["nulmeting_boven"], shown["nulmeting_schatting"], strict=True)],
        "Laatste": [format_observation(v, u, hi, est) if u else "" for v, u, hi, est in zip(
            shown["laatste"], shown["eenheid"], shown["laatste_boven"], shown["laatste_schatting"], strict=True)],
        "Trend": [trend(i, a) for i, a in zip(shown["indicator_id"], shown["gebied_code"], strict=True)],
    }
)[["status", "doel", "indicator", "gebied", "0-meting", "Laatste", "Trend", "doel_tekst", "toelichting"]]
if presenting:
    kpi_steps(display)
    st.stop()
st.dataframe(
    display,
    hide_index=True,
    width="stretch",
    row_height=84,  # above 4rem Streamlit wraps text: the goal and its norm are read whole, not cut off
    column_config={  # widths in pixels that add up to the content width at 1920x1080: no sideways scrolling
        "status": st.column_config.TextColumn("Status", width=125),
        "doel": st.column_config.TextColumn("Doel", width=190),
        "indicator": st.column_config.TextColumn("Indicator", width=190),
        "gebied": st.column_config.TextColumn("Gebied", width=100),
        "0-meting": st.column_config.TextColumn("0-meting", width=90),
        "Laatste": st.column_config.TextColumn("Laatste", width=90),
        "Trend": st.column_config.LineChartColumn("Trend", width=90),
        "doel_tekst": st.column_config.TextColumn("Wanneer zijn we tevreden", width=320),
        "toelichting": st.column_config.TextColumn("Toelichting", width=230),
    },
)
st.caption(f"{len(shown)} regels · bron van de doelen: {escape(framework.name)}; bron van de cijfers: zie Bronnen.")
download = shown.drop(columns=["thema_id"])
left, right, _ = st.columns([1, 1, 4])
left.download_button("CSV", partial(to_csv_bytes, download), "kpis.csv", "text/csv", icon=":material/download:")
right.download_button("Excel", partial(to_xlsx_bytes, download, "kpis"), "kpis.xlsx", icon=":material/download:",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
