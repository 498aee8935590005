"""Hefboom Leren en verbeteren: tellen en vertellen (notes and stories), meetings, and the pilots."""

import streamlit as st

from dashboard import app_data, state
from dashboard.markdown_text import escape
from dashboard.note_export import figure_for, meeting_docx, meeting_markdown
from dashboard.text_limits import limit, text_problem
from dashboard.views import frameworks, page_context
from dashboard.views.cycle import cycle_step, cycle_steps
from dashboard.views.notes import note_caption, note_form, show_note
from dashboard.views.slides import Sections, heading
from dashboard.views.staff import current_user, login_panel

catalog = app_data.catalog()
lever = next(lv for lv in catalog.steering.levers if lv.id == "leren")
settings = app_data.settings()
user = current_user(settings)
notes = app_data.notes()
framework = page_context.framework()
# The figures notes are about, and those a policy-cycle meeting looked at (the framework's areas).
values = app_data.values(areas=[*notes["area_code"].dropna(), *framework.areas, *framework.reference_areas])

sections = Sections("Leren en verbeteren", [
    "Tellen en vertellen", *cycle_steps(framework), "Bijeenkomsten",
    *(["Notities"] if notes["meeting"].isna().any() else []),
    *(f"Pilots {i}" for i in range(0, len(catalog.pilots), 3))])
with sections.section("Tellen en vertellen"):
    st.title("Leren en verbeteren")
    st.markdown(lever.description)
    st.info(
        "**Tellen en vertellen.** Eenmaal per jaar wordt een bijeenkomst georganiseerd met gemeenten, "
        "samenwerkingspartners, ouders en jeugdigen om inzichten te duiden, te leren en te verbeteren. "
        "Het gaat met nadruk zowel om tellen als om vertellen. (Beleidsplan Jeugd IJmond 2023-2027, 6.5)",
        icon=":material/forum:",
    )
    frameworks.plan_on_lever(framework, "leren")

for step in cycle_steps(framework):
    with sections.section(step):
        cycle_step(step, framework, catalog, values, notes, user)

with sections.section("Bijeenkomsten"):
    heading("Notities per bijeenkomst")
    meetings = sorted(notes["meeting"].dropna().unique())
    if not meetings:
        st.markdown("Er zijn nog geen notities bij een bijeenkomst. Schrijf hieronder de eerste; geef de bijeenkomst "
                    "een naam (bijvoorbeeld ‘OOGO 12 maart 2026’) en alle notities ervan staan hier bij elkaar.")
    else:
        meeting = state.page_choice("bijeenkomst", meetings, meetings[-1])
        if not state.presentation_mode():  # on the big screen the link decides the meeting
            st.selectbox("Bijeenkomst", meetings, key="bijeenkomst", placeholder="Kies een bijeenkomst")
        state.write_url({"bijeenkomst": meeting})
        session = notes[notes["meeting"] == meeting]
        st.markdown(f"**{len(session)} notitie(s)** bij ‘{escape(meeting)}’, met het cijfer waar ze over gaan:")
        for _, note in session.iterrows():
            show_note(note)
            figure = figure_for(note, values)
            if figure:
                st.caption("Cijfer: " + escape(figure))
        if not state.presentation_mode():
            left, right, _ = st.columns([1, 1, 3])
            file_stem = "notities-" + "".join(c if c.isalnum() else "-" for c in meeting).strip("-").lower()
            left.download_button("Markdown", meeting_markdown(meeting, session, values).encode(),
                                 file_name=f"{file_stem}.md", mime="text/markdown", icon=":material/download:")
            right.download_button("Word (.docx)", meeting_docx(meeting, session, values),
                                  file_name=f"{file_stem}.docx", icon=":material/download:",
                                  mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

unattached = notes[notes["meeting"].isna()]
if not unattached.empty:
    with sections.section("Notities"):
        heading("Recente notities buiten een bijeenkomst")
        for _, note in unattached.iloc[::-1].head(10).iterrows():
            show_note(note)

if state.presentation_mode():
    pass
elif user is None:
    st.header("Notitie of verhaal schrijven")
    st.markdown("Notities schrijven, aanpassen en intrekken is voor ingelogde medewerkers. Iedereen kan ze lezen.")
    login_panel(settings)
else:
    st.header("Notitie of verhaal schrijven")
    st.caption(f"Ingelogd als {escape(user)}: wat u hier schrijft, staat op naam van dit account.")
    in_framework = [i for theme in framework.themes for i in theme.all_indicators]
    indicator_ids = list(dict.fromkeys(in_framework)) + sorted(set(catalog.indicators) - set(in_framework),
                                                               key=lambda i: catalog.indicators[i].name)
    chosen = st.selectbox("Indicator", ["", *indicator_ids], key="notitie_indicator", placeholder="Kies een indicator",
                          format_func=lambda i: catalog.indicators[i].name if i else "(geen: een algemene notitie)")
    areas = {code: catalog.areas[code].name for code in (*framework.areas, *framework.reference_areas)}
    periods = app_data.periods(chosen) if chosen else []
    note_form(user, "leren", indicator_id=chosen or None, area_options=areas,
              default_area=page_context.municipality().code, period_options=periods, meetings=meetings)

    own = app_data.store().notes(include_withdrawn=True)
    own = own[own["author"] == user]
    if not own.empty:
        st.subheader("Mijn notities")
        for _, note in own.iloc[::-1].iterrows():
            with st.container(border=True):
                withdrawn = note["status"] == "withdrawn"
                st.markdown(("~~ingetrokken~~ " if withdrawn else "") + escape(note["text"]).replace("\n", "  \n"))
                st.caption(note_caption(note))
                left, right, _ = st.columns([1, 1, 3])
                with left.popover("Aanpassen", icon=":material/edit:", disabled=withdrawn), \
                        st.form(f"aanpassen_{note['id']}", border=False):
                    new_text = st.text_area("Tekst", value=note["text"], key=f"tekst_aanpassen_{note['id']}",
                                            max_chars=limit("note_text"))
                    if st.form_submit_button("Opslaan"):
                        if problem := text_problem("note_text", new_text.strip()):
                            st.error(escape(f"Niet opgeslagen: {problem}."))
                        elif new_text.strip():
                            app_data.store().edit_note(int(note["id"]), user, new_text)
                            app_data.refresh()
                            st.rerun()
                        else:
                            st.error("Een notitie kan niet leeg zijn; gebruik Intrekken om haar weg te halen.")
                action, status = ("Herstellen", "active") if withdrawn else ("Intrekken", "withdrawn")
                if right.button(action, key=f"notitie_status_{note['id']}",
                                icon=":material/restore:" if withdrawn else ":material/visibility_off:"):
                    app_data.store().set_note_status(int(note["id"]), user, status)
                    app_data.refresh()
                    st.rerun()

PILOTS_PER_VIEW = 3
for first in range(0, len(catalog.pilots), PILOTS_PER_VIEW):
    with sections.section(f"Pilots {first}"):
        if first == 0 or sections.presenting:
            heading("Pilots en projecten uit de beleidsdocumenten")
        for pilot in catalog.pilots[first:first + PILOTS_PER_VIEW]:
            with st.container(border=True):
                st.markdown(f"**{pilot.name}**")
                st.markdown(pilot.description)
                docs = ", ".join(catalog.documents[d].short_name for d in pilot.documents if d in catalog.documents)
                indicators = ", ".join(catalog.indicators[i].name for i in pilot.indicators) or "nog geen indicator"
                st.caption(f"Genoemd in: {docs} · Gevolgd met: {indicators}")
sections.finish()
