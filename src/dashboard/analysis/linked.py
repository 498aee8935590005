"""Disclosure across indicators: figures that add up or rest on each other (DESIGN.md, Privacy).

`suppression` protects each municipality, indicator and period on its own. But indicators are linked:
for one wijk and period, men plus women are the inhabitants, the age groups add up to them, and a share
rests on the count it is computed from (its teller is that count). A wijk's hidden number of inhabitants
then follows from its shown men and women, and a hidden count from a shown share with its teller.

The rule, per municipality and period, over the indicators that `Relations` names:

- a number (a count, or the teller or noemer of a share) is *known* when any shown row shows it: a count
  row shows its value, a share row its teller and noemer, and a share's teller is the same number as the
  count it rests on (likewise its noemer);
- the known numbers and these equations are what a reader has: each indicator's wijken add up to the
  municipality's figure, and each sum rule holds per wijk (a total equals the sum of its parts);
- no hidden number may be determined by them (exact linear algebra: a hidden number is determined when
  it is a linear combination of the equations). While one is, the smallest known number that shares an
  equation with it is hidden too (hidden to protect another);
- a hidden count is not shown as a share's teller or noemer either, and a hidden share may not have both
  its teller and noemer known: then its teller (the count) is hidden.

A number that is not in the data for a wijk in the data is unknown to the reader, but still part of
the municipality's figure. The equations are treated as exact although CBS rounds wijk figures (the
safe side).
Periods: per wijk and count, a year and its halves, and a year and its quarters, are treated as adding
up (for a stock such as inhabitants on 1 January they do not, which only hides more). A figure over
several years (2015/2016) is the sum of its single years where the catalog says so (relations.yaml,
`multi_year`: per unit, with exceptions per indicator; a count the catalog says nothing about is a sum,
a percentage or rate is not). So the blocks are a municipality and a year with its halves and quarters,
joined with the other years of every multi-year period in the data. Otherwise the dashboard stores no
count that is a difference of periods (counts are whole and non-negative; a change is a percentage, and a
wijk percentage is only shown with its counts). A caller that suppresses only some periods must pass
`period_family` of them (with the multi-year periods the store holds).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class SumRule:
    """For one area and period: `total` equals the sum of `parts` (all counts)."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class ShareRule:
    """A figure whose teller is the count `numerator` and whose noemer is the count `denominator`."""

    indicator: str
    numerator: str | None = None
    denominator: str | None = None


# Is a figure over several years (2015/2016) the sum of its single years? Per unit, when the catalog says
# nothing: counts (and amounts) are; percentages, rates, grades and averages are not.
MULTI_YEAR_SUM_UNITS: tuple[tuple[str, bool], ...] = (("count", True), ("euro", True))


@dataclass(frozen=True)
class Relations:
    sums: tuple[SumRule, ...] = ()
    shares: tuple[ShareRule, ...] = ()
    multi_year_units: tuple[tuple[str, bool], ...] = MULTI_YEAR_SUM_UNITS  # unit -> sum of its years?
    multi_year_indicators: tuple[tuple[str, bool], ...] = ()  # exceptions per indicator

    def multi_year_sum(self, indicator: str, unit: str) -> bool:
        """Whether the indicator's figure over 2015/2016 is its 2015 figure plus its 2016 figure (per area).

        A count the catalog does not name is treated as a sum (the safe side: it only hides more)."""
        named = dict(self.multi_year_indicators)
        if indicator in named:
            return named[indicator]
        return dict(self.multi_year_units).get(unit, unit == "count")

    def indicators(self) -> set[str]:
        named: set[str] = set()
        for rule in self.sums:
            named.update((rule.total, *rule.parts))
        for share in self.shares:
            named.update(i for i in (share.indicator, share.numerator, share.denominator) if i)
        return named

    def closure(self, indicator_ids: Iterable[str]) -> set[str]:
        """The indicators plus every indicator linked to them, directly or through others.

        A caller that suppresses only some indicators must pass the rows of all of these: the decision
        for one depends on the others."""
        wanted = set(indicator_ids)
        links = [{r.total, *r.parts} for r in self.sums]
        links += [{i for i in (s.indicator, s.numerator, s.denominator) if i} for s in self.shares]
        grown = True
        while grown:
            grown = False
            for link in links:
                if link & wanted and not link <= wanted:
                    wanted |= link
                    grown = True
        return wanted


NO_RELATIONS = Relations()

Quantity = tuple[str, str, str]  # (indicator or indicator#teller / #noemer, wijk code, period)
_PART = re.compile(r"^(\d{4})-(H[12]|Q[1-4])$")
_RANGE = re.compile(r"^(\d{4})/(\d{4})$")
PARTS = (("H1", "H2"), ("Q1", "Q2", "Q3", "Q4"))  # a year is the sum of its halves, and of its quarters


def range_years(period: str) -> list[str]:
    """2015, 2016 and 2017 for the multi-year period 2015/2017; nothing for any other period."""
    match = _RANGE.match(period)
    if not match or int(match.group(1)) >= int(match.group(2)):
        return []
    return [str(y) for y in range(int(match.group(1)), int(match.group(2)) + 1)]


def period_family(periods: Iterable[str], present: Iterable[str] = ()) -> set[str]:
    """The periods plus what suppression of one of them depends on: their year with its halves and quarters,
    the single years of a multi-year period, and of `present` (the periods in the data) every multi-year
    period that overlaps one of those years, with its years in turn."""
    family = {str(p) for p in periods}
    ranges = {str(p) for p in present if range_years(str(p))}
    while True:
        years = {y for p in family for y in (range_years(p) or [_year(p)])}
        grown = set(family)
        for year in years:
            grown |= {year, *(f"{year}-{part}" for parts in PARTS for part in parts)}
        grown |= {r for r in ranges if years.intersection(range_years(r))}
        if grown == family:
            return family
        family = grown


def _year(period: str) -> str:
    """2023 for 2023-Q2 and 2023-H1; any other period is its own."""
    match = _PART.match(period)
    return match.group(1) if match else period


def _period_blocks(periods: Iterable[str]) -> dict[str, str]:
    """Per period its block: its year, joined with every year of a multi-year period that covers it."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    distinct = set(periods)
    for period in distinct:
        for year in range_years(period):
            parent[find(year)] = find(period)
    return {p: find(_year(p)) for p in distinct}


def _quantities(indicator: str, is_count: bool, has_numerator: bool, has_denominator: bool,
                shares: dict[str, ShareRule]) -> tuple[str | None, str | None]:
    """The numbers a row shows: a count its value; any other figure its teller and noemer."""
    if is_count:
        return indicator, None
    share = shares.get(indicator)
    numerator = (share.numerator if share and share.numerator else f"{indicator}#teller") if has_numerator else None
    denominator = ((share.denominator if share and share.denominator else f"{indicator}#noemer")
                   if has_denominator else None)
    return numerator, denominator


def _determined(unknown: list[Quantity], equations: list[dict[Quantity, float]]) -> list[Quantity]:
    """The unknown numbers that the equations pin to one value."""
    index = {q: i for i, q in enumerate(unknown)}
    rows = [eq for eq in equations if any(q in index for q in eq)]
    if not rows:
        return []
    matrix = np.zeros((len(rows), len(unknown)))
    for r, eq in enumerate(rows):
        for q, coefficient in eq.items():
            if q in index:
                matrix[r, index[q]] = coefficient
    _u, singular, vh = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null = vh[rank:].T  # columns span the null space
    free = np.linalg.norm(null, axis=1) if null.size else np.zeros(len(unknown))
    return [q for q, f in zip(unknown, free, strict=True) if f < 1e-9]


def protect_linked(frame: pd.DataFrame, reasons: np.ndarray, units: pd.Series, numbers: tuple[np.ndarray, ...],
                   relations: Relations, municipality_of: Callable[[str], str], protects: str,
                   no_basis: str, within_indicators: Callable[[np.ndarray], None]) -> bool:
    """Hide (as `protects`, in `reasons`) what would otherwise be derivable across linked indicators.

    `numbers` are value, teller and noemer per row (a percentage's missing one already derived).
    `within_indicators(positions)` applies the per-indicator rule to those rows again; per municipality
    and period both alternate until neither hides more. Returns whether anything was added."""
    shares = {s.indicator: s for s in relations.shares}
    is_wijk = (frame["area_level"] == "wijk").to_numpy()
    indicators = frame["indicator_id"].to_numpy(dtype=object)
    codes = frame["area_code"].to_numpy(dtype=object)
    periods = frame["period"].astype(str).to_numpy(dtype=object)
    is_count = (units == "count").to_numpy()
    # Only the wijken's multi-year periods join years (a municipality's 2018/2020 links nothing to protect).
    block_of = _period_blocks(periods[is_wijk].tolist())
    years = np.array([block_of.get(p) or _year(p) for p in periods], dtype=object)
    municipalities = {c: municipality_of(c) for c in set(codes[is_wijk].tolist())}
    in_series = _year_with_parts(is_wijk & is_count, indicators, codes, periods, years, municipalities)
    positions = np.flatnonzero(is_wijk & (np.isin(indicators, list(relations.indicators())) | in_series))
    if not len(positions):
        return False
    values, numerators, denominators = numbers
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in positions.tolist():
        blocks[(municipalities[codes[p]], years[p])].append(p)
    changed = False
    pending = [block for block in blocks.values() if any(reasons[p] is not None for p in block)]
    while pending:
        moved = [block for block in pending if _protect_block(
            block, reasons, indicators, codes, periods, is_count, values, numerators, denominators, shares,
            relations, units.to_numpy(dtype=object), protects, no_basis)]
        if not moved:
            break
        changed = True
        before = [reasons[block].tolist() for block in moved]
        within_indicators(np.concatenate([np.array(block) for block in moved]))  # once for all: it is slow
        pending = [block for block, was in zip(moved, before, strict=True) if reasons[block].tolist() != was]
    return changed


def _year_with_parts(candidates: np.ndarray, indicators: np.ndarray, codes: np.ndarray, periods: np.ndarray,
                     years: np.ndarray, municipalities: dict[str, str]) -> np.ndarray:
    """Per row: a wijk count of an indicator and block (`years`) for which the wijken of its municipality
    have both a year and a half or quarter of it, or a multi-year period and a single year within it (not
    necessarily the same wijk: each period's wijken add up to the municipality's total)."""
    rows = np.flatnonzero(candidates)
    if not len(rows):
        return np.zeros(len(candidates), dtype=bool)
    family = pd.DataFrame({"i": indicators[rows], "a": codes[rows], "y": years[rows],
                           "m": [municipalities[c] for c in codes[rows]],
                           "part": [p != _year(p) or bool(range_years(p)) for p in periods[rows]]})
    grouped = family.groupby(["i", "m", "y"], sort=False)["part"]
    both = (grouped.transform("any") & ~grouped.transform("all")).to_numpy()
    result = np.zeros(len(candidates), dtype=bool)
    result[rows[both]] = True
    return result


def _protect_block(block: list[int], reasons: np.ndarray, indicators: np.ndarray, codes: np.ndarray,
                   periods: np.ndarray, is_count: np.ndarray, values: np.ndarray, numerators: np.ndarray,
                   denominators: np.ndarray, shares: dict[str, ShareRule], relations: Relations,
                   units: np.ndarray, protects: str, no_basis: str) -> bool:
    """One municipality and year (with its halves and quarters, and the other years of a multi-year period
    that covers it): hide until no hidden number is determined."""
    sums = relations.sums
    shows: dict[int, list[tuple[Quantity, float]]] = {}
    multi_year_sum: dict[str, bool] = {}  # per quantity name: is its 2015/2016 the sum of 2015 and 2016?
    for p in block:
        count = bool(is_count[p])
        first, second = _quantities(indicators[p], count, not np.isnan(numerators[p]),
                                    not np.isnan(denominators[p]), shares)
        shown = []
        if first is not None:
            shown.append(((first, codes[p], periods[p]), values[p] if count else numerators[p]))
        if second is not None:
            shown.append(((second, codes[p], periods[p]), denominators[p]))
        shows[p] = shown
        for q, _number in shown:
            name = q[0]
            base, _, part = name.partition("#")  # a share's own teller or noemer: by the share's unit
            multi_year_sum.setdefault(name, relations.multi_year_sum(base, str(units[p]) if part else "count"))
    revealed_by: dict[Quantity, list[int]] = defaultdict(list)
    size: dict[Quantity, float] = {}
    for p, shown in shows.items():
        for q, number in shown:
            revealed_by[q].append(p)
            size[q] = min(size.get(q, np.inf), number)
    # The equations: each indicator's wijken add up to the municipality (a wijk without the figure in
    # the data counts in the total too: an unknown that needs no protection); each sum rule per wijk.
    # A sum rule holds in every wijk of the block, also one that has none of its figures in the data: a
    # reader who knows a wijk's men and women through the municipality's totals knows its inhabitants. So
    # the rule is written for every wijk and every period in which any wijk shows one of its figures, and
    # the wijken of each of its indicators add up to the municipality's figure (taken as known: the safe side).
    wijken = sorted({codes[p] for p in block})
    equations: list[dict[Quantity, float]] = []
    summed = {(q[0], q[2]) for q in revealed_by}
    for rule in sums:
        names = {rule.total, *rule.parts}
        for period in sorted({q[2] for q in revealed_by if q[0] in names}):
            summed |= {(name, period) for name in names}
            for wijk in wijken:
                eq = {(part, wijk, period): 1.0 for part in rule.parts}
                eq[(rule.total, wijk, period)] = -1.0
                equations.append(eq)
    equations += [{(name, wijk, period): 1.0 for wijk in wijken} for name, period in sorted(summed)]
    # A year and its halves or quarters (treated as adding up: the safe side for a stock as well), and a
    # multi-year period and its single years where the catalog says it is their sum; per wijk, wherever the
    # block has two of the periods for the indicator (in any wijk: a period absent for one wijk still counts
    # in the municipality's total).
    in_data = {(q[0], q[2]) for q in revealed_by}
    totals: list[tuple[str, str, tuple[str, ...]]] = []
    for name, year in sorted({(n, _year(p)) for n, p in in_data if not range_years(p)}):
        totals += [(name, year, tuple(f"{year}-{part}" for part in parts)) for parts in PARTS]
    totals += [(name, period, tuple(range_years(period))) for name, period in sorted(in_data)
               if range_years(period) and multi_year_sum.get(name)]
    for name, whole, parts in totals:
        if sum((name, p) in in_data for p in (whole, *parts)) < 2:
            continue
        for wijk in wijken:
            eq = {(name, wijk, part): 1.0 for part in parts}
            eq[(name, wijk, whole)] = -1.0
            if any(q in revealed_by for q in eq):
                equations.append(eq)
    equations = _without_free_equations(equations, revealed_by)
    absent = sorted({q for eq in equations for q in eq if q not in revealed_by})
    changed = False
    while True:
        # A hidden count is not shown as the teller or noemer of a share either.
        for p, shown in shows.items():
            if reasons[p] is not None and is_count[p] and shown:
                for other in revealed_by[shown[0][0]]:
                    if reasons[other] is None:
                        reasons[other] = protects
                        changed = True
        known = {q for q, ps in revealed_by.items() if any(reasons[p] is None for p in ps)}
        # A hidden share with its teller and noemer both known: hide the teller (the count it rests on).
        for p, shown in shows.items():
            if reasons[p] not in (None, no_basis) and len(shown) == 2 and all(q in known for q, _ in shown):
                _hide(shown[0][0], revealed_by, reasons, protects)
                changed = True
        known = {q for q, ps in revealed_by.items() if any(reasons[p] is None for p in ps)}
        unknown = sorted(q for q in revealed_by if q not in known) + absent
        pinned = [q for q in _determined(unknown, equations) if q in revealed_by]
        hidden_one = False
        for q in pinned:
            neighbours = _neighbours(q, equations, known, size)
            if neighbours:
                # The smallest known number (of the eight smallest) whose hiding frees q; else the smallest.
                chosen = next((n for n in neighbours[:8] if q not in _determined([*unknown, n], equations)),
                              neighbours[0])
                _hide(chosen, revealed_by, reasons, protects)
                changed = hidden_one = True
                break
        if not hidden_one:
            return changed


def _neighbours(q: Quantity, equations: list[dict[Quantity, float]], known: set[Quantity],
                size: dict[Quantity, float]) -> list[Quantity]:
    """The known numbers that share an equation with q, or with an unknown linked to q through
    equations: nearest first, then smallest."""
    distance: dict[Quantity, int] = {}
    frontier, seen, step = [q], {q}, 0
    while frontier:
        step += 1
        following = []
        for eq in equations:
            if any(u in eq for u in frontier):
                for n in eq:
                    if n in known:
                        distance.setdefault(n, step)
                    elif n not in seen:
                        seen.add(n)
                        following.append(n)
        frontier = following
    return sorted(distance, key=lambda n: (distance[n], size[n], n))


def _without_free_equations(equations: list[dict[Quantity, float]],
                            revealed_by: dict[Quantity, list[int]]) -> list[dict[Quantity, float]]:
    """Drop equations that hold a number absent from the data and found in no other equation: such an
    equation only tells that number (which needs no protection), nothing about the others."""
    kept = list(equations)
    while True:
        uses: dict[Quantity, int] = defaultdict(int)
        for eq in kept:
            for q in eq:
                uses[q] += 1
        remaining = [eq for eq in kept if not any(q not in revealed_by and uses[q] == 1 for q in eq)]
        if len(remaining) == len(kept):
            return kept
        kept = remaining


def _hide(q: Quantity, revealed_by: dict[Quantity, list[int]], reasons: np.ndarray, protects: str) -> None:
    for p in revealed_by[q]:
        if reasons[p] is None:
            reasons[p] = protects
