"""Presentations for the big screen: choose one here; in presentation mode one slide per screen."""

from urllib.parse import urlencode

import streamlit as st

from dashboard import app_data, state
from dashboard.markdown_text import escape
from dashboard.presentations import OWN, Slide, slides_from_tokens, to_yaml
from dashboard.views import page_context
from dashboard.views.slides import current_step, render_slide, slide_title, step_bar

catalog = app_data.catalog()
presentations = app_data.presentations()
own_slides, _ = slides_from_tokens(st.session_state.get("eigen_dias", []), catalog, page_context.framework().id)

def start_link(presentation_id: str, framework_id: str | None, municipality: str | None,
               slides: list[Slide] | None = None) -> str:
    params: list[tuple[str, str]] = [("weergave", state.PRESENTATION), ("presentatie", presentation_id), ("stap", "1")]
    params += [("kader", framework_id)] if framework_id else []
    params += [("gemeente", municipality)] if municipality else []
    params += [("dia", s.token) for s in slides or []]
    return "presentatie?" + urlencode(params)


if not state.presentation_mode():
    st.title("Presenteren")
    st.markdown(
        "Voor het grote scherm bij een raadsinformatieavond of een OOGO: één grafiek per scherm, grote letters, "
        "geen menu. Stap met de knoppen, met de pijltjestoetsen ← → of met de knoppen van een presenter. "
        "Elke stap heeft zijn eigen link."
    )
    for presentation in presentations.values():
        with st.container(border=True):
            st.markdown(f"**{presentation.title}** · {len(presentation.slides)} dia's")
            fw = catalog.frameworks.get(presentation.framework_id or "")
            st.markdown("\n".join(f"{i}. {escape(slide_title(s, catalog, fw))}"
                                   for i, s in enumerate(presentation.slides, 1)))
            st.link_button("Start presentatie", start_link(presentation.id, presentation.framework_id,
                                                           presentation.municipality),
                           icon=":material/slideshow:")
    st.caption("Deze presentaties worden met het dashboard meegeleverd. Een eigen presentatie stelt u hieronder "
               "samen; met ‘Bewaar als bestand’ kan een beheerder haar aan deze lijst toevoegen.")
    st.header("Eigen presentatie")
    if not own_slides:
        st.info("Nog leeg. Kies ‘Voeg toe aan presentatie’ onder een grafiek op een themapagina of op Vergelijken.",
                icon=":material/add_to_queue:")
        st.stop()
    framework = page_context.framework()
    municipality = page_context.municipality()
    for number, slide in enumerate(own_slides, start=1):
        left, right = st.columns([6, 1])
        left.markdown(f"{number}. {escape(slide_title(slide, catalog, framework))}")
        if right.button("Weghalen", key=f"weghalen_{number}", icon=":material/delete:"):
            st.session_state["eigen_dias"].pop(number - 1)
            st.rerun()
    st.link_button("Start eigen presentatie", start_link(OWN, framework.id, municipality.code, own_slides),
                   icon=":material/slideshow:")
    st.download_button("Bewaar als bestand",
                       to_yaml("Eigen presentatie", framework.id, municipality.code, own_slides),
                       file_name="eigen-presentatie.yaml", mime="application/x-yaml", icon=":material/download:")
    st.stop()

# --- presentation mode: one slide per screen ---------------------------------------------------------------
current_kader = st.session_state.get("kader")
ids = [*sorted(presentations, key=lambda pid: presentations[pid].framework_id != current_kader), OWN]
chosen = state.page_choice("presentatie", ids, ids[0])  # by default one of the chosen framework
if chosen != OWN and presentations[chosen].framework_id not in (None, current_kader):
    # A presentation is written for its framework: its slides name that framework's themes.
    st.session_state["kader"] = presentations[chosen].framework_id
    framework_areas = catalog.frameworks[presentations[chosen].framework_id].areas
    if st.session_state.get("gemeente") not in framework_areas:
        st.session_state["gemeente"] = presentations[chosen].municipality or framework_areas[0]
if chosen == OWN:
    slides, unknown = slides_from_tokens(state.url_values("dia"), catalog, page_context.framework().id)
    if unknown:  # a slide of a link that names nothing (any more): skipped, and said
        state.notice("De dia ‘" + "’, ‘".join(unknown) + "’ uit de link bestaat niet (meer) en is overgeslagen.")
        state.show_notices()
    slides = slides or own_slides
    title = "Eigen presentatie"
else:
    slides, title = list(presentations[chosen].slides), presentations[chosen].title
if not slides:
    st.title(title)
    st.info("Deze presentatie heeft geen dia's.")
    st.stop()
step = current_step(len(slides))
url_extra: dict[str, str | list[str]] = {"presentatie": chosen, "stap": str(step)}
if chosen == OWN:
    url_extra["dia"] = [s.token for s in slides]
state.write_url(url_extra)

render_slide(slides[step - 1], catalog, page_context.framework(), page_context.municipality())
step_bar(step, len(slides), title)
