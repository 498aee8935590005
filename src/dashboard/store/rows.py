"""The observations an import would store, kept as columns: a million rows without a dict per row.

An upload's plain rows (ingest.fast_long) arrive as blocks of columns, the rows that went through the row
checks as dicts, in the order of the file. `ObservationRows` keeps both in that order and reads like the list
of dicts it replaces (len, iteration, indexing, ==), so every caller that wants dicts still gets them; the
preview, the conflict check and the store read the columns directly.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# The order of the columns in a stored tuple (store.store inserts them in this order).
OBSERVATION_COLUMNS = ("dataset_id", "indicator_id", "area_code", "period", "value", "numerator", "denominator",
                       "source", "quote", "note", "value_upper", "estimate")
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
        if name in ("quote", "value_upper", "estimate"):
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

    def __setitem__(self, index: int, row: Mapping[str, Any]) -> None:
        """Replace one row (as on a list); a row inside a block splits it around a dict."""
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        for number, part in enumerate(self._parts):
            size = len(part) if isinstance(part, list) else part.stop - part.start
            if index >= size:
                index -= size
                continue
            if isinstance(part, list):
                part[index] = dict(row)
            else:
                at = part.start + index
                pieces = [_Slice(part.block, part.start, at), [dict(row)], _Slice(part.block, at + 1, part.stop)]
                self._parts[number:number + 1] = [p for p in pieces if isinstance(p, list) or p.stop > p.start]
            return

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
            distinct = pd.Series(part.block.column(name, part.start, part.stop), dtype=object).drop_duplicates()
            for value, i in zip(distinct.tolist(), distinct.index.tolist(), strict=True):
                first.setdefault(value, offset + i)
            offset += part.stop - part.start
        return first

    def frame(self, fields: Sequence[str] = ROW_FIELDS) -> pd.DataFrame:
        """The rows as a table (as pd.DataFrame(list of dicts) gives it, without the dicts)."""
        if not self._len:
            return pd.DataFrame()
        return pd.DataFrame({name: pd.Series(self.column(name), dtype=object) for name in fields}).infer_objects()

    def _stored_columns(self) -> dict[str, np.ndarray]:
        """Every column of OBSERVATION_COLUMNS but dataset_id, as the store writes it (observation_tuple),
        as object arrays (None: empty)."""
        names = OBSERVATION_COLUMNS[1:]
        pieces: dict[str, list[np.ndarray]] = {name: [] for name in names}
        for part in self._parts:
            if isinstance(part, list):
                for name, values in zip(names, zip(*(observation_tuple(0, r)[1:] for r in part), strict=True),
                                        strict=True):
                    array = np.empty(len(values), dtype=object)
                    array[:] = values
                    pieces[name].append(array)
                continue
            block, start, stop = part.block, part.start, part.stop
            for name in names:
                if name in ("quote", "value_upper", "estimate"):
                    pieces[name].append(np.full(stop - start, None, dtype=object))
                elif name == "note":
                    pieces[name].append(np.array(block.notes(start, stop), dtype=object))
                elif name in ("numerator", "denominator"):
                    numbers = getattr(block, name)[start:stop]
                    array = numbers.astype(object)
                    array[np.isnan(numbers)] = None  # an empty cell
                    pieces[name].append(array)
                else:
                    pieces[name].append(getattr(block, name)[start:stop].astype(object))
        return {name: np.concatenate(arrays) for name, arrays in pieces.items()}

    def for_insert(self) -> tuple[tuple[str, ...], Iterator[tuple]]:
        """(columns, rows) to insert: every row in (indicator, area, period) order, the columns that are empty
        in every row left out (they are NULL either way).

        In key order the database appends to its unique index (dataset, indicator, area, period) instead of
        inserting all over it, and binds fewer parameters per row: both cost SQLite's executemany more than
        the rows themselves at a million rows. Pages and exports order by that key, never by row id.
        """
        if not self._len:
            return (), iter(())
        columns = self._stored_columns()
        # Sorted codes per key column (sort=True: in the byte order SQLite compares text), then one lexsort.
        codes = [pd.factorize(columns[name], sort=True)[0] for name in ("period", "area_code", "indicator_id")]
        order = np.lexsort(codes)
        names = tuple(name for name, values in columns.items()
                      if name in ("indicator_id", "area_code", "period", "value", "source")
                      or bool(np.not_equal(values, None).any()))
        return names, zip(*(columns[name][order].tolist() for name in names), strict=True)
