"""Every text a user supplies has a length limit and no control characters: refused before the preview
with a Dutch message, and never a database error at Opslaan (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import insert
from sqlalchemy.exc import DataError, IntegrityError

from dashboard import cli
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.markdown_text import escape
from dashboard.settings import load_settings
from dashboard.store import Store, schema
from dashboard.store.store import DatasetMeta
from dashboard.text_limits import TextLimitError, limit, text_problem

from .conftest import open_page, page_text, run_app


def workbook(source: str = "Test", indicator: tuple[str, str, str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "gegevens"
    sheet.append(["indicator", "gebied", "periode", "waarde", "bron"])
    sheet.append(["inwoners_aantal", "GM0375", "2023", 41000, "Gewoon"])
    sheet.append(["inwoners_aantal", "GM0396", "2023", 39000, source])
    if indicator:
        new = book.create_sheet("nieuwe indicatoren")
        new.append(["id", "naam", "eenheid", "richting", "omschrijving", "bron"])
        new.append([indicator[0], indicator[1], "aantal", "neutraal", indicator[2], "Test"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_for(store: Store, catalog, data: bytes, default_source: str = "", name: str = "test.xlsx"):
    return plan_import(name, data, catalog, store, load_settings(), default_source)


def test_a_source_over_the_limit_is_refused_before_the_preview_on_both_databases(seeded_store, catalog) -> None:
    plan = plan_for(seeded_store, catalog, workbook("x" * 301))
    assert not plan.can_commit
    assert plan.messages() == ["Blad ‘gegevens’, rij 3, kolom bron: de bron is 301 tekens lang; het maximum is 300"]
    # At the limit it is stored, on PostgreSQL too (no StringDataRightTruncation).
    plan = plan_for(seeded_store, catalog, workbook("x" * 300))
    assert plan.can_commit, plan.messages()
    commit_import(plan, seeded_store, "precies 300", "tester")
    assert "x" * 300 in set(seeded_store.observations()["source"])


def test_a_nul_from_an_xlsx_cell_is_refused(seeded_store, catalog) -> None:
    # Excel writes a NUL in a cell as _x0000_; openpyxl reads it back as the character itself.
    data = workbook("Bron_x0000_met NUL")
    with zipfile.ZipFile(io.BytesIO(data)) as original:
        assert any(b"_x0000_" in original.read(n) for n in original.namelist())
    plan = plan_for(seeded_store, catalog, data)
    assert not plan.can_commit
    assert "kolom bron: de bron bevat het stuurteken U+0000 (NUL) (na ‘Bron’); haal het weg" in plan.messages()[0]


def test_new_indicator_texts_have_limits(seeded_store, catalog) -> None:
    plan = plan_for(seeded_store, catalog, workbook(indicator=("lang_aantal", "n" * 301, "o" * 2001)))
    assert not plan.can_commit
    assert plan.messages() == [
        "Blad ‘nieuwe indicatoren’, kolom naam: indicator ‘lang_aantal’: de naam van de indicator is 301 tekens "
        "lang; het maximum is 300",
        "Blad ‘nieuwe indicatoren’, kolom omschrijving: indicator ‘lang_aantal’: de omschrijving van de indicator "
        f"is 2001 tekens lang; het maximum is {limit('indicator_description')}",
    ]


def test_the_source_typed_on_the_page_and_the_file_name_are_checked(seeded_store, catalog) -> None:
    plan = plan_for(seeded_store, catalog, workbook(), default_source="b" * 400)
    assert plan.messages() == ["De bron in het invoerveld kan niet worden opgeslagen: de bron is 400 tekens lang; "
                               "het maximum is 300."]
    plan = plan_for(seeded_store, catalog, workbook(), name="f" * 300 + ".xlsx")
    assert not plan.can_commit and plan.messages()[0].startswith("De bestandsnaam kan niet worden opgeslagen")


def test_the_store_refuses_what_the_schema_cannot_hold_with_a_dutch_message(seeded_store) -> None:
    datasets_before = seeded_store.count("datasets")
    meta = DatasetMeta(name="n" * 301, kind="upload", source_file="a.xlsx", sha256="0" * 64, created_by="tester")
    with pytest.raises(TextLimitError, match="De naam van de dataset is 301 tekens lang; het maximum is 300"):
        seeded_store.add_dataset(meta, [])
    with pytest.raises(TextLimitError, match="De naam van de medewerker is 201 tekens lang"):
        seeded_store.add_note("tekst", "m" * 201)
    with pytest.raises(TextLimitError, match="De tekst van de notitie is 5001 tekens lang"):
        seeded_store.add_note("t" * 5001, "Marieke")
    with pytest.raises(TextLimitError, match="stuurteken U\\+0000"):
        seeded_store.add_note("met\x00nul", "Marieke")
    note = seeded_store.add_note("regel een\nregel twee", "Marieke")  # a note may span lines
    with pytest.raises(TextLimitError):
        seeded_store.edit_note(note, "Marieke", "t" * 5001)
    assert seeded_store.count("datasets") == datasets_before  # nothing half-stored


def test_the_database_itself_refuses_an_overlong_text(seeded_store) -> None:
    """SQLite does not enforce VARCHAR lengths; the CHECK constraints do, on both databases."""
    when = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(IntegrityError), seeded_store.engine.begin() as conn:
        conn.execute(insert(schema.notes).values(text="t" * 5001, author="Marieke", status="active", created_at=when))
    with pytest.raises((IntegrityError, DataError)), seeded_store.engine.begin() as conn:
        conn.execute(insert(schema.datasets).values(
            name="n" * 301, kind="upload", source_file="a", sha256="1" * 64, created_by="x", created_at=when,
            row_count=0, status="active", is_example=0))


def test_cli_import_checks_naam_door_and_bron(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    path = tmp_path / "bestand.xlsx"
    path.write_bytes(workbook())
    assert cli.main(["import", str(path), "--naam", "n" * 301]) == 2
    assert "--naam: de naam van de dataset is 301 tekens lang; het maximum is 300. Er is niets opgeslagen." \
        in capsys.readouterr().err
    assert cli.main(["import", str(path), "--door", "Ma\x07rieke"]) == 2
    assert "--door: de naam van de medewerker bevat het stuurteken U+0007" in capsys.readouterr().err


def test_single_line_texts_refuse_line_breaks_and_multi_line_texts_allow_them() -> None:
    assert text_problem("source", "CBS\nStatLine") == "de bron bevat een regeleinde (na ‘CBS’); haal het weg"
    assert text_problem("note_text", "regel een\nregel twee") is None
    assert text_problem("indicator_description", "a\u2028b") is not None


def test_gegevens_page_refuses_a_bad_dataset_name_before_the_preview(app_env, monkeypatch) -> None:
    monkeypatch.setattr("dashboard.views.staff.current_user", lambda _settings: "Marieke")

    class Uploaded:
        name = "cijfers.xlsx"
        file_id = "test-upload-1"

        @staticmethod
        def getvalue() -> bytes:
            return workbook()

    monkeypatch.setattr("streamlit.file_uploader", lambda *a, **k: Uploaded())
    at = open_page(run_app(), "app_pages/gegevens.py")
    assert not at.exception, at.exception
    # The browser cannot send a longer name (max_chars); whatever does arrive is checked on the server.
    assert at.text_input[0].proto.max_chars == 300 and at.text_input[1].proto.max_chars == 300
    at.text_input[0].input("Cijfers\x00").run()
    text = page_text(at)
    assert escape("De naam van de dataset kan zo niet worden opgeslagen: de naam van de dataset bevat het "
                  "stuurteken U+0000 (NUL) (na ‘Cijfers’); haal het weg.") in text
    assert "Voorbeeld van wat wordt opgeslagen" not in text
    assert not [b for b in at.button if b.label == "Opslaan"]
