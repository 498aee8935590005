"""Vergelijken: one indicator in one period across municipalities, the region and the Netherlands."""

import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.periods import label
from dashboard.analysis.selection import comparison_rows, framework_areas_with_references
from dashboard.markdown_text import escape
from dashboard.views import page_context
from dashboard.views.charts import comparison_spec
from dashboard.views.widgets import add_to_presentation, chart_with_data

catalog = app_data.catalog()
framework = page_context.framework()
# The catalog knows every municipality of the Netherlands; the comparison is the framework's own.
AREAS = framework_areas_with_references(framework, catalog)

st.title("Vergelijken")
st.markdown(f"Eén indicator in één periode: de gemeenten van {framework.short_name} die het cijfer hebben, met de "
            "regio en Nederland.")

present = app_data.indicators_with_data(areas=AREAS)
with_data = [i for i in catalog.indicators if i in present]
if not with_data:
    st.info("Er zijn nog geen cijfers om te vergelijken; lees ze in op de pagina Gegevens.")
    st.stop()
state.bind("indicator", with_data, "overgewicht_5_14_pct" if "overgewicht_5_14_pct" in with_data else with_data[0])
indicator_id = st.selectbox("Indicator", with_data, key="indicator",
                            format_func=lambda i: catalog.indicators[i].name)
periods = app_data.periods(indicator_id, AREAS)
if st.session_state.get("periode") not in periods:
    st.session_state.pop("periode", None)
state.bind("periode", periods, periods[-1])
period = st.selectbox("Periode", periods, key="periode", format_func=label)
state.write_url({"indicator": indicator_id, "periode": period})

indicator = catalog.indicators[indicator_id]
rows = comparison_rows(app_data.values([indicator_id], AREAS, [period]), indicator_id, period)
st.subheader(f"{escape(indicator.name)}, {label(period)}")
st.caption(escape(indicator.description))
municipalities = rows[rows["area_level"] == "gemeente"]
if municipalities.empty:
    st.info("Voor deze periode is dit cijfer alleen bekend voor regio's of vergelijkingsgroepen.")
chart_with_data(
    comparison_spec(rows, indicator.name, indicator.unit), rows, key=f"vergelijken_{indicator_id}",
    alt_text=f"Staafgrafiek: {indicator.name.lower()} per gebied in {label(period)}, hoogste bovenaan.",
)
add_to_presentation("vergelijking", indicator_id, f"vergelijken_{indicator_id}")
