"""Hefboom Leren en verbeteren: tellen en vertellen, notes, and the pilots from the documents."""

import streamlit as st

from dashboard import app_data

catalog = app_data.catalog()
lever = next(lv for lv in catalog.steering.levers if lv.id == "leren")

st.title("Leren en verbeteren")
st.markdown(lever.description)
st.info(
    "**Tellen en vertellen.** Eenmaal per jaar wordt een bijeenkomst georganiseerd met gemeenten, "
    "samenwerkingspartners, ouders en jeugdigen om inzichten te duiden, te leren en te verbeteren. "
    "Het gaat met nadruk zowel om tellen als om vertellen. (Beleidsplan Jeugd IJmond 2023-2027, 6.5)",
    icon=":material/forum:",
)

st.header("Pilots en projecten uit de beleidsdocumenten")
for pilot in catalog.pilots:
    with st.container(border=True):
        st.markdown(f"**{pilot.name}**")
        st.markdown(pilot.description)
        docs = ", ".join(catalog.documents[d].short_name for d in pilot.documents if d in catalog.documents)
        indicators = ", ".join(catalog.indicators[i].name for i in pilot.indicators) or "nog geen indicator"
        st.caption(f"Genoemd in: {docs} · Gevolgd met: {indicators}")
