"""``explorer.model.records.dataclass`` makes the same records as ``dataclasses.dataclass``: the
same fields, ``__init__``, repr, equality, hash, frozen errors, copying and ``replace``, only
with repr/eq/hash compiled on their first call."""

from __future__ import annotations

import copy
import dataclasses
import inspect
from typing import Any

import pytest

from explorer.model import records
from explorer.model.records import dataclass as fast
from explorer.model.state import empty_world

std = dataclasses.dataclass


def _own_eq(self: Any, other: object) -> bool:
    return type(other) is type(self) and abs(self.a - other.a) < 2  # type: ignore[attr-defined]


SHAPES: dict[str, tuple[str, dict[str, str], dict[str, Any], dict[str, Any]]] = {
    # name: (base, annotations, class namespace, decorator parameters besides frozen/slots)
    "Plain": ("", {"a": "int", "b": "str"}, {"b": "x"}, {}),
    "Empty": ("", {}, {}, {}),
    "One": ("", {"a": "float"}, {}, {}),  # one field: the tuples are (self.a,)
    "Mixed": ("", {"a": "int", "items": "tuple[int, ...]", "tags": "list[str]", "shown": "int",
                   "hashed_only": "int", "unhashed": "int", "_cache": "int"},
              {"items": (), "tags": dataclasses.field(default_factory=list, compare=False),
               "shown": dataclasses.field(default=0, repr=False),
               "hashed_only": dataclasses.field(default=1, compare=False, hash=True),
               "unhashed": dataclasses.field(default=2, hash=False),
               "_cache": dataclasses.field(default=0, init=False, repr=False, compare=False)},
              {}),
    "Base": ("", {"x": "int", "y": "str"}, {"x": 0, "y": ""}, {"kw_only": True}),  # as Setup
    "Child": ("Base", {"z": "int"}, {}, {}),  # a record's fields inherited, as by Page, IdSet8
    "OwnEq": ("", {"a": "int"}, {"__eq__": _own_eq}, {}),  # and so no hash of its own
    "OwnHash": ("", {"a": "int"}, {"__hash__": lambda self: 7, "__repr__": lambda self: "own"},
                {}),
    "Box": ("", {"inner": "list[Any]"}, {}, {}),  # can hold itself: the repr's guard
}
"""The shapes our records take."""


def _kinds(deco: Any) -> dict[str, type]:
    """:data:`SHAPES` made with ``deco``, each with a docstring only if it is not ``Empty`` (the
    decorator writes one from the signature otherwise)."""
    made: dict[str, type] = {}
    for name, (base, fields, namespace, params) in SHAPES.items():
        body = {"__annotations__": dict(fields), "__module__": __name__,
                "__qualname__": name, **namespace}
        if name != "Empty":
            body["__doc__"] = f"The {name} shape."
        bases = (made[base],) if base else ()
        cls = type(name, bases, {k: copy.copy(v) for k, v in body.items()})
        made[name] = deco(frozen=True, slots=True, **params)(cls)
    return made


FAST, STD = _kinds(fast), _kinds(std)


def _pairs() -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    nan = float("nan")
    return [
        ("Plain", (1,), {}), ("Plain", (1, "y"), {}), ("Plain", (2,), {"b": "x"}),
        ("Empty", (), {}), ("One", (nan,), {}), ("One", (1.0,), {}),
        ("Mixed", (1, (2, 3), ["t"]), {"shown": 5, "hashed_only": 9, "unhashed": 4}),
        ("Mixed", (1, (2, 3), ["u"]), {"shown": 5, "hashed_only": 8, "unhashed": 3}),
        ("Base", (), {"x": 1, "y": "b"}), ("Child", (3,), {"x": 1}), ("Child", (3,), {}),
        ("OwnEq", (1,), {}), ("OwnEq", (2,), {}), ("OwnHash", (1,), {}),
    ]


def _same(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    return FAST[name](*args, **kwargs), STD[name](*args, **kwargs)


def _refusal(obj: Any) -> list[str]:
    """What setting and deleting a field, and another name, raise (``dataclasses`` compiles
    these methods; ours are closures while the decorator runs, on 3.11 and 3.12)."""
    raised = []
    for name in ("a", "other"):
        for act in (lambda n=name: setattr(obj, n, 5), lambda n=name: delattr(obj, n)):
            try:
                act()
                raised.append("nothing")
            except Exception as e:
                raised.append(type(e).__name__)
    return raised


@pytest.mark.parametrize(("name", "args", "kwargs"), _pairs())
def test_a_record_behaves_as_the_standard_one(name: str, args: tuple[Any, ...],
                                             kwargs: dict[str, Any]) -> None:
    f, s = _same(name, args, kwargs)
    assert repr(f) == repr(s)
    assert hash(f) == hash(s)
    assert (f == f) == (s == s)  # a NaN field: the tuples compare by identity first
    assert f != 3 and s != 3
    assert [(x.name, x.init, x.repr, x.compare, x.hash, x.kw_only)
            for x in dataclasses.fields(f)] == [(x.name, x.init, x.repr, x.compare, x.hash,
                                                 x.kw_only) for x in dataclasses.fields(s)]
    assert type(f).__match_args__ == type(s).__match_args__
    assert type(f).__slots__ == type(s).__slots__  # type: ignore[attr-defined]
    assert str(inspect.signature(type(f))) == str(inspect.signature(type(s)))
    assert type(f).__doc__ == type(s).__doc__
    fp, sp = type(f).__dataclass_params__, type(s).__dataclass_params__  # type: ignore[attr-defined]
    assert repr(fp) == repr(sp)
    assert _refusal(f) == _refusal(s)
    if dataclasses.fields(f):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(f, dataclasses.fields(f)[0].name, 5)
    # copies go through the frozen record's __getstate__/__setstate__ (a NaN is not equal to
    # a copy of itself)
    assert copy.copy(f) == f and (copy.deepcopy(f) == f or name == "One")
    if dataclasses.fields(f):
        first = dataclasses.fields(f)[0]
        if first.init:
            changed = dataclasses.replace(f, **{first.name: getattr(s, first.name)})
            assert changed == f


def test_equality_and_hash_between_records_agree_with_the_standard_ones() -> None:
    pairs = _pairs()
    for n1, a1, k1 in pairs:
        for n2, a2, k2 in pairs:
            f1, s1 = _same(n1, a1, k1)
            f2, s2 = _same(n2, a2, k2)
            assert (f1 == f2) == (s1 == s2), (n1, a1, n2, a2)
            assert (f1 != f2) == (s1 != s2)


def test_a_record_holding_itself_shows_dots_as_the_standard_one_does() -> None:
    f, s = FAST["Box"]([]), STD["Box"]([])
    f.inner.append(f)
    s.inner.append(s)
    assert repr(f).endswith("Box(inner=[...])") and repr(s).endswith("Box(inner=[...])")


def test_methods_are_compiled_once_on_their_first_call() -> None:
    Plain = _kinds(fast)["Plain"]
    stand_ins = {n: Plain.__dict__[n] for n in ("__repr__", "__eq__", "__hash__")}
    p = Plain(1)
    assert repr(p).endswith("Plain(a=1, b='x')") and p == Plain(1) and hash(p) == hash((1, "x"))
    for n, stand_in in stand_ins.items():
        assert Plain.__dict__[n] is not stand_in
        assert Plain.__dict__[n].__qualname__.endswith(f"Plain.{n}")


def test_other_parameters_go_to_the_standard_decorator() -> None:
    @fast(slots=True)
    class Mutable:
        a: int

    @fast(frozen=True, order=True)
    class Ordered:
        a: int

    m = Mutable(1)
    m.a = 2
    assert m == Mutable(2) and Ordered(1) < Ordered(2)
    assert "__eq__" in Mutable.__dict__ and Mutable.__hash__ is None  # type: ignore[comparison-overlap]
    assert records.dataclass is not std


def test_the_worlds_own_hash_is_kept() -> None:
    """``cached_hash`` replaces the hash after the decorator: still the fields' tuple's."""
    w = empty_world()
    assert hash(w) == hash(tuple(getattr(w, f.name) for f in dataclasses.fields(w)
                                 if f.compare))
    assert w == empty_world() and repr(w).startswith("World(")
