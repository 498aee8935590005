"""Notes beside the charts they belong to, and the form to write one (logged-in staff only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import app_data
from dashboard.analysis.periods import PERIOD_FORMATS_NL, is_valid, label
from dashboard.markdown_text import escape
from dashboard.note_export import note_subject, note_time
from dashboard.text_limits import limit, text_problem

KINDS = {"notitie": "Notitie", "verhaal": "Verhaal"}


def notes_for(notes: pd.DataFrame, indicator_id: str, area_codes: list[str] | None = None) -> pd.DataFrame:
    chosen = notes[notes["indicator_id"] == indicator_id]
    if area_codes is not None:
        chosen = chosen[chosen["area_code"].isin(area_codes) | chosen["area_code"].isna()]
    return chosen


def note_caption(note: pd.Series) -> str:
    parts = [KINDS.get(note.get("kind") or "notitie", "Notitie"), note["author"], note_time(note)]
    if pd.notna(note.get("updated_at")):
        parts.append("aangepast")
    if subject := note_subject(note):
        parts.append(subject)
    if isinstance(note.get("meeting"), str) and note["meeting"]:
        parts.append(f"bijeenkomst {note['meeting']}")
    return " · ".join(escape(p) for p in parts)


def show_note(note: pd.Series) -> None:
    """One note; its text is shown literally (escaped), never as Markdown or HTML."""
    with st.container(border=True):
        st.markdown(escape(note["text"]).replace("\n", "  \n"))
        st.caption(note_caption(note))


def notes_beside_chart(notes: pd.DataFrame) -> None:
    if notes.empty:
        return
    st.markdown(f"**Notities ({len(notes)})**")
    for _, note in notes.iterrows():
        show_note(note)


def note_form(user: str, key: str, *, indicator_id: str | None, area_options: dict[str, str],
              default_area: str | None = None, period_options: list[str] | None = None,
              meetings: list[str] | None = None) -> None:
    """Write a note; stored at once with the logged-in user as author."""
    with st.form(f"notitie_{key}", clear_on_submit=True, border=False):
        kind = st.radio("Soort", list(KINDS), format_func=KINDS.get, horizontal=True, key=f"soort_{key}")
        codes = list(area_options)
        area = st.selectbox("Gebied", codes, format_func=area_options.get, key=f"gebied_{key}",
                            placeholder="Kies een gebied",
                            index=codes.index(default_area) if default_area in codes else 0)
        period = st.selectbox("Periode", ["", *(period_options or [])], key=f"periode_{key}",
                              placeholder="Kies of typ een periode",
                              format_func=lambda p: label(p) if p else "(geen)", accept_new_options=True,
                              help="Kies een periode of typ er een: " + "; ".join(PERIOD_FORMATS_NL))
        left, right = st.columns(2)
        existing = left.selectbox("Bijeenkomst", ["", *(meetings or [])], key=f"bijeenkomst_{key}",
                                  placeholder="Kies een bijeenkomst",
                                  format_func=lambda m: m or "(geen)")
        new_meeting = right.text_input("of een nieuwe bijeenkomst", key=f"nieuwe_bijeenkomst_{key}",
                                       placeholder="bijvoorbeeld OOGO 12 maart 2026", max_chars=limit("meeting"))
        meeting = new_meeting.strip() or existing
        text = st.text_area("Tekst", key=f"tekst_{key}", max_chars=limit("note_text"))
        if st.form_submit_button("Notitie opslaan", icon=":material/edit_note:"):
            period = (period or "").strip()
            if not text.strip():
                st.error("De notitie is leeg; er is niets opgeslagen.")
            elif period and not is_valid(period):
                st.error(f"De periode ‘{escape(period)}’ kan niet worden gelezen; gebruik bijvoorbeeld "
                         f"{PERIOD_FORMATS_NL[0]}. Er is niets opgeslagen.")
            elif problem := (text_problem("note_text", text.strip()) or text_problem("meeting", meeting or None)):
                st.error(escape(f"Niet opgeslagen: {problem}."))
            else:
                app_data.store().add_note(text, user, indicator_id=indicator_id, area_code=area,
                                          period=period or None, meeting=meeting or None,
                                          kind=kind)
                app_data.refresh()
                st.success("De notitie is opgeslagen.", icon=":material/check:")
