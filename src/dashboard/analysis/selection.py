"""Select the rows a chart or table shows. Pages say what they want; this module finds it."""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.periods import sort_key
from dashboard.catalog.models import Catalog, Framework, Goal, Limit

LEVEL_ORDER = {"gemeente": 0, "regio": 1, "referentie": 2, "land": 3, "wijk": 4}


def indicator_rows(values: pd.DataFrame, indicator_id: str, area_codes: list[str] | None = None) -> pd.DataFrame:
    mask = values["indicator_id"].to_numpy() == indicator_id
    if area_codes is not None:
        mask &= values["area_code"].isin(area_codes).to_numpy()
    rows = values[mask]
    codes, periods = rows["area_code"].tolist(), rows["period"].tolist()
    return rows.iloc[sorted(range(len(rows)), key=lambda i: (codes[i], sort_key(periods[i])))]


def indicators_starting_with(catalog: Catalog, prefix: str) -> list[str]:
    """The indicators whose id starts with `prefix` (the components of a sum, such as tf_raming_)."""
    return [i for i in catalog.indicators if i.startswith(prefix)]


def limit_indicators(limits: tuple[Limit, ...] | list[Limit], catalog: Catalog) -> list[str]:
    """Every indicator the limits compare: figure (or its components) and limit; what the Regels page reads."""
    found: dict[str, None] = {}
    for limit in limits:
        found.update(dict.fromkeys(i for i in (limit.figure_indicator, limit.limit_indicator) if i))
        if limit.figure_prefix:
            found.update(dict.fromkeys(indicators_starting_with(catalog, limit.figure_prefix)))
    return list(found)


def framework_areas_with_references(framework: Framework, catalog: Catalog) -> list[str]:
    """The framework's municipalities, the regions above them, and the references the framework names."""
    codes: dict[str, None] = {}
    for code in framework.areas:
        codes.update(dict.fromkeys(catalog.with_ancestors(code)))
    codes.update(dict.fromkeys(framework.reference_areas))
    return list(codes)


def periods_of(values: pd.DataFrame, indicator_id: str) -> list[str]:
    periods = values.loc[values["indicator_id"] == indicator_id, "period"].unique()
    return sorted(periods, key=sort_key)


def comparison_rows(values: pd.DataFrame, indicator_id: str, period: str | None = None,
                    levels: tuple[str, ...] = ("gemeente", "regio", "referentie", "land")) -> pd.DataFrame:
    """All areas with a value for the indicator in one period (default: the latest), municipalities first."""
    rows = values[(values["indicator_id"].to_numpy() == indicator_id) & values["area_level"].isin(levels).to_numpy()]
    if rows.empty:
        return rows
    if period is None:
        period = max(rows["period"].unique(), key=sort_key)
    rows = rows[rows["period"].to_numpy() == period]
    # Municipalities first, then regions, groups and Nederland; within a level the highest value first.
    levels_, values_ = rows["area_level"].tolist(), rows["value"].tolist()

    def rank(i: int) -> tuple[int, float]:
        value = values_[i]
        return LEVEL_ORDER.get(levels_[i], 9), -value if value == value else float("inf")  # NaN last

    return rows.iloc[sorted(range(len(rows)), key=rank)]


def target_line(goal: Goal, indicator_id: str) -> float | None:
    """The number a goal aims at, where the document gives one ("daalt van 17% naar 15%")."""
    rule = goal.rule_for(indicator_id)
    return float(rule.end) if rule.kind == "daalt_van_naar" and rule.end is not None else None


def baseline_line(goal: Goal, indicator_id: str, values: pd.DataFrame, area_codes: list[str]) -> float | None:
    """The 0-meting of the first of `area_codes` that has one, for drawing in a trend chart."""
    if goal.baseline_period is None:
        return None
    rows = values[(values["indicator_id"] == indicator_id) & (values["period"] == goal.baseline_period)
                  & values["value"].notna()]
    for code in area_codes:
        found = rows[rows["area_code"] == code]
        if not found.empty:
            return float(found["value"].iloc[-1])
    return None
