"""Figures held against their limits (hefboom Regels, kaders en randvoorwaarden).

A limit is data (data/catalog/limits.yaml names the indicators; the values are observations from
the documents or from uploads). This module only compares: per area and period the figure, the
limit that applies, by how much it is exceeded, and since when without interruption.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.analysis.periods import is_change_period, sort_key
from dashboard.catalog.models import Catalog, Limit

_SPAN = re.compile(r"^(\d{4})/(\d{4})$")
# A school year runs from 1 August to 31 July: 5 months in the year it starts, 7 in the next.
SCHOOL_YEAR_SHARES = (5 / 12, 7 / 12)


def year_shares(limit: Limit, indicator_id: str, period: str) -> list[tuple[str, float]]:
    """How a component of one span period counts per calendar year under the limit's allocation rule."""
    match = _SPAN.match(str(period))
    if not match:
        return [(str(period), 1.0)]
    start, end = int(match[1]), int(match[2])
    if indicator_id in limit.school_year_indicators and end == start + 1:
        return [(str(start), SCHOOL_YEAR_SHARES[0]), (str(end), SCHOOL_YEAR_SHARES[1])]
    years = range(start, end + 1)
    return [(str(y), 1 / len(years)) for y in years]


def allocated(limit: Limit, components: pd.DataFrame) -> pd.DataFrame:
    """Components with span periods spread over their years (allocation "per_jaar"); others unchanged."""
    if limit.allocation != "per_jaar" or components.empty:
        return components
    rows = []
    for row in components.to_dict("records"):
        for year, share in year_shares(limit, row["indicator_id"], row["period"]):
            rows.append({**row, "period": year, "value": row["value"] * share})
    return pd.DataFrame(rows, columns=components.columns)

COLUMNS = ["area_code", "area_name", "period", "figure", "limit", "limit_period", "difference",
           "difference_pct", "exceeded"]


def _series(rows: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    chosen = rows[rows["indicator_id"] == indicator_id]
    return chosen[["area_code", "area_name", "period", "value"]].dropna(subset=["value"])


def _figures(limit: Limit, rows: pd.DataFrame) -> pd.DataFrame:
    single = rows[~rows["period"].map(is_change_period)]
    if limit.figure_indicator:
        return _series(single, limit.figure_indicator).rename(columns={"value": "figure"})
    components = allocated(limit, rows[rows["indicator_id"].str.startswith(limit.figure_prefix or "\0")])
    components = components[~components["period"].map(is_change_period)]
    rows = single
    totals = components.groupby(["area_code", "area_name", "period"], as_index=False)["value"].sum(min_count=1)
    # A period with a limit and no components at all: nothing is planned, so the sum is 0.
    limits = _series(rows, limit.limit_indicator)
    missing = limits[~limits.set_index(["area_code", "period"]).index.isin(
        totals.set_index(["area_code", "period"]).index)].assign(value=0.0)
    return pd.concat([totals, missing], ignore_index=True).rename(columns={"value": "figure"})


def _limit_for(limit: Limit, own: list[tuple[str, float, tuple]], period: str) -> tuple[float | None, str | None]:
    """The limit for one period, from this area's (period, limit, sort key) triples (called once per figure)."""
    if limit.limit_period:
        base = [value for p, value, _k in own if p == limit.limit_period]
        if not base or sort_key(period) <= sort_key(limit.limit_period):
            return None, None
        return float(base[0]), limit.limit_period
    if limit.carry_forward:
        until = sort_key(period)
        earlier = [(k, p, value) for p, value, k in own if k <= until]
        if not earlier:
            return None, None
        _key, latest_period, latest = max(earlier, key=lambda item: item[0])
        return float(latest), str(latest_period)
    same = [value for p, value, _k in own if p == period]
    return (float(same[0]), period) if same else (None, None)


def limit_table(limit: Limit, values: pd.DataFrame) -> pd.DataFrame:
    """Per area and single period (not ranges like 2018/2020): the figure against the limit that applies.

    Components given for a span of years count in their years only under allocation "per_jaar".
    """
    rows = values[values["area_code"].isin(limit.areas)] if limit.areas else values
    figures = _figures(limit, rows)
    rows = rows[~rows["period"].map(is_change_period).astype(bool)]  # astype: an empty selection stays rows
    limits = _series(rows, limit.limit_indicator)
    by_area: dict[str, list[tuple[str, float, tuple]]] = {}
    for code, period, value in zip(limits["area_code"], limits["period"], limits["value"], strict=True):
        by_area.setdefault(code, []).append((period, value, sort_key(period)))
    records = []
    for fig in figures.itertuples(index=False):
        bound, bound_period = _limit_for(limit, by_area.get(fig.area_code, []), fig.period)
        if bound is None:
            continue
        difference = fig.figure - bound
        exceeded = difference > 0 if limit.kind == "max" else difference < 0
        records.append({
            "area_code": fig.area_code, "area_name": fig.area_name, "period": fig.period, "figure": fig.figure,
            "limit": bound, "limit_period": bound_period, "difference": difference,
            "difference_pct": difference / bound * 100 if bound else None, "exceeded": bool(exceeded),
        })
    table = pd.DataFrame(records, columns=COLUMNS)
    if table.empty:
        return table
    table["_order"] = table["period"].map(sort_key)
    return table.sort_values(["area_name", "_order"]).drop(columns="_order").reset_index(drop=True)


def figure_name(limit: Limit, catalog: Catalog) -> str:
    """What the figure held against the limit is called: its indicator's name, or the name given to a sum."""
    if limit.figure_indicator:
        return catalog.indicators[limit.figure_indicator].name
    return limit.figure_name or "Totaal"


def observations_behind(limit: Limit, values: pd.DataFrame, area_codes: pd.Series) -> pd.DataFrame:
    """The observations a limit comparison is made of (figure or components, and the limit): its sources."""
    named = {limit.limit_indicator, *([limit.figure_indicator] if limit.figure_indicator else [])}
    involved = values["indicator_id"].isin(named)
    if limit.figure_prefix:
        involved |= values["indicator_id"].str.startswith(limit.figure_prefix)
    return values[involved & values["area_code"].isin(area_codes)]


def limit_status(table: pd.DataFrame) -> pd.DataFrame:
    """Per area the latest period: exceeded or not, by how much, and since which period without a break."""
    out = []
    for (code, name), rows in table.groupby(["area_code", "area_name"], sort=True):
        ordered = rows.iloc[sorted(range(len(rows)), key=lambda i: sort_key(rows["period"].iloc[i]))]
        latest = ordered.iloc[-1]
        since = None
        if latest["exceeded"]:
            since = latest["period"]
            for row in reversed(list(ordered.itertuples(index=False))):
                if not row.exceeded:
                    break
                since = row.period
        out.append({"area_code": code, "area_name": name, "period": latest["period"], "figure": latest["figure"],
                    "limit": latest["limit"], "difference": latest["difference"],
                    "difference_pct": latest["difference_pct"], "exceeded": bool(latest["exceeded"]),
                    "since": since})
    return pd.DataFrame(out, columns=["area_code", "area_name", "period", "figure", "limit", "difference",
                                      "difference_pct", "exceeded", "since"])


def components_outside_periods(values: pd.DataFrame, component_prefix: str,
                               area_codes: tuple[str, ...]) -> pd.DataFrame:
    """Components given for a span of years (2018/2020) or a school year rather than per year."""
    rows = values[values["indicator_id"].str.startswith(component_prefix)]
    if area_codes:
        rows = rows[rows["area_code"].isin(area_codes)]
    return rows[rows["period"].map(is_change_period)]


def whole_period_table(limit: Limit, values: pd.DataFrame) -> pd.DataFrame:
    """Everything within the limit's whole period (every year and every span inside it) against its limit."""
    if not limit.whole_period or not limit.figure_prefix:
        return pd.DataFrame(columns=COLUMNS)
    start, end = (int(y) for y in limit.whole_period.split("/"))

    def inside(period: str) -> bool:
        match = _SPAN.match(str(period))
        first, last = (int(match[1]), int(match[2])) if match else (int(str(period)[:4]),) * 2
        return start <= first and last <= end

    rows = values[values["area_code"].isin(limit.areas)] if limit.areas else values
    components = rows[rows["indicator_id"].str.startswith(limit.figure_prefix) & rows["period"].map(inside)]
    bounds = _series(rows, limit.limit_indicator)
    bounds = bounds[bounds["period"] == limit.whole_period]
    records = []
    for bound in bounds.itertuples(index=False):
        figure = float(components.loc[components["area_code"] == bound.area_code, "value"].sum())
        difference = figure - bound.value
        records.append({
            "area_code": bound.area_code, "area_name": bound.area_name, "period": limit.whole_period,
            "figure": figure, "limit": float(bound.value), "limit_period": limit.whole_period,
            "difference": difference, "difference_pct": difference / bound.value * 100 if bound.value else None,
            "exceeded": bool(difference > 0 if limit.kind == "max" else difference < 0),
        })
    return pd.DataFrame(records, columns=COLUMNS)


def baseline_only(limit: Limit, values: pd.DataFrame) -> pd.DataFrame:
    """A limit that is a 0-meting: the 0-meting values, for when no later figure exists yet."""
    if not limit.limit_period:
        return pd.DataFrame(columns=["area_code", "area_name", "period", "value"])
    rows = _series(values, limit.limit_indicator)
    if limit.areas:
        rows = rows[rows["area_code"].isin(limit.areas)]
    return rows[rows["period"] == limit.limit_period].sort_values("area_name").reset_index(drop=True)
