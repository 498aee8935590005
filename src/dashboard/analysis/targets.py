"""Target rules as code: "wanneer zijn we tevreden" turned into a status with its reason in words.

Rules compare the latest measurement after the baseline with the baseline. For an
indicator that is itself a change (unit ``percent_change``), "daalt" means the change
is negative: the quantity it measures went down.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dashboard.analysis.periods import label, sort_key
from dashboard.catalog.models import TargetRule
from dashboard.formatting import format_number, format_observation, format_value


class Status(StrEnum):
    ON_TRACK = "op koers"
    ATTENTION = "aandacht nodig"
    NO_NEW_MEASUREMENT = "geen nieuwe meting"
    QUALITATIVE = "kwalitatief, zie notities"


# Sort order on the KPI page: what needs attention first.
STATUS_ORDER = {
    Status.ATTENTION: 0,
    Status.ON_TRACK: 1,
    Status.NO_NEW_MEASUREMENT: 2,
    Status.QUALITATIVE: 3,
}


@dataclass(frozen=True)
class Measurement:
    value: float
    period: str
    upper: float | None = None  # a range stated in the document ("11 tot 12 procent"): value is the lower bound
    estimate: bool = False  # the document calls it an estimate ("zo'n 2.000")


@dataclass(frozen=True)
class Evaluation:
    status: Status
    reason: str


def _fmt(m: Measurement, unit: str) -> str:
    return f"{format_observation(m.value, unit, m.upper, m.estimate)} ({label(m.period)})"


def _change_words(m: Measurement, unit: str) -> str:
    kind = "een daling" if m.value < 0 else ("een stijging" if m.value > 0 else "geen verandering")
    return f"{kind} ({_fmt(m, unit)})"


def _evaluate_change(rule: TargetRule, baseline: Measurement | None, latest: Measurement | None,
                     unit: str) -> Evaluation:
    """A series of changes ("+38% in 2016 t.o.v. 2015"): the rule is about the sign of each later change.

    "Daalt" means the measured quantity goes down, so a later change must be negative; a smaller rise
    (+10% after +38%) is still a rise. "Op koers" needs the 0-meting (the change the plan starts from)
    and a later change; a single change, without a 0-meting, is a starting picture and no trend.
    """
    if baseline is None:
        if latest is None:
            return Evaluation(Status.NO_NEW_MEASUREMENT, "Er is nog geen 0-meting en geen meting.")
        return Evaluation(
            Status.NO_NEW_MEASUREMENT,
            f"Er is nog geen 0-meting; de enige bekende verandering is {_change_words(latest, unit)}. "
            "Voor ‘op koers’ zijn een 0-meting en een latere meting nodig.",
        )
    if latest is None:
        return Evaluation(
            Status.NO_NEW_MEASUREMENT,
            f"Alleen de 0-meting is bekend: {_change_words(baseline, unit)}. Er is nog geen nieuwe meting.",
        )
    went_down, went_up = latest.value < 0, latest.value > 0
    if rule.kind in ("daalt", "daalt_van_naar"):
        ok, wanted = went_down, "een daling (een negatieve verandering)"
    elif rule.kind == "blijft_gelijk_of_daalt":
        ok, wanted = not went_up, "geen stijging"
    elif rule.kind == "stijgt_met_minstens" and rule.percent is not None:
        ok, wanted = latest.value >= rule.percent, f"een stijging van ten minste {format_number(rule.percent, 0)}%"
    else:  # stijgt
        ok, wanted = went_up, "een stijging (een positieve verandering)"
    reason = (f"0-meting: {_change_words(baseline, unit)}; laatste meting: {_change_words(latest, unit)}. "
              f"Het doel vraagt {wanted}")
    if not ok and went_up and baseline.value > latest.value:
        reason += "; een kleinere stijging dan bij de 0-meting is nog steeds een stijging"
    return Evaluation(Status.ON_TRACK if ok else Status.ATTENTION, reason + ".")


def _evaluate_reached(rule: TargetRule, baseline: Measurement | None, latest: Measurement | None,
                      unit: str) -> Evaluation:
    """A number to reach by a date ("20 overbelaste gezinnen ondersteund per eind 2019")."""
    target = float(rule.end or 0)
    goal = f"het doel is {format_value(target, unit)}" + (f" per {label(rule.deadline)}" if rule.deadline else "")
    if latest is None:
        return Evaluation(Status.NO_NEW_MEASUREMENT, f"Er is nog geen meting; {goal}.")
    if latest.value >= target:
        return Evaluation(Status.ON_TRACK, f"Doel bereikt: {_fmt(latest, unit)}; {goal}.")
    if rule.deadline and sort_key(latest.period) >= sort_key(rule.deadline):
        return Evaluation(Status.ATTENTION, f"Niet bereikt: {_fmt(latest, unit)}; {goal}.")
    if baseline is not None and latest.value > baseline.value:
        return Evaluation(Status.ON_TRACK, f"Gestegen van {_fmt(baseline, unit)} naar {_fmt(latest, unit)}; "
                                           f"{goal}, nog niet bereikt.")
    return Evaluation(Status.NO_NEW_MEASUREMENT,
                      f"Nog niet bereikt: {_fmt(latest, unit)}; {goal}. Zonder 0-meting is de voortgang niet te zien."
                      if baseline is None else f"Niet gestegen: {_fmt(latest, unit)}; {goal}.")


def evaluate(
    rule: TargetRule,
    baseline: Measurement | None,
    latest: Measurement | None,
    unit: str,
) -> Evaluation:
    """Status of one indicator for one area against its rule.

    ``latest`` is the most recent measurement *after* the baseline period (or the most
    recent at all when the goal has no baseline period).
    """
    if rule.kind == "kwalitatief":
        return Evaluation(
            Status.QUALITATIVE,
            "Dit doel heeft geen cijfermatige norm; het wordt kwalitatief gevolgd (zie de notities).",
        )
    if unit == "percent_change":
        return _evaluate_change(rule, baseline, latest, unit)
    if rule.kind == "bereikt_minstens":
        return _evaluate_reached(rule, baseline, latest, unit)
    if rule.kind == "daalt_van_naar" and baseline is None and rule.start is not None:
        baseline = Measurement(rule.start, "0-meting")
    if baseline is None:
        return Evaluation(
            Status.NO_NEW_MEASUREMENT,
            "Er is nog geen 0-meting" + (f"; de laatste meting is {_fmt(latest, unit)}." if latest else "."),
        )
    if latest is None:
        return Evaluation(
            Status.NO_NEW_MEASUREMENT,
            f"Alleen de 0-meting is bekend: {_fmt(baseline, unit)}. Er is nog geen nieuwe meting.",
        )
    change = f"van {_fmt(baseline, unit)} naar {_fmt(latest, unit)}"
    delta = latest.value - baseline.value
    if rule.kind == "blijft_gelijk_of_daalt":
        if delta <= 0:
            return Evaluation(Status.ON_TRACK, f"Gelijk gebleven of gedaald, {change}.")
        return Evaluation(Status.ATTENTION, f"Gestegen {change}; het doel is gelijk blijven of dalen.")
    if rule.kind == "daalt":
        if delta < 0:
            return Evaluation(Status.ON_TRACK, f"Gedaald {change}.")
        return Evaluation(Status.ATTENTION, f"Niet gedaald: {change}; het doel is een daling.")
    if rule.kind == "stijgt":
        if delta > 0:
            return Evaluation(Status.ON_TRACK, f"Gestegen {change}.")
        return Evaluation(Status.ATTENTION, f"Niet gestegen: {change}; het doel is een stijging.")
    if rule.kind == "stijgt_met_minstens":
        required = float(rule.percent or 0)
        if baseline.value == 0:
            growth_ok = latest.value > 0
            growth_text = "gestegen vanaf 0" if growth_ok else "niet gestegen"
        else:
            growth = delta / baseline.value * 100
            growth_ok = growth >= required
            growth_text = f"{'gestegen' if growth >= 0 else 'gedaald'} met {format_number(abs(growth), 1)}%"
        goal = f"het doel is een stijging van ten minste {format_number(required, 0)}%"
        status = Status.ON_TRACK if growth_ok else Status.ATTENTION
        return Evaluation(status, f"{growth_text.capitalize()} ({change}); {goal}.")
    if rule.kind == "daalt_van_naar":
        target = float(rule.end) if rule.end is not None else baseline.value
        target_text = format_value(target, unit)
        if latest.value <= target:
            return Evaluation(Status.ON_TRACK, f"Doel van {target_text} bereikt: {change}.")
        if delta < 0:
            return Evaluation(Status.ON_TRACK, f"Gedaald {change}; het doel van {target_text} is nog niet bereikt.")
        return Evaluation(Status.ATTENTION, f"Niet gedaald: {change}; het doel is {target_text}.")
    raise ValueError(f"onbekende doelregel {rule.kind!r}")
