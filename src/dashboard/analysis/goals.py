"""Evaluate the goals of a framework against the observations in the store."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.analysis.periods import sort_key
from dashboard.analysis.targets import STATUS_ORDER, Evaluation, Measurement, Status, evaluate
from dashboard.catalog.models import Catalog, Framework, Goal
from dashboard.formatting import is_estimate


@dataclass(frozen=True)
class GoalResult:
    goal_id: str
    goal_name: str
    theme_id: str
    indicator_id: str | None
    area_code: str | None
    baseline: Measurement | None
    latest: Measurement | None
    target_text: str
    evaluation: Evaluation


def current_values(observations: pd.DataFrame) -> pd.DataFrame:
    """One value per (indicator, area, period): where datasets disagree, the most recently loaded counts."""
    if observations.empty:
        return observations
    ordered = observations.sort_values("dataset_id")
    return ordered.drop_duplicates(["indicator_id", "area_code", "period"], keep="last")


def series(values: pd.DataFrame, indicator_id: str, area_code: str) -> list[Measurement]:
    rows = values[(values["indicator_id"] == indicator_id) & (values["area_code"] == area_code)]
    rows = rows[rows["value"].notna()]
    uppers = rows["value_upper"] if "value_upper" in rows else [None] * len(rows)
    estimates = rows["estimate"] if "estimate" in rows else [None] * len(rows)
    measurements = [Measurement(float(v), str(p), None if pd.isna(hi) else float(hi), is_estimate(est))
                    for v, p, hi, est in zip(rows["value"], rows["period"], uppers, estimates, strict=True)]
    return sorted(measurements, key=lambda m: sort_key(m.period))


def baseline_and_latest(
    measurements: list[Measurement], baseline_period: str | None
) -> tuple[Measurement | None, Measurement | None]:
    if baseline_period is None:
        return None, (measurements[-1] if measurements else None)
    baseline = next((m for m in measurements if m.period == baseline_period), None)
    later = [m for m in measurements if sort_key(m.period) > sort_key(baseline_period)]
    return baseline, (later[-1] if later else None)


def _goal_areas(goal: Goal, framework: Framework) -> tuple[str, ...]:
    return goal.baseline_areas or framework.areas


def evaluate_goal(goal: Goal, theme_id: str, framework: Framework, catalog: Catalog,
                  values: pd.DataFrame) -> list[GoalResult]:
    if goal.target.kind == "kwalitatief" or not goal.indicators:
        evaluation = evaluate(goal.target, None, None, "percent")
        return [GoalResult(goal.id, goal.name, theme_id, None, None, None, None, goal.target.text, evaluation)]
    results = []
    for indicator_id in goal.indicators:
        unit = catalog.indicators[indicator_id].unit
        rule = goal.rule_for(indicator_id)
        for area_code in _goal_areas(goal, framework):
            baseline, latest = baseline_and_latest(series(values, indicator_id, area_code), goal.baseline_period)
            results.append(GoalResult(
                goal.id, goal.name, theme_id, indicator_id, area_code, baseline, latest, rule.text,
                evaluate(rule, baseline, latest, unit),
            ))
    return results


def evaluate_framework(framework: Framework, catalog: Catalog, observations: pd.DataFrame) -> list[GoalResult]:
    values = current_values(observations)
    return [
        result
        for theme in framework.themes
        for goal in theme.goals
        for result in evaluate_goal(goal, theme.id, framework, catalog, values)
    ]


def results_frame(results: list[GoalResult], catalog: Catalog) -> pd.DataFrame:
    """The results as a table for pages and downloads, sorted so that attention comes first."""
    rows = []
    for r in results:
        indicator = catalog.indicators.get(r.indicator_id) if r.indicator_id else None
        rows.append({
            "doel_id": r.goal_id,
            "doel": r.goal_name,
            "thema_id": r.theme_id,
            "indicator_id": r.indicator_id,
            "indicator": indicator.name if indicator else "",
            "eenheid": indicator.unit if indicator else "",
            "gebied_code": r.area_code,
            "gebied": catalog.areas[r.area_code].name if r.area_code else "alle gemeenten",
            "nulmeting": r.baseline.value if r.baseline else None,
            "nulmeting_periode": r.baseline.period if r.baseline else None,
            "nulmeting_boven": r.baseline.upper if r.baseline else None,
            "nulmeting_schatting": r.baseline.estimate if r.baseline else False,
            "laatste": r.latest.value if r.latest else None,
            "laatste_periode": r.latest.period if r.latest else None,
            "laatste_boven": r.latest.upper if r.latest else None,
            "laatste_schatting": r.latest.estimate if r.latest else False,
            "doel_tekst": r.target_text,
            "status": str(r.evaluation.status),
            "toelichting": r.evaluation.reason,
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["_order"] = frame["status"].map({str(k): v for k, v in STATUS_ORDER.items()})
    return frame.sort_values(["_order", "doel_id"], kind="stable").drop(columns="_order").reset_index(drop=True)


def status_counts(frame: pd.DataFrame) -> dict[Status, int]:
    """Goals per status: a goal counts once, under its most urgent status."""
    counts = dict.fromkeys(Status, 0)
    if frame.empty:
        return counts
    worst = frame.assign(_o=frame["status"].map({str(k): v for k, v in STATUS_ORDER.items()}))
    for status_text in worst.sort_values("_o").drop_duplicates("doel_id")["status"]:
        counts[Status(status_text)] += 1
    return counts
