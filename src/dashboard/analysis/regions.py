"""Region figures computed from their municipalities (DESIGN.md, data model).

A region gets a computed figure only where the indicator says how to aggregate (sum, or a mean
weighted by the denominators), every member municipality has a figure for that period, and the
region has no figure of its own: a figure a document or CBS states for the region always wins.
The computed row names its municipalities and their sources, so it stays traceable.

Computed per query (app_data.query_observations) for the regions on screen, from their members' rows
only: never from the whole store.
"""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.goals import current_values
from dashboard.catalog.models import Area, Catalog

COMPUTED_DATASET = "Berekend uit de cijfers van de gemeenten"
_HOW = {"sum": "som", "weighted_mean": "gewogen gemiddelde"}
AGGREGATED = tuple(_HOW)  # the aggregation rules of an indicator that give a region figure


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def _records(frame: pd.DataFrame) -> list[dict]:
    """`frame.to_dict("records")`, column by column: pandas boxes every cell one by one, which took seconds for
    the members' rows of every region at a million figures (the Bronnen page after an upload)."""
    columns = list(frame.columns)
    return [dict(zip(columns, row, strict=True)) for row in zip(*(frame[c].tolist() for c in columns), strict=True)]


def region_totals(observations: pd.DataFrame, catalog: Catalog, regions: list[str] | None = None) -> pd.DataFrame:
    """The computed region rows (same columns as `observations`); empty when there are none.

    `observations` holds the members' rows (and the regions' own, which win); `regions` limits which
    regions are computed (default every region in the catalog). One pass over the members' rows: a page
    with many indicators and years asks for thousands of region figures at once.
    """
    if observations.empty:
        return observations.iloc[0:0]
    aggregated = {i.id: i.aggregation for i in catalog.indicators.values() if i.aggregation in _HOW}
    relevant = observations[observations["indicator_id"].isin(aggregated)]
    values = current_values(relevant)
    stated = set(zip(relevant["indicator_id"], relevant["area_code"], relevant["period"], strict=True))
    chosen = catalog.areas.values() if regions is None else [catalog.areas[c] for c in regions]
    regions_of: dict[str, list[Area]] = {}  # municipality -> the regions it is a member of
    for region in chosen:
        if region.level == "regio" and region.members:
            for member in region.members:
                regions_of.setdefault(member, []).append(region)
    groups: dict[tuple[str, str, str], dict[str, dict]] = {}
    for record in _records(values[values["area_code"].isin(regions_of)]):
        for region in regions_of[record["area_code"]]:
            key = (region.code, record["indicator_id"], record["period"])
            groups.setdefault(key, {})[record["area_code"]] = record
    rows: list[dict] = []
    for (code, indicator_id, period), by_area in groups.items():
        region = catalog.areas[code]
        if (indicator_id, code, period) in stated or set(by_area) != set(region.members):
            continue  # the region's own figure wins; a partial sum would look like a fall
        group = [by_area[m] for m in region.members]
        how = aggregated[indicator_id]
        if how == "sum":
            value, numerator, denominator = sum(r["value"] for r in group), float("nan"), float("nan")
        else:
            if not all(pd.notna(r["numerator"]) and pd.notna(r["denominator"]) for r in group):
                continue  # a mean without the weights would be a guess
            denominator = sum(r["denominator"] for r in group)
            if not denominator > 0:
                continue
            value = sum(r["value"] * r["denominator"] for r in group) / denominator
            numerator = sum(r["numerator"] for r in group)
        sources = ", ".join(dict.fromkeys(r["source"] for r in group))
        rows.append({
            **group[0], "id": float("nan"), "area_code": region.code, "area_name": region.name,
            "area_level": region.level, "area_parent": region.parent, "value": float(value),
            "numerator": float(numerator), "denominator": float(denominator),
            "quote": None, "document": None, "note": None,
            "source": f"{_HOW[how].capitalize()} van {_names([r['area_name'] for r in group])} (bron: {sources})",
            "dataset_id": int(max(r["dataset_id"] for r in group)), "dataset": COMPUTED_DATASET,
            "is_example": int(any(bool(r["is_example"]) for r in group)),
        })
    return pd.DataFrame(rows, columns=observations.columns)


def with_region_totals(observations: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    computed = region_totals(observations, catalog)
    if computed.empty:
        return observations
    return pd.concat([observations, computed], ignore_index=True)
