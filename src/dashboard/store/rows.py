"""The observations an import would store, kept as columns: a million rows without a dict per row.

An upload's plain rows (ingest.fast_long) arrive as blocks of columns, the rows that went through the row
checks as dicts, in the order of the file. `ObservationRows` keeps both in that order and reads like the list
of dicts it replaces (len, iteration, indexing, ==), so every caller that wants dicts still gets them; the
preview, the conflict check and the store read the columns directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

# The order of the columns in a stored tuple (store.store inserts them in this order).
OBSERVATION_COLUMNS = ("dataset_id", "indicator_id", "area_code", "period", "value", "numerator", "denominator",
                       "source", "quote", "note", "value_upper", "estimate")
# The columns a block of plain rows fills: quote, value_upper and estimate stay empty (NULL), and the dataset id
# is the same for all, so they are not bound per row (binding costs SQLite's executemany more than the insert).
BLOCK_COLUMNS = ("indicator_id", "area_code", "period", "value", "numerator", "denominator", "source", "note")
ROW_FIELDS = ("indicator_id", "area_code", "period", "value", "numerator", "denominator", "source", "quote", "note")


def observation_tuple(dataset_id: int, r: Mapping[str, Any]) -> tuple:
    return (dataset_id, r["indicator_id"], r["area_code"], str(r["period"]), float(r["value"]), r.get("numerator"),
            r.get("denominator"), r["source"], r.get("quote"), r.get("note"), r.get("value_upper"),
            1 if r.get("estimate") else None)


def _floats_or_none(values: np.ndarray) -> list[float | None]:
    return [None if v != v else v for v in values.tolist()]  # NaN (v != v) is an empty cell


@dataclass(frozen=True)
class RowBlock:
    """Plain rows of one sheet as columns: ids as object arrays, numbers as float64 (NaN: empty)."""

    sheet: str
    numbers: np.ndarray  # the row number in the sheet, as Excel shows it
    indicator_id: np.ndarray
    area_code: np.ndarray
    period: np.ndarray
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    source: np.ndarray

    def __len__(self) -> int:
        return len(self.numbers)

    def notes(self, start: int, stop: int) -> list[str]:
        prefix = f"blad {self.sheet}, rij "
        return [prefix + str(n) for n in self.numbers[start:stop].tolist()]

    def row(self, i: int) -> dict[str, Any]:
        t, d = float(self.numerator[i]), float(self.denominator[i])
        return {"indicator_id": self.indicator_id[i], "area_code": self.area_code[i], "period": self.period[i],
                "value": float(self.value[i]), "numerator": None if t != t else t,
                "denominator": None if d != d else d, "source": self.source[i], "quote": None,
                "note": f"blad {self.sheet}, rij {int(self.numbers[i])}"}

    def column(self, name: str, start: int, stop: int) -> list[Any]:
        if name == "note":
            return self.notes(start, stop)
        if name == "quote":
            return [None] * (stop - start)
        values = getattr(self, name)[start:stop]
        return _floats_or_none(values) if name in ("numerator", "denominator") else values.tolist()


@dataclass(frozen=True)
class _Slice:
    block: RowBlock
    start: int
    stop: int


class ObservationRows(Sequence):
    """Rows to store in file order: dicts (the row path) and slices of column blocks (the plain rows)."""

    def __init__(self, rows: Sequence[Mapping[str, Any]] = ()) -> None:
        self._parts: list[list[dict[str, Any]] | _Slice] = []
        self._len = 0
        for row in rows:
            self.append(dict(row))

    def append(self, row: dict[str, Any]) -> None:
        if not self._parts or not isinstance(self._parts[-1], list):
            self._parts.append([])
        self._parts[-1].append(row)  # type: ignore[union-attr]
        self._len += 1

    def add_block(self, block: RowBlock, start: int = 0, stop: int | None = None) -> None:
        stop = len(block) if stop is None else stop
        if stop > start:
            self._parts.append(_Slice(block, start, stop))
            self._len += stop - start

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for part in self._parts:
            if isinstance(part, list):
                yield from part
            else:
                for i in range(part.start, part.stop):
                    yield part.block.row(i)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        for part in self._parts:
            size = len(part) if isinstance(part, list) else part.stop - part.start
            if index < size:
                return part[index] if isinstance(part, list) else part.block.row(part.start + index)
            index -= size
        raise IndexError(index)  # pragma: no cover - the lengths add up

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ObservationRows | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ObservationRows({len(self)} rijen)"

    def column(self, name: str) -> list[Any]:
        """One field of every row, in order (None where a dict has no such key)."""
        values: list[Any] = []
        for part in self._parts:
            if isinstance(part, list):
                values.extend(r.get(name) for r in part)
            else:
                values.extend(part.block.column(name, part.start, part.stop))
        return values

    def distinct(self, name: str) -> list[Any]:
        """The different values of one field, in the order they first appear."""
        seen: dict[Any, None] = {}
        for part in self._parts:
            if isinstance(part, list):
                seen.update(dict.fromkeys(r.get(name) for r in part))
            elif name in ("note", "quote"):
                seen.update(dict.fromkeys(part.block.column(name, part.start, part.stop)))
            else:
                seen.update(dict.fromkeys(pd.unique(getattr(part.block, name)[part.start:part.stop]).tolist()))
        return list(seen)

    def first_index(self, name: str) -> dict[Any, int]:
        """Per different value of one field the position of the first row with it."""
        first: dict[Any, int] = {}
        offset = 0
        for part in self._parts:
            if isinstance(part, list):
                for i, r in enumerate(part):
                    first.setdefault(r.get(name), offset + i)
                offset += len(part)
                continue
            values = pd.Series(part.block.column(name, part.start, part.stop), dtype=object)
            for value, i in zip(values.drop_duplicates().tolist(), values.drop_duplicates().index.tolist(),
                                strict=True):
                first.setdefault(value, offset + i)
            offset += part.stop - part.start
        return first

    def frame(self, fields: Sequence[str] = ROW_FIELDS) -> pd.DataFrame:
        """The rows as a table (as pd.DataFrame(list of dicts) gives it, without the dicts)."""
        if not self._len:
            return pd.DataFrame()
        return pd.DataFrame({name: pd.Series(self.column(name), dtype=object) for name in fields}).infer_objects()

    def tuples(self, dataset_id: int) -> Iterator[tuple]:
        """Every row as a tuple in OBSERVATION_COLUMNS order, for executemany or COPY."""
        for part in self._parts:
            if isinstance(part, list):
                yield from (observation_tuple(dataset_id, r) for r in part)
                continue
            block, start, stop = part.block, part.start, part.stop
            size = stop - start
            yield from zip(repeat(dataset_id, size), block.indicator_id[start:stop].tolist(),
                           block.area_code[start:stop].tolist(), block.period[start:stop].tolist(),
                           block.value[start:stop].tolist(), _floats_or_none(block.numerator[start:stop]),
                           _floats_or_none(block.denominator[start:stop]), block.source[start:stop].tolist(),
                           repeat(None, size), block.notes(start, stop), repeat(None, size), repeat(None, size),
                           strict=False)  # repeat() is endless; the lists have `size` items each

    def batches(self, dataset_id: int) -> Iterator[tuple[tuple[str, ...], Iterator[tuple]]]:
        """The rows in order as (columns, tuples) runs: OBSERVATION_COLUMNS for dicts, BLOCK_COLUMNS for blocks."""
        for part in self._parts:
            if isinstance(part, list):
                yield OBSERVATION_COLUMNS, (observation_tuple(dataset_id, r) for r in part)
                continue
            block, start, stop = part.block, part.start, part.stop
            yield BLOCK_COLUMNS, zip(block.indicator_id[start:stop].tolist(), block.area_code[start:stop].tolist(),
                                     block.period[start:stop].tolist(), block.value[start:stop].tolist(),
                                     _floats_or_none(block.numerator[start:stop]),
                                     _floats_or_none(block.denominator[start:stop]), block.source[start:stop].tolist(),
                                     block.notes(start, stop), strict=True)
