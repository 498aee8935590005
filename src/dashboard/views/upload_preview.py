"""What staff see of an upload before storing it: its rows and its conflicts, hidden as the pages will hide them.

The upload's wijken are suppressed together with the figures already stored for the same indicators
(as the pages do after Opslaan), so the preview never shows a number that the pages would hide, nor
one from which a hidden stored wijk follows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.analysis.goals import current_values
from dashboard.analysis.linked import Relations
from dashboard.analysis.suppression import hidden_text, suppress
from dashboard.catalog.models import Catalog
from dashboard.formatting import format_value
from dashboard.store.rows import ObservationRows

NEW_DATASET = "(nieuw)"


def _new_rows(rows: list[dict[str, Any]], catalog: Catalog) -> pd.DataFrame:
    frame = rows.frame() if isinstance(rows, ObservationRows) else pd.DataFrame(rows)
    return frame.assign(
        area_level=frame["area_code"].map(lambda c: catalog.areas[c].level),
        area_parent=frame["area_code"].map(lambda c: catalog.areas[c].parent),
        indicator_name=frame["indicator_id"].map(lambda i: catalog.indicators[i].name),
        unit=frame["indicator_id"].map(lambda i: catalog.indicators[i].unit),
        area_name=frame["area_code"].map(lambda c: catalog.areas[c].name),
        dataset=NEW_DATASET, dataset_id=float("inf"),
    )


def _with_stored(new: pd.DataFrame, stored: pd.DataFrame | None, threshold: int,
                 relations: Relations) -> pd.DataFrame:
    """All rows of the indicators concerned (and those linked to them), suppressed as one: the stored
    ones first, then the upload."""
    if stored is None or stored.empty:
        return suppress(new, threshold, relations=relations)
    same = stored[stored["indicator_id"].isin(relations.closure(new["indicator_id"]))]
    combined = pd.concat([same.assign(_new=False), new.assign(_new=True)], ignore_index=True)
    return suppress(combined, threshold, relations=relations)


def preview_frame(rows: list[dict[str, Any]], catalog: Catalog, threshold: int,
                  stored: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows an upload would store, as shown to staff: hidden wherever the pages would hide them."""
    new = _new_rows(rows, catalog)
    shown = _with_stored(new, stored, threshold, catalog.relations)
    if "_new" in shown:
        shown = shown[shown.pop("_new").astype(bool)]
    return shown.reset_index(drop=True)


def conflict_table(conflicts: pd.DataFrame, rows: list[dict[str, Any]], catalog: Catalog, threshold: int,
                   stored: pd.DataFrame) -> pd.DataFrame:
    """The conflicts with stored figures, both values hidden where the pages hide them (now or after Opslaan)."""
    if conflicts.empty:
        return conflicts
    new = _new_rows(rows, catalog)
    after = _with_stored(new, stored, threshold, catalog.relations)
    linked = catalog.relations.closure(new["indicator_id"])
    now = suppress(current_values(stored[stored["indicator_id"].isin(linked)]), threshold, relations=catalog.relations)
    key = ["indicator_id", "area_code", "period"]

    def hidden(frame: pd.DataFrame) -> dict[tuple, str]:
        rows_ = frame[frame["suppressed"]]
        return {(i, a, str(p)): hidden_text(r) for (i, a, p), r in zip(
            rows_[key].itertuples(index=False, name=None), rows_["suppressed_reason"], strict=True)}

    hidden_now, hidden_after = hidden(now), hidden(after[after["_new"].astype(bool)] if "_new" in after else after)
    hidden_stored = {**hidden(after[~after["_new"].astype(bool)]), **hidden_now} if "_new" in after else hidden_now
    units = {i: catalog.indicators[i].unit for i in conflicts["indicator_id"]}
    table = conflicts.copy()
    for column, secret in (("bestaande waarde", hidden_stored), ("nieuwe waarde", hidden_after)):
        table[column] = [
            secret.get((i, a, str(p))) or format_value(v, units[i])
            for i, a, p, v in zip(table["indicator_id"], table["area_code"], table["period"], table[column],
                                  strict=True)
        ]
    return table
