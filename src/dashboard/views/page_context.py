"""What every page needs to know: the chosen framework and municipality, and links between pages."""

from __future__ import annotations

import streamlit as st

from dashboard import app_data, deployment
from dashboard.catalog.models import Area, Framework, Theme


def framework() -> Framework:
    catalog = app_data.catalog()
    return catalog.frameworks.get(st.session_state.get("kader", ""), catalog.default_framework)


def municipality() -> Area:
    options = municipality_options()
    code = st.session_state.get("gemeente")
    return app_data.catalog().areas[code if code in options else options[0]]


def municipality_options() -> list[str]:
    """The municipalities the sidebar offers for the chosen framework (see dashboard.deployment)."""
    return deployment.municipality_options(framework(), app_data.catalog(), app_data.settings())


def current_theme() -> Theme:
    fw = framework()
    theme_id = st.session_state.get("theme_id")
    return fw.theme(theme_id) if theme_id in {t.id for t in fw.themes} else fw.themes[0]


def theme_page(theme_id: str) -> st.Page | None:
    return st.session_state.get("_theme_pages", {}).get(theme_id)
