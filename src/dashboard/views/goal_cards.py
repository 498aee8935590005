"""A goal as a card: what we want, when we are satisfied, and per area the baseline, latest value and status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.analysis.periods import label
from dashboard.analysis.targets import Status
from dashboard.catalog.models import Goal
from dashboard.formatting import format_observation
from dashboard.markdown_text import escape

STATUS_STYLE = {
    Status.ON_TRACK: ("green", ":material/check_circle:"),
    Status.ATTENTION: ("orange", ":material/warning:"),
    Status.NO_NEW_MEASUREMENT: ("gray", ":material/schedule:"),
    Status.QUALITATIVE: ("blue", ":material/forum:"),
}


def status_badge(status_text: str) -> None:
    color, icon = STATUS_STYLE[Status(status_text)]
    st.badge(status_text, color=color, icon=icon)


def badge_markdown(status_text: str) -> str:
    """The status as an inline badge, so it is never cut off by a narrow column."""
    color, icon = STATUS_STYLE[Status(status_text)]
    return f":{color}-badge[{icon} {status_text}]"


def _measurement(value: float | None, period: str | None, unit: str, upper: float | None = None,
                 estimate: object = None) -> str:
    """'11–12% (2023)': a range and an estimate as the document states them."""
    if value is None or value != value:
        return "geen gegevens"
    return f"{format_observation(value, unit, upper, estimate)} ({label(period)})"


def _measurement_of(row: object, which: str) -> str:
    """The 0-meting ("nulmeting") or latest ("laatste") measurement of a goal-table row, range and estimate kept."""
    return _measurement(getattr(row, which), getattr(row, f"{which}_periode"), row.eenheid,
                        getattr(row, f"{which}_boven", None), getattr(row, f"{which}_schatting", None))


def goal_card(goal: Goal, rows: pd.DataFrame, highlight: str | None = None) -> None:
    """The goal with one line per measured area; the chosen municipality's lines first."""
    if highlight is not None and not rows.empty:
        rows = rows.assign(_first=rows["gebied_code"] != highlight).sort_values("_first", kind="stable")
    presenting = state.presentation_mode()
    with st.container(border=not presenting):
        if presenting:
            st.title(escape(goal.name))
        else:
            st.markdown(f"### {escape(goal.name)}")  # under the page's h2 "Doelen"
        if goal.desired_result:
            st.markdown(f"**Gewenst resultaat.** {escape(goal.desired_result)}")
        targets = dict.fromkeys([goal.target.text, *(rule.text for _, rule in goal.indicator_targets)])
        st.markdown("**Wanneer zijn we tevreden.** " + " ".join(escape(t) for t in targets))
        if goal.baseline_note:
            st.caption(f"Over de 0-meting: {escape(goal.baseline_note)}")
        for row in rows.itertuples():
            line = badge_markdown(row.status)
            if isinstance(row.indicator_id, str) and row.indicator_id:  # not for qualitative goals (NaN)
                line += (f" **{escape(row.gebied)}** · {escape(row.indicator)}: 0-meting "
                         f"{_measurement_of(row, 'nulmeting')}, laatste meting {_measurement_of(row, 'laatste')}")
            st.markdown(line)
            st.caption(row.toelichting)
            if row.status == Status.QUALITATIVE:
                st.page_link("app_pages/hefboom_leren.py", label="Notities en verhalen (Leren en verbeteren)",
                             icon=":material/forum:")
        if presenting:  # no controls on the big screen: the measuring source as text
            if goal.measured_by:
                st.markdown(f"**Gemeten met:** {escape(goal.measured_by)}")
        elif goal.actions or goal.measured_by or goal.end_products or goal.evaluation or goal.budget_indicators:
            with st.expander("Acties en meetbron"):
                for action in goal.actions:
                    st.markdown(f"- {escape(action)}")
                if goal.end_products:
                    st.markdown("**Eindproducten:**\n" + "\n".join(f"- {escape(item)}" for item in goal.end_products))
                if goal.evaluation:
                    st.markdown("**Evaluatie en monitoring:**\n"
                                + "\n".join(f"- {escape(item)}" for item in goal.evaluation))
                if goal.budget_indicators:
                    st.page_link("app_pages/hefboom_regels.py", icon=":material/euro:",
                                 label="Budget uit het Transformatiefonds: zie Regels, kaders en randvoorwaarden")
                if goal.measured_by:
                    st.markdown(f"**Gemeten met:** {escape(goal.measured_by)}")
