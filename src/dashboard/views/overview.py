"""What Overzicht and the theme pages say about one municipality: its goals' statuses and its key figures.

Both pages call the same functions, so they cannot contradict each other: a goal measured for the
municipality counts for the municipality; a goal measured for a region it belongs to counts for that region,
and the pages say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.analysis.goals import status_counts
from dashboard.analysis.periods import label, sort_key
from dashboard.analysis.targets import Status
from dashboard.catalog.models import Catalog, Framework
from dashboard.formatting import format_number, format_value
from dashboard.markdown_text import escape


def _applies_to(area_code: object, municipality_code: str, framework: Framework, catalog: Catalog) -> bool:
    """A region row belongs to a municipality when the region holds it (members or parent chain); a region
    without a member list (a GGD or youth-care region of the whole framework) belongs to every municipality."""
    if not isinstance(area_code, str) or area_code not in catalog.areas:
        return False
    area = catalog.areas[area_code]
    if area.level == "gemeente":
        return False
    if area.members:
        return municipality_code in area.members
    return area_code in catalog.with_ancestors(municipality_code) or municipality_code in framework.areas


@dataclass(frozen=True)
class MunicipalityGoals:
    """The rows of the goal table that concern one municipality, split by where they were measured."""

    own: pd.DataFrame  # measured for the municipality, plus qualitative goals (they hold for every municipality)
    regional: pd.DataFrame  # measured for a region the municipality belongs to

    @property
    def own_counts(self) -> dict[Status, int]:
        return status_counts(self.own)

    @property
    def regional_counts(self) -> dict[Status, int]:
        return status_counts(self.regional)

    def region_names(self, catalog: Catalog) -> list[str]:
        codes = dict.fromkeys(self.regional["gebied_code"]) if not self.regional.empty else {}
        return [catalog.areas[c].name for c in codes]

    def of_theme(self, theme_id: str) -> MunicipalityGoals:
        return MunicipalityGoals(_of_theme(self.own, theme_id), _of_theme(self.regional, theme_id))


def _of_theme(frame: pd.DataFrame, theme_id: str) -> pd.DataFrame:
    return frame[frame["thema_id"] == theme_id] if not frame.empty else frame


def municipality_goals(table: pd.DataFrame, municipality_code: str, framework: Framework,
                       catalog: Catalog) -> MunicipalityGoals:
    if table.empty:
        return MunicipalityGoals(table, table)
    codes = table["gebied_code"]
    own = table[(codes == municipality_code) | codes.isna()]
    regional = table[[_applies_to(c, municipality_code, framework, catalog) for c in codes]]
    return MunicipalityGoals(own, regional)


def counts_text(counts: dict[Status, int]) -> str:
    """'2 op koers, 1 aandacht nodig' (statuses without goals left out)."""
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n)


def summary_text(goals: MunicipalityGoals, municipality_name: str, catalog: Catalog) -> str:
    """One line for a theme, as Markdown (names escaped): the municipality's goals and, apart, the goals
    measured for its region."""
    parts = []
    if own := counts_text(goals.own_counts):
        parts.append(f"{escape(municipality_name)}: {own}")
    if regional := counts_text(goals.regional_counts):
        parts.append(f"gemeten voor de regio ({escape(', '.join(goals.region_names(catalog)))}): {regional}")
    return "; ".join(parts)


# --- key figures --------------------------------------------------------------------------------------------

DELTA_COLOR = {"lower_is_better": "inverse", "higher_is_better": "normal"}


def _difference_text(difference: float, unit: str) -> str:
    """A signed difference for st.metric's delta (which reads the arrow from a leading '-')."""
    sign = "-" if difference < 0 else "+" if difference > 0 else ""
    size = abs(difference)
    if unit == "percent":
        return f"{sign}{format_number(size, 1 if size % 1 else 0)} %-punt"
    if unit == "percent_change":
        return f"{sign}{format_number(size, 1 if size % 1 else 0)} procentpunt"
    return sign + format_value(size, unit)


def _baseline_period(framework: Framework, indicator_id: str) -> str | None:
    for theme in framework.themes:
        for goal in theme.goals:
            if indicator_id in goal.indicators and goal.baseline_period:
                return goal.baseline_period
    return None


def key_figure_indicators(framework: Framework) -> list[str]:
    """The indicators a key figure may come from, in order: the framework's headline ones, then its themes'."""
    return list(dict.fromkeys(
        [*framework.headline_indicators, *(i for theme in framework.themes for i in theme.all_indicators)]
    ))


def key_figures(framework: Framework, municipality_code: str, values: pd.DataFrame, catalog: Catalog,
                limit: int = 9) -> pd.DataFrame:
    """Per indicator of the framework the municipality's own latest figure (never a region's), with its
    change against the goal's 0-meting where the framework has one, else against the previous period.

    Columns: indicator_id, indicator_name, unit, period, value, source, dataset, delta (text or None),
    delta_color ('normal', 'inverse' or 'off'), basis (what the change is measured against, or None).
    """
    indicator_ids = key_figure_indicators(framework)
    own = values[(values["area_code"] == municipality_code) & values["value"].notna()]
    if "suppressed" in own:
        own = own[~own["suppressed"].astype(bool)]
    rows = []
    for indicator_id in indicator_ids:
        found = own[own["indicator_id"] == indicator_id]
        if found.empty or indicator_id not in catalog.indicators:
            continue
        indicator = catalog.indicators[indicator_id]
        ordered = sorted(found.itertuples(), key=lambda r: sort_key(r.period))
        latest = ordered[-1]
        baseline_period = _baseline_period(framework, indicator_id)
        earlier = next((r for r in ordered if r.period == baseline_period), None) if baseline_period else None
        basis = f"0-meting {label(earlier.period)}" if earlier is not None and earlier is not latest else None
        if basis is None and len(ordered) > 1:
            earlier, basis = ordered[-2], label(ordered[-2].period)
        delta = None
        if basis is not None and earlier is not None:
            delta = f"{_difference_text(latest.value - earlier.value, indicator.unit)} t.o.v. {basis}"
        rows.append({
            "indicator_id": indicator_id, "indicator_name": indicator.name, "unit": indicator.unit,
            "period": latest.period, "value": latest.value, "source": latest.source,
            "value_upper": getattr(latest, "value_upper", None), "estimate": getattr(latest, "estimate", None),
            "dataset": getattr(latest, "dataset", None), "delta": delta,
            "delta_color": DELTA_COLOR.get(indicator.direction, "off"), "basis": basis,
        })
        if len(rows) >= limit:
            break
    return pd.DataFrame(rows)
