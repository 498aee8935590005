"""Recorded CBS figures shipped under data/cbs/ (CC BY 4.0, "Bron: CBS"), loaded as datasets by `init`.

Each entry of data/cbs/meegeleverd.yaml is one CSV copied from a published CBS table. It becomes a dataset
like a `cbs refresh` would make (kind "cbs", the same source address per table), so a later refresh of
that table withdraws it, and staff can withdraw and restore it on Gegevens. Rows for regions the catalog
does not know (wijken redrawn after the shipped boundaries, municipalities merged since) and empty cells
are not stored; `init` says how many and which.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from dashboard import yaml_files
from dashboard.catalog.loader import CatalogError
from dashboard.catalog.models import Catalog
from dashboard.settings import DATA_DIR
from dashboard.store.store import DatasetMeta, DuplicateDatasetError, Store

MANIFEST = "meegeleverd.yaml"
RECORDED_AUTHOR = "Jeugddashboard (meegeleverde CBS-cijfers)"
CBS_URL = "https://opendata.cbs.nl/ODataApi/odata"  # the same address `cbs refresh` stores per table


@dataclass(frozen=True)
class RecordedTable:
    file: str
    table: str
    title: str
    period: str
    reference_date: str
    region_column: str
    topics: tuple[dict[str, Any], ...]
    derived: tuple[dict[str, Any], ...] = ()
    note: str | None = None

    @property
    def source(self) -> str:
        return f"CBS, {self.title} ({self.table})"

    @property
    def source_file(self) -> str:
        return f"{CBS_URL}/{self.table}"


@dataclass
class RecordedResult:
    table: RecordedTable
    rows: list[dict[str, Any]] = field(default_factory=list)
    unknown_regions: list[str] = field(default_factory=list)
    empty_cells: int = 0
    sha256: str = ""
    content: bytes = b""


def load_manifest(data_dir: Path = DATA_DIR) -> list[RecordedTable]:
    path = data_dir / "cbs" / MANIFEST
    if not path.is_file():
        return []
    tables = []
    for number, raw in enumerate(yaml_files.safe_load(path.read_text(encoding="utf-8"))["datasets"], start=1):
        try:
            tables.append(RecordedTable(
                file=raw["file"], table=raw["table"], title=raw["title"], period=str(raw["period"]),
                reference_date=raw["reference_date"], region_column=raw["region_column"],
                topics=tuple(raw["topics"]), derived=tuple(raw.get("derived") or ()), note=raw.get("note"),
            ))
        except KeyError as exc:
            raise CatalogError(f"{MANIFEST}, dataset {number}: veld {exc} ontbreekt") from exc
    return tables


def _number(raw: str | None) -> float | None:
    """CBS's CSV cells: plain integers or decimals with a point; empty means not published."""
    text = (raw or "").strip()
    if text in {"", ".", "x"}:  # not published, or kept secret by CBS: never a zero
        return None
    return 0.0 if text == "-" else float(text)  # "-" is CBS's nihil


def recorded_sha256(table: RecordedTable, content: bytes) -> str:
    """What identifies a recording: the CSV and what the manifest reads from it (a changed topic is new data)."""
    spec = json.dumps([table.table, table.period, table.topics, table.derived], sort_keys=True).encode()
    return hashlib.sha256(content + spec).hexdigest()


def _check_indicators(table: RecordedTable, catalog: Catalog) -> None:
    for indicator_id in [t["indicator"] for t in (*table.topics, *table.derived)]:
        if indicator_id not in catalog.indicators:
            raise CatalogError(f"{MANIFEST}, {table.file}: indicator {indicator_id!r} is onbekend")


def read_recorded(table: RecordedTable, catalog: Catalog, data_dir: Path = DATA_DIR) -> RecordedResult:
    """The rows of one recorded table for the areas the catalog knows; the rest counted, not stored."""
    content = (data_dir / "cbs" / table.file).read_bytes()
    result = RecordedResult(table=table, sha256=recorded_sha256(table, content), content=content)
    _check_indicators(table, catalog)
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    for record in reader:
        code = record[table.region_column].strip()
        if code not in catalog.areas:
            result.unknown_regions.append(code)
            continue
        base = {"area_code": code, "period": table.period, "source": table.source, "note": table.note}
        for topic in table.topics:
            value = _number(record[topic["column"]])
            if value is None:
                result.empty_cells += 1
                continue
            numerator = _number(record[topic["numerator"]]) if topic.get("numerator") else None
            result.rows.append({**base, "indicator_id": topic["indicator"], "value": value, "numerator": numerator})
        for derived in table.derived:
            if "sum_of" in derived:  # e.g. 0-24 jaar as 0-14 plus 15-24 jaar: the same quantity as a catalog one
                parts = [_number(record[column]) for column in derived["sum_of"]]
                if any(part is None for part in parts):
                    result.empty_cells += 1
                    continue
                result.rows.append({**base, "indicator_id": derived["indicator"], "value": sum(parts),
                                    "numerator": None, "source": f"{table.source}, berekend: {derived['how']}"})
                continue
            numerator = _number(record[derived["numerator"]])
            denominator = _number(record[derived["denominator"]])
            if numerator is None or not denominator:
                result.empty_cells += 1
                continue
            result.rows.append({
                **base, "indicator_id": derived["indicator"], "value": numerator / denominator * derived["per"],
                "numerator": numerator, "denominator": denominator,
                "source": f"{table.source}, berekend: {derived['how']}",
            })
    return result


def _report(result: RecordedResult, dataset_id: int) -> str:
    line = (f"CBS {result.table.table} ({result.table.title}, meegeleverd): {len(result.rows)} cijfers geladen "
            f"als dataset {dataset_id}")
    if result.unknown_regions:
        sample = ", ".join(sorted(result.unknown_regions)[:5])
        line += (f"; {len(result.unknown_regions)} gebieden niet opgeslagen omdat ze niet in de gebiedsgrenzen "
                 f"staan (nieuw of opnieuw ingedeeld, of opgeheven; bijvoorbeeld {sample})")
    if result.empty_cells:
        line += f"; {result.empty_cells} lege cellen (door CBS niet gepubliceerd) niet opgeslagen"
    return line


def load_recorded_cbs(store: Store, catalog: Catalog, data_dir: Path = DATA_DIR) -> list[str]:
    """Load every recorded table not yet in the store; a changed recording supersedes its earlier version.

    A table that a `cbs refresh` has fetched since is left as the refresh made it: the shipped copy is older.
    """
    done: list[str] = []
    for table in load_manifest(data_dir):
        # Known recordings are recognised by their sha256 before their rows are read: every app start passes
        # here, and reading the 34,000 cells of the shipped tables took a noticeable part of the cold start.
        _check_indicators(table, catalog)
        if store.dataset_by_sha256(recorded_sha256(table, (data_dir / "cbs" / table.file).read_bytes())):
            continue
        result = read_recorded(table, catalog, data_dir)
        datasets = store.datasets()
        same_table = datasets[(datasets["kind"] == "cbs") & datasets["source_file"].str.endswith(f"/{table.table}")
                              & (datasets["status"] == "active")]
        if (same_table["created_by"] != RECORDED_AUTHOR).any():
            continue  # a refresh from CBS itself is newer than what was shipped
        meta = DatasetMeta(
            name=f"CBS {table.table}: {table.title} (meegeleverd)", kind="cbs", source_file=table.source_file,
            sha256=result.sha256, created_by=RECORDED_AUTHOR,
        )
        try:
            dataset_id = store.add_dataset(meta, result.rows, original=(table.file, result.content))
        except (DuplicateDatasetError, IntegrityError):
            continue  # another app process loaded it at the same moment
        for old_id in same_table["id"]:
            store.set_dataset_status(int(old_id), "withdrawn")
        done.append(_report(result, dataset_id))
    return done
