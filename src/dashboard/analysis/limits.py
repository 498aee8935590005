"""Figures held against their limits (hefboom Regels, kaders en randvoorwaarden).

A limit is data: an observation of a budget indicator. The figures held against it are
observations of component indicators (for example the planned spending per activity).
"""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.periods import is_change_period, sort_key


def limit_comparison(values: pd.DataFrame, limit_indicator: str, component_prefix: str,
                     area_code: str) -> pd.DataFrame:
    """Per single period: the limit, the sum of the components, the difference and whether it is exceeded."""
    area_rows = values[(values["area_code"] == area_code) & ~values["period"].map(is_change_period)]
    limits = area_rows[area_rows["indicator_id"] == limit_indicator].set_index("period")["value"]
    components = area_rows[area_rows["indicator_id"].str.startswith(component_prefix)]
    totals = components.groupby("period")["value"].sum()
    periods = sorted(set(limits.index) | set(totals.index), key=sort_key)
    frame = pd.DataFrame({
        "periode": periods,
        "grens": [limits.get(p) for p in periods],
        "totaal": [totals.get(p, 0.0) for p in periods],
    })
    frame["verschil"] = frame["totaal"] - frame["grens"]
    frame["overschreden"] = frame["verschil"] > 0
    return frame


def components_outside_periods(values: pd.DataFrame, component_prefix: str, area_code: str) -> pd.DataFrame:
    """Components given for a span of years (2018/2020) rather than per year: shown apart, never spread out."""
    rows = values[(values["area_code"] == area_code) & values["indicator_id"].str.startswith(component_prefix)]
    return rows[rows["period"].map(is_change_period)]
