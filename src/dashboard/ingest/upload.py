"""An upload from file to dataset: read, validate, preview (the plan), then commit as one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.analysis.goals import current_values
from dashboard.catalog.models import Area, Catalog, Indicator
from dashboard.ingest.example import EXAMPLE_MARKER_SHEET
from dashboard.ingest.mapping import NameMapping, UnknownName, is_new_target, source_key
from dashboard.ingest.reader import RefusedFile, Sheet, read_upload
from dashboard.ingest.validate import Problem, parse_sheets
from dashboard.settings import Settings
from dashboard.store.rows import ObservationRows
from dashboard.store.store import DatasetMeta, Store
from dashboard.text_limits import upload_problems

STATUS_NL = {"active": "actief", "withdrawn": "ingetrokken"}


@dataclass
class ImportPlan:
    """What an upload would store; nothing is written until `commit_import`."""

    file_name: str
    sha256: str
    data: bytes
    rows: ObservationRows = field(default_factory=ObservationRows)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    refused: str | None = None
    duplicate_of: dict[str, Any] | None = None
    conflicts: pd.DataFrame = field(default_factory=pd.DataFrame)
    is_example: bool = False
    new_indicators: list[Indicator] = field(default_factory=list)
    new_areas: list[Area] = field(default_factory=list)  # defined in the mapping step
    unknown: list[UnknownName] = field(default_factory=list)  # names a mapping on the upload page can solve
    source_key: str = ""
    mapping_to_save: NameMapping = field(default_factory=dict)  # stored with the dataset, for the next file

    @property
    def can_commit(self) -> bool:
        return not self.refused and not self.problems and not self.duplicate_of and bool(self.rows)

    def summary(self) -> dict[str, int]:
        rows = self.rows if isinstance(self.rows, ObservationRows) else ObservationRows(self.rows)
        return {"rijen": len(rows), "indicatoren": len(rows.distinct("indicator_id")),
                "gebieden": len(rows.distinct("area_code")), "perioden": len(rows.distinct("period"))}

    def messages(self) -> list[str]:
        if self.refused:
            return [self.refused]
        if self.duplicate_of:
            return [f"Dit bestand is al eerder ingelezen als dataset {self.duplicate_of['id']} "
                    f"(‘{self.duplicate_of['name']}’, {STATUS_NL[self.duplicate_of['status']]})."]
        return [str(p) for p in self.problems]


def _conflicts(rows: ObservationRows, store: Store) -> pd.DataFrame:
    """Rows that give another value than active data already has for the same indicator, area and period."""
    if not rows:
        return pd.DataFrame()
    # The distinct ids from the columns, and a frame of the compared columns only when something is stored.
    existing = current_values(store.observations(indicators=set(rows.distinct("indicator_id")),
                                                 areas=set(rows.distinct("area_code")),
                                                 periods=set(rows.distinct("period"))))
    if existing.empty:
        return pd.DataFrame()
    # Only the rows of an indicator and area that something stored has can differ: the merge (in the order of
    # the upload, as before) gets those, not a frame of a million rows.
    columns = {key: np.array(rows.column(key), dtype=object) for key in ("indicator_id", "area_code")}
    keep = np.flatnonzero(pd.Series(columns["indicator_id"]).isin(set(existing["indicator_id"])).to_numpy()
                          & pd.Series(columns["area_code"]).isin(set(existing["area_code"])).to_numpy())
    columns |= {key: np.array(rows.column(key), dtype=object) for key in ("period", "value")}
    new = pd.DataFrame({key: values[keep].tolist() for key, values in columns.items()},
                       columns=["indicator_id", "area_code", "period", "value"])
    merged = new.merge(existing, on=["indicator_id", "area_code", "period"], suffixes=("", "_bestaand"))
    differ = merged[(merged["value"] - merged["value_bestaand"]).abs() > 1e-9]
    return differ[["indicator_id", "area_code", "period", "value_bestaand", "value", "dataset"]].rename(
        columns={"value_bestaand": "bestaande waarde", "value": "nieuwe waarde", "dataset": "bestaande dataset"})


def plan_import(file_name: str, data: bytes, catalog: Catalog, store: Store, settings: Settings,
                default_source: str, mapping: NameMapping | None = None,
                sheets: list[Sheet] | str | None = None) -> ImportPlan:
    """What an upload would store. Names mapped earlier for the same source apply, then `mapping` (the
    choices on the upload page); the choices are saved with the dataset when it is stored. `sheets` are the
    file's sheets when already read (or the reason it was refused)."""
    plan = ImportPlan(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), data=data,
                      source_key=source_key(default_source))
    if isinstance(sheets, str):  # read earlier (see views/upload.read_once) and refused
        plan.refused = sheets
        return plan
    try:
        if sheets is None:
            sheets = read_upload(file_name, data, settings.upload_max_bytes, settings.upload_max_rows)
        catalog = catalog.with_indicators(store.indicators()).with_areas(store.defined_areas())
    except RefusedFile as exc:
        plan.refused = str(exc)
        return plan
    plan.duplicate_of = store.dataset_by_sha256(plan.sha256)
    remembered = store.name_mappings(plan.source_key)
    result = parse_sheets(sheets, catalog, default_source or file_name, settings.upload_max_rows,
                          {**remembered, **(mapping or {})})
    plan.rows, plan.problems, plan.notices = result.rows, result.problems, result.notices
    plan.new_indicators, plan.new_areas = result.new_indicators, result.new_areas
    plan.unknown = list(result.unknown.values())
    if remembered:
        plan.notices.insert(0, f"{len(remembered)} koppelingen van eerdere bestanden met deze bron zijn toegepast.")
    plan.mapping_to_save = {key: result.defined.get(key, target) for key, target in (mapping or {}).items()
                            if not is_new_target(target) or key in result.defined}
    upload_problems(plan, default_source or file_name)  # lengths and control characters, before the preview
    plan.is_example = any(s.name.strip().lower() == EXAMPLE_MARKER_SHEET for s in sheets)
    if plan.is_example:
        plan.notices.append("Dit bestand is gemarkeerd als voorbeelddata (fictief); zo wordt het ook getoond.")
    if plan.rows and not plan.problems:
        plan.conflicts = _conflicts(plan.rows, store)
    return plan


def commit_import(plan: ImportPlan, store: Store, name: str, user: str) -> int:
    if not plan.can_commit:
        raise ValueError("Deze upload kan niet worden opgeslagen: " + "; ".join(plan.messages()))
    meta = DatasetMeta(name=name or plan.file_name, kind="upload", source_file=plan.file_name,
                       sha256=plan.sha256, created_by=user, is_example=plan.is_example)
    return store.add_dataset(meta, plan.rows, original=(plan.file_name, plan.data),
                             new_indicators=plan.new_indicators, new_areas=plan.new_areas,
                             name_mappings=(plan.source_key, plan.mapping_to_save))
