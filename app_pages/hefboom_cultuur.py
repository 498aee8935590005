"""Hefboom Cultuur en gedeelde waarden: ambition, values, principles and the kansencirkel."""

import pandas as pd
import streamlit as st

from dashboard import app_data, state
from dashboard.markdown_text import escape
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
    st.markdown(f"**Gedeelde ambitie ({escape(framework.short_name)}).** {escape(framework.ambition)}")


def shared_values() -> None:
    heading("Tien waarden en gedragsprincipes")
    st.caption("Vastgelegd met heel Noord-Holland in 2020 ('Een thuis voor Noordje').")
    st.markdown("\n".join(f"{i}. {v}" for i, v in enumerate(steering.values, start=1)))


regiovisie = catalog.frameworks["regiovisie-2021"]


def principles() -> None:
    heading("Acht inhoudelijke uitgangspunten")
    st.caption(f"Uit de {regiovisie.name}.")
    st.markdown("\n".join(f"- {escape(p)}" for p in regiovisie.principles))
    if framework.principles and framework.id != regiovisie.id:
        (st.header if presenting else st.subheader)(f"Leidende principes {escape(framework.short_name)}")
        st.markdown("\n".join(f"- {escape(p)}" for p in framework.principles))


def core_values() -> None:
    heading(f"Kernwaarden {escape(framework.short_name)}")
    for number, value in enumerate(framework.core_values, start=1):
        st.markdown(f"**{number}. {escape(value.name)}**\n" + "\n".join(f"- {escape(point)}" for point in value.points))


def steering_model() -> None:
    heading("Het sturingsmodel: de vier hefbomen")
    st.markdown(f"In het midden van het model staan **{' en '.join(steering.centre)}**; daaromheen de vier "
                "hefbomen (Beleidsplan Jeugd IJmond 2023-2027, 6.4). De Regiovisie noemt ze met eigen namen en "
                "koppelt elke hefboom aan een blokkade die Simons beschreef (Regiovisie, 8.2).")
    blockades = dict(regiovisie.blockades)
    st.dataframe(pd.DataFrame([{
        "Hefboom": lv.name, "Naam in de Regiovisie": regiovisie.lever_name(lv.id, lv.name),
        "Blokkade die de hefboom aanpakt": blockades.get(lv.id, ""), "Onderdelen": ", ".join(lv.elements),
    } for lv in steering.levers]), hide_index=True, width="stretch")
    if regiovisie.steering_principles:
        st.markdown("**Sturingsuitgangspunten van de Regiovisie**\n"
                    + "\n".join(f"- {p}" for p in regiovisie.steering_principles))


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
        st.info(f"In {escape(framework.short_name)} hoort geen doel met een indicator bij dit ontwikkelgebied.")
    else:
        for row in related.itertuples():
            with st.container(border=True):
                st.markdown(f"{badge_markdown(row.status)} **{escape(row.doel)}** · {row.indicator} · {row.gebied}")
                st.caption(row.toelichting)
    others = [catalog.indicators[i].name for i in indicator_ids if i not in set(related.get("indicator_id", []))]
    if others:
        st.caption("Andere indicatoren bij dit ontwikkelgebied: " + "; ".join(others) + ".")


if presenting:
    step_through([("Cultuur", introduction), ("Waarden", shared_values), ("Uitgangspunten", principles),
                  *([("Kernwaarden", core_values)] if framework.core_values else []),
                  ("Sturingsmodel", steering_model), ("Kansencirkel", kansencirkel)], "Cultuur en gedeelde waarden")
else:
    introduction()
    values_col, principles_col = st.columns(2)
    with values_col:
        shared_values()
    with principles_col:
        principles()
    if framework.core_values:
        core_values()
    steering_model()
    kansencirkel()
