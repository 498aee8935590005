"""Region figures computed from their municipalities (DESIGN.md, data model).

A region gets a computed figure only where the indicator says how to aggregate (sum, or a mean
weighted by the denominators), every member municipality has a figure for that period, and the
region has no figure of its own: a figure a document or CBS states for the region always wins.
The computed row names its municipalities and their sources, so it stays traceable.
"""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.goals import current_values
from dashboard.catalog.models import Catalog

COMPUTED_DATASET = "Berekend uit de cijfers van de gemeenten"
_HOW = {"sum": "som", "weighted_mean": "gewogen gemiddelde"}


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def region_totals(observations: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The computed region rows (same columns as `observations`); empty when there are none."""
    if observations.empty:
        return observations.iloc[0:0]
    aggregated = {i.id: i.aggregation for i in catalog.indicators.values() if i.aggregation in _HOW}
    values = current_values(observations[observations["indicator_id"].isin(aggregated)])
    stated = set(zip(observations["indicator_id"], observations["area_code"], observations["period"], strict=True))
    rows: list[dict] = []
    for region in catalog.areas.values():
        if region.level != "regio" or not region.members:
            continue
        members = values[values["area_code"].isin(region.members)]
        for (indicator_id, period), group in members.groupby(["indicator_id", "period"], sort=False):
            if (indicator_id, region.code, period) in stated or set(group["area_code"]) != set(region.members):
                continue
            how = aggregated[indicator_id]
            if how == "sum":
                value, numerator, denominator = group["value"].sum(), float("nan"), float("nan")
            elif group["numerator"].notna().all() and group["denominator"].notna().all() \
                    and group["denominator"].sum() > 0:
                denominator = group["denominator"].sum()
                value = (group["value"] * group["denominator"]).sum() / denominator
                numerator = group["numerator"].sum()
            else:
                continue  # a mean without the weights would be a guess
            group = group.set_index("area_code").loc[list(region.members)]
            sources = ", ".join(dict.fromkeys(group["source"]))
            rows.append({
                **group.iloc[0].to_dict(), "id": float("nan"), "area_code": region.code, "area_name": region.name,
                "area_level": region.level, "value": float(value), "numerator": float(numerator),
                "denominator": float(denominator), "quote": None, "document": None, "note": None,
                "source": f"{_HOW[how].capitalize()} van {_names(list(group['area_name']))} (bron: {sources})",
                "dataset_id": int(group["dataset_id"].max()), "dataset": COMPUTED_DATASET,
                "is_example": int(group["is_example"].astype(bool).any()),
            })
    return pd.DataFrame(rows, columns=observations.columns)


def with_region_totals(observations: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    computed = region_totals(observations, catalog)
    if computed.empty:
        return observations
    return pd.concat([observations, computed], ignore_index=True)
