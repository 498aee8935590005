"""Periods as the documents and exports write them: 2017, 2022-H1, 2023-Q2, or a range 2015/2016."""

from __future__ import annotations

import re

_SINGLE = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>H[12]|Q[1-4]))?$")
_RANGE = re.compile(r"^(?P<start>\d{4})/(?P<end>\d{4})$")

PERIOD_FORMATS_NL = (
    "2017 (jaar)",
    "2022-H1 (eerste halfjaar; H2 voor het tweede)",
    "2023-Q2 (kwartaal, Q1 t/m Q4)",
    "2015/2016 (periode of verandering tussen twee jaren)",
)


class PeriodError(ValueError):
    pass


def is_valid(period: str) -> bool:
    text = str(period).strip()
    match = _RANGE.match(text)
    if match:
        return int(match["start"]) < int(match["end"])
    return bool(_SINGLE.match(text))


def sort_key(period: str) -> tuple[int, int, int]:
    """Order periods by when they end; a longer range before a shorter one ending at the same time."""
    text = str(period).strip()
    match = _RANGE.match(text)
    if match:
        return int(match["end"]), 12, int(match["start"])
    match = _SINGLE.match(text)
    if not match:
        raise PeriodError(f"{period!r} is geen geldige periode; gebruik {', '.join(PERIOD_FORMATS_NL)}")
    year, part = int(match["year"]), match["part"]
    if part is None:
        return year, 12, year
    end_month = 6 * int(part[1]) if part.startswith("H") else 3 * int(part[1])
    return year, end_month, year


def label(period: str) -> str:
    """The period as a Dutch reader expects it."""
    text = str(period).strip()
    match = _RANGE.match(text)
    if match:
        return f"{match['start']}-{match['end']}"
    match = _SINGLE.match(text)
    if not match or match["part"] is None:
        return text
    part = match["part"]
    if part.startswith("H"):
        return f"{'1e' if part == 'H1' else '2e'} helft {match['year']}"
    return f"{part[1]}e kwartaal {match['year']}"


def is_change_period(period: str) -> bool:
    return bool(_RANGE.match(str(period).strip()))


def latest(periods: list[str]) -> str | None:
    return max(periods, key=sort_key) if periods else None
