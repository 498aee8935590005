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

from dashboard import text_limits
from dashboard.catalog.models import Catalog
from dashboard.ingest.mapping import (
    NEW_AREA_LEVELS,
    SKIP,
    NameMapping,
    NewArea,
    UnknownName,
    area_name_problem,
    new_area_target,
    new_target,
    unit_hint,
)
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
        extra = {NEW: "Nieuw gebied met deze naam", SKIP: "Niet inlezen"}
    options = [CHOOSE, *name.suggestions, *extra, *(k for k in known if k not in name.suggestions)]
    labels = {CHOOSE: "— kies —", **extra, **known}
    label = f"‘{name.raw}’ · " + (f"{name.rows} keer, eerst in {name.first_seen}" if name.rows > 1
                                  else f"in {name.first_seen}")
    left, unit_col, direction_col = st.columns([4, 1, 1])
    hint = ("Staat het gebied er niet bij? Zet de gebiedscode (GM…, WK…) in het bestand, of kies ‘Nieuw gebied "
            "met deze naam’ voor een wijk of gemeente die CBS (nog) niet kent." if name.kind == "gebied" else None)
    choice = left.selectbox(escape(label), options, key=_widget_key(file_id, name, "doel"),
                            format_func=lambda o: labels.get(o, o), help=hint, placeholder="Kies een koppeling")
    if choice != NEW:
        return choice or None
    if name.kind == "gebied":
        return _new_area(name, catalog, file_id)
    units = list(UNIT_LABELS)
    unit = unit_col.selectbox("Eenheid", units, index=units.index(unit_hint(name.raw)),
                              key=_widget_key(file_id, name, "eenheid"), format_func=UNIT_LABELS.get,
                              placeholder="Kies een eenheid")
    directions = list(DIRECTION_LABELS)
    direction = direction_col.selectbox("Richting", directions, index=directions.index("neutral"),
                                        key=_widget_key(file_id, name, "richting"),
                                        format_func=DIRECTION_LABELS.get, placeholder="Kies een richting")
    title = left.text_input("Naam van de nieuwe indicator", value=name.raw, key=_widget_key(file_id, name, "naam"),
                            max_chars=text_limits.limit("indicator_name"))
    description = left.text_area("Omschrijving", value=name.raw, key=_widget_key(file_id, name, "omschrijving"),
                                 max_chars=text_limits.limit("indicator_description"),
                                 help="Wat het cijfer meet; staat bij de indicator op elke pagina.")
    if not _texts_ok(left, (("indicator_name", title, "De naam"), ("indicator_description", description,
                                                                     "De omschrijving"))):
        return None
    return new_target(unit, direction, title.strip(), description.strip())


def _texts_ok(where: Any, texts: tuple[tuple[str, str, str], ...]) -> bool:
    """Typed texts that the store would refuse are said at once, under the fields (as text)."""
    ok = True
    for field, text, what in texts:
        problem = text_limits.text_problem(field, text)
        if problem or not text.strip():
            message = f"{what} kan zo niet worden opgeslagen: {problem}." if problem else f"{what} ontbreekt."
            where.error(escape(message))
            ok = False
    return ok


def _new_area(name: UnknownName, catalog: Catalog, file_id: str) -> str | None:
    """A new area: its name, its kind and, for a wijk, the municipality it lies in (it then joins that
    municipality's wijken, also for the privacy rule)."""
    left, level_col, parent_col = st.columns([4, 1, 2])
    title = left.text_input("Naam van het nieuwe gebied", value=name.raw, key=_widget_key(file_id, name, "gebiednaam"),
                            max_chars=text_limits.limit("area_name"))
    level = level_col.selectbox("Soort", list(NEW_AREA_LEVELS), key=_widget_key(file_id, name, "soort"),
                                format_func=str.capitalize)
    municipality = None
    if level == "wijk":
        municipalities = sorted(catalog.municipalities(), key=lambda a: (a.name, a.code))
        near = [catalog.areas[c].parent or c for c in name.suggestions if c in catalog.areas]
        options = [CHOOSE, *(a.code for a in municipalities)]
        first = next((options.index(c) for c in near if c in options), 0)
        labels = {CHOOSE: "— kies —", **{a.code: f"{a.name} ({a.code})" for a in municipalities}}
        municipality = parent_col.selectbox("Gemeente", options, index=first,
                                            key=_widget_key(file_id, name, "gemeente"),
                                            format_func=lambda o: labels.get(o, o))
    if not _texts_ok(left, (("area_name", title, "De naam"),)):
        return None
    if problem := area_name_problem(title):
        left.error(escape(f"De naam kan zo niet worden opgeslagen: {problem}."))
        return None
    if level == "wijk" and not municipality:
        left.warning("Kies de gemeente waar de wijk in ligt.")
        return None
    return new_area_target(NewArea(title.strip(), level, municipality or None))


def datasets_version(datasets: pd.DataFrame) -> tuple[tuple[int, str], ...]:
    """Which datasets the store holds, and their status: a plan made before a change is made again."""
    if datasets.empty:
        return ()
    return tuple(zip(datasets["id"].astype(int), datasets["status"].astype(str), strict=True))
