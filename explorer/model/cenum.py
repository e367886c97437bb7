"""C enums as Python enums: the constants of one kernel enum share a prefix (``BPF_PROG_TYPE_``),
which :attr:`CEnum.short` drops and :meth:`CEnum.parse` accepts with or without.

Naming plumbing, not kernel logic: the 5.18 and 6.17 constants each declare their own kernel's
enums (:mod:`explorer.model.constants`, :mod:`explorer.model.v6.constants`) on this base; the uapi
``enum bpf_prog_type`` is declared once and read up to each kernel's last member.
"""

from __future__ import annotations

from enum import IntEnum
from functools import cache
from typing import Self


@cache
def _prefix(cls: type[IntEnum]) -> str:
    """The ``_``-separated words every constant's name starts with (``BTF_KFUNC_HOOK_``)."""
    words = [m.name.split("_") for m in cls]
    n = 0
    while all(len(w) > n + 1 and w[n] == words[0][n] for w in words):
        n += 1
    return "".join(f"{w}_" for w in words[0][:n])


_SHORT: dict[tuple[type, int], str] = {}
"""(enum, value) → short name (an IntEnum constant equals its value: the enum is in the key)."""


class CEnum(IntEnum):
    """An ``IntEnum`` of one C enum whose constants share a prefix."""

    @property
    def short(self) -> str:
        """The constant's name without the enum's prefix (``SCHED_CLS``), worked out once per
        constant (event texts name cells on every step of a registration)."""
        key = (type(self), self._value_)
        got = _SHORT.get(key)
        if got is None:
            got = _SHORT[key] = self._name_.removeprefix(_prefix(type(self)))
        return got

    @classmethod
    def parse(cls, text: str, what: str, last: int | None = None) -> Self:
        """``sched_cls``, ``SCHED_CLS`` or ``BPF_PROG_TYPE_SCHED_CLS`` → the constant; else a
        ValueError that names ``what`` and lists the short names. ``last``: the highest value
        this kernel's enum has (a uapi enum grows at its end); later constants are unknown."""
        key = text.strip().upper()
        prefix = _prefix(cls)
        if not key.startswith(prefix):
            key = prefix + key
        known = [m for m in cls if last is None or m <= last]
        for m in known:
            if m.name == key:
                return m
        allowed = ", ".join(m.short for m in known)
        raise ValueError(f"unknown {what} {text!r} (allowed: {allowed})")
