"""Shared links carry every choice; presentation mode shows one slide per screen without controls."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.catalog.models import Catalog
from dashboard.markdown_text import escape
from dashboard.presentations import PresentationError, load_presentation
from dashboard.sharing import share_url

from .conftest import ROOT, open_page, open_theme, page_text, run_app

START = {"weergave": "presentatie", "presentatie": "raadsavond-ijmond", "kader": "ijmond-2018-2021",
         "gemeente": "GM0375"}


def run_page(query: dict[str, str], page: str) -> AppTest:
    """Open a link straight on `page`, as a browser does (run_app first runs the default page)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    return at.switch_page(page).run()


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
    at = run_page({**START, "stap": "2"}, "app_pages/presentatie.py")
    assert at.title[0].value == "Jeugdigen hebben een gezonde levensstijl"
    assert "dia 2 van 6" in page_text(at)
    at.button(key="dia_volgende").click().run()
    assert at.query_params["stap"] in ("3", ["3"])
    assert at.title[0].value == "Jeugdigen met jeugdhulp (regio)"
    assert "Zuid-Kennemerland en IJmond: " in page_text(at)  # the key message, written from the data
    at.button(key="dia_vorige").click().run()
    assert at.title[0].value == "Jeugdigen hebben een gezonde levensstijl"


def test_presentation_mode_has_no_sidebar_and_no_controls(app_env: str) -> None:
    at = run_page({**START, "stap": "5"}, "app_pages/presentatie.py")
    assert "IJmond: grens overschreden met € 47.042 in 2020, onafgebroken sinds 2018." in page_text(at)
    assert not at.sidebar.selectbox and not at.code  # no filters, no share box
    theme = open_theme(run_app({"weergave": "presentatie"}), "gezonde-levensstijl")
    assert "dia 1 van" in page_text(theme)  # a theme page is a sequence of views
    for _ in range(6):  # the theme, four goals, the overweight figures; then the comparison chart
        theme.button(key="dia_volgende").click().run()
        assert not theme.toggle and not theme.get("download_button") and not theme.selectbox
        assert not [b for b in theme.button if b.label == "Voeg toe aan presentatie"]
    assert theme.title[0].value == "Overgewicht (incl. obesitas) 5-14 jaar: vergeleken, 2015"
    assert theme.get("vega_lite_chart")


def test_pages_with_filters_show_no_controls_on_the_big_screen(app_env: str) -> None:
    at = run_page({"weergave": "presentatie", "indicator": "maatregel_pct"}, "app_pages/vergelijken.py")
    assert not at.selectbox and at.title[0].value.startswith("Jeugdigen met een kinderbeschermingsmaatregel")
    at = run_page({"weergave": "presentatie", "kpi_status": "geen nieuwe meting"}, "app_pages/hefboom_kpi.py")
    assert not at.selectbox and not at.multiselect
    assert set(at.table[0].value.index) == {"geen nieuwe meting"}  # the link's filter still applies


def test_leaving_presentation_mode_keeps_page_framework_and_municipality(app_env: str) -> None:
    at = run_page({"weergave": "presentatie", "kader": "regiovisie-2021", "gemeente": "GM0453",
                   "presentatie": "regiovisie-2021", "stap": "2"}, "app_pages/presentatie.py")
    at.button(key="dia_verlaten").click().run()
    assert at.title[0].value == "Presenteren"  # the same page, in the normal view
    assert at.sidebar.selectbox(key="kader").value == "regiovisie-2021"
    assert at.sidebar.selectbox(key="gemeente").value == "GM0453"
    assert "weergave" not in at.query_params


def test_every_shipped_presentation_opens_every_slide(app_env: str, catalog: Catalog) -> None:
    from dashboard.presentations import load_presentations

    presentations = load_presentations(catalog)
    assert {p.framework_id for p in presentations.values()} == set(catalog.frameworks)  # one per framework
    for presentation in presentations.values():
        for step in range(1, len(presentation.slides) + 1):
            at = run_page({"weergave": "presentatie", "presentatie": presentation.id, "stap": str(step),
                           "kader": presentation.framework_id, "gemeente": presentation.municipality},
                          "app_pages/presentatie.py")
            assert not at.exception, (presentation.id, step, at.exception)
            text = page_text(at)
            assert f"dia {step} van {len(presentation.slides)}" in text
            assert "geen nieuwe meting:" not in text and "metingen bij" not in text, (presentation.id, step)


def test_a_goals_slide_without_new_measurement_says_what_is_known(app_env: str) -> None:
    at = run_page({**START, "stap": "2"}, "app_pages/presentatie.py")
    text = page_text(at)
    assert "Voor Beverwijk is er nog geen meting na de 0-meting" in text
    assert "Overgewicht (incl. obesitas) 5-14 jaar (Beverwijk): 0-meting 17,4% (2015)" in text
    assert "norm: Het percentage jeugdigen met overgewicht blijft gelijk of daalt" in text
    assert "volgende meting: Emovo (tweejaarlijks)" in text


def test_an_unknown_step_falls_back_to_the_first_with_a_notice(app_env: str) -> None:
    at = run_page({**START, "stap": "99"}, "app_pages/presentatie.py")
    assert "dia 1 van 6" in page_text(at)
    assert "De keuze ‘99’ voor ‘stap’ in de link bestaat niet (meer)" in page_text(at)


def test_views_added_in_the_app_become_an_own_presentation(app_env: str) -> None:
    at = open_theme(run_app(), "gezonde-levensstijl")
    at.button(key="dia_trend_overgewicht_5_14_pct").click().run()
    at.button(key="dia_vergelijk_overgewicht_5_14_pct").click().run()
    at = open_page(at, "app_pages/presentatie.py")
    assert "1. " + escape("Overgewicht (incl. obesitas) 5-14 jaar: door de tijd") in page_text(at)  # a title, not an id
    start = next(b for b in at.get("link_button") if b.proto.label == "Start eigen presentatie").proto.url
    assert "presentatie=eigen" in start and "dia=trend%3Aovergewicht_5_14_pct" in start
    assert "dia=vergelijking%3Aovergewicht_5_14_pct" in start
    shared = run_page({"weergave": "presentatie", "presentatie": "eigen", "stap": "2",
                       "dia": "vergelijking:overgewicht_5_14_pct"}, "app_pages/presentatie.py")
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
    from dashboard.settings import load_settings
    from dashboard.sources import read_document
    from dashboard.views.passages import clean_passage

    figures = store.observations()
    figures = figures[figures["quote"].notna() & figures["document"].notna()]
    texts = {doc: read_document(load_settings().seeds_path, doc) for doc in figures["document"].unique()}
    if not any(texts.values()):
        pytest.skip("de tekst van de beleidsdocumenten is hier niet beschikbaar (DASHBOARD_SEEDS_PATH)")
    readable = [int(r.id) for r in figures.itertuples()
                if texts[r.document] and clean_passage(texts[r.document], r.quote)]
    target = readable[-1]  # not the one a document shows first
    at = open_page(run_app({"passage": str(target)}), "app_pages/bronnen.py")
    chosen = [s.value for s in at.selectbox if s.key and s.key.startswith("passage_")]
    assert target in chosen

    at = open_page(run_app(), "app_pages/wijken.py")
    options = at.selectbox(key="nh_indicator").options
    at.selectbox(key="nh_indicator").select_index(len(options) - 1).run()
    assert at.query_params["nh_indicator"] in (at.selectbox(key="nh_indicator").value,
                                               [at.selectbox(key="nh_indicator").value])


def test_a_map_slide_shows_noord_holland_by_municipality(app_env: str) -> None:
    import json

    at = run_page({**START, "stap": "6"}, "app_pages/presentatie.py")
    assert at.title[0].value == "Jeugdigen 0-24 jaar per gemeente"
    assert "dia 6 van 6" in page_text(at)
    decks = at.get("deck_gl_json_chart")
    features = json.loads(decks[0].proto.json)["layers"][0]["data"]["features"]
    valued = [f["properties"]["statnaam"] for f in features if f["properties"]["waarde"] != "geen gegevens"]
    assert "Beverwijk" in valued
