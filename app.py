"""Jeugddashboard: entry point. Navigation over all pages, the shared filters in the sidebar, presentation mode."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from sqlalchemy.exc import OperationalError

from dashboard import app_data, deployment, sharing, state
from dashboard.markdown_text import escape
from dashboard.settings import SettingsError
from dashboard.views import frameworks as frameworks_view
from dashboard.views import slides, style

ASSETS = Path(__file__).parent / "assets"
# The tab icon is the app's own file: a Material icon name would be fetched from a font server (offline: none).
st.set_page_config(page_title="Jeugddashboard", page_icon=str(ASSETS / "favicon.png"), layout="wide")
st.logo(str(ASSETS / "logo.svg"), size="large")

try:
    app_data.settings()
except SettingsError as exc:  # a bad setting is said in Dutch, never a traceback
    st.error(f"Het dashboard kan niet starten: {exc}", icon=":material/error:")
    st.stop()
state.begin_run()
state.read_view_mode()
presenting = state.presentation_mode()
st.html(style.css("base.css"))
if presenting:
    st.html(style.css("presentatie.css"))

try:
    app_data.store()  # creates the store and loads the shipped data on first start
    app_data.begin_run()  # the store's data version, read once per rerun: every cache below is keyed on it
    catalog = app_data.catalog()
except OperationalError:  # the database server is not reachable or refuses the login
    st.error("Het dashboard kan niet starten: de database uit de instelling DASHBOARD_DATABASE_URL is niet "
             "bereikbaar of weigert de verbinding. Controleer de URL en of de databaseserver draait.",
             icon=":material/error:")
    st.stop()

framework_ids = list(catalog.frameworks)
if (just_stored := st.session_state.pop(frameworks_view.CHOOSE_KEY, None)) in catalog.frameworks:
    st.session_state["kader"] = just_stored  # a plan imported on Gegevens is shown right away
state.bind("kader", framework_ids, deployment.default_framework_id(catalog, app_data.settings()))
framework = catalog.frameworks[st.session_state["kader"]]
municipality_codes = deployment.municipality_options(framework, catalog, app_data.settings())
if st.session_state.get("gemeente") not in municipality_codes:
    st.session_state.pop("gemeente", None)
state.bind("gemeente", municipality_codes, municipality_codes[0])

# The page list is drawn with page links (plain links, no list markup that axe-core finds invalid in
# Streamlit's own navigation); its slot comes first so it sits above the filters.
nav_slot = st.sidebar.container() if not presenting else None
if not presenting:  # in presentation mode there is no sidebar: the link decides framework and municipality
    with st.sidebar:
        st.selectbox(
            "Beleidskader",
            framework_ids,
            key="kader",
            placeholder="Kies een beleidskader",
            format_func=lambda fid: catalog.frameworks[fid].short_name,
            help="De thema's en doelen op de pagina's volgen het gekozen beleidskader.",
        )
        framework = catalog.frameworks[st.session_state["kader"]]
        municipality_codes = deployment.municipality_options(framework, catalog, app_data.settings())
        if st.session_state.get("gemeente") not in municipality_codes:
            st.session_state["gemeente"] = municipality_codes[0]
        st.selectbox(
            "Gemeente",
            municipality_codes,
            key="gemeente",
            placeholder="Kies een gemeente",
            format_func=lambda code: catalog.areas[code].name,
        )

# One page module serves every theme; its url_path tells which theme to show.
theme_pages = {
    theme.id: st.Page("app_pages/thema.py", title=theme.short_name, url_path=f"thema-{theme.id}",
                      icon=":material/flag:")
    for theme in framework.themes
}
st.session_state["_theme_pages"] = theme_pages
# The themes of the other frameworks exist as hidden pages, so that a link to one of them (or a switch of
# framework while on a theme page) gets a Dutch notice and the Overzicht instead of Streamlit's "Page not found".
other_theme_pages: dict[str, tuple[str, st.Page]] = {}
for other in catalog.frameworks.values():
    for theme in other.themes if other.id != framework.id else ():
        path = f"thema-{theme.id}"
        if theme.id not in theme_pages and path not in other_theme_pages:
            other_theme_pages[path] = (other.short_name, st.Page("app_pages/thema.py", title=theme.short_name,
                                                                 url_path=path, visibility="hidden"))
overview = st.Page("app_pages/overzicht.py", title="Overzicht", icon=":material/dashboard:", default=True)
pages = {
    "": [overview],
    f"{framework.themes_label} · {framework.short_name}": [*theme_pages.values(),
                                                           *(page for _, page in other_theme_pages.values())],
    "Sturen met de vier hefbomen": [
        st.Page("app_pages/hefboom_cultuur.py", title="Cultuur en gedeelde waarden", icon=":material/diversity_3:"),
        st.Page("app_pages/hefboom_regels.py", title="Regels, kaders en randvoorwaarden", icon=":material/rule:"),
        st.Page("app_pages/hefboom_kpi.py", title="KPI's en informatie", icon=":material/monitoring:"),
        st.Page("app_pages/hefboom_leren.py", title="Leren en verbeteren", icon=":material/school:"),
    ],
    "Verkennen": [
        st.Page("app_pages/vergelijken.py", title="Vergelijken", icon=":material/bar_chart:"),
        st.Page("app_pages/wijken.py", title="Wijken", icon=":material/map:"),
    ],
    "Gegevens en bronnen": [
        st.Page("app_pages/gegevens.py", title="Gegevens", icon=":material/database:"),
        st.Page("app_pages/bronnen.py", title="Bronnen", icon=":material/menu_book:"),
        st.Page("app_pages/presentatie.py", title="Presenteren", icon=":material/slideshow:"),
    ],
}

share_slot = st.sidebar.empty() if not presenting else None


def share_view(slot: st.delta_generator.DeltaGenerator, url_path: str) -> None:
    """'Deel deze weergave': the link to this page with every choice, written after the page has run."""
    with slot.container(), st.popover("Deel deze weergave", icon=":material/share:", width="stretch"):
        st.markdown("Wie deze link opent, ziet precies deze pagina met dezelfde keuzes.")
        st.code(sharing.share_url(st.context.url, st.get_option("server.baseUrlPath"), url_path,
                                  sharing.query_pairs(st.query_params)), language=None, wrap_lines=True)
        st.caption("Kopieer de link met het kopieericoon rechtsboven in het vak.")


current = st.navigation(pages, position="hidden")
if nav_slot is not None:
    hidden_paths = set(other_theme_pages)  # the other frameworks' themes only answer links, they are not listed
    with nav_slot, st.container(key="paginas"):
        for section, section_pages in pages.items():
            if section:
                st.markdown(f"**{escape(section)}**")
            for nav_page in section_pages:
                if nav_page.url_path not in hidden_paths:
                    st.page_link(nav_page, label=escape(nav_page.title), width="stretch")
st.session_state["_page_path"] = current.url_path  # a presentation step belongs to one page
if current.url_path in other_theme_pages:
    state.notice(f"De pagina ‘{current.url_path}’ uit de link hoort bij het beleidskader "
                 f"{other_theme_pages[current.url_path][0]}, niet bij het gekozen kader; het Overzicht wordt getoond.")
    st.switch_page(overview)
missing = state.missing_page([page for group in pages.values() for page in group])
if missing:
    state.notice(missing)
st.session_state["theme_id"] = next(
    (theme_id for theme_id, page in theme_pages.items() if page.url_path == current.url_path), None
)
state.write_url()
state.show_notices()
examples = app_data.example_datasets()
if examples:
    st.warning("Dit dashboard toont ook voorbeelddata (fictief): " + ", ".join(escape(e) for e in examples)
               + ". Die cijfers zijn verzonnen en dienen alleen om te oefenen.", icon=":material/science:")
st.session_state["_step_bar"] = False
parameter_slot = st.empty()
try:
    current.run()
finally:  # also after a page ends early with st.stop()
    state.say_unknown_parameters(parameter_slot)
    if share_slot is not None:
        share_view(share_slot, current.url_path)
    elif not st.session_state.get("_step_bar"):  # a one-view page on the big screen still has its way out
        slides.leave_button()

