"""Staff login for uploading, withdrawing and restoring.

With an OIDC provider configured in secrets.toml ([auth] section), Streamlit's st.login is
used. Otherwise a staff password, stored only as a PBKDF2 hash, compared in constant time.
Without either, upload is switched off and the page says how to configure it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ITERATIONS = 600_000


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored or not password:
        return False
    try:
        scheme, iterations, salt_hex, digest_hex = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt_hex), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)
