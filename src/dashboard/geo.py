"""CBS wijk and municipality boundaries, read from the configured path (never copied into the repo)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ATTRIBUTION = "Bron: CBS, Kadaster (CC-BY 4.0)"
WIJKEN_FILE = "wijken_2023.geojson"
GEMEENTEN_FILE = "gemeenten_2023.geojson"


class BoundaryError(ValueError):
    """The boundary file is missing or cannot be read; the message says which and why."""


def read_boundaries(geo_path: Path | None, file_name: str) -> dict[str, Any]:
    if geo_path is None:
        raise BoundaryError("Er is geen map met gebiedsgrenzen ingesteld (DASHBOARD_GEO_PATH).")
    path = geo_path / file_name
    if not path.is_file():
        raise BoundaryError(f"Het grenzenbestand {path} bestaat niet.")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"Het grenzenbestand {path} is geen geldige GeoJSON: {exc}") from exc
    if collection.get("type") != "FeatureCollection" or not isinstance(collection.get("features"), list):
        raise BoundaryError(f"Het grenzenbestand {path} is geen GeoJSON FeatureCollection.")
    return collection


def wijken_of(collection: dict[str, Any], gemeentecode: str) -> dict[str, Any]:
    features = [f for f in collection["features"] if f.get("properties", {}).get("gemeentecode") == gemeentecode]
    return {"type": "FeatureCollection", "features": features}


def center_of(collection: dict[str, Any]) -> tuple[float, float]:
    """Rough centre (lon, lat) of all coordinates: enough to point a map at."""
    lons: list[float] = []
    lats: list[float] = []

    def walk(coords: Any) -> None:
        if coords and isinstance(coords[0], (int, float)):
            lons.append(coords[0])
            lats.append(coords[1])
        else:
            for part in coords:
                walk(part)

    for feature in collection["features"]:
        walk(feature["geometry"]["coordinates"])
    return (sum(lons) / len(lons), sum(lats) / len(lats)) if lons else (4.9, 52.4)
