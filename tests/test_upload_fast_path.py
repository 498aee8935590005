"""A long sheet is checked column by column for its plain rows (ingest.fast_long): the outcome must be exactly
what the row-by-row check gives, for every kind of row a user writes, right or wrong."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.catalog.models import Catalog
from dashboard.ingest import validate
from dashboard.ingest.reader import Sheet

HEADER = ["indicator", "gebied", "periode", "waarde", "teller", "noemer", "bron"]
# Right and wrong cells of every column, as a CSV gives them (text), and as Excel gives them (numbers).
INDICATORS = ["jeugdhulp_pct_tot_18", "Jongeren met jeugdhulp", "overgewicht_5_14_pct", "onbekend_ding", "", 7.0]
AREAS = ["GM0375", "gm0375", "Beverwijk", "WK037501", "WK999999", "", "NL01"]
PERIODS = ["2023", "2022", "2021*", "1850", "2022/2023", "gisteren", "", 2024.0]
NUMBERS = ["12", "12,5", "12.5", "1.234", "1,234", "0", "-3", "150", " 7 ", "abc", "12,5%", "", "40", 25.0, "2.5"]
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
        patch.setattr(validate, "fast_rows", lambda *args, **kwargs: {})
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
