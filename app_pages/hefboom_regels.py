"""Hefboom Regels, kaders en randvoorwaarden: figures held against their limits."""

import streamlit as st

from dashboard import app_data
from dashboard.analysis.goals import current_values
from dashboard.analysis.limits import components_outside_periods, limit_comparison
from dashboard.analysis.periods import label
from dashboard.formatting import format_value

catalog = app_data.catalog()
lever = next(lv for lv in catalog.steering.levers if lv.id == "regels")
values = current_values(app_data.observations())

st.title("Regels, kaders en randvoorwaarden")
st.markdown(lever.description)
st.caption("Kaders in het sturingsmodel: " + ", ".join(lever.elements) + ".")

st.header("Transformatiefonds IJmond: budget en geraamde activiteiten")
st.markdown(
    "Het Transformatieplan IJmond 2018-2020 raamt per activiteit een bijdrage uit het Transformatiefonds. "
    "Hieronder de optelling per jaar tegenover het beschikbare budget."
)
comparison = limit_comparison(values, "transformatiebudget_euro", "tf_raming_", "REG_IJMOND")
if comparison.empty:
    st.info("Er zijn geen budgetgegevens; lees ze in op de pagina Gegevens.")
else:
    for row in comparison.itertuples():
        with st.container(border=True):
            cols = st.columns(4)
            cols[0].markdown(f"**{label(row.periode)}**")
            cols[1].metric("Budget", format_value(row.grens, "euro"))
            cols[2].metric("Geraamd", format_value(row.totaal, "euro"))
            if row.overschreden:
                cols[3].metric("Boven het budget", format_value(row.verschil, "euro"))
                st.warning(f"In {label(row.periode)} liggen de ramingen {format_value(row.verschil, 'euro')} "
                           "boven het budget.", icon=":material/warning:")
            else:
                cols[3].metric("Ruimte", format_value(-row.verschil, "euro"))
    apart = components_outside_periods(values, "tf_raming_", "REG_IJMOND")
    if not apart.empty:
        st.markdown("**Niet per jaar toe te rekenen** (de tekst noemt een bedrag voor meerdere jaren):")
        for row in apart.itertuples():
            st.markdown(f"- {row.indicator_name}: {format_value(row.value, 'euro')} voor {label(row.period)}")
    st.caption("Bron: Transformatieplan IJmond 2018-2020 · Dataset: Budgetten uit het Transformatieplan IJmond. "
               "Het plan zegt zelf dat bedragen tussen jaren kunnen verschuiven.")

st.header("Kosten jeugdhulp 2018-2020 tegenover het kader 'binnen budget'")
st.markdown("De Regiovisie stelt als sturingsuitgangspunt: uitvoering binnen het voor jeugdhulp beschikbare "
            "budget. De ontwikkeling van de kosten in Zuid-Kennemerland en IJmond:")
costs = values[values["indicator_id"].str.startswith("kosten_") & (values["area_code"] == "REG_ZKIJ")]
for row in costs.itertuples():
    st.markdown(f"- {row.indicator_name.split(':')[0]}: {format_value(row.value, row.unit)} ({label(row.period)})")
st.caption("Bron: Regionaal databestand jeugdhulp, via de Regiovisie Jeugdhulp Zuid-Kennemerland en IJmond.")
