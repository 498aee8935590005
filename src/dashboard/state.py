"""Filter state <-> st.query_params.

Shared filters (kader, gemeente) live in session state so they survive page switches
(Streamlit clears the URL's query string when the user switches pages) and are written
back into the URL on every run. Page-level choices use `page_choice`. An unknown value
in the URL falls back to the default with a short notice, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import streamlit as st

from dashboard.markdown_text import escape

SHARED_KEYS = ("kader", "gemeente", "weergave")
PRESENTATION = "presentatie"
# Parameters a page reads from st.query_params itself rather than through this module.
DIRECT_KEYS = ("passage", "tabel")
_USED = "_url_keys_used"


def _notice(key: str, value: str) -> None:
    notice(f"De keuze ‘{value}’ voor ‘{key}’ in de link bestaat niet (meer); de standaard wordt getoond.")


def notice(text: str) -> None:
    """A short Dutch notice about the link, shown at the top of the page (see show_notices)."""
    notices = st.session_state.setdefault("_url_notices", [])
    if text not in notices:
        notices.append(text)


def _use(key: str) -> None:
    st.session_state.setdefault(_USED, set()).add(key)


def begin_run() -> None:
    """Start of a run (app.py): no parameter is known to be used yet."""
    st.session_state[_USED] = set(SHARED_KEYS) | set(DIRECT_KEYS)


def url_values(key: str) -> list[str]:
    """The values of a repeated parameter as they are in the link (the page checks them)."""
    _use(key)
    return st.query_params.get_all(key)


def keep_parameters() -> None:
    """Every parameter in the link counts as read: on the big screen a page runs only its current step, and the
    choices of its other steps stay in the link for when the presenter steps back (no 'unknown' notice)."""
    st.session_state.setdefault(_USED, set()).update(st.query_params.keys())


def unknown_parameters() -> list[str]:
    """Parameters in the link that nothing on this page read: a typo or a link from another page or version."""
    used = st.session_state.get(_USED, set())
    return [key for key in st.query_params if key not in used]


def say_unknown_parameters(slot: st.delta_generator.DeltaGenerator) -> None:
    """After the page has run: name the parameters it did not use, in a slot at the top of the page."""
    unknown = unknown_parameters()
    if unknown:
        names = ", ".join(f"‘{key}={st.query_params.get(key, '')}’" for key in unknown)
        slot.info(f"De link bevat {names}; die keuze kent deze pagina niet en is genegeerd.",
                  icon=":material/info:")


def missing_page(pages: Iterable[st.Page]) -> str | None:
    """A notice when the link asked for a page that is not among `pages` (Streamlit then runs the default)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        manager = get_script_run_ctx().pages_manager
        wanted_hash, wanted_name = manager.intended_page_script_hash, manager.intended_page_name
    except Exception:  # an internal API: without it there is no notice, never an error
        return None
    pages = list(pages)
    if wanted_hash and wanted_hash not in {p._script_hash for p in pages}:
        wanted_name = wanted_name or "?"
    elif not wanted_name or wanted_name in {p.url_path for p in pages}:
        return None
    return f"De pagina ‘{wanted_name}’ uit de link bestaat niet (meer); het Overzicht wordt getoond."


def initial_value(key: str, options: Sequence[str], default: str) -> str:
    """The value a widget with this key starts with: from the URL when valid, else the default."""
    _use(key)
    if key in st.session_state and st.session_state[key] in options:
        return st.session_state[key]
    from_url = st.query_params.get(key)
    if from_url is not None and from_url not in options:
        _notice(key, from_url)
        from_url = None
    return from_url or default


def bind(key: str, options: Sequence[str], default: str) -> None:
    """Prepare session state for a widget with `key`, so that it needs no `index`/`value` argument.

    An unknown value in the link is said right here, above the widget, as for page_choice."""
    st.session_state[key] = initial_value(key, options, default)
    show_notices()


def write_url(extra: dict[str, str | list[str]] | None = None) -> None:
    """Write the shared filters and this page's choices into the URL (a list as a repeated parameter)."""
    wanted: dict[str, str | list[str]] = {
        key: str(st.session_state[key]) for key in SHARED_KEYS if st.session_state.get(key)
    }
    wanted.update(extra or {})
    for key, value in wanted.items():
        _use(key)
        if isinstance(value, list):
            if st.query_params.get_all(key) != value:
                if value:
                    st.query_params[key] = value
                elif key in st.query_params:
                    del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def list_choice(key: str, options: Sequence[str], default: Sequence[str]) -> list[str]:
    """A multi-value choice (multiselect) that lives in the URL as a repeated parameter."""
    _use(key)
    if key not in st.session_state:
        from_url = st.query_params.get_all(key)
        unknown = [v for v in from_url if v not in options]
        if unknown:
            _notice(key, ", ".join(unknown))
        known = [v for v in from_url if v in options]
        st.session_state[key] = known or list(default)
        show_notices()
    else:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    return st.session_state[key]


def read_view_mode() -> None:
    """`weergave` from the URL into session state, so presentation mode survives page switches;
    `weergave=standaard` (or an unknown value, with a notice) ends it."""
    if "weergave" not in st.query_params:
        return
    requested = st.query_params["weergave"]
    if requested not in (PRESENTATION, "standaard"):
        _notice("weergave", requested)
    st.session_state["weergave"] = PRESENTATION if requested == PRESENTATION else None
    if requested != PRESENTATION:
        del st.query_params["weergave"]


def presentation_mode() -> bool:
    """`?weergave=presentatie`: big type, no sidebar and no editing controls (see app.py)."""
    return st.session_state.get("weergave") == PRESENTATION


def table_toggle_default(chart_key: str) -> None:
    """Charts shown as a table are listed in the URL (`tabel`), so a shared link shows the same."""
    toggle_key = f"tabel_{chart_key}"
    if toggle_key not in st.session_state:
        st.session_state[toggle_key] = chart_key in st.query_params.get_all("tabel")


def remember_table_choice(chart_key: str, as_table: bool) -> None:
    tables = set(st.query_params.get_all("tabel"))
    changed = tables | {chart_key} if as_table else tables - {chart_key}
    if changed != tables:
        write_url({"tabel": sorted(changed)})


def page_choice(key: str, options: Sequence[str], default: str) -> str:
    """A page-level choice that lives in the URL; returns the value to use on this run."""
    bind(key, options, default)
    show_notices()  # a page's own choice: say it right here, at the top of the page
    return st.session_state[key]


def show_notices() -> None:
    """The notices as text: they quote what the link (or a plan's names) said, which may be anything."""
    for text in st.session_state.pop("_url_notices", []):
        st.info(escape(text), icon=":material/info:")
