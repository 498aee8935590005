"""A long sheet is checked column by column for its plain rows (ingest.fast_long): the outcome must be exactly
what the row-by-row check gives, for every kind of row a user writes, right or wrong. A CSV read by pyarrow
and kept as columns up to the store must give the same preview and store the same rows as the csv module, the
row checks and a dict per row."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from dashboard.catalog.models import Catalog
from dashboard.ingest import reader, validate
from dashboard.ingest.reader import ColumnRows, Sheet
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import Settings, load_settings
from dashboard.store import DatasetMeta, Store
from dashboard.views.upload_preview import conflict_table, preview_frame

HEADER = ["indicator", "gebied", "periode", "waarde", "teller", "noemer", "bron"]
# Right and wrong cells of every column, as a CSV gives them (text), and as Excel gives them (numbers).
INDICATORS = ["jeugdhulp_pct_tot_18", "Jongeren met jeugdhulp", "overgewicht_5_14_pct", "onbekend_ding", "", 7.0]
AREAS = ["GM0375", "gm0375", "Beverwijk", "WK037501", "WK999999", "", "NL01"]
PERIODS = ["2023", "2022", "2021*", "2021", "1850", "2022/2023", "gisteren", "", 2024.0, 2020, 2019.5, 1850]
NUMBERS = ["12", "12,5", "12.5", "1.234", "1,234", "0", "-3", "150", " 7 ", "abc", "12,5%", "", "40", 25.0, "2.5",
           12, 40, 0, -3.0, 150.0, 12.5, 0.1 + 0.2, 1e20, 33.333333333333336, float("inf"), True]
SOURCES = ["", "GGD", "  CBS  "]


def parse(rows: list[list[object]], catalog: Catalog) -> validate.ParseResult:
    return validate.parse_sheets([Sheet(name="CSV", rows=[HEADER, *rows])], catalog, "Standaardbron", 10_000)


def outcome(result: validate.ParseResult) -> tuple:
    return (result.rows, [str(p) for p in result.problems], result.notices, result.left_out,
            sorted(result.unknown))


row = st.tuples(st.sampled_from(INDICATORS), st.sampled_from(AREAS), st.sampled_from(PERIODS),
                st.sampled_from(NUMBERS), st.sampled_from(NUMBERS), st.sampled_from(NUMBERS),
                st.sampled_from(SOURCES)).map(list)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(row, st.just([]), st.just(["Bron: CBS"]), st.just(["jeugdhulp_pct_tot_18", "GM0375"])),
                     min_size=1, max_size=40))
def test_column_checks_give_what_the_row_checks_give(rows, catalog, monkeypatch):
    fast = outcome(parse(rows, catalog))
    with monkeypatch.context() as patch:
        patch.setattr(validate, "fast_rows", lambda *args, **kwargs: None)
        slow = outcome(parse(rows, catalog))
    assert fast == slow


def test_plain_rows_are_stored_in_their_order_with_their_row_numbers(catalog):
    rows = [["jeugdhulp_pct_tot_18", "GM0375", "2023", "12,5", "10", "80", ""],
            ["jeugdhulp_pct_tot_18", "GM0375", "2022", "12.500", "", "", ""],  # thousands: out of range
            ["jeugdhulp_pct_tot_18", "GM0396", "2023", "9", "", "", "GGD"]]
    result = parse(rows, catalog)
    assert [(r["area_code"], r["period"], r["value"], r["source"], r["note"]) for r in result.rows] == [
        ("GM0375", "2023", 12.5, "Standaardbron", "blad CSV, rij 2"), ("GM0396", "2023", 9.0, "GGD", "blad CSV, rij 4")]
    assert [(p.row, p.column) for p in result.problems] == [(3, "D")]


def test_a_provisional_period_repeats_the_same_period_without_its_mark(catalog):
    rows = [["jeugdhulp_pct_tot_18", "GM0375", "2023*", "12", "", "", ""],
            ["jeugdhulp_pct_tot_18", "GM0375", "2023", "12", "", "", ""]]
    result = parse(rows, catalog)
    assert [r["note"] for r in result.rows] == ["blad CSV, rij 2, voorlopig cijfer (CBS)"]
    assert [str(p) for p in result.problems] == [
        "Blad ‘CSV’, rij 3: dezelfde indicator, hetzelfde gebied en dezelfde periode staan al in blad ‘CSV’, rij 2"]


def test_a_plain_row_that_an_earlier_sheet_already_has_is_named(catalog):
    row = ["jeugdhulp_pct_tot_18", "GM0375", "2023", "12", "", "", ""]
    sheets = [Sheet(name="eerste", rows=[HEADER, row]), Sheet(name="tweede", rows=[HEADER, ["x"] * 7, row])]
    result = validate.parse_sheets(sheets, catalog, "Standaardbron", 10_000)
    assert [r["note"] for r in result.rows] == ["blad eerste, rij 2"]
    assert "Blad ‘tweede’, rij 3: dezelfde indicator, hetzelfde gebied en dezelfde periode staan al in blad " \
           "‘eerste’, rij 2" in [str(p) for p in result.problems]


# -- end to end: a CSV upload from its bytes to the stored rows -------------------------------------------------

SETTINGS = Settings(database_url="", geo_path=load_settings().geo_path, privacy_threshold=10, seeds_path=None)
STORED = ("SELECT dataset_id, indicator_id, area_code, period, value, numerator, denominator, source, quote, note, "
          "value_upper, estimate FROM observations ORDER BY id")


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Path:
    """A store with the catalog's areas and indicators (the foreign keys), copied for every example."""
    path = tmp_path_factory.mktemp("store") / "leeg.sqlite"
    store = Store(f"sqlite:///{path}")
    store.create_schema()
    store.upsert_areas(catalog.areas.values())
    store.upsert_indicators(catalog.indicators.values())
    # Figures already stored, so that the preview shows conflicts and hides small numbers with them.
    store.add_dataset(DatasetMeta(name="eerder", kind="upload", source_file="eerder.csv", sha256="e" * 64,
                                  created_by="tester"),
                      [{"indicator_id": "jeugdhulp_pct_tot_18", "area_code": area, "period": period, "value": 11.0,
                        "numerator": numerator, "denominator": 80.0 if numerator else None, "source": "eerder"}
                       for area, period, numerator in (("GM0375", "2023", None), ("WK037501", "2022", 9.0),
                                                       ("GM0396", "2021", None))])
    store.dispose()
    return path


def csv_bytes(rows: list[list[object]], delimiter: str, quote_all: bool) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8-sig")


def comparable(frame: pd.DataFrame) -> dict[str, list]:
    """A frame as plain lists, an empty cell as None (NaN is not equal to itself)."""
    return {str(k): [None if pd.isna(v) else v for v in values] for k, values in frame.to_dict("list").items()}


def upload(data: bytes, catalog: Catalog, template: Path, folder: Path) -> tuple:
    """What staff see in the preview of this CSV, and what Opslaan stores."""
    folder.mkdir()
    shutil.copy(template, folder / "store.sqlite")
    store = Store(f"sqlite:///{folder / 'store.sqlite'}")
    try:
        plan = plan_import("upload.csv", data, catalog, store, SETTINGS, "Standaardbron")
        seen = (list(plan.rows), plan.messages(), plan.notices, plan.summary(), plan.can_commit,
                plan.conflicts.to_dict("list"))
        if plan.rows and not plan.problems:  # the preview as staff see it, small numbers hidden
            existing = store.observations()
            seen += (comparable(preview_frame(plan.rows, catalog, SETTINGS.privacy_threshold, existing)),
                     comparable(conflict_table(plan.conflicts, plan.rows, catalog, SETTINGS.privacy_threshold,
                                               existing)))
        if plan.can_commit:
            commit_import(plan, store, "upload", "tester")
        with store.engine.connect() as conn:
            stored = [tuple(r) for r in conn.execute(text(STORED))]
        return seen, stored
    finally:
        store.dispose()


# Rows that are mostly right, so that many examples are stored (by code or by name, with and without a fraction).
FIGURES = [("12", "", ""), ("12,5", "10", "80"), ("12.5", "10", "80"), (" 7 ", "", "")]
right_row = st.tuples(st.sampled_from(["jeugdhulp_pct_tot_18", "Jongeren met jeugdhulp", "overgewicht_5_14_pct"]),
                      st.sampled_from(["GM0375", "WK037501", "NL01", "GM0396", "WK039601"]),
                      st.sampled_from(["2023", "2022", "2021*", "2021", "2020"]), st.sampled_from(FIGURES),
                      st.sampled_from(SOURCES)).map(lambda r: [r[0], r[1], r[2], *r[3], r[4]])


def padded(row: list[object]) -> list[object]:
    return row + [""] * (len(HEADER) - len(row))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.one_of(
           st.lists(st.one_of(row, row, st.just(padded([])), st.just(padded(["Bron: CBS"]))), min_size=1, max_size=25),
           st.tuples(st.lists(right_row, min_size=1, max_size=12, unique_by=lambda r: (
                         "jeugdhulp_pct_tot_18" if r[0] == "Jongeren met jeugdhulp" else r[0], r[1], r[2].rstrip("*"))),
                     st.lists(st.one_of(row, st.just(padded([]))), max_size=2)).map(lambda pair: pair[0] + pair[1])),
       short=st.booleans(), delimiter=st.sampled_from([";", ","]), quote_all=st.booleans())
def test_a_csv_kept_in_columns_previews_and_stores_what_the_row_path_does(rows, short, delimiter, quote_all,
                                                                          catalog, store_file, tmp_path,
                                                                          monkeypatch):
    if short:  # a row of another length: the csv module reads the file
        rows = [*rows, ["Bron: CBS"]]
    data = csv_bytes(rows, delimiter, quote_all)
    examples = len(list(tmp_path.iterdir()))
    columns = reader.read_upload("upload.csv", data, 10**7)[0].rows
    assert isinstance(columns, ColumnRows) != short
    fast = upload(data, catalog, store_file, tmp_path / f"snel{examples}")
    with monkeypatch.context() as patch:
        patch.setattr(validate, "fast_rows", lambda *args, **kwargs: None)
        patch.setattr(reader, "_csv_columns", lambda *args, **kwargs: None)
        assert not isinstance(reader.read_upload("upload.csv", data, 10**7)[0].rows, ColumnRows)
        slow = upload(data, catalog, store_file, tmp_path / f"traag{examples}")
    assert fast == slow


def test_a_large_plain_csv_is_stored_whole_with_its_provenance(catalog, store_file, tmp_path):
    wijken = sorted(code for code, area in catalog.areas.items() if area.level == "wijk")[:400]
    rows = [["jeugdhulp_pct_tot_18", code, str(year), "12,5", "10", "80", "GGD" if year % 2 else ""]
            for year in range(2000, 2025) for code in wijken]
    data = csv_bytes(rows, ";", False)
    (preview, messages, _notices, summary, can_commit, *_shown), stored = upload(data, catalog, store_file,
                                                                                 tmp_path / "groot")
    assert can_commit and not messages
    assert summary == {"rijen": 10_000, "indicatoren": 1, "gebieden": 400, "perioden": 25}
    stored = stored[3:]  # after the three figures stored before
    assert len(stored) == 10_000 and {r[0] for r in stored} == {2}  # every figure with its dataset
    assert stored[0][1:] == ("jeugdhulp_pct_tot_18", wijken[0], "2000", 12.5, 10.0, 80.0, "Standaardbron", None,
                             "blad CSV, rij 2", None, None)
    assert (stored[1][3], stored[1][7]) == ("2001", "GGD")  # stored in key order: the same wijk, next year
    assert stored[-1][9] == "blad CSV, rij 10001"
    assert [r["note"] for r in preview[:2]] == ["blad CSV, rij 2", "blad CSV, rij 3"]


def test_the_rows_kept_as_columns_give_the_preview_table_the_dicts_gave(catalog):
    rows = [["jeugdhulp_pct_tot_18", "GM0375", "2023", "12,5", "10", "80", ""],
            ["jeugdhulp_pct_tot_18", "GM0375", "2021*", "12", "", "", "GGD"],  # the row path, between two blocks
            ["jeugdhulp_pct_tot_18", "GM0396", "2023", "9", "", "", "GGD"]]
    result = parse(rows, catalog)
    assert [r["note"] for r in result.rows] == ["blad CSV, rij 2", "blad CSV, rij 3, voorlopig cijfer (CBS)",
                                                "blad CSV, rij 4"]
    pd.testing.assert_frame_equal(result.rows.frame(), pd.DataFrame(list(result.rows)))
    assert result.rows.first_index("source") == {"Standaardbron": 0, "GGD": 1}
    assert result.rows.distinct("area_code") == ["GM0375", "GM0396"]


def test_a_row_replaced_in_a_block_is_stored_in_its_place(catalog):
    rows = [["jeugdhulp_pct_tot_18", code, "2023", "9", "", "", ""] for code in ("GM0375", "GM0396", "GM0453")]
    result = parse(rows, catalog)
    result.rows[1] = {**result.rows[1], "value": 10.0}
    assert [(r["area_code"], r["value"], r["note"]) for r in result.rows] == [
        ("GM0375", 9.0, "blad CSV, rij 2"), ("GM0396", 10.0, "blad CSV, rij 3"), ("GM0453", 9.0, "blad CSV, rij 4")]
    assert len(result.rows) == 3 and result.rows.distinct("value") == [9.0, 10.0]
