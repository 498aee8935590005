"""What the pages read: settings, catalog, store and observations, loaded once and cached.

Caches are keyed by the settings that select them, so a test (or a second app on
another database) never sees another store's data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.analysis.goals import GoalResult, evaluate_framework, results_frame
from dashboard.analysis.regions import with_region_totals
from dashboard.analysis.suppression import suppress
from dashboard.catalog.loader import load_catalog
from dashboard.catalog.models import Catalog, Framework
from dashboard.catalog.stored import with_stored_frameworks
from dashboard.geo import read_boundaries, simplified, wijken_of
from dashboard.ingest.seed import load_shipped_data
from dashboard.settings import DATA_DIR, Settings, load_settings
from dashboard.store.store import Store


def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner=False, max_entries=4)
def _catalog(data_dir: str, geo_path: str | None) -> Catalog:
    return load_catalog(Path(data_dir), Path(geo_path) if geo_path else None)


def catalog() -> Catalog:
    """The catalog files plus the indicators staff defined in uploads and the frameworks they imported."""
    s = settings()
    base = _catalog(str(DATA_DIR), _geo(s)).with_indicators(_uploaded_indicators(s.database_url))
    return with_stored_frameworks(base, _stored_frameworks(s.database_url))[0]


def skipped_frameworks() -> list[str]:
    """Why a stored framework is not shown (it names an indicator or area the catalog no longer has)."""
    s = settings()
    base = _catalog(str(DATA_DIR), _geo(s)).with_indicators(_uploaded_indicators(s.database_url))
    return with_stored_frameworks(base, _stored_frameworks(s.database_url))[1]


@st.cache_data(ttl=300, max_entries=8, show_spinner=False)
def _stored_frameworks(database_url: str) -> list[dict]:
    return _store_for(database_url, settings()).active_framework_definitions()


@st.cache_data(ttl=300, max_entries=8, show_spinner=False)
def _uploaded_indicators(database_url: str) -> list:
    return _store_for(database_url, settings()).indicators()


def _geo(s: Settings) -> str | None:
    return str(s.geo_path) if s.geo_path else None


def _store_for(database_url: str, s: Settings) -> Store:
    return _store(database_url, str(DATA_DIR), _geo(s))


@st.cache_resource(show_spinner="De gegevens worden geladen…", max_entries=4)
def _store(database_url: str, data_dir: str, geo_path: str | None) -> Store:
    store = Store(database_url)
    load_shipped_data(store, _catalog(data_dir, geo_path), Path(data_dir))
    return store


def store() -> Store:
    s = settings()
    return _store_for(s.database_url, s)


@st.cache_data(ttl=300, max_entries=8, show_spinner=False)
def _observations(database_url: str, threshold: int) -> pd.DataFrame:
    raw = with_region_totals(_store_for(database_url, settings()).observations(), catalog())
    # Plain Python strings instead of pandas' Arrow-backed default: the pages slice this small frame
    # hundreds of times per rerun, and Arrow's per-slice overhead dominated the warm rerun (make bench).
    text_columns = [c for c in raw.columns if pd.api.types.is_string_dtype(raw[c])]
    return suppress(raw.astype(dict.fromkeys(text_columns, object)), threshold)


def observations() -> pd.DataFrame:
    """All active observations and the region figures computed from them, small numbers already suppressed."""
    s = settings()
    return _observations(s.database_url, s.privacy_threshold)


@st.cache_data(ttl=300, max_entries=8, show_spinner=False)
def _notes(database_url: str) -> pd.DataFrame:
    return _store_for(database_url, settings()).notes()


def notes() -> pd.DataFrame:
    """All active notes (tellen en vertellen) with indicator and area names."""
    return _notes(settings().database_url)


@st.cache_resource(show_spinner=False)
def _presentations(data_dir: str) -> dict:
    from dashboard.presentations import load_presentations

    return load_presentations(_catalog(data_dir, _geo(settings())), Path(data_dir) / "presentaties")


def presentations() -> dict:
    """The presentations in data/presentaties/ (checked against the catalog once per process)."""
    return _presentations(str(DATA_DIR))


def refresh() -> None:
    """After a write: the next read comes from the store again."""
    _notes.clear()
    _observations.clear()
    _uploaded_indicators.clear()
    _stored_frameworks.clear()
    _goal_table.clear()


def goal_results(framework: Framework) -> list[GoalResult]:
    return evaluate_framework(framework, catalog(), observations())


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def _goal_table(framework_id: str, database_url: str, threshold: int) -> pd.DataFrame:
    fw = catalog().frameworks[framework_id]
    return results_frame(goal_results(fw), catalog())


def goal_table(framework: Framework) -> pd.DataFrame:
    """Every goal of the framework evaluated; computed once per framework until the data changes."""
    s = settings()
    return _goal_table(framework.id, s.database_url, s.privacy_threshold)


@st.cache_resource(show_spinner=False, max_entries=16)
def _shapes(geo_path: str | None, kind: str, gemeentecode: str | None) -> dict:
    collection = read_boundaries(Path(geo_path) if geo_path else None, kind)
    if gemeentecode is not None:
        collection = wijken_of(collection, gemeentecode)
    return simplified(collection)


def wijk_shapes(gemeentecode: str) -> dict:
    """The wijken of one municipality, simplified for the browser; read from disk once per process.

    Raises BoundaryError (from read_boundaries) when no boundary folder is set or the file is unusable.
    """
    return _shapes(_geo(settings()), "wijken", gemeentecode)


@st.cache_resource(show_spinner=False, max_entries=16)
def _region_shapes(geo_path: str | None, members: tuple[str, ...]) -> dict:
    collection = read_boundaries(Path(geo_path) if geo_path else None, "gemeenten")
    wanted = set(members)
    return simplified({"type": "FeatureCollection",
                       "features": [f for f in collection["features"] if f["properties"]["statcode"] in wanted]})


NOORD_HOLLAND = "PV27"


def gemeente_shapes(region: str = NOORD_HOLLAND) -> dict:
    """The municipalities of a region (by default the province Noord-Holland), simplified for the browser."""
    return _region_shapes(_geo(settings()), catalog().areas[region].members)
