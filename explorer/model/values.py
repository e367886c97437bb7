"""Immutable, hashable values the model's states are made of.

A whole state of the machine (world + stacks) is a value that can be hashed and compared, as in
PlusCal/TLA+: these are its building blocks. This module imports nothing from the project, so
both :mod:`explorer.model.machine` and :mod:`explorer.model.state` build on it without importing
each other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Value = Any
"""A hashable value: int, str, bool, None or a tuple of those."""


class _Frozen(Mapping[str, Any]):
    """An immutable, hashable string-keyed mapping (its hash is computed once)."""

    __slots__ = ("_d", "_h")

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        self._d: dict[str, Any] = dict(items or {})
        self._h: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        if self._h is None:
            self._h = hash(tuple(sorted(self._d.items())))
        return self._h

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self._d == other._d  # type: ignore[attr-defined, no-any-return]
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._d!r})"


class Vars(_Frozen):
    """A frame's local variables."""

    __slots__ = ()

    def set(self, **changes: Value) -> Vars:
        """A copy with ``changes`` applied."""
        return Vars({**self._d, **changes})


class FMap(_Frozen):
    """A world component: name or address → value."""

    __slots__ = ()

    def set(self, key: str, value: Any) -> FMap:
        return FMap({**self._d, key: value})

    def remove(self, key: str) -> FMap:
        d = dict(self._d)
        d.pop(key, None)
        return FMap(d)
