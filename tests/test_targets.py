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


def test_change_indicators_judge_the_sign_of_the_change() -> None:
    fell = evaluate(rule("daalt"), None, Measurement(-26, "2018/2020"), "percent_change")
    rose = evaluate(rule("daalt"), None, Measurement(38, "2016"), "percent_change")
    assert fell.status == Status.ON_TRACK and "-26%" in fell.reason and "2018-2020" in fell.reason
    assert rose.status == Status.ATTENTION and "+38%" in rose.reason
    assert evaluate(rule("daalt"), None, None, "percent_change").status == Status.NO_NEW_MEASUREMENT
