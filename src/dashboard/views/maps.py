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
    lon, lat = center_of(collection)
    layer = pdk.Layer(
        "GeoJsonLayer", collection, pickable=True, stroked=True, filled=True,
        get_fill_color="properties.kleur", get_line_color=[40, 40, 40], line_width_min_pixels=1, opacity=0.85,
    )
    return pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom),
                    map_style=None, tooltip=TOOLTIP)


def legend(scale: ColorScale | None, unit: str) -> alt.Chart:
    """Colour steps with their ranges, plus 'te klein om te tonen' and 'geen gegevens'."""
    entries: list[tuple[str, tuple[int, int, int]]] = []
    if scale is not None:
        entries = [(f"{format_value(lo, unit)} – {format_value(hi, unit)}", color)
                   for (lo, hi), color in zip(scale.bins(), SCALE, strict=True)]
    entries += [(f"{SUPPRESSED} of ter bescherming verborgen", SUPPRESSED_COLOR), (NO_DATA, NO_DATA_COLOR)]
    data = pd.DataFrame({"label": [e[0] for e in entries], "order": range(len(entries)),
                         "color": [f"rgb{e[1]}" for e in entries]})
    base = alt.Chart(data).encode(x=alt.X("order:O", axis=None))
    boxes = base.mark_square(size=300, stroke="#333").encode(color=alt.Color("color:N", scale=None))
    labels = base.mark_text(dy=22, fontSize=13).encode(text="label:N")
    return (boxes + labels).properties(height=60)


def municipality_map(rows: pd.DataFrame, unit: str, height: int = 520) -> None:
    """Noord-Holland by municipality for one indicator and period, with legend and source.

    Raises BoundaryError (from the boundary file) so the caller can say what is missing.
    """
    import streamlit as st

    from dashboard import app_data, state
    from dashboard.analysis.maps import join_values, scale_for
    from dashboard.geo import ATTRIBUTION
    from dashboard.views.charts import large_type
    from dashboard.views.widgets import source_line

    scale = scale_for(rows)
    shapes = join_values(app_data.gemeente_shapes(), rows, unit, scale)
    st.pydeck_chart(choropleth(shapes, zoom=8.4), height=height)
    if state.presentation_mode():
        big_legend = large_type(legend(scale, unit).properties(height=80).to_dict(), min_height=None)
        st.vega_lite_chart(big_legend, width="stretch")
    else:
        st.altair_chart(legend(scale, unit), width="stretch")
    st.caption(source_line(rows) + f" · {ATTRIBUTION}")
