"""The Gegevens page: viewing is open, changing needs a staff login; withdraw hides, restore shows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import hash_password
from dashboard.ingest.example import build_example_export
from dashboard.markdown_text import escape
from dashboard.store import Store

from .conftest import ROOT, open_page, page_text, run_app

PASSWORD = "geheim-wachtwoord-123"


def add_account(url: str, name: str, password: str = PASSWORD) -> None:
    store = Store(url)
    store.create_schema()
    store.add_user(name, hash_password(password, n=16))  # a cheap scrypt cost, only for tests
    store.dispose()


def test_without_login_method_upload_is_off_and_says_how(app_env) -> None:
    at = open_page(run_app(), "app_pages/gegevens.py")
    text = page_text(at)
    assert "Inlezen staat uit" in text and "python -m dashboard gebruiker toevoegen NAAM" in text
    assert not at.get("file_uploader")
    assert not [b for b in at.button if b.label == "Intrekken"]
    assert "Logboek" not in text


def test_the_shared_password_alone_no_longer_opens_anything(app_env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_STAFF_PASSWORD_HASH", hash_password(PASSWORD, n=16))
    at = open_page(run_app(), "app_pages/gegevens.py")
    text = page_text(at)
    assert "werkt alleen als demo op een laptop, met DASHBOARD_DEMO_LOGIN=1" in text
    assert "Inlezen staat uit" in text and not [b for b in at.button if b.label == "Inloggen"]


@pytest.fixture
def staff_env(app_env: str) -> str:
    add_account(app_env, "marieke")
    add_account(app_env, "jan", "ander-wachtwoord-456")
    return app_env


def login(at, password: str, name: str = "Marieke"):
    inputs = {t.label: t for t in at.text_input}
    inputs["Accountnaam"].input(name)
    inputs["Wachtwoord"].input(password)
    return next(b for b in at.button if b.label == "Inloggen").click().run()


def test_wrong_password_gets_a_delay_then_a_lock(staff_env: str) -> None:
    at = login(open_page(run_app(), "app_pages/gegevens.py"), "fout")
    text = page_text(at)
    assert "Naam of wachtwoord klopt niet." in text and "probeer het over 1 seconde opnieuw" in text
    assert "Ingelogd als" not in text and not at.get("file_uploader")
    # Four failures for jan in the last minutes (from another app process, say): the next one locks it.
    store = Store(staff_env)
    now = datetime.now(UTC)
    for seconds in (120, 100, 80, 60):
        store.record_login_attempt([("account", "jan")], now - timedelta(seconds=seconds))
    at = login(at, "nog-steeds-fout", name="jan")
    assert "Te veel mislukte pogingen voor deze naam: inloggen is tijdelijk geblokkeerd" in page_text(at)
    at = login(at, "ander-wachtwoord-456", name="jan")  # now even the right password waits out the lock
    assert "tijdelijk geblokkeerd" in page_text(at) and "Ingelogd als" not in page_text(at)
    log = store.audit_log()
    assert log["action"].tolist()[:3] == ["account tijdelijk geblokkeerd", "inloggen mislukt", "inloggen mislukt"]
    store.dispose()


def test_staff_can_withdraw_and_restore_a_dataset_and_read_the_log(staff_env: str) -> None:
    at = login(open_page(run_app(), "app_pages/gegevens.py"), PASSWORD)
    assert "Ingelogd als marieke." in page_text(at)
    assert at.get("file_uploader")
    active = int(at.metric[0].value)
    figures_before = at.metric[1].value
    # Intrekken asks first: the button only opens a question with 'Ja, intrekken'.
    assert any("intrekken? De" in m.value for m in at.markdown)
    at.button(key="withdraw_2").click().run()
    withdrawn = [m.value for m in at.markdown if "· ingetrokken" in m.value]
    assert len(withdrawn) == 1 and "2023" in withdrawn[0]
    assert at.success[0].value.startswith("Dataset ‘") and "is ingetrokken" in at.success[0].value
    assert int(at.metric[0].value) == active - 1 and at.metric[1].value != figures_before  # counters follow at once
    assert at.button(key="restore_2")  # a withdrawn dataset can be restored, never deleted
    at.button(key="restore_2").click().run()
    assert int(at.metric[0].value) == active and at.metric[1].value == figures_before
    assert "is hersteld" in at.success[0].value
    log = next(d.value for d in at.dataframe if "Wie" in d.value.columns)
    assert log[["Wie", "Wat"]].head(3).values.tolist() == [
        ["marieke", "dataset hersteld"], ["marieke", "dataset ingetrokken"], ["marieke", "inloggen gelukt"]]
    assert log["Waarover"].iloc[0].startswith("dataset 2: ")


def test_an_upload_is_stored_under_the_logged_in_account(staff_env: str, catalog) -> None:
    at = login(open_page(run_app(), "app_pages/gegevens.py"), PASSWORD)
    at.get("file_uploader")[0].set_value(("voorbeeld.xlsx", build_example_export(catalog, "GM0375"),
                                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at = at.run()
    assert [t.label for t in at.text_input] == ["Naam van de dataset",
                                              "Bron, bijvoorbeeld ‘CBS StatLine’ of ‘GGD Kennemerland’"]
    at = next(b for b in at.button if b.label == "Opslaan").click().run()
    saved = re.search(r"Opgeslagen als dataset (\d+) ‘voorbeeld’ met 33 cijfers", page_text(at))
    assert saved
    store = Store(staff_env)
    assert store.datasets().set_index("id").loc[int(saved[1]), "created_by"] == "marieke"
    assert store.audit_log()[["actor", "action"]].iloc[0].tolist() == ["marieke", "dataset ingelezen"]
    store.dispose()


def test_a_blocked_account_is_logged_out_at_the_next_step(staff_env: str) -> None:
    at = login(open_page(run_app(), "app_pages/gegevens.py"), PASSWORD)
    assert at.get("file_uploader")
    store = Store(staff_env)
    store.set_user_status("marieke", "blocked")
    store.dispose()
    at = at.run()
    assert not at.get("file_uploader") and "Ingelogd als" not in page_text(at)


def test_logging_out_ends_the_session(staff_env: str) -> None:
    at = login(open_page(run_app(), "app_pages/gegevens.py"), PASSWORD)
    at = at.button(key="uitloggen").click().run()
    assert not at.get("file_uploader") and "Log in om verder te gaan" in page_text(at)
    assert "Logboek" not in page_text(at)
    store = Store(staff_env)
    assert store.audit_log()[["actor", "action"]].iloc[0].tolist() == ["marieke", "uitgelogd"]
    store.dispose()


def test_with_oidc_the_provider_account_is_the_user_and_its_login_is_logged_once(app_env: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
    at.user = {"is_logged_in": True, "email": "fatima@gemeente.example"}
    at = open_page(at.run(), "app_pages/gegevens.py")
    at = at.run()
    # The account name is shown as text (escaped), as every name from outside.
    assert f"Ingelogd als {escape('fatima@gemeente.example')}." in page_text(at) and at.get("file_uploader")
    store = Store(app_env)
    logins = store.audit_log().query("action == 'inloggen gelukt'")
    assert logins[["actor", "target"]].values.tolist() == [["fatima@gemeente.example", "OIDC"]]
    store.dispose()


def test_demo_mode_is_explicit_and_marks_the_name(app_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_STAFF_PASSWORD_HASH", hash_password(PASSWORD, n=16))
    monkeypatch.setenv("DASHBOARD_DEMO_LOGIN", "1")
    at = open_page(run_app(), "app_pages/gegevens.py")
    assert "Demo-inlog staat aan" in page_text(at)
    at = login(at, PASSWORD, name="Fatima")
    assert "Ingelogd als fatima (demo)." in page_text(at) and at.get("file_uploader")


def test_user_supplied_names_cannot_inject_markdown_or_html() -> None:
    from dashboard.markdown_text import escape

    shown = escape("**vet** <img src=x onerror=alert(1)> :red[rood] [klik](javascript:x)")
    assert "**" not in shown.replace("\\*", "")
    assert "<img" not in shown.replace("\\<", "")
    assert ":red[" not in shown.replace("\\:", "").replace("\\[", "")
