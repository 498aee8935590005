"""Map builders (pydeck) and the legend that goes with them."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import pandas as pd
import pydeck as pdk

from dashboard.analysis.maps import NO_DATA_COLOR, SCALE, SUPPRESSED_COLOR, ColorScale
from dashboard.formatting import NO_DATA, RANGE_DASH, SUPPRESSED, UNIT_LABELS, format_number
from dashboard.geo import border_bands, center_of
from dashboard.markdown_text import escape_html

TOOLTIP = {
    "html": "<b>{statnaam}</b><br/>{waarde}<br/>{periode}<br/>Bron: {bron}",
    "style": {"fontSize": "15px", "backgroundColor": "#111", "color": "#fff"},
}


OUTLINE_COLOR = [40, 40, 40]


class CompactDeck(pdk.Deck):
    """A deck whose JSON for the browser has no indentation: pydeck indents every coordinate on its own lines,
    which made the province map three times the size of its data."""

    def to_json(self) -> str:
        return json.dumps(json.loads(super().to_json()), separators=(",", ":"))


def choropleth(collection: dict[str, Any], zoom: float = 11.2) -> pdk.Deck:
    """The areas coloured by value; the name, value, period and source of each area on hover."""
    lon, lat = center_of(collection)
    # The outlines as a second polygon layer (border_bands), not as stroked=True: deck.gl's line layer takes
    # a browser without a GPU seconds to prepare per map, a second polygon layer next to nothing.
    layers = [
        pdk.Layer("GeoJsonLayer", collection, pickable=True, stroked=False, filled=True,
                  get_fill_color="properties.kleur", opacity=0.85),
        # Not pickable: a pointer on a border picks the area below it, with its tooltip.
        pdk.Layer("GeoJsonLayer", border_bands(collection, zoom), pickable=False, stroked=False, filled=True,
                  get_fill_color=OUTLINE_COLOR, opacity=0.85),
    ]
    return CompactDeck(layers=layers, initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom),
                    map_style=None, tooltip=TOOLTIP)


LEGEND_UNITS = {"percent": "%", "percent_change": "verandering in %", "count": "aantal", "euro": "euro",
                "grade": "rapportcijfer", "days": "dagen", "per_km2": "per km²", "per_1000": "per 1.000 inwoners"}


def _edge_decimals(edges: list[float], unit: str) -> int:
    """The fewest decimals (at most 2) at which the class edges stay apart and move by under a tenth of a class."""
    most = 0 if unit in ("count", "euro", "per_km2") else 2
    step = (edges[-1] - edges[0]) / max(len(edges) - 1, 1)
    for decimals in range(most + 1):
        rounded = [round(e, decimals) for e in edges]
        if all(a < b for a, b in pairwise(rounded)) and \
                all(abs(r - e) <= step / 10 for r, e in zip(rounded, edges, strict=True)):
            return decimals
    return most


def _range_text(low: float, high: float, unit: str, decimals: int) -> str:
    """'290–351', '15,1–15,8%', '€ 1.000–2.000', '-4 tot +2%' (a dash between signs misreads).

    The unit is written once here or else in the legend's title."""
    def number(value: float) -> str:
        return format_number(value, decimals)

    prefix, suffix = ("€ ", "") if unit == "euro" else ("", "%" if unit in ("percent", "percent_change") else "")
    if unit == "percent_change":
        sign = {True: "+", False: ""}
        lo, hi = f"{sign[low > 0]}{number(low)}", f"{sign[high > 0]}{number(high)}"
    else:
        lo, hi = number(low), number(high)
    if lo == hi:
        return f"{prefix}{lo}{suffix}"
    separator = " tot " if unit == "percent_change" or low < 0 or high < 0 else RANGE_DASH
    return f"{prefix}{lo}{separator}{hi}{suffix}"


def legend_title(unit: str) -> str:
    """The unit of the legend's classes, said once above them."""
    return f"Legenda ({LEGEND_UNITS.get(unit, UNIT_LABELS.get(unit, unit))})"


def legend_entries(scale: ColorScale | None, unit: str, values: list[float] | None = None
                   ) -> list[tuple[str, tuple[int, int, int]]]:
    """The colour classes with their ranges: only classes that hold a shown value; for counts the range is
    the whole numbers of the areas in it ('176–402'), never a fraction of a person. The unit is in the
    title (legend_title), so the ranges stay short: '290–351', rounded only as far as the classes stay apart."""
    entries: list[tuple[str, tuple[int, int, int]]] = []
    if scale is not None:
        shown = [v for v in (values or []) if v == v]
        bins = scale.bins()
        decimals = _edge_decimals([lo for lo, _ in bins] + [bins[-1][1]], unit)
        for (lo, hi), color in zip(bins, SCALE, strict=True):
            members = [v for v in shown if scale.color(v) == color]
            if values is not None and not members:
                continue
            if unit == "count" and members:
                text = _range_text(round(min(members)), round(max(members)), unit, 0)
            else:
                text = _range_text(lo, hi, unit, decimals)
            entries.append((text, color))
    return [*entries, (f"{SUPPRESSED} of ter bescherming verborgen", SUPPRESSED_COLOR), (NO_DATA, NO_DATA_COLOR)]


def legend_html(scale: ColorScale | None, unit: str, values: list[float] | None = None) -> str:
    """The legend as HTML text beside the map: a colour box and its range per line.

    Text, not a chart: it wraps in a narrow column instead of being cut off, reads aloud, grows with the
    page's type in presentation mode, and costs the browser nothing to draw.
    """
    items = "".join(
        f'<li style="display:flex;align-items:flex-start;gap:0.5em;margin:0 0 0.3em 0;padding:0;line-height:1.25;">'
        f'<span aria-hidden="true" style="flex:none;width:1.1em;height:1.1em;margin-top:0.1em;'
        f'border:1px solid #333;background:rgb{color};"></span>'
        f'<span style="overflow-wrap:anywhere;">{escape_html(text)}</span></li>'
        for text, color in legend_entries(scale, unit, values))
    return (f'<div class="kaartlegenda" role="group" aria-label="{escape_html(legend_title(unit))}">'
            f'<p style="margin:0 0 0.4em 0;line-height:1.25;"><strong>{escape_html(legend_title(unit))}</strong></p>'
            f'<ul style="list-style:none;margin:0;padding:0;">{items}</ul></div>')


def map_legend(scale: ColorScale | None, unit: str, values: list[float]) -> None:
    """The legend beside a map; in presentation mode it grows with the page's larger type (presentatie.css)."""
    import streamlit as st

    st.markdown(legend_html(scale, unit, values), unsafe_allow_html=True)


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
    map_col, legend_col = st.columns([3, 1])
    map_col.pydeck_chart(choropleth(shapes, zoom=8.4), height=height)
    with legend_col:
        map_legend(scale, unit, list(rows["value"]))
    st.caption(source_line(rows) + f" · {ATTRIBUTION}")
