"""`python -m dashboard geo download`: current CBS wijk and municipality boundaries from PDOK.

PDOK publishes the CBS Wijk- en Buurtkaart per year as an OGC API Features service
(https://api.pdok.nl/cbs/wijken-en-buurten-<jaar>/ogc/v1, collections `wijken` and `gemeenten`).
The download asks for the area of interest only (bbox), follows the `next` links page by page,
keeps the wijken of the requested municipalities, simplifies the outlines a little and writes
`wijken_<jaar>.geojson` and `gemeenten_<jaar>.geojson`. Nothing is replaced until both files
are complete: offline, or on any error, the files already there stay as they are.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.geo import KINDS, BoundaryError, boundary_file, normalised, read_boundaries, simplified
from dashboard.net import NotFoundError, get_json

PDOK_URL = "https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1"
# Noord-Holland with a margin, in CRS84 (lon/lat): the municipalities of the source documents and
# the province map. Municipalities of neighbouring provinces inside the box come along.
NOORD_HOLLAND_BBOX = (4.45, 52.15, 5.40, 53.25)
# The whole country: where a requested municipality is not in any local boundary file yet.
NEDERLAND_BBOX = (3.30, 50.70, 7.30, 53.60)
BBOX_MARGIN = 0.01
PAGE_SIZE = 1000
MAX_PAGES = 50

Fetch = Callable[..., Any]


class DownloadError(RuntimeError):
    """The download did not complete; the message says why and that existing files were kept."""


@dataclass
class DownloadReport:
    year: int
    files: dict[str, Path] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    wijken_per_gemeente: dict[str, int] = field(default_factory=dict)
    missing_gemeenten: list[str] = field(default_factory=list)
    kept: dict[str, tuple[int, str]] = field(default_factory=dict)  # kind -> (features kept, from file)

    def lines(self) -> list[str]:
        out = [f"CBS-grenzen {self.year} opgehaald bij PDOK (Bron: CBS, Kadaster; CC-BY 4.0)."]
        for kind, path in self.files.items():
            out.append(f"- {path.name}: {self.counts[kind]} gebieden, {path.stat().st_size / 1000:.0f} kB")
        for code, number in sorted(self.wijken_per_gemeente.items()):
            out.append(f"  {code}: {number} wijken")
        for kind, (number, origin) in self.kept.items():
            out.append(f"- {number} {kind} van andere gemeenten behouden uit {origin}")
        if self.missing_gemeenten:
            out.append("Let op: geen wijken gevonden voor " + ", ".join(self.missing_gemeenten) + ".")
        return out


def _coordinates(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []

    def walk(coords: Any) -> None:
        if coords and isinstance(coords[0], (int, float)):
            points.append((float(coords[0]), float(coords[1])))
        else:
            for part in coords:
                walk(part)

    walk(geometry["coordinates"])
    return points


def bbox_of(gemeenten: Iterable[str], folders: Iterable[Path | None]) -> tuple[float, ...] | None:
    """The box (lon/lat, with a small margin) around these municipalities in the first local boundary file
    that has all of them; None when none has them all (then the caller asks PDOK for the whole country)."""
    wanted = set(gemeenten)
    for folder in dict.fromkeys(f for f in folders if f is not None):
        try:
            collection = read_boundaries(folder, "gemeenten")
        except BoundaryError:
            continue
        found = [f for f in collection["features"] if f["properties"]["statcode"] in wanted]
        if {f["properties"]["statcode"] for f in found} != wanted:
            continue
        points = [p for f in found for p in _coordinates(f["geometry"])]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        return (round(min(lons) - BBOX_MARGIN, 4), round(min(lats) - BBOX_MARGIN, 4),
                round(max(lons) + BBOX_MARGIN, 4), round(max(lats) + BBOX_MARGIN, 4))
    return None


def _kept(target: Path, kind: str, replaced: set[str]) -> tuple[list[dict[str, Any]], str]:
    """The features of the newest file of this kind in `target` that the download does not replace."""
    try:
        path, _layer = boundary_file(target, kind)
        existing = read_boundaries(target, kind)
    except BoundaryError:
        return [], ""
    key = "gemeentecode" if kind == "wijken" else "statcode"
    return [f for f in existing["features"] if f["properties"][key] not in replaced], path.name


def _items(base: str, kind: str, bbox: tuple[float, ...], fetch: Fetch) -> list[dict[str, Any]]:
    url: str | None = f"{base}/collections/{kind}/items"
    params: dict[str, str] | None = {"f": "json", "limit": str(PAGE_SIZE), "bbox": ",".join(map(str, bbox))}
    features: list[dict[str, Any]] = []
    for _page in range(MAX_PAGES):
        if url is None:
            return features
        page = fetch(url, params=params)
        if not isinstance(page, dict) or not isinstance(page.get("features"), list):
            raise DownloadError(f"PDOK gaf voor {kind} geen GeoJSON FeatureCollection terug.")
        features.extend(page["features"])
        url = next((link["href"] for link in page.get("links", []) if link.get("rel") == "next"), None)
        params = None  # the next link carries the query itself
    raise DownloadError(f"PDOK gaf voor {kind} meer dan {MAX_PAGES} pagina's; de download is afgebroken.")


def find_year(fetch: Fetch, base_template: str, today: dt.date | None = None) -> int:
    """The newest year PDOK has a wijken-en-buurten service for (CBS publishes one per year)."""
    year = (today or dt.date.today()).year
    for candidate in range(year, year - 4, -1):
        try:
            fetch(f"{base_template.format(jaar=candidate)}/collections", params={"f": "json"})
        except NotFoundError:
            continue
        return candidate
    raise DownloadError(f"PDOK heeft geen wijken-en-buurtenkaart voor {year - 3} tot en met {year}.")


def download(target: Path, gemeenten: Iterable[str], *, year: int | None = None,
             bbox: tuple[float, ...] = NOORD_HOLLAND_BBOX, base_template: str = PDOK_URL,
             fetch: Fetch = get_json, keep_others: bool = False) -> DownloadReport:
    """Fetch, check and write both boundary files; raises OfflineError/DownloadError and then writes nothing.

    With `keep_others` (a download for named municipalities) the areas of other municipalities in the newest
    files already in `target` are kept, so fetching one municipality never loses the wijken of the rest.
    """
    if not target.is_dir():
        raise DownloadError(f"De map {target} bestaat niet.")
    if not os.access(target, os.W_OK):
        raise DownloadError(f"In de map {target} mag niet geschreven worden. Kies een andere map met --map "
                            "en zet DASHBOARD_GEO_PATH daarop.")
    wanted = set(gemeenten)
    year = year or find_year(fetch, base_template)
    base = base_template.format(jaar=year)
    report = DownloadReport(year=year)
    collections: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        raw = {"type": "FeatureCollection", "features": _items(base, kind, bbox, fetch)}
        collection = normalised(raw, kind, f"PDOK {kind} {year}")
        if kind == "wijken":
            collection["features"] = [f for f in collection["features"]
                                      if f["properties"]["gemeentecode"] in wanted]
            per_gemeente = Counter(f["properties"]["gemeentecode"] for f in collection["features"])
            report.wijken_per_gemeente = dict(per_gemeente)
            report.missing_gemeenten = sorted(wanted - set(per_gemeente))
        if not collection["features"]:
            raise DownloadError(f"PDOK gaf geen {kind} terug voor dit gebied; er is niets vervangen.")
        collections[kind] = simplified(collection, tolerance=0.0001, decimals=5)
        if keep_others:
            replaced = wanted if kind == "wijken" else {f["properties"]["statcode"] for f in collection["features"]}
            kept, origin = _kept(target, kind, replaced)
            if kept:
                collections[kind]["features"] += simplified({"type": "FeatureCollection", "features": kept},
                                                            tolerance=0.0001, decimals=5)["features"]
                report.kept[kind] = (len(kept), origin)
        report.counts[kind] = len(collections[kind]["features"])
    staged: dict[str, Path] = {}
    for kind, collection in collections.items():
        path = target / f"{kind}_{year}.geojson"
        staged[kind] = path.with_suffix(".geojson.part")
        staged[kind].write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    for kind, part in staged.items():
        report.files[kind] = part.replace(target / f"{kind}_{year}.geojson")
    return report
