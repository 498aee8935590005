"""Bronnen: every document and dataset with its figures; each figure with the quote it comes from."""

import pandas as pd
import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.periods import label
from dashboard.formatting import format_row
from dashboard.markdown_text import escape
from dashboard.sources import read_document
from dashboard.views.passages import clean_passage
from dashboard.views.slides import Sections, heading

catalog = app_data.catalog()
settings = app_data.settings()
datasets = app_data.datasets()
active = datasets[datasets["status"] == "active"] if not datasets.empty else datasets

if not state.presentation_mode():
    st.title("Bronnen")
    st.markdown(
        "Elk cijfer in het dashboard komt uit een dataset: een beleidsdocument, een upload of een "
        "CBS-verversing. Hieronder staat per bron welke cijfers eruit komen en, voor de beleidsdocumenten, de "
        "tekst waaruit elk cijfer is overgenomen. Noemen twee datasets een ander cijfer voor dezelfde "
        "indicator, hetzelfde gebied en dezelfde periode, dan toont het dashboard het cijfer uit de laatst "
        "ingelezen dataset."
    )


def figures_table(rows):
    return rows.assign(
        Waarde=[format_row(row) for _, row in rows.iterrows()],
        Periode=rows["period"].map(label),
        quote=rows["quote"].fillna(""), note=rows["note"].fillna(""),  # an empty cell, never "None"
    )[["indicator_name", "area_name", "Periode", "Waarde", "source", "quote", "note"]].rename(columns={
        "indicator_name": "Indicator", "area_name": "Gebied", "source": "Bron", "quote": "Citaat uit het document",
        "note": "Toelichting",
    })


def dataset_summary(counts):
    """Per indicator of a dataset: how many figures, for which periods and kinds of area, from which source.

    `counts` holds the number of figures (n) per indicator, period, kind of area and source
    (app_data.dataset_counts): a CBS table holds tens of thousands of figures; they are on the pages and in
    the downloads there.
    """
    levels = {"land": "land", "regio": "regio", "referentie": "vergelijkingsgroep", "gemeente": "gemeenten",
              "wijk": "wijken"}
    # One pass over the rows in plain Python: a pandas groupby per indicator cost a second per rerun at
    # 125,000 figures (bench --schaal), for a table of a hundred rows.
    grouped: dict[str, dict] = {}
    for name, period, level, source, n in zip(counts["indicator_name"], counts["period"], counts["area_level"],
                                              counts["source"], counts["n"], strict=True):
        entry = grouped.setdefault(name, {"n": 0, "periods": set(), "levels": {}, "sources": {}})
        entry["n"] += int(n)
        entry["periods"].add(period)
        entry["levels"][level] = entry["levels"].get(level, 0) + int(n)
        entry["sources"].setdefault(source, None)
    summary = []
    for name, entry in grouped.items():
        per_level = sorted(entry["levels"].items(), key=lambda item: -item[1])  # stable: ties keep their order
        summary.append({
            "Indicator": name, "Cijfers": entry["n"],
            "Perioden": ", ".join(label(x) for x in sorted(entry["periods"])),
            "Gebieden": ", ".join(f"{n} {levels.get(k, k)}" for k, n in per_level),
            "Bron": " · ".join(entry["sources"]),
        })
    return pd.DataFrame(summary, columns=["Indicator", "Cijfers", "Perioden", "Gebieden", "Bron"])


texts = {doc.file: read_document(settings.seeds_path, doc.file) for doc in catalog.documents.values()}
if not all(texts.values()) and not state.presentation_mode():
    st.caption("Elk cijfer staat hieronder met het citaat uit het document. De passage in de context van het "
               "hele document is te zien wanneer de map met de beleidsdocumenten is ingesteld "
               "(instelling DASHBOARD_SEEDS_PATH).")
documents = list(catalog.documents.values())
sections = Sections("Bronnen", [doc.file for doc in documents] + ["Datasets"])
if not sections.presenting:
    st.header("Beleidsdocumenten")
for doc in documents:
    with sections.section(doc.file), st.container(border=not sections.presenting):
        heading(doc.title)
        st.caption(f"{doc.area} · {doc.year}")
        rows = app_data.dataset_figures(active.loc[active["document"] == doc.file, "id"])
        if rows.empty:
            st.markdown("Uit dit document zijn geen cijfers overgenomen.")
            continue
        st.markdown(f"**{len(rows)} cijfers** uit dit document:")
        st.dataframe(figures_table(rows), hide_index=True, width="stretch")
        text = texts[doc.file]
        if text is None:
            continue
        if sections.presenting:
            continue
        passages = {int(r.id): clean_passage(text, r.quote) for r in rows.itertuples() if isinstance(r.quote, str)}
        labels = {int(r.id): f"{r.indicator_name} · {r.area_name} · {label(r.period)}" for r in rows.itertuples()
                  if passages.get(int(r.id))}
        without = len(rows) - len(labels)
        if without:
            st.caption(f"Bij {without} van de {len(rows)} cijfers is geen passage als lopende tekst te tonen: ze "
                       "komen uit een tabel of figuur van het document. Hun citaat staat in de tabel.")
        if not labels:
            continue
        key = f"passage_{doc.file}"
        from_url = st.query_params.get("passage", "")
        if key not in st.session_state and from_url.isdigit() and int(from_url) in labels:
            st.session_state[key] = int(from_url)  # a shared link points at one passage
        chosen = st.selectbox("Toon de passage in het document bij", list(labels), format_func=labels.get,
                              key=key, placeholder="Kies een cijfer",
                              on_change=lambda k=key: state.write_url({"passage": str(st.session_state[k])}))
        if chosen is not None:
            st.text(passages[chosen])  # plain text: nothing in a document is read as Markdown

with sections.section("Datasets"):
    heading("Datasets")
    if datasets.empty:
        st.info("Er zijn nog geen datasets.")
    else:
        shown = datasets.assign(
            Status=datasets["status"].map({"active": "actief", "withdrawn": "ingetrokken"}),
            Soort=datasets["kind"].map({"seed": "beleidsdocument", "upload": "upload", "cbs": "CBS StatLine"}),
            document=[catalog.documents[f].short_name if f in catalog.documents else ""
                      for f in datasets["document"]],  # the document's name, not its file
        )[["id", "name", "Soort", "document", "row_count", "created_by", "created_at", "Status", "sha256"]]
        st.dataframe(shown.rename(columns={
            "id": "Nr", "name": "Naam", "document": "Document", "row_count": "Cijfers", "created_by": "Door",
            "created_at": "Ingelezen op", "sha256": "Controlegetal (sha256)",
        }), hide_index=True, width="stretch")
        if not sections.presenting:  # no expanders on the big screen
            for row in active[active["document"].isna()].itertuples():
                with st.expander(f"Cijfers in {escape(row.name)}"):
                    st.dataframe(dataset_summary(app_data.dataset_counts(row.id)), hide_index=True, width="stretch")
            computed = app_data.region_figures()
            if not computed.empty:
                with st.expander(f"Cijfers in {escape(computed['dataset'].iloc[0])}"):
                    st.dataframe(dataset_summary(computed.assign(n=1)), hide_index=True, width="stretch")
sections.finish()
