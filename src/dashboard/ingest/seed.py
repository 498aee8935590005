"""Load the data shipped in data/ (catalog, figures from the policy documents, recorded CBS figures).

Each figures file becomes one dataset, recognised by its sha256: loading twice
stores nothing new, and a changed file supersedes (withdraws) its previous version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.exc import IntegrityError

from dashboard.catalog.loader import CatalogError
from dashboard.catalog.models import Catalog
from dashboard.ingest.cbs_recorded import load_recorded_cbs
from dashboard.settings import DATA_DIR
from dashboard.store.store import DatasetMeta, Store

SEED_AUTHOR = "Jeugddashboard (uit de beleidsdocumenten)"


@dataclass(frozen=True)
class FiguresFile:
    path: Path
    name: str
    document: str
    rows: list[dict[str, Any]]
    sha256: str


def _expand(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """An entry gives one value, or `values: {area: value}` sharing one quote."""
    common = {
        "indicator_id": entry["indicator"],
        "period": str(entry["period"]),
        "source": entry["source"],
        "quote": " ".join(str(entry["quote"]).split()),
        "note": entry.get("note"),
        "estimate": bool(entry.get("estimate", False)),
    }
    if "lower" in entry:  # a range: the lower bound is the value, the upper bound kept beside it
        if "value" in entry or "values" in entry or entry["lower"] >= entry["upper"]:
            raise ValueError("een bandbreedte heeft lower en upper (lower kleiner dan upper) en geen value")
        return [{**common, "area_code": entry["area"], "value": entry["lower"], "value_upper": entry["upper"]}]
    if "values" in entry:
        return [{**common, "area_code": area, "value": value} for area, value in entry["values"].items()]
    return [{**common, "area_code": entry["area"], "value": entry["value"]}]


def read_figures_file(path: Path) -> FiguresFile:
    raw_bytes = path.read_bytes()
    raw = yaml.safe_load(raw_bytes)
    rows: list[dict[str, Any]] = []
    for number, entry in enumerate(raw["observations"], start=1):
        try:
            rows.extend(_expand(entry))
        except KeyError as exc:
            raise CatalogError(f"{path.name}, waarneming {number}: veld {exc} ontbreekt") from exc
        except ValueError as exc:
            raise CatalogError(f"{path.name}, waarneming {number}: {exc}") from exc
    return FiguresFile(
        path=path, name=raw["name"], document=raw["document"], rows=rows,
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
    )


def figures_files(data_dir: Path = DATA_DIR) -> list[FiguresFile]:
    return [read_figures_file(p) for p in sorted((data_dir / "figures").glob("*.yaml"))]


def validate_rows(figures: FiguresFile, catalog: Catalog) -> None:
    for number, row in enumerate(figures.rows, start=1):
        where = f"{figures.path.name}, waarneming {number}"
        if row["indicator_id"] not in catalog.indicators:
            raise CatalogError(f"{where}: indicator {row['indicator_id']!r} is onbekend")
        if row["area_code"] not in catalog.areas:
            raise CatalogError(f"{where}: gebied {row['area_code']!r} is onbekend")


def load_shipped_data(store: Store, catalog: Catalog, data_dir: Path = DATA_DIR) -> list[str]:
    """Bring the store up to date with data/; return what was done, in Dutch, for the CLI."""
    store.create_schema()
    store.upsert_areas(catalog.areas.values())
    store.upsert_indicators(catalog.indicators.values())
    done: list[str] = []
    existing = store.datasets()
    for figures in figures_files(data_dir):
        validate_rows(figures, catalog)
        if store.dataset_by_sha256(figures.sha256):
            continue
        source_file = f"data/figures/{figures.path.name}"
        older = existing[(existing["source_file"] == source_file) & (existing["status"] == "active")]
        meta = DatasetMeta(
            name=figures.name, kind="seed", source_file=source_file, sha256=figures.sha256,
            created_by=SEED_AUTHOR, document=figures.document,
        )
        try:
            store.add_dataset(meta, figures.rows)
        except IntegrityError:
            # Another app process (shared PostgreSQL) loaded the same file at the same moment.
            continue
        for old_id in older["id"]:
            store.set_dataset_status(int(old_id), "withdrawn")
        done.append(f"{figures.name}: {len(figures.rows)} waarnemingen geladen")
    return done + load_recorded_cbs(store, catalog, data_dir)
