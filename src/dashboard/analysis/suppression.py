"""Statistical disclosure control for wijk figures (DESIGN.md, Privacy).

Primary suppression: a wijk figure that rests on fewer than `threshold` people is hidden (a count below
the threshold, or a teller or noemer below it; for a percentage the one follows from the other). A wijk
figure that is not itself a count is only shown with the count it rests on: without teller and noemer
it is hidden too.

Secondary (complementary) suppression: within one municipality, indicator and period the wijken add
up to the municipality's figure, and that figure is treated as known (the dashboard shows it, CBS
publishes it). One hidden wijk would then follow by subtraction, so more wijken are hidden, the next
smallest first, until

- at least two wijken are hidden,
- together they are not a small number (their sum, and the sum of their tellers and noemers, is at
  least the threshold), and
- no hidden wijk can be pinned to one value, even by someone who knows these rules: that a hidden
  small figure lies below the threshold, and that a wijk hidden to protect another is at least the
  threshold and at most the smallest wijk still shown.

The municipality's own figure is never hidden, so region figures computed from municipalities stay
safe. Every version of a wijk's figure (several datasets can give one) is hidden when one is.

Across indicators (`relations`: men plus women are the inhabitants, a share rests on a count), the
module `linked` hides more until no hidden number follows from the linked figures of the same wijk
and period either; both steps repeat until neither hides anything new.

The input is a frame of observations with the columns indicator_id, area_code, area_level, period,
value, numerator and denominator, and the unit per row (a `unit` column, or `units` by indicator).
A wijk's municipality is its `area_parent` where the frame has one (a wijk staff defined in an upload joins
its municipality's group that way), else it follows from its code (CBS: WKggggxx lies in GMgggg; a wijk
staff defined: EWgggg_NAAM), or from `municipality_of`.
The frame must hold every wijk of a municipality, indicator and period that is shown together: the
decision for one wijk depends on the others.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.linked import NO_RELATIONS, Relations, protect_linked

SMALL = "klein"
PROTECTS = "bescherming"
NO_BASIS = "zonder_aantallen"
# Internal: hidden by `linked` (shown as PROTECTS). Unlike a wijk hidden by the next-smallest rule, such a
# wijk is not known to be at most the smallest wijk still shown, only to be at least the threshold.
_LINKED = "bescherming_gekoppeld"

HIDDEN_TEXT = {
    SMALL: "te klein om te tonen",
    PROTECTS: "verborgen om een klein aantal te beschermen",
    NO_BASIS: "niet getoond: het aantal waarop het cijfer rust ontbreekt",
}
_WIJK_CODE = re.compile(r"WK(\d{4})[0-9A-Z]{2}|EW(\d{4})_[0-9A-Z_]+")  # Amsterdam: WK0363FD; a defined wijk


def hidden_text(reason: object) -> str:
    """What a reader sees instead of a hidden figure; 'te klein om te tonen' when the reason is unknown."""
    return HIDDEN_TEXT.get(reason, HIDDEN_TEXT[SMALL]) if isinstance(reason, str) else HIDDEN_TEXT[SMALL]


def municipality_of_wijk(area_code: str) -> str:
    """GM0375 for WK037501 (CBS codes: a wijk code starts with its municipality's four digits)."""
    match = _WIJK_CODE.fullmatch(str(area_code))
    if match is None:
        raise ValueError(f"wijkcode {area_code!r} heeft niet de vorm WKggggxx; de gemeente is onbekend")
    return f"GM{match.group(1) or match.group(2)}"


def _municipality_lookup(frame: pd.DataFrame, fallback: Callable[[str], str]) -> Callable[[str], str]:
    """The municipality of each wijk in the frame: its `area_parent` where known, else `fallback`."""
    if "area_parent" not in frame:
        return fallback
    wijken = frame[(frame["area_level"] == "wijk").to_numpy() & frame["area_parent"].notna().to_numpy()]
    parents = dict(zip(wijken["area_code"].tolist(), wijken["area_parent"].tolist(), strict=True))
    if not parents:
        return fallback
    return lambda code: parents[code] if code in parents else fallback(code)


def _nan(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _numbers(frame: pd.DataFrame, units: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value, teller and noemer per row; for a percentage a missing teller or noemer follows from the other."""
    value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    numerator = pd.to_numeric(frame["numerator"], errors="coerce").to_numpy(dtype=float)
    denominator = pd.to_numeric(frame["denominator"], errors="coerce").to_numpy(dtype=float)
    is_percent = (units == "percent").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        numerator = np.where(is_percent & np.isnan(numerator), value * denominator / 100, numerator)
        denominator = np.where(is_percent & np.isnan(denominator) & (value > 0), numerator * 100 / value,
                               denominator)
    return value, numerator, denominator


def primary_reasons(frame: pd.DataFrame, units: pd.Series, threshold: int) -> np.ndarray:
    """Per row: SMALL, NO_BASIS or None (shown). Only wijk rows are ever hidden."""
    is_wijk = (frame["area_level"] == "wijk").to_numpy()
    value, numerator, denominator = _numbers(frame, units)
    is_count = (units == "count").to_numpy()
    with np.errstate(invalid="ignore"):
        small = (is_count & (value < threshold)) | (numerator < threshold) | (denominator < threshold)
    # Not a count: shown only with the count it rests on (a teller or a noemer).
    no_basis = ~is_count & np.isnan(numerator) & np.isnan(denominator)
    reasons = np.full(len(frame), None, dtype=object)
    reasons[is_wijk & no_basis] = NO_BASIS
    reasons[is_wijk & small] = SMALL
    return reasons


@dataclass
class _Wijk:
    """One wijk of a group, over all the rows (dataset versions) that give its figure."""

    code: str
    reason: str | None
    value: float
    numerator: float
    denominator: float

    def basis(self, is_count: bool) -> tuple[float, str]:
        """Order in which wijken are hidden to protect another: smallest count (or teller) first."""
        number = self.value if is_count else self.numerator
        return (math.inf if _nan(number) else number), self.code


def _bounds(wijk: _Wijk, column: str, is_count: bool, threshold: int, smallest_shown: float) -> tuple[float, float]:
    """What someone who knows the rules can tell about a hidden wijk's number in `column`."""
    counts_column = "value" if is_count else "numerator"
    if wijk.reason == SMALL:
        return (0.0, threshold - 1.0) if column == counts_column else (0.0, math.inf)
    if wijk.reason == PROTECTS:
        return float(threshold), (smallest_shown if column == counts_column else math.inf)
    if wijk.reason == _LINKED:
        return float(threshold), math.inf
    return 0.0, math.inf


def _unsafe(hidden: list[_Wijk], shown: list[_Wijk], is_count: bool, threshold: int) -> bool:
    """True when the hidden wijken of a group do not yet protect each other."""
    if len(hidden) == 1:
        return True
    smallest_shown = min((w.basis(is_count)[0] for w in shown), default=math.inf)
    for column in (("value",) if is_count else ("numerator", "denominator")):
        numbers = [getattr(w, column) for w in hidden]
        bounds = [_bounds(w, column, is_count, threshold, smallest_shown) for w in hidden]
        if any(high - low < 1 for low, high in bounds):
            return True  # a wijk hidden to protect another, pinned by the smallest one still shown
        if all(_nan(getattr(w, column)) for w in (*hidden, *shown)):
            continue  # no wijk has this column (a density's area): nothing in it to protect
        known = [n for n in numbers if not _nan(n)]
        if sum(known) < threshold:
            return True  # together the hidden wijken could be a small number
        # A number that is not in the data (a percentage without counts) still counts in the municipality
        # total; reckon with the case that gives the least room: that it is 0.
        total = sum(known)
        for j, (low, high) in enumerate(bounds):
            others = [b for k, b in enumerate(bounds) if k != j]  # summed apart: inf - inf would be nan
            lowest = max(low, total - sum(b[1] for b in others))
            highest = min(high, total - sum(b[0] for b in others))
            if highest - lowest < 1:
                return True  # pinned to a single value
    return False


def _secondary(frame: pd.DataFrame, reasons: np.ndarray, units: pd.Series, threshold: int,
               municipality_of: Callable[[str], str]) -> None:
    """Add PROTECTS to `reasons` (positional) where a hidden wijk would otherwise be derivable."""
    wijk_positions = np.flatnonzero((frame["area_level"] == "wijk").to_numpy())
    if not len(wijk_positions):
        return
    all_codes = frame["area_code"].to_numpy(dtype=object)
    indicators = frame["indicator_id"].to_numpy(dtype=object)
    periods = frame["period"].astype(str).to_numpy(dtype=object)
    codes = all_codes[wijk_positions]
    municipalities = {code: municipality_of(code) for code in set(codes)}
    keys = pd.DataFrame({
        "indicator_id": indicators[wijk_positions],
        "period": periods[wijk_positions],
        "gemeente": [municipalities[c] for c in codes],
        "hidden": [r is not None for r in reasons[wijk_positions]],
    })
    # Only groups with a hidden wijk need work: most groups have none.
    with_hidden = keys.groupby(["indicator_id", "period", "gemeente"], sort=False)["hidden"].transform("any")
    positions = wijk_positions[with_hidden.to_numpy()]
    if not len(positions):
        return
    values, numerators, denominators = _numbers(frame, units)
    # One entry per wijk and group; several versions of one wijk's figure (datasets) are hidden if one
    # is, and the smallest of their numbers count.
    rank = {None: 0, PROTECTS: 1, _LINKED: 2, NO_BASIS: 3, SMALL: 4}
    per_row = pd.DataFrame({
        "group": keys.groupby(["indicator_id", "period", "gemeente"], sort=False).ngroup().to_numpy()[
            with_hidden.to_numpy()],
        "code": all_codes[positions], "pos": positions, "rank": [rank[r] for r in reasons[positions]],
        "value": values[positions], "numerator": numerators[positions], "denominator": denominators[positions],
    })
    per_wijk = per_row.groupby(["group", "code"], sort=False).agg(
        rank=("rank", "max"), value=("value", "min"), numerator=("numerator", "min"),
        denominator=("denominator", "min")).reset_index()
    by_rank = {v: k for k, v in rank.items()}
    groups: dict[int, dict[str, _Wijk]] = {}
    first_row = dict(zip(per_row["group"].tolist(), per_row["pos"].tolist(), strict=True))
    for g, code, r, v, n, d in zip(per_wijk["group"].tolist(), per_wijk["code"].tolist(), per_wijk["rank"].tolist(),
                                   per_wijk["value"].tolist(), per_wijk["numerator"].tolist(),
                                   per_wijk["denominator"].tolist(), strict=True):
        groups.setdefault(g, {})[code] = _Wijk(code, by_rank[r], v, n, d)
    is_count_row = (units == "count").to_numpy()
    protected: set[tuple[int, str]] = set()
    for g, wijken in groups.items():
        is_count = bool(is_count_row[first_row[g]])
        hidden = [w for w in wijken.values() if w.reason is not None]
        shown = sorted((w for w in wijken.values() if w.reason is None), key=lambda w: w.basis(is_count))
        while shown and _unsafe(hidden, shown, is_count, threshold):
            nxt = shown.pop(0)
            nxt.reason = PROTECTS
            hidden.append(nxt)
        protected.update((g, w.code) for w in hidden)
    # Every version of a hidden wijk is hidden: the shown ones as protecting, the others keep their reason.
    hide = np.fromiter(((g, c) in protected for g, c in zip(per_row["group"].tolist(), per_row["code"].tolist(),
                                                             strict=True)), dtype=bool, count=len(per_row))
    for pos in positions[hide & np.array([reasons[p] is None for p in positions], dtype=bool)].tolist():
        reasons[pos] = PROTECTS


def suppress(observations: pd.DataFrame, threshold: int, units: Mapping[str, str] | None = None,
             municipality_of: Callable[[str], str] = municipality_of_wijk,
             relations: Relations = NO_RELATIONS) -> pd.DataFrame:
    """The observations with hidden wijk figures blanked (value, teller, noemer) and marked.

    Adds `suppressed` (bool) and `suppressed_reason` (SMALL, PROTECTS, NO_BASIS or None); show the
    reason with `hidden_text`. Rows other than wijken are never changed. `relations` (the catalog's)
    links indicators; the frame must then hold the linked indicators too (`Relations.closure`).
    """
    frame = observations.copy()
    frame["suppressed"] = False
    frame["suppressed_reason"] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if frame.empty:
        return frame
    if "unit" in frame:
        unit = frame["unit"]
    elif units is not None:
        unit = frame["indicator_id"].map(units)
    else:
        raise ValueError("suppress heeft de eenheid per rij nodig: een kolom unit of units per indicator")
    reasons = primary_reasons(frame, unit, threshold)
    municipality_of = _municipality_lookup(frame, municipality_of)
    _secondary(frame, reasons, unit, threshold, municipality_of)

    def within_indicators(positions: np.ndarray) -> None:
        part = reasons[positions]
        _secondary(frame.iloc[positions], part, unit.iloc[positions], threshold, municipality_of)
        reasons[positions] = part

    protect_linked(frame, reasons, unit, _numbers(frame, unit), relations, municipality_of, _LINKED, NO_BASIS,
                   within_indicators)
    reasons[np.array([r == _LINKED for r in reasons], dtype=bool)] = PROTECTS
    hide = np.array([r is not None for r in reasons], dtype=bool)
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame.loc[hide, [c for c in ("value", "numerator", "denominator", "value_upper") if c in frame.columns]] = np.nan
    frame["suppressed"] = hide
    frame["suppressed_reason"] = pd.Series(reasons, index=frame.index, dtype=object)
    return frame
