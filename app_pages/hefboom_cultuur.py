"""Hefboom Cultuur en gedeelde waarden: ambition, values, principles and the kansencirkel."""

import streamlit as st

from dashboard import app_data, state
from dashboard.views import page_context
from dashboard.views.goal_cards import badge_markdown
from dashboard.views.slides import heading, step_through

catalog = app_data.catalog()
framework = page_context.framework()
steering = catalog.steering
lever = next(lv for lv in steering.levers if lv.id == "cultuur")

presenting = state.presentation_mode()


def introduction() -> None:
    st.title("Cultuur en gedeelde waarden")
    st.markdown(lever.description)
    st.markdown(f"**Gedeelde ambitie ({framework.short_name}).** {framework.ambition}")


def shared_values() -> None:
    heading("Tien waarden en gedragsprincipes")
    st.caption("Vastgelegd met heel Noord-Holland in 2020 ('Een thuis voor Noordje').")
    st.markdown("\n".join(f"{i}. {v}" for i, v in enumerate(steering.values, start=1)))


def principles() -> None:
    regiovisie = catalog.frameworks["regiovisie-2021"]
    heading("Acht inhoudelijke uitgangspunten")
    st.caption(f"Uit de {regiovisie.name}.")
    st.markdown("\n".join(f"- {p}" for p in regiovisie.principles))
    if framework.principles and framework.id != regiovisie.id:
        st.subheader(f"Leidende principes {framework.short_name}")
        st.markdown("\n".join(f"- {p}" for p in framework.principles))


def kansencirkel() -> None:
    heading("De kansencirkel")
    st.markdown("Acht ontwikkelgebieden die belangrijk zijn in het leven van alle kinderen en jongeren. "
                + ("" if presenting else "Kies een gebied om de indicatoren en doelen te zien die erbij horen."))
    names = [name for name, _ in steering.kansencirkel]
    state.bind("element", names, names[0])
    if not presenting:
        st.segmented_control("Ontwikkelgebied", names, key="element", label_visibility="collapsed")
    element = st.session_state.get("element") or names[0]
    state.write_url({"element": element})
    st.markdown(f"**{element}:** {dict(steering.kansencirkel)[element]}.")

    indicator_ids = [i.id for i in catalog.indicators.values() if element in i.kansencirkel]
    table = app_data.goal_table(framework)
    related = table[table["indicator_id"].isin(indicator_ids)] if not table.empty else table
    if related.empty:
        st.info(f"In {framework.short_name} hoort geen doel met een indicator bij dit ontwikkelgebied.")
    else:
        for row in related.itertuples():
            with st.container(border=True):
                st.markdown(f"{badge_markdown(row.status)} **{row.doel}** · {row.indicator} · {row.gebied}")
                st.caption(row.toelichting)
    others = [catalog.indicators[i].name for i in indicator_ids if i not in set(related.get("indicator_id", []))]
    if others:
        st.caption("Andere indicatoren bij dit ontwikkelgebied: " + "; ".join(others) + ".")


if presenting:
    step_through([("Cultuur", introduction), ("Waarden", shared_values), ("Uitgangspunten", principles),
                  ("Kansencirkel", kansencirkel)], "Cultuur en gedeelde waarden")
else:
    introduction()
    values_col, principles_col = st.columns(2)
    with values_col:
        shared_values()
    with principles_col:
        principles()
    kansencirkel()
