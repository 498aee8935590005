"""A link someone shares opens the same view, on any page, in a fresh browser."""

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


def wait_for_app(page) -> None:
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_load_state("networkidle")


def test_deep_link_to_a_page_keeps_navigation_filters_and_framework(app_url, page) -> None:
    page.goto(f"{app_url}/hefboom_kpi?kader=regiovisie-2021")
    wait_for_app(page)
    page.get_by_text("Afbouw jeugdhulpPlus").first.wait_for(state="attached", timeout=30_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_text("Beleidskader").is_visible()
    assert sidebar.get_by_text("Regiovisie 2021").first.is_visible()
    # The navigation follows the framework from the link: its five goals, not the default five themes.
    assert sidebar.get_by_text("Zo thuis mogelijk").is_visible()
    assert "kader=regiovisie-2021" in page.url
    screenshot(page, "kpi_regiovisie")


def test_theme_link_opens_the_theme_with_its_figures(app_url, page) -> None:
    page.goto(f"{app_url}/thema-gezonde-levensstijl?gemeente=GM0453")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Jeugdigen hebben een gezonde levensstijl"
    page.get_by_text("0-meting 17,4% (2015)").first.wait_for(timeout=30_000)
    assert "gemeente=GM0453" in page.url
    screenshot(page, "thema_gezonde_levensstijl")


def test_a_status_count_on_the_overview_opens_the_kpis_with_that_status(app_url, page) -> None:
    # Visit the KPI page first, so that its filter already has a value in this session.
    page.goto(f"{app_url}/hefboom_kpi")
    wait_for_app(page)
    page.get_by_text("Status").first.wait_for(timeout=30_000)
    page.locator("[data-testid='stSidebar']").get_by_text("Overzicht").first.click()
    page.get_by_text("Hoe staan de doelen ervoor in Beverwijk?").wait_for(timeout=30_000)
    metric = page.locator("[data-testid='stColumn']").filter(has_text="Kwalitatief, zie notities").first
    metric.get_by_text("Toon deze doelen").click()
    page.wait_for_url("**/hefboom_kpi?*kpi_status=*", timeout=30_000)
    page.wait_for_load_state("networkidle")
    chosen = page.locator("[data-testid='stMultiSelect'] span[data-tag]").locator("visible=true")
    chosen.first.wait_for(timeout=30_000)
    assert [t.strip() for t in chosen.all_inner_texts()] == ["kwalitatief, zie notities"]
    screenshot(page, "kpi_gefilterd_vanuit_overzicht")
