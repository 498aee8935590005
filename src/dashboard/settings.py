"""All settings in one place.

Each setting is read, in this order, from an environment variable, from
`.streamlit/secrets.toml` (key in lower case, e.g. ``database_url``), and
otherwise takes its default. The README lists every setting; a test fails when
one is missing there.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
# Shipped CBS/Kadaster boundaries (2023, every municipality and wijk): used unless DASHBOARD_GEO_PATH is set.
SHIPPED_GEO_DIR = DATA_DIR / "geo"
SECRETS_FILE = PROJECT_ROOT / ".streamlit" / "secrets.toml"

# Environment variable -> (secrets key, description for the README check).
SETTINGS_DOC: dict[str, str] = {
    "DASHBOARD_DATABASE_URL": "database URL (SQLAlchemy); default a SQLite file data/dashboard.sqlite",
    "DASHBOARD_GEO_PATH": "folder with newer CBS boundaries (wijken_<jaar>, gemeenten_<jaar>); default data/geo",
    "DASHBOARD_PRIVACY_THRESHOLD": "smallest count per wijk that may be shown (default 10)",
    "DASHBOARD_SEEDS_PATH": "folder with the source documents (for quotes on the Bronnen page)",
    "DASHBOARD_UPLOAD_MAX_MB": "largest upload in megabytes (default 20)",
    "DASHBOARD_UPLOAD_MAX_ROWS": "most rows in one upload (default 200000)",
    "DASHBOARD_STAFF_PASSWORD_HASH": "hash of the shared demo password (python -m dashboard wachtwoord)",
    "DASHBOARD_DEMO_LOGIN": "1: allow the shared demo password beside named accounts (laptop demo only)",
    "DASHBOARD_CLIENT_IP_HEADER": "header a reverse proxy sets to the client address (e.g. X-Forwarded-For)",
    "DASHBOARD_GEMEENTE": "CBS code of the municipality the deployment is for (e.g. GM0479); default the demo",
    "DASHBOARD_REGIO": "code of the region the deployment is for (e.g. REG_IJMOND); default the demo",
}


MIN_PRIVACY_THRESHOLD = 5  # below this a count per wijk identifies people; no setting may switch the rule off


class SettingsError(ValueError):
    """A setting has a value the dashboard cannot use; the message names the setting, in Dutch."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    geo_path: Path | None
    privacy_threshold: int
    seeds_path: Path | None
    upload_max_bytes: int = 20_000_000
    upload_max_rows: int = 200_000
    staff_password_hash: str | None = None
    demo_login: bool = False
    client_ip_header: str | None = None
    gemeente: str | None = None  # the municipality this deployment is for (CBS code); None: the demo
    regio: str | None = None  # or the region it is for

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _read_secrets(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Het bestand {path.name} met instellingen kan niet worden gelezen ({exc}).") from exc


def _lookup(name: str, secrets: dict[str, object], env: dict[str, str]) -> str | None:
    if env.get(name):
        return env[name]
    key = name.removeprefix("DASHBOARD_").lower()
    value = secrets.get(key)
    return None if value is None else str(value)


def _integer(name: str, secrets: dict[str, object], env: dict[str, str], default: int, minimum: int = 1) -> int:
    raw = _lookup(name, secrets, env)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError as exc:
        raise SettingsError(f"De instelling {name} moet een geheel getal zijn, niet ‘{raw}’. "
                            f"Verbeter of verwijder hem (standaard {default}).") from exc
    if value < minimum:
        raise SettingsError(f"De instelling {name} is {value}; de kleinste toegestane waarde is {minimum} "
                            f"(standaard {default}).")
    return value


def _switch(name: str, secrets: dict[str, object], env: dict[str, str]) -> bool:
    raw = _lookup(name, secrets, env)
    if raw is None or raw.strip() in ("", "0"):
        return False
    if raw.strip().lower() in ("1", "true"):
        return True
    raise SettingsError(f"De instelling {name} moet 1 (aan) of 0 (uit) zijn, niet ‘{raw}’.")


def _check_database_url(url: str) -> None:
    """SQLite or PostgreSQL, as a URL SQLAlchemy can read; the message never repeats the URL (a password)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    example = "bijvoorbeeld sqlite:///data/dashboard.sqlite of postgresql+psycopg://gebruiker@host/database"
    try:
        backend = make_url(url).get_backend_name()
    except (ArgumentError, ValueError) as exc:
        raise SettingsError(f"De instelling DASHBOARD_DATABASE_URL is geen geldige database-URL ({example}).") from exc
    if backend not in ("sqlite", "postgresql"):
        raise SettingsError(f"De instelling DASHBOARD_DATABASE_URL noemt database ‘{backend}’; het dashboard werkt "
                            f"met SQLite of PostgreSQL ({example}).")


def _code(name: str, secrets: dict[str, object], env: dict[str, str], pattern: str, example: str) -> str | None:
    raw = _lookup(name, secrets, env)
    if raw is None or not raw.strip():
        return None
    code = raw.strip().upper()
    if not re.fullmatch(pattern, code):
        raise ValueError(f"{name} moet {example} zijn, niet {raw!r}")
    return code


def _existing_dir(raw: str | None, fallback: Path) -> Path | None:
    if raw:
        return Path(raw).expanduser()
    return fallback if fallback.is_dir() else None


def load_settings(
    env: dict[str, str] | None = None, secrets_file: Path = SECRETS_FILE
) -> Settings:
    """The settings; raises SettingsError (Dutch, naming the setting) when one cannot be used."""
    env = dict(os.environ) if env is None else env
    secrets = _read_secrets(secrets_file)
    database_url = _lookup("DASHBOARD_DATABASE_URL", secrets, env) or (
        f"sqlite:///{DATA_DIR / 'dashboard.sqlite'}"
    )
    _check_database_url(database_url)
    threshold = _integer("DASHBOARD_PRIVACY_THRESHOLD", secrets, env, 10, minimum=MIN_PRIVACY_THRESHOLD)
    shared = PROJECT_ROOT.parent / "shared"
    return Settings(
        database_url=database_url,
        geo_path=_existing_dir(_lookup("DASHBOARD_GEO_PATH", secrets, env), SHIPPED_GEO_DIR),
        privacy_threshold=threshold,
        seeds_path=_existing_dir(_lookup("DASHBOARD_SEEDS_PATH", secrets, env), shared / "seeds"),
        upload_max_bytes=_integer("DASHBOARD_UPLOAD_MAX_MB", secrets, env, 20) * 1_000_000,
        upload_max_rows=_integer("DASHBOARD_UPLOAD_MAX_ROWS", secrets, env, 200_000),
        staff_password_hash=_lookup("DASHBOARD_STAFF_PASSWORD_HASH", secrets, env),
        demo_login=_switch("DASHBOARD_DEMO_LOGIN", secrets, env),
        client_ip_header=_lookup("DASHBOARD_CLIENT_IP_HEADER", secrets, env),
        gemeente=_code("DASHBOARD_GEMEENTE", secrets, env, r"GM\d{4}", "een CBS-gemeentecode zoals GM0479"),
        regio=_code("DASHBOARD_REGIO", secrets, env, r"[A-Z][A-Z0-9_]*", "een regiocode zoals REG_IJMOND"),
    )
