"""Gegevens: the datasets in the store and downloads of all data behind the dashboard."""

import streamlit as st

from dashboard import app_data
from dashboard.exports import export_frame, to_csv_bytes, to_xlsx_bytes

observations = app_data.observations()
datasets = app_data.store().datasets()

st.title("Gegevens")
st.markdown(
    "Alle cijfers in het dashboard staan in datasets. Een dataset wordt nooit verwijderd: ingetrokken "
    "datasets blijven bewaard met hun oorspronkelijke bestand en controlegetal."
)

active = datasets[datasets["status"] == "active"] if not datasets.empty else datasets
c1, c2, c3 = st.columns(3)
c1.metric("Actieve datasets", len(active))
c2.metric("Cijfers", len(observations))
c3.metric("Indicatoren met cijfers", observations["indicator_id"].nunique())

st.subheader("Datasets")
for row in datasets.itertuples():
    with st.container(border=True):
        status = "actief" if row.status == "active" else "ingetrokken"
        st.markdown(f"**{row.name}** · {status}")
        st.caption(
            f"{row.row_count} cijfers · ingelezen door {row.created_by} op {row.created_at:%d-%m-%Y %H:%M} · "
            f"bestand {row.source_file} · sha256 {row.sha256[:12]}…"
        )

st.subheader("Alle gegevens downloaden")
st.markdown("Alle actieve cijfers, in dezelfde kolommen als `python -m dashboard export`.")
frame = export_frame(observations)
left, right, _ = st.columns([1, 1, 4])
left.download_button("CSV", to_csv_bytes(frame), "jeugddashboard.csv", "text/csv", icon=":material/download:")
right.download_button("Excel", to_xlsx_bytes(frame), "jeugddashboard.xlsx", icon=":material/download:",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
