"""`python -m dashboard cbs refresh` against recorded CBS StatLine (OData v3) responses, and offline."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard import cli
from dashboard.analysis.suppression import suppress
from dashboard.cbs import TableSpec, fetch_table, parse_value
from dashboard.settings import load_settings
from dashboard.store import Store

from .recorded_server import RECORDED, RecordedServer

ROUTES = {f"/ODataApi/odata/{file.parent.name}/{file.stem}": file for file in (RECORDED / "cbs").glob("*/*.json")}


@pytest.fixture
def database(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cbs.sqlite'}"
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    return url


def refresh(capsys: pytest.CaptureFixture[str], base: str, *extra: str) -> tuple[int, str]:
    code = cli.main(["cbs", "refresh", "--bron", base, *extra])
    out, err = capsys.readouterr()
    return code, out + err


def cbs_rows(url: str) -> pd.DataFrame:
    frame = Store(url).observations()
    return frame[frame["source"].str.startswith("CBS StatLine")]


def value(frame: pd.DataFrame, indicator: str, area: str, period: str) -> pd.Series:
    return frame[(frame["indicator_id"] == indicator) & (frame["area_code"] == area) & (frame["period"] == period)]


def test_refresh_stores_each_table_as_a_dataset_with_cbs_markers_respected(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        code, text = refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2024")
    # The wijk tables of other years are skipped by --jaar; the gemeente tables have all years in one table.
    assert code == 0, text
    assert "85984NED (2024): 27 cijfers opgeslagen" in text
    assert "85098NED (alle): 14 cijfers opgeslagen" in text
    assert "71486NED (alle): 3 cijfers opgeslagen" in text
    rows = cbs_rows(database)
    # Wijk figures keyed by CBS code, with the table as source.
    centrum = value(rows, "kinderen_0_14_aantal", "WK037500", "2024")
    assert centrum["value"].tolist() == [1105.0] and centrum["source"].tolist() == ["CBS StatLine 85984NED"]
    assert value(rows, "jongeren_jeugdzorg_aantal", "WK037500", "2024")["value"].tolist() == [210.0]
    # "." is suppressed by CBS: not stored, certainly not as 0.
    assert value(rows, "huishoudens_met_kinderen_aantal", "WK037501", "2024").empty
    assert value(rows, "jongeren_jeugdreclassering_pct", "GM0396", "2024").empty
    assert "door CBS afgeschermd" in text
    # "-" is CBS's nihil: zero.
    assert value(rows, "jongeren_jeugdreclassering_pct", "GM0375", "2024")["value"].tolist() == [0.0]
    # Provisional (voorlopig) and definitive years are marked as such.
    assert value(rows, "jongeren_jeugdhulp_pct", "GM0375", "2024")["note"].tolist() == ["Voorlopig cijfer (CBS)"]
    assert value(rows, "jongeren_jeugdhulp_pct", "GM0375", "2023")["note"].isna().all()
    assert value(rows, "jongeren_jeugdhulp_pct", "GM0375", "2024")["value"].tolist() == [12.6]
    # One-parent households per municipality, every year the table has.
    assert value(rows, "eenouderhuishoudens_aantal", "GM0375", "2025")["value"].tolist() == [1495.0]
    # Every municipality is fetched (Amsterdam too, in no policy framework); buurten are not part of the dashboard.
    assert value(rows, "jongeren_jeugdhulp_pct", "GM0363", "2024")["value"].notna().all()
    assert not rows["area_code"].isin(["BU03750000"]).any()
    # Small wijk counts from CBS are treated like any other: never shown, nor the percentage resting on them.
    shown = suppress(rows, load_settings().privacy_threshold)
    small = value(shown, "jongeren_jeugdzorg_aantal", "WK037501", "2024")
    assert small["suppressed"].tolist() == [True] and small["value"].isna().all()
    small_pct = value(shown, "jongeren_jeugdzorg_pct", "WK037501", "2024")
    assert small_pct["suppressed"].tolist() == [True] and small_pct["value"].isna().all()
    # The only other wijk with this percentage is hidden too: with the municipality's count known, the small
    # one would otherwise follow by subtraction.
    assert value(shown, "jongeren_jeugdzorg_pct", "WK037500", "2024")["suppressed_reason"].tolist() == ["bescherming"]
    assert value(shown, "kinderen_0_14_aantal", "WK037500", "2024")["value"].tolist() == [1105.0]
    # A percentage whose count CBS hid cannot be checked: it is not stored at all.
    assert value(rows, "jongeren_jeugdzorg_pct", "WK037502", "2024").empty
    # Every table is traceable to its CBS table and keeps the raw answers as its original file.
    store = Store(database)
    datasets = store.datasets()
    cbs = datasets[datasets["kind"] == "cbs"]
    refreshed = cbs[cbs["created_by"] == "cbs refresh"]
    assert sorted(refreshed["source_file"].str.rsplit("/", n=1).str[-1]) == ["71486NED", "85098NED", "85984NED"]
    name, content = store.original_file(int(refreshed["id"].iloc[0]))
    assert name.endswith(".json") and b"TableInfos" in content
    # The recorded 85984NED that ships with the product is replaced (withdrawn, not deleted) by the refresh;
    # the recorded 2019 table, which this refresh did not fetch, stays.
    shipped = cbs[cbs["created_by"] != "cbs refresh"]
    shipped = shipped.set_index(shipped["source_file"].str.rsplit("/", n=1).str[-1])
    assert shipped.loc["85984NED", "status"] == "withdrawn" and shipped.loc["84583NED", "status"] == "active"


def test_other_dimensions_are_read_at_their_total_and_half_years_are_left_out(catalog) -> None:
    from dashboard.net import get_json

    spec = TableSpec(name="Testtabel", title_contains="jeugdzorg", tables={"alle": "99999NED"},
                     topics={"JongerenMetJeugdhulp": "jongeren_jeugdzorg_aantal"})
    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        result = fetch_table("99999NED", "alle", spec, {c: catalog.areas[c] for c in ("GM0375", "GM0396")}, get_json,
                             server.url + "/ODataApi/odata")
    beverwijk = {row["period"]: row["value"] for row in result.rows if row["area_code"] == "GM0375"}
    # "Totaal 0 tot 23 jaar", not the 0-17 row (1200); 2025 1e halfjaar is not a year.
    assert beverwijk == {"2023": 1295.0, "2024": 1340.0}


def test_a_percentage_without_the_count_it_rests_on_is_not_fetched(catalog) -> None:
    from dashboard.net import get_json

    spec = TableSpec(name="Kerncijfers wijken en buurten", title_contains="wijken en buurten",
                     tables={"2024": "85984NED"}, topics={"PercentageJongerenMetJeugdzorg": "jongeren_jeugdzorg_pct"},
                     numerators={"PercentageJongerenMetJeugdzorg": "JongerenMetJeugdzorgEnWmo"})
    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        result = fetch_table("85984NED", "2024", spec, {"WK037500": catalog.areas["WK037500"]}, get_json,
                             server.url + "/ODataApi/odata")
    assert result.rows == []
    assert result.skipped_topics == ["onderwerp ‘PercentageJongerenMetJeugdzorg’ zonder het aantal "
                                     "‘JongerenMetJeugdzorgEnWmo’ waarop het berust (nodig voor de privacyregel)"]


def test_a_second_refresh_with_the_same_figures_changes_nothing(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2024")
        code, text = refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2024")
    assert code == 0 and text.count("ongewijzigd sinds dataset") == 3, text
    assert (Store(database).datasets()["created_by"] == "cbs refresh").sum() == 3


def test_unknown_years_are_reported_and_the_rest_still_refreshed(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        code, text = refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2023", "--jaar", "2024")
    # 85618NED (2023) is not in the recording: the server answers 404 for it.
    assert code == 1
    assert "Overgeslagen: " in text and "85618NED" in text
    assert "85984NED (2024): 27 cijfers opgeslagen" in text


def test_offline_the_stored_figures_stay(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2024")
        base = server.url + "/ODataApi/odata"
    before = cbs_rows(database)
    code, text = refresh(capsys, base, "--jaar", "2024")  # the server is gone now
    assert code == 1
    assert "CBS StatLine is niet bereikbaar" in text and "blijven staan" in text
    pd.testing.assert_frame_equal(cbs_rows(database), before)


def test_a_table_whose_title_does_not_match_is_refused(catalog) -> None:
    spec = TableSpec(name="Kerncijfers wijken en buurten", title_contains="wijken en buurten",
                     tables={"2024": "85098NED"}, topics={"AantalInwoners": "inwoners_aantal"})
    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        from dashboard.cbs import CbsTableError
        from dashboard.net import get_json

        with pytest.raises(CbsTableError, match="heet ‘Indicatoren jeugdzorg in natura; gemeenten’"):
            fetch_table("85098NED", "2024", spec, {"GM0375": catalog.areas["GM0375"]}, get_json,
                        server.url + "/ODataApi/odata")


@pytest.mark.parametrize(("cell", "expected"), [("   1295", 1295.0), ("  12.5", 12.5), ("      .", None),
                                                ("x", None), ("-", 0.0), ("", None), (None, None)])
def test_cbs_cells_are_read_with_their_markers(cell: str | None, expected: float | None) -> None:
    assert parse_value(cell) == expected


def test_provisional_figures_are_marked_in_chart_table_and_source_line(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from dashboard.views.charts import trend_chart
    from dashboard.views.widgets import display_table, source_line

    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2024")
    rows = cbs_rows(database)
    frame = rows[(rows["indicator_id"] == "jongeren_jeugdhulp_pct") & (rows["area_code"] == "GM0375")]
    table = display_table(frame.assign(suppressed=False))
    assert table.set_index("Periode").loc["2024", "Toelichting"] == "Voorlopig cijfer (CBS)"
    assert table.set_index("Periode").loc["2023", "Toelichting"] == ""
    assert "voorlopig cijfer (CBS)" in source_line(frame)
    spec = trend_chart(frame, "Jongeren met jeugdhulp in natura", "percent").to_dict()
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    assert "voorlopig" in points["encoding"]["fill"]["condition"]["test"]
    statuses = {row["period"]: row["status"] for rows_ in spec["datasets"].values() for row in rows_ if "status" in row}
    assert statuses == {"2023": "", "2024": "voorlopig"}


def test_cbs_wijk_figures_reach_the_wijk_map_with_small_numbers_hidden(
    app_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from .conftest import open_page, page_text, run_app

    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2024")
    at = open_page(run_app({"gemeente": "GM0375", "indicator": "jongeren_jeugdzorg_pct", "vergelijk": "perioden"}),
                   "app_pages/wijken.py")
    assert not at.exception, at.exception
    assert at.session_state["indicator"] == "jongeren_jeugdzorg_pct"
    properties = {f["properties"]["statcode"]: f["properties"]
                  for f in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]["data"]["features"]}
    # WK037501's percentage rests on 5 young people: not shown, on the map or in the table.
    assert properties["WK037501"]["waarde"] == "te klein om te tonen"
    # Centrum is the only other wijk with this figure: it is hidden too, or Vondelkwartier would follow from
    # the municipality's count.
    assert properties["WK037500"]["waarde"] == "verborgen om een klein aantal te beschermen"
    assert "12,4" not in at.get("deck_gl_json_chart")[0].proto.json
    table = at.dataframe[0].value
    # Both maps show 2024 (the only year): the table lists each wijk once.
    assert sorted(table["Wijk"]) == ["Centrum", "Vondelkwartier"]
    assert table.set_index("Wijk").loc["Vondelkwartier", "Waarde"] == "te klein om te tonen"
    # One year of figures: the page says that comparing two periods shows the same map twice.
    assert "alleen cijfers over 2024: beide kaarten tonen hetzelfde" in page_text(at)
    # Traceable to the CBS table.
    assert "CBS StatLine 85984NED" in page_text(at)


def test_each_table_is_fetched_from_its_own_service(seeded_store: Store, catalog, tmp_path) -> None:
    from dashboard.cbs import load_specs, refresh

    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        tables = tmp_path / "tabellen.yaml"
        tables.write_text(
            "tables:\n"
            "  - name: Indicatoren jeugdzorg in natura\n"
            "    title_contains: jeugdzorg\n"
            f"    service: {server.url}/ODataApi/odata/\n"
            "    tables: {alle: 85098NED}\n"
            "    topics:\n"
            "      - {topic: JongerenMetJeugdhulpInNatura, indicator: jongeren_jeugdhulp_pct}\n",
            encoding="utf-8")
        lines, complete = refresh(seeded_store, catalog, load_specs(tables, catalog))
    assert complete, lines
    assert len(lines) == 1 and "85098NED (alle): 5 cijfers opgeslagen" in lines[0]
    # The dataset names the service it came from.
    cbs = seeded_store.datasets().query("created_by == 'cbs refresh'")
    assert cbs["source_file"].tolist() == [f"{server.url}/ODataApi/odata/85098NED"]


def test_a_wijk_code_with_another_name_is_linked_by_name_or_left_out(
    database: str, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    # An older table, from before a redrawing of the wijken: CBS's WK037500 is what the boundaries call
    # Oranjebuurt (WK037502), and CBS's WK037502 is a wijk the boundaries do not have.
    members = json.loads((RECORDED / "cbs" / "85984NED" / "WijkenEnBuurten.json").read_text(encoding="utf-8"))
    titles = {"WK037500": "Wijk 00 Oranjebuurt", "WK037502": "Wijk 02 Nieuwe Meer"}
    for member in members["value"]:
        member["Title"] = titles.get(member["Key"].strip(), member["Title"])
    redrawn = tmp_path / "WijkenEnBuurten.json"
    redrawn.write_text(json.dumps(members), encoding="utf-8")
    routes = {**ROUTES, "/ODataApi/odata/85984NED/WijkenEnBuurten": redrawn}
    with RecordedServer(routes, origin="https://opendata.cbs.nl") as server:
        code, text = refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2024")
    assert code == 0, text
    assert "wijk WK037500 (‘Wijk 00 Oranjebuurt’) is op naam gekoppeld aan WK037502 van de wijkgrenzen" in text
    assert ("wijk WK037502 heet bij CBS ‘Wijk 02 Nieuwe Meer’ en in de wijkgrenzen ‘Oranjebuurt’; "
            "niet opgeslagen") in text
    rows = cbs_rows(database)
    # CBS's WK037500 figures are stored under the wijk that carries that name; nothing under the old code.
    assert value(rows, "kinderen_0_14_aantal", "WK037502", "2024")["value"].tolist() == [1105.0]
    assert value(rows, "kinderen_0_14_aantal", "WK037500", "2024").empty
    # Same name, same code: as before.
    assert value(rows, "kinderen_0_14_aantal", "WK037501", "2024")["value"].tolist() == [290.0]


def test_refresh_for_one_municipality_fetches_only_it_and_keeps_the_others(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with RecordedServer(ROUTES, origin="https://opendata.cbs.nl") as server:
        code, text = refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2024")
        assert code == 0, text
        before = len(server.requests)
        code, text = refresh(capsys, server.url + "/ODataApi/odata", "--jaar", "2024", "--gemeenten", "GM0396")
        asked = [query.get("$filter", "") for path, query in server.requests[before:]
                 if path.endswith("UntypedDataSet")]
    assert code == 0, text
    assert asked and all("GM0396" in f and "GM0375" not in f and "WK0375" not in f for f in asked)
    assert "85098NED (alle): 5 cijfers opgeslagen" in text
    datasets = Store(database).datasets()
    scoped = datasets[datasets["source_file"].str.endswith("?gemeenten=GM0396")]
    assert len(scoped) == 2 and (scoped["status"] == "active").all()  # 85098NED and 71486NED
    assert scoped["name"].str.contains("voor GM0396").all()
    # The earlier refresh of all municipalities is not superseded by one for Heemskerk alone.
    assert (datasets[datasets["source_file"].str.endswith("/85098NED")]["status"] == "active").all()
    rows = cbs_rows(database)
    assert set(rows.loc[rows["dataset_id"].isin(scoped["id"]), "area_code"]) == {"GM0396"}
    assert not value(rows, "jongeren_jeugdhulp_pct", "GM0375", "2024").empty


def test_refresh_for_an_unknown_municipality_is_refused(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = refresh(capsys, "http://127.0.0.1:9/ODataApi/odata", "--gemeenten", "GM9999")
    assert code == 2 and "Onbekende gemeente- of regiocode(s): GM9999" in text
