"""Staff accounts: password hashing, the account-name rule, throttling of failed logins, and the login itself.

With an OIDC provider configured in secrets.toml ([auth] section), Streamlit's st.login is used and nothing
here applies. Otherwise staff log in with a named account from the store (`python -m dashboard gebruiker
toevoegen NAAM`). Passwords are kept only as scrypt hashes (memory-hard, from the standard library).

Failed logins are counted per account and per client in the store, so that every app process sees them:
after each failure the next attempt must wait longer, and after a few a temporary lock holds. The shared
password of the first releases survives only as a demo mode for a laptop (DASHBOARD_DEMO_LOGIN=1).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboard.store.store import Store

MIN_PASSWORD_LENGTH = 12
# scrypt with N=2**15, r=8: 32 MiB of memory and about a tenth of a second per attempt.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_SCRYPT_MAXMEM = 256 * 1024 * 1024
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
NAME_RULE = ("2 tot 64 tekens: kleine letters, cijfers en . _ @ -, beginnend met een letter of cijfer "
             "(bijvoorbeeld ‘marieke’ of ‘m.devries’)")
DEMO_SUFFIX = " (demo)"


# -- passwords -------------------------------------------------------------


def hash_password(password: str, *, n: int | None = None, salt: bytes | None = None) -> str:
    """An scrypt hash with its parameters and salt; a lower `n` than SCRYPT_N is only for tests."""
    n = n or SCRYPT_N
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, maxmem=_SCRYPT_MAXMEM)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check against an scrypt hash (or a PBKDF2 hash of the first releases' demo password)."""
    if not stored or not password:
        return False
    try:
        scheme, *params = stored.split("$")
        if scheme == "scrypt":
            n, r, p, salt_hex, digest_hex = params
            digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r),
                                    p=int(p), maxmem=_SCRYPT_MAXMEM)
        elif scheme == "pbkdf2_sha256":
            iterations, salt_hex, digest_hex = params
            digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt_hex), int(iterations))
        else:
            return False
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


@functools.cache
def _dummy_hash() -> str:
    """A hash to check against when the account does not exist, so that an unknown name takes as long as a
    wrong password and the answer does not tell which names exist."""
    return hash_password(secrets.token_hex(16))


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kies een wachtwoord van ten minste {MIN_PASSWORD_LENGTH} tekens."
    return None


# -- account names -----------------------------------------------------------


def normalise_name(raw: str) -> str:
    """Account names are compared without case and surrounding spaces: ‘Marieke ’ logs in as ‘marieke’."""
    return raw.strip().lower()


def name_problem(name: str) -> str | None:
    if NAME_PATTERN.fullmatch(name):
        return None
    return f"De accountnaam ‘{name[:80]}’ past niet in de regel: {NAME_RULE}."


def is_demo_user(user: str) -> bool:
    return user.endswith(DEMO_SUFFIX)


# -- throttling --------------------------------------------------------------

WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
MAX_DELAY_SECONDS = 60


@dataclass(frozen=True)
class Policy:
    """How failed logins of one scope are answered: `free` failures without delay, then 1, 2, 4 … seconds
    (at most a minute), and from `lock_after` failures a lock of LOCK after the last one."""

    scope: str
    free: int
    lock_after: int
    resets_on_success: bool


# One account: a delay from the first failure, locked after five. One client (an address): colleagues behind
# one address may mistype, so the delay starts after five failures and the lock after twenty; a success from
# that address does not reset it (else one valid account would open unlimited guesses at the others).
ACCOUNT = Policy("account", free=1, lock_after=5, resets_on_success=True)
CLIENT = Policy("client", free=5, lock_after=20, resets_on_success=False)


@dataclass(frozen=True)
class Wait:
    seconds: int
    locked: bool


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def wait_for(attempts: list[tuple[datetime, bool]], now: datetime, policy: Policy) -> Wait:
    """How long the next attempt must wait, given the (time, succeeded) attempts of one key, oldest first."""
    failures: list[datetime] = []
    for moment, succeeded in attempts:
        if succeeded:
            if policy.resets_on_success:
                failures = []
        elif now - _aware(moment) < WINDOW:
            failures.append(_aware(moment))
    if len(failures) < policy.free:
        return Wait(0, False)
    last = max(failures)
    if len(failures) >= policy.lock_after:
        remaining = (last + LOCK - now).total_seconds()
        return Wait(max(0, int(remaining + 0.999)), remaining > 0)
    delay = min(2 ** (len(failures) - policy.free), MAX_DELAY_SECONDS)
    return Wait(max(0, int((last - now).total_seconds() + delay + 0.999)), False)


def _duration(seconds: int) -> str:
    if seconds >= 90:
        return f"{(seconds + 59) // 60} minuten"
    return "1 seconde" if seconds == 1 else f"{seconds} seconden"


def wait_message(account: Wait, client: Wait) -> str | None:
    if account.locked:
        return (f"Te veel mislukte pogingen voor deze naam: inloggen is tijdelijk geblokkeerd. Probeer het over "
                f"{_duration(account.seconds)} opnieuw.")
    if client.locked:
        return (f"Te veel mislukte pogingen vanaf dit adres: inloggen is tijdelijk geblokkeerd. Probeer het over "
                f"{_duration(client.seconds)} opnieuw.")
    seconds = max(account.seconds, client.seconds)
    if seconds:
        return f"Na een mislukte poging moet u even wachten: probeer het over {_duration(seconds)} opnieuw."
    return None


# -- the login -----------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    user: str | None
    message: str


WRONG = "Naam of wachtwoord klopt niet."


def _throttle(store: Store, account_key: str, client: str, now: datetime,
              exclude: list[int] | None = None) -> tuple[Wait, Wait]:
    since = now - max(WINDOW, LOCK) * 2
    return (wait_for(store.login_attempts(ACCOUNT.scope, account_key, since, exclude), now, ACCOUNT),
            wait_for(store.login_attempts(CLIENT.scope, client, since, exclude), now, CLIENT))


def attempt_login(store: Store, raw_name: str, password: str, client: str, *,
                  demo_hash: str | None = None, now: datetime | None = None) -> LoginResult:
    """Check a login against the accounts in the store (or, in demo mode, the shared password).

    The attempt is recorded as a failure before anything is checked (and turned into a success after), so
    attempts sent at the same moment, to one process or to several, see each other: at most one of them
    gets past the delay. An attempt refused for the delay or lock is forgotten, so it does not prolong them.
    """
    name = normalise_name(raw_name)
    if not name or not password:
        return LoginResult(None, "Vul uw naam en uw wachtwoord in.")
    now = now or datetime.now(UTC)
    key = name[:200]
    attempt_ids = store.record_login_attempt([(ACCOUNT.scope, key), (CLIENT.scope, client)], now)
    refused = wait_message(*_throttle(store, key, client, now, exclude=attempt_ids))
    if refused:
        store.forget_login_attempts(attempt_ids)
        return LoginResult(None, refused)
    account = store.user(name) if name_problem(name) is None else None
    if account is not None:
        correct = verify_password(password, account["password_hash"])
        user = name if correct and account["status"] == "active" else None
    elif demo_hash and name_problem(name) is None:
        correct = verify_password(password, demo_hash)
        user = name + DEMO_SUFFIX if correct else None
    else:
        verify_password(password, _dummy_hash())
        correct, user = False, None
    if user is not None:
        store.login_succeeded(attempt_ids, user, client)
        return LoginResult(user, "")
    store.audit(key, "inloggen mislukt", "", client=client)
    if correct and account is not None:
        return LoginResult(None, "Dit account is geblokkeerd. Vraag een beheerder het weer vrij te geven.")
    account_wait, client_wait = _throttle(store, key, client, now)
    if account_wait.locked and account is not None:
        store.audit(key, "account tijdelijk geblokkeerd", f"{ACCOUNT.lock_after} mislukte pogingen", client=client)
    follow_up = wait_message(account_wait, client_wait)
    return LoginResult(None, WRONG + (" " + follow_up if follow_up else ""))
