"""Headline figures: the latest value of each indicator of a framework for one area (or its region)."""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.periods import sort_key
from dashboard.catalog.models import Catalog, Framework


def headline_indicators(framework: Framework) -> list[str]:
    """The indicators a headline may come from, in order: the framework's headline ones, then its themes'."""
    return list(dict.fromkeys(
        [*framework.headline_indicators, *(i for theme in framework.themes for i in theme.all_indicators)]
    ))


def headline_figures(framework: Framework, area_code: str, values: pd.DataFrame, catalog: Catalog,
                     limit: int = 9) -> pd.DataFrame:
    """Per indicator the latest value for the area; where the area has none, for the nearest region above it.

    Nederland is never used as a stand-in for a municipality: it is a reference, not a headline.
    """
    candidates = [c for c in catalog.with_ancestors(area_code) if catalog.areas[c].level != "land"]
    indicator_ids = headline_indicators(framework)
    rows = []
    for indicator_id in indicator_ids:
        for code in candidates:
            found = values[(values["indicator_id"] == indicator_id) & (values["area_code"] == code)
                           & values["value"].notna()]
            if not found.empty:
                latest = max(found.itertuples(), key=lambda r: sort_key(r.period))
                rows.append(latest._asdict())
                break
        if len(rows) >= limit:
            break
    return pd.DataFrame(rows)
