"""Filter state <-> st.query_params.

Shared filters (kader, gemeente) live in session state so they survive page switches
(Streamlit clears the URL's query string when the user switches pages) and are written
back into the URL on every run. Page-level choices use `page_choice`. An unknown value
in the URL falls back to the default with a short notice, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

SHARED_KEYS = ("kader", "gemeente")


def _notice(key: str, value: str) -> None:
    notices = st.session_state.setdefault("_url_notices", [])
    notices.append(f"De keuze ‘{value}’ voor ‘{key}’ in de link bestaat niet (meer); de standaard wordt getoond.")


def initial_value(key: str, options: Sequence[str], default: str) -> str:
    """The value a widget with this key starts with: from the URL when valid, else the default."""
    if key in st.session_state and st.session_state[key] in options:
        return st.session_state[key]
    from_url = st.query_params.get(key)
    if from_url is not None and from_url not in options:
        _notice(key, from_url)
        from_url = None
    return from_url or default


def bind(key: str, options: Sequence[str], default: str) -> None:
    """Prepare session state for a widget with `key`, so that it needs no `index`/`value` argument."""
    st.session_state[key] = initial_value(key, options, default)


def write_url(extra: dict[str, str] | None = None) -> None:
    """Write the shared filters and this page's choices into the URL."""
    wanted = {key: str(st.session_state[key]) for key in SHARED_KEYS if st.session_state.get(key)}
    wanted.update(extra or {})
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def page_choice(key: str, options: Sequence[str], default: str) -> str:
    """A page-level choice that lives in the URL; returns the value to use on this run."""
    bind(key, options, default)
    return st.session_state[key]


def show_notices() -> None:
    for text in st.session_state.pop("_url_notices", []):
        st.info(text, icon=":material/info:")
