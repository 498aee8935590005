"""Disclosure across indicators: a hidden wijk figure does not follow from linked indicators either.

Men plus women are the inhabitants of a wijk, the age groups add up to them, a share's teller is a
count. The property test checks recoverability with its own linear system (every cell a variable,
the links as equations), not with the module's merged quantities.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from dashboard import cli
from dashboard.analysis.linked import Relations, ShareRule, SumRule
from dashboard.analysis.suppression import PROTECTS, SMALL, suppress
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import DATA_DIR, load_settings
from dashboard.views.upload_preview import preview_frame

RELATIONS = Relations(
    sums=(SumRule("inwoners", ("mannen", "vrouwen")), SumRule("inwoners", ("jong", "oud"))),
    shares=(ShareRule("jong_pct", numerator="jong", denominator="inwoners"),),
)


def row(code: str, indicator: str, value: float, numerator: float | None = None, denominator: float | None = None,
        unit: str = "count", period: str = "2023") -> dict:
    return {"indicator_id": indicator, "area_code": code, "area_level": "wijk" if code.startswith("WK") else "gemeente",
            "period": period, "value": value, "numerator": numerator, "denominator": denominator, "unit": unit,
            "dataset_id": 1}


def people(municipality: str, wijken: list[tuple[int, int]], with_age: bool = False) -> list[dict]:
    """Men and women per wijk (inhabitants their sum), with the municipality's totals."""
    rows = []
    for w, (men, women) in enumerate(wijken):
        code = f"WK{municipality[2:]}{w:02d}"
        rows += [row(code, "mannen", men), row(code, "vrouwen", women), row(code, "inwoners", men + women)]
    totals = [sum(m for m, _ in wijken), sum(v for _, v in wijken)]
    rows += [row(municipality, "mannen", totals[0]), row(municipality, "vrouwen", totals[1]),
             row(municipality, "inwoners", sum(totals))]
    return rows


def test_a_hidden_wijk_total_does_not_follow_from_its_shown_men_and_women() -> None:
    # Wijk 00 has 8 inhabitants (4 men, 4 women): hidden everywhere. Per indicator alone, the next smallest
    # wijk is hidden: for men that is wijk 01 (30), whose inhabitants (230) and women (200) stay shown, so
    # its men are 230 - 200 = 30, and wijk 00's men follow from the municipality's total.
    frame = pd.DataFrame(people("GM0375", [(4, 4), (30, 200), (120, 25), (300, 310)]))
    alone = suppress(frame, 10)
    linked = suppress(frame, 10, relations=RELATIONS)
    hidden = linked[linked["suppressed"]].set_index(["area_code", "indicator_id"])["suppressed_reason"]
    plain = alone.set_index(["area_code", "indicator_id"])["suppressed"]
    assert plain[("WK037501", "mannen")] and not plain[("WK037501", "inwoners")] \
        and not plain[("WK037501", "vrouwen")]
    assert hidden[("WK037500", "inwoners")] == SMALL
    # With it: in every wijk where inhabitants are hidden, men or women are hidden too, and vice versa.
    for code in ("WK037500", "WK037501", "WK037502", "WK037503"):
        shown = {i: (code, i) not in hidden.index for i in ("inwoners", "mannen", "vrouwen")}
        assert sum(not s for s in shown.values()) != 1, (code, shown)
    assert set(hidden.unique()) == {SMALL, PROTECTS}
    assert not linked.loc[linked["area_level"] == "gemeente", "suppressed"].any()


def test_a_wijk_without_any_figure_of_a_sum_rule_still_links_through_the_municipality_totals() -> None:
    """Found by the property test. Wijk 00 shows only its young (2, hidden) and old (30); wijk 01 only its
    men (20) and women (25); the municipality shows all five totals. Then wijk 00's men and women are the
    totals minus wijk 01's, its inhabitants their sum, and its young the inhabitants minus the old."""
    frame = pd.DataFrame([
        row("WK037500", "jong", 2), row("WK037500", "oud", 30), row("WK037501", "mannen", 20),
        row("WK037501", "vrouwen", 25), row("GM0375", "mannen", 30), row("GM0375", "vrouwen", 47),
        row("GM0375", "jong", 17), row("GM0375", "oud", 60), row("GM0375", "inwoners", 77)])
    out = suppress(frame, 5, relations=RELATIONS).set_index(["area_code", "indicator_id"])
    assert out.loc[("WK037500", "jong"), "suppressed_reason"] == SMALL
    shown = {key for key, hidden in out["suppressed"].items() if not hidden}
    # 2 = (30 - 20) + (47 - 25) - 30: one of these must be hidden as well.
    assert not {("WK037500", "oud"), ("WK037501", "mannen"), ("WK037501", "vrouwen")} <= shown, shown
    assert not out.loc[out.index.get_level_values(0) == "GM0375", "suppressed"].any()


def test_a_share_hidden_to_protect_another_hides_the_count_it_rests_on() -> None:
    rows = []
    for w, (young, total) in enumerate([(3, 50), (40, 400), (60, 300), (90, 500)]):
        code = f"WK0375{w:02d}"
        rows += [row(code, "jong", young), row(code, "inwoners", total),
                 row(code, "jong_pct", 100 * young / total, young, total, unit="percent")]
    rows += [row("GM0375", "jong", 193), row("GM0375", "inwoners", 1250),
             row("GM0375", "jong_pct", 100 * 193 / 1250, 193, 1250, unit="percent")]
    out = suppress(pd.DataFrame(rows), 10, relations=RELATIONS).set_index(["area_code", "indicator_id"])
    for code in ("WK037500", "WK037501", "WK037502", "WK037503"):
        # A hidden share and a shown count of the same wijk would give the share's teller away, and the reverse.
        assert out.loc[(code, "jong_pct"), "suppressed"] == out.loc[(code, "jong"), "suppressed"], code
    assert out["suppressed"].sum() >= 4


def test_closure_names_every_indicator_that_a_decision_depends_on() -> None:
    assert RELATIONS.closure({"mannen"}) == {"mannen", "vrouwen", "inwoners", "jong", "oud", "jong_pct"}
    assert RELATIONS.closure({"iets_anders"}) == {"iets_anders"}


# -- property: no hidden cell is a linear combination of what is shown ---------------------------------

COUNTS = ("mannen", "vrouwen", "jong", "oud", "inwoners")


@st.composite
def linked_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, int, list[tuple[str, str]]]:
    """Random wijk tables of linked indicators; now and then a count is not in the data (but, as in
    reality, still part of the municipality's total). Returns the rows, the threshold and the absent cells."""
    threshold = draw(st.integers(5, 12))
    rows: list[dict] = []
    absent: list[tuple[str, str]] = []
    for municipality in draw(st.lists(st.sampled_from(["GM0375", "GM0396"]), min_size=1, max_size=2, unique=True)):
        wijken = draw(st.integers(2, 6))
        totals = dict.fromkeys(COUNTS, 0)
        for w in range(wijken):
            code = f"WK{municipality[2:]}{w:02d}"
            men, women = draw(st.integers(0, 80)), draw(st.integers(0, 80))
            young = draw(st.integers(0, men + women))
            cells = {"mannen": men, "vrouwen": women, "jong": young, "oud": men + women - young,
                     "inwoners": men + women}
            for indicator in COUNTS:
                totals[indicator] += cells[indicator]
                if draw(st.integers(0, 9)) == 0:
                    absent.append((code, indicator))
                else:
                    rows.append(row(code, indicator, float(cells[indicator])))
            if men + women and draw(st.booleans()):
                rows.append(row(code, "jong_pct", 100 * young / (men + women), float(young), float(men + women),
                                unit="percent"))
        for indicator in COUNTS:
            rows.append(row(municipality, indicator, float(totals[indicator])))
    frame = pd.DataFrame(rows)
    order = draw(st.permutations(list(range(len(frame)))))
    return frame.iloc[order].reset_index(drop=True), threshold, absent


def _variables_and_equations(frame: pd.DataFrame, absent: list[tuple[str, str]]) -> tuple[list[tuple], np.ndarray]:
    """Every wijk cell (count value, share teller and noemer), in the data or not, is a variable; the
    equations a reader knows: wijken add up to the municipality per count indicator, men + women =
    inhabitants and young + old = inhabitants per wijk, a share's teller is 'jong' and its noemer 'inwoners'."""
    wijken = frame[frame["area_level"] == "wijk"]
    variables: list[tuple] = [(code, indicator, "value") for code, indicator in absent]
    for r in wijken.itertuples():
        if r.unit == "count":
            variables.append((r.area_code, r.indicator_id, "value"))
        else:
            variables += [(r.area_code, r.indicator_id, "numerator"), (r.area_code, r.indicator_id, "denominator")]
    index = {v: i for i, v in enumerate(variables)}
    equations: list[dict[int, float]] = []
    by_column: dict[tuple, list[int]] = {}
    for (code, indicator, column), i in index.items():
        if indicator != "jong_pct":  # the share's municipality teller and noemer are those of the counts
            by_column.setdefault((code[2:6], indicator, column), []).append(i)
    equations += [dict.fromkeys(ids, 1.0) for ids in by_column.values()]
    for code in {v[0] for v in variables}:
        def var(indicator: str, column: str = "value", code: str = code) -> int | None:
            return index.get((code, indicator, column))
        for parts in (("mannen", "vrouwen"), ("jong", "oud")):
            ids = [var(p) for p in parts] + [var("inwoners")]
            equations.append({ids[0]: 1.0, ids[1]: 1.0, ids[2]: -1.0})
        for column, count in (("numerator", "jong"), ("denominator", "inwoners")):
            a, b = var("jong_pct", column), var(count)
            if a is not None:
                equations.append({a: 1.0, b: -1.0})
    matrix = np.zeros((len(equations), len(variables)))
    for e, eq in enumerate(equations):
        for i, c in eq.items():
            matrix[e, i] = c
    return variables, matrix


def _determined(matrix: np.ndarray, unknown: list[int]) -> set[int]:
    """Unknown variables that the equations (the known ones moved to the right-hand side) fix."""
    if not unknown:
        return set()
    sub = matrix[:, unknown]
    rank = np.linalg.matrix_rank(sub)
    return {v for j, v in enumerate(unknown)
            if np.linalg.matrix_rank(np.vstack([sub, np.eye(len(unknown))[j]])) == rank}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_tables())
def test_no_hidden_wijk_figure_follows_from_the_shown_figures_of_linked_indicators(table) -> None:
    frame, threshold, absent = table
    out = suppress(frame, threshold, relations=RELATIONS)
    shown = ~out["suppressed"]
    pd.testing.assert_series_equal(out.loc[shown, "value"], frame.loc[shown, "value"])
    small = (frame["area_level"] == "wijk") & (
        ((frame["unit"] == "count") & (frame["value"] < threshold)) | (frame["numerator"] < threshold)
        | (frame["denominator"] < threshold))
    assert out.loc[small, "suppressed"].all()
    variables, matrix = _variables_and_equations(frame, absent)
    hidden_cells = set(out.loc[out["suppressed"], ["area_code", "indicator_id"]].itertuples(index=False, name=None))
    unknown = [i for i, (code, indicator, _column) in enumerate(variables)
               if (code, indicator) in hidden_cells or (code, indicator) in absent]
    determined = _determined(matrix, unknown)
    # What the municipality's totals give away even with every wijk figure hidden (a municipality with one
    # wijk left for an indicator) cannot be protected by hiding more; everything else must stay open.
    unavoidable = _determined(matrix, list(range(len(variables))))
    given_away = {variables[i] for i in determined - unavoidable} - {v for v in variables if v[:2] in absent}
    # A hidden count is never given away; a hidden share only if both its teller and noemer are.
    assert all(indicator == "jong_pct" for _code, indicator, _column in given_away), given_away
    for code, indicator, _column in given_away:
        assert {(code, indicator, "numerator"), (code, indicator, "denominator")} - given_away, code
    # A hidden share is not a shown teller over a shown noemer.
    shown_cells = out[~out["suppressed"]].set_index(["area_code", "indicator_id"])["value"]
    for r in out[out["suppressed"] & (out["indicator_id"] == "jong_pct")].itertuples():
        assert (r.area_code, "jong") not in shown_cells.index or (r.area_code, "inwoners") not in shown_cells.index


# -- the catalog's relations and the shipped CBS figures ----------------------------------------------


def test_every_link_the_cbs_tables_name_is_a_relation_of_the_catalog(catalog) -> None:
    """What data/cbs stores as a teller, noemer or sum is known to the privacy rule (relations.yaml)."""
    shares = {(s.indicator, s.numerator, s.denominator) for s in catalog.relations.shares}
    share_numerators = {(s.indicator, s.numerator) for s in catalog.relations.shares}
    sums = {(r.total, frozenset(r.parts)) for r in catalog.relations.sums}
    recorded = yaml.safe_load((DATA_DIR / "cbs" / "meegeleverd.yaml").read_text(encoding="utf-8"))["datasets"]
    tables = yaml.safe_load((DATA_DIR / "cbs" / "tabellen.yaml").read_text(encoding="utf-8"))["tables"]
    checked = 0
    for entry in recorded:
        by_column = {t["column"]: t["indicator"] for t in entry["topics"]}
        for topic in entry["topics"]:
            if topic.get("numerator"):
                assert (topic["indicator"], by_column[topic["numerator"]]) in share_numerators, topic
                checked += 1
        for derived in entry.get("derived", []):
            if "sum_of" in derived:
                assert (derived["indicator"], frozenset(by_column[c] for c in derived["sum_of"])) in sums, derived
            else:
                assert (derived["indicator"], by_column[derived["numerator"]],
                        by_column[derived["denominator"]]) in shares, derived
            checked += 1
    for table in tables:
        by_topic = {t["topic"]: t["indicator"] for t in table["topics"]}
        for topic in table["topics"]:
            if topic.get("numerator"):
                assert (topic["indicator"], by_topic[topic["numerator"]]) in share_numerators, topic
                checked += 1
    assert checked >= 6


def test_the_shipped_cbs_figures_add_up_as_the_relations_say() -> None:
    """Men plus women are the inhabitants in every municipality (exact) and wijk (CBS rounds wijk figures
    to five, so within 10); the age groups add up to the inhabitants in every municipality of 2019."""
    kwb_2024 = pd.read_csv(DATA_DIR / "cbs" / "kwb_2024_85984NED_gemeenten_wijken.csv").dropna(
        subset=["AantalInwoners_5", "Mannen_6", "Vrouwen_7"])
    gap = (kwb_2024["Mannen_6"] + kwb_2024["Vrouwen_7"] - kwb_2024["AantalInwoners_5"]).abs()
    assert (gap[kwb_2024["soort_regio"] == "Gemeente"] == 0).all()
    assert (gap <= 10).all() and len(kwb_2024) > 3000
    kwb_2019 = pd.read_csv(DATA_DIR / "cbs" / "kwb_2019_gemeenten_leeftijd.csv")
    ages = kwb_2019[["b_00_14", "b_15_24", "b_25_44", "b_45_64", "b_65_oo"]].sum(axis=1)
    assert (ages == kwb_2019["population"]).all() and (kwb_2019["men"] + kwb_2019["women"] ==
                                                        kwb_2019["population"]).all()


def _hidden_by_wijk(rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame = frame[frame["area_code"].str.startswith("WK") & (frame["period"] == "2024")]
    return frame.assign(hidden=frame["value"] == "").pivot_table(
        index="area_code", columns="indicator_id", values="hidden", aggfunc="max")


def test_the_export_of_the_shipped_figures_gives_no_hidden_inhabitants_away(seeded_store, monkeypatch,
                                                                            capsys) -> None:
    """CBS 2024 per wijk: inhabitants, men, women, density (teller: inhabitants), dwellings per 1.000
    inhabitants. Without the links 27 wijken showed inhabitants and one of men and women (the other is
    the difference) and 18 hid their inhabitants but showed the density's teller."""
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", seeded_store.url)
    capsys.readouterr()
    assert cli.main(["export"]) == 0
    hidden = _hidden_by_wijk(list(csv.DictReader(io.StringIO(capsys.readouterr().out))))
    assert hidden["inwoners_aantal"].sum() > 20  # there are small wijken to protect
    hidden = hidden.fillna(True).astype(bool)
    people = hidden[["inwoners_aantal", "mannen_aantal", "vrouwen_aantal"]].sum(axis=1)
    assert not (people == 1).any(), hidden[people == 1]
    assert not (hidden["inwoners_aantal"] & ~hidden["bevolkingsdichtheid"]).any()
    assert not (hidden["inwoners_aantal"] & ~hidden["woningen_per_1000_inwoners"]).any()


def _sheet(rows: list[tuple[str, str, float]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "gegevens"
    sheet.append(["indicator", "gebied", "periode", "waarde", "bron"])
    for indicator, code, value in rows:
        sheet.append([indicator, code, "2023", value, "Test"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_upload_preview_hides_as_the_pages_will_with_the_stored_linked_indicator(seeded_store, catalog) -> None:
    w = sorted(a.code for a in catalog.areas.values() if a.level == "wijk" and a.parent == "GM0375")[:4]
    if len(w) < 4:
        pytest.skip("geen wijkgrenzen van Beverwijk in de catalogus")
    inhabitants = {"GM0375": 1000, w[0]: 8, w[1]: 300, w[2]: 292, w[3]: 400}
    first = plan_import("inwoners.xlsx", _sheet([("inwoners_aantal", c, v) for c, v in inhabitants.items()]),
                        catalog, seeded_store, load_settings(), "")
    commit_import(first, seeded_store, "inwoners", "tester")
    men = {"GM0375": 384, w[0]: 4, w[1]: 30, w[2]: 150, w[3]: 200}
    women = {c: inhabitants[c] - men[c] for c in men}
    rows = [("mannen_aantal", c, v) for c, v in men.items()] + [("vrouwen_aantal", c, v) for c, v in women.items()]
    plan = plan_import("geslacht.xlsx", _sheet(rows), catalog, seeded_store, load_settings(), "")
    assert plan.can_commit, plan.messages()
    stored = seeded_store.observations(indicators=catalog.relations.closure({"mannen_aantal", "vrouwen_aantal"}),
                                       periods={"2023"})
    preview = preview_frame(plan.rows, catalog, 10, stored).set_index(["indicator_id", "area_code"])["suppressed"]
    commit_import(plan, seeded_store, "geslacht", "tester")
    after = suppress(seeded_store.observations(periods={"2023"}), 10, relations=catalog.relations)
    after = after[after["area_code"].isin(w)].set_index(["indicator_id", "area_code"])["suppressed"]
    for key, hidden in preview.items():
        assert key[1] == "GM0375" or after[key] == hidden, key  # the preview shows exactly what the pages will show
    for code in w:
        hidden = [bool(after[(i, code)]) for i in ("inwoners_aantal", "mannen_aantal", "vrouwen_aantal")]
        assert sum(hidden) != 1, (code, hidden)  # never one of the three alone: it would follow from the others
    assert preview[("mannen_aantal", w[1])]  # 30 men next to 300 inhabitants and 270 women: not alone


def test_a_hidden_quarter_does_not_follow_from_its_year_and_the_other_quarters() -> None:
    # Wijk 01: 3 in the first quarter, 40, 50 and 60 in the others, 153 in the year. Per period alone,
    # Q1 hides wijk 01 and the next smallest wijk; but 153 - 40 - 50 - 60 gives the 3 away.
    quarters = {"WK037501": [3, 40, 50, 60], "WK037502": [30, 35, 45, 50], "WK037503": [80, 90, 70, 60]}
    rows = []
    for code, numbers in quarters.items():
        rows += [row(code, "meldingen", n, period=f"2023-Q{q}") for q, n in enumerate(numbers, start=1)]
        rows.append(row(code, "meldingen", sum(numbers), period="2023"))
    for q in range(4):
        rows.append(row("GM0375", "meldingen", sum(n[q] for n in quarters.values()), period=f"2023-Q{q + 1}"))
    rows.append(row("GM0375", "meldingen", sum(sum(n) for n in quarters.values()), period="2023"))
    frame = pd.DataFrame(rows)
    out = suppress(frame, 10, relations=RELATIONS)  # no catalog relation needed: periods are linked by name
    wijk = out["area_level"] == "wijk"
    assert out.loc[wijk & (out["period"] == "2023-Q1") & (out["area_code"] == "WK037501"), "suppressed_reason"].item() \
        == SMALL
    # The reader's equations: per period the wijken add up to the municipality, per wijk the quarters to the year.
    cells = [(r.area_code, r.period) for r in out[wijk].itertuples()]
    index = {c: i for i, c in enumerate(cells)}
    equations = [[1.0 if c[1] == period else 0.0 for c in cells] for period in {c[1] for c in cells}]
    for code in quarters:
        equations.append([(-1.0 if c == (code, "2023") else 1.0 if c[0] == code and c[1] != "2023" else 0.0)
                          for c in cells])
    matrix = np.array(equations)
    hidden = [index[(r.area_code, r.period)] for r in out[wijk & out["suppressed"]].itertuples()]
    unavoidable = _determined(matrix, list(range(len(cells))))
    assert not _determined(matrix, hidden) - unavoidable
    # Suppressed one period at a time (without the link between the periods), the 3 would follow.
    alone = pd.concat([suppress(frame[frame["period"] == p], 10) for p in frame["period"].unique()]).loc[frame.index]
    hidden_alone = [index[(r.area_code, r.period)] for r in alone[wijk & alone["suppressed"]].itertuples()]
    assert index[("WK037501", "2023-Q1")] in _determined(matrix, hidden_alone)
