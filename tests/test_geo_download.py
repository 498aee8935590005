"""`python -m dashboard geo download` against recorded PDOK responses, and offline."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.geo import read_boundaries

from .recorded_server import RECORDED, RecordedServer

PDOK = RECORDED / "pdok"
PREFIX = "/cbs/wijken-en-buurten-2024/ogc/v1"
ROUTES = {
    f"{PREFIX}/collections": PDOK / "collections.json",
    f"{PREFIX}/collections/wijken/items": PDOK / "wijken_items.json",
    f"{PREFIX}/collections/wijken/items?cursor=Ad8AbQ": PDOK / "wijken_items_cursor_Ad8AbQ.json",
    f"{PREFIX}/collections/gemeenten/items": PDOK / "gemeenten_items.json",
}


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_download_writes_the_newest_year_with_all_pages_and_without_water(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with RecordedServer(ROUTES, origin="https://api.pdok.nl") as server:
        code, out, err = run_cli(["geo", "download", "--map", str(tmp_path), "--gemeenten", "GM0375,GM0453",
                                  "--bron", server.url + "/cbs/wijken-en-buurten-{jaar}/ogc/v1"], capsys)
    assert code == 0, err
    # 2026 and 2025 answer 404 here; 2024 is the newest year the service has.
    assert "CBS-grenzen 2024 opgehaald" in out
    assert "Let op: geen wijken gevonden voor GM0453" in out
    wijken = read_boundaries(tmp_path, "wijken")
    assert {f["properties"]["statcode"]: f["properties"]["statnaam"] for f in wijken["features"]} == {
        "WK037500": "Centrum", "WK037501": "Wijk aan Zee"}  # page 2 followed; Heemskerk and water left out
    gemeenten = read_boundaries(tmp_path, "gemeenten")
    assert sorted(f["properties"]["statcode"] for f in gemeenten["features"]) == ["GM0375", "GM0396"]
    items = [query for path, query in server.requests if path.endswith("/wijken/items")]
    # Only the box around Beverwijk and Velsen (from the shipped municipality boundaries) is asked for.
    west, south, east, north = map(float, items[0]["bbox"].split(","))
    assert west < 4.6 and east > 4.67 and south < 52.45 and north > 52.49 and east - west < 0.4
    assert items[1]["cursor"] == "Ad8AbQ"
    assert not list(tmp_path.glob("*.part"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_offline_says_so_and_keeps_the_files_that_are_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "wijken_2024.geojson"
    existing.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    before = existing.read_bytes()
    code, _out, err = run_cli(["geo", "download", "--map", str(tmp_path), "--jaar", "2024", "--gemeenten", "GM0375",
                               "--bron", f"http://127.0.0.1:{free_port()}/{{jaar}}"], capsys)
    assert code == 1
    assert "De grenzen zijn niet opgehaald: Geen verbinding met 127.0.0.1" in err
    assert "blijven ongewijzigd" in err
    assert existing.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wijken_2024.geojson"]


def test_a_failure_halfway_replaces_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The wijken arrive, the gemeenten do not: neither file is written."""
    routes = {k: v for k, v in ROUTES.items() if "gemeenten" not in k}
    with RecordedServer(routes, origin="https://api.pdok.nl") as server:
        code, _out, err = run_cli(["geo", "download", "--map", str(tmp_path), "--jaar", "2024",
                                   "--bron", server.url + "/cbs/wijken-en-buurten-{jaar}/ogc/v1"], capsys)
    assert code == 1 and "404" in err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused_before_anything_is_fetched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_cli(["geo", "download", "--map", str(tmp_path / "weg"), "--jaar", "2024",
                               "--gemeenten", "GM0375", "--bron", "http://127.0.0.1:9/{jaar}"], capsys)
    assert code == 1 and "weg bestaat niet" in err


def write_collection(path: Path, features: list[dict]) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def square_feature(properties: dict, lon: float, lat: float, size: float) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def test_wijken_of_one_municipality_are_added_and_those_of_others_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--gemeenten GM0479`: only the box around Zaanstad is fetched; Beverwijk's wijken already there stay."""
    write_collection(tmp_path / "gemeenten_2023.geojson", [
        square_feature({"statcode": "GM0479", "statnaam": "Zaanstad"}, 4.79, 52.43, 0.04),
        square_feature({"statcode": "GM0375", "statnaam": "Beverwijk"}, 4.6, 52.45, 0.05)])
    write_collection(tmp_path / "wijken_2023.geojson", [
        square_feature({"statcode": "WK037500", "statnaam": "Centrum", "gemeentecode": "GM0375"}, 4.6, 52.45, 0.01),
        square_feature({"statcode": "WK047900", "statnaam": "Oud", "gemeentecode": "GM0479"}, 4.8, 52.44, 0.01)])
    zaanstad = PDOK / "zaanstad"
    routes = {f"{PREFIX}/collections/wijken/items?bbox=4.78,52.42,4.84,52.48": zaanstad / "wijken_items.json",
              f"{PREFIX}/collections/gemeenten/items?bbox=4.78,52.42,4.84,52.48": zaanstad / "gemeenten_items.json"}
    with RecordedServer(routes, origin="https://api.pdok.nl") as server:
        code, out, err = run_cli(["geo", "download", "--map", str(tmp_path), "--jaar", "2024", "--gemeenten", "gm0479",
                                  "--bron", server.url + "/cbs/wijken-en-buurten-{jaar}/ogc/v1"], capsys)
    assert code == 0, err
    assert "GM0479: 2 wijken" in out
    assert "1 wijken van andere gemeenten behouden uit wijken_2023.geojson" in out
    wijken = read_boundaries(tmp_path, "wijken")  # the newest year: 2024
    assert {f["properties"]["statcode"] for f in wijken["features"]} == {"WK047911", "WK047912", "WK037500"}
    gemeenten = read_boundaries(tmp_path, "gemeenten")
    assert sorted(f["properties"]["statcode"] for f in gemeenten["features"]) == ["GM0375", "GM0431", "GM0479"]


def test_an_unknown_municipality_code_is_refused_before_anything_is_fetched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_cli(["geo", "download", "--map", str(tmp_path), "--gemeenten", "GM9999",
                               "--bron", "http://127.0.0.1:9/{jaar}"], capsys)
    assert code == 2 and "Onbekende gemeente- of regiocode(s): GM9999" in err
    assert list(tmp_path.iterdir()) == []
