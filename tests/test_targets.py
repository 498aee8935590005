"""Every target rule, including missing data, gives the status and reason a policy officer expects."""

import pytest

from dashboard.analysis.targets import Measurement, Status, evaluate
from dashboard.catalog.models import TargetRule

B = Measurement(5.0, "2014")


def rule(kind: str, **kw) -> TargetRule:
    return TargetRule(kind=kind, text="", **kw)


@pytest.mark.parametrize(
    ("kind", "latest", "status"),
    [
        ("blijft_gelijk_of_daalt", 5.0, Status.ON_TRACK),
        ("blijft_gelijk_of_daalt", 4.0, Status.ON_TRACK),
        ("blijft_gelijk_of_daalt", 6.0, Status.ATTENTION),
        ("daalt", 4.9, Status.ON_TRACK),
        ("daalt", 5.0, Status.ATTENTION),
        ("stijgt", 5.1, Status.ON_TRACK),
        ("stijgt", 5.0, Status.ATTENTION),
    ],
)
def test_direction_rules(kind: str, latest: float, status: Status) -> None:
    assert evaluate(rule(kind), B, Measurement(latest, "2019"), "percent").status == status


def test_rising_by_at_least_20_percent() -> None:
    baseline = Measurement(120, "2016")
    enough = evaluate(rule("stijgt_met_minstens", percent=20), baseline, Measurement(144, "2020"), "count")
    short = evaluate(rule("stijgt_met_minstens", percent=20), baseline, Measurement(130, "2020"), "count")
    assert enough.status == Status.ON_TRACK
    assert short.status == Status.ATTENTION
    assert "8,3%" in short.reason and "ten minste 20%" in short.reason


def test_falls_from_a_to_b() -> None:
    r = rule("daalt_van_naar", **{"start": 17, "end": 15})
    base = Measurement(17, "2015")
    assert evaluate(r, base, Measurement(15, "2019"), "percent").status == Status.ON_TRACK
    partial = evaluate(r, base, Measurement(16, "2019"), "percent")
    assert partial.status == Status.ON_TRACK and "nog niet bereikt" in partial.reason
    assert evaluate(r, base, Measurement(18, "2019"), "percent").status == Status.ATTENTION
    # Without a stored baseline the rule's own starting point (17%) is the baseline.
    assert evaluate(r, None, Measurement(16, "2019"), "percent").status == Status.ON_TRACK


def test_qualitative_goal_points_to_notes() -> None:
    result = evaluate(rule("kwalitatief"), None, None, "percent")
    assert result.status == Status.QUALITATIVE
    assert "notities" in result.reason


def test_missing_data() -> None:
    only_baseline = evaluate(rule("daalt"), B, None, "percent")
    assert only_baseline.status == Status.NO_NEW_MEASUREMENT
    assert "5%" in only_baseline.reason and "2014" in only_baseline.reason
    no_baseline = evaluate(rule("stijgt"), None, None, "count")
    assert no_baseline.status == Status.NO_NEW_MEASUREMENT
    assert "0-meting" in no_baseline.reason


def test_a_change_series_is_judged_on_the_sign_of_each_later_change() -> None:
    # Goal 4.2 (IJmond 2018-2021): reports of jeugdoverlast rose 38% in 2016 over 2015 (the 0-meting);
    # "minder meldingen" means a later change must be negative. A smaller rise is still a rise.
    base = Measurement(38, "2015/2016")
    slower = evaluate(rule("daalt"), base, Measurement(10, "2016/2017"), "percent_change")
    assert slower.status == Status.ATTENTION
    assert "+10% (2016-2017)" in slower.reason and "nog steeds een stijging" in slower.reason
    fell = evaluate(rule("daalt"), base, Measurement(-5, "2016/2017"), "percent_change")
    assert fell.status == Status.ON_TRACK and "een daling (-5% (2016-2017))" in fell.reason
    same = evaluate(rule("blijft_gelijk_of_daalt"), base, Measurement(0, "2016/2017"), "percent_change")
    assert same.status == Status.ON_TRACK
    grew = evaluate(rule("stijgt_met_minstens", percent=20), Measurement(5, "2018/2019"),
                    Measurement(12, "2019/2020"), "percent_change")
    assert grew.status == Status.ATTENTION and "ten minste 20%" in grew.reason


def test_on_course_needs_a_baseline_and_a_later_measurement() -> None:
    # Regiovisie goal 4.3: one change (-26%, 2018-2020) without a 0-meting is a starting picture, no trend.
    single = evaluate(rule("daalt"), None, Measurement(-26, "2018/2020"), "percent_change")
    assert single.status == Status.NO_NEW_MEASUREMENT
    assert "geen 0-meting" in single.reason and "-26% (2018-2020)" in single.reason
    only_base = evaluate(rule("daalt"), Measurement(-26, "2018/2020"), None, "percent_change")
    assert only_base.status == Status.NO_NEW_MEASUREMENT and "Alleen de 0-meting" in only_base.reason
    assert evaluate(rule("daalt"), None, None, "percent_change").status == Status.NO_NEW_MEASUREMENT
    # The same holds for levels: a latest value without a 0-meting is not "op koers".
    assert evaluate(rule("daalt"), None, Measurement(3, "2020"), "percent").status == Status.NO_NEW_MEASUREMENT


def test_a_number_to_reach_by_a_date() -> None:
    # Transformatieplan: "20 overbelaste gezinnen ondersteund per eind 2019".
    r = rule("bereikt_minstens", end=20, deadline="2019")
    assert evaluate(r, None, Measurement(21, "2019"), "count").status == Status.ON_TRACK
    late = evaluate(r, None, Measurement(14, "2019"), "count")
    assert late.status == Status.ATTENTION and "het doel is 20 per 2019" in late.reason
    rising = evaluate(r, Measurement(4, "2018-H1"), Measurement(12, "2018"), "count")
    assert rising.status == Status.ON_TRACK and "nog niet bereikt" in rising.reason
    assert evaluate(r, None, None, "count").status == Status.NO_NEW_MEASUREMENT


def test_the_shipped_goals_draw_no_wrong_conclusion(seeded_store, catalog) -> None:
    """Issue 19's wrong conclusions, on the figures the product ships (not only on hand-made measurements)."""
    from dashboard.analysis.goals import current_values, evaluate_framework

    values = current_values(seeded_store.observations())
    ij18 = {(r.goal_id, r.area_code, r.indicator_id): r
            for r in evaluate_framework(catalog.frameworks["ijmond-2018-2021"], catalog, values)}
    # Goal 4.2: the 0-meting is the change 2016 over 2015, stored under "2015/2016"; with no later change the goal
    # is not judged (neither "op koers" nor "aandacht nodig" from the +38% itself).
    for area, change in (("GM0375", 38), ("GM0396", 24), ("GM0453", 7)):
        result = ij18[("ij18-4.2", area, "meldingen_jeugdoverlast_verandering_pct")]
        assert (result.baseline.period, result.baseline.value) == ("2015/2016", change)
        assert result.evaluation.status == Status.NO_NEW_MEASUREMENT
    # Regiovisie goal 4.3: the single change 2018-2020 (-26%) is the 0-meting, not a trend "op koers".
    rv = [r for r in evaluate_framework(catalog.frameworks["regiovisie-2021"], catalog, values)
          if r.goal_id == "rv-4.3"]
    assert [(r.baseline.value, r.latest, r.evaluation.status) for r in rv] == [
        (-26.0, None, Status.NO_NEW_MEASUREMENT)]
    # Nothing in any framework is "op koers" without both a 0-meting and a later measurement.
    for framework in catalog.frameworks.values():
        for r in evaluate_framework(framework, catalog, values):
            if r.evaluation.status == Status.ON_TRACK:
                assert r.latest is not None and (r.baseline is not None or "bereikt" in r.evaluation.reason.lower()), \
                    (framework.id, r.goal_id, r.area_code, r.evaluation.reason)
