"""Uploads: every problem named with sheet, row and column; nothing stored half; nothing lost."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from dashboard.catalog.models import Catalog
from dashboard.ingest.example import build_example_export
from dashboard.ingest.template import DATA_HEADER, build_template
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import Settings, load_settings
from dashboard.store import Store

from .conftest import ROOT

SETTINGS = Settings(database_url="", geo_path=load_settings().geo_path, privacy_threshold=10, seeds_path=None)


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan(data: bytes, store: Store, catalog: Catalog, name: str = "upload.xlsx", **overrides):
    settings_ = Settings(**{**SETTINGS.__dict__, **overrides})
    return plan_import(name, data, catalog, store, settings_, "testbron")


def test_template_has_a_long_data_sheet_instructions_and_valid_values(catalog: Catalog) -> None:
    workbook = load_workbook(io.BytesIO(build_template(catalog)))
    assert workbook.sheetnames == ["gegevens", "toelichting", "indicatoren", "gebieden", "periodes",
                                   "nieuwe indicatoren"]
    assert [c.value for c in workbook["gegevens"][1]] == DATA_HEADER
    area_codes = {row[0].value for row in workbook["gebieden"].iter_rows(min_row=2)}
    assert {"GM0375", "NL01", "WK037501"} <= area_codes
    indicator_ids = {row[0].value for row in workbook["indicatoren"].iter_rows(min_row=2)}
    assert "overgewicht_5_14_pct" in indicator_ids


def test_filled_template_is_stored_with_original_file(seeded_store: Store, catalog: Catalog) -> None:
    workbook = load_workbook(io.BytesIO(build_template(catalog)))
    workbook["gegevens"].append(["overgewicht_5_14_pct", "gemeente Beverwijk", "2019", "16,1", None, None, "GGD"])
    workbook["gegevens"].append(["Overgewicht (incl. obesitas) 5-14 jaar", "HEEMSKERK", 2019, 14.9, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = plan(buffer.getvalue(), seeded_store, catalog)
    assert result.can_commit, result.messages()
    assert result.summary() == {"rijen": 2, "indicatoren": 1, "gebieden": 2, "perioden": 1}
    dataset_id = commit_import(result, seeded_store, "GGD 2019", "Marieke")
    stored = seeded_store.observations()
    beverwijk = stored[(stored["dataset_id"] == dataset_id) & (stored["area_code"] == "GM0375")].iloc[0]
    assert (beverwijk["value"], beverwijk["source"]) == (16.1, "GGD")
    heemskerk = stored[(stored["dataset_id"] == dataset_id) & (stored["area_code"] == "GM0396")].iloc[0]
    assert heemskerk["source"] == "testbron"
    assert seeded_store.original_file(dataset_id) == ("upload.xlsx", buffer.getvalue())
    datasets = seeded_store.datasets().set_index("id")
    assert datasets.loc[dataset_id, "created_by"] == "Marieke"


NEW = ["id", "naam", "eenheid", "richting", "omschrijving", "bron"]


def test_a_new_indicator_can_be_defined_in_the_upload(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx(
        ("gegevens", [DATA_HEADER, ["wachtlijst_jeugdhulp_aantal", "Velsen", "2024-Q1", 37, None, None, "CJG"]]),
        ("nieuwe indicatoren", [NEW, ["wachtlijst_jeugdhulp_aantal", "Wachtlijst jeugdhulp", "aantal",
                                      "lager is beter", "Jeugdigen op de wachtlijst", "CJG IJmond"]]),
    )
    result = plan(data, seeded_store, catalog)
    assert result.can_commit, result.messages()
    assert "Nieuwe indicatoren in dit bestand: Wachtlijst jeugdhulp (wachtlijst_jeugdhulp_aantal)." in result.notices
    commit_import(result, seeded_store, "wachtlijst", "tester")
    stored = {i.id: i for i in seeded_store.indicators()}
    assert (stored["wachtlijst_jeugdhulp_aantal"].unit, stored["wachtlijst_jeugdhulp_aantal"].direction) == (
        "count", "lower_is_better")
    # A later upload can use it without defining it again.
    later = plan(xlsx(("g", [DATA_HEADER, ["wachtlijst_jeugdhulp_aantal", "Velsen", "2024-Q2", 31]])),
                 seeded_store, catalog)
    assert later.can_commit, later.messages()


def test_a_bad_indicator_definition_names_sheet_row_and_column(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx(("nieuwe indicatoren", [NEW, ["Wachtlijst!", "", "stuks", "beter", "x", "y"],
                                        ["maatregel_pct", "Dubbel", "procent", "neutraal", "x", "y"]]))
    messages = plan(data, seeded_store, catalog).messages()
    assert "Blad ‘nieuwe indicatoren’, rij 2, kolom A: id ‘Wachtlijst!’ is ongeldig" in messages[0]
    assert any("rij 2, kolom B: naam ontbreekt" in m for m in messages)
    assert any("rij 2, kolom C: eenheid ‘stuks’ is onbekend" in m for m in messages)
    assert any("rij 2, kolom D: richting ‘beter’ is onbekend" in m for m in messages)
    assert any("rij 3, kolom A: indicator ‘maatregel_pct’ bestaat al" in m for m in messages)


def test_wide_csv_with_semicolons_and_decimal_commas(seeded_store: Store, catalog: Catalog) -> None:
    csv_text = "indicator;gebied;2019;2020\noverweight;Velsen;15,8;15,2\nmaatregel_pct;Velsen;5,0;4,4\n"
    csv_text = csv_text.replace("overweight", "overgewicht_5_14_pct")
    result = plan(csv_text.encode(), seeded_store, catalog, name="cbs-export.csv")
    assert result.can_commit, result.messages()
    values = {(r["indicator_id"], r["period"]): r["value"] for r in result.rows}
    assert values == {("overgewicht_5_14_pct", "2019"): 15.8, ("overgewicht_5_14_pct", "2020"): 15.2,
                      ("maatregel_pct", "2019"): 5.0, ("maatregel_pct", "2020"): 4.4}


def test_all_problems_are_reported_with_sheet_excel_row_and_column(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx(
        ("juni", [DATA_HEADER,
                  ["overgewicht_5_14_pct", "Beverwjk", "2019", "16,1"],
                  ["overgewicht_5_14_pct", "Velsen", date(2019, 1, 1), 15],
                  ["bestaat_niet", "Velsen", "2019", "abc"],
                  ["overgewicht_5_14_pct", "Velsen", "2019", 150]]),
        ("juli", [DATA_HEADER, ["maatregel_pct", "Velsen", "2020", date(2020, 7, 1)]]),
    )
    before = seeded_store.count("observations")
    result = plan(data, seeded_store, catalog)
    messages = result.messages()
    assert not result.can_commit
    assert "Blad ‘juni’, rij 2, kolom B: gebied ‘Beverwjk’ is onbekend. Bedoelt u ‘Beverwijk’" in messages[0]
    assert any(m.startswith("Blad ‘juni’, rij 3, kolom C: hier staat een datum") for m in messages)
    assert any(m.startswith("Blad ‘juni’, rij 4, kolom A: indicator ‘bestaat_niet’ is onbekend") for m in messages)
    assert any(m.startswith("Blad ‘juni’, rij 4, kolom D: ‘abc’ is geen getal") for m in messages)
    out_of_range = "Blad ‘juni’, rij 5, kolom D: waarde 150 valt buiten het bereik 0 tot 100"
    assert any(m.startswith(out_of_range) for m in messages)
    assert any(m.startswith("Blad ‘juli’, rij 2, kolom D: hier staat een datum waar een getal hoort") for m in messages)
    assert len(messages) == 6
    assert seeded_store.count("observations") == before
    with pytest.raises(ValueError, match="kan niet worden opgeslagen"):
        commit_import(result, seeded_store, "x", "y")
    assert seeded_store.count("observations") == before


def test_duplicate_rows_within_a_file_name_the_first(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx(("a", [DATA_HEADER, ["maatregel_pct", "Velsen", "2020", 4]]),
                ("b", [DATA_HEADER, ["maatregel_pct", "GM0453", "2020", 4.1]]))
    messages = plan(data, seeded_store, catalog).messages()
    assert messages == ["Blad ‘b’, rij 2: dezelfde indicator, hetzelfde gebied en dezelfde periode staan al "
                        "in blad ‘a’, rij 2"]


def test_a_repeated_unknown_name_is_reported_on_every_row_as_typed(seeded_store: Store, catalog: Catalog) -> None:
    # Names are looked up once per distinct cell value; every row still gets its own message.
    data = xlsx(("a", [DATA_HEADER, ["maatregel_pct", "Beverwjk", "2019", 4], ["maatregel_pct", "Beverwjk", "2020", 4],
                       ["maatregel_pct", 1, "2021", 4], ["maatregel_pct", True, "2022", 4]]))
    messages = plan(data, seeded_store, catalog).messages()
    assert [m.split(":")[0] for m in messages] == [f"Blad ‘a’, rij {n}, kolom B" for n in (2, 3, 4, 5)]
    assert "gebied ‘Beverwjk’" in messages[0] and "gebied ‘Beverwjk’" in messages[1]
    assert "gebied ‘1" in messages[2] and "gebied ‘True’" in messages[3]


def test_ambiguous_wijk_name_asks_for_the_code(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx(("a", [DATA_HEADER, ["jeugdhulp_pct_tot_18", "Centrum", "2020", 9]]))
    message = plan(data, seeded_store, catalog).messages()[0]
    assert "komt meer dan eens voor" in message and "gebruik de code" in message


def test_conflicts_with_existing_data_are_shown_before_storing(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx(("a", [DATA_HEADER, ["overgewicht_5_14_pct", "Beverwijk", "2015", 17.0]]))
    result = plan(data, seeded_store, catalog)
    assert result.can_commit
    conflict = result.conflicts.iloc[0]
    assert (conflict["bestaande waarde"], conflict["nieuwe waarde"]) == (17.4, 17.0)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("macro.xlsm", b"PK\x03\x04rest", "macro"),
        ("geheim.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "versleuteld"),
        ("kapot.xlsx", b"dit is geen excel", "geen geldig Excel-bestand"),
        ("leeg.csv", b"", "leeg"),
        ("foto.png", b"\x89PNG", "Alleen .xlsx- en .csv-bestanden"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(seeded_store: Store, catalog: Catalog, name, data, reason) -> None:
    result = plan(data, seeded_store, catalog, name=name)
    assert not result.can_commit and reason in result.refused


def test_limits_on_size_and_rows(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx(("a", [DATA_HEADER] + [["maatregel_pct", "Velsen", str(2000 + i), 4] for i in range(20)]))
    assert "de grens is 10" in plan(data, seeded_store, catalog, upload_max_rows=10).messages()[0]
    assert "de grens is 0 MB" in plan(data, seeded_store, catalog, upload_max_bytes=1000).refused


def test_formulas_without_cached_values_are_refused(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx(("a", [DATA_HEADER, ["maatregel_pct", "Velsen", "2020", "=2*2"]]))  # openpyxl stores no result
    result = plan(data, seeded_store, catalog)
    assert "formules zonder berekende waarde (cellen D2)" in result.refused


def test_same_file_twice_is_recognised(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx(("a", [DATA_HEADER, ["maatregel_pct", "Velsen", "2020", 4]]))
    dataset_id = commit_import(plan(data, seeded_store, catalog), seeded_store, "eerste", "tester")
    again = plan(data, seeded_store, catalog)
    assert not again.can_commit
    assert f"al eerder ingelezen als dataset {dataset_id}" in again.messages()[0]


def test_example_export_is_marked_and_small_wijken_are_suppressed(seeded_store: Store, catalog: Catalog) -> None:
    result = plan(build_example_export(catalog, "GM0375"), seeded_store, catalog)
    assert result.can_commit and result.is_example
    dataset_id = commit_import(result, seeded_store, "voorbeeld", "tester")
    assert bool(seeded_store.datasets().set_index("id").loc[dataset_id, "is_example"])


def test_import_command_stores_nothing_on_failure_and_reports_where(tmp_path: Path) -> None:
    env = {**os.environ, "DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}
    bad = tmp_path / "fout.xlsx"
    bad.write_bytes(xlsx(("a", [DATA_HEADER, ["maatregel_pct", "Velzen", "2020", 4]])))
    result = subprocess.run([sys.executable, "-m", "dashboard", "import", str(bad)], capture_output=True,
                            text=True, env=env, cwd=ROOT)
    assert result.returncode == 1
    # Every municipality of the Netherlands is known; the dashboard's own come first among the suggestions.
    assert "Blad ‘a’, rij 2, kolom B: gebied ‘Velzen’ is onbekend. Bedoelt u ‘Velsen’" in result.stderr
    assert "er is niets opgeslagen" in result.stderr
    store = Store(env["DASHBOARD_DATABASE_URL"])
    assert not (store.datasets()["kind"] == "upload").any()  # only what init loads from data/


excel_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)  # what Excel can hold
cells = st.one_of(st.none(), excel_text, st.integers(-10**6, 10**6),
                  st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.booleans(),
                  st.sampled_from(["overgewicht_5_14_pct", "GM0375", "Velsen", "2019", "2020-H1", "12,5", "=1+1"]))
rows = st.lists(st.lists(cells, max_size=8), max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.sampled_from([DATA_HEADER, ["gebied", "2019", "2020"], ["x", "y"], []]), body=rows)
def test_malformed_workbooks_never_crash_and_never_store_half(seeded_store, catalog, header, body) -> None:
    before = seeded_store.count("observations")
    result = plan(xlsx(("blad", [header, *body])), seeded_store, catalog)
    if result.can_commit:
        assert all(r["indicator_id"] in catalog.indicators for r in result.rows)
    else:
        assert result.messages()
    assert seeded_store.count("observations") == before


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_malformed_csv_never_crashes(seeded_store, catalog, text) -> None:
    before = seeded_store.count("observations")
    result = plan(text.encode("utf-8"), seeded_store, catalog, name="x.csv")
    assert result.can_commit or result.messages()
    assert seeded_store.count("observations") == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_as_xlsx_are_refused_cleanly(seeded_store, catalog, data) -> None:
    result = plan(data, seeded_store, catalog)
    assert not result.can_commit and result.messages()
