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

from dashboard.geo import KINDS, normalised, simplified
from dashboard.net import NotFoundError, get_json

PDOK_URL = "https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1"
# Noord-Holland with a margin, in CRS84 (lon/lat): the municipalities of the source documents and
# the province map. Municipalities of neighbouring provinces inside the box come along.
NOORD_HOLLAND_BBOX = (4.45, 52.15, 5.40, 53.25)
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

    def lines(self) -> list[str]:
        out = [f"CBS-grenzen {self.year} opgehaald bij PDOK (Bron: CBS, Kadaster; CC-BY 4.0)."]
        for kind, path in self.files.items():
            out.append(f"- {path.name}: {self.counts[kind]} gebieden, {path.stat().st_size / 1000:.0f} kB")
        for code, number in sorted(self.wijken_per_gemeente.items()):
            out.append(f"  {code}: {number} wijken")
        if self.missing_gemeenten:
            out.append("Let op: geen wijken gevonden voor " + ", ".join(self.missing_gemeenten) + ".")
        return out


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
             fetch: Fetch = get_json) -> DownloadReport:
    """Fetch, check and write both boundary files; raises OfflineError/DownloadError and then writes nothing."""
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
        report.counts[kind] = len(collection["features"])
    staged: dict[str, Path] = {}
    for kind, collection in collections.items():
        path = target / f"{kind}_{year}.geojson"
        staged[kind] = path.with_suffix(".geojson.part")
        staged[kind].write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    for kind, part in staged.items():
        report.files[kind] = part.replace(target / f"{kind}_{year}.geojson")
    return report
