"""Vergelijken: one indicator in one period across municipalities, the region and the Netherlands."""

import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.periods import label
from dashboard.analysis.selection import comparison_rows, framework_areas_with_references
from dashboard.markdown_text import escape
from dashboard.views import page_context
from dashboard.views.indicator_views import comparison_view, references_for
from dashboard.views.widgets import add_to_presentation

catalog = app_data.catalog()
framework = page_context.framework()
municipality = page_context.municipality()
# The catalog knows every municipality of the Netherlands; the comparison is the framework's own.
AREAS = framework_areas_with_references(framework, catalog)
presenting = state.presentation_mode()

if not presenting:
    st.title("Vergelijken")
    st.markdown(f"Eén indicator in één periode: de gemeenten van {escape(framework.short_name)} die het cijfer hebben, "
                "met de regio en Nederland.")

present = app_data.indicators_with_data(areas=AREAS)
with_data = [i for i in catalog.indicators if i in present]
if not with_data:
    st.title("Vergelijken")
    st.info("Er zijn nog geen cijfers om te vergelijken; lees ze in op de pagina Gegevens.")
    st.stop()
own = app_data.indicators_with_data(areas=[municipality.code])
state.bind("indicator", with_data, "overgewicht_5_14_pct" if "overgewicht_5_14_pct" in with_data else with_data[0])
if not presenting:  # on the big screen the link decides; no controls
    st.selectbox("Indicator", with_data, key="indicator", placeholder="Kies een indicator",
                 format_func=lambda i: catalog.indicators[i].name
                 + ("" if i in own else f" (geen cijfer voor {escape(municipality.name)})"))
indicator_id = st.session_state["indicator"]
periods = app_data.periods(indicator_id, AREAS)
own_periods = app_data.periods(indicator_id, [municipality.code])
if st.session_state.get("periode") not in periods:
    st.session_state.pop("periode", None)
state.bind("periode", periods, (own_periods or periods)[-1])
if not presenting:
    st.selectbox("Periode", periods, key="periode", format_func=label, placeholder="Kies een periode")
period = st.session_state["periode"]
state.write_url({"indicator": indicator_id, "periode": period})

indicator = catalog.indicators[indicator_id]
rows = comparison_rows(app_data.values([indicator_id], AREAS, [period]), indicator_id, period)
(st.title if presenting else st.header)(f"{escape(indicator.name)}, {label(period)}")
st.caption(escape(indicator.description))
if rows[rows["area_level"] == "gemeente"].empty:
    st.info("Voor deze periode is dit cijfer alleen bekend voor regio's of vergelijkingsgroepen.")
comparison_view(indicator, rows, municipality, references_for(municipality, catalog), f"vergelijken_{indicator_id}")
add_to_presentation("vergelijking", indicator_id, f"vergelijken_{indicator_id}")
