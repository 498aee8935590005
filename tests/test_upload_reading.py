"""Uploads are read as a Dutch user means them; whatever is read and not stored is said in the preview."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.catalog.models import Catalog
from dashboard.ingest.reader import ColumnRows, _csv_columns, read_upload
from dashboard.ingest.template import DATA_HEADER
from dashboard.ingest.validate import parse_number
from dashboard.store import Store

from .test_upload import plan, xlsx

COUNT = "<count>"  # replaced by a count indicator of the catalog
PCT = "maatregel_pct"


@pytest.fixture(scope="module")
def count_id(catalog: Catalog) -> str:
    return next(i.id for i in catalog.indicators.values() if i.unit == "count")


@pytest.mark.parametrize(("raw", "expected"), [
    ("1.234", 1234.0), ("12.500", 12500.0), ("1.234.567", 1234567.0), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
    ("12,5", 12.5), ("0.125", 0.125), ("15.8", 15.8), ("-26", -26.0), ("1,234,567", 1234567.0),
])
def test_numbers_are_read_the_dutch_way(raw: str, expected: float) -> None:
    assert parse_number(raw) == (expected, None)


def test_dutch_thousands_in_a_csv_count_are_stored_as_thousands(seeded_store: Store, catalog: Catalog,
                                                                  count_id: str) -> None:
    text = f"indicator;gebied;periode;waarde\n{count_id};Velsen;2020;1.234\n{count_id};Beverwijk;2020;12.500\n"
    result = plan(text.encode("utf-8-sig"), seeded_store, catalog, name="aantallen.csv")
    assert result.can_commit, result.messages()
    assert sorted(r["value"] for r in result.rows) == [1234.0, 12500.0]


def test_a_count_with_three_decimals_in_a_file_with_decimal_points_is_ambiguous(seeded_store: Store,
                                                                                  catalog: Catalog,
                                                                                  count_id: str) -> None:
    data = xlsx(("a", [DATA_HEADER, [count_id, "Velsen", "2020", "1.234"], [PCT, "Velsen", "2020", "15.8"]]))
    result = plan(data, seeded_store, catalog)
    assert not result.can_commit
    [message] = result.messages()
    assert message.startswith("Blad ‘a’, rij 2, kolom D: ‘1.234’ is dubbelzinnig")
    assert "‘15.8’" in message


@pytest.mark.parametrize(("row", "where", "why"), [
    ([COUNT, "Velsen", "2020", "12,5"], "kolom D", "moet een geheel aantal van 0 of meer zijn"),
    ([COUNT, "Velsen", "2020", -5], "kolom D", "valt buiten het bereik"),
    ([PCT, "Velsen", "2020", 10, -5, 50], "kolom E", "de teller -5 moet een geheel aantal van 0 of meer zijn"),
    ([PCT, "Velsen", "2020", 10, 5, 0], "kolom F", "de noemer is 0"),
    ([PCT, "Velsen", "2020", 10, 60, 50], "kolom E", "de teller (60) is groter dan de noemer (50)"),
    ([PCT, "Velsen", "2020", 10, 20, 50], "kolom D", "past niet bij teller 20 en noemer 50 (dat is 40,00%)"),
    ([PCT, "Velsen", "0000", 10], "kolom C", "valt buiten de jaren 1900 tot en met"),
    ([PCT, "Velsen", "1850", 10], "kolom C", "valt buiten de jaren 1900 tot en met"),
    ([PCT, "Velsen", "9999", 10], "kolom C", "valt buiten de jaren 1900 tot en met"),
])
def test_implausible_figures_are_refused_where_they_are(seeded_store: Store, catalog: Catalog, count_id: str,
                                                        row, where: str, why: str) -> None:
    row = [count_id if c == COUNT else c for c in row]
    result = plan(xlsx(("a", [DATA_HEADER, row])), seeded_store, catalog)
    assert not result.can_commit
    assert any(m.startswith(f"Blad ‘a’, rij 2, {where}: ") and why in m for m in result.messages()), \
        result.messages()


def test_a_value_consistent_with_teller_and_noemer_within_rounding_is_kept(seeded_store: Store,
                                                                           catalog: Catalog) -> None:
    result = plan(xlsx(("a", [DATA_HEADER, [PCT, "Velsen", "2020", "16,7", 1, 6],
                                            [PCT, "Velsen", "2021", 17, 1, 6]])), seeded_store, catalog)
    assert result.can_commit, result.messages()


def test_a_data_sheet_named_like_a_reference_sheet_is_read_and_said(seeded_store: Store, catalog: Catalog) -> None:
    result = plan(xlsx(("Gebieden", [DATA_HEADER, [PCT, "Velsen", "2020", 4]]),
                       ("toelichting", [["Uitleg bij het bestand"]])), seeded_store, catalog)
    assert result.can_commit, result.messages()
    assert len(result.rows) == 1
    assert any("Blad ‘Gebieden’: heeft de naam van een hulpblad" in n for n in result.notices)
    assert "Overgeslagen hulpbladen (zonder cijfers): ‘toelichting’." in result.notices


def test_a_provisional_cbs_column_is_read_as_its_period_and_marked(seeded_store: Store, catalog: Catalog) -> None:
    data = xlsx((PCT, [["gebied", "2020", "2021*", "opmerking"], ["Velsen", 4, "4,4", "x"],
                       ["Beverwijk", ".", 5, ""], ["Heemskerk", None, None, "volgt later"]]))
    result = plan(data, seeded_store, catalog)
    assert result.can_commit, result.messages()
    stored = {(r["area_code"], r["period"]): r for r in result.rows}
    assert stored[("GM0453", "2021")]["value"] == 4.4
    assert "voorlopig" in stored[("GM0453", "2021")]["note"] and "voorlopig" not in stored[("GM0453", "2020")]["note"]
    notices = "\n".join(result.notices)
    assert f"Blad ‘{PCT}’: kolom C (‘2021*’) is gelezen als 2021, voorlopig cijfer (CBS)." in notices
    assert "kolom D (‘opmerking’) is niet ingelezen" in notices
    assert "1 met ‘.’ (geheim of onbekend)" in notices
    assert "rij 4 zonder cijfers (zoals ‘Heemskerk volgt later’) is overgeslagen." in notices


def test_a_header_below_title_rows_is_found_and_footnotes_are_reported(seeded_store: Store,
                                                                       catalog: Catalog) -> None:
    data = ("\ufeff\"Maatregelen; regio\"\n\"Bron: CBS\"\n\ngebied;2019;2020\nVelsen;5,0;4,4\nBeverwijk;3;2\n\n"
            "\"© CBS, 2024\"\n")
    result_csv = plan(data.replace("gebied;", "indicator;gebied;").replace("\nVelsen", f"\n{PCT};Velsen")
                      .replace("\nBeverwijk", f"\n{PCT};Beverwijk").encode("utf-8"), seeded_store, catalog,
                      name="x.csv")
    assert result_csv.can_commit, result_csv.messages()
    assert len(result_csv.rows) == 4
    notices = "\n".join(result_csv.notices)
    assert "rij 1 tot en met 3 gelezen als titel; de kolomkoppen staan in rij 4." in notices
    assert "rij 8 zonder cijfers (zoals ‘© CBS, 2024’) is overgeslagen." in notices
    # Problems keep the row numbers the user sees in Excel.
    bad = plan(data.replace("Beverwijk;3", "Beverwjk;3").replace("gebied;", "indicator;gebied;")
               .replace("\nVelsen", f"\n{PCT};Velsen").replace("\nBeverwjk", f"\n{PCT};Beverwjk").encode(),
               seeded_store, catalog, name="x.csv")
    assert bad.messages()[0].startswith("Blad ‘CSV’, rij 6, kolom B: gebied ‘Beverwjk’ is onbekend")


def test_dates_stay_refused(seeded_store: Store, catalog: Catalog) -> None:
    result = plan(xlsx(("a", [DATA_HEADER, [PCT, "Velsen", date(2020, 1, 1), 4]])), seeded_store, catalog)
    assert "hier staat een datum" in result.messages()[0]


# A CSV is read by pyarrow where it reads exactly as the csv module does (ingest.reader._csv_columns), else by
# the csv module: quotes, doubled quotes, line breaks within quotes and both delimiters, as the user wrote them.
@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet='a1;,"\n\r *é', min_size=1, max_size=40), delimiter=st.sampled_from([";", ","]))
def test_pyarrow_reads_a_csv_as_the_csv_module_does_or_leaves_it_to_it(text: str, delimiter: str) -> None:
    columns = _csv_columns(text, delimiter)
    if columns is not None:
        assert list(ColumnRows(columns)) == list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_a_regular_csv_is_kept_as_columns_and_an_irregular_one_read_row_by_row() -> None:
    regular = read_upload("a.csv", b'indicator;gebied\n"x;y";"met ""quote"""\r\n', 10**6)[0].rows
    assert isinstance(regular, ColumnRows)
    assert regular == [["indicator", "gebied"], ["x;y", 'met "quote"']]
    titled = read_upload("b.csv", b"Tabel 1\nindicator;gebied\nx;y\n", 10**6)[0].rows  # a title row above the header
    assert not isinstance(titled, ColumnRows)
    assert titled == [["Tabel 1"], ["indicator", "gebied"], ["x", "y"]]
    with_empty_line = read_upload("c.csv", b"indicator;gebied\n\nx;y\n", 10**6)[0].rows
    assert with_empty_line == [["indicator", "gebied"], [], ["x", "y"]]
