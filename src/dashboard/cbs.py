"""`python -m dashboard cbs refresh`: figures from CBS StatLine (OData v3) stored as datasets.

Which tables and topics is data (data/cbs/tabellen.yaml). Per table the connector reads the
metadata first (TableInfos: is this the table we think it is; DataProperties: which dimensions
and topics), then only the rows of the areas in the catalog, from the untyped data set so that
CBS's own markers survive: "." (unknown or secret) and "x" (secret) are suppressed and never
stored as a number; "-" is CBS's "nihil" and means zero. Periods marked voorlopig by CBS keep
that mark in the observation's note. Each refresh of a table is one dataset (with the raw
responses kept as its original file); a newer refresh supersedes the previous one, which is
withdrawn, never deleted. Offline nothing changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dashboard.catalog.models import Area, Catalog
from dashboard.ingest.validate import normalise_name
from dashboard.net import NotFoundError, OfflineError, get_json
from dashboard.settings import DATA_DIR
from dashboard.store.store import DatasetMeta, DuplicateDatasetError, Store

CBS_URL = "https://opendata.cbs.nl/ODataApi/odata"
TABLES_FILE = DATA_DIR / "cbs" / "tabellen.yaml"
SUPPRESSED_MARKERS = {".", "x"}
NIHIL = "-"
FILTER_CHUNK = 30

Fetch = Callable[..., Any]


class CbsTableError(RuntimeError):
    """This table cannot be used (metadata does not match, no usable dimension); others may still be."""


@dataclass(frozen=True)
class TableSpec:
    name: str
    title_contains: str
    tables: dict[str, str]  # year (or "alle") -> CBS table id
    topics: dict[str, str]  # topic key prefix or title -> indicator id
    # A percentage topic -> the count topic it is computed from, stored as the observation's numerator so
    # that the privacy rule (small numerators per wijk are never shown) also holds for CBS percentages.
    numerators: dict[str, str] = field(default_factory=dict)
    # The OData service that publishes the table: CBS StatLine, or e.g. the Jeugdmonitor's own catalogue.
    service: str = CBS_URL


@dataclass
class TableResult:
    table_id: str
    title: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    suppressed: int = 0
    provisional: int = 0
    skipped_topics: list[str] = field(default_factory=list)  # why, one sentence each
    skipped_regions: list[str] = field(default_factory=list)  # wijken linked by name or left out, and why
    raw: dict[str, Any] = field(default_factory=dict)


def load_specs(path: Path = TABLES_FILE, catalog: Catalog | None = None) -> list[TableSpec]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    specs = []
    for entry in raw["tables"]:
        spec = TableSpec(
            name=entry["name"], title_contains=entry["title_contains"],
            tables={str(year): str(table) for year, table in entry["tables"].items()},
            topics={t["topic"]: t["indicator"] for t in entry["topics"]},
            numerators={t["topic"]: t["numerator"] for t in entry["topics"] if t.get("numerator")},
            service=str(entry.get("service", CBS_URL)).rstrip("/"),
        )
        if catalog is not None:
            unknown = [i for i in spec.topics.values() if i not in catalog.indicators]
            if unknown:
                raise ValueError(f"{path.name}, {spec.name}: onbekende indicator(en) {', '.join(unknown)}")
        specs.append(spec)
    return specs


def _values(answer: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(answer, dict) or not isinstance(answer.get("value"), list):
        raise CbsTableError(f"CBS gaf voor {what} geen OData-lijst terug.")
    return answer["value"]


def _topic_for(name: str, topics: list[dict[str, Any]]) -> dict[str, Any] | None:
    wanted = name.lower()
    for topic in topics:
        key, title = str(topic.get("Key", "")), str(topic.get("Title", "")).strip().lower()
        if re.fullmatch(rf"{re.escape(name)}_\d+", key) or title == wanted:
            return topic
    return None


def _total_member(members: list[dict[str, Any]], dimension: str, table_id: str) -> str:
    for member in members:
        if str(member.get("Title", "")).strip().lower().startswith("totaal"):
            return str(member["Key"])
    raise CbsTableError(f"{table_id}: de dimensie {dimension} heeft geen totaal; de tabel is overgeslagen.")


def parse_value(raw: Any) -> float | None:
    """A cell of CBS's untyped data set: a number, None when CBS suppressed it, 0.0 for nihil."""
    text = "" if raw is None else str(raw).strip()
    if text in SUPPRESSED_MARKERS or text == "":
        return None
    if text == NIHIL:
        return 0.0
    return float(text)


def _plain_name(title: str) -> str:
    """A CBS region title as a comparable name: 'Wijk 01 Vondelkwartier' -> 'vondelkwartier'."""
    return re.sub(r"^\d\d+ ", "", normalise_name(title))  # normalise_name already drops the word 'wijk'


def match_regions(members: list[dict[str, Any]], areas: Mapping[str, Area], skipped: list[str]) -> dict[str, str]:
    """CBS region key -> area code of the catalog.

    Gemeenten and Nederland match by code. A wijk code must also carry the same name as in the wijk
    boundaries: municipalities redraw their wijken, and an older table may use a code for another area.
    Such a wijk is linked by name within its municipality where that is unambiguous, otherwise left out.
    """
    wijk_by_name: dict[tuple[str | None, str], list[str]] = {}
    for code, area in areas.items():
        if area.level == "wijk":
            wijk_by_name.setdefault((area.parent, _plain_name(area.name)), []).append(code)
    mapped: dict[str, str] = {}
    renamed: list[tuple[str, str, str]] = []  # CBS key, code, title
    for member in members:
        key, title = str(member["Key"]), str(member.get("Title", "")).strip()
        code = key.strip()
        if not code.startswith("WK"):
            if code in areas:
                mapped[key] = code
        elif "GM" + code[2:6] in areas:  # a wijk of a municipality this dashboard follows
            if code in areas and _plain_name(areas[code].name) == _plain_name(title):
                mapped[key] = code
            else:
                renamed.append((key, code, title))
    for key, code, title in renamed:
        by_name = [c for c in wijk_by_name.get(("GM" + code[2:6], _plain_name(title)), [])
                   if c not in mapped.values()]
        if len(by_name) == 1:
            mapped[key] = by_name[0]
            skipped.append(f"wijk {code} (‘{title}’) is op naam gekoppeld aan {by_name[0]} van de wijkgrenzen")
        else:
            known = f" en in de wijkgrenzen ‘{areas[code].name}’" if code in areas else ""
            skipped.append(f"wijk {code} heet bij CBS ‘{title}’{known}; niet opgeslagen")
    return mapped


def fetch_table(table_id: str, year: str, spec: TableSpec, areas: Mapping[str, Area], fetch: Fetch,
                base: str = CBS_URL) -> TableResult:
    result = TableResult(table_id=table_id)
    url = f"{base}/{table_id}"

    def get(endpoint: str, params: dict[str, str] | None = None) -> Any:
        answer = fetch(f"{url}/{endpoint}", params={"$format": "json", **(params or {})})
        result.raw.setdefault(endpoint, []).append(answer)
        return answer

    info = _values(get("TableInfos"), f"{table_id} TableInfos")[0]
    result.title = str(info.get("Title", ""))
    if spec.title_contains.lower() not in result.title.lower():
        raise CbsTableError(f"{table_id} heet ‘{result.title}’ en is niet ‘{spec.name}’ "
                            f"(verwacht ‘{spec.title_contains}’ in de titel); de tabel is overgeslagen.")
    properties = _values(get("DataProperties"), f"{table_id} DataProperties")
    geo = next((p for p in properties if p.get("Type") == "GeoDimension"), None)
    if geo is None:
        raise CbsTableError(f"{table_id} heeft geen regio-indeling; de tabel is overgeslagen.")
    time = next((p for p in properties if p.get("Type") == "TimeDimension"), None)
    topics = [p for p in properties if p.get("Type") == "Topic"]
    chosen: dict[str, str] = {}
    numerator_keys: dict[str, str] = {}
    for name, indicator in spec.topics.items():
        topic = _topic_for(name, topics)
        if topic is None:
            result.skipped_topics.append(f"onderwerp ‘{name}’ staat niet in deze tabel")
            continue
        if name in spec.numerators:
            numerator = _topic_for(spec.numerators[name], topics)
            if numerator is None:  # without its count a percentage per wijk cannot be checked for privacy
                result.skipped_topics.append(f"onderwerp ‘{name}’ zonder het aantal ‘{spec.numerators[name]}’ "
                                             "waarop het berust (nodig voor de privacyregel)")
                continue
            numerator_keys[str(topic["Key"])] = str(numerator["Key"])
        chosen[str(topic["Key"])] = indicator
    if not chosen:
        return result

    region_of = match_regions(_values(get(geo["Key"]), f"{table_id} {geo['Key']}"), areas, result.skipped_regions)
    regions = list(region_of)
    fixed = {str(d["Key"]): _total_member(_values(get(str(d["Key"])), f"{table_id} {d['Key']}"), d["Key"], table_id)
             for d in properties if d.get("Type") == "Dimension"}
    period_status: dict[str, str] = {}
    if time is not None:
        for member in _values(get(time["Key"]), f"{table_id} {time['Key']}"):
            key = str(member["Key"])
            if re.fullmatch(r"\d{4}JJ00", key):
                period_status[key] = str(member.get("Status", ""))

    for start in range(0, len(regions), FILTER_CHUNK):
        clauses = [" or ".join(f"{geo['Key']} eq '{key}'" for key in regions[start:start + FILTER_CHUNK])]
        clauses += [f"{dim} eq '{member}'" for dim, member in fixed.items()]
        params = {"$filter": " and ".join(f"({c})" for c in clauses)}
        answer = get("UntypedDataSet", params)
        chunk = {str(key) for key in regions[start:start + FILTER_CHUNK]}
        records = list(_values(answer, f"{table_id} UntypedDataSet"))
        while answer.get("odata.nextLink"):
            answer = fetch(answer["odata.nextLink"])
            result.raw["UntypedDataSet"].append(answer)
            records += _values(answer, f"{table_id} UntypedDataSet")
        for record in records:
            if str(record.get(geo["Key"])) not in chunk or any(
                str(record.get(dim)) != member for dim, member in fixed.items()
            ):
                continue  # only what was asked for, whatever the server sends
            if time is not None:
                period_key = str(record.get(time["Key"], ""))
                if period_key not in period_status:
                    continue  # half years, quarters: not stored
                period, status = period_key[:4], period_status[period_key]
            else:
                period, status = year, ""
            for topic_key, indicator in chosen.items():
                value = parse_value(record.get(topic_key))
                numerator_key = numerator_keys.get(topic_key)
                numerator = parse_value(record.get(numerator_key)) if numerator_key else None
                if value is None or (numerator_key and numerator is None):
                    result.suppressed += 1
                    continue
                provisional = "voorlopig" in status.lower()
                result.provisional += provisional
                result.rows.append({
                    "indicator_id": indicator, "area_code": region_of[str(record[geo["Key"]])], "period": period,
                    "value": value, "numerator": numerator, "source": f"CBS StatLine {table_id}",
                    "note": f"{status} cijfer (CBS)" if provisional else None,
                })
    return result


def store_result(store: Store, spec: TableSpec, result: TableResult, year: str, base: str = CBS_URL,
                 today: dt.date | None = None, scope: tuple[str, ...] = ()) -> tuple[int | None, str]:
    """Store one table's refresh as a dataset; the previous refresh of that table is withdrawn.

    A refresh for some municipalities only (`scope`) supersedes only an earlier refresh for the same ones:
    the figures of all other municipalities stay active.
    """
    today = today or dt.date.today()
    canonical = json.dumps(sorted(result.rows, key=lambda r: (r["indicator_id"], r["area_code"], r["period"])),
                           sort_keys=True).encode()
    source_file = f"{base}/{result.table_id}" + (f"?gemeenten={','.join(scope)}" if scope else "")
    for_whom = f" voor {', '.join(scope)}" if scope else ""
    meta = DatasetMeta(
        name=f"CBS {result.table_id}: {result.title}{for_whom} (opgehaald {today.isoformat()})", kind="cbs",
        source_file=source_file, sha256=hashlib.sha256(source_file.encode() + canonical).hexdigest(),
        created_by="cbs refresh",
    )
    try:
        dataset_id = store.add_dataset(
            meta, result.rows,
            original=(f"{result.table_id}_{today.isoformat()}.json",
                      json.dumps(result.raw, ensure_ascii=False).encode()),
        )
    except DuplicateDatasetError as exc:
        return None, f"{result.table_id} ({year}): ongewijzigd sinds dataset {exc.existing_id}."
    datasets = store.datasets()
    # The same table from any service (CBS itself, a mirror, the recorded copy shipped in data/cbs) is an
    # earlier fetch of these figures: it is replaced.
    same_table = (datasets["kind"] == "cbs") & datasets["source_file"].str.endswith(f"/{result.table_id}")
    if scope:  # a refresh for some municipalities replaces only an earlier one for the same municipalities
        same_table = (datasets["kind"] == "cbs") & (datasets["source_file"] == source_file)
    earlier = datasets[same_table & (datasets["status"] == "active") & (datasets["id"] != dataset_id)]
    for old_id in earlier["id"]:
        store.set_dataset_status(int(old_id), "withdrawn")
    line = (f"{result.table_id} ({year}): {len(result.rows)} cijfers opgeslagen als dataset {dataset_id}"
            f"; {result.suppressed} door CBS afgeschermd (niet opgeslagen); {result.provisional} voorlopig")
    if len(earlier):
        line += f"; vorige ophaling (dataset {', '.join(map(str, earlier['id']))}) ingetrokken"
    return dataset_id, line + "."


def followed_areas(catalog: Catalog) -> dict[str, Area]:
    """Nederland, every municipality, and the wijken of the municipalities the dashboard follows.

    Every municipality, so that the comparisons and the map of Noord-Holland keep their figures after a refresh
    replaced the recorded copy; the wijken of the Netherlands only where a policy framework follows them.
    """
    followed = catalog.followed_municipalities()
    return {code: area for code, area in catalog.areas.items()
            if area.level in ("land", "gemeente") or (area.level == "wijk" and area.parent in followed)}


def refresh(store: Store, catalog: Catalog, specs: list[TableSpec], *, years: set[str] | None = None,
            fetch: Fetch = get_json, base: str | None = None,
            gemeenten: list[str] | None = None) -> tuple[list[str], bool]:
    """Refresh every table; returns the report lines and whether every table succeeded.

    `base` replaces every table's own service (a mirror, or recorded responses in tests). Without network
    the refresh stops at the first table it cannot reach; what was stored before stays. With `gemeenten`
    only those municipalities and their wijken are fetched.
    """
    scope = tuple(sorted(gemeenten or ()))
    if scope:  # these municipalities and all their wijken, whether or not a framework follows them
        areas = {code: area for code, area in catalog.areas.items()
                 if code in scope or (area.level == "wijk" and area.parent in scope)}
    else:
        areas = followed_areas(catalog)
    lines: list[str] = []
    complete = True
    for spec in specs:
        service = base or spec.service
        for year, table_id in spec.tables.items():
            if years and year != "alle" and year not in years:
                continue
            try:
                result = fetch_table(table_id, year, spec, areas, fetch, service)
            except (CbsTableError, NotFoundError) as exc:
                lines.append(f"Overgeslagen: {exc}")
                complete = False
                continue
            except OfflineError as exc:
                lines.append(f"CBS StatLine is niet bereikbaar ({exc}) bij tabel {table_id}. Deze en de volgende "
                             "tabellen zijn niet ververst; de eerder opgehaalde cijfers blijven staan.")
                return lines, False
            for reason in result.skipped_topics:
                lines.append(f"{table_id}: {reason}; overgeslagen.")
            lines += [f"{table_id}: {reason}." for reason in result.skipped_regions]
            if not result.rows:
                lines.append(f"{table_id} ({year}): geen cijfers voor de gebieden van dit dashboard.")
                continue
            _dataset_id, line = store_result(store, spec, result, year, service, scope=scope)
            lines.append(line)
    return lines, complete
