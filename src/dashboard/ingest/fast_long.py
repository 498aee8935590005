"""The rows of a long sheet that need no message, checked column by column instead of cell by cell.

A province-sized upload (a million rows, bench --schaal 1M) spent most of its import in the per-row checks
of validate.SheetParser._add. This module does the same checks on whole columns with numpy and pyarrow for
the rows that are plainly right: text cells, known names, a valid period without a provisional mark, numbers
written plainly (12, 12.5, 12,5), within their unit's range, teller and noemer whole and consistent, and
an indicator, area and period that no other row of the sheet repeats. Every other row (anything a message
could be said about, a name mapped to ‘niet inlezen’, a repeated key) goes through `_add` as before, in
its place, so the messages, the notices and the order of the stored rows are exactly what the row-by-row
path gives. A name, period or source is looked up once per distinct cell value (pyarrow's dictionary
encoding for a CSV read by pyarrow); the plain rows come back as one block of columns (store.rows.RowBlock),
never as a dict per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest.mapping import SKIP
from dashboard.ingest.reader import ColumnRows
from dashboard.store.rows import RowBlock

if TYPE_CHECKING:
    from dashboard.ingest.validate import SheetParser

_POINT = r"[-+]?\d+(?:\.\d+)?"  # 12 or 12.5 (not grouped as thousands: 12.500 is checked by parse_number)
_COMMA = r"[-+]?\d+,\d+"  # 12,5


def _text_cells(cells: list[Any]) -> np.ndarray:
    return np.fromiter((type(c) is str for c in cells), dtype=bool, count=len(cells))


def plain_numbers(cells: list[Any] | pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(value, decimals written, plain, empty) per cell, as validate.parse_number and decimals_written read it.

    `plain` is True for numeric cells (Excel's numbers, if finite) and for text cells in one of the plain forms
    (12, -3, 12.5, 12,5; not 1.234 or 1,234, which parse_number reads as thousands or refuses as ambiguous);
    `empty` for blank text cells. With
    pyarrow's string kernels: a Python regex per cell cost as much as the checks it replaces.
    """
    numeric = None
    if not isinstance(cells, pa.Array):
        numeric = [i for i, c in enumerate(cells) if type(c) is float or type(c) is int]  # Excel's numbers
        numbers_of = [cells[i] for i in numeric]
        cells = pa.array([c if type(c) is str else None for c in cells], type=pa.string())
    text = pc.utf8_trim_whitespace(cells)
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
    plain_array = plain.to_numpy(zero_copy_only=False)
    if numeric:  # a numeric cell is its own value (if finite), with the decimals its shortest repr writes
        from dashboard.ingest.validate import decimals_written

        value, decimals, plain_array = value.copy(), decimals.copy(), plain_array.copy()
        numbers = np.array(numbers_of, dtype=float)
        finite = np.isfinite(numbers)
        places = {v: decimals_written(v, v) for v in dict.fromkeys(numbers[finite].tolist())}
        positions = np.array(numeric)
        value[positions] = np.where(finite, numbers, np.nan)
        decimals[positions] = [places[v] if f else 0 for v, f in zip(numbers.tolist(), finite.tolist(), strict=True)]
        plain_array[positions] = finite
    return value, decimals, plain_array, empty


Cells = list[Any] | pa.Array


def _cells(rows: Any, start: int, index: int | None) -> Cells:
    """One column of the body (rows from `start`): pyarrow text for a CSV read by pyarrow, else Python cells."""
    n = len(rows) - start
    if isinstance(rows, ColumnRows):
        if index is None or index >= len(rows.columns):
            return pa.array([""] * n, type=pa.string())
        return rows.columns[index].slice(start)
    return [row[index] if index < len(row) else "" for row in rows[start:]] if index is not None else [""] * n


def _encode(cells: Cells) -> tuple[np.ndarray, list[Any]]:
    """(code per cell, the distinct cells): each distinct cell is then checked once."""
    if isinstance(cells, pa.Array):
        encoded = cells.dictionary_encode()
        return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()
    index: dict[tuple[type, Any], int] = {}  # typed: 1, 1.0 and True are equal as keys but not as cells
    codes = np.fromiter((index.setdefault((type(c), c), len(index)) for c in cells), dtype=np.int64,
                        count=len(cells))
    return codes, [cell for _, cell in index]


@dataclass
class _Looked:
    """Per distinct cell: the target as a plain row stores it, whether it may, and the key the row path uses."""

    codes: np.ndarray
    target: list[Any]
    usable: np.ndarray
    key: list[Any]  # the indicator, area or period the row path would store this cell as (None: not stored)

    def per_row(self) -> np.ndarray:
        return np.array(self.target, dtype=object)[self.codes]

    def ok(self) -> np.ndarray:
        return self.usable[self.codes]


def _lookup(cells: Cells, find) -> _Looked:
    codes, distinct = _encode(cells)
    target, usable, key = [], [], []
    for cell in distinct:
        found, why = find(cell)
        stored = why is None and found is not None and found != SKIP
        target.append(found)
        usable.append(stored and type(cell) is str)
        key.append(found if stored else None)
    return _Looked(codes, target, np.array(usable, dtype=bool), key)


def _periods(cells: Cells) -> _Looked:
    from dashboard.ingest.validate import PROVISIONAL_MARK, parse_period

    codes, distinct = _encode(cells)
    target, usable, key = [], [], []
    for cell in distinct:
        found, why = parse_period(cell)
        provisional = type(cell) is str and cell.strip().endswith(PROVISIONAL_MARK)
        target.append(found)
        usable.append(why is None and found is not None and not provisional
                      and (type(cell) is str or type(cell) is int or type(cell) is float))
        # As SheetParser._add reads it: ‘2021*’ is stored as 2021 (provisional), so it shares 2021's key.
        stored, why = parse_period(cell.strip().rstrip(PROVISIONAL_MARK)) if provisional else (found, why)
        key.append(stored if why is None else None)
    return _Looked(codes, target, np.array(usable, dtype=bool), key)


def _key_codes(looked: _Looked) -> tuple[np.ndarray, int]:
    codes, distinct = pd.factorize(pd.Series(looked.key, dtype=object), use_na_sentinel=False)
    return codes.astype(np.int64)[looked.codes], max(len(distinct), 1)


def fast_rows(parser: SheetParser, sheet_name: str, rows: Any, start: int,
              columns: dict[str, int]) -> RowBlock | None:
    """The rows from `start` that pass every check, as a block of columns; the others are left out.

    `rows` are a sheet's rows (a list of lists, or a CSV's ColumnRows); row numbers are as Excel shows them.
    """
    from dashboard.ingest.validate import UNIT_RANGES

    n = len(rows) - start
    if n <= 0:
        return None
    indicators = _lookup(_cells(rows, start, columns["indicator"]), parser.matcher.indicator)
    areas = _lookup(_cells(rows, start, columns["gebied"]), parser.matcher.area)
    periods = _periods(_cells(rows, start, columns["periode"]))
    ok = indicators.ok() & areas.ok() & periods.ok()

    value, decimals, plain, _ = plain_numbers(_cells(rows, start, columns["waarde"]))
    ok &= plain
    extra: dict[str, np.ndarray] = {}
    for key in ("teller", "noemer"):
        if columns.get(key) is None:
            extra[key] = np.full(n, np.nan)
            continue
        number, _, number_plain, number_empty = plain_numbers(_cells(rows, start, columns[key]))
        ok &= number_plain | number_empty
        extra[key] = np.where(number_plain, number, np.nan)
        whole = np.isnan(extra[key]) | ((extra[key] >= 0) & (np.floor(extra[key]) == extra[key]))
        ok &= whole
    teller, noemer = extra["teller"], extra["noemer"]
    ok &= ~(noemer == 0)

    # Per distinct indicator: its unit and range (parser.units knows the indicators defined by a mapping).
    units_of = [parser.units.get(t, "") if u else "" for t, u in zip(indicators.target, indicators.usable,
                                                                       strict=True)]
    units = np.array(units_of, dtype=object)[indicators.codes]
    ok &= units != ""
    low = np.array([UNIT_RANGES[u][0] if u in UNIT_RANGES else 0.0 for u in units_of], dtype=float)[indicators.codes]
    high = np.array([UNIT_RANGES[u][1] if u in UNIT_RANGES else 0.0 for u in units_of],
                    dtype=float)[indicators.codes]
    with np.errstate(invalid="ignore", divide="ignore"):
        ok &= (low <= value) & (value <= high)
        count = units == "count"
        ok &= ~count | ((value >= 0) & (np.floor(value) == value))
        both = (units == "percent") & ~np.isnan(teller) & ~np.isnan(noemer)
        computed = np.where(both, 100 * teller / np.where(both, noemer, 1), 0)
        tolerance = np.maximum(0.5 * 10.0 ** -decimals, 0.01) + 1e-9
        ok &= ~both | ((teller <= noemer) & (np.abs(computed - value) <= tolerance))

    # A key that any row repeats goes row by row: which row is named first depends on the order. The key is
    # the one the row path would store (a provisional 2021* shares the key of 2021).
    i_key, _ = _key_codes(indicators)
    a_key, a_n = _key_codes(areas)
    p_key, p_n = _key_codes(periods)
    combined = (i_key * a_n + a_key) * p_n + p_key
    ok &= ~pd.Series(combined).duplicated(keep=False).to_numpy(dtype=bool)

    positions = np.flatnonzero(ok)
    indicator_id, area_code, period = (looked.per_row()[positions] for looked in (indicators, areas, periods))
    if len(positions) and parser.seen:  # a key an earlier sheet stored goes row by row, which names that row
        repeated = np.fromiter((key in parser.seen for key in zip(indicator_id, area_code, period, strict=True)),
                               dtype=bool, count=len(positions))
        keep = ~repeated
        positions, indicator_id, area_code, period = (a[keep] for a in (positions, indicator_id, area_code, period))

    source_codes, source_cells = _encode(_cells(rows, start, columns.get("bron")))
    sources = np.array([str(c).strip() or parser.default_source for c in source_cells], dtype=object)
    return RowBlock(sheet=sheet_name, numbers=positions + start + 1, indicator_id=indicator_id,
                    area_code=area_code, period=period, value=value[positions].astype(float),
                    numerator=teller[positions], denominator=noemer[positions],
                    source=sources[source_codes[positions]] if len(sources) else np.array([], dtype=object))
