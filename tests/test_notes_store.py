"""Notes are stored like datasets: author and time, edited only by their author, withdrawn, never deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from dashboard.catalog.models import Catalog
from dashboard.ingest.seed import load_shipped_data
from dashboard.store import Store


def test_notes_keep_author_time_versions_and_are_withdrawn_not_deleted(store: Store, catalog: Catalog) -> None:
    load_shipped_data(store, catalog)
    note_id = store.add_note("Wachtlijst GGZ besproken", "Fatima", indicator_id="jeugdhulp_pct_tot_18",
                             area_code="GM0375", period="2022", meeting="OOGO 12 maart 2026")
    with pytest.raises(PermissionError):
        store.edit_note(note_id, "Jan", "Iets anders")
    store.edit_note(note_id, "Fatima", "Wachtlijst GGZ besproken; actie bij de regio")
    notes = store.notes()
    row = notes.iloc[0]
    assert (row["text"], row["author"], row["indicator_name"], row["area_name"], row["meeting"]) == (
        "Wachtlijst GGZ besproken; actie bij de regio", "Fatima", "Jongeren met jeugdhulp", "Beverwijk",
        "OOGO 12 maart 2026")
    assert row["created_at"] is not None and row["updated_at"] is not None
    assert store.note_versions(note_id)["text"].tolist() == ["Wachtlijst GGZ besproken"]
    with pytest.raises(PermissionError):
        store.set_note_status(note_id, "Jan", "withdrawn")
    store.set_note_status(note_id, "Fatima", "withdrawn")
    assert store.notes().empty
    assert store.notes(include_withdrawn=True)["status"].tolist() == ["withdrawn"]
    assert store.count("notes") == 1


def test_an_older_store_gets_the_new_note_columns(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # the notes table as the first release created it
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, indicator_id VARCHAR(100), "
                          "area_code VARCHAR(32), period VARCHAR(20), text TEXT NOT NULL, author VARCHAR(200) "
                          "NOT NULL, created_at DATETIME NOT NULL, status VARCHAR(20) NOT NULL)"))
        conn.execute(text("INSERT INTO notes (text, author, created_at, status) "
                          "VALUES ('oud', 'Piet', '2026-01-01 10:00:00', 'active')"))
    engine.dispose()
    store = Store(url)
    store.create_schema()
    store.create_schema()  # twice is fine
    notes = store.notes()
    assert notes["text"].tolist() == ["oud"] and notes["meeting"].isna().all()
    store.add_note("nieuw", "Piet", meeting="Raad", kind="verhaal")
    assert store.notes()["kind"].tolist()[-1] == "verhaal"
