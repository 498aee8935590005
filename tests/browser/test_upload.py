"""A staff member uploads an export through the page: login, preview, save."""

import re

import pytest

from dashboard.ingest.example import build_example_export

from .conftest import log_in_on_gegevens, screenshot

pytestmark = pytest.mark.browser


def test_staff_uploads_the_example_export_after_a_preview(app_url, page, catalog, tmp_path) -> None:
    export = tmp_path / "voorbeeld-beverwijk.xlsx"
    export.write_bytes(build_example_export(catalog, "GM0375"))
    log_in_on_gegevens(page, app_url)
    # The upload box states the app's own limit (DASHBOARD_UPLOAD_MAX_MB, 20), not Streamlit's 200 MB.
    figures_box = page.get_by_role("region", name="Kies een .xlsx- of .csv-bestand")
    assert "20MB" in figures_box.inner_text().replace(" ", "")  # the region is the drop zone itself
    # Gegevens has two uploaders (figures and a policy framework): take the one for figures.
    figures_box.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(export))
    page.get_by_text("Voorbeeld van wat wordt opgeslagen").wait_for(timeout=30_000)
    page.get_by_text("gemarkeerd als voorbeelddata (fictief)").wait_for()
    screenshot(page, "upload_voorbeeld")
    datasets_before = page.locator("[data-testid='stMetricValue']").first.inner_text()
    page.get_by_role("button", name="Opslaan").click()
    saved = page.get_by_text(re.compile(r"Opgeslagen als dataset \d+ ‘voorbeeld-beverwijk’ met 33 cijfers"))
    saved.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    # The page shows the new state at once: the message above the counters, one dataset more, listed below.
    metric = page.locator("[data-testid='stMetricValue']").first
    assert int(metric.inner_text()) == int(datasets_before) + 1
    assert saved.bounding_box()["y"] < metric.bounding_box()["y"]
    assert page.get_by_text("voorbeeld-beverwijk", exact=True).count() >= 1
    assert page.get_by_role("button", name="Opslaan").count() == 0  # the upload box is empty again
    screenshot(page, "upload_opgeslagen")
    # The log of logins, imports and withdrawals is on the same page for the logged-in staff member.
    page.get_by_role("heading", name="Logboek").scroll_into_view_if_needed()
    screenshot(page, "upload_logboek")


def test_a_statline_export_shows_the_mapping_step(app_url, page, tmp_path) -> None:
    from tests.test_upload_mapping import STATLINE

    export = tmp_path / "statline.csv"
    export.write_text(STATLINE, encoding="utf-8")
    log_in_on_gegevens(page, app_url)
    page.get_by_role("region", name="Kies een .xlsx- of .csv-bestand").get_by_test_id(
        "stFileUploaderDropzoneInput").set_input_files(str(export))  # the data uploader, not the plan's
    page.get_by_text("Nog 3 namen te koppelen").wait_for(timeout=30_000)
    page.get_by_text("Gebieden", exact=True).scroll_into_view_if_needed()
    screenshot(page, "upload_koppelen")


def test_staff_upload_a_policy_plan_and_see_the_pages_it_creates_first(app_url, page, catalog, tmp_path) -> None:
    from ..plan_files import ZAANSTAD_PLAN, fill_template

    plan = tmp_path / "zaanstad.xlsx"
    plan.write_bytes(fill_template(catalog, ZAANSTAD_PLAN))
    log_in_on_gegevens(page, app_url)
    page.get_by_role("region", name="Kies een ingevuld sjabloon").get_by_test_id(
        "stFileUploaderDropzoneInput").set_input_files(str(plan))
    page.get_by_text("Voorbeeld: Jeugdplan Zaanstad 2024-2027 (oefenplan)").wait_for(timeout=30_000)
    page.get_by_text("Opgave: Gezond").wait_for()
    screenshot(page, "kader_voorbeeld")
    page.get_by_role("button", name="Kader opslaan").click()
    page.get_by_text("opgeslagen als versie 1").wait_for(timeout=30_000)
    screenshot(page, "kader_opgeslagen")
