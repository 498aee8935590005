"""The one place the dashboard talks to the internet (PDOK, CBS StatLine): JSON over HTTPS.

Every failure becomes an OfflineError with a Dutch message, so that a command can say clearly
that nothing was fetched and that what is already there stays.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests

USER_AGENT = "Jeugddashboard/1.0 (dashboard jeugdbeleid)"


class OfflineError(RuntimeError):
    """The server could not be reached or did not answer with usable JSON."""


class NotFoundError(OfflineError):
    """The server answered 404: the table, year or collection does not exist (there)."""


def get_json(url: str, params: dict[str, str] | None = None, timeout: float = 60.0) -> Any:
    host = urlsplit(url).netloc
    try:
        response = requests.get(url, params=params, timeout=timeout,
                                headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    except requests.RequestException as exc:
        raise OfflineError(f"Geen verbinding met {host}: {type(exc).__name__}.") from exc
    if response.status_code == 404:
        raise NotFoundError(f"{host} kent {urlsplit(url).path} niet (404).")
    if response.status_code >= 400:
        raise OfflineError(f"{host} antwoordde met fout {response.status_code}.")
    try:
        return response.json()
    except ValueError as exc:
        raise OfflineError(f"{host} stuurde geen geldige JSON terug.") from exc
