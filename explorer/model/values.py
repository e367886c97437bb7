"""Immutable, hashable values the model's states are made of.

A whole state of the machine (world + stacks) is a value that can be hashed and compared, as in
PlusCal/TLA+: these are its building blocks. This module imports nothing from the project, so
both :mod:`explorer.model.machine` and :mod:`explorer.model.state` build on it without importing
each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, fields
from operator import attrgetter
from types import MemberDescriptorType
from typing import Any, TypeVar

Value = Any
"""A hashable value: int, str, bool, None or a tuple of those."""

T = TypeVar("T")


_MASK = (1 << 64) - 1


def _item_hash(key: str, value: Any) -> int:
    return hash((key, value))


class _Frozen(Mapping[str, Any]):
    """An immutable, hashable string-keyed mapping.

    Its hash is the sum of its items' hashes (order does not matter, so no sort), computed once;
    a copy made by ``set`` or ``remove`` from a mapping whose hash is known updates that sum by the
    items that changed instead of hashing every item again.
    """

    __slots__ = ("_d", "_h")

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        self._d: dict[str, Any] = dict(items or {})
        self._h: int | None = None

    @classmethod
    def _derived(cls, d: dict[str, Any], h: int | None) -> Any:
        """A new mapping owning ``d`` (not copied), with hash ``h`` if already known."""
        new = cls.__new__(cls)
        new._d = d
        new._h = h
        return new

    def _rehash(self, d: dict[str, Any], changed: Mapping[str, Any]) -> int | None:
        """The hash of ``d`` (this mapping with ``changed`` applied), from this one's."""
        h = self._h
        if h is None:
            return None
        old = self._d
        for k in changed:
            if k in old:
                h -= _item_hash(k, old[k])
            if k in d:
                h += _item_hash(k, d[k])
        return h & _MASK

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __contains__(self, key: object) -> bool:
        return key in self._d

    def get(self, key: str, default: Any = None) -> Any:
        return self._d.get(key, default)

    def __hash__(self) -> int:
        h = self._h
        if h is None:
            h = sum(_item_hash(k, v) for k, v in self._d.items()) & _MASK
            self._h = h
        return h

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self is other or self._d == other._d  # type: ignore[attr-defined]
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._d!r})"


class Vars(_Frozen):
    """A frame's local variables."""

    __slots__ = ()

    def set(self, **changes: Value) -> Vars:
        """A copy with ``changes`` applied."""
        d = {**self._d, **changes}
        return Vars._derived(d, self._rehash(d, changes))  # type: ignore[no-any-return]


class FMap(_Frozen):
    """A world component: name or address → value."""

    __slots__ = ()

    def set(self, key: str, value: Any) -> FMap:
        d = {**self._d, key: value}
        return FMap._derived(d, self._rehash(d, {key: value}))  # type: ignore[no-any-return]

    def remove(self, key: str) -> FMap:
        if key not in self._d:
            return self
        d = dict(self._d)
        del d[key]
        return FMap._derived(d, self._rehash(d, {key: None}))  # type: ignore[no-any-return]


_EVOLVERS: dict[type, tuple[Callable[[Any], tuple[Any, ...]], dict[str, int],
                            Callable[[list[Any]], Any]]] = {}


def _builder(cls: type[T], names: list[str]) -> Callable[[list[Any]], T]:
    """Make a ``cls`` from its init fields' values (in order). For a slotted dataclass without
    ``__post_init__``, through the slots' own setters: a frozen dataclass's ``__init__`` sets
    each field through ``object.__setattr__``, about twice as slow for the world's sixteen
    fields; the fields with ``init=False`` (cached hashes) get their defaults, as there."""
    slots = [getattr(cls, n, None) for n in names]
    rest = [f for f in fields(cls) if not f.init]  # type: ignore[arg-type]
    if (hasattr(cls, "__post_init__") or not all(isinstance(d, MemberDescriptorType)
                                                 for d in slots)
            or any(not isinstance(getattr(cls, f.name, None), MemberDescriptorType)
                   or f.default is MISSING for f in rest)):
        return lambda vals: cls(*vals)
    setters = [d.__set__ for d in slots]  # type: ignore[union-attr]
    defaults = [(getattr(cls, f.name).__set__, f.default) for f in rest]
    new = object.__new__

    def build(vals: list[Any]) -> T:
        obj = new(cls)
        for put, v in zip(setters, vals, strict=True):
            put(obj, v)
        for put, v in defaults:
            put(obj, v)
        return obj

    return build


def evolve(obj: T, **changes: Any) -> T:
    """``dataclasses.replace`` for the model's frozen dataclasses, without its per-call field
    introspection: a copy of ``obj`` with ``changes``. The init fields are read in one
    ``attrgetter`` call (built once per class) and the copy is made by :func:`_builder`;
    fields with ``init=False`` (cached hashes) start afresh, as with ``replace``."""
    cls = type(obj)
    ev = _EVOLVERS.get(cls)
    if ev is None:
        names = [f.name for f in fields(cls) if f.init]  # type: ignore[arg-type]
        get = attrgetter(*names) if len(names) > 1 else (lambda o: (getattr(o, names[0]),))
        ev = _EVOLVERS[cls] = (get, {n: i for i, n in enumerate(names)}, _builder(cls, names))
    get, index, build = ev
    vals = list(get(obj))
    for k, v in changes.items():
        vals[index[k]] = v
    return build(vals)  # type: ignore[no-any-return]


def cached_hash(cls: type[T]) -> type[T]:
    """Class decorator for a frozen, slotted dataclass with a ``_hash: int`` field (``init=False,
    compare=False``): hash the compared fields once per object and keep it.

    Whole states are hashed once when they are made and again for every lookup; their large,
    shared parts (the world, the threads that did not move) then cost one attribute read."""
    names = tuple(f.name for f in fields(cls) if f.compare)  # type: ignore[arg-type]
    values = attrgetter(*names)

    def __hash__(self: Any) -> int:
        h: int = self._hash
        if not h:
            h = hash(values(self))
            object.__setattr__(self, "_hash", h)
        return h

    cls.__hash__ = __hash__  # type: ignore[assignment]
    return cls
