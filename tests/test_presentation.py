"""Shared links carry every choice; presentation mode shows one slide per screen without controls."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.catalog.models import Catalog
from dashboard.presentations import PresentationError, load_presentation
from dashboard.sharing import share_url

from .conftest import open_page, open_theme, page_text, run_app

START = {"weergave": "presentatie", "presentatie": "raadsavond-ijmond", "kader": "ijmond-2018-2021",
         "gemeente": "GM0375"}


def test_share_url_has_host_base_page_and_every_choice() -> None:
    pairs = [("gemeente", "GM0453"), ("tabel", "a"), ("tabel", "b"), ("status", "kwalitatief, zie notities")]
    assert share_url("https://jeugd.example.nl/vergelijken?x=1", "", "wijken", pairs) == (
        "https://jeugd.example.nl/wijken?gemeente=GM0453&tabel=a&tabel=b&status=kwalitatief%2C+zie+notities")
    assert share_url("https://gemeente.nl/jeugd/", "/jeugd", "", []) == "https://gemeente.nl/jeugd/"


def test_the_share_control_shows_the_link_of_this_view(app_env: str) -> None:
    at = open_page(run_app({"gemeente": "GM0453"}), "app_pages/vergelijken.py")
    link = next(c.value for c in at.code)
    assert link.startswith("/vergelijken?") and "gemeente=GM0453" in link and "indicator=" in link


def test_kpi_status_filter_and_table_choice_come_from_the_url(app_env: str) -> None:
    at = open_page(run_app({"kpi_status": "geen nieuwe meting"}), "app_pages/hefboom_kpi.py")
    assert at.multiselect(key="kpi_status").value == ["geen nieuwe meting"]
    assert set(at.dataframe[0].value["status"]) == {"geen nieuwe meting"}
    at.multiselect(key="kpi_status").set_value(["op koers", "aandacht nodig"]).run()
    assert at.query_params["kpi_status"] == ["op koers", "aandacht nodig"]

    at = open_page(run_app({"tabel": "vergelijken_overgewicht_5_14_pct", "indicator": "overgewicht_5_14_pct"}),
                   "app_pages/vergelijken.py")
    assert at.toggle(key="tabel_vergelijken_overgewicht_5_14_pct").value is True
    assert "Gebied" in at.dataframe[0].value.columns


def test_presentation_steps_with_the_step_in_the_url(app_env: str) -> None:
    at = open_page(run_app({**START, "stap": "2"}), "app_pages/presentatie.py")
    assert at.title[0].value == "Jeugdigen hebben een gezonde levensstijl"
    assert "dia 2 van 6" in page_text(at)
    at.button(key="dia_volgende").click().run()
    assert at.query_params["stap"] in ("3", ["3"])
    assert at.title[0].value == "Jeugdigen met jeugdhulp (regio)"
    assert "Zuid-Kennemerland en IJmond: " in page_text(at)  # the key message, written from the data
    at.button(key="dia_vorige").click().run()
    assert at.title[0].value == "Jeugdigen hebben een gezonde levensstijl"


def test_presentation_mode_has_no_sidebar_and_no_controls(app_env: str) -> None:
    at = open_page(run_app({**START, "stap": "5"}), "app_pages/presentatie.py")
    assert "IJmond: grens overschreden met € 47.042 in 2020, onafgebroken sinds 2018." in page_text(at)
    assert not at.sidebar.selectbox and not at.code  # no filters, no share box
    theme = open_theme(run_app({"weergave": "presentatie"}), "gezonde-levensstijl")
    assert not theme.toggle and not theme.get("download_button")
    assert not [b for b in theme.button if b.label == "Voeg toe aan presentatie"]
    assert theme.get("vega_lite_chart")


def test_an_unknown_step_falls_back_to_the_first_with_a_notice(app_env: str) -> None:
    at = open_page(run_app({**START, "stap": "99"}), "app_pages/presentatie.py")
    assert "dia 1 van 6" in page_text(at)
    assert "De keuze ‘99’ voor ‘stap’ in de link bestaat niet (meer)" in page_text(at)


def test_views_added_in_the_app_become_an_own_presentation(app_env: str) -> None:
    at = open_theme(run_app(), "gezonde-levensstijl")
    at.button(key="dia_trend_overgewicht_5_14_pct").click().run()
    at.button(key="dia_vergelijk_overgewicht_5_14_pct").click().run()
    at = open_page(at, "app_pages/presentatie.py")
    assert "1. trend: Overgewicht (incl. obesitas) 5-14 jaar" in page_text(at)
    start = next(b for b in at.get("link_button") if b.proto.label == "Start eigen presentatie").proto.url
    assert "presentatie=eigen" in start and "dia=trend%3Aovergewicht_5_14_pct" in start
    assert "dia=vergelijking%3Aovergewicht_5_14_pct" in start
    shared = open_page(run_app({"weergave": "presentatie", "presentatie": "eigen", "stap": "2",
                                "dia": "vergelijking:overgewicht_5_14_pct"}), "app_pages/presentatie.py")
    assert "dia 1 van 1" in page_text(shared)  # stap 2 does not exist in a one-slide presentation


def test_a_presentation_file_naming_an_unknown_indicator_is_refused(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "fout.yaml"
    path.write_text("titel: Fout\ndias:\n  - soort: trend\n    indicator: bestaat_niet\n", encoding="utf-8")
    with pytest.raises(PresentationError, match=r"fout\.yaml, dia 1: 'bestaat_niet' bestaat niet"):
        load_presentation(path, catalog)


def test_a_link_can_point_at_one_passage_and_one_map_choice(app_env: str, seeds_dir, catalog: Catalog) -> None:
    from dashboard.ingest.seed import load_shipped_data
    from dashboard.store import Store

    store = Store(app_env)
    load_shipped_data(store, catalog)
    figures = store.observations()
    target = figures[figures["quote"].notna()].iloc[5]
    at = open_page(run_app({"passage": str(int(target["id"]))}), "app_pages/bronnen.py")
    chosen = [s.value for s in at.selectbox if s.key and s.key.startswith("passage_")]
    assert int(target["id"]) in chosen

    at = open_page(run_app(), "app_pages/wijken.py")
    options = at.selectbox(key="nh_indicator").options
    at.selectbox(key="nh_indicator").select_index(len(options) - 1).run()
    assert at.query_params["nh_indicator"] in (at.selectbox(key="nh_indicator").value,
                                               [at.selectbox(key="nh_indicator").value])


def test_a_map_slide_shows_noord_holland_by_municipality(app_env: str) -> None:
    import json

    at = open_page(run_app({**START, "stap": "6"}), "app_pages/presentatie.py")
    assert at.title[0].value == "Jeugdigen 0-24 jaar per gemeente"
    assert "dia 6 van 6" in page_text(at)
    decks = at.get("deck_gl_json_chart")
    features = json.loads(decks[0].proto.json)["layers"][0]["data"]["features"]
    valued = [f["properties"]["statnaam"] for f in features if f["properties"]["waarde"] != "geen gegevens"]
    assert "Beverwijk" in valued
