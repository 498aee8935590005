"""Staff-only widgets: login, dataset withdraw/restore, upload preview."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboard import app_data, state
from dashboard.analysis.suppression import suppress
from dashboard.auth import verify_password
from dashboard.catalog.models import Catalog
from dashboard.settings import Settings
from dashboard.store.store import Store


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def current_user(settings: Settings) -> str | None:
    """The logged-in staff member; nobody in presentation mode, so no editing control is ever shown there."""
    if state.presentation_mode():
        return None
    if _oidc_configured():
        return (st.user.get("email") or st.user.get("name")) if st.user.is_logged_in else None
    return st.session_state.get("staff_user")


def login_panel(settings: Settings) -> None:
    if state.presentation_mode():
        return
    if _oidc_configured():
        st.info("Dit deel (inlezen, intrekken, notities schrijven) is voor medewerkers.")
        if st.button("Inloggen", icon=":material/login:"):
            st.login()
        return
    if not settings.staff_password_hash:
        st.info(
            "Inlezen staat uit: er is geen inlogmethode ingesteld. Stel een OIDC-provider in onder [auth] in "
            "`.streamlit/secrets.toml`, of een medewerkerswachtwoord: maak de hash met "
            "`python -m dashboard wachtwoord` en zet de regel in `.streamlit/secrets.toml`."
        )
        return
    with st.form("login"):
        st.markdown("Dit deel is voor medewerkers (inlezen, intrekken, notities schrijven). Log in om verder te gaan.")
        name = st.text_input("Uw naam")
        password = st.text_input("Wachtwoord", type="password")
        if st.form_submit_button("Inloggen"):
            if name.strip() and verify_password(password, settings.staff_password_hash):
                st.session_state["staff_user"] = name.strip()
                st.rerun()
            else:
                st.error("Naam ontbreekt of het wachtwoord klopt niet.")


def dataset_actions(store: Store, row: Any) -> None:
    left, right, _ = st.columns([1, 1, 3])
    if row.status == "active":
        if left.button("Intrekken", key=f"withdraw_{row.id}", icon=":material/visibility_off:"):
            store.set_dataset_status(int(row.id), "withdrawn")
            app_data.refresh()
            st.rerun()
    elif left.button("Herstellen", key=f"restore_{row.id}", icon=":material/restore:"):
        store.set_dataset_status(int(row.id), "active")
        app_data.refresh()
        st.rerun()
    original = store.original_file(int(row.id))
    if original is not None:
        right.download_button("Oorspronkelijk bestand", original[1], original[0], key=f"original_{row.id}",
                              icon=":material/download:")


def preview_frame(rows: list[dict[str, Any]], catalog: Catalog, threshold: int) -> pd.DataFrame:
    """The rows an upload would store, as shown to staff: small wijk counts are hidden here too."""
    frame = pd.DataFrame(rows)
    return suppress(frame.assign(
        area_level=frame["area_code"].map(lambda c: catalog.areas[c].level),
        indicator_name=frame["indicator_id"].map(lambda i: catalog.indicators[i].name),
        unit=frame["indicator_id"].map(lambda i: catalog.indicators[i].unit),
        area_name=frame["area_code"].map(lambda c: catalog.areas[c].name),
        dataset="(nieuw)",
    ), threshold)
