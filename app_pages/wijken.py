"""Wijken: two maps of wijken side by side (two periods, two indicators or two municipalities)."""

import pandas as pd
import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.maps import join_values, scale_for
from dashboard.analysis.periods import label
from dashboard.geo import ATTRIBUTION, BoundaryError, missing_wijken_help, payload_bytes
from dashboard.markdown_text import escape
from dashboard.views import page_context
from dashboard.views.maps import choropleth, legend, municipality_map
from dashboard.views.widgets import add_to_presentation, display_table, source_line

catalog = app_data.catalog()
municipality = page_context.municipality()
WIJK = ("wijk",)

st.title("Wijken")
st.caption(f"Waar verschillen de wijken van {municipality.name}? Twee kaarten naast elkaar.")

def wijk_maps() -> None:
    """Two wijk maps side by side; without boundaries or wijk figures it says what is needed."""
    try:
        shapes = app_data.wijk_shapes(municipality.code)
    except BoundaryError as exc:
        st.error(f"De wijkgrenzen kunnen niet worden geladen. {exc}")
        st.markdown(missing_wijken_help(municipality.name, municipality.code))
        return
    if not shapes["features"]:
        st.warning(f"De wijkgrenzen van {municipality.name} zijn er nog niet: het grenzenbestand heeft geen wijken "
                   f"van {municipality.name} ({municipality.code}).", icon=":material/map:")
        st.markdown(missing_wijken_help(municipality.name, municipality.code))
        return

    with_wijk_data = app_data.indicators_with_data(levels=WIJK)
    indicators = [i for i in catalog.indicators if i in with_wijk_data]
    if not indicators:
        st.info(
            f"Er zijn nog geen cijfers per wijk. Nodig is een bestand met per wijk (wijkcode WK…… of wijknaam), "
            "periode en waarde, en bij percentages de teller en noemer. Het sjabloon en het inlezen staan op de "
            f"pagina Gegevens. Aantallen onder {app_data.settings().privacy_threshold} worden nooit getoond."
        )
        st.page_link("app_pages/gegevens.py", label="Naar Gegevens", icon=":material/database:")
        st.caption(f"De kaart heeft {len(shapes['features'])} wijken van {municipality.name}. {ATTRIBUTION}")
        return

    MODES = {"perioden": "Twee perioden", "indicatoren": "Twee indicatoren", "gemeenten": "Twee gemeenten"}
    state.bind("indicator", indicators, indicators[0])
    # With one period (as the shipped CBS figures) two periods would show the same map twice.
    several_periods = len(app_data.periods(st.session_state["indicator"], levels=WIJK)) > 1
    state.bind("vergelijk", list(MODES), "perioden" if several_periods else "indicatoren")
    mode = st.segmented_control("Vergelijk", list(MODES), key="vergelijk", format_func=MODES.get) or "perioden"

    c1, c2 = st.columns(2)
    left_indicator = c1.selectbox("Indicator", indicators, key="indicator",
                                  format_func=lambda i: catalog.indicators[i].name)
    right_indicator = left_indicator
    if mode == "indicatoren":
        state.bind("indicator2", indicators, indicators[-1])
        right_indicator = c2.selectbox("Tweede indicator", indicators, key="indicator2",
                                       format_func=lambda i: catalog.indicators[i].name)

    municipalities_with_data = app_data.municipalities_with_wijk_data()
    right_municipality = municipality.code
    if mode == "gemeenten":
        options = [c for c in municipalities_with_data if c != municipality.code] or [municipality.code]
        state.bind("gemeente2", options, options[0])
        right_municipality = c2.selectbox("Tweede gemeente", options, key="gemeente2",
                                          format_func=lambda c: catalog.areas[c].name)

    left_periods = app_data.periods(left_indicator, levels=WIJK)
    state.bind("periode", left_periods, left_periods[-1])
    left_period = c1.selectbox("Periode", left_periods, key="periode", format_func=label)
    right_periods = app_data.periods(right_indicator, levels=WIJK)
    right_period = left_period if left_period in right_periods else right_periods[-1]
    if mode == "perioden":
        state.bind("periode2", right_periods, right_periods[0])
        right_period = c2.selectbox("Tweede periode", right_periods, key="periode2", format_func=label)
        if len(right_periods) == 1:
            st.info(f"Van deze indicator zijn alleen cijfers over {label(right_period)}: beide kaarten tonen "
                    "hetzelfde. Kies ‘Twee indicatoren’ of ‘Twee gemeenten’ om te vergelijken.")
    state.write_url({k: str(st.session_state[k]) for k in ("vergelijk", "indicator", "indicator2", "periode",
                                                              "periode2", "gemeente2") if k in st.session_state})


    def side(gemeentecode: str, indicator_id: str, period: str):
        shapes_ = shapes if gemeentecode == municipality.code else app_data.wijk_shapes(gemeentecode)
        codes = {f["properties"]["statcode"] for f in shapes_["features"]}
        rows = app_data.values([indicator_id], codes, [period], levels=WIJK)
        return shapes_, rows

    left_shapes, left_rows = side(municipality.code, left_indicator, left_period)
    right_shapes, right_rows = side(right_municipality, right_indicator, right_period)
    same_indicator = left_indicator == right_indicator
    shared = scale_for(left_rows, right_rows) if same_indicator else None
    sides = [
        (municipality.code, left_indicator, left_period, left_shapes, left_rows, shared or scale_for(left_rows)),
        (right_municipality, right_indicator, right_period, right_shapes, right_rows, shared or scale_for(right_rows)),
    ]
    columns = st.columns(2)
    for column, (code, indicator_id, period, shapes_, rows, scale) in zip(columns, sides, strict=True):
        indicator = catalog.indicators[indicator_id]
        with column:
            st.subheader(f"{catalog.areas[code].name} · {label(period)}")
            st.caption(escape(indicator.name))
            st.pydeck_chart(choropleth(join_values(shapes_, rows, indicator.unit, scale)), height=460)
            if not same_indicator:
                st.altair_chart(legend(scale, indicator.unit), width="stretch")
            st.caption(source_line(rows) + f" · {ATTRIBUTION}")
    if same_indicator:
        st.altair_chart(legend(shared, catalog.indicators[left_indicator].unit), width="stretch")
        st.caption("Eén kleurschaal voor beide kaarten, zodat kleuren te vergelijken zijn.")
    sent = payload_bytes(left_shapes) + (payload_bytes(right_shapes) if right_shapes is not left_shapes else 0)
    st.caption(f"Kaartgegevens naar de browser: {sent / 1000:.0f} kB "
               "(vereenvoudigde grenzen, alleen de getoonde wijken).")

    st.subheader("De cijfers van de kaarten")
    both = pd.concat([left_rows, right_rows]).drop_duplicates(["indicator_id", "area_code", "period"])
    st.dataframe(display_table(both), hide_index=True, width="stretch")


wijk_maps()

st.header("Gemeenten in Noord-Holland")
nh_members = catalog.areas[app_data.NOORD_HOLLAND].members
coverage = app_data.area_counts(nh_members).set_index("indicator_id")["areas"]
municipal_indicators = [i for i in catalog.indicators if i in coverage.index]
state.bind("nh_indicator", municipal_indicators, max(municipal_indicators, key=lambda i: coverage[i]))
nh_indicator = st.selectbox("Indicator per gemeente", municipal_indicators, key="nh_indicator",
                            format_func=lambda i: catalog.indicators[i].name)
state.write_url({"nh_indicator": nh_indicator})
# The newest period with figures for the most municipalities (a document may give one municipality a newer year).
per_period = app_data.area_counts(nh_members, by_period=True)
nh_counts = per_period[per_period["indicator_id"] == nh_indicator].set_index("period")["areas"]
nh_periods = app_data.periods(nh_indicator, nh_members)
nh_period = max(nh_periods, key=lambda p: (nh_counts[p], nh_periods.index(p)))
nh_rows = app_data.values([nh_indicator], nh_members, [nh_period])
try:
    municipality_map(nh_rows, catalog.indicators[nh_indicator].unit)
    add_to_presentation("kaart", nh_indicator, f"kaart_{nh_indicator}")
except BoundaryError as exc:
    st.error(f"De gemeentegrenzen kunnen niet worden geladen. {exc}")
