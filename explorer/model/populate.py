"""The steps of kernel/bpf/btf.c's kfunc set population that v5.18 and 6.17 share line for line.

v5.18's ``__btf_populate_kfunc_set`` became 6.17's ``btf_populate_kfunc_set`` ("bpf: Switch to
new kfunc flags infrastructure" turned the ``sets[hook][type]`` grid of ``struct btf_id_set`` into
one ``struct btf_id_set8`` per hook; later patches added filters and copied module sets too). Much
of the function stayed as it was; those lines are modelled once, here, and both
:mod:`explorer.model.btf_kfunc` (v5.18) and :mod:`explorer.model.v6.registry` (6.17) step through
them. Each helper says which kernel lines it is. What changed stays in each version's own step:
the range check, the module case, what ``krealloc`` sizes and what the copy moves, the filters, and
``btf_free_kfunc_set_tab``'s loop.

Read in: 6.17, kernel/bpf/btf.c of ``nhatz11/linux-6.17`` (commit 640605ad); v5.18, the series'
own patch (``__btf_populate_kfunc_set`` with ``vmlinux_set``) and the diff of "bpf: Switch to new
kfunc flags infrastructure", whose unchanged context lines are the ones modelled here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from explorer.model.constants import E2BIG, EINVAL, ENOENT, ENOMEM, EOVERFLOW, U32_MAX
from explorer.model.machine import Effect, Event, Vars, call, ev, goto, ret
from explorer.model.state import TabCell, TabPtr, World


def missing_btf(w: World, owner: str | None, module_fails: bool) -> tuple[int, World, Event]:
    """Registration when ``btf_get_module_btf`` returned NULL (no BTF to register into).

    The vmlinux case is the same in both kernels: with CONFIG_DEBUG_INFO_BTF, ``pr_err("missing
    vmlinux BTF, …")`` and -ENOENT. The module case CHANGED: v5.18 (after commit c446fdacb10d) fails
    it with ``pr_err`` and -ENOENT when
    CONFIG_DEBUG_INFO_BTF_MODULES is set (``module_fails``); 6.17's ``check_btf_kconfigs`` only
    warns (``pr_warn``) and returns 0. Without the config option both return 0.
    """
    fn = "" if module_fails else "check_btf_kconfigs: "
    if owner is None and w.cfg.debug_info_btf:
        return -ENOENT, w, ev("error", f"{fn}pr_err: missing vmlinux BTF, cannot register kfuncs: "
                              "-ENOENT")
    if owner is not None and w.cfg.debug_info_btf_modules:
        if module_fails:
            return -ENOENT, w, ev("error", f"pr_err: missing module BTF, cannot register kfuncs "
                                  f"({owner}): -ENOENT")
        return 0, w, ev("note", f"{fn}pr_warn: missing module BTF, cannot register kfuncs "
                        f"({owner}); returns 0 (v5.18 failed with -ENOENT)")
    what = "CONFIG_DEBUG_INFO_BTF" if owner is None else "CONFIG_DEBUG_INFO_BTF_MODULES"
    return 0, w, ev("note", f"{fn}{owner or 'vmlinux'} has no BTF and {what} is off: nothing to "
                    "register, returns 0")


def tab_step(w: World, v: Vars, btf: str, zeroed: Callable[[World, str], World],
             shape: str = "") -> Effect:
    """``if (!tab) { tab = kzalloc(sizeof(*tab), …); if (!tab) return -ENOMEM; … }`` (label
    ``tab``): the table is allocated on demand, all cells NULL; a failed kzalloc returns -ENOMEM
    directly, with nothing to undo. ``zeroed`` puts this kernel's empty table at an address."""
    tab = w.read_tab_ptr(btf, True)  # the registering CPU sees its own stores
    if tab is not None:
        return goto("cell", w, v.set(tab=tab))
    nth = w.kzallocs + 1
    w = replace(w, kzallocs=nth)
    if w.cfg.fail_kzalloc_nth == nth:
        return ret(-ENOMEM, w, ev("error", f"kzalloc #{nth} failed (injected): -ENOMEM", btf=btf))
    w, addr = w.alloc_addr()
    return goto("settab", zeroed(w, addr), v.set(tab=addr),
                ev("alloc", f"kzalloc(kfunc_set_tab) = {addr}{shape}", btf=btf, addr=addr,
                   table=True))


def settab_step(w: World, v: Vars, btf: str, buffered: bool) -> Effect:
    """``btf->kfunc_set_tab = tab;`` (label ``settab``), then on to the cell."""
    w = w.store(TabPtr(btf), v["tab"], buffered)
    return goto("cell", w, v, ev("write", f"{btf}->kfunc_set_tab = {v['tab']}", btf=btf,
                                 addr=v["tab"], buffered=buffered, table=True))


def cell_step(w: World, v: Vars, where: str, btf: str, hook: int, type_: int,
              vmlinux_set: bool, then: str) -> Effect:
    """``set = tab->sets[…]; if (WARN_ON_ONCE(set && !vmlinux_set)) { ret = -EINVAL; goto end; }``
    (label ``cell``): a module registers once per cell. v5.18's cell is ``sets[hook][type]``,
    6.17's ``sets[hook]`` (``type_`` 0); ``then`` is where each goes next."""
    cur = w.read_cell(v["tab"], hook, type_, True)
    if cur is not None and not vmlinux_set:
        return goto("end", w, v.set(set=cur, ret=-EINVAL),
                    ev("error", f"WARN_ON_ONCE: {where} already set by this module: -EINVAL",
                       btf=btf, hook=hook, type=type_))
    return goto(then, w, v.set(set=cur))


def room_step(w: World, v: Vars, where: str, btf: str, hook: int, type_: int, add_cnt: int,
              max_cnt: int) -> Effect:
    """``set_cnt = set ? set->cnt : 0;`` then -EOVERFLOW if ``set_cnt + add_set->cnt`` would wrap
    a u32 and -E2BIG if it exceeds BTF_KFUNC_SET_MAX_CNT, both via ``goto end`` (label ``count``).
    Unchanged but for the limit: 32 IDs in v5.18, 256 pairs in 6.17."""
    cur = v["set"]
    set_cnt = w.idset(cur).cnt if cur is not None else 0
    if set_cnt > U32_MAX - add_cnt:
        return goto("end", w, v.set(ret=-EOVERFLOW),
                    ev("error", f"{where}: {set_cnt} + {add_cnt} overflows u32: -EOVERFLOW",
                       btf=btf, hook=hook, type=type_))
    if set_cnt + add_cnt > max_cnt:
        return goto("end", w, v.set(ret=-E2BIG),
                    ev("error", f"{where}: {set_cnt} + {add_cnt} > BTF_KFUNC_SET_MAX_CNT "
                       f"({max_cnt}): -E2BIG", btf=btf, hook=hook, type=type_))
    return goto("realloc", w, v.set(set_cnt=set_cnt))


def krealloc_failed(w: World, v: Vars, btf: str) -> tuple[World, Effect | None]:
    """``set = krealloc(…); if (!set) { ret = -ENOMEM; goto end; }``: counts the krealloc and,
    when it is the injected failure, the step that takes the error path (else None)."""
    nth = w.kreallocs + 1
    w = replace(w, kreallocs=nth)
    if w.cfg.fail_krealloc_nth != nth:
        return w, None
    return w, goto("end", w, v.set(ret=-ENOMEM),
                   ev("error", f"krealloc #{nth} failed (injected): -ENOMEM", btf=btf))


def store_step(w: World, v: Vars, where: str, btf: str, hook: int, type_: int) -> Effect:
    """``if (!tab->sets[…]) set->cnt = 0; tab->sets[…] = set;`` (label ``store``)."""
    w = w.store(TabCell(v["tab"], hook, type_), v["set"], False)
    return goto("copy", w, v, ev("write", f"{where} = {v['set']}", btf=btf, hook=hook,
                                 type=type_, addr=v["set"]))


def cnt_step(w: World, v: Vars, btf: str, hook: int, type_: int, add_cnt: int) -> Effect:
    """``set->cnt += add_set->cnt;`` (label ``cnt``)."""
    s = w.idset(v["set"])
    w = w.with_idset(replace(s, cnt=s.cnt + add_cnt))
    return goto("sort", w, v, ev("write", f"set->cnt = {s.cnt + add_cnt}", btf=btf, addr=s.addr,
                                 hook=hook, type=type_))


def sort_step(w: World, v: Vars, then: str, what: str, sort: str = "sort") -> Effect:
    """``sort(set->…, set->cnt, …, btf_id_cmp_func, NULL);`` (label ``sort``): each added set was
    sorted, their concatenation is not; the what-if ``sort_after_concat`` off skips it. ``sort``
    is the registry key of the kernel's own lib/sort.c (6.17's pops two a round)."""
    s = w.idset(v["set"])
    if not w.cfg.sort_after_concat:
        return goto(then, w, v, ev("note", "sort() skipped (what-if: not the kernel)"))
    return call(sort, {"base": s.addr, "num": s.cnt}, then, "", w, v,
                ev("note", f"sort {s.cnt} {what}"))


def end_step(v: Vars, w: World, free_tab: str) -> Effect:
    """``end: btf_free_kfunc_set_tab(btf); return ret;`` (label ``end``, back at ``endret``): the
    error path drops EVERY earlier registration on this btf, in both kernels."""
    return call(free_tab, {"btf": v["btf"]}, "endret", "", w, v)


def free_tab_step(w: World, btf: str, tab: str) -> Effect:
    """``kfree(tab); btf->kfunc_set_tab = NULL;`` (label ``free_tab`` of
    ``btf_free_kfunc_set_tab``), with any buffered store to the table forgotten."""
    w = replace(w, tabs=w.tabs.remove(tab))
    if w.pending:
        w = w.forget_stores_to(btf, tab)
    w = w.with_btf(replace(w.btf(btf), kfunc_set_tab=None))
    return ret(None, w, ev("free", f"kfree({tab}); {btf}->kfunc_set_tab = NULL", btf=btf,
                           addr=tab, table=True))
