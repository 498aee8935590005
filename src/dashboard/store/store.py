"""Persistence behind one interface: a SQLite file by default, PostgreSQL by URL.

Pages never talk to the database; they go through `dashboard.app_data`, which
uses this class. Every write of a dataset is one transaction: either all of its
observations are stored, or none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, create_engine, event, func, insert, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from dashboard.catalog.models import Area, Indicator
from dashboard.store import schema


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


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def create_schema(self) -> None:
        """Create missing tables and add columns that later versions introduced; safe on every start."""
        schema.metadata.create_all(self.engine, checkfirst=True)
        existing = {c["name"] for c in inspect(self.engine).get_columns("notes")}
        with self.engine.begin() as conn:
            for column in schema.notes.columns:
                if column.name not in existing and column.nullable:
                    kind = column.type.compile(dialect=self.engine.dialect)
                    conn.execute(text(f'ALTER TABLE notes ADD COLUMN "{column.name}" {kind}'))

    # -- catalog -----------------------------------------------------------

    def _upsert(self, table: Any, rows: list[dict[str, Any]], key: str) -> None:
        if not rows:
            return
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        stmt = dialect_insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=[key],
            set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name != key},
        )
        with self.engine.begin() as conn:
            conn.execute(stmt, rows)

    def upsert_areas(self, areas: Iterable[Area]) -> None:
        self._upsert(
            schema.areas,
            [{"code": a.code, "name": a.name, "level": a.level, "parent_code": a.parent} for a in areas],
            "code",
        )

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
                    original: tuple[str, bytes] | None = None, new_indicators: list[Indicator] | None = None) -> int:
        """Store a dataset, its observations, new indicators and its original file in one transaction."""
        existing = self.dataset_by_sha256(meta.sha256)
        if existing:
            raise DuplicateDatasetError(existing["id"], existing["name"])
        with self.engine.begin() as conn:
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
            if rows:
                conn.execute(
                    insert(schema.observations),
                    [
                        {
                            "dataset_id": dataset_id,
                            "indicator_id": r["indicator_id"],
                            "area_code": r["area_code"],
                            "period": str(r["period"]),
                            "value": float(r["value"]),
                            "numerator": r.get("numerator"),
                            "denominator": r.get("denominator"),
                            "source": r["source"],
                            "quote": r.get("quote"),
                            "note": r.get("note"),
                        }
                        for r in rows
                    ],
                )
            if original is not None:
                conn.execute(insert(schema.files).values(dataset_id=dataset_id, file_name=original[0],
                                                         content=original[1]))
        return int(dataset_id)

    def original_file(self, dataset_id: int) -> tuple[str, bytes] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schema.files).where(schema.files.c.dataset_id == dataset_id)).first()
        return (row.file_name, bytes(row.content)) if row else None

    def set_dataset_status(self, dataset_id: int, status: str) -> None:
        if status not in ("active", "withdrawn"):
            raise ValueError(f"onbekende status {status!r}")
        with self.engine.begin() as conn:
            result = conn.execute(
                update(schema.datasets).where(schema.datasets.c.id == dataset_id).values(status=status)
            )
            if result.rowcount == 0:
                raise KeyError(f"dataset {dataset_id} bestaat niet")

    def datasets(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(select(schema.datasets).order_by(schema.datasets.c.id), conn)

    # -- reading -----------------------------------------------------------

    def observations(self, include_withdrawn: bool = False) -> pd.DataFrame:
        o, d, i, a = schema.observations, schema.datasets, schema.indicators, schema.areas
        query = (
            select(
                o.c.id, o.c.indicator_id, i.c.name.label("indicator_name"), i.c.unit,
                o.c.area_code, a.c.name.label("area_name"), a.c.level.label("area_level"),
                o.c.period, o.c.value, o.c.numerator, o.c.denominator, o.c.source, o.c.quote,
                o.c.note, o.c.dataset_id, d.c.name.label("dataset"), d.c.document,
                d.c.is_example, d.c.status.label("dataset_status"),
            )
            .join(d, o.c.dataset_id == d.c.id)
            .join(i, o.c.indicator_id == i.c.id)
            .join(a, o.c.area_code == a.c.code)
            .order_by(o.c.indicator_id, o.c.area_code, o.c.period, o.c.dataset_id)
        )
        if not include_withdrawn:
            query = query.where(d.c.status == "active")
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    # -- notes (tellen en vertellen) ----------------------------------------

    def add_note(self, text_: str, author: str, *, indicator_id: str | None = None, area_code: str | None = None,
                 period: str | None = None, meeting: str | None = None, kind: str = "notitie") -> int:
        if not text_.strip() or not author.strip():
            raise ValueError("een notitie heeft tekst en een auteur nodig")
        with self.engine.begin() as conn:
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
        n = schema.notes
        with self.engine.begin() as conn:
            if self._note_author(conn, note_id) != editor:
                raise PermissionError("alleen de auteur kan een notitie aanpassen")
            old = conn.execute(select(n.c.text).where(n.c.id == note_id)).scalar_one()
            now = datetime.now(UTC)
            conn.execute(insert(schema.note_versions).values(note_id=note_id, text=old, saved_at=now))
            conn.execute(update(n).where(n.c.id == note_id).values(text=new_text.strip(), updated_at=now))

    def set_note_status(self, note_id: int, editor: str, status: str) -> None:
        if status not in ("active", "withdrawn"):
            raise ValueError(f"onbekende status {status!r}")
        with self.engine.begin() as conn:
            if self._note_author(conn, note_id) != editor:
                raise PermissionError("alleen de auteur kan een notitie intrekken of herstellen")
            conn.execute(update(schema.notes).where(schema.notes.c.id == note_id).values(status=status))

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

    def count(self, table_name: str) -> int:
        table = schema.metadata.tables[table_name]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    def dispose(self) -> None:
        self.engine.dispose()
