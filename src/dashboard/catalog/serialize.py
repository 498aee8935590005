"""Catalog objects (frameworks, regions) to plain JSON-able dicts and back, for the store.

Generic over the dataclasses' own type hints: a field added to the model travels without a change
here, and a stored definition that lacks a newer field gets that field's default.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def to_dict(obj: Any) -> dict[str, Any]:
    return dataclasses.asdict(obj)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return from_dict(kind, value)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item) for item in value)
        return tuple(_convert(arg, item) for arg, item in zip(args, value, strict=True))
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """The dataclass `cls` from `to_dict`'s output; unknown keys are ignored, missing ones take defaults."""
    hints = _hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{name: _convert(hints[name], value) for name, value in data.items() if name in known})
