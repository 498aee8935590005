"""The mapping step on Gegevens defines a new indicator (name and description typed) or a new area (name, kind,
municipality); the preview shows the result before Opslaan, user text shows as text, and the next file from
the same source needs no mapping."""

from __future__ import annotations

import pytest

from dashboard.catalog.loader import load_catalog
from dashboard.settings import load_settings
from dashboard.store import Store

from .conftest import open_page
from .conftest import page_text as escaped_page_text
from .test_gegevens_page import staff_env  # noqa: F401 - the fixture is used by name
from .test_upload_mapping import STATLINE, TOPIC_COUNT, TOPIC_PCT
from .test_upload_mapping_new import NEW_WIJK, wijk_file
from .test_upload_page import choice, logged_in, page_text, upload


def opslaan(at):
    return next(b for b in at.button if b.label == "Opslaan")


def widget(at, kind: str, label: str):
    return next(w for w in getattr(at, kind) if w.label == label)


@pytest.mark.usefixtures("staff_env")
def test_a_new_wijk_is_defined_previewed_hidden_as_small_stored_and_remembered() -> None:
    catalog = load_catalog(geo_path=load_settings().geo_path)
    text = wijk_file(catalog)
    at = upload(logged_in(), "wijken.csv", text.encode("utf-8"))
    at.text_input(key="upload_bron").input("GGD").run()
    areas = choice(at, NEW_WIJK)
    assert "Nieuw gebied met deze naam" in [areas.format_func(o) for o in areas.options]
    areas.set_value("__nieuw__").run()
    assert not at.exception, at.exception
    assert widget(at, "text_input", "Naam van het nieuwe gebied").value == NEW_WIJK  # prefilled
    widget(at, "text_input", "Naam van het nieuwe gebied").input("Broekpolder [klik](https://x.nl)").run()
    assert "De naam kan zo niet worden opgeslagen: de naam van het gebied mag alleen letters, cijfers, spaties " \
           "en - ' . , ( ) / bevatten (niet ‘:’ ‘[’ ‘]’)." in page_text(at)
    assert not [b for b in at.button if b.label == "Opslaan"]
    widget(at, "text_input", "Naam van het nieuwe gebied").input(NEW_WIJK).run()
    assert widget(at, "selectbox", "Soort").value == "wijk"
    # The municipality of the closest known wijk names (Broekpolder lies in Beverwijk) is suggested.
    assert widget(at, "selectbox", "Gemeente").value == "GM0375"
    widget(at, "selectbox", "Gemeente").set_value("").run()
    assert "Kies de gemeente waar de wijk in ligt." in page_text(at)
    assert not [b for b in at.button if b.label == "Opslaan"]
    widget(at, "selectbox", "Gemeente").set_value("GM0375").run()
    assert not at.exception, at.exception
    text_shown = page_text(at)
    assert "Nieuwe gebieden uit de koppeling: Broekpolder-Noord (EW0375_BROEKPOLDER_NOORD, wijk van Beverwijk)." \
        in text_shown
    preview = at.dataframe[0].value
    row = preview[preview.iloc[:, :].astype(str).apply(lambda r: NEW_WIJK in " ".join(r), axis=1)]
    assert len(row) == 1 and "te klein om te tonen" in " ".join(row.astype(str).iloc[0])  # 4: hidden as any wijk
    opslaan(at).click().run()
    assert not at.exception, at.exception
    assert "Opgeslagen als dataset" in page_text(at)
    settings = load_settings()
    [area] = Store(settings.database_url).defined_areas()
    assert (area.code, area.parent) == ("EW0375_BROEKPOLDER_NOORD", "GM0375")

    # The pages know the wijk: Bronnen counts it among the dataset's wijken, the Wijken page opens.
    at = open_page(at, "app_pages/bronnen.py")
    assert not at.exception, at.exception
    summaries = [d.value for d in at.dataframe if "Gebieden" in d.value.columns]
    uithuis = [f for f in summaries if "Uithuisplaatsingen" in set(f["Indicator"])]
    assert any(f.loc[f["Indicator"] == "Uithuisplaatsingen", "Gebieden"].item() == "4 wijken, 1 gemeenten"
               for f in uithuis), uithuis
    at = open_page(at, "app_pages/wijken.py")
    assert not at.exception, at.exception
    widget(at, "selectbox", "Indicator").set_value("uithuisplaatsingen_aantal").run()
    assert not at.exception, at.exception
    [table] = [d.value for d in at.dataframe if "Wijk" in d.value.columns]
    row = table[table["Wijk"] == NEW_WIJK]  # no boundaries, so not on the map, but in the table below it
    assert len(row) == 1 and "te klein om te tonen" in " ".join(row.astype(str).iloc[0]), table
    # The next file from the same source: no mapping step.
    at = upload(logged_in(), "wijken-2024.csv", wijk_file(catalog, 12, "2024").encode("utf-8"))
    at.text_input(key="upload_bron").input("GGD").run()
    assert "Koppelen" not in page_text(at) and opslaan(at)


@pytest.mark.usefixtures("staff_env")
def test_a_new_indicator_gets_a_typed_name_and_description_shown_as_text() -> None:
    at = upload(logged_in(), "statline.csv", STATLINE.encode("utf-8"))
    at.text_input(key="upload_bron").input("CBS StatLine").run()
    choice(at, TOPIC_PCT).set_value("jeugdhulp_pct_tot_18").run()
    choice(at, "Noord-Holland").set_value("-").run()
    choice(at, TOPIC_COUNT).set_value("__nieuw__").run()
    assert not at.exception, at.exception
    name = widget(at, "text_input", "Naam van de nieuwe indicator")
    description = widget(at, "text_area", "Omschrijving")
    assert name.value == TOPIC_COUNT and description.value == TOPIC_COUNT  # prefilled with the topic's name
    assert opslaan(at)  # with the prefilled texts the file can be stored
    name.input("Jeugd\x07bescherming").run()
    assert "De naam kan zo niet worden opgeslagen: de naam van de indicator bevat het stuurteken U+0007" \
        in page_text(at)
    assert not [b for b in at.button if b.label == "Opslaan"]
    hostile = "Jeugdbescherming [klik](https://x.nl) :red[R]"
    widget(at, "text_input", "Naam van de nieuwe indicator").input(hostile).run()
    widget(at, "text_area", "Omschrijving").input("").run()
    assert "De omschrijving ontbreekt." in page_text(at)
    widget(at, "text_area", "Omschrijving").input("Aantal jongeren met **jeugdbescherming**.").run()
    assert not at.exception, at.exception
    shown = escaped_page_text(at)
    # The preview's notice names the new indicator as typed, as text (no link, no colour).
    assert "Nieuwe indicatoren uit de koppeling\\: Jeugdbescherming \\[klik\\](https\\:\u2060//x.nl) \\:red\\[R\\]" \
        in shown
    opslaan(at).click().run()
    assert not at.exception, at.exception
    stored = {i.name: i for i in Store(load_settings().database_url).indicators()}
    assert stored[hostile].description == \
        "Aantal jongeren met **jeugdbescherming**."
