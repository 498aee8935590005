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
    assert items[0]["bbox"] == "4.45,52.15,5.4,53.25" and items[1]["cursor"] == "Ad8AbQ"
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
