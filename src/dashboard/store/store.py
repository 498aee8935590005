"""Persistence behind one interface: a SQLite file by default, PostgreSQL by URL.

Pages never talk to the database; they go through `dashboard.app_data`, which
uses this class. Every write of a dataset is one transaction: either all of its
observations are stored, or none.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    delete,
    event,
    exists,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.schema import CreateIndex

from dashboard.catalog.models import Area, Indicator
from dashboard.store import schema
from dashboard.store.cycle import CycleStoreMixin
from dashboard.store.rows import ObservationRows
from dashboard.text_limits import check, check_all


@dataclass(frozen=True)
class DatasetMeta:
    name: str
    kind: str
    source_file: str
    sha256: str
    created_by: str
    document: str | None = None
    is_example: bool = False


class DuplicateDatasetError(ValueError):
    """The same file (by sha256) is already stored."""

    def __init__(self, existing_id: int, existing_name: str) -> None:
        super().__init__(
            f"Dit bestand is al eerder ingelezen als dataset {existing_id} ({existing_name})."
        )
        self.existing_id = existing_id


class AreaTakenError(ValueError):
    """A new area's code was stored by another upload after this one was planned."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(f"Het gebied {', '.join(codes)} is intussen met een ander bestand toegevoegd; er is niets "
                         "opgeslagen. Lees het bestand opnieuw in: het gebied wordt dan herkend.")
        self.codes = codes


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _enable_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


def _indicator_row(i: Indicator) -> dict[str, Any]:
    return {"id": i.id, "name": i.name, "description": i.description, "unit": i.unit,
            "direction": i.direction, "aggregation": i.aggregation, "source": i.source}


# SQLite's page cache for a large import (KiB, as a negative cache_size): the indexes of a million rows stay in
# memory until the commit instead of being written out and read back while the transaction runs.
IMPORT_CACHE_KIB = 512 * 1024
# Indexes that only serve the pages' queries (not a constraint): dropped and built again inside the import's
# transaction when it adds more rows than the table holds, since one sort is far cheaper than a million inserts
# in key order. A crash or an error before the commit leaves them (and everything else) as before.
_QUERY_INDEXES = [index for index in schema.observations.indexes if not index.unique]


def _insert_observations(conn: Connection, dataset_id: int, rows: Collection[Mapping[str, Any]]) -> None:
    """All rows in the caller's transaction: COPY on PostgreSQL, the driver's executemany on SQLite.

    SQLAlchemy's per-row parameter handling cost as much as the insert itself (bench --schaal: 1M rows); on
    PostgreSQL, COPY on the transaction's own connection is several times faster than even a pipelined
    executemany, with the same constraints checked. The rows go in in key order with only the columns that
    hold something (ObservationRows.for_insert). On SQLite the tuples go straight to the driver's prepared
    statement with the dataset id written into it, with a page cache large enough for the whole import and,
    for an import larger than the table, the query indexes built once after the rows instead of row by row,
    all in the same transaction.
    """
    names, tuples = (rows if isinstance(rows, ObservationRows) else ObservationRows(rows)).for_insert()
    if conn.dialect.name == "postgresql":
        driver = conn.connection.driver_connection
        sql = f"COPY observations (dataset_id, {', '.join(names)}) FROM STDIN"
        try:
            with driver.cursor() as cursor, cursor.copy(sql) as copy:
                for row in tuples:
                    copy.write_row((dataset_id, *row))
        except type(driver).Error as exc:  # as SQLAlchemy raises it for any other statement (IntegrityError, ...)
            raise DBAPIError.instance(sql, None, exc, type(driver).Error) from exc
        return
    driver = conn.connection.driver_connection
    cursor = driver.cursor()
    (previous_cache,) = cursor.execute("PRAGMA cache_size").fetchone()
    sql = (f"INSERT INTO observations (dataset_id, {', '.join(names)}) "
           f"VALUES ({int(dataset_id)}, {', '.join(['?'] * len(names))})")
    try:
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        (held,) = cursor.execute("SELECT coalesce(max(id), 0) - coalesce(min(id), 1) + 1 FROM observations").fetchone()
        # Only inside the open transaction (the dataset's row is already inserted): DDL is transactional there.
        rebuild = len(rows) > held and driver.in_transaction
        if rebuild:
            for index in _QUERY_INDEXES:
                cursor.execute(f"DROP INDEX {index.name}")
        cursor.executemany(sql, tuples)
        if rebuild:
            cursor.execute("PRAGMA threads = 2")  # the sort of CREATE INDEX may use a second core
            for index in _QUERY_INDEXES:
                cursor.execute(str(CreateIndex(index).compile(dialect=conn.dialect)))
    except driver.Error as exc:
        raise DBAPIError.instance(sql, None, exc, driver.Error) from exc
    finally:
        cursor.execute(f"PRAGMA cache_size = {int(previous_cache)}")
        cursor.execute("PRAGMA threads = 0")
        cursor.close()


class Store(CycleStoreMixin):
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def _write(self, *, data: bool = True) -> Iterator[Connection]:
        """One transaction for a change; the one place every write of the methods below goes through.

        `data=False` marks bookkeeping that no page's figures or notes depend on (accounts, login attempts,
        audit lines): a store data version for caches should change only for `data=True` writes.

        A `data=True` write raises the data version (table data_version) inside the same transaction: the
        version changes exactly when committed figures or notes change, and caches keyed on it (app_data) see
        the write on the next rerun, in this process and in every other replica on the same database.
        """
        with self.engine.begin() as conn:
            yield conn
            if data:
                conn.execute(update(schema.data_version).where(schema.data_version.c.id == 1)
                             .values(version=schema.data_version.c.version + 1))

    @staticmethod
    def _audit(conn: Connection, actor: str, action: str, target: str, client: str | None = None) -> None:
        conn.execute(insert(schema.audit_log).values(at=datetime.now(UTC), actor=actor[:200], action=action,
                                                     target=target[:500], client=client[:200] if client else None))

    def create_schema(self) -> None:
        """Create missing tables and add columns that later versions introduced; safe on every start."""
        schema.metadata.create_all(self.engine, checkfirst=True)
        for table in (schema.notes, schema.observations, schema.areas):
            existing = {c["name"] for c in inspect(self.engine).get_columns(table.name)}
            with self.engine.begin() as conn:
                for column in table.columns:
                    if column.name not in existing and column.nullable:
                        kind = column.type.compile(dialect=self.engine.dialect)
                        conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
        inspector = inspect(self.engine)
        # Indexes added after a table was first created (create_all only makes them with a new table).
        for table in (schema.observations, schema.areas):
            present = {ix["name"] for ix in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in present:
                    index.create(self.engine, checkfirst=True)
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        with self.engine.begin() as conn:  # the one version row; two replicas may start at once
            conn.execute(dialect_insert(schema.data_version).values(id=1, version=secrets.randbelow(2**40))
                         .on_conflict_do_nothing())

    # -- the data version ---------------------------------------------------------

    def data_version(self) -> int:
        """The counter that every write raises: one indexed single-row read, cheap enough for every rerun."""
        with self.engine.connect() as conn:
            version = conn.execute(select(schema.data_version.c.version)
                                   .where(schema.data_version.c.id == 1)).scalar()
        return int(version or 0)

    # -- catalog -----------------------------------------------------------

    def _upsert(self, table: Any, rows: list[dict[str, Any]], key: str) -> None:
        """Insert or update these rows; rows already stored as they are are not written.

        Every app start upserts the catalog's 3,700 areas: unchanged, that is one read and no write, so a start
        neither costs a write transaction nor raises the data version that other replicas' caches are keyed on.
        """
        columns = [c.name for c in table.columns]
        with self.engine.connect() as conn:
            stored = {r[key]: r for r in conn.execute(select(*table.columns)).mappings()}
        rows = [r for r in rows if r[key] not in stored or any(stored[r[key]][c] != r.get(c) for c in columns)]
        if not rows:
            return
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        stmt = dialect_insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=[key],
            set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name != key},
        )
        with self._write() as conn:
            conn.execute(stmt, rows)

    def upsert_areas(self, areas: Iterable[Area]) -> None:
        self._upsert(
            schema.areas,
            [{"code": a.code, "name": a.name, "level": a.level, "parent_code": a.parent} for a in areas],
            "code",
        )

    def defined_areas(self) -> list[Area]:
        """The areas staff defined in the mapping step of an upload (the catalog files do not know them)."""
        a = schema.areas
        with self.engine.connect() as conn:
            rows = conn.execute(select(a.c.code, a.c.name, a.c.level, a.c.parent_code)
                                .where(a.c.dataset_id.is_not(None)).order_by(a.c.code)).all()
        return [Area(code=r.code, name=r.name, level=r.level, parent=r.parent_code) for r in rows]

    def upsert_indicators(self, indicators: Iterable[Indicator]) -> None:
        self._upsert(schema.indicators, [_indicator_row(i) for i in indicators], "id")

    def indicators(self) -> list[Indicator]:
        """Every indicator in the store, including those defined in uploads."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.indicators)).mappings().all()
        return [Indicator(id=r["id"], name=r["name"], description=r["description"], unit=r["unit"],
                          direction=r["direction"], source=r["source"], aggregation=r["aggregation"],
                          levers=("kpi",)) for r in rows]

    # -- datasets ----------------------------------------------------------

    def dataset_by_sha256(self, sha256: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.datasets).where(schema.datasets.c.sha256 == sha256)
            ).mappings().first()
        return dict(row) if row else None

    def add_dataset(self, meta: DatasetMeta, rows: list[Mapping[str, Any]],
                    original: tuple[str, bytes] | None = None, new_indicators: list[Indicator] | None = None,
                    name_mappings: tuple[str, dict[tuple[str, str], str]] | None = None,
                    new_areas: list[Area] | None = None) -> int:
        """Store a dataset, its observations, new indicators and areas, its original file and the name mappings
        it used (source key, {(kind, name): target}) in one transaction."""
        check_all({"dataset_name": meta.name, "login_name": meta.created_by})
        for area in new_areas or []:
            check("area_name", area.name)
        check("file_name", original[0] if original else None)
        sources = rows.distinct("source") if isinstance(rows, ObservationRows) else {r["source"] for r in rows}
        for source in sources:
            check("source", source)
        for i in new_indicators or []:
            check_all({"indicator_name": i.name, "indicator_description": i.description, "source": i.source})
        existing = self.dataset_by_sha256(meta.sha256)
        if existing:
            raise DuplicateDatasetError(existing["id"], existing["name"])
        try:
            return self._add_dataset(meta, rows, original, new_indicators, name_mappings, new_areas)
        except IntegrityError:
            # Another process stored the same file between the check above and this insert (a race): the
            # unique sha256 refused ours, and nothing of it is stored. Say so as for any duplicate.
            existing = self.dataset_by_sha256(meta.sha256)
            if existing:
                raise DuplicateDatasetError(existing["id"], existing["name"]) from None
            taken = self._stored_area_codes({a.code for a in new_areas or []})
            if taken:  # another upload defined an area with the same code since this one was planned
                raise AreaTakenError(sorted(taken)) from None
            raise

    def _stored_area_codes(self, codes: set[str]) -> set[str]:
        if not codes:
            return set()
        a = schema.areas
        with self.engine.connect() as conn:
            return set(conn.execute(select(a.c.code).where(a.c.code.in_(sorted(codes)))).scalars())

    def _add_dataset(self, meta: DatasetMeta, rows: list[Mapping[str, Any]], original: tuple[str, bytes] | None,
                     new_indicators: list[Indicator] | None,
                     name_mappings: tuple[str, dict[tuple[str, str], str]] | None = None,
                     new_areas: list[Area] | None = None) -> int:
        with self._write() as conn:
            if new_indicators:
                conn.execute(insert(schema.indicators), [_indicator_row(i) for i in new_indicators])
            dataset_id = conn.execute(
                insert(schema.datasets).values(
                    name=meta.name, kind=meta.kind, source_file=meta.source_file,
                    document=meta.document, sha256=meta.sha256, created_by=meta.created_by,
                    created_at=datetime.now(UTC), row_count=len(rows), status="active",
                    is_example=int(meta.is_example),
                )
            ).inserted_primary_key[0]
            if new_areas:  # as the catalog's areas are stored, marked with the upload that defined them
                conn.execute(insert(schema.areas), [{"code": a.code, "name": a.name, "level": a.level,
                                                     "parent_code": a.parent, "dataset_id": int(dataset_id)}
                                                    for a in new_areas])
            if rows:
                _insert_observations(conn, int(dataset_id), rows)
            if original is not None:
                conn.execute(insert(schema.files).values(dataset_id=dataset_id, file_name=original[0],
                                                         content=original[1]))
            self._audit(conn, meta.created_by, "dataset ingelezen",
                        f"dataset {dataset_id}: {meta.name} ({len(rows)} cijfers)")
            if name_mappings and name_mappings[1]:
                self._save_name_mappings(conn, name_mappings[0], name_mappings[1], int(dataset_id))
        return int(dataset_id)

    def _save_name_mappings(self, conn: Any, source_key: str, mapping: dict[tuple[str, str], str],
                            dataset_id: int) -> None:
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        table = schema.name_mappings
        stmt = dialect_insert(table)
        stmt = stmt.on_conflict_do_update(index_elements=["source_key", "kind", "name"],
                                          set_={"target": stmt.excluded.target, "dataset_id": stmt.excluded.dataset_id})
        conn.execute(stmt, [{"source_key": source_key, "kind": kind, "name": name, "target": target,
                             "dataset_id": dataset_id} for (kind, name), target in mapping.items()])

    def name_mappings(self, source_key: str) -> dict[tuple[str, str], str]:
        """The names mapped earlier for files from this source: {(kind, name): target}."""
        table = schema.name_mappings
        with self.engine.connect() as conn:
            rows = conn.execute(select(table.c.kind, table.c.name, table.c.target)
                                .where(table.c.source_key == source_key)).all()
        return {(r.kind, r.name): r.target for r in rows}

    def original_file(self, dataset_id: int) -> tuple[str, bytes] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.files).where(schema.files.c.dataset_id == dataset_id)).first()
        return (row.file_name, bytes(row.content)) if row else None

    def original_file_name(self, dataset_id: int) -> str | None:
        """The name of the dataset's original file, without reading the file itself."""
        f = schema.files
        with self.engine.connect() as conn:
            return conn.execute(select(f.c.file_name).where(f.c.dataset_id == dataset_id)).scalar()

    def set_dataset_status(self, dataset_id: int, status: str, actor: str = "systeem") -> None:
        """Withdraw or restore a dataset; `actor` (the logged-in account) goes into the audit log."""
        if status not in ("active", "withdrawn"):
            raise ValueError(f"onbekende status {status!r}")
        d = schema.datasets
        with self._write() as conn:
            name = conn.execute(select(d.c.name).where(d.c.id == dataset_id)).scalar()
            if name is None:
                raise KeyError(f"dataset {dataset_id} bestaat niet")
            conn.execute(update(d).where(d.c.id == dataset_id).values(status=status))
            self._audit(conn, actor, "dataset hersteld" if status == "active" else "dataset ingetrokken",
                        f"dataset {dataset_id}: {name}")

    def datasets(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(select(schema.datasets).order_by(schema.datasets.c.id), conn)

    # -- reading -----------------------------------------------------------
    #
    # Pages never need the whole store: they ask for the indicators, areas and periods they show, and the
    # database filters (index ix_observations_indicator_area_period, or ix_observations_area). A filter left
    # None does not restrict; an empty collection matches nothing.

    def _observation_filters(self, query: Any, *, indicators: Collection[str] | None,
                             areas: Collection[str] | None, periods: Collection[str] | None,
                             levels: Collection[str] | None, datasets: Collection[int] | None,
                             include_withdrawn: bool) -> Any:
        o, d, a = schema.observations, schema.datasets, schema.areas
        if indicators is not None:
            query = query.where(o.c.indicator_id.in_(sorted(indicators)))
        if areas is not None:
            query = query.where(o.c.area_code.in_(sorted(areas)))
        if periods is not None:
            query = query.where(o.c.period.in_(sorted(periods)))
        if levels is not None:
            query = query.where(a.c.level.in_(sorted(levels)))
        if datasets is not None:
            query = query.where(o.c.dataset_id.in_(sorted(int(i) for i in datasets)))
        if not include_withdrawn:
            query = query.where(d.c.status == "active")
        return query

    def observations(self, include_withdrawn: bool = False, *, indicators: Collection[str] | None = None,
                     areas: Collection[str] | None = None, periods: Collection[str] | None = None,
                     levels: Collection[str] | None = None, datasets: Collection[int] | None = None,
                     limit: int | None = None) -> pd.DataFrame:
        """The observations of active datasets (or all), restricted to what the caller shows.

        Every row carries its dataset and source (provenance) and its area's level and parent.
        """
        o, d, i, a = schema.observations, schema.datasets, schema.indicators, schema.areas
        query = (
            select(
                o.c.id, o.c.indicator_id, i.c.name.label("indicator_name"), i.c.unit,
                o.c.area_code, a.c.name.label("area_name"), a.c.level.label("area_level"),
                a.c.parent_code.label("area_parent"),
                o.c.period, o.c.value, o.c.numerator, o.c.denominator, o.c.source, o.c.quote,
                o.c.note, o.c.value_upper, o.c.estimate, o.c.dataset_id, d.c.name.label("dataset"), d.c.document,
                d.c.is_example, d.c.status.label("dataset_status"),
            )
            .join(d, o.c.dataset_id == d.c.id)
            .join(i, o.c.indicator_id == i.c.id)
            .join(a, o.c.area_code == a.c.code)
            .order_by(o.c.indicator_id, o.c.area_code, o.c.period, o.c.dataset_id)
        )
        query = self._observation_filters(query, indicators=indicators, areas=areas, periods=periods,
                                          levels=levels, datasets=datasets, include_withdrawn=include_withdrawn)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def _has_figures(self, *, indicator: Any = None, area: Any = None,
                     areas: Collection[str] | None = None) -> Any:
        """EXISTS (an active figure of this indicator / for this area): stops at the first row the index finds."""
        o, d = schema.observations, schema.datasets
        query = select(1).select_from(o).join(d, o.c.dataset_id == d.c.id).where(d.c.status == "active")
        if indicator is not None:
            query = query.where(o.c.indicator_id == indicator)
        if area is not None:
            query = query.where(o.c.area_code == area)
        if areas is not None:
            query = query.where(o.c.area_code.in_(sorted(areas)))
        return exists(query.correlate_except(o, d))  # the indicator and area come from the enclosing queries

    def indicators_with_data(self, *, areas: Collection[str] | None = None,
                             levels: Collection[str] | None = None) -> set[str]:
        """The indicators with at least one active figure for these areas or at these levels.

        Per indicator an EXISTS over the index (indicator, area, period): at a million figures a DISTINCT over
        the observations took seconds, this takes milliseconds.
        """
        i, a = schema.indicators, schema.areas
        if levels is None:
            condition = self._has_figures(indicator=i.c.id, areas=areas)
        else:
            condition = exists(select(1).select_from(a).where(
                a.c.level.in_(sorted(levels)), self._has_figures(indicator=i.c.id, area=a.c.code, areas=areas)))
        with self.engine.connect() as conn:
            return set(conn.execute(select(i.c.id).where(condition)).scalars())

    def periods_with_data(self, indicator_id: str, *, areas: Collection[str] | None = None,
                          levels: Collection[str] | None = None) -> list[str]:
        """The periods (unsorted) of an indicator's active figures for these areas or levels."""
        o, d, a = schema.observations, schema.datasets, schema.areas
        query = select(o.c.period).distinct().select_from(o).join(d, o.c.dataset_id == d.c.id)
        if levels is not None:
            query = query.join(a, o.c.area_code == a.c.code)
        query = self._observation_filters(query, indicators=[indicator_id], areas=areas, periods=None,
                                          levels=levels, datasets=None, include_withdrawn=False)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def multi_year_periods(self, indicators: Collection[str] | None = None) -> set[str]:
        """The multi-year periods (2015/2016) of these indicators' figures, withdrawn ones included (they are few;
        suppression of a year depends on them: analysis.linked.period_family)."""
        o = schema.observations
        query = select(o.c.period).distinct().where(o.c.period.like("%/%"))
        if indicators is not None:
            query = query.where(o.c.indicator_id.in_(sorted(indicators)))
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def parents_with_data(self, level: str) -> set[str]:
        """The parent areas (e.g. municipalities) of the areas at `level` (e.g. wijk) that have active figures."""
        a = schema.areas
        query = (select(a.c.parent_code).distinct()
                 .where(a.c.level == level, a.c.parent_code.is_not(None), self._has_figures(area=a.c.code)))
        with self.engine.connect() as conn:
            return set(conn.execute(query).scalars())

    def area_counts(self, areas: Collection[str], by_period: bool = False) -> pd.DataFrame:
        """Per indicator (and period): how many of these areas have an active figure (column areas)."""
        o, d = schema.observations, schema.datasets
        keys = [o.c.indicator_id, *([o.c.period] if by_period else [])]
        query = (select(*keys, func.count(o.c.area_code.distinct()).label("areas"))
                 .join(d, o.c.dataset_id == d.c.id)
                 .where(d.c.status == "active", o.c.area_code.in_(sorted(areas))).group_by(*keys))
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def dataset_counts(self, dataset_id: int) -> pd.DataFrame:
        """How many figures a dataset has per indicator, period, kind of area and source (column n)."""
        o, i, a = schema.observations, schema.indicators, schema.areas
        query = (select(o.c.indicator_id, i.c.name.label("indicator_name"), o.c.period,
                        a.c.level.label("area_level"), o.c.source, func.count().label("n"))
                 .join(i, o.c.indicator_id == i.c.id).join(a, o.c.area_code == a.c.code)
                 .where(o.c.dataset_id == dataset_id)
                 .group_by(o.c.indicator_id, i.c.name, o.c.period, a.c.level, o.c.source)
                 .order_by(o.c.indicator_id, o.c.period, a.c.level, o.c.source))
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def example_datasets(self) -> list[str]:
        """The names of the active datasets marked as example data (fictitious), for the banner."""
        d = schema.datasets
        query = select(d.c.name).where((d.c.status == "active") & (d.c.is_example == 1)).order_by(d.c.name)
        with self.engine.connect() as conn:
            return list(dict.fromkeys(conn.execute(query).scalars()))

    def figure_counts(self) -> tuple[int, int]:
        """How many active figures the store holds, and for how many indicators."""
        d = schema.datasets
        # Each dataset counts its rows when it is stored (row_count): no count over the observations needed.
        with self.engine.connect() as conn:
            rows = conn.execute(select(func.coalesce(func.sum(d.c.row_count), 0))
                                .where(d.c.status == "active")).scalar_one()
        return int(rows), len(self.indicators_with_data())

    # -- notes (tellen en vertellen) ----------------------------------------

    def add_note(self, text_: str, author: str, *, indicator_id: str | None = None, area_code: str | None = None,
                 period: str | None = None, meeting: str | None = None, kind: str = "notitie") -> int:
        if not text_.strip() or not author.strip():
            raise ValueError("een notitie heeft tekst en een auteur nodig")
        check_all({"note_text": text_.strip(), "login_name": author, "meeting": meeting or None})
        with self._write() as conn:
            return int(conn.execute(insert(schema.notes).values(
                indicator_id=indicator_id, area_code=area_code, period=period, text=text_.strip(),
                author=author, created_at=datetime.now(UTC), status="active", meeting=meeting or None, kind=kind,
            )).inserted_primary_key[0])

    def _note_author(self, conn: Any, note_id: int) -> str:
        author = conn.execute(select(schema.notes.c.author).where(schema.notes.c.id == note_id)).scalar()
        if author is None:
            raise KeyError(f"notitie {note_id} bestaat niet")
        return str(author)

    def edit_note(self, note_id: int, editor: str, new_text: str) -> None:
        """Only the author edits; the earlier text is kept in note_versions, in the same transaction."""
        if not new_text.strip():
            raise ValueError("een notitie heeft tekst nodig")
        check("note_text", new_text.strip())
        n = schema.notes
        with self._write() as conn:
            if self._note_author(conn, note_id) != editor:
                raise PermissionError("alleen de auteur kan een notitie aanpassen")
            old = conn.execute(select(n.c.text).where(n.c.id == note_id)).scalar_one()
            now = datetime.now(UTC)
            conn.execute(insert(schema.note_versions).values(note_id=note_id, text=old, saved_at=now))
            conn.execute(update(n).where(n.c.id == note_id).values(text=new_text.strip(), updated_at=now))

    def set_note_status(self, note_id: int, editor: str, status: str) -> None:
        if status not in ("active", "withdrawn"):
            raise ValueError(f"onbekende status {status!r}")
        with self._write() as conn:
            if self._note_author(conn, note_id) != editor:
                raise PermissionError("alleen de auteur kan een notitie intrekken of herstellen")
            conn.execute(update(schema.notes).where(schema.notes.c.id == note_id).values(status=status))
            self._audit(conn, editor, "notitie hersteld" if status == "active" else "notitie ingetrokken",
                        f"notitie {note_id}")

    def notes(self, include_withdrawn: bool = False) -> pd.DataFrame:
        n, i, a = schema.notes, schema.indicators, schema.areas
        query = (
            select(n, i.c.name.label("indicator_name"), i.c.unit, a.c.name.label("area_name"))
            .outerjoin(i, n.c.indicator_id == i.c.id)
            .outerjoin(a, n.c.area_code == a.c.code)
            .order_by(n.c.created_at, n.c.id)
        )
        if not include_withdrawn:
            query = query.where(n.c.status == "active")
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def note_versions(self, note_id: int) -> pd.DataFrame:
        v = schema.note_versions
        with self.engine.connect() as conn:
            return pd.read_sql(select(v).where(v.c.note_id == note_id).order_by(v.c.id), conn)

    # -- staff accounts, login attempts and the audit log ---------------------

    def add_user(self, name: str, password_hash: str, actor: str = "opdrachtregel") -> None:
        """A new account; the name must follow dashboard.auth.NAME_PATTERN (checked by the caller)."""
        u = schema.users
        with self._write(data=False) as conn:
            if conn.execute(select(u.c.name).where(u.c.name == name)).first() is not None:
                raise ValueError(f"Er is al een account ‘{name}’.")
            conn.execute(insert(u).values(name=name, password_hash=password_hash, status="active",
                                          created_at=datetime.now(UTC)))
            self._audit(conn, actor, "account aangemaakt", name)

    def user(self, name: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.users).where(schema.users.c.name == name)).mappings().first()
        return dict(row) if row else None

    def users(self) -> pd.DataFrame:
        """Every account with its status and last successful login; never the password hashes."""
        u, a = schema.users, schema.audit_log
        last_login = (select(func.max(a.c.at)).where(a.c.actor == u.c.name, a.c.action == "inloggen gelukt")
                      .correlate(u).scalar_subquery())
        query = select(u.c.name, u.c.status, u.c.created_at, u.c.changed_at,
                       last_login.label("last_login")).order_by(u.c.name)
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def set_user_status(self, name: str, status: str, actor: str = "opdrachtregel") -> None:
        if status not in ("active", "blocked"):
            raise ValueError(f"onbekende status {status!r}")
        self._change_user(name, actor, "account geblokkeerd" if status == "blocked" else "account vrijgegeven",
                          status=status)

    def set_user_password(self, name: str, password_hash: str, actor: str = "opdrachtregel") -> None:
        self._change_user(name, actor, "wachtwoord gewijzigd", password_hash=password_hash)

    def _change_user(self, name: str, actor: str, action: str, **values: str) -> None:
        u = schema.users
        with self._write(data=False) as conn:
            result = conn.execute(update(u).where(u.c.name == name).values(changed_at=datetime.now(UTC), **values))
            if result.rowcount == 0:
                raise KeyError(f"Er is geen account ‘{name}’.")
            self._audit(conn, actor, action, name)

    def record_login_attempt(self, keys: list[tuple[str, str]], at: datetime) -> list[int]:
        """Record one attempt under each (scope, key) as failed; `login_succeeded` turns it into a success.
        Attempts older than a day are no longer needed for any delay or lock and are removed (the audit log
        keeps the logins)."""
        la = schema.login_attempts
        with self._write(data=False) as conn:
            conn.execute(delete(la).where(la.c.attempted_at < at - timedelta(days=1)))
            return [int(conn.execute(insert(schema.login_attempts).values(
                scope=scope, key=key[:200], attempted_at=at, succeeded=0)).inserted_primary_key[0])
                for scope, key in keys]

    def login_succeeded(self, attempt_ids: list[int], user: str, client: str | None) -> None:
        la = schema.login_attempts
        with self._write(data=False) as conn:
            conn.execute(update(la).where(la.c.id.in_(attempt_ids)).values(succeeded=1))
            self._audit(conn, user, "inloggen gelukt", "", client)

    def forget_login_attempts(self, attempt_ids: list[int]) -> None:
        """Remove attempts that were refused before any password was checked."""
        la = schema.login_attempts
        with self._write(data=False) as conn:
            conn.execute(delete(la).where(la.c.id.in_(attempt_ids)))

    def login_attempts(self, scope: str, key: str, since: datetime,
                       exclude: list[int] | None = None) -> list[tuple[datetime, bool]]:
        """(time, succeeded) of the attempts under one key since `since`, oldest first, without `exclude`."""
        la = schema.login_attempts
        query = (select(la.c.attempted_at, la.c.succeeded)
                 .where(la.c.scope == scope, la.c.key == key[:200], la.c.attempted_at >= since)
                 .order_by(la.c.attempted_at, la.c.id))
        if exclude:
            query = query.where(la.c.id.not_in(exclude))
        with self.engine.connect() as conn:
            return [(row.attempted_at, bool(row.succeeded)) for row in conn.execute(query)]

    def audit(self, actor: str, action: str, target: str, client: str | None = None) -> None:
        """Add one line to the audit log (for events without a write of their own, such as a failed login)."""
        with self._write(data=False) as conn:
            self._audit(conn, actor, action, target, client)

    def audit_log(self, limit: int = 200) -> pd.DataFrame:
        """The most recent lines of the audit log, newest first."""
        a = schema.audit_log
        with self.engine.connect() as conn:
            return pd.read_sql(select(a).order_by(a.c.at.desc(), a.c.id.desc()).limit(limit), conn)
    # -- policy frameworks from plan files -----------------------------------

    def add_framework_version(self, framework_id: str, name: str, definition: dict[str, Any],
                              original: tuple[str, bytes], sha256: str, created_by: str) -> tuple[int, int]:
        """Store a new version of a framework (active) and withdraw its other versions, in one transaction.

        Returns (row id, version number)."""
        fv = schema.framework_versions
        with self._write() as conn:
            latest = conn.execute(select(func.max(fv.c.version)).where(fv.c.framework_id == framework_id)).scalar()
            version = int(latest or 0) + 1
            conn.execute(update(fv).where(fv.c.framework_id == framework_id).values(status="withdrawn"))
            row_id = conn.execute(insert(fv).values(
                framework_id=framework_id, version=version, name=name,
                definition=json.dumps(definition, ensure_ascii=False), file_name=original[0], content=original[1],
                sha256=sha256, created_by=created_by, created_at=datetime.now(UTC), status="active",
            )).inserted_primary_key[0]
            self._audit(conn, created_by, "kader ingelezen", f"kader {framework_id} versie {version}: {name}")
        return int(row_id), version

    def framework_versions(self) -> pd.DataFrame:
        """Every stored version (without file and definition), newest first."""
        fv = schema.framework_versions
        columns = [fv.c.id, fv.c.framework_id, fv.c.version, fv.c.name, fv.c.file_name, fv.c.sha256,
                   fv.c.created_by, fv.c.created_at, fv.c.status]
        with self.engine.connect() as conn:
            return pd.read_sql(select(*columns).order_by(fv.c.framework_id, fv.c.version.desc()), conn)

    def active_framework_definitions(self) -> list[dict[str, Any]]:
        fv = schema.framework_versions
        with self.engine.connect() as conn:
            rows = conn.execute(select(fv.c.definition).where(fv.c.status == "active").order_by(fv.c.id)).all()
        return [json.loads(row.definition) for row in rows]

    def framework_version_file(self, row_id: int) -> tuple[str, bytes] | None:
        fv = schema.framework_versions
        with self.engine.connect() as conn:
            row = conn.execute(select(fv.c.file_name, fv.c.content).where(fv.c.id == row_id)).first()
        return (row.file_name, bytes(row.content)) if row else None

    def set_framework_version_status(self, row_id: int, status: str, actor: str = "systeem") -> None:
        """Withdraw a version, or restore it (which withdraws the other versions of the same framework)."""
        if status not in ("active", "withdrawn"):
            raise ValueError(f"onbekende status {status!r}")
        fv = schema.framework_versions
        with self._write() as conn:
            found = conn.execute(select(fv.c.framework_id, fv.c.version).where(fv.c.id == row_id)).first()
            if found is None:
                raise KeyError(f"kaderversie {row_id} bestaat niet")
            if status == "active":
                conn.execute(update(fv).where(fv.c.framework_id == found.framework_id).values(status="withdrawn"))
            conn.execute(update(fv).where(fv.c.id == row_id).values(status=status))
            self._audit(conn, actor, "kader hersteld" if status == "active" else "kader ingetrokken",
                        f"kader {found.framework_id} versie {found.version}")

    def count(self, table_name: str) -> int:
        table = schema.metadata.tables[table_name]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    def dispose(self) -> None:
        self.engine.dispose()
