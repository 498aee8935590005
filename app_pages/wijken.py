"""Wijken: the wijken of the chosen municipality, and which wijk figures are available."""

import pydeck as pdk
import streamlit as st

from dashboard import app_data
from dashboard.geo import ATTRIBUTION, WIJKEN_FILE, BoundaryError, center_of, read_boundaries, wijken_of
from dashboard.views import page_context
from dashboard.views.widgets import display_table

catalog = app_data.catalog()
municipality = page_context.municipality()
observations = app_data.observations()

st.title("Wijken")
st.caption(f"Wijken van {municipality.name}")

try:
    wijken = wijken_of(read_boundaries(app_data.settings().geo_path, WIJKEN_FILE), municipality.code)
except BoundaryError as exc:
    st.error(f"De wijkgrenzen kunnen niet worden geladen. {exc}")
    st.stop()

if not wijken["features"]:
    st.info(f"Het grenzenbestand bevat geen wijken van {municipality.name}.")
    st.stop()

wijk_rows = observations[(observations["area_level"] == "wijk")
                         & observations["area_code"].isin([f["properties"]["statcode"] for f in wijken["features"]])]
names = sorted(f["properties"]["statnaam"] for f in wijken["features"])
left, right = st.columns([2, 1])
with left:
    lon, lat = center_of(wijken)
    layer = pdk.Layer("GeoJsonLayer", wijken, stroked=True, filled=True, get_fill_color=[200, 200, 200, 90],
                      get_line_color=[40, 40, 40], line_width_min_pixels=1, pickable=True)
    st.pydeck_chart(pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=11),
                             map_style=None, tooltip={"text": "{statnaam} ({statcode})"}), height=480)
    st.caption(ATTRIBUTION)
with right:
    st.metric("Wijken", len(names))
    st.markdown("\n".join(f"- {name}" for name in names))

st.subheader("Cijfers per wijk")
if wijk_rows.empty:
    st.info(
        f"Er zijn nog geen cijfers per wijk voor {municipality.name}. Nodig is een bestand met per wijk "
        "(wijkcode WK…… of wijknaam), periode en waarde, en bij aantallen de teller en noemer. Kleine aantallen "
        f"(onder {app_data.settings().privacy_threshold}) worden nooit getoond."
    )
    st.page_link("app_pages/gegevens.py", label="Naar Gegevens", icon=":material/database:")
else:
    st.dataframe(display_table(wijk_rows), hide_index=True, width="stretch")
