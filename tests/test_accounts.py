"""Named staff accounts, the delay and lock after failed logins, and the audit log (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from dashboard import cli
from dashboard.auth import CLIENT, attempt_login, hash_password, verify_password
from dashboard.settings import load_settings
from dashboard.store import Store
from dashboard.store.store import DatasetMeta

PASSWORD = "geheim-wachtwoord-123"
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def cheap_hash(password: str = PASSWORD) -> str:
    return hash_password(password, n=16)  # the real cost (n=2**15) only slows the tests


@pytest.fixture
def accounts(store: Store) -> Store:
    store.add_user("marieke", cheap_hash())
    store.add_user("jan", cheap_hash("ander-wachtwoord-456"))
    return store


def test_passwords_are_kept_as_scrypt_hashes_and_old_demo_hashes_still_verify() -> None:
    stored = hash_password(PASSWORD, n=16)
    assert PASSWORD not in stored and stored.startswith("scrypt$16$8$1$")
    assert hash_password(PASSWORD).startswith("scrypt$32768$8$1$")  # memory-hard by default: 32 MiB
    assert verify_password(PASSWORD, stored) and not verify_password("fout", stored)
    assert not verify_password(PASSWORD, "kapotte-hash") and not verify_password(PASSWORD, None)
    import hashlib

    salt = bytes(16)
    legacy = f"pbkdf2_sha256$1000${salt.hex()}${hashlib.pbkdf2_hmac('sha256', PASSWORD.encode(), salt, 1000).hex()}"
    assert verify_password(PASSWORD, legacy) and not verify_password("fout", legacy)


def test_accounts_are_unique_listed_without_hashes_and_blocked_not_deleted(accounts: Store) -> None:
    with pytest.raises(ValueError, match="al een account"):
        accounts.add_user("marieke", cheap_hash())
    accounts.set_user_status("jan", "blocked")
    users = accounts.users()
    assert users["name"].tolist() == ["jan", "marieke"] and users["status"].tolist() == ["blocked", "active"]
    assert "password_hash" not in users.columns
    with pytest.raises(KeyError):
        accounts.set_user_status("piet", "blocked")
    assert attempt_login(accounts, "jan", "ander-wachtwoord-456", "10.0.0.1", now=T0).user is None
    accounts.set_user_status("jan", "active")
    later = T0 + timedelta(seconds=2)
    assert attempt_login(accounts, "Jan ", "ander-wachtwoord-456", "10.0.0.1", now=later).user == "jan"


def test_a_blocked_account_with_the_right_password_is_told_so(accounts: Store) -> None:
    accounts.set_user_status("marieke", "blocked")
    result = attempt_login(accounts, "marieke", PASSWORD, "10.0.0.1")
    assert result.user is None and "geblokkeerd" in result.message


def test_failures_per_account_give_a_growing_delay_then_a_lock(accounts: Store) -> None:
    client = "10.0.0.1"
    first = attempt_login(accounts, "marieke", "fout", client, now=T0)
    assert first.user is None and first.message == (
        "Naam of wachtwoord klopt niet. Na een mislukte poging moet u even wachten: probeer het over "
        "1 seconde opnieuw.")
    # Within the delay even the right password is not checked.
    early = attempt_login(accounts, "marieke", PASSWORD, client, now=T0 + timedelta(milliseconds=500))
    assert early.user is None and "probeer het over 1 seconde" in early.message
    moment, waits = T0, []
    for delay in (1, 2, 4):
        moment += timedelta(seconds=delay)
        waits.append(attempt_login(accounts, "marieke", "fout", client, now=moment).message)
    assert ["2 seconden" in waits[0], "4 seconden" in waits[1], "8 seconden" in waits[2]] == [True] * 3
    moment += timedelta(seconds=8)
    locked = attempt_login(accounts, "marieke", "fout", client, now=moment)
    assert "tijdelijk geblokkeerd" in locked.message and "15 minuten" in locked.message
    assert attempt_login(accounts, "marieke", PASSWORD, client, now=moment + timedelta(minutes=14)).user is None
    # Another account from the same client is not locked by it, and the lock ends after fifteen minutes.
    # (five failures from this client: it waits a second before its next attempt, see the client test)
    after_client_delay = moment + timedelta(seconds=1)
    assert attempt_login(accounts, "jan", "ander-wachtwoord-456", client, now=after_client_delay).user == "jan"
    later = moment + timedelta(minutes=15, seconds=1)
    assert attempt_login(accounts, "marieke", PASSWORD, client, now=later).user == "marieke"
    # A success resets the account's count: the next typo has the shortest delay again.
    again = attempt_login(accounts, "marieke", "fout", client, now=later + timedelta(seconds=1))
    assert "1 seconde" in again.message


def test_failures_from_one_client_lock_that_client_for_every_account(accounts: Store) -> None:
    moment = T0
    for i in range(CLIENT.lock_after):  # guessing at many names, each one once, waiting out each delay
        moment += timedelta(seconds=0 if i < CLIENT.free else min(2 ** (i - CLIENT.free), 60))
        result = attempt_login(accounts, f"naam{i}", "fout", "10.6.6.6", now=moment)
        assert "klopt niet" in result.message
    assert "vanaf dit adres" in result.message
    refused = attempt_login(accounts, "marieke", PASSWORD, "10.6.6.6", now=moment + timedelta(seconds=61))
    assert refused.user is None and "vanaf dit adres" in refused.message
    assert attempt_login(accounts, "marieke", PASSWORD, "10.0.0.1", now=moment).user == "marieke"


def test_two_app_processes_share_the_failed_attempts(accounts: Store) -> None:
    other_process = Store(accounts.url)  # its own engine and connections, as a second replica has
    try:
        attempt_login(accounts, "marieke", "fout", "10.0.0.1", now=T0)
        result = attempt_login(other_process, "marieke", PASSWORD, "10.0.0.2", now=T0)
        assert result.user is None and "probeer het over 1 seconde" in result.message
    finally:
        other_process.dispose()


def test_guesses_sent_at_the_same_moment_get_at_most_one_password_check(accounts: Store) -> None:
    barrier = threading.Barrier(8)

    def guess(i: int) -> str:
        barrier.wait()
        return attempt_login(accounts, "marieke", f"gok-{i}", f"10.0.1.{i}", now=T0).message

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(guess, range(8)))
    checked = [a for a in answers if a.startswith("Naam of wachtwoord klopt niet.")]
    assert len(checked) <= 1 and len(answers) - len(checked) >= 7
    assert all("probeer het over" in a.lower() for a in answers), answers


def test_an_unknown_name_is_answered_like_a_wrong_password(accounts: Store) -> None:
    unknown = attempt_login(accounts, "niemand", PASSWORD, "10.0.0.1", now=T0)
    wrong = attempt_login(accounts, "marieke", "fout", "10.0.0.2", now=T0)
    assert unknown.message == wrong.message


def test_demo_mode_marks_the_name_and_never_opens_an_account(accounts: Store) -> None:
    demo = cheap_hash("gedeeld-demowachtwoord")
    assert attempt_login(accounts, "Fatima", "gedeeld-demowachtwoord", "lokaal", demo_hash=demo).user == "fatima (demo)"
    # An existing account keeps its own password, also in demo mode.
    assert attempt_login(accounts, "jan", "gedeeld-demowachtwoord", "10.0.0.3", demo_hash=demo).user is None
    assert attempt_login(accounts, "Fatima", "gedeeld-demowachtwoord", "lokaal").user is None


def test_the_audit_log_has_logins_imports_withdrawals_and_restores_newest_first(accounts: Store) -> None:
    attempt_login(accounts, "marieke", "fout", "10.0.0.1", now=T0)
    attempt_login(accounts, "marieke", PASSWORD, "10.0.0.1", now=T0 + timedelta(seconds=2))
    dataset_id = accounts.add_dataset(DatasetMeta(name="Wachttijden 2025", kind="upload", source_file="w.xlsx",
                                                  sha256="c" * 64, created_by="marieke"), [])
    accounts.set_dataset_status(dataset_id, "withdrawn", actor="marieke")
    accounts.set_dataset_status(dataset_id, "active", actor="marieke")
    note_id = accounts.add_note("Gesprek met het CJG", "marieke")
    with pytest.raises(PermissionError):
        accounts.set_note_status(note_id, "jan", "withdrawn")
    accounts.set_note_status(note_id, "marieke", "withdrawn")
    accounts.set_note_status(note_id, "marieke", "active")
    log = accounts.audit_log()
    lines = list(zip(log["actor"], log["action"], log["target"], strict=True))
    assert lines[:7] == [
        ("marieke", "notitie hersteld", f"notitie {note_id}"),
        ("marieke", "notitie ingetrokken", f"notitie {note_id}"),
        ("marieke", "dataset hersteld", f"dataset {dataset_id}: Wachttijden 2025"),
        ("marieke", "dataset ingetrokken", f"dataset {dataset_id}: Wachttijden 2025"),
        ("marieke", "dataset ingelezen", f"dataset {dataset_id}: Wachttijden 2025 (0 cijfers)"),
        ("marieke", "inloggen gelukt", ""),
        ("marieke", "inloggen mislukt", ""),
    ]
    assert log["client"].iloc[5] == "10.0.0.1"
    assert accounts.users().set_index("name").loc["marieke", "last_login"] is not None


def test_cli_adds_lists_and_blocks_accounts(tmp_path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    monkeypatch.setattr("dashboard.auth.SCRYPT_N", 16)
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert cli.main(["gebruiker", "toevoegen", "marieke"]) == 2
    assert "ten minste 12 tekens" in capsys.readouterr().err
    assert cli.main(["gebruiker", "toevoegen", "Marieke de Vries"]) == 2
    assert "past niet in de regel" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["gebruiker", "toevoegen", "Marieke"]) == 0
    assert cli.main(["gebruiker", "blokkeren", "marieke"]) == 0
    assert cli.main(["gebruiker", "lijst"]) == 0
    out = capsys.readouterr().out
    assert "Account ‘marieke’ aangemaakt." in out and "marieke\tgeblokkeerd" in out
    # On a terminal the password is asked twice without echo; two different ones change nothing.
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", terminal)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    assert cli.main(["gebruiker", "toevoegen", "jan"]) == 2
    assert "niet gelijk" in capsys.readouterr().err
    store = Store(url)
    assert store.user("jan") is None
    assert store.user("marieke")["password_hash"].startswith("scrypt$")
    log = store.audit_log()
    assert log["action"].tolist()[:2] == ["account geblokkeerd", "account aangemaakt"]
    assert log["actor"].iloc[0].startswith("opdrachtregel") and log["target"].iloc[0] == "marieke"
    store.dispose()


def test_demo_login_switch_is_explicit(tmp_path) -> None:
    assert not load_settings(env={}, secrets_file=tmp_path / "geen.toml").demo_login
    assert load_settings(env={"DASHBOARD_DEMO_LOGIN": "1"}, secrets_file=tmp_path / "geen.toml").demo_login
    with pytest.raises(ValueError, match="DASHBOARD_DEMO_LOGIN"):
        load_settings(env={"DASHBOARD_DEMO_LOGIN": "ja"}, secrets_file=tmp_path / "geen.toml")
