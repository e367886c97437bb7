"""Direct calls into the model: run one kernel function to completion on a world.

These are for tests, the CLI and boot-time prefill; the simulator runs the same functions one
step at a time.
"""

from __future__ import annotations

from dataclasses import replace

from explorer.model.constants import BtfKfuncType
from explorer.model.machine import Ctx, Event, Value, new_frame, run_to_completion
from explorer.model.records import dataclass
from explorer.model.state import IdSet, Module, World

Kset = tuple[str, str | None, tuple[str | None, ...]]


@dataclass(frozen=True, slots=True)
class CallResult:
    """A completed call: the new world, its return value and every event, in order."""

    world: World
    value: Value
    events: tuple[Event, ...]


def call_function(w: World, func: str, args: dict[str, Value], thread: str = "call") -> CallResult:
    """Run kernel function ``func`` alone until it returns."""
    r = run_to_completion(w, (new_frame(func, args),), Ctx(thread))
    return CallResult(r.world, r.value, r.events)


def add_id_set(
    w: World, addr: str, ids: tuple[int, ...], *, region: str, owner: str | None = None,
    symbol: str = "",
) -> World:
    """Place a static ``struct btf_id_set`` (BTF_SET_START/BTF_ID/BTF_SET_END) in memory."""
    return w.with_idset(IdSet(addr, len(ids), tuple(ids), region, owner, symbol or addr))


def add_module(w: World, name: str) -> World:
    """A module that ``finit_module`` is about to load (MODULE_STATE_UNFORMED)."""
    return w.with_module(Module(name))


def make_kset(name: str, owner: str | None, sets: dict[BtfKfuncType, str]) -> Kset:
    """A ``struct btf_kfunc_id_set`` value: owner and the four set pointers (None: NULL)."""
    return (name, owner, tuple(sets.get(t) for t in (
        BtfKfuncType.BTF_KFUNC_TYPE_CHECK, BtfKfuncType.BTF_KFUNC_TYPE_ACQUIRE,
        BtfKfuncType.BTF_KFUNC_TYPE_RELEASE, BtfKfuncType.BTF_KFUNC_TYPE_RET_NULL)))


def register_btf_kfunc_id_set(w: World, prog_type: int, kset: Kset) -> CallResult:
    """``register_btf_kfunc_id_set(prog_type, kset)`` run to completion."""
    return call_function(w, "register_btf_kfunc_id_set", {"prog_type": prog_type, "kset": kset})


def btf_kfunc_id_set_contains(
    w: World, btf: str, prog_type: int, type_: int, kfunc_btf_id: int,
) -> CallResult:
    """``btf_kfunc_id_set_contains(btf, prog_type, type, id)`` run to completion."""
    return call_function(w, "btf_kfunc_id_set_contains",
                         {"btf": btf, "prog_type": prog_type, "type": type_, "id": kfunc_btf_id})


def publish_module_btf(w: World, name: str) -> World:
    """Shortcut for tests: a module COMING with its BTF published and listed (not LIVE)."""
    from explorer.model.state import MODULE_STATE_COMING

    w = w.with_module(replace(w.module(name), state=MODULE_STATE_COMING))
    return call_function(w, "btf_module_notify",
                         {"mod": name, "op": MODULE_STATE_COMING, "has_btf": True}).world
