"""Every page renders from the store and shows real figures (AppTest, no browser)."""

from __future__ import annotations

import pytest

from .conftest import open_page, open_theme, page_text, run_app

PAGES = {
    "app_pages/overzicht.py": ("Overzicht", "Kerncijfers Beverwijk"),
    "app_pages/hefboom_cultuur.py": ("Cultuur en gedeelde waarden", "Wij separeren niet"),
    "app_pages/hefboom_regels.py": ("Regels, kaders en randvoorwaarden", "onafgebroken sinds 2019"),
    "app_pages/hefboom_kpi.py": ("KPI's en informatie", "regels · bron van de doelen"),
    "app_pages/hefboom_leren.py": ("Leren en verbeteren", "Buurtgezinnen"),
    "app_pages/vergelijken.py": ("Vergelijken", "Overgewicht (incl. obesitas) 5-14 jaar, 2015"),
    "app_pages/wijken.py": ("Wijken", "CBS, Kerncijfers wijken en buurten 2024 (85984NED)"),
    "app_pages/gegevens.py": ("Gegevens", "Cijfers uit het Beleidsplan Jeugd IJmond 2018-2021"),
    "app_pages/bronnen.py": ("Bronnen", "Beleidsplan Jeugd IJmond 2018-2021 \"Opgroeien in de IJmond\""),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_with_its_title_and_real_content(app_env, page: str) -> None:
    at = open_page(run_app(), page)
    assert not at.exception, at.exception
    title, content = PAGES[page]
    assert at.title[0].value == title
    assert content in page_text(at)


@pytest.mark.parametrize("theme_id", ["opgroeiklimaat", "gezonde-levensstijl", "talent", "veilige-omgeving",
                                      "passende-jeugdhulp"])
def test_every_theme_of_the_default_framework_renders(app_env, theme_id: str) -> None:
    at = open_theme(run_app(), theme_id)
    assert not at.exception, at.exception
    assert "Ambitie." in page_text(at)


def test_every_theme_of_every_framework_renders(app_env, catalog) -> None:
    for framework in catalog.frameworks.values():
        at = run_app({"kader": framework.id})
        for theme in framework.themes:
            at = open_theme(at, theme.id)
            assert not at.exception, (framework.id, theme.id, at.exception)
            assert at.title[0].value == theme.name
            assert framework.name in page_text(at)


def test_overweight_goal_shows_the_beverwijk_baseline_and_status(app_env) -> None:
    at = open_theme(run_app(), "gezonde-levensstijl")
    text = page_text(at)
    assert at.title[0].value == "Jeugdigen hebben een gezonde levensstijl"
    assert "**Beverwijk** · Overgewicht (incl. obesitas) 5-14 jaar: 0-meting 17,4% (2015)" in text
    assert "Alleen de 0-meting is bekend: 17,4% (2015). Er is nog geen nieuwe meting." in text
    assert "Het aantal jeugdigen dat wel eens denkt aan zelfdoding daalt van 17% naar 15%." in text


def test_goal_without_readable_baseline_says_why(app_env) -> None:
    at = open_theme(run_app(), "gezonde-levensstijl")
    text = page_text(at)
    assert "Het document verwijst voor de 0-meting naar figuur 6" in text
    assert "niet leesbaar" in text


def test_headline_figures_follow_the_chosen_municipality(app_env) -> None:
    at = run_app({"gemeente": "GM0453"})
    text = page_text(at)
    assert "Kerncijfers Velsen" in text
    assert "Jeugdigen 0-24 jaar, 2017: 18.813" in text  # each figure with its own year


def test_framework_from_the_link_sets_themes_and_municipality(app_env) -> None:
    at = run_app({"kader": "alkmaar-2025"})
    text = page_text(at)
    assert "Kerncijfers Alkmaar" in text
    assert at.query_params["kader"] == ["alkmaar-2025"] or at.query_params["kader"] == "alkmaar-2025"
    at = open_theme(at, "wat-valt-op")
    assert at.title[0].value == "Wat valt op in Alkmaar"
    assert "Eenoudergezinnen" in page_text(at)


def test_unknown_framework_in_the_link_falls_back_with_a_notice(app_env) -> None:
    at = run_app({"kader": "bestaat-niet"})
    assert not at.exception
    assert "bestaat niet (meer)" in page_text(at)
    assert "Beleidsplan Jeugd IJmond 2018-2021" in page_text(at)


def test_kpi_page_puts_attention_first_and_filters_by_status(app_env) -> None:
    at = open_page(run_app({"kader": "regiovisie-2021"}), "app_pages/hefboom_kpi.py")
    table = at.dataframe[0].value
    assert "op koers" in set(table["status"])
    jeugdzorgplus = table[table["doel"] == "Afbouw jeugdhulpPlus"].iloc[0]
    assert jeugdzorgplus["status"] == "op koers"
    assert "-26%" in jeugdzorgplus["toelichting"]
    at.multiselect(key="kpi_status").set_value(["kwalitatief, zie notities"]).run()
    assert set(at.dataframe[0].value["status"]) == {"kwalitatief, zie notities"}


def test_kansencirkel_element_shows_its_goals_with_status(app_env) -> None:
    at = open_page(run_app(), "app_pages/hefboom_cultuur.py")
    at.segmented_control(key="element").set_value("Gezond").run()
    text = page_text(at)
    assert "Minder jeugdigen hebben overgewicht" in text
    assert at.query_params["element"] in ("Gezond", ["Gezond"])


def test_comparison_ranks_municipalities_with_the_region(app_env) -> None:
    at = open_page(run_app(), "app_pages/vergelijken.py")
    at.toggle(key="tabel_vergelijken_overgewicht_5_14_pct").set_value(True).run()
    table = at.dataframe[0].value
    assert list(table["Gebied"])[:3] == ["Beverwijk", "Velsen", "Heemskerk"]
    assert "Kennemerland" in set(table["Gebied"])
    assert table.iloc[0]["Waarde"] == "17,4%"


def test_a_qualitative_goal_points_to_the_notes_instead_of_empty_figures(app_env) -> None:
    at = open_theme(run_app(), "passende-jeugdhulp")
    text = page_text(at)
    assert "Dit doel heeft geen cijfermatige norm; het wordt kwalitatief gevolgd (zie de notities)." in text
    assert "· : 0-meting" not in text  # no figure line without an indicator
    assert any(link.proto.label == "Notities en verhalen (Leren en verbeteren)" for link in at.get("page_link"))
