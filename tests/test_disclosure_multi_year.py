"""Disclosure over multi-year periods: a hidden single year does not follow from a shown 2015/2016 minus the
other year, where the catalog says that a multi-year figure is the sum of its years (relations.yaml)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from dashboard import app_data
from dashboard.analysis.linked import Relations, period_family
from dashboard.analysis.suppression import SMALL, suppress
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import load_settings

from .test_disclosure_linked import RELATIONS, _determined, row

YEARS = ("2015", "2016")
RANGE = "2015/2016"


def table(wijken: dict[str, tuple[int, int]], indicator: str = "meldingen", unit: str = "count",
          municipality: str = "GM0375") -> pd.DataFrame:
    """Per wijk its 2015 and 2016 figure and their sum as 2015/2016, with the municipality's totals."""
    rows = []
    for code, (first, second) in wijken.items():
        numbers = {"2015": first, "2016": second, RANGE: first + second}
        rows += [row(code, indicator, float(n), unit=unit, period=p) for p, n in numbers.items()]
    for period, index in (("2015", 0), ("2016", 1)):
        rows.append(row(municipality, indicator, float(sum(v[index] for v in wijken.values())), unit=unit,
                        period=period))
    rows.append(row(municipality, indicator, float(sum(sum(v) for v in wijken.values())), unit=unit, period=RANGE))
    return pd.DataFrame(rows)


Cell = tuple[str, str, str]  # indicator, wijk, period


def reader_system(frame: pd.DataFrame, absent: list[Cell]) -> tuple[list[Cell], np.ndarray]:
    """The reader's equations, built here and not by the module: per indicator and period the wijken add up
    to the municipality (known), per wijk and indicator 2015/2016 = 2015 + 2016. A cell not in the data
    (`absent`) is unknown to the reader but part of the municipality's total."""
    wijken = frame[frame["area_level"] == "wijk"]
    cells = list(dict.fromkeys([*zip(wijken["indicator_id"], wijken["area_code"], wijken["period"].astype(str),
                                     strict=True), *absent]))
    index = {c: i for i, c in enumerate(cells)}
    equations = []
    for indicator, period in {(c[0], c[2]) for c in cells}:
        equations.append([1.0 if (c[0], c[2]) == (indicator, period) else 0.0 for c in cells])
    for indicator, code in {(c[0], c[1]) for c in cells}:
        eq = [0.0] * len(cells)
        for year in YEARS:
            if (indicator, code, year) in index:
                eq[index[(indicator, code, year)]] = 1.0
        if (indicator, code, RANGE) in index:
            eq[index[(indicator, code, RANGE)]] = -1.0
            equations.append(eq)
    return cells, np.array(equations)


def given_away(frame: pd.DataFrame, out: pd.DataFrame, absent: list[Cell] = ()) -> set[Cell]:
    """The hidden wijk cells that follow from the shown ones (beyond what the totals alone give away)."""
    cells, matrix = reader_system(frame, list(absent))
    hidden = out[out["suppressed"] & (out["area_level"] == "wijk")]
    unknown = [cells.index((r.indicator_id, r.area_code, str(r.period))) for r in hidden.itertuples()]
    unknown += [cells.index(c) for c in absent]
    unavoidable = _determined(matrix, list(range(len(cells))))
    return {cells[i] for i in _determined(matrix, unknown) - unavoidable} - set(absent)


WIJKEN = {"WK037501": (3, 40), "WK037502": (30, 35), "WK037503": (80, 90)}


def test_a_hidden_single_year_does_not_follow_from_the_two_year_sum_minus_the_other_year() -> None:
    frame = table(WIJKEN)
    out = suppress(frame, 10, relations=RELATIONS)  # no relation names 'meldingen': a count is a sum by default
    reason = out.set_index(["area_code", "period"])["suppressed_reason"]
    assert reason[("WK037501", "2015")] == SMALL
    assert not given_away(frame, out)
    # What the rule per period alone shows: 2015/2016 and 2016 of wijk 01, so 43 - 40 gives the 3 away.
    alone = pd.concat([suppress(frame[frame["period"] == p], 10) for p in frame["period"].unique()]).loc[frame.index]
    assert ("meldingen", "WK037501", "2015") in given_away(frame, alone)
    assert not out.loc[out["area_level"] == "gemeente", "suppressed"].any()


def test_the_catalog_decides_whether_a_multi_year_figure_is_a_sum() -> None:
    assert RELATIONS.multi_year_sum("meldingen", "count") and not RELATIONS.multi_year_sum("x_pct", "percent")
    # Said not to be a sum (say, the highest of the two years): the periods are not linked.
    not_a_sum = Relations(RELATIONS.sums, RELATIONS.shares, multi_year_indicators=(("meldingen", False),))
    out = suppress(table(WIJKEN), 10, relations=not_a_sum)
    shown = ~out.set_index(["area_code", "period"])["suppressed"]
    assert shown[("WK037501", RANGE)] and shown[("WK037501", "2016")]


def test_the_shipped_catalog_says_counts_are_sums_over_years_and_percentages_are_not(catalog) -> None:
    relations = catalog.relations
    assert relations.multi_year_sum("jongeren_jeugdzorg_aantal", "count")
    assert relations.multi_year_sum("een_nieuwe_telling", "count")  # not named anywhere: a sum
    assert not relations.multi_year_sum("jeugdhulp_pct_tot_18", "percent")
    assert not relations.multi_year_sum("bevolkingsdichtheid", "per_km2")


def test_the_period_family_of_a_year_holds_the_multi_year_periods_over_it() -> None:
    present = {"2015/2016", "2016/2017", "2019/2020", "2014"}
    family = period_family({"2015"}, present)
    assert {"2015/2016", "2016/2017", "2016", "2017", "2017-Q3"} <= family
    assert "2019/2020" not in family and "2014" not in family
    assert {"2015", "2016"} <= period_family({"2015/2016"})


@st.composite
def multi_year_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, int, list[Cell]]:
    threshold = draw(st.integers(5, 12))
    frames = []
    for municipality in draw(st.lists(st.sampled_from(["GM0375", "GM0396"]), min_size=1, max_size=2, unique=True)):
        count = draw(st.integers(2, 5))
        wijken = {f"WK{municipality[2:]}{w:02d}": (draw(st.integers(0, 60)), draw(st.integers(0, 60)))
                  for w in range(count)}
        frames.append(table(wijken, municipality=municipality))
    frame = pd.concat(frames, ignore_index=True)
    keep = [i for i in range(len(frame)) if frame.loc[i, "area_level"] != "wijk" or draw(st.integers(0, 9))]
    absent = [(r.indicator_id, r.area_code, r.period) for r in frame.drop(index=keep).itertuples()]
    frame = frame.loc[keep]  # now and then a wijk figure is not in the data (it still counts in the total)
    order = draw(st.permutations(list(range(len(frame)))))
    return frame.iloc[order].reset_index(drop=True), threshold, absent


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multi_year_tables())
def test_no_hidden_wijk_figure_follows_from_shown_years_and_multi_year_sums(generated) -> None:
    frame, threshold, absent = generated
    out = suppress(frame, threshold, relations=RELATIONS)
    small = (frame["area_level"] == "wijk") & (frame["value"] < threshold)
    assert out.loc[small, "suppressed"].all()
    assert not given_away(frame, out, absent)


def _sheet(rows: list[tuple[str, str, float]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "gegevens"
    sheet.append(["indicator", "gebied", "periode", "waarde", "bron"])
    for code, period, value in rows:
        sheet.append(["uithuisplaatsingen_aantal", code, period, value, "Test"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_upload_of_two_years_and_their_sum_gives_no_hidden_wijk_away_on_any_page(seeded_store, catalog) -> None:
    w = sorted(a.code for a in catalog.areas.values() if a.level == "wijk" and a.parent == "GM0375")[:3]
    if len(w) < 3:
        pytest.skip("geen wijkgrenzen van Beverwijk in de catalogus")
    wijken = dict(zip(w, WIJKEN.values(), strict=True))
    frame = table(wijken, indicator="uithuisplaatsingen_aantal")
    rows = [(r.area_code, r.period, r.value) for r in frame.itertuples()]
    plan = plan_import("uithuis.xlsx", _sheet(rows), catalog, seeded_store, load_settings(), "")
    assert plan.can_commit, plan.messages()
    commit_import(plan, seeded_store, "uithuisplaatsingen", "tester")
    # A page asks for one period at a time; what it shows together must give nothing away.
    shown = pd.concat([app_data.query_observations(seeded_store, catalog, 10, indicators=["uithuisplaatsingen_aantal"],
                                                   periods=[p]) for p in ("2015", "2016", RANGE)])
    shown = shown[shown["area_level"] == "wijk"]
    hidden = shown.set_index(["area_code", "period"])["suppressed"]
    assert hidden[(w[0], "2015")]
    frame = frame.assign(area_code=frame["area_code"])
    out = frame.merge(shown[["area_code", "period", "suppressed"]], on=["area_code", "period"], how="left")
    out["suppressed"] = out["suppressed"].fillna(False).astype(bool)
    assert not given_away(frame, out)


def test_a_hidden_quarter_does_not_follow_through_another_wijk_that_has_only_the_year() -> None:
    # Wijk 00 gives its quarters (3 in the first), wijk 01 only its year. The municipality gives both. Then
    # year total - wijk 01's year = wijk 00's year, and minus its other quarters gives the 3 away; no wijk has
    # both a year and its quarters, yet the periods are linked through the municipality's totals.
    quarters, year_01 = [3, 40, 50, 60], 200
    rows = [row("WK037500", "meldingen", n, period=f"2023-Q{q}") for q, n in enumerate(quarters, start=1)]
    rows.append(row("WK037501", "meldingen", year_01, period="2023"))
    rows += [row("GM0375", "meldingen", n + 50, period=f"2023-Q{q}") for q, n in enumerate(quarters, start=1)]
    rows.append(row("GM0375", "meldingen", sum(quarters) + year_01, period="2023"))
    frame = pd.DataFrame(rows)
    out = suppress(frame, 10, relations=RELATIONS)
    shown = ~out.set_index(["area_code", "period"])["suppressed"]
    assert not shown[("WK037500", "2023-Q1")]
    # The reader: wijk 00's year (absent) = its quarters; wijk 01's quarters (absent) add up to its year.
    known_year_00 = shown[("WK037501", "2023")]  # then wijk 00's year follows from the municipality's year
    known_other_quarters = all(shown[("WK037500", f"2023-Q{q}")] for q in (2, 3, 4))
    assert not (known_year_00 and known_other_quarters)


def test_relations_yaml_says_som_or_geen_per_unit_and_indicator(tmp_path, catalog) -> None:
    from dashboard.catalog.loader import CatalogError, load_relations

    path = tmp_path / "relations.yaml"
    path.write_text("multi_year:\n  units: {count: geen}\n  indicators: {uithuisplaatsingen_aantal: som}\n",
                    encoding="utf-8")
    relations = load_relations(path, catalog.indicators)
    assert not relations.multi_year_sum("inwoners_aantal", "count")  # the unit says: not a sum
    assert relations.multi_year_sum("uithuisplaatsingen_aantal", "count")  # the indicator says otherwise
    for text, message in (("multi_year:\n  units: {count: ja}\n", "'ja' is geen ‘som’ of ‘geen’"),
                          ("multi_year:\n  units: {liter: som}\n", "eenheid 'liter' is onbekend"),
                          ("multi_year:\n  indicators: {bestaat_niet: som}\n", "'bestaat_niet' is onbekend")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(CatalogError, match=message):
            load_relations(path, catalog.indicators)
