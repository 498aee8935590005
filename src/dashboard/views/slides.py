"""One slide of a presentation: a title, a key message, one chart or map (or a theme's goals) and its source."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from dashboard import app_data, state
from dashboard.analysis.limits import figure_name, observations_behind
from dashboard.analysis.periods import label, sort_key
from dashboard.analysis.selection import (
    comparison_rows,
    framework_areas_with_references,
    indicator_rows,
    limit_indicators,
)
from dashboard.analysis.suppression import hidden_text
from dashboard.analysis.targets import Status
from dashboard.catalog.models import Area, Catalog, Framework, Goal
from dashboard.formatting import format_row, format_value
from dashboard.geo import BoundaryError
from dashboard.markdown_text import escape
from dashboard.presentations import Slide
from dashboard.views.charts import limit_spec
from dashboard.views.goal_cards import badge_markdown
from dashboard.views.indicator_views import comparison_view, goal_lines, references_for, trend_view
from dashboard.views.maps import municipality_map
from dashboard.views.overview import MunicipalityGoals, municipality_goals, summary_text
from dashboard.views.widgets import chart_with_data


def _value_text(row: pd.Series) -> str:
    if bool(row.get("suppressed", False)):
        return hidden_text(row.get("suppressed_reason"))
    return format_row(row)


def trend_message(rows: pd.DataFrame, municipality: Area) -> str:
    own = rows[rows["area_code"] == municipality.code]
    chosen = own if not own.empty else rows[rows["area_code"] == rows["area_code"].iloc[0]]
    first, last = chosen.iloc[0], chosen.iloc[-1]
    text = f"{escape(last['area_name'])}: {_value_text(last)} in {label(last['period'])}"
    if len(chosen) > 1:
        text += f", tegen {_value_text(first)} in {label(first['period'])}"
    return text + "."


def comparison_message(rows: pd.DataFrame, municipality: Area) -> str:
    municipalities = rows[rows["area_level"] == "gemeente"].dropna(subset=["value"])
    own = rows[rows["area_code"] == municipality.code]
    period = label(rows["period"].iloc[0])
    if own.empty or municipalities.empty:
        top = rows.dropna(subset=["value"]).iloc[0]
        return f"{escape(top['area_name'])}: {_value_text(top)} in {period}."
    rank = list(municipalities["area_code"]).index(municipality.code) + 1 \
        if municipality.code in set(municipalities["area_code"]) else None
    text = f"{escape(municipality.name)}: {_value_text(own.iloc[0])} in {period}"
    if rank is not None and len(municipalities) > 1:
        text += f", {rank}e van {len(municipalities)} gemeenten (hoogste eerst)"
    return text + "."


def limit_message(status: pd.DataFrame, unit: str) -> str:
    parts = []
    for row in status.itertuples():
        if row.exceeded:
            parts.append(f"{escape(row.area_name)}: grens overschreden met {format_value(abs(row.difference), unit)} "
                         f"in {label(row.period)}, onafgebroken sinds {label(row.since)}")
        else:
            parts.append(f"{escape(row.area_name)}: binnen de grens in {label(row.period)}")
    return "; ".join(parts) + "."


def _slide_values(slide: Slide, catalog: Catalog, framework: Framework, municipality: Area) -> pd.DataFrame:
    """Only the figures the slide shows (app_data query layer)."""
    if slide.kind in ("trend", "vergelijking"):
        baseline_areas = [a for g in framework.goals if slide.subject in g.indicators for a in g.baseline_areas]
        return app_data.values([slide.subject], [*framework_areas_with_references(framework, catalog),
                                                 municipality.code, *baseline_areas])
    if slide.kind == "kaart":
        return app_data.values([slide.subject], levels=("gemeente",))
    if slide.kind == "grens":
        limits = [lm for lm in catalog.limits if lm.id == slide.subject]
        return app_data.values(limit_indicators(limits, catalog), levels=app_data.LEVELS_BUT_WIJK)
    return app_data.values([], [])


def render_slide(slide: Slide, catalog: Catalog, framework: Framework, municipality: Area) -> None:
    """Everything on one screen: the title as heading, the key message in large type, the chart, the source.

    Slides are shown in presentation mode, so chart_with_data draws large charts without controls.
    """
    values = _slide_values(slide, catalog, framework, municipality)
    title, message = slide.title, slide.message
    if slide.kind in ("trend", "vergelijking"):
        indicator = catalog.indicators[slide.subject]
        rows = indicator_rows(values, indicator.id, framework_areas_with_references(framework, catalog))
        if slide.kind == "vergelijking":
            rows = comparison_rows(rows, indicator.id)
        st.title(title or escape(indicator.name))
        if rows.empty:
            st.info(f"Er zijn geen cijfers voor {escape(indicator.name.lower())} in {escape(framework.short_name)}.")
            return
        if slide.kind == "trend":
            goal = next((g for t in framework.themes for g in t.goals if indicator.id in g.indicators), None)
            st.markdown(f"## {message or trend_message(rows, municipality)}")
            focus = [municipality.code, *(goal.baseline_areas if goal else ())]
            trend_view(indicator, rows, f"dia_{slide.token}", goal_lines(goal, indicator.id, values, focus, catalog))
        else:
            st.markdown(f"## {message or comparison_message(rows, municipality)}")
            comparison_view(indicator, rows, municipality, references_for(municipality, catalog),
                            f"dia_{slide.token}")
    elif slide.kind == "kaart":
        indicator = catalog.indicators[slide.subject]
        municipal = values[(values["indicator_id"] == indicator.id) & (values["area_level"] == "gemeente")]
        st.title(title or f"{escape(indicator.name)} per gemeente")
        if municipal.empty:
            st.info(f"Er zijn geen cijfers per gemeente voor {escape(indicator.name.lower())}.")
            return
        period = max(municipal["period"].unique(), key=sort_key)
        rows = comparison_rows(municipal, indicator.id, period, levels=("gemeente",))
        st.markdown(f"## {message or comparison_message(rows, municipality)}")
        try:
            municipality_map(rows, indicator.unit, height=480, region=app_data.province_of(municipality.code))
        except BoundaryError as exc:
            st.error(f"De gemeentegrenzen kunnen niet worden geladen. {exc}")
    elif slide.kind == "grens":
        limit = next(lm for lm in catalog.limits if lm.id == slide.subject)
        unit = catalog.indicators[limit.limit_indicator].unit
        table, status = app_data.limit_comparison(limit)
        st.title(title or limit.name)
        if table.empty:
            st.info("Er zijn nog geen cijfers om tegen deze grens te houden.")
            return
        st.markdown(f"## {message or limit_message(status, unit)}")
        name = figure_name(limit, catalog)
        behind = observations_behind(limit, values, table["area_code"])
        chart_with_data(limit_spec(table, name, unit, limit.kind), behind, key=f"dia_{slide.token}",
                        alt_text=f"Staafdiagram: {name.lower()} per periode (rood boven de grens), "
                                 "de grens als zwart streepje.")
    else:  # doelen
        theme = framework.theme(slide.subject)
        goals = municipality_goals(app_data.goal_table(framework), municipality.code, framework, catalog
                                   ).of_theme(theme.id)
        st.title(title or escape(theme.name))
        st.markdown(f"## {message or goals_message(goals, municipality, catalog)}")
        rows = pd.concat([goals.own, goals.regional])
        for goal in theme.goals:
            goal_rows = rows[rows["doel_id"] == goal.id]
            if goal_rows.empty:
                continue
            badges = " ".join(badge_markdown(x) for x in dict.fromkeys(goal_rows["status"]))
            st.markdown(f"**{escape(goal.name)}** {badges}  \n{known_text(goal_rows, goal)}")
        st.caption(f"Bron van de doelen: {escape(framework.name)} · gemeente {escape(municipality.name)}")


KIND_NAMES = {"trend": "door de tijd", "vergelijking": "vergeleken", "kaart": "per gemeente", "grens": "tegen de grens",
              "doelen": "de doelen"}


def slide_title(slide: Slide, catalog: Catalog, framework: Framework | None) -> str:
    """A slide as a reader names it in a list: its own title, else the indicator, limit or theme it shows."""
    if slide.title:
        return slide.title
    if slide.kind in ("trend", "vergelijking", "kaart") and slide.subject in catalog.indicators:
        return f"{catalog.indicators[slide.subject].name}: {KIND_NAMES[slide.kind]}"
    if slide.kind == "grens":
        return next((lm.name for lm in catalog.limits if lm.id == slide.subject), "Grens")
    themes = {t.id: t.name for fw in catalog.frameworks.values() if framework in (None, fw) for t in fw.themes}
    return themes.get(slide.subject, "Doelen")


def goals_message(goals: MunicipalityGoals, municipality: Area, catalog: Catalog) -> str:
    """The key message of a goals slide; 'no new measurement' is said as what is known, not as a count."""
    rows = pd.concat([goals.own, goals.regional])
    measured = rows[rows["status"].isin([str(Status.ON_TRACK), str(Status.ATTENTION)])]
    if measured.empty and (rows["status"] == str(Status.NO_NEW_MEASUREMENT)).any():
        return (f"Voor {escape(municipality.name)} is er nog geen meting na de 0-meting. Wat bekend is: de 0-meting, "
                "de norm en waar de volgende meting vandaan komt.")
    return summary_text(goals, municipality.name, catalog) + "."


def known_text(rows: pd.DataFrame, goal: Goal) -> str:
    """What is known of one goal: the 0-meting and latest figures, the norm, and where the next measurement
    comes from; indicators without any figure are named together."""
    if (rows["status"] == str(Status.QUALITATIVE)).all():
        return "Gevolgd met verhalen en gesprekken (zie Leren en verbeteren)."
    known, unknown = [], []
    for row in rows.itertuples():
        if not row.indicator:
            continue
        name = f"{escape(row.indicator)} ({escape(row.gebied)})"
        if row.nulmeting == row.nulmeting and row.nulmeting is not None:
            text = f"{name}: 0-meting {format_value(row.nulmeting, row.eenheid)} ({label(row.nulmeting_periode)})"
            if row.laatste == row.laatste and row.laatste is not None:
                text += f", laatste {format_value(row.laatste, row.eenheid)} ({label(row.laatste_periode)})"
            known.append(text)
        else:
            unknown.append(name)
    parts = ["; ".join(known)] if known else []
    if unknown:
        parts.append("nog geen cijfers voor " + ", ".join(unknown))
    parts.append(f"norm: {escape(goal.target.text.rstrip('.'))}")
    if (rows["status"] == str(Status.NO_NEW_MEASUREMENT)).any():
        parts.append(f"volgende meting: {escape(goal.measured_by)}" if goal.measured_by
                     else "wanneer de volgende meting komt, noemt het beleidsplan niet")
    return " · ".join(parts) + "."


# --- stepping: one view per screen in presentation mode -----------------------------------------------------

# Arrow keys and the page keys of a presenter's clicker step through the views (the buttons below); Escape
# leaves presentation mode.
KEYBOARD = """<script>
// The handler is replaced on every render: one from an iframe Streamlit has since removed would no longer run.
const doc = window.parent.document;
if (doc.jeugddashboardKeys) doc.removeEventListener('keydown', doc.jeugddashboardKeys);
doc.jeugddashboardKeys = (event) => {
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName)) return;
  const next = ['ArrowRight', 'PageDown', ' '].includes(event.key);
  const previous = ['ArrowLeft', 'PageUp'].includes(event.key);
  const leave = event.key === 'Escape';
  if (!next && !previous && !leave) return;
  const key = next ? 'dia_volgende' : previous ? 'dia_vorige' : 'dia_verlaten';
  const button = doc.querySelector('.st-key-' + key + ' button');
  if (button && !button.disabled) { event.preventDefault(); button.click(); }
};
doc.addEventListener('keydown', doc.jeugddashboardKeys);
</script>"""

Step = tuple[str, Callable[[], None]]  # the step's title (for the step counter) and what it draws


def heading(text: str) -> None:
    """A section's heading: a page title on the big screen (each step is a view of its own), else a header
    (h2 under the page's h1: screen readers and axe-core expect no level skipped)."""
    if state.presentation_mode():
        st.title(text)
    else:
        st.header(text)


def _leave() -> None:
    """Back to the normal view of the same page, in the same tab; kader and gemeente stay as they were."""
    st.session_state["weergave"] = None
    for key in ("weergave", "stap"):
        if key in st.query_params:
            del st.query_params[key]
    st.session_state.pop("stap", None)


def current_step(count: int) -> int:
    """The step (1-based) of this page from the URL (`stap`); a step of another page does not carry over."""
    page = st.session_state.get("_page_path")
    if st.session_state.get("_stap_page") != page:
        st.session_state.pop("stap", None)
        st.session_state["_stap_page"] = page
    steps = [str(n) for n in range(1, count + 1)]
    return int(state.page_choice("stap", steps, "1"))


def leave_button() -> None:
    """'Verlaten' alone, for a presentation-mode page of one view (app.py adds it where no step bar is)."""
    st.button("Verlaten", key="dia_verlaten", icon=":material/close:", on_click=_leave)
    components.html(KEYBOARD, height=0)


def step_bar(step: int, count: int, title: str) -> None:
    """Previous, where we are, next and 'Verlaten' under the view; keyboard and clicker do the same."""
    st.session_state["_step_bar"] = True
    back, where, forward, leave = st.columns([1, 2, 1, 1], vertical_alignment="center")
    if back.button("Vorige", key="dia_vorige", icon=":material/arrow_back:", disabled=step == 1, width="stretch"):
        st.session_state["stap"] = str(step - 1)
        st.rerun()
    where.markdown(f"**{title}** · dia {step} van {count}")
    if forward.button("Volgende", key="dia_volgende", icon=":material/arrow_forward:", disabled=step == count,
                      width="stretch", type="primary"):
        st.session_state["stap"] = str(step + 1)
        st.rerun()
    leave.button("Verlaten", key="dia_verlaten", icon=":material/close:", width="stretch", on_click=_leave)
    components.html(KEYBOARD, height=0)


def step_through(steps: list[Step], title: str, url_extra: dict[str, str | list[str]] | None = None) -> None:
    """In the normal view every section one below the other; on the big screen one section per screen."""
    if not state.presentation_mode():
        for _, draw in steps:
            draw()
        return
    step = current_step(len(steps))
    state.keep_parameters()
    state.write_url({**(url_extra or {}), "stap": str(step)})
    steps[step - 1][1]()
    step_bar(step, len(steps), title)


class Sections:
    """Named sections of a page: one below the other normally, one per screen on the big screen.

    For pages whose code runs top to bottom: `with sections.section("Pilots"):`. On the big screen a section
    that is not the current step is drawn into a placeholder that is emptied again, so it shows nothing.
    """

    def __init__(self, title: str, names: list[str]) -> None:
        self.title, self.names = title, names
        self.presenting = state.presentation_mode()
        self.step = current_step(len(names)) if self.presenting else 0

    def shows(self, name: str) -> bool:
        return not self.presenting or self.names.index(name) + 1 == self.step

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        if self.shows(name):
            yield
            return
        holder = st.empty()
        with holder.container():
            yield
        holder.empty()

    def finish(self, url_extra: dict[str, str | list[str]] | None = None) -> None:
        if self.presenting:
            state.write_url({**(url_extra or {}), "stap": str(self.step)})
            step_bar(self.step, len(self.names), self.title)
