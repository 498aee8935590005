"""Numbers in Dutch notation: 1.234,5 and 12,3%."""

from __future__ import annotations

import math

UNIT_LABELS = {
    "percent": "%",
    "percent_change": "% verandering",
    "count": "aantal",
    "euro": "euro",
    "grade": "rapportcijfer",
    "days": "dagen",
    "per_km2": "per km²",
    "per_1000": "per 1.000 inwoners",
}

NO_DATA = "geen gegevens"
SUPPRESSED = "te klein om te tonen"


def format_number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _decimals(value: float, max_decimals: int) -> int:
    for decimals in range(max_decimals + 1):
        if abs(round(value, decimals) - value) < 1e-9:
            return decimals
    return max_decimals


def format_value(value: float | None, unit: str) -> str:
    """A value with its unit, as a Dutch reader expects it; missing values say so."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA
    if unit == "percent":
        return f"{format_number(value, _decimals(value, 2))}%"
    if unit == "percent_change":
        sign = "+" if value > 0 else ""
        return f"{sign}{format_number(value, _decimals(value, 1))}%"
    if unit == "euro":
        return f"€ {format_number(value, 0)}"
    if unit == "grade":
        return format_number(value, 1)
    if unit == "days":
        return f"{format_number(value, _decimals(value, 1))} {'dag' if value == 1 else 'dagen'}"
    if unit == "per_km2":
        return f"{format_number(value, 0)} per km²"
    if unit == "per_1000":
        return f"{format_number(value, _decimals(value, 1))} per 1.000"
    return format_number(value, _decimals(value, 1))


RANGE_DASH = "\u2013"  # en dash: "11–12%"
ESTIMATE = "schatting"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def is_estimate(estimate: object) -> bool:
    """Stored as 1 (estimate) or NULL; pandas gives 1.0 or NaN."""
    return not _missing(estimate) and bool(estimate)


def format_range(value: float, upper: float, unit: str) -> str:
    """A range as a Dutch reader writes it: "11–12%", "€ 1.000–2.000", "2.000–2.500"."""
    low, high = format_value(value, unit), format_value(upper, unit)
    if unit == "percent":
        low = low.removesuffix("%")
    elif unit == "euro":
        high = high.removeprefix("€ ")
    return f"{low}{RANGE_DASH}{high}"


def format_observation(value: float | None, unit: str, upper: float | None = None, estimate: object = None) -> str:
    """A value as the document states it: a range "11–12%" when it gives one, "(schatting)" for an estimate."""
    shown = format_value(value, unit) if _missing(upper) or _missing(value) else format_range(value, upper, unit)
    if is_estimate(estimate) and not _missing(value):
        shown += f" ({ESTIMATE})"
    return shown


def format_row(row: object) -> str:
    """format_observation for a row (a Series, a namedtuple or a dict) with value, unit, value_upper, estimate."""
    get = row.get if hasattr(row, "get") else lambda key, default=None: getattr(row, key, default)
    return format_observation(get("value"), get("unit"), get("value_upper"), get("estimate"))
