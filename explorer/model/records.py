"""``dataclass``: the standard library's decorator, cheaper to apply to frozen records.

Every front's first frame imports some eighty frozen, slotted dataclasses (the world, the
scenario specs, the view models, the intents). On Python 3.11 ``dataclasses.dataclass`` writes
the source of each method it generates and compiles it at once: ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__``, 0.6-0.8 ms a class, most of what
our modules cost to import. Yet ``__repr__`` is for debugging, and most records are never
compared or hashed before the first frame, or at all in a session.

For a frozen record, this decorator lets ``dataclasses.dataclass`` make the class, its fields,
``__init__`` and the frozen ``__setattr__``/``__delattr__`` as always, and leaves ``__repr__``,
``__eq__`` and ``__hash__`` to be compiled on their first call, from the same source as
``dataclasses`` writes on 3.11 (the stand-in puts the compiled method on the class, so later
calls cost what they always did):

- ``__repr__``: ``Name(a=1, b='x')`` over the fields with ``repr=True``; ``...`` for a record
  that contains itself;
- ``__eq__``: the tuples of the fields with ``compare=True``, between objects of the same class
  only, else ``NotImplemented``;
- ``__hash__``: the hash of the tuple of the fields ``dataclasses`` hashes (``hash=True``, or
  ``hash=None`` and ``compare=True``).

A method the class defines itself is kept, as ``dataclasses`` keeps it (an explicit
``__hash__`` too), and ``__dataclass_params__`` says ``repr`` and ``eq`` as asked. Anything
else (not frozen, ``order=True``, ``unsafe_hash=True``, ``init``, ``repr`` or ``eq`` off) goes to
``dataclasses.dataclass`` unchanged. Type checkers see the standard decorator itself
(``TYPE_CHECKING``), so fields, ``replace`` and frozen assignment are checked as for any
dataclass; at run time the classes are dataclasses too (``fields``, ``replace``, ``asdict``).
"""

from __future__ import annotations

import builtins
import dataclasses
import sys
from _thread import get_ident
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T")

_OWN = ("init", "repr", "eq", "order", "unsafe_hash", "frozen")
"""The parameters this module decides (the others are passed on as given)."""


def _tuple_src(obj: str, names: list[str]) -> str:
    """``(obj.a,obj.b,)``, as ``dataclasses`` writes a tuple of fields (``()`` for none)."""
    return "(" + ",".join(f"{obj}.{n}" for n in names) + ",)" if names else "()"


def _compiled(src: str, name: str) -> Callable[..., Any]:
    ns: dict[str, Any] = {}
    exec(src, {"__builtins__": builtins}, ns)  # our own source, made from field names
    fn: Callable[..., Any] = ns[name]
    return fn


def _eq_src(names: list[str]) -> str:
    return ("def __eq__(self, other):\n"
            " if other.__class__ is self.__class__:\n"
            f"  return {_tuple_src('self', names)}=={_tuple_src('other', names)}\n"
            " return NotImplemented\n")


def _hash_src(names: list[str]) -> str:
    return f"def __hash__(self):\n return hash({_tuple_src('self', names)})\n"


def _repr_src(names: list[str]) -> str:
    inner = ", ".join(f"{n}={{self.{n}!r}}" for n in names)
    return f'def __repr__(self):\n return self.__class__.__qualname__ + f"({inner})"\n'


def _guarded_repr(fn: Callable[[Any], str]) -> Callable[[Any], str]:
    """``...`` for a record inside its own repr (``dataclasses``' recursion guard)."""
    running: set[tuple[int, int]] = set()

    def __repr__(self: Any) -> str:
        key = (id(self), get_ident())
        if key in running:
            return "..."
        running.add(key)
        try:
            return fn(self)
        finally:
            running.discard(key)

    return __repr__


def _on_first_call(cls: type, name: str, make: Callable[[], Callable[..., Any]]) -> None:
    """Put on ``cls`` a ``name`` method that, when first called, puts ``make()`` in its place
    and answers with it."""

    def stand_in(self: Any, *args: Any) -> Any:
        fn = make()
        fn.__name__ = name
        fn.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, fn)
        return fn(self, *args)

    stand_in.__name__ = name
    stand_in.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, stand_in)


def _frozen_attr_fns(owner: type[Any], fields: Sequence[dataclasses.Field[Any]],
                     _globals: dict[str, Any]) -> tuple[Callable[..., None], Callable[..., None]]:
    """The frozen ``__setattr__`` and ``__delattr__`` that ``dataclasses`` compiles (3.11, 3.12),
    as closures: only a mistake calls them (``__init__`` and copies set fields through
    ``object.__setattr__``), so they need not be fast, and not compiled either."""
    names = tuple(f.name for f in fields)
    error = dataclasses.FrozenInstanceError

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is owner or name in names:
            raise error(f"cannot assign to field {name!r}")
        super(owner, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is owner or name in names:
            raise error(f"cannot delete field {name!r}")
        super(owner, self).__delattr__(name)

    return __setattr__, __delattr__


_STD_FROZEN_ATTRS = "_frozen_get_del_attr"
CLOSED_FROZEN_ATTRS = (3, 11) <= sys.version_info < (3, 13)
"""Whether ``dataclasses`` makes the frozen attribute methods in ``_frozen_get_del_attr(cls,
fields, globals)``, which :func:`_frozen_attrs_as_closures` can stand in for (3.13 changed it)."""


@contextmanager
def _frozen_attrs_as_closures() -> Iterator[None]:
    """While this decorator runs ``dataclasses.dataclass``: :func:`_frozen_attr_fns` in place of
    its compiled frozen ``__setattr__``/``__delattr__``, same behaviour (a record made meanwhile
    in another thread gets the same methods, only not compiled)."""
    if not CLOSED_FROZEN_ATTRS:
        yield
        return
    std = getattr(dataclasses, _STD_FROZEN_ATTRS)
    setattr(dataclasses, _STD_FROZEN_ATTRS, _frozen_attr_fns)
    try:
        yield
    finally:
        setattr(dataclasses, _STD_FROZEN_ATTRS, std)


def frozen_record(cls: type[T], **params: Any) -> type[T]:
    """``dataclasses.dataclass(cls, frozen=True, **params)``, its ``__repr__``, ``__eq__`` and
    ``__hash__`` compiled on their first call (see the module's doc). ``params`` must not turn
    off init, repr or eq, nor ask for order or unsafe_hash."""
    own = cls.__dict__
    defines_repr = "__repr__" in own
    defines_eq = "__eq__" in own
    class_hash = own.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (class_hash is dataclasses.MISSING
                         or (class_hash is None and defines_eq))
    with _frozen_attrs_as_closures():
        made: type[T] = dataclasses.dataclass(cls, **params, frozen=True, repr=False, eq=False)
    flds = dataclasses.fields(made)  # type: ignore[arg-type]
    if not defines_repr:
        shown = [f.name for f in flds if f.repr]
        _on_first_call(made, "__repr__",
                       lambda: _guarded_repr(_compiled(_repr_src(shown), "__repr__")))
    if not defines_eq:
        compared = [f.name for f in flds if f.compare]
        _on_first_call(made, "__eq__", lambda: _compiled(_eq_src(compared), "__eq__"))
    if not explicit_hash:
        hashed = [f.name for f in flds if (f.compare if f.hash is None else f.hash)]
        _on_first_call(made, "__hash__", lambda: _compiled(_hash_src(hashed), "__hash__"))
    chosen = made.__dataclass_params__  # type: ignore[attr-defined]
    chosen.repr = True
    chosen.eq = True
    return made


def _fast(params: dict[str, Any]) -> bool:
    """Whether these parameters ask for a frozen record with the generated repr, eq and hash."""
    return (params.get("frozen", False) is True and params.get("repr", True) is True
            and params.get("eq", True) is True and not params.get("order", False)
            and not params.get("unsafe_hash", False) and params.get("init", True) is True)


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:

    def dataclass(cls=None, /, **params):
        """``dataclasses.dataclass``, with :func:`frozen_record` for frozen records."""
        if not _fast(params):
            return dataclasses.dataclass(cls, **params)
        rest = {k: v for k, v in params.items() if k not in _OWN}

        def wrap(c):
            return frozen_record(c, **rest)

        return wrap if cls is None else wrap(cls)
