"""The upload part of the Gegevens page: read a file once, map its unknown names, preview, store.

The uploaded file is read once per upload (not on every rerun of the page): the read sheets and each
plan are kept in session state, keyed by the upload, the source, the mapping and the datasets in the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.catalog.models import Catalog
from dashboard.ingest.mapping import SKIP, NameMapping, UnknownName, new_target, unit_hint
from dashboard.ingest.reader import RefusedFile, Sheet, read_upload
from dashboard.ingest.upload import ImportPlan
from dashboard.ingest.validate import DIRECTION_WORDS, UNIT_WORDS
from dashboard.markdown_text import escape
from dashboard.settings import Settings

NEW = "__nieuw__"
CHOOSE = ""
UNIT_LABELS = {"percent": "procent", "count": "aantal", "euro": "euro", "grade": "rapportcijfer",
               "percent_change": "verandering (%)", "days": "dagen"}
DIRECTION_LABELS = {v: k for k, v in DIRECTION_WORDS.items()}
_SHEETS = "_upload_sheets"
_PLANS = "_upload_plans"

assert set(UNIT_LABELS) == set(UNIT_WORDS.values())  # every unit the upload knows can be chosen


def read_once(file_id: str, file_name: str, data: Callable[[], bytes], settings: Settings) -> list[Sheet] | str:
    """The sheets of this upload, or the reason it is refused; read on the first run after the upload only."""
    cached = st.session_state.get(_SHEETS)
    if cached is not None and cached[0] == file_id:
        return cached[1]
    try:
        sheets: list[Sheet] | str = read_upload(file_name, data(), settings.upload_max_bytes,
                                                settings.upload_max_rows)
    except RefusedFile as exc:
        sheets = str(exc)
    st.session_state[_SHEETS] = (file_id, sheets)
    st.session_state[_PLANS] = {}  # plans of an earlier upload are of no use any more
    return sheets


def plan_once(key: tuple[Any, ...], make: Callable[[], ImportPlan]) -> ImportPlan:
    """The plan for this upload, source, mapping and state of the store; made once, then kept."""
    plans = st.session_state.setdefault(_PLANS, {})
    if key not in plans:
        if len(plans) > 20:  # a long mapping session: keep memory bounded
            plans.clear()
        plans[key] = make()
    return plans[key]


def forget_plans() -> None:
    """After storing: the next run plans again (and finds the file stored)."""
    st.session_state[_PLANS] = {}


def _widget_key(file_id: str, unknown: UnknownName, part: str) -> str:
    digest = hashlib.sha1(f"{unknown.kind}\x00{unknown.key}".encode()).hexdigest()[:12]
    return f"koppel_{part}_{file_id}_{digest}"


def mapping_step(unknown: list[UnknownName], catalog: Catalog, file_id: str) -> NameMapping:
    """One choice per unknown name: a catalog indicator or area, a new indicator, or ‘niet inlezen’."""
    st.subheader("Koppelen")
    st.markdown(
        "Dit bestand noemt indicatoren of gebieden die het dashboard niet kent. Kies per naam wat ermee "
        "bedoeld is. Het dashboard onthoudt de keuze voor het volgende bestand met dezelfde bron."
    )
    mapping: NameMapping = {}
    for kind, title in (("indicator", "Indicatoren"), ("gebied", "Gebieden")):
        names = [u for u in unknown if u.kind == kind]
        if not names:
            continue
        with st.container(border=True):
            st.markdown(f"**{title}**")
            for name in names:
                target = _choose(name, catalog, file_id)
                if target:
                    mapping[(name.kind, name.key)] = target
    return mapping


def _choose(name: UnknownName, catalog: Catalog, file_id: str) -> str | None:
    if name.kind == "indicator":
        known = {i.id: f"{i.name} ({i.id})" for i in catalog.indicators.values()}
        extra = {NEW: "Nieuwe indicator met deze naam", SKIP: "Niet inlezen"}
    else:
        # Every municipality and region, and the wijken of the municipalities the suggestions lie in: some
        # hundreds of choices, not the 3,000+ wijken of the Netherlands in every list.
        near = {catalog.areas[c].parent or c for c in name.suggestions if c in catalog.areas} | set(name.suggestions)
        known = {a.code: f"{a.name} ({a.code})" + (f", {catalog.areas[a.parent].name}" if a.level == "wijk"
                                                   and a.parent in catalog.areas else "")
                 for a in catalog.areas.values() if a.level != "wijk" or a.parent in near or a.code in near}
        extra = {SKIP: "Niet inlezen"}
    options = [CHOOSE, *name.suggestions, *extra, *(k for k in known if k not in name.suggestions)]
    labels = {CHOOSE: "— kies —", **extra, **known}
    label = f"‘{name.raw}’ · " + (f"{name.rows} keer, eerst in {name.first_seen}" if name.rows > 1
                                  else f"in {name.first_seen}")
    left, unit_col, direction_col = st.columns([4, 1, 1])
    hint = ("Staat het gebied er niet bij? Zet de gebiedscode (GM…, WK…) in het bestand."
            if name.kind == "gebied" else None)
    choice = left.selectbox(escape(label), options, key=_widget_key(file_id, name, "doel"),
                            format_func=lambda o: labels.get(o, o), help=hint, placeholder="Kies een koppeling")
    if choice != NEW:
        return choice or None
    units = list(UNIT_LABELS)
    unit = unit_col.selectbox("Eenheid", units, index=units.index(unit_hint(name.raw)),
                              key=_widget_key(file_id, name, "eenheid"), format_func=UNIT_LABELS.get,
                              placeholder="Kies een eenheid")
    directions = list(DIRECTION_LABELS)
    direction = direction_col.selectbox("Richting", directions, index=directions.index("neutral"),
                                        key=_widget_key(file_id, name, "richting"),
                                        format_func=DIRECTION_LABELS.get, placeholder="Kies een richting")
    return new_target(unit, direction)


def datasets_version(datasets: pd.DataFrame) -> tuple[tuple[int, str], ...]:
    """Which datasets the store holds, and their status: a plan made before a change is made again."""
    if datasets.empty:
        return ()
    return tuple(zip(datasets["id"].astype(int), datasets["status"].astype(str), strict=True))
