"""Map builders (pydeck) and the legend that goes with them."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import pydeck as pdk

from dashboard.analysis.maps import NO_DATA_COLOR, SCALE, SUPPRESSED_COLOR, ColorScale
from dashboard.formatting import NO_DATA, SUPPRESSED, format_value
from dashboard.geo import center_of

TOOLTIP = {
    "html": "<b>{statnaam}</b><br/>{waarde}<br/>{periode}<br/>Bron: {bron}",
    "style": {"fontSize": "15px", "backgroundColor": "#111", "color": "#fff"},
}


def choropleth(collection: dict[str, Any], zoom: float = 11.2) -> pdk.Deck:
    """The areas coloured by value; the name, value, period and source of each area on hover."""
    lon, lat = center_of(collection)
    layers = [pdk.Layer(
        "GeoJsonLayer", collection, pickable=True, stroked=True, filled=True,
        get_fill_color="properties.kleur", get_line_color=[40, 40, 40], line_width_min_pixels=1, opacity=0.85,
    )]
    return pdk.Deck(layers=layers, initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom),
                    map_style=None, tooltip=TOOLTIP)


def legend_entries(scale: ColorScale | None, unit: str, values: list[float] | None = None
                   ) -> list[tuple[str, tuple[int, int, int]]]:
    """The colour classes with their ranges: only classes that hold a shown value; for counts the range is
    the whole numbers of the areas in it ('176 – 402'), never a fraction of a person."""
    entries: list[tuple[str, tuple[int, int, int]]] = []
    if scale is not None:
        shown = [v for v in (values or []) if v == v]
        for (lo, hi), color in zip(scale.bins(), SCALE, strict=True):
            members = [v for v in shown if scale.color(v) == color]
            if values is not None and not members:
                continue
            if unit == "count" and members:
                low, high = round(min(members)), round(max(members))
                text = format_value(low, unit) if low == high else \
                    f"{format_value(low, unit)} – {format_value(high, unit)}"
            else:
                text = f"{format_value(lo, unit)} – {format_value(hi, unit)}"
            entries.append((text, color))
    return [*entries, (f"{SUPPRESSED} of ter bescherming verborgen", SUPPRESSED_COLOR), (NO_DATA, NO_DATA_COLOR)]


def legend(scale: ColorScale | None, unit: str, values: list[float] | None = None) -> alt.Chart:
    """The legend as a column beside the map: a colour box and its range per line."""
    entries = legend_entries(scale, unit, values)
    data = pd.DataFrame({"label": [e[0] for e in entries], "order": range(len(entries)),
                         "color": [f"rgb{e[1]}" for e in entries]})
    base = alt.Chart(data).encode(y=alt.Y("order:O", axis=None))
    boxes = base.mark_square(size=300, stroke="#333").encode(x=alt.value(12),
                                                              color=alt.Color("color:N", scale=None))
    labels = base.mark_text(align="left", dx=0, fontSize=14, color="#111").encode(x=alt.value(30), text="label:N")
    return (boxes + labels).properties(height=34 * len(entries), width=220)


def map_legend(scale: ColorScale | None, unit: str, values: list[float]) -> None:
    """The legend (beside a map), in large type on the big screen."""
    import streamlit as st

    from dashboard import state
    from dashboard.views.charts import large_type

    chart = legend(scale, unit, values)
    if state.presentation_mode():
        st.vega_lite_chart(large_type(chart.properties(width=320).to_dict(), min_height=None))
    else:
        st.altair_chart(chart)


def municipality_map(rows: pd.DataFrame, unit: str, height: int = 520, region: str | None = None) -> None:
    """A province (by default Noord-Holland) by municipality for one indicator and period, with legend and source.

    Raises BoundaryError (from the boundary file) so the caller can say what is missing.
    """
    import streamlit as st

    from dashboard import app_data
    from dashboard.analysis.maps import join_values, scale_for
    from dashboard.geo import ATTRIBUTION
    from dashboard.views.widgets import source_line

    scale = scale_for(rows)
    shapes = join_values(app_data.gemeente_shapes(region or app_data.NOORD_HOLLAND), rows, unit, scale)
    map_col, legend_col = st.columns([3, 1])  # the legend's longest line ('te klein om te tonen of …') fits
    map_col.pydeck_chart(choropleth(shapes, zoom=8.4), height=height)
    with legend_col:
        map_legend(scale, unit, list(rows["value"]))
    st.caption(source_line(rows) + f" · {ATTRIBUTION}")
