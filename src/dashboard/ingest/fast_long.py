"""The rows of a long sheet that need no message, checked column by column instead of cell by cell.

A province-sized upload (a million rows, bench --schaal 1M) spent most of its import in the per-row checks
of validate.SheetParser._add. This module does the same checks on whole columns with numpy and pandas for
the rows that are plainly right: text cells, known names, a valid period without a provisional mark, numbers
written plainly (12, 12.5, 12,5), within their unit's range, teller and noemer whole and consistent, and
an indicator, area and period that no other row of the sheet repeats. Every other row (anything a message
could be said about, a name mapped to ‘niet inlezen’, a repeated key) goes through `_add` as before, in
its place, so the messages, the notices and the order of the stored rows are exactly what the row-by-row
path gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.mapping import SKIP

if TYPE_CHECKING:
    from dashboard.ingest.validate import SheetParser

_POINT = r"[-+]?\d+(?:\.\d+)?"  # 12 or 12.5 (not grouped as thousands: 12.500 is checked by parse_number)
_COMMA = r"[-+]?\d+,\d+"  # 12,5


def _text_cells(cells: list[Any]) -> np.ndarray:
    return np.fromiter((type(c) is str for c in cells), dtype=bool, count=len(cells))


def plain_numbers(cells: list[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(value, decimals written, plain, empty) per cell, as validate.parse_number and decimals_written read it.

    `plain` is True only for text cells in one of the plain forms (12, -3, 12.5, 12,5; not 1.234 or 1,234,
    which parse_number reads as thousands or refuses as ambiguous); `empty` for blank text cells. With
    pyarrow's string kernels: a Python regex per cell cost as much as the checks it replaces.
    """
    text = pc.utf8_trim_whitespace(pa.array([c if type(c) is str else None for c in cells], type=pa.string()))
    plain = pc.and_(pc.match_substring_regex(text, r"^[-+]?[0-9]+([.,][0-9]+)?$"),
                    pc.invert(pc.match_substring_regex(text, r"^[-+]?[1-9][0-9]{0,2}[.,][0-9]{3}$")))
    plain = pc.fill_null(plain, False)
    numbers = pc.if_else(plain, pc.replace_substring(text, ",", "."), pa.scalar(None, pa.string()))
    value = pc.fill_null(pc.cast(numbers, pa.float64()), np.nan).to_numpy(zero_copy_only=False)
    separator = pc.fill_null(pc.find_substring_regex(text, "[.,]"), -1).to_numpy(zero_copy_only=False)
    length = pc.fill_null(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False)
    tail = np.where(separator >= 0, length - separator - 1, 0)
    point = pc.fill_null(pc.match_substring(text, "."), False).to_numpy(zero_copy_only=False)
    # decimals_written: three digits after a point read as thousands there, so they count as no decimals.
    decimals = np.where(point & (tail == 3), 0, tail)
    empty = pc.fill_null(pc.equal(text, ""), False).to_numpy(zero_copy_only=False)
    return value, decimals, plain.to_numpy(zero_copy_only=False), empty


def _column(body: list[list[Any]], index: int | None) -> list[Any]:
    if index is None:
        return [""] * len(body)
    return [row[index] if index < len(row) else "" for row in body]


def _lookup(cells: list[Any], find) -> tuple[list[Any], np.ndarray]:
    """Per cell the target of `find(cell)` (a cached name or period lookup) and whether it is usable."""
    results: dict[Any, tuple[Any, bool]] = {}
    for cell in dict.fromkeys(cells):
        target, why = find(cell)
        results[cell] = (target, why is None and target is not None and target != SKIP)
    pairs = [results[c] for c in cells]
    return [p[0] for p in pairs], np.fromiter((p[1] for p in pairs), dtype=bool, count=len(pairs))


def fast_rows(parser: SheetParser, sheet_name: str, body: list[list[Any]], first_number: int,
              columns: dict[str, int]) -> dict[int, dict[str, Any]]:
    """The stored row per position in `body` for the rows that pass every check; the rest are left out."""
    from dashboard.ingest.validate import PROVISIONAL_MARK, UNIT_RANGES, parse_period

    n = len(body)
    if n == 0:
        return {}
    indicator_cells = _column(body, columns["indicator"])
    area_cells = _column(body, columns["gebied"])
    period_cells = _column(body, columns["periode"])
    indicator_ids, ok = _lookup(indicator_cells, parser.matcher.indicator)
    area_codes, area_ok = _lookup(area_cells, parser.matcher.area)
    ok &= area_ok & _text_cells(indicator_cells) & _text_cells(area_cells) & _text_cells(period_cells)
    provisional = np.fromiter((type(c) is str and c.strip().endswith(PROVISIONAL_MARK) for c in period_cells),
                              dtype=bool, count=n)
    periods, period_ok = _lookup(period_cells, parse_period)
    ok &= period_ok & ~provisional

    value, decimals, plain, _ = plain_numbers(_column(body, columns["waarde"]))
    ok &= plain
    extra: dict[str, np.ndarray] = {}
    for key in ("teller", "noemer"):
        if columns.get(key) is None:
            extra[key] = np.full(n, np.nan)
            continue
        number, _, number_plain, number_empty = plain_numbers(_column(body, columns[key]))
        ok &= number_plain | number_empty
        extra[key] = np.where(number_plain, number, np.nan)
        whole = np.isnan(extra[key]) | ((extra[key] >= 0) & (np.floor(extra[key]) == extra[key]))
        ok &= whole
    teller, noemer = extra["teller"], extra["noemer"]
    ok &= ~(noemer == 0)

    unit_of = pd.Series(indicator_ids, dtype=object).map(parser.units)
    units = unit_of.where(ok, "").fillna("").to_numpy(dtype=object)
    ok &= units != ""
    low = pd.Series(units).map({u: r[0] for u, r in UNIT_RANGES.items()}).fillna(0.0).to_numpy(dtype=float)
    high = pd.Series(units).map({u: r[1] for u, r in UNIT_RANGES.items()}).fillna(0.0).to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        ok &= (low <= value) & (value <= high)
        count = units == "count"
        ok &= ~count | ((value >= 0) & (np.floor(value) == value))
        both = (units == "percent") & ~np.isnan(teller) & ~np.isnan(noemer)
        computed = np.where(both, 100 * teller / np.where(both, noemer, 1), 0)
        tolerance = np.maximum(0.5 * 10.0 ** -decimals, 0.01) + 1e-9
        ok &= ~both | ((teller <= noemer) & (np.abs(computed - value) <= tolerance))

    # A key that any row repeats goes row by row: which row is named first depends on the order.
    resolvable = pd.DataFrame({"i": indicator_ids, "a": area_codes, "p": periods})
    ok &= ~resolvable.duplicated(keep=False).to_numpy(dtype=bool)

    source_index = columns.get("bron")
    rows: dict[int, dict[str, Any]] = {}
    for position in np.flatnonzero(ok).tolist():
        row = body[position]
        source = str(row[source_index]).strip() if source_index is not None and source_index < len(row) else ""
        t, d = teller[position], noemer[position]
        rows[position] = {
            "indicator_id": indicator_ids[position], "area_code": area_codes[position], "period": periods[position],
            "value": float(value[position]), "numerator": None if t != t else float(t),
            "denominator": None if d != d else float(d), "source": source or parser.default_source,
            "quote": None, "note": f"blad {sheet_name}, rij {first_number + position}",
        }
    return rows

