"""Staff-only widgets: login, dataset withdraw/restore, the audit log (the upload preview is views.upload_preview)."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import app_data, state
from dashboard.auth import attempt_login, is_demo_user
from dashboard.markdown_text import escape
from dashboard.settings import Settings
from dashboard.store.store import Store


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _demo_hash(settings: Settings) -> str | None:
    """The shared password counts only when the demo mode is switched on explicitly."""
    return settings.staff_password_hash if settings.demo_login else None


def client_key(settings: Settings) -> str:
    """The client a login attempt comes from, for the per-client delay and lock.

    By default the address of the browser's connection (st.context.ip_address; None for localhost). Behind a
    reverse proxy that is the proxy's address, so DASHBOARD_CLIENT_IP_HEADER names the header the proxy sets;
    its last entry is the one the proxy added, which a browser cannot forge.
    """
    if settings.client_ip_header:
        forwarded = st.context.headers.get(settings.client_ip_header)
        entries = [e.strip() for e in forwarded.split(",") if e.strip()] if isinstance(forwarded, str) else []
        if entries:
            return entries[-1][:200]
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "lokaal"  # (not a str under AppTest)


def _still_allowed(user: str, settings: Settings) -> bool:
    """A blocked account (or a demo login after the demo mode is switched off) stops working at the next rerun."""
    if is_demo_user(user):
        return _demo_hash(settings) is not None
    account = app_data.store().user(user)
    return account is not None and account["status"] == "active"


def current_user(settings: Settings) -> str | None:
    """The logged-in staff member; nobody in presentation mode, so no editing control is ever shown there."""
    if state.presentation_mode():
        return None
    if _oidc_configured():
        if not st.user.is_logged_in:
            return None
        user = str(st.user.get("email") or st.user.get("name"))
        if st.session_state.get("oidc_audited") != user:  # once per session: the login itself is Streamlit's
            app_data.store().audit(user, "inloggen gelukt", "OIDC", client=client_key(settings))
            st.session_state["oidc_audited"] = user
        return user
    user = st.session_state.get("staff_user")
    if user is not None and not _still_allowed(user, settings):
        del st.session_state["staff_user"]
        return None
    return user


def login_panel(settings: Settings) -> None:
    if state.presentation_mode():
        return
    if _oidc_configured():
        st.info("Dit deel (inlezen, intrekken, notities schrijven) is voor medewerkers.")
        if st.button("Inloggen", icon=":material/login:"):
            st.login()
        return
    store = app_data.store()
    demo_hash = _demo_hash(settings)
    if settings.staff_password_hash and demo_hash is None:
        st.warning("DASHBOARD_STAFF_PASSWORD_HASH is ingesteld maar wordt niet gebruikt: het gedeelde wachtwoord "
                   "werkt alleen als demo op een laptop, met DASHBOARD_DEMO_LOGIN=1. Medewerkers loggen in met een "
                   "eigen account (`python -m dashboard gebruiker toevoegen NAAM`).")
    if demo_hash is None and store.count("users") == 0:
        st.info(
            "Inlezen staat uit: er is nog geen medewerkersaccount. Maak er een met "
            "`python -m dashboard gebruiker toevoegen NAAM`, of stel een OIDC-provider in onder [auth] in "
            "`.streamlit/secrets.toml`."
        )
        return
    with st.form("login"):
        st.markdown("Dit deel is voor medewerkers (inlezen, intrekken, notities schrijven). Log in om verder te gaan.")
        if demo_hash is not None:
            st.caption("Demo-inlog staat aan: met het gedeelde wachtwoord logt u in onder een naam naar keuze, "
                       "gemarkeerd als ‘(demo)’. Alleen voor een demonstratie, niet voor echte gegevens.")
        name = st.text_input("Accountnaam", max_chars=64)
        password = st.text_input("Wachtwoord", type="password", max_chars=256)
        if st.form_submit_button("Inloggen"):
            result = attempt_login(store, name, password, client_key(settings), demo_hash=demo_hash)
            if result.user is not None:
                st.session_state["staff_user"] = result.user
                st.rerun()
            st.error(result.message)


def logout_button(settings: Settings, user: str) -> None:
    if not st.button("Uitloggen", icon=":material/logout:", key="uitloggen"):
        return
    app_data.store().audit(user, "uitgelogd", "", client=client_key(settings))
    if _oidc_configured():
        st.session_state.pop("oidc_audited", None)
        st.logout()
    st.session_state.pop("staff_user", None)
    st.rerun()


NOTICE_KEY = "_gegevens_melding"  # the outcome of the last action, shown at the top of Gegevens after the rerun


def announce(text: str) -> None:
    """Remember a success message and rerun, so the page shows the new state (counters, list) at once."""
    st.session_state[NOTICE_KEY] = text
    app_data.refresh()
    st.rerun()


def show_announcement() -> None:
    if text := st.session_state.pop(NOTICE_KEY, None):
        st.success(text, icon=":material/check_circle:")


def dataset_actions(store: Store, row: Any, user: str) -> None:
    left, right, _ = st.columns([1, 1, 3])
    name = escape(row.name)
    if row.status == "active":
        with left.popover("Intrekken", icon=":material/visibility_off:"):
            st.markdown(f"**{name}** intrekken? De {row.row_count} cijfers verdwijnen uit het dashboard; "
                        "de dataset blijft bewaard en kan later worden hersteld.")
            if st.button("Ja, intrekken", key=f"withdraw_{row.id}", type="primary"):
                store.set_dataset_status(int(row.id), "withdrawn", actor=user)
                announce(f"Dataset ‘{name}’ is ingetrokken; de cijfers ervan staan niet meer in het dashboard.")
    elif left.button("Herstellen", key=f"restore_{row.id}", icon=":material/restore:"):
        store.set_dataset_status(int(row.id), "active", actor=user)
        announce(f"Dataset ‘{name}’ is hersteld; de cijfers ervan staan weer in het dashboard.")
    file_name = store.original_file_name(int(row.id))
    if file_name is not None:  # the file itself is read from the store only when the button is clicked
        right.download_button("Oorspronkelijk bestand", partial(_original_content, store, int(row.id)), file_name,
                              key=f"original_{row.id}", icon=":material/download:")


def _original_content(store: Store, dataset_id: int) -> bytes:
    original = store.original_file(dataset_id)
    return original[1] if original else b""


AUDIT_COLUMNS = {"at": "Tijd (UTC)", "actor": "Wie", "action": "Wat", "target": "Waarover", "client": "Adres"}


def audit_table(store: Store, limit: int = 200) -> pd.DataFrame:
    """The audit log as staff read it, newest first; every value is plain text in a table."""
    log = store.audit_log(limit)
    log["at"] = pd.to_datetime(log["at"], utc=True).dt.strftime("%d-%m-%Y %H:%M:%S")
    return log[list(AUDIT_COLUMNS)].rename(columns=AUDIT_COLUMNS).fillna("")

