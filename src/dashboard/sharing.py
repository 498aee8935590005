"""The link of the view on screen ("Deel deze weergave"): the page and every choice in its query string."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode, urlsplit


def query_pairs(query_params: Any) -> list[tuple[str, str]]:
    """All parameters, repeated ones (a list of tables or slides) once per value, in a stable order."""
    return [(key, value) for key in sorted(query_params.keys()) for value in query_params.get_all(key)]


def share_url(session_url: str | None, base_url_path: str, url_path: str, pairs: Iterable[tuple[str, str]]) -> str:
    """`https://host/<base>/<page>?<choices>`: the origin from the session's URL, the base path from the config."""
    parts = urlsplit(session_url or "")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    base = "/" + base_url_path.strip("/") + "/" if base_url_path.strip("/") else "/"
    query = urlencode(list(pairs))
    return f"{origin}{base}{url_path}" + (f"?{query}" if query else "")
