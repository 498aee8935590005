"""Wijk maps: boundaries, joining values by code and name, and small numbers never on a map or table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.analysis.maps import SUPPRESSED_COLOR, join_values, scale_for
from dashboard.analysis.suppression import suppress
from dashboard.geo import BoundaryError, payload_bytes, read_boundaries, simplified, wijken_of
from dashboard.ingest.example import build_example_export
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import load_settings
from dashboard.store import Store

from .conftest import open_page, page_text, run_app

GEO = load_settings().geo_path


def wijken_beverwijk() -> dict:
    return wijken_of(read_boundaries(GEO, "wijken"), "GM0375")


def test_missing_and_corrupt_boundary_files_give_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match="geen grenzenbestand voor wijken"):
        read_boundaries(tmp_path, "wijken")
    (tmp_path / "wijken_2023.geojson").write_text("{kapot")
    with pytest.raises(BoundaryError, match=r"wijken_2023\.geojson is geen geldige GeoJSON"):
        read_boundaries(tmp_path, "wijken")
    (tmp_path / "gemeenten_2023.gpkg").write_bytes(b"geen geopackage")
    with pytest.raises(BoundaryError, match=r"gemeenten_2023\.gpkg is geen leesbaar GeoPackage"):
        read_boundaries(tmp_path, "gemeenten")
    with pytest.raises(BoundaryError, match="geen map met gebiedsgrenzen"):
        read_boundaries(None, "wijken")
    with pytest.raises(BoundaryError, match="bestaat niet"):
        read_boundaries(tmp_path / "weg", "wijken")


def test_a_cbs_geopackage_in_rijksdriehoek_is_read_in_wgs84_with_cbs_names(tmp_path: Path) -> None:
    """The CBS download (wijkenbuurten_JJJJ_v1.gpkg, EPSG:28992, layers wijken/gemeenten) works as it is."""
    import geopandas
    from shapely.geometry import box

    wijken = geopandas.GeoDataFrame(
        {"wijkcode": ["WK037500", "WK037599"], "wijknaam": ["Centrum", "Water"],
         "gemeentecode": ["GM0375", "GM0375"], "gemeentenaam": ["Beverwijk", "Beverwijk"],
         "water": ["NEE", "JA"]},
        geometry=[box(104000, 499000, 105000, 500000), box(100000, 499000, 101000, 500000)], crs=28992,
    )
    wijken.to_file(tmp_path / "wijkenbuurten_2024_v1.gpkg", layer="wijken")
    (tmp_path / "wijken_2023.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))

    collection = read_boundaries(tmp_path, "wijken")  # 2024 is newer than 2023

    assert [f["properties"] for f in collection["features"]] == [
        {"statcode": "WK037500", "statnaam": "Centrum", "gemeentecode": "GM0375", "gemeentenaam": "Beverwijk"}
    ]  # the water-only wijk is left out
    lon, lat = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert 4.5 < lon < 4.8 and 52.4 < lat < 52.6  # Beverwijk, not metres
    with pytest.raises(BoundaryError, match="geen laag ‘gemeenten’"):
        read_boundaries(tmp_path, "gemeenten")


def test_simplified_wijken_of_one_municipality_stay_small() -> None:
    shapes = simplified(wijken_beverwijk())
    assert len(shapes["features"]) == 11
    assert payload_bytes(shapes) < 300_000
    assert payload_bytes(shapes) <= payload_bytes(wijken_beverwijk())


def rows(values: dict[str, tuple[float, float | None]], by: str = "code") -> pd.DataFrame:
    shapes = {f["properties"]["statcode"]: f["properties"]["statnaam"] for f in wijken_beverwijk()["features"]}
    frame = pd.DataFrame([
        {"indicator_id": "jeugdhulp_pct", "area_code": code, "area_name": shapes[code], "area_level": "wijk",
         "unit": "percent", "value": value, "numerator": numerator, "denominator": 100.0, "period": "2023",
         "source": "test"}
        for code, (value, numerator) in values.items()
    ])
    shown = suppress(frame, threshold=10)
    return shown if by == "code" else shown.assign(area_code="?")


@pytest.mark.parametrize("by", ["code", "name"])
def test_values_join_to_wijken_by_code_or_name(by: str) -> None:
    frame = rows({"WK037500": (12.5, 12.0), "WK037501": (4.0, 4.0), "WK037503": (10.0, 10.0)}, by=by)
    joined = join_values(wijken_beverwijk(), frame, "percent", scale_for(frame))
    props = {f["properties"]["statcode"]: f["properties"] for f in joined["features"]}
    assert props["WK037500"]["waarde"] == "12,5%"
    assert props["WK037501"]["waarde"] == "te klein om te tonen"
    assert props["WK037501"]["kleur"] == SUPPRESSED_COLOR
    # The next smallest wijk is hidden too, or the small one would follow from the municipality's total.
    assert props["WK037503"]["waarde"] == "verborgen om een klein aantal te beschermen"
    assert props["WK037503"]["kleur"] == SUPPRESSED_COLOR
    assert props["WK037502"]["waarde"] == "geen gegevens"
    assert "4,0" not in json.dumps(joined) and ": 4.0" not in json.dumps(joined)


def test_out_of_the_box_two_maps_of_real_cbs_figures_and_noord_holland(app_env) -> None:
    """A fresh store (only what ships in data/) shows two wijk maps and the map of all 44 NH municipalities."""
    at = open_page(run_app({"gemeente": "GM0375"}), "app_pages/wijken.py")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    text = page_text(at)
    assert "geen cijfers" not in text.lower() and "nog geen" not in text.lower()
    decks = [json.loads(d.proto.json)["layers"][0]["data"]["features"] for d in at.get("deck_gl_json_chart")]
    assert len(decks) == 3
    left, right, noord_holland = decks
    # Two different indicators (one CBS year), each of Beverwijk's 11 wijken with a figure or hidden as small.
    assert at.session_state["vergelijk"] == "indicatoren"
    assert at.session_state["indicator"] != at.session_state["indicator2"]
    for features in (left, right):
        assert len(features) == 11
        assert all(f["properties"]["waarde"] != "geen gegevens" for f in features)
        assert any(f["properties"]["waarde"][0].isdigit() for f in features)
    # Every map says where its figures and shapes come from.
    assert text.count("CBS, Kerncijfers wijken en buurten 2024 (85984NED)") >= 3
    assert text.count("Bron: CBS, Kadaster") >= 3
    # Noord-Holland: its 44 municipalities (not all of the Netherlands), each with a real figure.
    assert len(noord_holland) == 44
    assert {f["properties"]["statcode"] for f in noord_holland} >= {"GM0363", "GM0375", "GM0479"}
    assert all(f["properties"]["waarde"][0].isdigit() for f in noord_holland)


def test_wijken_page_without_wijk_data_says_what_is_needed(app_env, catalog) -> None:
    from dashboard.ingest.seed import load_shipped_data

    store = Store(app_env)
    load_shipped_data(store, catalog)
    datasets = store.datasets()
    for dataset_id in datasets.loc[datasets["source_file"].str.endswith("/85984NED"), "id"]:
        store.set_dataset_status(int(dataset_id), "withdrawn")  # the only figures per wijk that ship
    at = open_page(run_app(), "app_pages/wijken.py")
    assert "Er zijn nog geen cijfers per wijk" in page_text(at)
    # No (empty) wijk map; the Noord-Holland map of municipal figures is still there.
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    features = json.loads(decks[0].proto.json)["layers"][0]["data"]["features"]
    assert features and all(f["properties"]["statcode"].startswith("GM") for f in features)


def test_wijken_page_shows_two_maps_and_never_a_small_number(app_env, catalog) -> None:
    store = Store(app_env)
    from dashboard.ingest.seed import load_shipped_data

    load_shipped_data(store, catalog)
    plan = plan_import("voorbeeld.xlsx", build_example_export(catalog, "GM0375"), catalog, store,
                       load_settings(), "")
    commit_import(plan, store, "voorbeeld", "tester")
    small = [r for r in plan.rows if r["numerator"] is not None and r["numerator"] < 10]
    assert small, "the example export should contain small wijken"

    at = open_page(run_app({"vergelijk": "perioden", "indicator": small[0]["indicator_id"]}), "app_pages/wijken.py")
    assert not at.exception, at.exception
    maps = at.get("deck_gl_json_chart")
    assert len(maps) == 3  # two wijk maps side by side, and Noord-Holland
    table = at.dataframe[0].value
    assert "te klein om te tonen" in set(table["Waarde"])
    assert "voorbeelddata (fictief)" in page_text(at)
    shown_periods = {at.session_state["periode"], at.session_state["periode2"]}
    features = {}
    for deck in maps[:2]:
        spec = json.loads(deck.proto.json)
        period = spec["layers"][0]["data"]["features"][0]["properties"].get("periode")
        for feature in spec["layers"][0]["data"]["features"]:
            features[(feature["properties"]["statcode"], period)] = feature["properties"]
    table_values = {(r["Wijk"], r["Periode"]): r["Waarde"] for _, r in table.iterrows()}
    checked = 0
    for row in small:
        if row["period"] not in shown_periods:
            continue
        props = features[(row["area_code"], row["period"])]
        assert props["waarde"] == "te klein om te tonen", props
        assert table_values[(catalog.areas[row["area_code"]].name, row["period"])] == "te klein om te tonen"
        checked += 1
    assert checked
    # Older period left, newer right; every wijk named on the map; no developer lines for the reader.
    from dashboard.analysis.periods import sort_key

    left, right = (json.loads(d.proto.json)["layers"] for d in maps[:2])
    left_period = next(f["properties"]["periode"] for f in left[0]["data"]["features"] if f["properties"]["periode"])
    right_period = next(f["properties"]["periode"] for f in right[0]["data"]["features"] if f["properties"]["periode"])
    assert sort_key(left_period) < sort_key(right_period)
    assert "{statnaam}" in json.loads(maps[0].proto.tooltip)["html"]  # the wijk's name on hover
    names = {f["properties"]["statnaam"] for f in left[0]["data"]["features"]}
    assert {r["Wijk"] for _, r in table.iterrows()} <= names  # and in the table, by name
    assert "Kaartgegevens naar de browser" not in page_text(at)
    # Example data is marked on every page, also where it is not itself shown.
    kpi = open_page(at, "app_pages/hefboom_kpi.py")
    assert "Dit dashboard toont ook voorbeelddata (fictief): voorbeeld." in page_text(kpi)


def test_texts_in_the_map_tooltip_are_escaped() -> None:
    frame = rows({"WK037500": (12.5, 12.0)})
    frame["source"] = "<img src=x onerror=alert(1)>"
    joined = join_values(wijken_beverwijk(), frame, "percent", scale_for(frame))
    props = next(f["properties"] for f in joined["features"] if f["properties"]["statcode"] == "WK037500")
    assert props["bron"] == "&lt;img src=x onerror=alert(1)&gt;"


def test_the_legend_of_a_count_map_has_whole_numbers_and_only_classes_in_the_data() -> None:
    from dashboard.views.maps import legend_entries

    counts = [176.0, 180.0, 12264.0]  # three wijken: two small, one large
    entries = legend_entries(scale_for(pd.DataFrame({"value": counts})), "count", counts)
    labels = [text for text, _ in entries]
    assert labels == ["176–180", "12.264", "te klein om te tonen of ter bescherming verborgen",
                      "geen gegevens"]  # 2 of 5 classes used
    assert not any("," in text for text in labels)


def test_legend_ranges_are_short_with_the_unit_once_in_the_title() -> None:
    """'290–351' under 'Legenda (per 1.000 inwoners)' instead of '290,3 per 1.000 – 351,1 per 1.000' (cut off
    beside the map); rounded only as far as neighbouring classes stay apart and close to their edges."""
    from dashboard.views.maps import legend_entries, legend_title

    rates = [290.3, 320.0, 594.4]
    labels = [t for t, _ in legend_entries(scale_for(pd.DataFrame({"value": rates})), "per_1000", rates)]
    assert labels[:2] == ["290–351", "534–594"] and legend_title("per_1000") == "Legenda (per 1.000 inwoners)"
    close = [15.1, 15.4, 15.8]  # a narrow spread keeps a decimal, else every class would read "15–16%"
    labels = [t for t, _ in legend_entries(scale_for(pd.DataFrame({"value": close})), "percent", close)]
    assert labels[:3] == ["15,10–15,24%", "15,38–15,52%", "15,66–15,80%"], labels
    changes = [-20.0, 20.0]
    labels = [t for t, _ in legend_entries(scale_for(pd.DataFrame({"value": changes})), "percent_change", changes)]
    assert labels[:2] == ["-20 tot -12%", "+12 tot +20%"], labels


def test_the_map_per_municipality_is_of_the_chosen_municipalitys_province(app_env, monkeypatch) -> None:
    """Utrecht (GM0344) as the deployment's municipality: the map per municipality shows the province
    Utrecht and its heading says so, not 'Noord-Holland'."""
    monkeypatch.setenv("DASHBOARD_GEMEENTE", "GM0344")
    at = open_page(run_app({"gemeente": "GM0344"}), "app_pages/wijken.py")
    assert not at.exception, at.exception
    headings = [h.value for h in at.header]
    assert "Gemeenten in Utrecht" in headings and "Gemeenten in Noord-Holland" not in headings, headings
    province = [json.loads(d.proto.json)["layers"][0]["data"]["features"] for d in at.get("deck_gl_json_chart")][-1]
    codes = {f["properties"]["statcode"] for f in province}
    assert "GM0344" in codes and "GM0375" not in codes  # Utrecht's municipalities, not Beverwijk's province


def test_map_outlines_are_a_one_pixel_band_inside_each_area_and_the_json_is_compact() -> None:
    """No deck.gl line layer (its shaders cost a browser without a GPU about a second per map): the outline is
    a band inside each area, about one pixel at the map's zoom, under the area's own tooltip."""
    import math

    from shapely.geometry import shape

    from dashboard.views.maps import OUTLINE_COLOR, choropleth

    shapes = simplified(wijken_beverwijk())
    frame = rows({"WK037500": (12.5, 12.0)})
    deck = choropleth(join_values(shapes, frame, "percent", scale_for(frame)), zoom=11.2)
    text = deck.to_json()
    assert "\n" not in text and ": " not in text  # no indentation: a third of the size
    fill, outline = json.loads(text)["layers"]
    assert not fill.get("stroked") and not outline.get("stroked")
    assert fill["pickable"] and not outline["pickable"]  # a pointer on a border gets the area's tooltip
    assert outline["getFillColor"] == OUTLINE_COLOR
    metres_per_pixel = 156_543.03 * math.cos(math.radians(52.49)) / 2 ** 11.2
    for area, band in zip(fill["data"]["features"], outline["data"]["features"], strict=True):
        area_shape, band_shape = shape(area["geometry"]), shape(band["geometry"])
        assert band_shape.difference(area_shape.buffer(1e-4)).is_empty  # inside the area (5-decimal rounding)
        assert 0 < band_shape.area < area_shape.area
        # The band's width: its area over the area's perimeter, in metres (longitude scaled by latitude).
        lat_m, lon_m = 111_320, 111_320 * math.cos(math.radians(52.49))
        width = band_shape.area * lat_m * lon_m / (area_shape.length * (lat_m + lon_m) / 2)
        assert 0.5 * metres_per_pixel < width < 1.6 * metres_per_pixel, (area["properties"]["statnaam"], width)
