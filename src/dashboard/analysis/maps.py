"""Values joined to wijk shapes for a choropleth: by code, else by name; small numbers never reach the map."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.analysis.suppression import hidden_text
from dashboard.formatting import NO_DATA, format_observation
from dashboard.ingest.validate import normalise_name
from dashboard.markdown_text import escape_html

# Colour-blind-safe sequential scale (viridis, five steps), light to dark.
SCALE = [(253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84)]
SUPPRESSED_COLOR = (150, 150, 150)
NO_DATA_COLOR = (235, 235, 235)


@dataclass(frozen=True)
class ColorScale:
    low: float
    high: float

    def bins(self) -> list[tuple[float, float]]:
        step = (self.high - self.low) / len(SCALE) or 1.0
        return [(self.low + i * step, self.low + (i + 1) * step) for i in range(len(SCALE))]

    def color(self, value: float) -> tuple[int, int, int]:
        if self.high <= self.low:
            return SCALE[len(SCALE) // 2]
        index = int((value - self.low) / (self.high - self.low) * len(SCALE))
        return SCALE[min(max(index, 0), len(SCALE) - 1)]


def scale_for(*frames: pd.DataFrame) -> ColorScale | None:
    """One scale over all shown values, so two maps of the same indicator can be compared by colour."""
    values = [v for f in frames for v in f["value"].dropna()]
    return ColorScale(min(values), max(values)) if values else None


def join_values(collection: dict[str, Any], rows: pd.DataFrame, unit: str, scale: ColorScale | None
                ) -> dict[str, Any]:
    """A copy of the shapes with value, text and colour per wijk. Rows are already suppressed.

    The texts end up in the map's HTML tooltip, so they are HTML-escaped here.
    """
    by_code = {r.area_code: r for r in rows.itertuples()}
    by_name = {normalise_name(r.area_name): r for r in rows.itertuples()}
    joined = copy.deepcopy(collection)
    for feature in joined["features"]:
        props = feature["properties"]
        row = by_code.get(props["statcode"]) or by_name.get(normalise_name(props.get("statnaam", "")))
        if row is None:
            props.update(waarde=NO_DATA, kleur=NO_DATA_COLOR, periode="", bron="")
            continue
        suppressed = bool(getattr(row, "suppressed", False)) or row.value is None or math.isnan(row.value)
        if suppressed:
            props.update(waarde=hidden_text(getattr(row, "suppressed_reason", None)), kleur=SUPPRESSED_COLOR)
        else:
            color = scale.color(row.value) if scale else SCALE[2]
            props.update(waarde=format_observation(row.value, unit, getattr(row, "value_upper", None),
                                                    getattr(row, "estimate", None)), kleur=color)
        props.update(periode=escape_html(str(row.period)), bron=escape_html(str(row.source)))
    for feature in joined["features"]:  # the map tooltip is HTML: names and sources from files are escaped
        feature["properties"]["statnaam"] = escape_html(str(feature["properties"].get("statnaam", "")))
    return joined
