"""The policy cycle: which planned moments are due, the beweging table, and progress per action line.

A planned moment (a review, an evaluation, the yearly tellen-en-vertellen meeting) counts as held when a
meeting of the same kind is recorded for the framework in the year the moment is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard.analysis.periods import sort_key
from dashboard.catalog.models import REVIEW_KIND_NAMES, Framework, PlannedReview
from dashboard.store.cycle import split_lines

REMINDER_DAYS = 60  # a moment is "binnenkort" this many days before it is due


@dataclass(frozen=True)
class DueReview:
    review: PlannedReview
    overdue: bool

    @property
    def name(self) -> str:
        return REVIEW_KIND_NAMES.get(self.review.kind, self.review.kind)

    @property
    def due(self) -> date:
        return date.fromisoformat(self.review.due)

    def message(self) -> str:
        when = self.due.strftime("%d-%m-%Y")
        state = f"was gepland uiterlijk {when} en is nog niet vastgelegd" if self.overdue \
            else f"staat gepland uiterlijk {when}"
        source = f" (beleidsplan {self.review.source})" if self.review.source else ""
        return f"{self.name}: {self.review.text} Dit moment {state}{source}."


def held(review: PlannedReview, meetings: pd.DataFrame) -> bool:
    if meetings.empty:
        return False
    due_year = date.fromisoformat(review.due).year
    return bool(((meetings["kind"] == review.kind) & (meetings["year"].astype(int) == due_year)).any())


def due_reviews(framework: Framework, meetings: pd.DataFrame, today: date,
                horizon_days: int = REMINDER_DAYS) -> list[DueReview]:
    """Moments of the plan that are overdue or due within the horizon and have no meeting recorded."""
    out = []
    for review in framework.reviews:
        due = date.fromisoformat(review.due)
        if held(review, meetings) or due > today + timedelta(days=horizon_days):
            continue
        out.append(DueReview(review, overdue=due < today))
    return sorted(out, key=lambda d: (not d.overdue, d.review.due))


def schedule(framework: Framework, meetings: pd.DataFrame, today: date) -> pd.DataFrame:
    """Every planned moment with its state: gehouden, te laat, binnenkort, gepland."""
    rows = []
    for review in framework.reviews:
        due = date.fromisoformat(review.due)
        if held(review, meetings):
            state = "gehouden"
        elif due < today:
            state = "niet vastgelegd"
        elif due <= today + timedelta(days=REMINDER_DAYS):
            state = "binnenkort"
        else:
            state = "gepland"
        rows.append({"moment": REVIEW_KIND_NAMES.get(review.kind, review.kind), "uiterlijk": due,
                     "omschrijving": review.text, "bron": review.source, "stand": state})
    return pd.DataFrame(rows, columns=["moment", "uiterlijk", "omschrijving", "bron", "stand"])


def beweging_table(framework: Framework, entries: pd.DataFrame, goal_ids: list[str] | None = None) -> pd.DataFrame:
    """One row per beweging (goal): its startbeeld and the later observations, each with period and source."""
    rows = []
    for goal in framework.goals:
        if goal_ids is not None and goal.id not in goal_ids:
            continue
        own = entries[entries["goal_id"] == goal.id] if not entries.empty else entries
        start = own[own["kind"] == "startbeeld"] if not own.empty else own
        later = own[own["kind"] != "startbeeld"] if not own.empty else own
        first = start.iloc[-1] if not start.empty else None
        ordered = sorted(later.itertuples(index=False), key=lambda r: (sort_key(r.period), r.id)) \
            if not later.empty else []
        rows.append({
            "doel_id": goal.id,
            "beweging": goal.desired_result or goal.name,
            "te meten met": goal.measured_by,
            "startbeeld": f"{first['text']} ({first['period']}; bron: {first['source']})" if first is not None
            else "nog geen startbeeld",
            "later": [f"{r.period} · {r.kind}: {r.text} (bron: {r.source})" for r in ordered],
        })
    return pd.DataFrame(rows, columns=["doel_id", "beweging", "te meten met", "startbeeld", "later"])


def progress_table(framework: Framework, progress: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per action line, onderwerp and activity the latest recorded status in a year (or "niet vastgelegd")."""
    rows = []
    chosen = progress[progress["year"].astype(int) == year] if not progress.empty else progress

    def latest(theme_id: str, goal_id: str | None, activity: str | None) -> tuple[str, str]:
        if chosen.empty:
            return "niet vastgelegd", ""
        match = chosen[(chosen["theme_id"] == theme_id)
                       & (chosen["goal_id"].fillna("") == (goal_id or ""))
                       & (chosen["activity"].fillna("") == (activity or ""))]
        if match.empty:
            return "niet vastgelegd", ""
        last = match.iloc[-1]
        return str(last["status"]), str(last["text"])

    for theme in framework.themes:
        rows.append({"actielijn": theme.name, "onderwerp": "", "activiteit": "",
                     **dict(zip(("status", "toelichting"), latest(theme.id, None, None), strict=True))})
        for goal in theme.goals:
            rows.append({"actielijn": theme.name, "onderwerp": goal.name, "activiteit": "",
                         **dict(zip(("status", "toelichting"), latest(theme.id, goal.id, None), strict=True))})
            for action in goal.actions:
                rows.append({"actielijn": theme.name, "onderwerp": goal.name, "activiteit": action,
                             **dict(zip(("status", "toelichting"), latest(theme.id, goal.id, action),
                                        strict=True))})
    return pd.DataFrame(rows, columns=["actielijn", "onderwerp", "activiteit", "status", "toelichting"])


def goals_named(framework: Framework, goal_ids_text: object) -> list[str]:
    """The goal names behind a stored multi-line goal id column (unknown ids are shown as their id)."""
    names = {g.id: g.name for g in framework.goals}
    return [f"{gid} {names[gid]}" if gid in names else gid for gid in split_lines(goal_ids_text)]
