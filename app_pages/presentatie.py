"""Presentations for the big screen: choose one here; in presentation mode one slide per screen."""

from urllib.parse import urlencode

import streamlit as st
import streamlit.components.v1 as components

from dashboard import app_data, state
from dashboard.markdown_text import escape
from dashboard.presentations import OWN, Slide, slides_from_tokens, to_yaml
from dashboard.views import page_context
from dashboard.views.slides import render_slide

catalog = app_data.catalog()
presentations = app_data.presentations()
own_slides, _ = slides_from_tokens(st.session_state.get("eigen_dias", []), catalog, page_context.framework().id)

# Arrow keys and the page keys of a presenter's clicker step through the slides (the buttons below).
KEYBOARD = """<script>
// The handler is replaced on every render: one from an iframe Streamlit has since removed would no longer run.
const doc = window.parent.document;
if (doc.jeugddashboardKeys) doc.removeEventListener('keydown', doc.jeugddashboardKeys);
doc.jeugddashboardKeys = (event) => {
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName)) return;
  const next = ['ArrowRight', 'PageDown', ' '].includes(event.key);
  const previous = ['ArrowLeft', 'PageUp'].includes(event.key);
  if (!next && !previous) return;
  const button = doc.querySelector(next ? '.st-key-dia_volgende button' : '.st-key-dia_vorige button');
  if (button && !button.disabled) { event.preventDefault(); button.click(); }
};
doc.addEventListener('keydown', doc.jeugddashboardKeys);
</script>"""


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
            st.caption(" · ".join(f"{i}. {s.title or s.subject}" for i, s in enumerate(presentation.slides, 1)))
            st.link_button("Start presentatie", start_link(presentation.id, presentation.framework_id,
                                                           presentation.municipality),
                           icon=":material/slideshow:")
    st.caption("Een presentatie is een bestand in data/presentaties/; zie het voorbeeld daar.")
    st.header("Eigen presentatie")
    if not own_slides:
        st.info("Nog leeg. Kies ‘Voeg toe aan presentatie’ onder een grafiek op een themapagina of op Vergelijken.",
                icon=":material/add_to_queue:")
        st.stop()
    framework = page_context.framework()
    municipality = page_context.municipality()
    for number, slide in enumerate(own_slides, start=1):
        left, right = st.columns([6, 1])
        subject = catalog.indicators[slide.subject].name if slide.subject in catalog.indicators else slide.subject
        left.markdown(f"{number}. {slide.kind}: {escape(subject)}")
        if right.button("Weghalen", key=f"weghalen_{number}", icon=":material/delete:"):
            st.session_state["eigen_dias"].pop(number - 1)
            st.rerun()
    st.link_button("Start eigen presentatie", start_link(OWN, framework.id, municipality.code, own_slides),
                   icon=":material/slideshow:")
    st.download_button("Bewaar als bestand voor data/presentaties/",
                       to_yaml("Eigen presentatie", framework.id, municipality.code, own_slides),
                       file_name="eigen-presentatie.yaml", mime="application/x-yaml", icon=":material/download:")
    st.stop()

# --- presentation mode: one slide per screen ---------------------------------------------------------------
ids = [*presentations, OWN]
chosen = state.page_choice("presentatie", ids, ids[0])
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
steps = [str(n) for n in range(1, len(slides) + 1)]
step = int(state.page_choice("stap", steps, "1"))
url_extra: dict[str, str | list[str]] = {"presentatie": chosen, "stap": str(step)}
if chosen == OWN:
    url_extra["dia"] = [s.token for s in slides]
state.write_url(url_extra)

render_slide(slides[step - 1], catalog, page_context.framework(), page_context.municipality())

st.divider()
back, where, forward, leave = st.columns([1, 2, 1, 1], vertical_alignment="center")
if back.button("Vorige", key="dia_vorige", icon=":material/arrow_back:", disabled=step == 1, width="stretch"):
    st.session_state["stap"] = str(step - 1)
    st.rerun()
where.markdown(f"**{title}** · dia {step} van {len(slides)}")
if forward.button("Volgende", key="dia_volgende", icon=":material/arrow_forward:", disabled=step == len(slides),
                  width="stretch", type="primary"):
    st.session_state["stap"] = str(step + 1)
    st.rerun()
leave.link_button("Verlaten", "presentatie?weergave=standaard", icon=":material/close:", width="stretch")
components.html(KEYBOARD, height=0)
