"""All data access of the pages (DESIGN.md, Data access at scale): settings, catalog, and queries that return
only what a page shows, cached.

Caches are keyed by the settings that select them, so a test (or a second app on another database) never
sees another store's data, and by the store's data version, read once per rerun: a write through any app
replica is seen on the next rerun of every other. No time-to-live decides freshness.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.analysis.goals import GoalResult, current_values, evaluate_framework, results_frame
from dashboard.analysis.limits import COLUMNS as LIMIT_COLUMNS
from dashboard.analysis.limits import limit_status, limit_table
from dashboard.analysis.linked import period_family
from dashboard.analysis.periods import sort_key
from dashboard.analysis.regions import AGGREGATED, COMPUTED_DATASET, region_totals
from dashboard.analysis.selection import limit_indicators
from dashboard.analysis.suppression import suppress
from dashboard.catalog.loader import load_catalog
from dashboard.catalog.models import Area, Catalog, Framework, Limit
from dashboard.catalog.stored import with_stored_frameworks
from dashboard.exports import export_frame
from dashboard.geo import read_boundaries, simplified, wijken_of
from dashboard.ingest.seed import load_shipped_data
from dashboard.settings import DATA_DIR, Settings, load_settings
from dashboard.store.rows import ObservationRows
from dashboard.store.store import Store


def settings() -> Settings:
    return load_settings()


@st.cache_resource(show_spinner=False, max_entries=4)
def _catalog(data_dir: str, geo_path: str | None) -> Catalog:
    return load_catalog(Path(data_dir), Path(geo_path) if geo_path else None)


def catalog() -> Catalog:
    """The catalog files plus the indicators and areas staff defined in uploads and the frameworks they imported."""
    s = settings()
    return _full_catalog(s.database_url, _version())


def skipped_frameworks() -> list[str]:
    """Why a stored framework is not shown (it names an indicator or area the catalog no longer has)."""
    s = settings()
    return _catalog_with_stored(s.database_url, _version())[1]


def _full_catalog(database_url: str, version: int) -> Catalog:
    return _catalog_with_stored(database_url, version)[0]


@st.cache_resource(show_spinner=False, max_entries=4)
def _catalog_with_stored(database_url: str, version: int) -> tuple[Catalog, list[str]]:
    s = settings()
    store_ = _store_for(database_url, s)
    base = _catalog(str(DATA_DIR), _geo(s)).with_indicators(store_.indicators()).with_areas(store_.defined_areas())
    return with_stored_frameworks(base, store_.active_framework_definitions())


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


# -- the data version: what every cache below is keyed on ---------------------------------------------------

_VERSION_KEY = "_data_version"


def begin_run() -> int:
    """Read the store's data version once for this rerun (app.py calls this first); every read below uses it.

    No time-to-live decides freshness: a write through any replica raises the version in the database, and
    the next rerun here reads the new version and so misses every cache made before it.
    """
    version = store().data_version()
    st.session_state[_VERSION_KEY] = version
    return version


def _version() -> int:
    version = st.session_state.get(_VERSION_KEY)
    return int(version) if version is not None else begin_run()


def refresh() -> None:
    """After a write in this run: read the new version, so what follows in this run sees the write."""
    begin_run()


# -- queries: only the rows a page shows ----------------------------------------------------------------------

Codes = Iterable[str] | None


def _key(codes: Codes) -> tuple[str, ...] | None:
    return None if codes is None else tuple(sorted(set(codes)))


def observations(indicators: Codes = None, areas: Codes = None, periods: Codes = None,
                 levels: Codes = None) -> pd.DataFrame:
    """The figures of these indicators, areas, periods and area levels (None: no restriction), every dataset's.

    With the region figures computed from their municipalities (analysis.regions) and small numbers already
    suppressed. Wijk rows are suppressed together with every wijk of their municipality and the municipality's
    own figure (for the same indicator and period), whatever the caller asked for, so that suppression can
    see the whole group; then only the rows asked for are returned.
    """
    s = settings()
    return _observations(s.database_url, s.privacy_threshold, _version(),
                         _key(indicators), _key(areas), _key(periods), _key(levels))


def values(indicators: Codes = None, areas: Codes = None, periods: Codes = None,
           levels: Codes = None) -> pd.DataFrame:
    """As `observations`, one figure per indicator, area and period: where datasets disagree, the latest."""
    s = settings()
    return _values(s.database_url, s.privacy_threshold, _version(),
                   _key(indicators), _key(areas), _key(periods), _key(levels))


@st.cache_data(max_entries=256, show_spinner=False)
def _values(database_url: str, threshold: int, version: int, indicators: tuple | None, areas: tuple | None,
            periods: tuple | None, levels: tuple | None) -> pd.DataFrame:
    return current_values(_observations(database_url, threshold, version, indicators, areas, periods, levels))


@st.cache_data(max_entries=256, show_spinner=False)
def _observations(database_url: str, threshold: int, version: int, indicators: tuple | None,
                  areas: tuple | None, periods: tuple | None, levels: tuple | None) -> pd.DataFrame:
    s = settings()
    return query_observations(_store_for(database_url, s), _full_catalog(database_url, version), threshold,
                              indicators=indicators, areas=areas, periods=periods, levels=levels)


def query_observations(store_: Store, catalog_: Catalog, threshold: int, *, indicators: Codes = None,
                       areas: Codes = None, periods: Codes = None, levels: Codes = None,
                       datasets: Iterable[int] | None = None) -> pd.DataFrame:
    """What `observations` returns, without a cache: the store query, region totals, suppression."""
    indicators, periods = _key(indicators), _key(periods)
    wanted_areas, wanted_levels = _key(areas), _key(levels)
    fetch_areas, fetch_levels = _with_suppression_groups(catalog_, wanted_areas, wanted_levels)
    # Linked indicators (relations.yaml: men + women = inhabitants, a share and its count) are suppressed together.
    fetch_indicators = None if indicators is None else tuple(sorted(catalog_.relations.closure(indicators)))
    # So are a year and its halves and quarters, and a multi-year period (2015/2016) and its years.
    fetch_periods = None if periods is None else tuple(sorted(period_family(
        periods, store_.multi_year_periods(fetch_indicators))))
    raw = store_.observations(indicators=fetch_indicators, areas=fetch_areas, periods=fetch_periods,
                              levels=fetch_levels)
    raw = _with_regions(raw, store_, catalog_, indicators, wanted_areas, wanted_levels, periods)
    # Plain Python strings instead of pandas' Arrow-backed default: pages slice these frames many times per
    # rerun, and Arrow's per-slice overhead dominated the warm rerun (make bench).
    text_columns = [c for c in raw.columns if pd.api.types.is_string_dtype(raw[c])]
    shown = suppress(raw.astype(dict.fromkeys(text_columns, object)), threshold, relations=catalog_.relations)
    keep = pd.Series(True, index=shown.index)
    if indicators is not None:
        keep &= shown["indicator_id"].isin(indicators)
    if periods is not None:
        keep &= shown["period"].astype(str).isin(periods)
    if wanted_areas is not None:
        keep &= shown["area_code"].isin(wanted_areas)
    if wanted_levels is not None:
        keep &= shown["area_level"].isin(wanted_levels)
    return shown[keep].reset_index(drop=True)


def stored_for_upload(rows: Iterable[dict], new_areas: Iterable[Area] = ()) -> pd.DataFrame:
    """The stored figures an upload's preview is suppressed together with (views.upload_preview), unsuppressed.

    Only the upload's indicators and periods, for its areas with their whole suppression groups (every wijk
    of a municipality with the municipality's figure): never the whole store. A wijk the upload defines
    (`new_areas`) brings the wijken of its municipality along.
    """
    rows = rows if isinstance(rows, ObservationRows) else ObservationRows(list(rows))
    catalog_ = catalog().with_areas(list(new_areas))
    # With the indicators and periods linked to them (sums, shares, a year and its parts): suppressed together.
    indicators = catalog_.relations.closure(set(rows.distinct("indicator_id")))
    upload_periods = {str(p) for p in rows.distinct("period")}
    periods = period_family(upload_periods, {*store().multi_year_periods(indicators), *upload_periods})
    areas, _levels = _with_suppression_groups(catalog_, _key(rows.distinct("area_code")), None)
    return store().observations(indicators=indicators, areas=areas, periods=periods)


def _with_suppression_groups(catalog_: Catalog, areas: tuple | None, levels: tuple | None,
                             ) -> tuple[list[str] | None, list[str] | None]:
    """The areas and levels to fetch so that every wijk comes with its municipality's other wijken and total."""
    fetch_levels = None if levels is None else sorted({*levels, "gemeente"} if "wijk" in levels else set(levels))
    if areas is None:
        return None, fetch_levels
    parents = {catalog_.areas[c].parent for c in areas if c in catalog_.areas and catalog_.areas[c].level == "wijk"}
    parents.discard(None)
    if not parents:
        return list(areas), fetch_levels
    wijken = _wijken_by_municipality(catalog_)
    return sorted({*areas, *parents, *(w for p in parents for w in wijken.get(p, ()))}), fetch_levels


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs={Catalog: id})
def _wijken_by_municipality(catalog_: Catalog) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for area in catalog_.areas.values():
        if area.level == "wijk" and area.parent:
            grouped.setdefault(area.parent, []).append(area.code)
    return {parent: tuple(codes) for parent, codes in grouped.items()}


def _with_regions(raw: pd.DataFrame, store_: Store, catalog_: Catalog, indicators: tuple | None,
                  areas: tuple | None, levels: tuple | None, periods: tuple | None) -> pd.DataFrame:
    """Add the computed figures of the regions asked for, from their member municipalities' rows (fetched here)."""
    if levels is not None and "regio" not in levels:
        return raw
    regions = [a for a in catalog_.areas.values() if a.level == "regio" and a.members
               and (areas is None or a.code in areas)]
    aggregated = [i.id for i in catalog_.indicators.values() if i.aggregation in AGGREGATED
                  and (indicators is None or i.id in indicators)]
    if not regions or not aggregated:
        return raw
    members = sorted({m for r in regions for m in r.members} | {r.code for r in regions})
    if areas is None and levels is None:
        basis = raw[raw["indicator_id"].isin(aggregated) & raw["area_code"].isin(members)]
    else:
        basis = store_.observations(indicators=aggregated, areas=members, periods=periods)
    computed = region_totals(basis, catalog_, regions=[r.code for r in regions])
    if computed.empty:
        return raw
    return pd.concat([raw, computed], ignore_index=True)


LEVELS_BUT_WIJK = ("gemeente", "regio", "referentie", "land")


def limit_comparison(limit: Limit) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A limit's figure against the limit per area and period (limits.limit_table), and per area the latest
    status (limits.limit_status); for municipalities, regions and Nederland. Computed once per data version."""
    s = settings()
    return _limit_comparison(s.database_url, s.privacy_threshold, _version(), limit.id)


@st.cache_data(max_entries=32, show_spinner=False)
def _limit_comparison(database_url: str, threshold: int, version: int, limit_id: str,
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    catalog_ = _full_catalog(database_url, version)
    limit = next(lm for lm in catalog_.limits if lm.id == limit_id)
    rows = _values(database_url, threshold, version, _key(limit_indicators([limit], catalog_)), None, None,
                   LEVELS_BUT_WIJK)
    # limit_table needs rows to work on (an empty selection loses its columns in pandas' boolean indexing).
    table = limit_table(limit, rows) if not rows.empty else pd.DataFrame(columns=LIMIT_COLUMNS)
    return table, limit_status(table)


def indicators_with_data(areas: Codes = None, levels: Codes = None) -> set[str]:
    """The indicators that have a figure for these areas or at these levels (withdrawn datasets left out)."""
    s = settings()
    return _indicators_with_data(s.database_url, _version(), _key(areas), _key(levels))


@st.cache_data(max_entries=64, show_spinner=False)
def _indicators_with_data(database_url: str, version: int, areas: tuple | None, levels: tuple | None) -> set[str]:
    return _store_for(database_url, settings()).indicators_with_data(areas=areas, levels=levels)


def periods(indicator_id: str, areas: Codes = None, levels: Codes = None) -> list[str]:
    """The periods in which the indicator has a figure for these areas or levels, oldest first."""
    s = settings()
    return _periods(s.database_url, _version(), indicator_id, _key(areas), _key(levels))


@st.cache_data(max_entries=256, show_spinner=False)
def _periods(database_url: str, version: int, indicator_id: str, areas: tuple | None,
             levels: tuple | None) -> list[str]:
    found = _store_for(database_url, settings()).periods_with_data(indicator_id, areas=areas, levels=levels)
    return sorted(found, key=sort_key)


def municipalities_with_wijk_data() -> list[str]:
    """The municipalities with at least one figure for one of their wijken."""
    return _parents_with_data(settings().database_url, _version(), "wijk")


@st.cache_data(max_entries=8, show_spinner=False)
def _parents_with_data(database_url: str, version: int, level: str) -> list[str]:
    return sorted(_store_for(database_url, settings()).parents_with_data(level))


def example_datasets() -> list[str]:
    """The active datasets with example data (fictitious), for the banner on every page."""
    return _example_datasets(settings().database_url, _version())


@st.cache_data(max_entries=8, show_spinner=False)
def _example_datasets(database_url: str, version: int) -> list[str]:
    return _store_for(database_url, settings()).example_datasets()


def figure_counts() -> tuple[int, int]:
    """How many active figures the store holds, and for how many indicators."""
    return _figure_counts(settings().database_url, _version())


@st.cache_data(max_entries=8, show_spinner=False)
def _figure_counts(database_url: str, version: int) -> tuple[int, int]:
    return _store_for(database_url, settings()).figure_counts()


def datasets() -> pd.DataFrame:
    """Every dataset (active and withdrawn) with its provenance; one row per import."""
    return _datasets(settings().database_url, _version())


@st.cache_data(max_entries=8, show_spinner=False)
def _datasets(database_url: str, version: int) -> pd.DataFrame:
    return _store_for(database_url, settings()).datasets()


def dataset_figures(dataset_ids: Iterable[int], limit: int | None = None) -> pd.DataFrame:
    """The figures of these active datasets (the first `limit` of them), small numbers suppressed; for Bronnen."""
    s = settings()
    return _dataset_figures(s.database_url, s.privacy_threshold, _version(), tuple(sorted(set(dataset_ids))), limit)


@st.cache_data(max_entries=32, show_spinner=False)
def _dataset_figures(database_url: str, threshold: int, version: int, dataset_ids: tuple[int, ...],
                     limit: int | None) -> pd.DataFrame:
    s = settings()
    store_, catalog_ = _store_for(database_url, s), _full_catalog(database_url, version)
    rows = store_.observations(datasets=dataset_ids, limit=limit)
    # Suppressed as everywhere: through the query layer, so each wijk with its whole group (other datasets too).
    shown = query_observations(store_, catalog_, threshold, indicators=set(rows["indicator_id"]),
                               areas=set(rows["area_code"]), periods=set(rows["period"]))
    return shown[shown["id"].isin(set(rows["id"]))].reset_index(drop=True)


def area_counts(areas: Iterable[str], by_period: bool = False) -> pd.DataFrame:
    """Per indicator (and period) how many of these areas have a figure: which indicator covers most of them."""
    return _area_counts(settings().database_url, _version(), _key(areas), by_period)


@st.cache_data(max_entries=16, show_spinner=False)
def _area_counts(database_url: str, version: int, areas: tuple[str, ...], by_period: bool) -> pd.DataFrame:
    return _store_for(database_url, settings()).area_counts(areas, by_period)


def dataset_counts(dataset_id: int) -> pd.DataFrame:
    """How many figures a dataset has per indicator, period, kind of area and source (no values: for Bronnen)."""
    # A dataset's figures never change once stored (withdrawing changes its status only), so its counts are kept
    # per dataset, not per data version: after a note or another upload, a dataset of a million figures is not
    # counted again. The sha256 and time of import tell this dataset from another with the same number (a store
    # made anew).
    found = datasets()
    row = found[found["id"] == int(dataset_id)]
    identity = (str(row["sha256"].iloc[0]), str(row["created_at"].iloc[0])) if len(row) else ("", str(_version()))
    return _dataset_counts(settings().database_url, int(dataset_id), identity)


@st.cache_data(max_entries=64, show_spinner=False)
def _dataset_counts(database_url: str, dataset_id: int, identity: tuple[str, str]) -> pd.DataFrame:
    return _store_for(database_url, settings()).dataset_counts(dataset_id)


def region_figures() -> pd.DataFrame:
    """Every region figure computed from its municipalities, with its origin (for Bronnen)."""
    s = settings()
    return _region_figures(s.database_url, s.privacy_threshold, _version())


@st.cache_data(max_entries=8, show_spinner=False)
def _region_figures(database_url: str, threshold: int, version: int) -> pd.DataFrame:
    regions = tuple(a.code for a in _full_catalog(database_url, version).areas.values() if a.level == "regio")
    rows = _observations(database_url, threshold, version, None, regions, None, None)
    return rows[rows["dataset"] == COMPUTED_DATASET].reset_index(drop=True)


def export_all() -> pd.DataFrame:
    """Every active figure and computed region figure in the columns of `python -m dashboard export`, suppressed.

    The one read of the whole store, made only when someone clicks the download of all data.
    """
    everything = suppress(store().observations(), settings().privacy_threshold, relations=catalog().relations)
    return export_frame(pd.concat([everything, region_figures()], ignore_index=True))


@st.cache_data(max_entries=8, show_spinner=False)
def _notes(database_url: str, version: int) -> pd.DataFrame:
    return _store_for(database_url, settings()).notes()


def notes() -> pd.DataFrame:
    """All active notes (tellen en vertellen) with indicator and area names."""
    return _notes(settings().database_url, _version())


@st.cache_resource(show_spinner=False)
def _presentations(data_dir: str) -> dict:
    from dashboard.presentations import load_presentations

    return load_presentations(_catalog(data_dir, _geo(settings())), Path(data_dir) / "presentaties")


def presentations() -> dict:
    """The presentations in data/presentaties/ (checked against the catalog once per process)."""
    return _presentations(str(DATA_DIR))


def goal_results(framework: Framework) -> list[GoalResult]:
    cat = catalog()
    return evaluate_framework(framework, cat, values(goal_indicators(framework), goal_areas(framework)))


def goal_indicators(framework: Framework) -> list[str]:
    return [i for goal in framework.goals for i in goal.indicators]


def goal_areas(framework: Framework) -> list[str]:
    return [*framework.areas, *(a for goal in framework.goals for a in goal.baseline_areas)]


@st.cache_data(max_entries=16, show_spinner=False)
def _goal_table(framework_id: str, database_url: str, threshold: int, version: int) -> pd.DataFrame:
    fw = catalog().frameworks[framework_id]
    return results_frame(goal_results(fw), catalog())


def goal_table(framework: Framework) -> pd.DataFrame:
    """Every goal of the framework evaluated; computed once per framework and data version."""
    s = settings()
    return _goal_table(framework.id, s.database_url, s.privacy_threshold, _version())


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


def province_of(municipality_code: str) -> str | None:
    """The province (a region of the catalog with a CBS code PV..) that holds the municipality, if any."""
    for area in catalog().areas.values():
        if area.code.startswith("PV") and municipality_code in area.members:
            return area.code
    return None


def gemeente_shapes(region: str = NOORD_HOLLAND) -> dict:
    """The municipalities of a region (by default the province Noord-Holland), simplified for the browser."""
    return _region_shapes(_geo(settings()), catalog().areas[region].members)
