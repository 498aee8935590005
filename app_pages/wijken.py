"""Wijken: two maps of wijken side by side (two periods, two indicators or two municipalities)."""

import pandas as pd
import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.maps import join_values, scale_for
from dashboard.analysis.periods import label, sort_key
from dashboard.geo import ATTRIBUTION, BoundaryError, missing_wijken_help
from dashboard.ingest.mapping import is_defined_area
from dashboard.markdown_text import escape
from dashboard.views import page_context
from dashboard.views.maps import choropleth, map_legend, municipality_map
from dashboard.views.slides import heading, step_through
from dashboard.views.widgets import add_to_presentation, display_table, source_line

catalog = app_data.catalog()
municipality = page_context.municipality()
WIJK = ("wijk",)

presenting = state.presentation_mode()


def wijk_maps() -> None:
    """Two wijk maps side by side; without boundaries or wijk figures it says what is needed."""
    st.title("Wijken")
    st.caption(f"Waar verschillen de wijken van {escape(municipality.name)}? Twee kaarten naast elkaar.")
    try:
        shapes = app_data.wijk_shapes(municipality.code)
    except BoundaryError as exc:
        st.error(f"De wijkgrenzen kunnen niet worden geladen. {exc}")
        st.markdown(missing_wijken_help(escape(municipality.name), municipality.code))
        return
    if not shapes["features"]:
        st.warning(f"De wijkgrenzen van {escape(municipality.name)} zijn er nog niet: het grenzenbestand heeft "
                   f"geen wijken van {escape(municipality.name)} ({municipality.code}).", icon=":material/map:")
        st.markdown(missing_wijken_help(escape(municipality.name), municipality.code))
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
        st.caption(f"De kaart heeft {len(shapes['features'])} wijken van {escape(municipality.name)}. {ATTRIBUTION}")
        return

    MODES = {"perioden": "Twee perioden", "indicatoren": "Twee indicatoren", "gemeenten": "Twee gemeenten"}
    state.bind("indicator", indicators, indicators[0])
    # With one period (as the shipped CBS figures) two periods would show the same map twice.
    several_periods = len(app_data.periods(st.session_state["indicator"], levels=WIJK)) > 1
    state.bind("vergelijk", list(MODES), "perioden" if several_periods else "indicatoren")
    if not presenting:
        st.segmented_control("Vergelijk", list(MODES), key="vergelijk", format_func=MODES.get)
    mode = st.session_state.get("vergelijk") or "perioden"

    c1, c2 = st.columns(2)
    if not presenting:
        c1.selectbox("Indicator", indicators, key="indicator", placeholder="Kies een indicator",
                     format_func=lambda i: catalog.indicators[i].name)
    left_indicator = st.session_state["indicator"]
    right_indicator = left_indicator
    if mode == "indicatoren":
        state.bind("indicator2", indicators, indicators[-1])
        if not presenting:
            c2.selectbox("Tweede indicator", indicators, key="indicator2", placeholder="Kies een indicator",
                         format_func=lambda i: catalog.indicators[i].name)
        right_indicator = st.session_state["indicator2"]

    municipalities_with_data = app_data.municipalities_with_wijk_data()
    right_municipality = municipality.code
    if mode == "gemeenten":
        options = [c for c in municipalities_with_data if c != municipality.code] or [municipality.code]
        state.bind("gemeente2", options, options[0])
        if not presenting:
            c2.selectbox("Tweede gemeente", options, key="gemeente2", placeholder="Kies een gemeente",
                         format_func=lambda c: catalog.areas[c].name)
        right_municipality = st.session_state["gemeente2"]

    left_periods = app_data.periods(left_indicator, levels=WIJK)
    # Older period on the left, newer on the right, as a reader expects time to run.
    state.bind("periode", left_periods, left_periods[-2] if len(left_periods) > 1 else left_periods[-1])
    if not presenting:
        c1.selectbox("Periode", left_periods, key="periode", format_func=label, placeholder="Kies een periode")
    left_period = st.session_state["periode"]
    right_periods = app_data.periods(right_indicator, levels=WIJK)
    right_period = left_period if left_period in right_periods else right_periods[-1]
    if mode == "perioden":
        state.bind("periode2", right_periods, right_periods[-1])
        if not presenting:
            c2.selectbox("Tweede periode", right_periods, key="periode2", format_func=label,
                         placeholder="Kies een periode")
        right_period = st.session_state["periode2"]
        if sort_key(right_period) < sort_key(left_period):  # whichever was chosen first: older left
            left_period, right_period = right_period, left_period
        if len(right_periods) == 1:
            st.info(f"Van deze indicator zijn alleen cijfers over {label(right_period)}: beide kaarten tonen "
                    "hetzelfde. Kies ‘Twee indicatoren’ of ‘Twee gemeenten’ om te vergelijken.")
    state.write_url({k: str(st.session_state[k]) for k in ("vergelijk", "indicator", "indicator2", "periode",
                                                              "periode2", "gemeente2") if k in st.session_state})


    def side(gemeentecode: str, indicator_id: str, period: str):
        shapes_ = shapes if gemeentecode == municipality.code else app_data.wijk_shapes(gemeentecode)
        codes = {f["properties"]["statcode"] for f in shapes_["features"]}
        # Wijken without boundaries (one staff defined in an upload): not on the map, but in the table below.
        codes |= {a.code for a in catalog.areas.values()
                  if a.level == "wijk" and a.parent == gemeentecode and is_defined_area(a.code)}
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
    *columns, legend_slot = st.columns([5, 5, 2]) if same_indicator else [*st.columns(2), None]
    for column, (code, indicator_id, period, shapes_, rows, scale) in zip(columns, sides, strict=True):
        indicator = catalog.indicators[indicator_id]
        with column:
            st.header(f"{escape(catalog.areas[code].name)} · {label(period)}")
            st.caption(escape(indicator.name))
            # On the big screen the legend column is wider: its 24 px lines would otherwise wrap below the map.
            map_col, legend_col = (st.columns([2, 1] if presenting else [3, 1]) if not same_indicator
                                   else (st.container(), None))
            # Names on hover and in the table below: written on the map they overlap in small wijken.
            map_col.pydeck_chart(choropleth(join_values(shapes_, rows, indicator.unit, scale)),
                                 height=380 if presenting else 460)
            if legend_col is not None:
                with legend_col:
                    map_legend(scale, indicator.unit, list(rows["value"]))
            st.caption(source_line(rows) + f" · {ATTRIBUTION}")
    if same_indicator:
        with legend_slot:
            map_legend(shared, catalog.indicators[left_indicator].unit,
                       list(left_rows["value"]) + list(right_rows["value"]))
            st.caption("Eén kleurschaal voor beide kaarten, zodat kleuren te vergelijken zijn.")
    if presenting:
        return
    st.subheader("De cijfers van de kaarten")
    both = pd.concat([left_rows, right_rows]).drop_duplicates(["indicator_id", "area_code", "period"])
    st.dataframe(display_table(both).rename(columns={"Gebied": "Wijk"}), hide_index=True, width="stretch")


def province_maps() -> None:
    """The municipalities of the chosen municipality's province on one map, for one indicator."""
    province = app_data.province_of(municipality.code)
    if province is None:
        heading("Gemeenten in de provincie")
        st.info(f"Bij {escape(municipality.name)} is geen provincie bekend; de kaart per gemeente is er daarom niet.")
        return
    heading(f"Gemeenten in {escape(catalog.areas[province].name)}")
    members = catalog.areas[province].members
    coverage = app_data.area_counts(members).set_index("indicator_id")["areas"]
    municipal_indicators = [i for i in catalog.indicators if i in coverage.index]
    if not municipal_indicators:
        st.info(f"Er zijn nog geen cijfers per gemeente in {escape(catalog.areas[province].name)}.")
        return
    state.bind("nh_indicator", municipal_indicators, max(municipal_indicators, key=lambda i: coverage[i]))
    if not presenting:
        st.selectbox("Indicator per gemeente", municipal_indicators, key="nh_indicator",
                     placeholder="Kies een indicator", format_func=lambda i: catalog.indicators[i].name)
    nh_indicator = st.session_state["nh_indicator"]
    state.write_url({"nh_indicator": nh_indicator})
    # The newest period with figures for the most municipalities (a document may give one municipality a newer
    # year).
    per_period = app_data.area_counts(members, by_period=True)
    nh_counts = per_period[per_period["indicator_id"] == nh_indicator].set_index("period")["areas"]
    nh_periods = app_data.periods(nh_indicator, members)
    nh_period = max(nh_periods, key=lambda p: (nh_counts.get(p, 0), nh_periods.index(p)))
    nh_rows = app_data.values([nh_indicator], members, [nh_period])
    st.caption(f"{escape(catalog.indicators[nh_indicator].name)}, {label(nh_period)}")
    try:
        municipality_map(nh_rows, catalog.indicators[nh_indicator].unit, height=440 if presenting else 520,
                         region=province)
        add_to_presentation("kaart", nh_indicator, f"kaart_{nh_indicator}")
    except BoundaryError as exc:
        st.error(f"De gemeentegrenzen kunnen niet worden geladen. {exc}")


step_through([("Wijken", wijk_maps), ("Provincie", province_maps)], "Wijken")
