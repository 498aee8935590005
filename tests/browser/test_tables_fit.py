"""The goal table on KPI's en informatie is read on a 1920x1080 screen without scrolling sideways."""

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("framework_id", ["ijmond-2018-2021", "ijmond-2023-2027", "regiovisie-2021",
                                          "transformatieplan-2018-2020", "alkmaar-2025"])
def test_the_kpi_table_shows_every_column_at_1920_without_scrolling_sideways(app_url, page, framework_id) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/hefboom_kpi?kader={framework_id}")
    page.wait_for_selector("h1", timeout=60_000)
    grid = page.locator("[data-testid='stDataFrame'] .dvn-scroller").first
    grid.wait_for(timeout=60_000)
    page.get_by_text("Toelichting", exact=True).first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(1000)  # the grid measures its columns after its first frame
    scroll_width, client_width = grid.evaluate("e => [e.scrollWidth, e.clientWidth]")
    screenshot(page, f"kpi_tabel_{framework_id}")
    assert scroll_width <= client_width, f"de tabel is {scroll_width - client_width} px breder dan het scherm"
