"""The Gegevens page: viewing is open, changing needs a staff login; withdraw hides, restore shows."""

from __future__ import annotations

import pytest

from dashboard.auth import hash_password, verify_password

from .conftest import open_page, page_text, run_app

PASSWORD = "geheim-wachtwoord-123"


def test_password_hash_is_verified_and_never_the_password() -> None:
    stored = hash_password(PASSWORD, iterations=1000)
    assert PASSWORD not in stored and stored.startswith("pbkdf2_sha256$1000$")
    assert verify_password(PASSWORD, stored)
    assert not verify_password("fout", stored)
    assert not verify_password(PASSWORD, "kapotte-hash")
    assert not verify_password(PASSWORD, None)


def test_without_login_method_upload_is_off_and_says_how(app_env) -> None:
    at = open_page(run_app(), "app_pages/gegevens.py")
    text = page_text(at)
    assert "Inlezen staat uit" in text and "python -m dashboard wachtwoord" in text
    assert not at.get("file_uploader")
    assert not [b for b in at.button if b.label == "Intrekken"]


@pytest.fixture
def staff_env(app_env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_STAFF_PASSWORD_HASH", hash_password(PASSWORD, iterations=1000))


def login(at, password: str):
    at.text_input[0].input("Marieke")
    at.text_input[1].input(password)
    return next(b for b in at.button if b.label == "Inloggen").click().run()


def test_wrong_password_is_refused(staff_env) -> None:
    at = login(open_page(run_app(), "app_pages/gegevens.py"), "fout")
    assert "het wachtwoord klopt niet" in page_text(at)
    assert "Ingelogd als" not in page_text(at)


def test_staff_can_withdraw_and_restore_a_dataset(staff_env) -> None:
    at = login(open_page(run_app(), "app_pages/gegevens.py"), PASSWORD)
    assert "Ingelogd als Marieke." in page_text(at)
    assert at.get("file_uploader")
    active = int(at.metric[0].value)
    at.button(key="withdraw_2").click().run()
    withdrawn = [m.value for m in at.markdown if "· ingetrokken" in m.value]
    assert len(withdrawn) == 1 and "2023" in withdrawn[0]
    assert at.metric[0].value == str(active - 1)
    assert at.button(key="restore_2")  # a withdrawn dataset can be restored, never deleted
    at.button(key="restore_2").click().run()
    assert at.metric[0].value == str(active)


def test_user_supplied_names_cannot_inject_markdown_or_html() -> None:
    from dashboard.markdown_text import escape

    shown = escape("**vet** <img src=x onerror=alert(1)> :red[rood] [klik](javascript:x)")
    assert "**" not in shown.replace("\\*", "")
    assert "<img" not in shown.replace("\\<", "")
    assert ":red[" not in shown.replace("\\:", "").replace("\\[", "")
