"""Chart builders (Altair). They take tidy frames and return charts; they never load data."""

from __future__ import annotations

import hashlib

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.analysis.periods import label, sort_key
from dashboard.formatting import UNIT_LABELS, format_observation, format_value
from dashboard.views.colors import color_for

PROVISIONAL = "voorlopig"


def is_provisional(note: object) -> bool:
    return isinstance(note, str) and PROVISIONAL in note.lower()


DUTCH_FORMAT_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]}


def _axis_format(unit: str) -> str:
    return {"euro": "$,.0f", "count": ",.0f"}.get(unit, ",.4~g")


# The axis says what is counted; the indicator's name is the chart's heading (never both, never cut off).
AXIS_TITLES = {"percent": "Percentage (%)", "percent_change": "Verandering (%)", "count": "Aantal",
               "euro": "Bedrag (€)", "grade": "Rapportcijfer", "days": "Dagen"}


def _y_title(indicator_name: str, unit: str) -> str:
    return AXIS_TITLES.get(unit, UNIT_LABELS.get(unit, unit))


def with_value_text(data: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The column `waarde` that tooltips show: "11–12%" for a stated range, "2.000 (schatting)" for an estimate."""
    uppers = data["value_upper"] if "value_upper" in data else [None] * len(data)
    estimates = data["estimate"] if "estimate" in data else [None] * len(data)
    return data.assign(waarde=[format_observation(v, unit, hi, est) for v, hi, est in zip(
        data["value"], uppers, estimates, strict=True)])


def ranged_rows(data: pd.DataFrame) -> pd.DataFrame:
    """The rows that state a range (a lower bound in `value`, an upper bound in `value_upper`)."""
    if "value_upper" not in data:
        return data.iloc[0:0]
    return data[data["value_upper"].notna()]


def range_bars(data: pd.DataFrame, value_channel: str, position: alt.X | alt.Y, tooltip: list, title: str,
               color: alt.Color | None = None) -> list[alt.Chart]:
    """An error bar from the lower to the upper bound of every stated range (none where no row has a range).

    `value_channel` is "y" for a trend (vertical bar per period) or "x" for a ranked comparison (horizontal);
    `title` is the value axis' own title, so the bar does not add its field name to it.
    """
    ranged = ranged_rows(data)
    if ranged.empty:
        return []
    other = "x" if value_channel == "y" else "y"
    value = (alt.X if value_channel == "x" else alt.Y)("value:Q", title=title)
    encoding = {value_channel: value, f"{value_channel}2": "value_upper:Q", other: position, "tooltip": tooltip}
    if color is not None:
        encoding["color"] = color
    bar = alt.Chart(ranged).mark_errorbar(ticks=alt.TickConfig(size=14, thickness=3), thickness=3,
                                         **({} if color is not None else {"color": "#111"}))
    return [bar.encode(**encoding)]


def range_band(references: pd.DataFrame, tooltip: list) -> list[alt.Chart]:
    """A reference (region, comparison group, Nederland) with a stated range as a band across the chart."""
    ranged = ranged_rows(references)
    if ranged.empty:
        return []
    return [alt.Chart(ranged).mark_rect(opacity=0.18, color="#333").encode(
        x="value:Q", x2="value_upper:Q", tooltip=tooltip)]


def _color_scale(frame: pd.DataFrame) -> alt.Scale:
    pairs = frame[["area_name", "area_code", "area_level"]].drop_duplicates("area_name")
    domain = list(pairs["area_name"])
    colors = [color_for(c, lvl, i) for i, (c, lvl) in enumerate(zip(pairs["area_code"], pairs["area_level"],
                                                                       strict=True))]
    return alt.Scale(domain=domain, range=colors)


def _value_texts(frame: pd.DataFrame, unit: str) -> list[str]:
    """The value as a reader writes it, '17,4%' or '€ 1.234', for tooltips and labels on bars."""
    return [format_value(v, unit) for v in frame["value"]]


def reference_lines(goal_lines: list[tuple[str, float]], unit: str) -> pd.DataFrame:
    """0-meting and norm lines, each with a label that names its area and value."""
    return pd.DataFrame({"value": [v for _, v in goal_lines],
                         "text": [f"{text}: {format_value(v, unit)}" for text, v in goal_lines]})


def trend_chart(
    frame: pd.DataFrame,
    indicator_name: str,
    unit: str,
    baseline: float | None = None,
    target: float | None = None,
    notes: pd.DataFrame | None = None,
    lines: list[tuple[str, float]] | None = None,
) -> alt.Chart:
    """Values over time per area, each line named at its end and in the legend below, with the 0-metingen
    and norms (each labelled with its area) and notes (as markers) drawn in where known.

    `lines` are labelled reference lines ('0-meting Beverwijk (2015)', value); `baseline` and `target` are the
    older unlabelled form and get a generic label.
    """
    data = frame.dropna(subset=["value"]).copy()
    data["periode"] = data["period"].map(label)
    data["waarde"] = _value_texts(data, unit)
    data["status"] = [PROVISIONAL if is_provisional(n) else "" for n in data.get("note", [None] * len(data))]
    data = with_value_text(data, unit)
    order = [label(p) for p in sorted(data["period"].unique(), key=sort_key)]
    scale = _color_scale(data)
    tooltip = [
        alt.Tooltip("area_name:N", title="Gebied"),
        alt.Tooltip("periode:N", title="Periode"),
        alt.Tooltip("waarde:N", title="Waarde"),
        alt.Tooltip("source:N", title="Bron"),
    ]
    if (data["status"] == PROVISIONAL).any():
        tooltip.append(alt.Tooltip("status:N", title="Status"))
    base = alt.Chart(data).encode(
        x=alt.X("periode:O", sort=order, title="Periode", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=_y_title(indicator_name, unit),
                axis=alt.Axis(format=_axis_format(unit), tickCount=6, titleLimit=400)),
        color=alt.Color("area_name:N", title="Gebied", scale=scale,
                        legend=alt.Legend(orient="bottom", direction="horizontal", columns=4, labelLimit=320)),
        tooltip=tooltip,
    )
    # Provisional figures (CBS 'voorlopig') are drawn as open circles, definitive ones filled.
    points = base.mark_point(size=120, strokeWidth=3).encode(
        fill=alt.condition(f"datum.status == '{PROVISIONAL}'", alt.value("white"),
                           alt.Color("area_name:N", scale=scale, legend=None)),
    )
    # Each line is named at its last point, so the chart reads without looking up colours.
    last_order = {p: i for i, p in enumerate(order)}
    ends = data.assign(_o=data["periode"].map(last_order)).sort_values("_o").drop_duplicates("area_name", keep="last")
    end_labels = alt.Chart(ends.drop(columns="_o")).mark_text(
        align="left", dx=10, fontSize=13, fontWeight="bold").encode(
        x=alt.X("periode:O", sort=order), y="value:Q", text="area_name:N",
        color=alt.Color("area_name:N", scale=scale, legend=None),
    )
    layers: list[alt.Chart] = [base.mark_line(strokeWidth=3), points, end_labels]
    layers += range_bars(data, "y", alt.X("periode:O", sort=order), tooltip, _y_title(indicator_name, unit),
                         alt.Color("area_name:N", scale=scale, legend=None))
    goal_lines = list(lines or [])
    goal_lines += [("0-meting", baseline)] if baseline is not None else []
    goal_lines += [("norm", target)] if target is not None else []
    if goal_lines:
        rules = reference_lines(goal_lines, unit)
        layers.append(alt.Chart(rules).mark_rule(strokeDash=[6, 4], color="#333").encode(
            y="value:Q", tooltip=[alt.Tooltip("text:N", title="Lijn")]))
        layers.append(alt.Chart(rules).mark_text(align="left", dx=4, dy=-8, color="#111", fontSize=13)
                      .encode(y="value:Q", text="text:N", x=alt.value(0)))
    markers = note_markers(notes, order)
    if not markers.empty:
        marked = alt.Chart(markers).encode(
            x=alt.X("periode:O", sort=order),
            tooltip=[alt.Tooltip("periode:N", title="Periode"), alt.Tooltip("notities:N", title="Notities")],
        )
        layers.append(marked.mark_rule(strokeDash=[3, 3], strokeWidth=2, color="#555"))
        layers.append(marked.mark_text(dy=-4, baseline="bottom", fontSize=15, color="#111", y=0)
                      .encode(text="label:N"))
    return (alt.layer(*layers).properties(height=320, padding={"right": 150})
            .configure(locale={"number": DUTCH_FORMAT_LOCALE}))


def note_markers(notes: pd.DataFrame | None, period_labels: list[str]) -> pd.DataFrame:
    """One marker per period that has notes: '✎ 2' with the (shortened) notes as tooltip."""
    if notes is None or notes.empty:
        return pd.DataFrame(columns=["periode", "label", "notities"])
    dated = notes[notes["period"].notna()].assign(periode=lambda f: f["period"].map(label))
    dated = dated[dated["periode"].isin(period_labels)]
    rows = []
    for periode, group in dated.groupby("periode", sort=False):
        texts = [f"{author}: {text[:120]}{'…' if len(text) > 120 else ''}"
                 for author, text in zip(group["author"], group["text"].astype(str), strict=True)]
        rows.append({"periode": periode, "label": f"✎ {len(group)}", "notities": " | ".join(texts)})
    return pd.DataFrame(rows, columns=["periode", "label", "notities"])


def comparison_chart(frame: pd.DataFrame, indicator_name: str, unit: str) -> alt.Chart:
    """Every area as a bar with its value written at the end: municipalities first (highest on top), then the
    regions, comparison groups and Nederland in grey."""
    data = with_value_text(frame.dropna(subset=["value"]).copy(), unit)  # '11–12%' for a stated range
    order = list(dict.fromkeys(data["area_name"]))
    top = max(data["value"].max(), ranged_rows(data)["value_upper"].max() if len(ranged_rows(data)) else 0)
    x = alt.X("value:Q", title=_y_title(indicator_name, unit),
              axis=alt.Axis(format=_axis_format(unit), tickCount=5, titleLimit=400),
              scale=alt.Scale(domain=[min(0, data["value"].min()), (top * 1.18) if top > 0 else 1], nice=False))
    tooltip = [alt.Tooltip("area_name:N", title="Gebied"), alt.Tooltip("waarde:N", title="Waarde"),
               alt.Tooltip("source:N", title="Bron")]
    y = alt.Y("area_name:N", sort=order, title=None, axis=alt.Axis(labelFontSize=14, labelLimit=320))
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=x, color=alt.Color("area_name:N", scale=_color_scale(data), legend=None), tooltip=tooltip)
    labels = alt.Chart(data).mark_text(align="left", dx=6, fontSize=14, color="#111").encode(
        y=y, x=x, text="waarde:N", tooltip=tooltip)
    ranges = range_bars(data, "x", y, tooltip, _y_title(indicator_name, unit))  # an error bar per stated range
    return (
        alt.layer(bars, *ranges, labels)
        .properties(height=max(140, 44 * len(data)))
        .configure(locale={"number": DUTCH_FORMAT_LOCALE})
    )


def _with_arrow_datasets(spec: dict) -> dict:
    """The chart's data already in the Arrow form st.vega_lite_chart sends, so a cached spec is not converted
    again on every rerun (that conversion was a third of a warm theme page rerun, see make bench)."""
    from streamlit import dataframe_util

    if "datasets" in spec:
        spec = {**spec, "datasets": {name: dataframe_util.convert_anything_to_arrow_bytes(pd.DataFrame(rows))
                                     for name, rows in spec["datasets"].items()}}
    return spec


CHART_COLUMNS = ["area_code", "area_name", "area_level", "period", "value", "value_upper", "estimate", "source",
                 "note"]
NOTE_COLUMNS = ["period", "author", "text"]


def chart_frame(rows: pd.DataFrame, columns: list[str] = CHART_COLUMNS) -> pd.DataFrame:
    """Only the columns a chart uses: hashing the cache key and sending the data both scale with them."""
    return rows[[c for c in columns if c in rows.columns]]


# Building an Altair chart and turning it into a Vega-Lite spec costs ~0.1 s per chart; a theme page has
# ten. The specs are cached on their data, so a rerun (a filter change elsewhere) does not rebuild them.
def frame_key(frame: pd.DataFrame | None) -> str:
    """A cheap, exact cache key for a small frame (Streamlit's generic DataFrame hashing cost more than
    building the chart from cache); NaN and None become null, so equal data gives equal keys."""
    if frame is None:
        return ""
    return hashlib.blake2b(frame.to_json(orient="split", index=False).encode(), digest_size=16).hexdigest()


# The frames are passed as `_frame`/`_notes` (not hashed by Streamlit); `key` stands for their content.
@st.cache_data(max_entries=512, show_spinner=False)
def _trend_spec(_frame: pd.DataFrame, key: str, indicator_name: str, unit: str, baseline: float | None,
                target: float | None, _notes: pd.DataFrame | None, lines: tuple[tuple[str, float], ...]) -> dict:
    return _with_arrow_datasets(trend_chart(_frame, indicator_name, unit, baseline=baseline, target=target,
                                            notes=_notes, lines=list(lines)).to_dict(validate=False))


def trend_spec(frame: pd.DataFrame, indicator_name: str, unit: str, baseline: float | None = None,
               target: float | None = None, notes: pd.DataFrame | None = None,
               lines: list[tuple[str, float]] | None = None) -> dict:
    data = chart_frame(frame)
    note_data = None if notes is None or notes.empty else chart_frame(notes, NOTE_COLUMNS)
    return _trend_spec(data, frame_key(data) + frame_key(note_data), indicator_name, unit, baseline, target,
                       note_data, tuple(lines or ()))


@st.cache_data(max_entries=512, show_spinner=False)
def _comparison_spec(_frame: pd.DataFrame, key: str, indicator_name: str, unit: str) -> dict:
    return _with_arrow_datasets(comparison_chart(_frame, indicator_name, unit).to_dict(validate=False))


def comparison_spec(frame: pd.DataFrame, indicator_name: str, unit: str) -> dict:
    data = chart_frame(frame)
    return _comparison_spec(data, frame_key(data), indicator_name, unit)


_FONT_KEYS = ("labelFontSize", "titleFontSize", "fontSize")


def _larger_fonts(node: object, minimum: int) -> object:
    """Every font size set in the spec itself (axis labels, text marks) raised to at least `minimum`."""
    if isinstance(node, dict):
        return {k: max(v, minimum) if k in _FONT_KEYS and isinstance(v, int | float) else _larger_fonts(v, minimum)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_larger_fonts(item, minimum) for item in node]
    return node


def large_type(spec: dict, min_height: int | None = 460) -> dict:
    """The same chart readable from the back of a council room: larger labels, titles and marks."""
    big = {k: (v if k == "datasets" else _larger_fonts(v, 22)) for k, v in spec.items()}
    config = dict(big.get("config", {}))
    config["axis"] = {**config.get("axis", {}), "labelFontSize": 22, "titleFontSize": 22, "labelColor": "#000",
                      "titleColor": "#000", "labelLimit": 400}
    config["legend"] = {**config.get("legend", {}), "labelFontSize": 22, "titleFontSize": 22, "symbolSize": 300,
                        "labelColor": "#000", "titleColor": "#000", "labelLimit": 400}
    config["header"] = {**config.get("header", {}), "labelFontSize": 24, "labelColor": "#000"}
    config["text"] = {**config.get("text", {}), "fontSize": 22}
    big["config"] = config
    if min_height and "height" in big and isinstance(big["height"], int):
        big["height"] = max(big["height"], min_height)
    inner = big.get("spec")  # a faceted chart (limits): wider steps, so it fills the screen, not 250 px of it
    if isinstance(inner, dict) and isinstance(inner.get("width"), dict) and "step" in inner["width"]:
        big["spec"] = {**inner, "width": {"step": inner["width"]["step"] * 3}}
    return big


EXCEEDED_COLOR = "#D55E00"  # Okabe-Ito vermillion
WITHIN_COLOR = "#0072B2"  # Okabe-Ito blue


def limit_chart(table: pd.DataFrame, figure_name: str, unit: str, kind: str) -> alt.FacetChart:
    """Per area: the figure per period as bars (red when the limit is exceeded) and the limit as a black tick."""
    data = table.copy()
    data["periode"] = data["period"].map(label)
    data["status"] = data["exceeded"].map({True: "grens overschreden", False: "binnen de grens"})
    order = [label(p) for p in sorted(data["period"].unique(), key=sort_key)]
    fmt = _axis_format(unit)
    tooltip = [alt.Tooltip("area_name:N", title="Gebied"), alt.Tooltip("periode:N", title="Periode"),
               alt.Tooltip("figure:Q", title=figure_name, format=fmt),
               alt.Tooltip("limit:Q", title="Grens" + (" (maximum)" if kind == "max" else " (minimum)"), format=fmt),
               alt.Tooltip("difference:Q", title="Verschil", format=fmt), alt.Tooltip("status:N", title="Status")]
    base = alt.Chart().encode(x=alt.X("periode:O", sort=order, title="Periode", axis=alt.Axis(labelAngle=0)),
                              tooltip=tooltip)
    bars = base.mark_bar().encode(
        y=alt.Y("figure:Q", title=_y_title(figure_name, unit), axis=alt.Axis(format=fmt)),
        color=alt.Color("status:N", title=None, scale=alt.Scale(
            domain=["binnen de grens", "grens overschreden"], range=[WITHIN_COLOR, EXCEEDED_COLOR])),
    )
    ticks = base.mark_tick(color="#111", thickness=4, size=44).encode(y="limit:Q")
    return (
        alt.layer(bars, ticks, data=data)
        .properties(height=260, width=alt.Step(60))
        .facet(column=alt.Column("area_name:N", title=None, header=alt.Header(labelFontSize=15)))
        .configure(locale={"number": DUTCH_FORMAT_LOCALE})
        # A panel per area (44 in a province) is thousands of SVG elements; the browser draws it on a canvas
        # (the numbers are in the tooltip, under 'Toon als tabel' and in the downloads).
        .properties(usermeta={"embedOptions": {"renderer": "canvas"}})
    )


@st.cache_data(max_entries=64, show_spinner=False)
def limit_spec(table: pd.DataFrame, figure_name: str, unit: str, kind: str) -> dict:
    return _with_arrow_datasets(limit_chart(table, figure_name, unit, kind).to_dict(validate=False))
