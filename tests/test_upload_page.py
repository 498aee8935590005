"""The upload on Gegevens: a StatLine export is mapped once, previewed and stored; the file is read once."""

from __future__ import annotations

import re

import pytest

from dashboard.ingest import reader

from .conftest import open_page, run_app
from .conftest import page_text as escaped_page_text
from .test_gegevens_page import PASSWORD, login, staff_env  # noqa: F401 - the fixture is used by name
from .test_upload_mapping import STATLINE, TOPIC_COUNT, TOPIC_PCT


def page_text(at) -> str:
    """The page as read: user text is shown escaped (a backslash before markdown characters)."""
    return escaped_page_text(at).replace("\\", "")


def logged_in():
    return login(open_page(run_app(), "app_pages/gegevens.py"), PASSWORD)


def upload(at, name: str, data: bytes):
    at.file_uploader(key="upload").set_value((name, data, "text/csv")).run()
    return at


def choice(at, raw: str):
    return next(s for s in at.selectbox if s.label.startswith(f"‘{raw}"))


@pytest.mark.usefixtures("staff_env")
def test_a_statline_export_is_mapped_previewed_stored_and_remembered() -> None:
    at = upload(logged_in(), "statline.csv", STATLINE.encode("utf-8"))
    at.text_input(key="upload_bron").input("CBS StatLine").run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert "Koppelen" in text and "Nog 3 namen te koppelen" in text
    assert not [b for b in at.button if b.label == "Opslaan"]
    choice(at, TOPIC_PCT).set_value("jeugdhulp_pct_tot_18").run()
    choice(at, TOPIC_COUNT).set_value("__nieuw__").run()
    assert "aantal" in [s.format_func(s.value) for s in at.selectbox if s.label == "Eenheid"]
    areas = choice(at, "Noord-Holland")
    assert "Beverwijk (GM0375)" in areas.options and "Niet inlezen" in areas.options
    assert areas.options[1] == "Noord-Holland (PV27)"  # the closest name first
    assert len(areas.options) < 1000  # municipalities and regions, not every wijk of the Netherlands
    areas.set_value("-").run()
    assert not at.exception, at.exception
    text = page_text(at)
    assert "Voorbeeld van wat wordt opgeslagen" in text and "Rijen: 4" in text
    assert "Niet ingelezen (gekoppeld aan ‘niet inlezen’): gebied ‘Noord-Holland (PV)’, 1 cijfer." in text
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert re.search(r"Opgeslagen als dataset \d+ ‘[^’]+’ met 4 cijfers;", page_text(at))

    later = STATLINE.replace("\"2020\";\"10,2\"", "\"2022\";\"10,9\"").replace("2021*", "2023")
    at = upload(logged_in(), "statline-2023.csv", later.encode("utf-8"))
    at.text_input(key="upload_bron").input("CBS StatLine").run()
    text = page_text(at)
    assert "Koppelen" not in text
    assert "3 koppelingen van eerdere bestanden met deze bron zijn toegepast." in text
    assert "Voorbeeld van wat wordt opgeslagen" in text


@pytest.mark.usefixtures("staff_env")
def test_the_file_is_read_once_per_upload_not_on_every_rerun(monkeypatch) -> None:
    calls = []
    real = reader.read_upload

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr("dashboard.views.upload.read_upload", counting)
    at = logged_in()
    upload(at, "statline.csv", STATLINE.encode("utf-8"))
    at.text_input(key="upload_naam").input("Jeugdhulp").run()
    at.run()
    choice(at, TOPIC_PCT).set_value("jeugdhulp_pct_tot_18").run()
    assert not at.exception, at.exception
    assert calls == ["statline.csv"]


@pytest.mark.usefixtures("staff_env")
def test_a_file_stored_meanwhile_by_someone_else_is_said_not_a_traceback() -> None:
    from dashboard.catalog.loader import load_catalog
    from dashboard.ingest.upload import commit_import, plan_import
    from dashboard.settings import load_settings
    from dashboard.store import Store

    data = b"indicator;gebied;periode;waarde\nmaatregel_pct;Velsen;2020;4\n"
    at = logged_in()
    upload(at, "maatregel.csv", data)
    assert [b for b in at.button if b.label == "Opslaan"]
    settings = load_settings()  # another app process, on the same database
    store = Store(settings.database_url)
    other = plan_import("maatregel.csv", data, load_catalog(geo_path=settings.geo_path), store, settings, "")
    other_id = commit_import(other, store, "collega", "Jan")
    next(b for b in at.button if b.label == "Opslaan").click().run()
    assert not at.exception, at.exception
    assert f"al eerder ingelezen als dataset {other_id}" in page_text(at)
