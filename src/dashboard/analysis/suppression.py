"""Small-number suppression (DESIGN.md, Privacy).

Counts per wijk below the threshold are never shown, nor any percentage computed from
them. Every observation passes through `suppress` before it reaches a page, a download
or the command line, so no output path can skip it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def suppress(observations: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Blank out values of wijken that rest on fewer than `threshold` people; mark them."""
    frame = observations.copy()
    frame["suppressed"] = False
    if frame.empty:
        return frame
    is_wijk = frame["area_level"] == "wijk"
    small_count = (frame["unit"] == "count") & (frame["value"] < threshold)
    small_numerator = frame["numerator"].notna() & (frame["numerator"] < threshold)
    small_denominator = frame["denominator"].notna() & (frame["denominator"] < threshold)
    hide = is_wijk & (small_count | small_numerator | small_denominator)
    frame.loc[hide, [c for c in ("value", "numerator", "denominator", "value_upper") if c in frame.columns]] = np.nan
    frame.loc[hide, "suppressed"] = True
    return frame
