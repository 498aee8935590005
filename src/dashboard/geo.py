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
    features = [f for f in collection["features"] if (f.get("properties") or {}).get("gemeentecode") == gemeentecode]
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


def simplified(collection: dict[str, Any], tolerance: float = 0.0005, decimals: int = 4) -> dict[str, Any]:
    """A lighter copy for the browser: simplified outlines, rounded coordinates, only the properties needed.

    Invalid rings (Hilversum and Gooise Meren touch themselves in the source) are repaired first.
    """
    from shapely import make_valid
    from shapely.geometry import MultiPolygon, mapping, shape

    def polygonal(geometry: Any) -> Any:
        if geometry.is_valid:
            return geometry
        repaired = make_valid(geometry)
        if repaired.geom_type == "GeometryCollection":
            parts = [g for g in repaired.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            polygons = [p for g in parts for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]
            return MultiPolygon(polygons)
        return repaired

    def rounded(coords: Any) -> Any:
        if coords and isinstance(coords[0], (int, float)):
            return [round(coords[0], decimals), round(coords[1], decimals)]
        return [rounded(c) for c in coords]

    features = []
    for feature in collection["features"]:
        geometry = polygonal(shape(feature["geometry"])).simplify(tolerance, preserve_topology=True)
        geo = mapping(geometry)
        features.append({
            "type": "Feature",
            "geometry": {"type": geo["type"], "coordinates": rounded(geo["coordinates"])},
            "properties": {k: feature["properties"].get(k) for k in ("statcode", "statnaam", "gemeentecode")},
        })
    return {"type": "FeatureCollection", "features": features}


def payload_bytes(collection: dict[str, Any]) -> int:
    """What a map sends to the browser for these shapes, in bytes of JSON."""
    return len(json.dumps(collection, separators=(",", ":")).encode())
