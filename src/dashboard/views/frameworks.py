"""Gegevens, section Beleidskader: the plan template, upload with preview (staff), and the stored versions."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import app_data
from dashboard.catalog.models import Catalog, Framework
from dashboard.ingest.framework_file import build_framework_workbook
from dashboard.ingest.framework_upload import commit_framework, plan_framework_import, preview_pages
from dashboard.markdown_text import escape
from dashboard.settings import Settings
from dashboard.store.store import Store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAVED_KEY = "_kader_opgeslagen"
CHOOSE_KEY = "_kader_kiezen"  # the framework just stored, to be chosen in the sidebar on the next run


def downloads(catalog: Catalog, framework: Framework) -> None:
    st.markdown(
        "Een beleidsplan komt in het dashboard met een Excel-bestand: de ambitie, de thema's met hun doelen, "
        "de 0-meting en wanneer we tevreden zijn (bijvoorbeeld ‘blijft gelijk of daalt’, ‘stijgt met ten minste "
        "20%’, ‘daalt van 17% naar 15%’, ‘bereikt ten minste 20’), de activiteiten, eindproducten en evaluatie "
        "per doel, wat het plan zegt bij de vier hefbomen (met eigen namen en blokkades), kernwaarden, "
        "sturingsuitgangspunten en de momenten van de beleidscyclus. Het dashboard maakt er een Overzicht, een "
        "pagina per thema en de hefboompagina's van. Het blad ‘toelichting’ beschrijft elk blad."
    )
    left, right = st.columns(2)
    left.download_button("Download het sjabloon voor een beleidskader", partial(build_framework_workbook, catalog),
                         "beleidskader-sjabloon.xlsx", mime=XLSX, icon=":material/download:", key="kader_sjabloon")
    right.download_button(f"Download ‘{escape(framework.short_name)}’ in het sjabloon",
                          partial(build_framework_workbook, catalog, framework), f"kader-{framework.id}.xlsx",
                          mime=XLSX, icon=":material/download:", key="kader_export",
                          help="Het gekozen beleidskader ingevuld: om aan te passen en opnieuw in te lezen.")


def upload(catalog: Catalog, store: Store, settings: Settings, user: str) -> None:
    """Upload, check and preview a plan file; store it only after the button."""
    if saved := st.session_state.pop(SAVED_KEY, None):
        st.success(saved, icon=":material/check_circle:")
    uploaded = st.file_uploader("Kies een ingevuld sjabloon voor een beleidskader (.xlsx)", type=["xlsx"],
                                key="kader_upload")
    if uploaded is None:
        return
    plan = plan_framework_import(uploaded.name, uploaded.getvalue(), catalog, store, settings.upload_max_bytes)
    if not plan.can_commit or plan.parse.framework is None:
        st.error(f"{escape(uploaded.name)} kan niet worden ingelezen als beleidskader; er wordt niets opgeslagen.")
        st.markdown("\n".join(f"- {escape(m)}" for m in plan.messages()))
        return
    framework = plan.parse.framework
    st.subheader(f"Voorbeeld: {escape(framework.name)}")
    st.caption(f"{len(framework.themes)} {escape(framework.themes_label.lower())}, {len(framework.goals)} doelen, "
               f"periode {escape(framework.period)}. Deze pagina's komen erbij:")
    for title, lines in preview_pages(framework, catalog):
        with st.container(border=True):
            st.markdown(f"**{escape(title)}**")
            st.markdown("\n".join(f"- {escape(line)}" for line in lines))
    for notice in [*plan.parse.notices, *([plan.replaces] if plan.replaces else [])]:
        st.info(escape(notice))
    if st.button("Kader opslaan", type="primary", icon=":material/save:", key="kader_opslaan"):
        _row_id, version = commit_framework(plan, store, user)
        app_data.refresh()
        st.session_state[SAVED_KEY] = (f"Kader ‘{escape(framework.name)}’ opgeslagen als versie {version}. Het is nu "
                                       "gekozen in de zijbalk bij Beleidskader.")
        st.session_state[CHOOSE_KEY] = framework.id  # app.py selects it before the sidebar is drawn
        st.rerun()


def versions(store: Store, user: str | None) -> None:
    """Every imported version, with withdraw/restore for staff and the original file."""
    for problem in app_data.skipped_frameworks():
        st.warning(problem)
    table = store.framework_versions()
    if table.empty:
        st.caption("Er zijn nog geen beleidskaders ingelezen; de meegeleverde kaders komen uit de beleidsdocumenten.")
        return
    for row in table.itertuples():
        with st.container(border=True):
            status = "actief" if row.status == "active" else "ingetrokken"
            st.markdown(f"**{escape(row.name)}** · versie {row.version} · {status}")
            st.caption(f"kader {escape(row.framework_id)} · ingelezen door {escape(row.created_by)} op "
                       f"{row.created_at:%d-%m-%Y %H:%M} · bestand {escape(row.file_name)} · sha256 {row.sha256[:12]}…")
            if user is None:
                continue
            left, right, _ = st.columns([1, 1, 3])
            action, new_status = ("Intrekken", "withdrawn") if row.status == "active" else ("Herstellen", "active")
            if left.button(action, key=f"kader_status_{row.id}",
                           icon=":material/visibility_off:" if new_status == "withdrawn" else ":material/restore:"):
                store.set_framework_version_status(int(row.id), new_status, actor=user)
                app_data.refresh()
                st.rerun()
            original = store.framework_version_file(int(row.id))
            if original is not None:
                right.download_button("Oorspronkelijk bestand", original[1], original[0], key=f"kader_bestand_{row.id}",
                                      icon=":material/download:")


def plan_on_lever(framework: Framework, lever_id: str) -> None:
    """What the chosen plan says at this lever (from its plan file's sheet 'hefbomen'), as text."""
    texts = [text for lever, text in framework.lever_texts if lever == lever_id]
    if texts:
        st.subheader(f"Uit {escape(framework.short_name)}")
        st.markdown("\n".join(f"- {escape(text)}" for text in texts))
