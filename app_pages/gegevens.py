"""Gegevens: upload (staff), the datasets with withdraw and restore, and downloads of all data."""

from functools import partial

import streamlit as st

from dashboard import app_data, state, text_limits
from dashboard.exports import to_csv_bytes, to_xlsx_bytes
from dashboard.ingest.template import build_template
from dashboard.ingest.upload import ImportPlan, commit_import, plan_import
from dashboard.markdown_text import escape
from dashboard.store.store import AreaTakenError, DuplicateDatasetError
from dashboard.views import frameworks, page_context, staff, upload_preview
from dashboard.views import upload as upload_view
from dashboard.views.slides import Sections
from dashboard.views.widgets import display_table

catalog = app_data.catalog()
settings = app_data.settings()
store = app_data.store()
figure_count, indicator_count = app_data.figure_counts()
datasets = store.datasets()

st.title("Gegevens")
staff.show_announcement()  # after Opslaan, intrekken or herstellen: the outcome first, above the new state
st.markdown(
    "Alle cijfers in het dashboard staan in datasets. Een dataset wordt nooit verwijderd: ingetrokken "
    "datasets blijven bewaard met hun oorspronkelijke bestand en controlegetal, en kunnen worden hersteld."
)
active = datasets[datasets["status"] == "active"] if not datasets.empty else datasets
c1, c2, c3 = st.columns(3)
c1.metric("Actieve datasets", len(active))
c2.metric("Cijfers", figure_count)
c3.metric("Indicatoren met cijfers", indicator_count)

presenting = state.presentation_mode()
if not presenting:
    st.header("Cijfers inlezen")
    st.download_button("Download het Excel-sjabloon", partial(build_template, catalog), "jeugddashboard-sjabloon.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:")
user = staff.current_user(settings)
if user is None:
    staff.login_panel(settings)
else:
    st.caption(f"Ingelogd als {escape(user)}.")
    staff.logout_button(settings, user)
    # A new key after each save empties the upload box; the limit shown is the app's own (DASHBOARD_UPLOAD_MAX_MB).
    upload_round = st.session_state.get("_upload_round", 0)
    upload_key = "upload" if not upload_round else f"upload_{upload_round}"
    uploaded = st.file_uploader("Kies een .xlsx- of .csv-bestand", type=["xlsx", "csv"], key=upload_key,
                                max_upload_size=max(1, settings.upload_max_bytes // 1_000_000))
    if uploaded is not None:
        name = st.text_input("Naam van de dataset", value=uploaded.name.rsplit(".", 1)[0], key="upload_naam",
                             max_chars=text_limits.limit("dataset_name"))
        source = st.text_input("Bron, bijvoorbeeld ‘CBS StatLine’ of ‘GGD Kennemerland’", value="",
                               key="upload_bron", help="Voor regels zonder kolom bron. Koppelingen van namen "
                               "worden per bron onthouden.", max_chars=text_limits.limit("source")).strip()
        sheets = upload_view.read_once(uploaded.file_id, uploaded.name, uploaded.getvalue, settings)
        version = upload_view.datasets_version(datasets)

        def make_plan(mapping: dict) -> ImportPlan:
            return plan_import(uploaded.name, uploaded.getvalue(), catalog, store, settings, source, mapping,
                               sheets=sheets)

        plan = upload_view.plan_once((uploaded.file_id, source, (), version), lambda: make_plan({}))
        chosen = upload_view.mapping_step(plan.unknown, catalog, uploaded.file_id) if (
            plan.unknown and not plan.refused and not plan.duplicate_of) else {}
        if chosen:
            plan = upload_view.plan_once((uploaded.file_id, source, tuple(sorted(chosen.items())), version),
                                         lambda: make_plan(chosen))
        for notice in plan.notices:
            st.info(escape(notice))
        name_problem = text_limits.text_problem("dataset_name", name)
        if name_problem:
            st.error(escape(f"De naam van de dataset kan zo niet worden opgeslagen: {name_problem}."))
        elif not plan.can_commit:
            still_unknown = {(u.kind, u.key) for u in plan.unknown}
            other = [str(p) for p in plan.problems if p.unknown not in still_unknown] if (
                not plan.refused and not plan.duplicate_of) else plan.messages()
            if still_unknown:
                st.warning(f"Nog {len(still_unknown)} namen te koppelen; daarna volgt het voorbeeld.",
                           icon=":material/link:")
            if other or not still_unknown:
                st.error(f"{escape(uploaded.name)} kan niet worden ingelezen; er wordt niets opgeslagen.")
                st.markdown("\n".join(f"- {escape(m)}" for m in (other or plan.messages())[:200]))
        else:
            st.subheader("Voorbeeld van wat wordt opgeslagen")
            summary = plan.summary()
            cols = st.columns(4)
            for col, (label, count) in zip(cols, summary.items(), strict=True):
                col.metric(label.capitalize(), count)
            upload_catalog = catalog.with_indicators(plan.new_indicators).with_areas(plan.new_areas)
            # What is stored for the upload's indicators, periods and areas, with whole suppression groups.
            stored = app_data.stored_for_upload(plan.rows, plan.new_areas)
            preview = upload_preview.preview_frame(plan.rows, upload_catalog, settings.privacy_threshold, stored)
            st.dataframe(display_table(preview.head(500)), hide_index=True, width="stretch")
            if not plan.conflicts.empty:
                st.warning(f"{len(plan.conflicts)} cijfers wijken af van cijfers die al in het dashboard staan; "
                           "na opslaan tellen de nieuwe.")
                st.dataframe(upload_preview.conflict_table(plan.conflicts, plan.rows, upload_catalog,
                                                           settings.privacy_threshold, stored), hide_index=True)
            if st.button("Opslaan", type="primary", icon=":material/save:"):
                try:
                    dataset_id = commit_import(plan, store, name, user)
                except text_limits.TextLimitError as exc:
                    st.error(escape(f"Niet opgeslagen: {exc}"))
                except (DuplicateDatasetError, AreaTakenError) as exc:  # stored by someone else since this preview
                    st.error(escape(str(exc)))
                else:
                    upload_view.forget_plans()
                    st.session_state["_upload_round"] = st.session_state.get("_upload_round", 0) + 1
                    staff.announce(f"Opgeslagen als dataset {dataset_id} ‘{escape(name)}’ met {summary['rijen']} "
                                   "cijfers; ze staan nu in het dashboard en in de lijst hieronder.")


def origin(row) -> str:
    """Where a dataset came from: a policy document by its name, an upload by the file name staff chose."""
    if isinstance(row.document, str) and row.document in catalog.documents:
        return f"uit {escape(catalog.documents[row.document].short_name)}"
    if row.kind != "upload":
        return "meegeleverd met het dashboard"
    return f"bestand {escape(row.source_file)}"


if not presenting:  # the plans are managed on the normal page; the big screen shows the datasets
    st.header("Beleidskaders")
    frameworks.downloads(catalog, page_context.framework())
    if user is not None:
        frameworks.upload(catalog, store, settings, user)
    frameworks.versions(store, user)

st.header("Datasets")
# On the big screen the counters stay on top and the datasets follow two per view.
per_view = 2 if presenting else max(1, len(datasets))
parts = [datasets.iloc[i:i + per_view] for i in range(0, len(datasets), per_view)] or [datasets]
sections = Sections("Gegevens", [f"Datasets {i}" for i in range(len(parts))])
shown_datasets = parts[sections.step - 1] if presenting else datasets
for row in shown_datasets.itertuples():
    with st.container(border=True):
        status = "actief" if row.status == "active" else "ingetrokken"
        example = " · voorbeelddata (fictief)" if row.is_example else ""
        st.markdown(f"**{escape(row.name)}** · {status}{example}")
        st.caption(
            f"{row.row_count} cijfers · ingelezen door {escape(row.created_by)} op "
            f"{row.created_at:%d-%m-%Y %H:%M} · {origin(row)} · controlegetal {row.sha256[:12]}…"
        )
        if user is not None:
            staff.dataset_actions(store, row, user)

if presenting:
    sections.finish()
    st.stop()
if user is not None:
    st.header("Logboek")
    st.markdown("Wie wanneer inlogde (ook mislukte pogingen), inlas, introk en herstelde; het nieuwste bovenaan.")
    st.dataframe(staff.audit_table(store), hide_index=True, width="stretch", key="logboek")
st.header("Alle gegevens downloaden")
st.markdown("Alle actieve cijfers, in dezelfde kolommen als `python -m dashboard export`.")
left, right, _ = st.columns([1, 1, 4])  # the data is read from the store only when a button is clicked
left.download_button("CSV", lambda: to_csv_bytes(app_data.export_all()), "jeugddashboard.csv", "text/csv",
                     icon=":material/download:")
right.download_button("Excel", lambda: to_xlsx_bytes(app_data.export_all()), "jeugddashboard.xlsx",
                      icon=":material/download:",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
