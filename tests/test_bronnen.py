"""Bronnen works without the documents' text (a newcomer's clone) and shows passages with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import open_page, page_text, run_app


def document_tables(at) -> list:
    """The figure tables of the documents (those with a quote column), in page order."""
    return [frame.value for frame in at.dataframe if "Citaat uit het document" in frame.value.columns]


def test_without_the_documents_every_figure_still_shows_with_its_quote_and_one_calm_note(
    app_env: str, catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_SEEDS_PATH", str(tmp_path / "geen-documenten"))
    at = open_page(run_app(), "app_pages/bronnen.py")
    assert not at.exception and not at.error
    text = page_text(at)
    for document in catalog.documents.values():
        assert document.title in text
    tables = document_tables(at)
    assert len(tables) == len([d for d in catalog.documents.values()])
    assert all(table["Citaat uit het document"].notna().all() and len(table) for table in tables)
    # One note about the missing texts, not one per document, and not as an error or warning.
    assert text.count("DASHBOARD_SEEDS_PATH") == 1
    assert not any("DASHBOARD_SEEDS_PATH" in w.value for w in at.warning)
    assert not [s for s in at.selectbox if s.key and s.key.startswith("passage_")]


def test_with_the_documents_folder_each_figure_shows_its_passage_and_no_note(app_env: str, seeds_dir: Path) -> None:
    at = open_page(run_app(), "app_pages/bronnen.py")
    assert not at.exception
    assert "DASHBOARD_SEEDS_PATH" not in page_text(at)
    choosers = [s for s in at.selectbox if s.key and s.key.startswith("passage_")]
    assert len(choosers) == len(document_tables(at))
    passages = [t.value for t in at.text]
    assert passages and all("Tekst vooraf bij een cijfer." in p for p in passages)


def test_each_uploaded_dataset_shows_its_own_counts_after_a_note_and_another_upload(app_env: str) -> None:
    """A dataset's counts are kept per dataset (not per data version); each expander still shows its own."""
    from dashboard.store import DatasetMeta, Store

    def figures(areas: list[str]) -> list[dict]:
        return [{"indicator_id": "jeugdhulp_pct_tot_18", "area_code": a, "period": "2019", "value": 10.0,
                 "source": "test"} for a in areas]

    def counts(at, name: str) -> int:
        found = [e for e in at.expander if e.label == f"Cijfers in {name}"]
        assert len(found) == 1, [e.label for e in at.expander]
        return int(found[0].dataframe[0].value["Cijfers"].sum())

    at = open_page(run_app(), "app_pages/bronnen.py")
    store = Store(app_env)
    store.add_dataset(DatasetMeta(name="Eerste upload", kind="upload", source_file="a.csv", sha256="a" * 64,
                                  created_by="tester"), figures(["GM0375", "GM0396"]))
    assert counts(at.run(), "Eerste upload") == 2
    store.add_note("Een notitie bij Beverwijk", "tester", area_code="GM0375")
    store.add_dataset(DatasetMeta(name="Tweede upload", kind="upload", source_file="b.csv", sha256="b" * 64,
                                  created_by="tester"), figures(["GM0375", "GM0396", "GM0453"]))
    at.run()
    assert not at.exception
    assert (counts(at, "Eerste upload"), counts(at, "Tweede upload")) == (2, 3)
    store.dispose()
