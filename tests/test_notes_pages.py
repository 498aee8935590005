"""Tellen en vertellen: staff write notes; everyone sees them beside the chart, on it, per meeting, exported."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from docx import Document

from dashboard.analysis.goals import current_values
from dashboard.analysis.suppression import suppress
from dashboard.auth import hash_password
from dashboard.catalog.models import Catalog
from dashboard.note_export import meeting_docx, meeting_markdown
from dashboard.store import Store

from .conftest import open_page, open_theme, page_text, run_app

PASSWORD = "geheim-wachtwoord-123"
INJECTION = "Zie **dit** <img src=x onerror=alert(1)> [klik](https://kwaad.example) :red[rood]"


@pytest.fixture
def staff_env(app_env: str) -> str:
    store = Store(app_env)
    store.create_schema()
    for name in ("marieke", "jan"):
        store.add_user(name, hash_password(PASSWORD, n=16))  # a cheap scrypt cost, only for tests
    store.dispose()
    return app_env


def login(at, name: str = "marieke"):
    form_inputs = [t for t in at.text_input if t.label in ("Accountnaam", "Wachtwoord")]
    form_inputs[0].input(name)
    form_inputs[1].input(PASSWORD)
    return next(b for b in at.button if b.label == "Inloggen").click().run()


def write_note(at, text: str, indicator: str = "maatregel_pct", period: str = "2016",
               meeting: str = "OOGO 12 maart 2026"):
    at.selectbox(key="notitie_indicator").set_value(indicator).run()
    at.selectbox(key="periode_leren").set_value(period)
    at.text_input(key="nieuwe_bijeenkomst_leren").input(meeting)
    at.text_area(key="tekst_leren").input(text)
    return next(b for b in at.button if b.label == "Notitie opslaan").click().run()


def test_reading_is_open_writing_needs_a_login(app_env: str) -> None:
    at = open_page(run_app(), "app_pages/hefboom_leren.py")
    text = page_text(at)
    assert "Notities schrijven, aanpassen en intrekken is voor ingelogde medewerkers" in text
    assert not [b for b in at.button if b.label == "Notitie opslaan"]


def test_a_note_appears_in_its_meeting_with_its_figure_escaped_and_on_the_chart(staff_env: str) -> None:
    at = login(open_page(run_app(), "app_pages/hefboom_leren.py"))
    at = write_note(at, INJECTION)
    assert "De notitie is opgeslagen." in page_text(at)
    # The meeting view collects it, with the figure it refers to and its source.
    at = open_page(run_app({"bijeenkomst": "OOGO 12 maart 2026"}), "app_pages/hefboom_leren.py")
    text = page_text(at)
    assert "**1 notitie(s)** bij ‘OOGO 12 maart 2026’" in text
    assert "Cijfer: 4,6% in 2016 (bron\\: CBS (0-meting beleidsdoel 5.5)" in text  # ':' escaped, shown as ':'
    shown = next(m.value for m in at.markdown if "kwaad.example" in m.value)
    # Shown literally: no bold, image, link or colour directive reaches the renderer unescaped.
    assert "\\*\\*dit\\*\\*" in shown and "\\<img" in shown and "\\[klik\\]" in shown and "\\:red\\[" in shown
    # Beside the figure on its theme page (one measurement: a number card, so no line to mark) ...
    theme = open_theme(run_app(), "passende-jeugdhulp")
    assert any("kwaad.example" in m.value for m in theme.markdown)
    assert any(m.value.startswith("Er is één meting (2016)") for m in theme.markdown)
    # ... and as a marker on the trend chart once the indicator has a line.
    from dashboard.views.charts import note_markers

    notes = Store(staff_env).notes()
    assert note_markers(notes, ["2016", "2020"]).to_dict("records") == [
        {"periode": "2016", "label": "✎ 1", "notities": "marieke: " + INJECTION[:120]}]


def test_only_the_author_edits_and_withdraws_and_nothing_is_deleted(staff_env: str) -> None:
    at = login(open_page(run_app(), "app_pages/hefboom_leren.py"))
    at = write_note(at, "Eerste versie")
    note_id = int(Store(staff_env).notes()["id"].iloc[0])
    at.text_area(key=f"tekst_aanpassen_{note_id}").input("Tweede versie")
    at = next(b for b in at.button if b.label == "Opslaan").click().run()
    store = Store(staff_env)
    assert store.notes()["text"].tolist() == ["Tweede versie"]
    assert store.note_versions(note_id)["text"].tolist() == ["Eerste versie"]
    at = at.button(key=f"notitie_status_{note_id}").click().run()
    assert store.notes().empty and store.count("notes") == 1
    assert "~~ingetrokken~~ Tweede versie" in page_text(at)
    assert store.notes(include_withdrawn=True)["author"].tolist() == ["marieke"]  # the account, not a typed name
    # Another account gets no edit or withdraw controls for it, and the store refuses it too.
    other = login(open_page(run_app(), "app_pages/hefboom_leren.py"), name="jan")
    assert "Ingelogd als jan: wat u hier schrijft, staat op naam van dit account." in page_text(other)
    assert [b for b in other.button if b.label == "Notitie opslaan"]  # jan may write notes of his own
    assert "Mijn notities" not in page_text(other)
    assert not [b for b in other.button if b.key == f"notitie_status_{note_id}"]
    # No field to type an author in: the note form has only its meeting field (the cycle forms below have
    # their own title, period and source fields, none of them a name).
    labels = [t.label for t in other.text_input]
    assert "of een nieuwe bijeenkomst" in labels
    assert not [label for label in labels if "naam" in label.lower() or "auteur" in label.lower()]
    with pytest.raises(PermissionError):
        store.set_note_status(note_id, "jan", "active")


def test_meeting_export_in_markdown_and_word_has_the_notes_and_their_figures(
    seeded_store: Store, catalog: Catalog
) -> None:
    seeded_store.add_note(INJECTION, "Fatima", indicator_id="maatregel_pct", area_code="GM0375",
                          period="2016", meeting="Raad 2026")
    seeded_store.add_note("Algemeen verhaal van een ouder", "Fatima", meeting="Raad 2026", kind="verhaal")
    notes = seeded_store.notes()
    values = current_values(suppress(seeded_store.observations(), 10))
    markdown = meeting_markdown("Raad 2026", notes, values)
    assert "# Notities: Raad 2026" in markdown
    assert "## 1. Notitie bij Jeugdigen met een kinderbeschermingsmaatregel, Beverwijk, 2016" in markdown
    assert "Cijfer: 4,6% in 2016" in markdown and "## 2. Verhaal bij algemeen" in markdown
    assert "\\[klik\\]" in markdown and "<img" not in markdown.replace("\\<img", "")
    document = Document(io.BytesIO(meeting_docx("Raad 2026", notes, values)))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Notities: Raad 2026" in paragraphs
    assert INJECTION in paragraphs  # literal text (control characters are refused when a note is stored)
    assert any(p.startswith("Cijfer: 4,6% in 2016") for p in paragraphs)


def test_small_wijk_figures_stay_hidden_in_the_export(seeded_store: Store, catalog: Catalog) -> None:
    wijk = next(code for code, area in catalog.areas.items() if area.level == "wijk")
    values = pd.DataFrame([{"indicator_id": "kinderen_0_17_aantal", "area_code": wijk, "period": "2024",
                            "value": float("nan"), "unit": "count", "suppressed": True, "source": "test",
                            "dataset": "d"}])
    seeded_store.add_note("Kleine wijk", "Fatima", indicator_id="kinderen_0_17_aantal", area_code=wijk,
                          period="2024", meeting="Wijkoverleg")
    markdown = meeting_markdown("Wijkoverleg", seeded_store.notes(), values)
    assert "Cijfer: te klein om te tonen in 2024" in markdown



def test_notes_outside_a_meeting_are_listed_on_the_leren_page(staff_env: str) -> None:
    at = login(open_page(run_app(), "app_pages/hefboom_leren.py"))
    at = write_note(at, "Gesprek met het CJG over wachttijden", meeting="")
    at = open_page(run_app(), "app_pages/hefboom_leren.py")
    assert "Recente notities buiten een bijeenkomst" in page_text(at)
    assert "Gesprek met het CJG over wachttijden" in page_text(at)
