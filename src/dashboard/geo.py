"""CBS wijk and municipality boundaries, read from the configured path (never copied into the repo).

The folder holds, per kind (`wijken`, `gemeenten`), a GeoJSON or GeoPackage file named after the
year of the boundaries: `wijken_2023.geojson`, `gemeenten_2024.gpkg`, or the CBS download
`wijkenbuurten_2024_v1.gpkg` with the layers `wijken` and `gemeenten`. The newest year is used.
Properties are normalised to `statcode`, `statnaam` (and `gemeentecode` for wijken), whether the
file uses CBS's short names or the PDOK/GeoPackage names (`wijkcode`, `wijknaam`, ...).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

ATTRIBUTION = "Bron: CBS, Kadaster (CC-BY 4.0)"
KINDS = ("wijken", "gemeenten")
_CODE_FIELD = {"wijken": "wijkcode", "gemeenten": "gemeentecode"}
_NAME_FIELD = {"wijken": "wijknaam", "gemeenten": "gemeentenaam"}


class BoundaryError(ValueError):
    """The boundary file is missing or cannot be read; the message says which and why."""


def missing_wijken_help(name: str, gemeentecode: str) -> str:
    """What to do when a municipality's wijk boundaries are not there yet (Markdown, for the Wijken page)."""
    return (
        f"Zo komen de wijken van {name} op de kaart:\n\n"
        f"1. **Met internet:** `python -m dashboard geo download --gemeenten {gemeentecode}` haalt de wijk- en "
        "gemeentegrenzen bij PDOK (CBS, Kadaster) en voegt ze toe aan de map met grenzen (DASHBOARD_GEO_PATH); "
        "de wijken van andere gemeenten blijven staan.\n"
        "2. **Zonder internet:** zet de CBS Wijk- en Buurtkaart (bijvoorbeeld `wijkenbuurten_2024_v1.gpkg`, of "
        "`wijken_2024.geojson` met de wijken van de gemeente) in die map en zet DASHBOARD_GEO_PATH daarop.\n"
        "3. Start het dashboard opnieuw; daarna kunnen cijfers per wijk (wijkcode WK…) worden ingelezen op de "
        f"pagina Gegevens, of opgehaald met `python -m dashboard cbs refresh --gemeenten {gemeentecode}`."
    )


def boundary_file(geo_path: Path, kind: str) -> tuple[Path, str | None]:
    """The newest boundary file of this kind in the folder, with the GeoPackage layer to read (or None)."""
    if kind not in KINDS:
        raise ValueError(kind)
    found: list[tuple[int, int, Path, str | None]] = []
    for path in geo_path.iterdir() if geo_path.is_dir() else []:
        own = re.fullmatch(rf"{kind}_(\d{{4}})\.(geojson|json|gpkg)", path.name, re.IGNORECASE)
        cbs = re.fullmatch(r"wijkenbuurten_(\d{4})(_v\d+)?\.gpkg", path.name, re.IGNORECASE)
        if own:
            is_gpkg = own.group(2).lower() == "gpkg"
            found.append((int(own.group(1)), 0 if is_gpkg else 1, path, kind if is_gpkg else None))
        elif cbs:
            found.append((int(cbs.group(1)), -1, path, kind))
    if not found:
        raise BoundaryError(f"In {geo_path} staat geen grenzenbestand voor {kind} "
                            f"(verwacht bijvoorbeeld {kind}_2023.geojson of {kind}_2023.gpkg); "
                            "haal het op met: python -m dashboard geo download.")
    _year, _rank, path, layer = max(found, key=lambda item: (item[0], item[1]))
    return path, layer


def read_boundaries(geo_path: Path | None, kind: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection in WGS84 with normalised properties; water-only areas left out."""
    if geo_path is None:
        raise BoundaryError("Er is geen map met gebiedsgrenzen ingesteld (DASHBOARD_GEO_PATH).")
    if not geo_path.is_dir():
        raise BoundaryError(f"De map met gebiedsgrenzen {geo_path} bestaat niet.")
    path, layer = boundary_file(geo_path, kind)
    collection = _read_geopackage(path, layer) if layer else _read_geojson(path)
    return normalised(collection, kind, path)


def _read_geojson(path: Path) -> dict[str, Any]:
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"Het grenzenbestand {path} is geen geldige GeoJSON: {exc}") from exc
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" \
            or not isinstance(collection.get("features"), list):
        raise BoundaryError(f"Het grenzenbestand {path} is geen GeoJSON FeatureCollection.")
    return collection


def _read_geopackage(path: Path, layer: str) -> dict[str, Any]:
    import pyogrio

    try:
        layers = {name for name, _geometry in pyogrio.list_layers(path)}
        if layer not in layers:
            raise BoundaryError(f"Het GeoPackage {path} heeft geen laag ‘{layer}’ "
                                f"(wel: {', '.join(sorted(layers)) or 'geen'}).")
        frame = pyogrio.read_dataframe(path, layer=layer)
    except BoundaryError:
        raise
    except Exception as exc:  # pyogrio raises several error types for unreadable files
        raise BoundaryError(f"Het grenzenbestand {path} is geen leesbaar GeoPackage: {exc}") from exc
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return json.loads(frame.to_json(drop_id=True))


def normalised(collection: dict[str, Any], kind: str, origin: Path | str = "") -> dict[str, Any]:
    """Same features with `statcode`/`statnaam` (and `gemeentecode`); water-only areas dropped."""
    features = []
    for number, feature in enumerate(collection["features"], start=1):
        props = feature.get("properties") or {}
        if str(props.get("water", "")).upper() == "JA":
            continue
        code = props.get("statcode") or props.get(_CODE_FIELD[kind])
        if not code or not feature.get("geometry"):
            raise BoundaryError(f"Het grenzenbestand {origin}: object {number} heeft geen CBS-code of geen vorm.")
        out = {
            "statcode": str(code),
            "statnaam": str(props.get("statnaam") or props.get(_NAME_FIELD[kind]) or code),
        }
        if kind == "wijken":
            out["gemeentecode"] = str(props.get("gemeentecode") or f"GM{str(code)[2:6]}")
            if props.get("gemeentenaam"):
                out["gemeentenaam"] = str(props["gemeentenaam"])
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": out})
    return {"type": "FeatureCollection", "features": features}


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

    features = []
    for feature in collection["features"]:
        geometry = polygonal(shape(feature["geometry"])).simplify(tolerance, preserve_topology=True)
        geo = mapping(geometry)
        features.append({
            "type": "Feature",
            "geometry": {"type": geo["type"], "coordinates": _rounded(geo["coordinates"], decimals)},
            "properties": {k: feature["properties"].get(k) for k in ("statcode", "statnaam", "gemeentecode")},
        })
    return {"type": "FeatureCollection", "features": features}


def border_bands(collection: dict[str, Any], zoom: float, pixels: float = 1.0, decimals: int = 5) -> dict[str, Any]:
    """Each area's border as a band `pixels` wide (at `zoom`) just inside the area (geometry only).

    Drawn as filled polygons over the areas, these are the map's outlines. deck.gl's own outlines are a line
    layer (PathLayer) whose shaders take a browser without a GPU about a second per map to prepare; a second
    polygon layer reuses the shaders of the first. The band is measured in metres (longitude scaled by the
    latitude), so it is as wide across as along; an area narrower than its band is drawn as band only.
    """
    from shapely import affinity
    from shapely.geometry import mapping, shape

    _lon, lat = center_of(collection)
    squash = math.cos(math.radians(lat))
    width = pixels * 156_543.03 * squash / 2 ** zoom / 111_320  # metres per pixel (web mercator) in degrees
    features = []
    for feature in collection["features"]:
        flat = affinity.scale(shape(feature["geometry"]), xfact=squash, origin=(0, 0))
        band = flat.difference(flat.buffer(-width, join_style="mitre", mitre_limit=2.0))
        geo = mapping(affinity.scale(band if not band.is_empty else flat, xfact=1 / squash, origin=(0, 0)))
        features.append({"type": "Feature", "properties": {},
                         "geometry": {"type": geo["type"], "coordinates": _rounded(geo["coordinates"], decimals)}})
    return {"type": "FeatureCollection", "features": features}


def _rounded(coords: Any, decimals: int) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], decimals), round(coords[1], decimals)]
    return [_rounded(c, decimals) for c in coords]


def payload_bytes(collection: dict[str, Any]) -> int:
    """What a map sends to the browser for these shapes, in bytes of JSON."""
    return len(json.dumps(collection, separators=(",", ":")).encode())
