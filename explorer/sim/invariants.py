"""Invariants checked in every explored state.

Each returns None when it holds, or a one-line message. They are the properties the kernel's
design promises: sorted vmlinux cells (for bsearch), at most BTF_KFUNC_SET_MAX_CNT IDs a cell, no
use of a freed module, a write-once module table (no verifier holds a module reference while
that module's init is still filling the table), and message passing: BTF_MODULE_F_LIVE is never
visible before the table stores made ahead of it.
"""

from __future__ import annotations

from collections.abc import Callable

from explorer.model.constants import BTF_KFUNC_SET_MAX_CNT, BtfKfuncHook, BtfKfuncType
from explorer.model.state import (
    BTF_MODULE_F_LIVE,
    MODULE_STATE_COMING,
    TabCell,
    TabPtr,
    table_of,
)
from explorer.model.v6 import is_v6_tab
from explorer.sim.engine import SimState, ThreadState

_IN_POPULATE = {"__btf_populate_kfunc_set", "sort", "btf_free_kfunc_set_tab",
                "btf_populate_kfunc_set@6.17", "btf_free_kfunc_set_tab@6.17"}


def _limit(tab: object) -> int:
    """The table's cell limit: 32 IDs (5.18), 256 pairs (6.17's set8 tables)."""
    if is_v6_tab(tab):
        from explorer.model.v6.constants import BTF_KFUNC_SET_MAX_CNT as MAX6

        return MAX6
    return BTF_KFUNC_SET_MAX_CNT


def _cell_name(tab: object, hook: int, type_: int) -> str:
    """``[STRUCT_OPS][CHECK]`` (5.18) or ``[XDP]`` (6.17: one set8 a hook), as the views name it."""
    if is_v6_tab(tab):
        from explorer.model.v6.constants import Hook

        return f"[{Hook(hook).short}]"
    return f"[{BtfKfuncHook(hook).short}][{BtfKfuncType(type_).short}]"


def in_registration(t: ThreadState) -> bool:
    """Whether thread ``t`` is inside a registration (populating or freeing a table)."""
    return any(f.func in _IN_POPULATE for f in t.stack)


def registration_mid_way(s: SimState) -> bool:
    """Whether some thread is inside a registration (populating or freeing a table)."""
    return any(in_registration(t) for t in s.threads)


def vmlinux_cells_sorted(s: SimState) -> str | None:
    """bsearch needs every vmlinux cell sorted whenever no registration is mid-way."""
    if registration_mid_way(s):
        return None
    tab = table_of(s.world, "vmlinux")
    if tab is None:
        return None
    for h, row in enumerate(tab.sets):
        for ty, ptr in enumerate(row):
            cell = s.world.find_idset(ptr) if ptr is not None else None
            if cell is None:
                continue
            ids = cell.valid
            if list(ids) != sorted(ids):
                return f"vmlinux cell {_cell_name(tab, h, ty)} is not sorted: {list(ids)}"
    return None


def cell_count_bound(s: SimState) -> str | None:
    tab = table_of(s.world, "vmlinux")
    if tab is None:
        return None
    limit = _limit(tab)
    for row in tab.sets:
        for ptr in row:
            cell = s.world.find_idset(ptr) if ptr is not None else None
            if cell is not None and cell.cnt > limit:
                return f"{ptr} holds more than {limit} IDs"
    return None


def no_use_after_free(s: SimState) -> str | None:
    if s.world.uaf:
        return f"{', '.join(s.world.uaf_by)} used a freed module (use-after-free)"
    return None


def table_write_once(s: SimState) -> str | None:
    """A verifier with a module reference must only ever see the module's finished table.

    (This series' promise; v5.16 had no table and no LIVE flag, so it does not apply there.)"""
    if not s.world.cfg.live_flag_exists:
        return None
    for prog, mod in s.world.kfunc_btf_tabs.items():
        m = s.world.module(mod)
        if m.state == MODULE_STATE_COMING:
            return (f"{prog} holds a reference to {mod} while its init is still running: it can "
                    "see a half-filled table")
    return None


def live_flag_after_table(s: SimState) -> str | None:
    """Message passing: no CPU can see BTF_MODULE_F_LIVE while a store to that module's table is
    still in the loader CPU's store buffer (the mutex's release/acquire promise, v5.18)."""
    w = s.world
    if not w.pending:
        return None
    for e in w.btf_modules:
        if not e.flags & BTF_MODULE_F_LIVE:
            continue
        tab = w.read_tab_ptr(e.btf, True)
        stale = [st.target for st in w.pending if st.target == TabPtr(e.btf)
                 or (isinstance(st.target, TabCell) and st.target.tab == tab)]
        if stale:
            return (f"other CPUs see {e.module} LIVE while {len(stale)} store(s) to its table "
                    "are still buffered: a verifier can read a stale table")
    return None


INVARIANTS: dict[str, Callable[[SimState], str | None]] = {
    "vmlinux_cells_sorted": vmlinux_cells_sorted,
    "cell_count_bound": cell_count_bound,
    "no_use_after_free": no_use_after_free,
    "table_write_once": table_write_once,
    "live_flag_after_table": live_flag_after_table,
}


def check_all(s: SimState) -> list[tuple[str, str]]:
    out = []
    for name, fn in INVARIANTS.items():
        msg = fn(s)
        if msg is not None:
            out.append((name, msg))
    return out
