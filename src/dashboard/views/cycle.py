"""The policy cycle on the page Leren en verbeteren: planned moments, meetings, beweging and progress.

Everybody reads; logged-in staff record. Text typed by users is shown escaped, never as Markdown.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.cycle import beweging_table, due_reviews, goals_named, progress_table, schedule
from dashboard.analysis.periods import PERIOD_FORMATS_NL
from dashboard.catalog.models import REVIEW_KIND_NAMES, Catalog, Framework
from dashboard.cycle_export import cycle_docx, cycle_markdown, figure_line
from dashboard.markdown_text import escape
from dashboard.store.cycle import BEWEGING_KINDS, OUTCOME_KINDS, PROGRESS_STATUSES, split_lines
from dashboard.text_limits import limit

PARTICIPANT_GROUPS = ["gemeenten", "samenwerkingspartners", "ouders", "jeugdigen", "jeugdhulpaanbieders",
                      "onderwijs", "consortia", "gemeenteraad"]
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(value: object) -> str:
    return escape(str(value)).replace("\n", "  \n") if isinstance(value, str) else ""


def _saved(message: str) -> None:
    """After a write: show the page again with the new row, and say what was stored."""
    st.session_state["cyclus_melding"] = message
    st.rerun()


def reminders(framework: Framework, today: date | None = None, link: bool = False) -> None:
    """One reminder of the plan's moments that are due or overdue and not recorded (Overzicht, Leren)."""
    due = due_reviews(framework, app_data.store().cycle_meetings(framework.id), today or date.today())
    if not due:
        return
    upcoming = [d for d in due if not d.overdue]
    first = upcoming[0] if upcoming else due[-1]  # the next one, else the most recent one missed
    overdue = sum(d.overdue for d in due)
    lead = (f"{overdue} moment(en) uit het beleidsplan zijn verstreken zonder dat ze zijn vastgelegd. "
            if overdue else "")
    when = "Binnenkort" if upcoming else "Laatste"
    st.warning(f"**Herinnering beleidscyclus.** {lead}{when}: {escape(first.message())}", icon=":material/event:")
    if link:
        st.page_link("app_pages/hefboom_leren.py", label="Naar de beleidscyclus (Leren en verbeteren)",
                     icon=":material/event_available:")


def _plan_years(framework: Framework) -> list[int]:
    """The years of the plan's looptijd ('2024-2027'); a plan stored before the import checked the looptijd
    may have none, and then the current year is offered."""
    years = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", framework.period)][:2]
    if not years:
        return [date.today().year]
    return list(range(years[0], max(years) + 1))


def _show_meeting(meeting: pd.Series, framework: Framework, catalog: Catalog, values: pd.DataFrame,
                  notes: pd.DataFrame) -> None:
    outcomes = app_data.store().cycle_outcomes([int(meeting["id"])])
    held_on = pd.Timestamp(meeting["held_on"]).strftime("%d-%m-%Y")
    st.markdown(f"**{escape(meeting['title'])}** · {REVIEW_KIND_NAMES.get(meeting['kind'], meeting['kind'])}, "
                f"{held_on} · vastgelegd door {escape(meeting['author'])}")
    st.markdown("**Deelnemers:** " + escape(", ".join(split_lines(meeting["participants"]))))
    figures = split_lines(meeting["figures"])
    if figures:
        st.markdown("**Bekeken cijfers**")
        st.markdown("\n".join(f"- {escape(figure_line(i, catalog, framework, values))}" for i in figures))
    if isinstance(meeting["stories"], str):
        st.markdown("**Bekeken verhalen**  \n" + _text(meeting["stories"]))
    for kind, heading in (("conclusie", "Conclusies"), ("besluit", "Besluiten")):
        own = outcomes[outcomes["kind"] == kind]
        st.markdown(f"**{heading}**" + ("" if not own.empty else ": nog geen"))
        for _, row in own.iterrows():
            goals = escape(", ".join(goals_named(framework, row["goal_ids"])))
            st.markdown(f"- {_text(row['text'])}  \n  *Doelen: {goals}*")
    if isinstance(meeting["agenda_changes"], str):
        st.markdown("**Wat verandert in de uitvoeringsagenda**  \n" + _text(meeting["agenda_changes"]))
    own_notes = notes[notes["meeting"] == meeting["title"]] if not notes.empty else notes
    if not own_notes.empty:
        st.caption(f"{len(own_notes)} notitie(s) en verhaal/verhalen bij een bijeenkomst met deze naam staan in de "
                   "export; ze staan ook hieronder bij ‘Notities per bijeenkomst’.")
    if state.presentation_mode():  # the big screen reads; downloads are on the normal page
        return
    stem = "cyclus-" + "".join(c if c.isalnum() else "-" for c in str(meeting["title"])).strip("-").lower()
    left, right, _ = st.columns([1, 1, 3])
    left.download_button("Markdown", cycle_markdown(meeting, outcomes, framework, catalog, values, own_notes).encode(),
                         file_name=f"{stem}.md", mime="text/markdown", icon=":material/download:",
                         key=f"cyclus_md_{meeting['id']}")
    right.download_button("Word (.docx)", cycle_docx(meeting, outcomes, framework, catalog, values, own_notes),
                          file_name=f"{stem}.docx", mime=DOCX_MIME, icon=":material/download:",
                          key=f"cyclus_docx_{meeting['id']}")


def _meeting_form(framework: Framework, catalog: Catalog, user: str) -> None:
    with st.form("cyclus_bijeenkomst", clear_on_submit=True):
        st.markdown("**Bijeenkomst vastleggen**")
        kind = st.selectbox("Soort", list(REVIEW_KIND_NAMES), format_func=REVIEW_KIND_NAMES.get, key="cyclus_soort",
                            placeholder="Kies een soort")
        held_on = st.date_input("Datum", value=date.today(), format="DD-MM-YYYY", key="cyclus_datum")
        title = st.text_input("Titel", key="cyclus_titel", max_chars=limit("cycle_title"),
                              placeholder="bijvoorbeeld Tellen en vertellen IJmond 2026")
        participants = st.multiselect("Deelnemers (groepen)", PARTICIPANT_GROUPS, key="cyclus_deelnemers",
                                      placeholder="Kies of typ een groep",
                                      accept_new_options=True)
        indicator_ids = list(dict.fromkeys(i for t in framework.themes for i in t.all_indicators))
        figures = st.multiselect("Bekeken cijfers", indicator_ids, key="cyclus_cijfers", placeholder="Kies cijfers",
                                 format_func=lambda i: catalog.indicators[i].name)
        stories = st.text_area("Bekeken verhalen", key="cyclus_verhalen", max_chars=limit("cycle_text"))
        agenda = st.text_area("Wat verandert in de uitvoeringsagenda", key="cyclus_agenda",
                              max_chars=limit("cycle_text"))
        if st.form_submit_button("Bijeenkomst opslaan", icon=":material/event_available:"):
            try:
                app_data.store().add_cycle_meeting(
                    framework_id=framework.id, kind=kind, held_on=held_on, title=title, participants=participants,
                    author=user, figures=figures, stories=stories, agenda_changes=agenda)
            except ValueError as exc:
                st.error(str(exc))
            else:
                _saved("De bijeenkomst is opgeslagen.")


def _outcome_form(meeting_id: int, framework: Framework, user: str) -> None:
    with st.form("cyclus_uitkomst", clear_on_submit=True):
        st.markdown("**Conclusie of besluit toevoegen**")
        kind = st.radio("Soort", OUTCOME_KINDS, horizontal=True, key="cyclus_uitkomst_soort")
        text = st.text_area("Tekst", key="cyclus_uitkomst_tekst", max_chars=limit("cycle_text"))
        goals = st.multiselect("Over de doelen", [g.id for g in framework.goals], key="cyclus_uitkomst_doelen",
                               placeholder="Kies doelen",
                               format_func=lambda gid: next(f"{g.id} {g.name}" for g in framework.goals if g.id == gid))
        if st.form_submit_button("Conclusie of besluit opslaan", icon=":material/add:"):
            try:
                app_data.store().add_cycle_outcome(meeting_id, kind=kind, text=text, goal_ids=goals, author=user)
            except ValueError as exc:
                st.error(str(exc))
            else:
                _saved(f"De {kind} is opgeslagen.")


def _beweging(framework: Framework, user: str | None) -> None:
    goal_ids = [g.id for g in framework.goals if g.target.kind == "kwalitatief"]
    if not goal_ids:
        return
    _heading("Beweging: startbeeld en latere waarnemingen")
    st.caption("Per beweging (doel zonder cijfermatige norm) het startbeeld en wat daarna is gezien, in cijfers of "
               "verhalen, elk met periode en bron.")
    entries = app_data.store().beweging_entries(framework.id)
    table = beweging_table(framework, entries, goal_ids)
    shown = table.assign(later=table["later"].map(lambda items: "\n".join(items) or "nog niets vastgelegd"))
    st.dataframe(shown.drop(columns="doel_id").rename(columns={
        "beweging": "Beweging", "te meten met": "Te meten met", "startbeeld": "Startbeeld", "later": "Later gezien"}),
        hide_index=True, width="stretch")
    if user is None or state.presentation_mode():
        return
    with st.form("cyclus_beweging", clear_on_submit=True):
        st.markdown("**Startbeeld of waarneming vastleggen**")
        goal_id = st.selectbox("Beweging", goal_ids, key="cyclus_beweging_doel", placeholder="Kies een beweging",
                               format_func=lambda gid: next(g.name for g in framework.goals if g.id == gid))
        kind = st.radio("Soort", BEWEGING_KINDS, horizontal=True, key="cyclus_beweging_soort")
        period = st.text_input("Periode", key="cyclus_beweging_periode", help="; ".join(PERIOD_FORMATS_NL))
        text = st.text_area("Wat is gezien", key="cyclus_beweging_tekst", max_chars=limit("cycle_text"))
        value = st.number_input("Waarde (bij een cijfer, mag leeg)", value=None, key="cyclus_beweging_waarde")
        source = st.text_input("Bron", key="cyclus_beweging_bron", max_chars=limit("source"))
        if st.form_submit_button("Waarneming opslaan", icon=":material/add:"):
            try:
                app_data.store().add_beweging_entry(framework_id=framework.id, goal_id=goal_id, kind=kind,
                                                    period=period, text=text, source=source, author=user,
                                                    value=value)
            except ValueError as exc:
                st.error(str(exc))
            else:
                _saved("Opgeslagen.")


def _progress(framework: Framework, user: str | None) -> None:
    if not any(g.budget_indicators for g in framework.goals):
        return
    _heading(f"Voortgang per {escape(framework.theme_label.lower())} en {escape(framework.activity_label.lower())}")
    years = _plan_years(framework)
    if state.presentation_mode():  # no controls on the big screen: the plan's latest year
        year = years[-1]
        st.caption(f"Voortgang {year}")
    else:
        year = st.selectbox("Jaar", years, index=len(years) - 1, key="cyclus_voortgang_jaar",
                            placeholder="Kies een jaar")
    table = progress_table(framework, app_data.store().progress(framework.id), int(year))
    st.dataframe(table.rename(columns=str.capitalize), hide_index=True, width="stretch")
    if user is None or state.presentation_mode():
        return
    options = [(t.id, None, None) for t in framework.themes]
    for theme in framework.themes:
        for goal in theme.goals:
            options.append((theme.id, goal.id, None))
            options.extend((theme.id, goal.id, action) for action in goal.actions)
    names = {t.id: t.short_name for t in framework.themes} | {g.id: g.name for g in framework.goals}

    def describe(option: tuple[str, str | None, str | None]) -> str:
        theme_id, goal_id, action = option
        return " › ".join(p for p in (names[theme_id], names.get(goal_id or ""), action) if p)

    with st.form("cyclus_voortgang", clear_on_submit=True):
        st.markdown(f"**Voortgang {year} vastleggen**")
        chosen = st.selectbox("Onderdeel", options, format_func=describe, key="cyclus_voortgang_onderdeel",
                              placeholder="Kies een onderdeel")
        status = st.selectbox("Status", PROGRESS_STATUSES, key="cyclus_voortgang_status",
                              placeholder="Kies een status")
        text = st.text_area("Toelichting", key="cyclus_voortgang_tekst", max_chars=limit("cycle_text"))
        if st.form_submit_button("Voortgang opslaan", icon=":material/add:"):
            try:
                app_data.store().add_progress(framework_id=framework.id, year=int(year), theme_id=chosen[0],
                                              goal_id=chosen[1], activity=chosen[2], status=status, text=text,
                                              author=user)
            except ValueError as exc:
                st.error(str(exc))
            else:
                _saved("Opgeslagen.")


def _heading(text: str) -> None:
    """A step's title on the big screen (each step is a view of its own), else a subheader."""
    if state.presentation_mode():
        st.title(text)
    else:
        st.header(text)


CYCLE = "Beleidscyclus"
MEETINGS = "Bijeenkomsten van de cyclus"
BEWEGING = "Beweging"
PROGRESS = "Voortgang"


def cycle_steps(framework: Framework) -> list[str]:
    """The parts of the cycle as views: one below the other normally, one per screen in presentation mode."""
    return [CYCLE, MEETINGS,
            *([BEWEGING] if any(g.target.kind == "kwalitatief" for g in framework.goals) else []),
            *([PROGRESS] if any(g.budget_indicators for g in framework.goals) else [])]


def cycle_step(step: str, framework: Framework, catalog: Catalog, values: pd.DataFrame, notes: pd.DataFrame,
               user: str | None) -> None:
    """One part of the cycle (see cycle_steps)."""
    if step == CYCLE:
        _overview(framework)
    elif step == MEETINGS:
        _meetings(framework, catalog, values, notes, user)
    elif step == BEWEGING:
        _beweging(framework, user)
    else:
        _progress(framework, user)


def cycle_section(framework: Framework, catalog: Catalog, values: pd.DataFrame, notes: pd.DataFrame,
                  user: str | None) -> None:
    """The whole cycle, one part below the other."""
    for step in cycle_steps(framework):
        cycle_step(step, framework, catalog, values, notes, user)


def _overview(framework: Framework) -> None:
    if state.presentation_mode():
        st.title(f"Beleidscyclus {escape(framework.short_name)}")
    else:
        st.header(f"Beleidscyclus {escape(framework.short_name)}")
    if message := st.session_state.pop("cyclus_melding", None):
        st.success(message, icon=":material/check:")
    reminders(framework)
    plan = schedule(framework, app_data.store().cycle_meetings(framework.id), date.today())
    if plan.empty:
        st.markdown("Het beleidsplan noemt geen vaste data voor review of evaluatie; leg de bijeenkomsten hieronder "
                    "vast.")
    else:
        st.markdown("**Momenten uit het beleidsplan**")
        st.dataframe(plan.assign(uiterlijk=plan["uiterlijk"].map(lambda d: d.strftime("%d-%m-%Y")))
                     .rename(columns=str.capitalize), hide_index=True, width="stretch")
    if framework.monitoring_steps:
        st.markdown("**Hoe weten we of we op de goede weg zijn?** Het beleidsplan neemt deze stappen:\n"
                    + "\n".join(f"- {escape(step)}" for step in framework.monitoring_steps))


def _meetings(framework: Framework, catalog: Catalog, values: pd.DataFrame, notes: pd.DataFrame,
              user: str | None) -> None:
    presenting = state.presentation_mode()
    _heading(MEETINGS)
    meetings = app_data.store().cycle_meetings(framework.id)
    if meetings.empty:
        st.markdown("Er is nog geen bijeenkomst vastgelegd voor dit beleidskader.")
    else:
        ids = list(meetings["id"].astype(int))
        labels = {int(r.id): f"{pd.Timestamp(r.held_on).strftime('%d-%m-%Y')} · {r.title}"
                  for r in meetings.itertuples()}
        if presenting:  # no controls on the big screen: the newest meeting
            chosen = ids[-1]
        else:
            chosen = st.selectbox("Bijeenkomst", ids[::-1], format_func=labels.get, key="cyclus_bijeenkomst_keuze",
                                  placeholder="Kies een bijeenkomst")
        with st.container(border=not presenting):
            _show_meeting(meetings[meetings["id"] == chosen].iloc[0], framework, catalog, values, notes)
        if user is not None and not presenting:
            _outcome_form(int(chosen), framework, user)
            chosen_row = meetings[meetings["id"] == chosen].iloc[0]
            if chosen_row["author"] == user and st.button("Deze bijeenkomst intrekken", key="cyclus_intrekken",
                                                          icon=":material/visibility_off:"):
                app_data.store().set_cycle_meeting_status(int(chosen), user, "withdrawn")
                _saved("De bijeenkomst is ingetrokken; ze blijft bewaard en is niet meer zichtbaar.")
    if user is not None and not presenting:
        _meeting_form(framework, catalog, user)
