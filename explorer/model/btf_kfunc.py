"""kernel/bpf/btf.c: kfunc ID set registration and lookup, module BTF and ``btf_modules``.

Modelled functions (kernel names): ``register_btf_kfunc_id_set``, ``btf_populate_kfunc_set``,
``__btf_populate_kfunc_set``, ``btf_free_kfunc_set_tab``, ``btf_kfunc_id_set_contains``,
``__btf_kfunc_id_set_contains``, ``btf_id_set_contains``, ``btf_module_notify`` and
``btf_try_get_module``. The listings are our own annotated pseudo-C, following the kernel at
commit dee872e1 ("bpf: Populate kfunc BTF ID sets in struct btf") and the patch before it.

A ``kset`` value is ``(name, owner, (check_set, acquire_set, release_set, ret_null_set))``: the
``struct btf_kfunc_id_set`` a subsystem registers, each set an address in the world's memory (or
None), ``owner`` a module name or None (``THIS_MODULE`` of built-in code).
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from explorer.model import populate
from explorer.model.constants import (
    BTF_KFUNC_SET_MAX_CNT,
    EINVAL,
    BtfKfuncHook,
    BtfKfuncType,
    bpf_prog_type_to_kfunc_hook,
)
from explorer.model.machine import (
    Ctx,
    Effect,
    Event,
    Frame,
    KernelFunction,
    call,
    ev,
    goto,
    ret,
    tail_call,
)
from explorer.model.state import (
    BTF_MODULE_F_LIVE,
    MODULE_STATE_COMING,
    MODULE_STATE_GOING,
    MODULE_STATE_LIVE,
    Btf,
    BtfModule,
    IdSet,
    KfuncSetTab,
    LiveFlag,
    Store,
    TabCell,
    World,
)
from explorer.model.values import Vars

Kset = tuple[str, str | None, tuple[str | None, ...]]


def hook_name(h: int) -> str:
    return BtfKfuncHook(h).short if 0 <= h <= BtfKfuncHook.BTF_KFUNC_HOOK_MAX else str(h)


def type_name(t: int) -> str:
    return BtfKfuncType(t).short if 0 <= t <= BtfKfuncType.BTF_KFUNC_TYPE_MAX else str(t)


def btf_get_module_btf(w: World, owner: str | None,
                       vmlinux_ref: bool = False) -> tuple[World, str | None]:
    """``btf_get_module_btf`` (kernel/bpf/btf.c): for owner NULL ``bpf_get_btf_vmlinux()``
    (NULL without CONFIG_DEBUG_INFO_BTF); else the module's BTF with a reference, found on
    ``btf_modules`` under ``btf_module_mutex`` (one atomic step here), or NULL.

    One model for both kernels, with what CHANGED after v5.18 as ``vmlinux_ref``: 6.17 takes a
    reference on vmlinux's BTF too (``if (!IS_ERR_OR_NULL(btf)) btf_get(btf);``, kernel/bpf/btf.c
    of nhatz11/linux-6.17 640605ad) and its caller drops either with an unconditional btf_put.
    """
    name: str | None = None
    if owner is None:
        if not w.cfg.debug_info_btf:
            return w, None
        if not vmlinux_ref:
            return w, "vmlinux"
        name = "vmlinux"
    for e in w.btf_modules:
        if owner is not None and e.module == owner:
            name = e.btf
            break
    if name is None:
        return w, None
    b = w.btf(name)
    return w.with_btf(replace(b, refcnt=b.refcnt + 1)), name


class RegisterBtfKfuncIdSet(KernelFunction, name="register_btf_kfunc_id_set", file="kernel/bpf/btf.c"):
    """register a subsystem's kfunc sets for one program type

    6.17's ``__register_btf_kfunc_id_set`` is this function's body, split off when 6.x put the
    BTF_SET8_KFUNCS check and the hook mapping in front of it; its model
    (:class:`explorer.model.v6.registry.RegisterInner617`) runs these steps with what changed
    named in the class attributes below, plus its own prototype check.
    """

    vmlinux_ref: ClassVar[bool] = False
    """v5.18 takes no reference on vmlinux's BTF and puts only a module's; 6.17 gets and puts
    either."""
    module_btf_fails: ClassVar[bool] = True
    """A module without BTF: -ENOENT in v5.18; a warning and 0 in 6.17 (``check_btf_kconfigs``)."""
    after_get: ClassVar[str] = "populate"
    """The label after the BTF is found (6.17 checks the kfuncs' prototypes first)."""

    listing_src = """
/* Only from initcalls (built-in code) or a module's init function. */
int register_btf_kfunc_id_set(enum bpf_prog_type prog_type, const struct btf_kfunc_id_set *kset)
{
	enum btf_kfunc_hook hook;
	struct btf *btf;
	int ret;

@entry	btf = btf_get_module_btf(kset->owner);	/* NULL owner: vmlinux; else a module ref */
	if (!btf) {				/* no BTF: c446fdacb10d, in v5.18 */
		if (!kset->owner && IS_ENABLED(CONFIG_DEBUG_INFO_BTF)) {
			pr_err("missing vmlinux BTF, cannot register kfuncs\\n");
			return -ENOENT;
		}
		if (kset->owner && IS_ENABLED(CONFIG_DEBUG_INFO_BTF_MODULES)) {
			pr_err("missing module BTF, cannot register kfuncs\\n");
			return -ENOENT;
		}
		return 0;			/* built without BTF: nothing to register */
	}
	if (IS_ERR(btf))
		return PTR_ERR(btf);
@populate	hook = bpf_prog_type_to_kfunc_hook(prog_type);
	ret = btf_populate_kfunc_set(btf, hook, kset);
	/* no barrier here: btf_module_mutex orders the table before BTF_MODULE_F_LIVE */
@put	if (btf_is_module(btf))
		btf_put(btf);		/* only the module case took a reference */
	return ret;
}
"""

    def populate(self, w: World, v: Vars) -> Effect:
        """``hook = bpf_prog_type_to_kfunc_hook(prog_type); ret = btf_populate_kfunc_set(…)``."""
        hook = int(bpf_prog_type_to_kfunc_hook(v["prog_type"]))
        return call("btf_populate_kfunc_set", {"btf": v["btf"], "hook": hook,
                    "kset": v["kset"], "type": 0}, "put", "ret", w, v.set(hook=hook))

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        match f.pc:
            case "entry":
                owner = v["kset"][1]
                w, btf = btf_get_module_btf(w, owner, self.vmlinux_ref)
                if btf is None:
                    return ret(*populate.missing_btf(w, owner, self.module_btf_fails))
                e = ev("ref", f"btf_get_module_btf({owner or 'NULL'}) = {btf}", btf=btf)
                return goto(self.after_get, w, v.set(btf=btf), e)
            case "populate":
                return self.populate(w, v)
            case "put":
                b = w.btf(v["btf"])
                if b.is_module or self.vmlinux_ref:
                    w = w.with_btf(replace(b, refcnt=b.refcnt - 1))
                return ret(v["ret"], w)
        raise AssertionError(f.pc)


def _next_type(kset: Kset, start: int) -> int:
    t = start
    while t < len(kset[2]) and kset[2][t] is None:
        t += 1
    return t


class BtfPopulateKfuncSet(KernelFunction, name="btf_populate_kfunc_set", file="kernel/bpf/btf.c"):
    """add each of the kset's non-NULL sets, in type order; stop at the first error"""

    listing_src = """
static int btf_populate_kfunc_set(struct btf *btf, enum btf_kfunc_hook hook,
				  const struct btf_kfunc_id_set *kset)
{
	bool vmlinux_set = !btf_is_module(btf);
	int type, ret = 0;

@entry	for (type = 0; type < BTF_KFUNC_TYPE_MAX; type++) {
		if (!kset->sets[type])		/* check, acquire, release, ret_null */
			continue;
		ret = __btf_populate_kfunc_set(btf, hook, type, kset->sets[type], vmlinux_set);
@after		if (ret)
			break;
	}
	return ret;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        kset: Kset = v["kset"]
        t = v["type"]
        if f.pc == "after":
            if v["ret"]:
                return ret(v["ret"], w)
            t += 1
        elif f.pc != "entry":
            raise AssertionError(f.pc)
        t = _next_type(kset, t)
        if t >= len(kset[2]):
            return ret(0, w)
        vmlinux_set = not w.btf(v["btf"]).is_module
        return call("__btf_populate_kfunc_set",
                    {"btf": v["btf"], "hook": v["hook"], "type": t, "add_set": kset[2][t],
                     "vmlinux_set": vmlinux_set}, "after", "ret", w, v.set(type=t))


class BtfPopulateKfuncSetInner(KernelFunction, name="__btf_populate_kfunc_set", file="kernel/bpf/btf.c"):
    """put one set into tab->sets[hook][type]: module sets by pointer, vmlinux sets by copy

    6.17's ``btf_populate_kfunc_set`` grew out of this function; the lines both share are
    stepped once, in :mod:`explorer.model.populate`.
    """

    listing_src = """
static int __btf_populate_kfunc_set(struct btf *btf, enum btf_kfunc_hook hook,
				    enum btf_kfunc_type type, struct btf_id_set *add_set,
				    bool vmlinux_set)
{
	struct btf_kfunc_set_tab *tab;
	struct btf_id_set *set;
	u32 set_cnt;
	int ret;

@entry	if (hook >= BTF_KFUNC_HOOK_MAX || type >= BTF_KFUNC_TYPE_MAX) {
		ret = -EINVAL;
		goto end;			/* note: the error path frees the whole table */
	}
	if (!add_set->cnt)			/* an empty set: nothing to do, nothing allocated */
		return 0;
@tab	tab = btf->kfunc_set_tab;		/* allocated on demand, all cells NULL */
	if (!tab) {
		tab = kzalloc(sizeof(*tab), GFP_KERNEL | __GFP_NOWARN);
		if (!tab)
			return -ENOMEM;		/* direct return: nothing to undo */
@settab		btf->kfunc_set_tab = tab;
	}
@cell	set = tab->sets[hook][type];
	if (WARN_ON_ONCE(set && !vmlinux_set)) {	/* a module registers once per hook+type */
		ret = -EINVAL;
		goto end;
	}
	if (!vmlinux_set) {			/* module: point at the module's own sorted set */
@assign		tab->sets[hook][type] = add_set;
		return 0;
	}
	/* vmlinux: several subsystems may register for one cell; build one sorted set */
@count	set_cnt = set ? set->cnt : 0;
	if (set_cnt > U32_MAX - add_set->cnt) {
		ret = -EOVERFLOW;
		goto end;
	}
	if (set_cnt + add_set->cnt > BTF_KFUNC_SET_MAX_CNT) {	/* at most 32 IDs a cell */
		ret = -E2BIG;
		goto end;
	}
@realloc	set = krealloc(tab->sets[hook][type], struct_size(set, ids, set_cnt + add_set->cnt));
	if (!set) {
		ret = -ENOMEM;
		goto end;
	}
	if (!tab->sets[hook][type])		/* a fresh allocation starts empty */
		set->cnt = 0;
@store	tab->sets[hook][type] = set;
@copy	memcpy(set->ids + set->cnt, add_set->ids, add_set->cnt * sizeof(u32));	/* append */
@cnt	set->cnt += add_set->cnt;
@sort	sort(set->ids, set->cnt, sizeof(u32), btf_id_cmp_func, NULL);	/* concatenation is unsorted */
@done	return 0;
end:
@end	btf_free_kfunc_set_tab(btf);		/* drops EVERY earlier registration on this btf */
@endret	return ret;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        btf: str = v["btf"]
        hook, type_ = v["hook"], v["type"]
        where = f"{btf} [{hook_name(hook)}][{type_name(type_)}]"
        buffered = w.cfg.weak_memory and w.btf(btf).is_module
        match f.pc:
            case "entry":
                if hook >= BtfKfuncHook.BTF_KFUNC_HOOK_MAX or type_ >= BtfKfuncType.BTF_KFUNC_TYPE_MAX:
                    e = ev("error", f"hook {hook_name(hook)} / type {type_name(type_)} out of "
                           "range: -EINVAL", btf=btf)
                    return goto("end", w, v.set(ret=-EINVAL), e)
                add = w.idset(v["add_set"])
                if add.cnt == 0:
                    return ret(0, w, ev("note", f"{add.symbol}: empty set, nothing to do"))
                return goto("tab", w, v)
            case "tab":
                return populate.tab_step(w, v, btf,
                                         lambda w, addr: w.with_tab(KfuncSetTab.zeroed(addr)))
            case "settab":
                return populate.settab_step(w, v, btf, buffered)
            case "cell":
                return populate.cell_step(w, v, where, btf, hook, type_, v["vmlinux_set"],
                                          "count" if v["vmlinux_set"] else "assign")
            case "assign":
                w = w.store(TabCell(v["tab"], hook, type_), v["add_set"], buffered)
                add = w.idset(v["add_set"])
                return ret(0, w, ev("write", f"{where} = &{add.symbol} (module memory, by pointer)",
                                    btf=btf, hook=hook, type=type_, addr=add.addr,
                                    buffered=buffered))
            case "count":
                return populate.room_step(w, v, where, btf, hook, type_,
                                          w.idset(v["add_set"]).cnt, BTF_KFUNC_SET_MAX_CNT)
            case "realloc":
                w, failed = populate.krealloc_failed(w, v, btf)
                if failed is not None:
                    return failed
                cur = v["set"]
                size = v["set_cnt"] + w.idset(v["add_set"]).cnt
                old = w.idset(cur) if cur is not None else None
                w, addr = w.alloc_addr()
                ids = (old.ids[: old.cnt] if old else ()) + (0,) * (size - (old.cnt if old else 0))
                new = IdSet(addr, old.cnt if old else 0, ids, "kmalloc", None,
                            f"{btf} cell [{hook_name(hook)}][{type_name(type_)}]")
                w = w.with_idset(new)
                if old is not None:
                    w = replace(w, mem=w.mem.remove(old.addr))
                text = f"krealloc({cur or 'NULL'}, {size} ids) = {addr}"
                return goto("store", w, v.set(set=addr),
                            ev("alloc", text, btf=btf, addr=addr, old=cur, size=size))
            case "store":
                return populate.store_step(w, v, where, btf, hook, type_)
            case "copy":
                s, add = w.idset(v["set"]), w.idset(v["add_set"])
                ids = s.ids[: s.cnt] + add.valid + s.ids[s.cnt + add.cnt:]
                w = w.with_idset(replace(s, ids=ids))
                return goto("cnt", w, v, ev("write", f"append {list(add.valid)} from {add.symbol}",
                                            btf=btf, addr=s.addr, hook=hook, type=type_))
            case "cnt":
                return populate.cnt_step(w, v, btf, hook, type_, w.idset(v["add_set"]).cnt)
            case "sort":
                return populate.sort_step(w, v, "done", f"ids of {where}")
            case "done":
                return ret(0, w)
            case "end":
                return populate.end_step(v, w, "btf_free_kfunc_set_tab")
            case "endret":
                return ret(v["ret"], w)
        raise AssertionError(f.pc)


class BtfFreeKfuncSetTab(KernelFunction, name="btf_free_kfunc_set_tab", file="kernel/bpf/btf.c"):
    """free every vmlinux cell and the table; the btf forgets it had one"""

    module_sets_are_copies: ClassVar[bool] = False
    """v5.18: a module cell points at the module's own set (``tab->sets[hook][type] = add_set``),
    so only the table is freed. 6.17 copies module sets too and frees every cell (its model,
    :class:`explorer.model.v6.registry.BtfFreeKfuncSetTab617`, runs these same steps)."""
    unit: ClassVar[str] = "ids"
    """What a cell's set holds: IDs (``struct btf_id_set``) here, {id, flags} pairs in 6.17."""

    listing_src = """
static void btf_free_kfunc_set_tab(struct btf *btf)
{
	struct btf_kfunc_set_tab *tab = btf->kfunc_set_tab;
	int hook, type;

@entry	if (!tab)
		return;
	if (btf_is_module(btf))			/* module cells are the module's memory */
		goto free_tab;
@cells	for (hook = 0; hook < BTF_KFUNC_HOOK_MAX; hook++)
		for (type = 0; type < BTF_KFUNC_TYPE_MAX; type++)
			kfree(tab->sets[hook][type]);	/* every vmlinux cell, from every caller */
free_tab:
@free_tab	kfree(tab);
	btf->kfunc_set_tab = NULL;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        btf = v["btf"]
        tab = w.read_tab_ptr(btf, True)
        if tab is None:  # entry: nothing was ever allocated
            return ret(None, w)
        match f.pc:
            case "entry":
                cells = self.module_sets_are_copies or not w.btf(btf).is_module
                return goto("cells" if cells else "free_tab", w, v)
            case "cells":
                events = []
                mem = w.mem
                for row in w.tab(tab).sets:
                    for ptr in row:
                        if ptr is not None and ptr in mem:
                            s = w.idset(ptr)
                            events.append(ev("free", f"kfree({ptr}) ({s.cnt} {self.unit} of "
                                             f"{s.symbol})", btf=btf, addr=ptr))
                            mem = mem.remove(ptr)
                return goto("free_tab", replace(w, mem=mem), v, *events)
            case "free_tab":
                return populate.free_tab_step(w, btf, tab)
        raise AssertionError(f.pc)


class BtfKfuncIdSetContains(KernelFunction, name="btf_kfunc_id_set_contains", file="kernel/bpf/btf.c"):
    """the verifier's question: is kfunc ID in this btf's set for (prog type, type)?"""

    listing_src = """
/* Caller holds a reference on the module of a module btf (btf_try_get_module). */
bool btf_kfunc_id_set_contains(const struct btf *btf, enum bpf_prog_type prog_type,
			       enum btf_kfunc_type type, u32 kfunc_btf_id)
{
	enum btf_kfunc_hook hook;

@entry	hook = bpf_prog_type_to_kfunc_hook(prog_type);	/* unknown types: HOOK_MAX */
	return __btf_kfunc_id_set_contains(btf, hook, type, kfunc_btf_id);
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        hook = int(bpf_prog_type_to_kfunc_hook(v["prog_type"]))
        return tail_call("__btf_kfunc_id_set_contains",
                         {"btf": v["btf"], "hook": hook, "type": v["type"], "id": v["id"]}, w)


class BtfKfuncIdSetContainsInner(KernelFunction, name="__btf_kfunc_id_set_contains", file="kernel/bpf/btf.c"):
    """no table, a NULL cell or an out-of-range hook all simply mean: not in the set"""

    listing_src = """
static bool __btf_kfunc_id_set_contains(const struct btf *btf, enum btf_kfunc_hook hook,
					enum btf_kfunc_type type, u32 kfunc_btf_id)
{
	struct btf_id_set *set;

@entry	if (hook >= BTF_KFUNC_HOOK_MAX || type >= BTF_KFUNC_TYPE_MAX)
		return false;
	if (!btf->kfunc_set_tab)		/* nothing ever registered */
		return false;
	set = btf->kfunc_set_tab->sets[hook][type];
	if (!set)
		return false;
	return btf_id_set_contains(set, kfunc_btf_id);
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        btf, hook, type_ = v["btf"], v["hook"], v["type"]
        where = f"{btf} [{hook_name(hook)}][{type_name(type_)}]"
        if hook >= BtfKfuncHook.BTF_KFUNC_HOOK_MAX or type_ >= BtfKfuncType.BTF_KFUNC_TYPE_MAX:
            return ret(False, w, ev("read", f"hook {hook_name(hook)}: no such cell: false"))
        tab = w.read_tab_ptr(btf, False)
        if tab is None:
            return ret(False, w, ev("read", f"{btf}->kfunc_set_tab is NULL: false", btf=btf))
        ptr = w.read_cell(tab, hook, type_, False)
        if ptr is None:
            return ret(False, w, ev("read", f"{where} is NULL: false", btf=btf, hook=hook,
                                    type=type_))
        s = w.idset(ptr)
        if s.freed:
            w = replace(w, uaf=True, uaf_by=(*w.uaf_by, ctx.thread))
            return ret(False, w, ev("error", f"{where} points into freed module memory "
                                    f"({s.symbol}): use-after-free read", btf=btf, addr=ptr))
        return tail_call("btf_id_set_contains", {"set": ptr, "id": v["id"]}, w,
                         ev("read", f"{where} = {ptr} (cnt {s.cnt})", btf=btf, hook=hook,
                            type=type_, addr=ptr))


class BtfIdSetContains(KernelFunction, name="btf_id_set_contains", file="kernel/bpf/btf.c"):
    """binary search of a sorted btf_id_set"""

    listing_src = """
bool btf_id_set_contains(const struct btf_id_set *set, u32 id)
{
@entry	return bsearch(&id, set->ids, set->cnt, sizeof(u32), btf_id_cmp_func) != NULL;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        s = w.idset(f.vars["set"])
        return tail_call("bsearch", {"set": s.addr, "key": f.vars["id"], "base": 0, "num": s.cnt},
                         w)


def _set_live_flag(w: World, mod: str) -> tuple[World, Event]:
    """``btf_mod->flags |= BTF_MODULE_F_LIVE``, under ``btf_module_mutex`` or (what-if) not.

    On a weakly ordered CPU the loader's table stores may still be buffered. With the mutex, a CPU
    that reads the flag under ``btf_module_mutex`` (``btf_try_get_module`` does) takes the lock
    after this ``mutex_unlock`` (a release) and so sees every store made before it: the model
    shows that promise by putting the flag store in the same FIFO buffer, behind the table stores.
    (Real arm64/POWER store buffers need not drain in order; the release/acquire pair is what
    holds.) Without the mutex (``live_flag_unlocked``) it is a plain store that may become visible
    before the buffered ones: here at once, the worst case.
    """
    target = LiveFlag(mod)
    waiting = w.pending_table_stores()
    if not w.cfg.live_flag_locked:
        w = w.commit(Store(target, "LIVE"))
        why = (f", before {waiting} buffered table store(s): other CPUs see LIVE with a stale "
               "table" if waiting else "")
        return w, ev("state", f"WHAT-IF: {mod}: BTF_MODULE_F_LIVE set by a plain store, no "
                     f"mutex, no release{why}", btf=mod)
    if w.cfg.weak_memory and w.pending:
        w = w.store(target, "LIVE", True)
        return w, ev("state", f"{mod}: BTF_MODULE_F_LIVE set under btf_module_mutex; "
                     f"mutex_unlock() is a release: a CPU that takes the mutex and sees the flag "
                     f"also sees the {waiting} table store(s) made before it", btf=mod, buffered=True)
    return w.commit(Store(target, "LIVE")), ev("state", f"{mod}: BTF_MODULE_F_LIVE set "
                                               "(under btf_module_mutex)", btf=mod)


class BtfModuleNotify(KernelFunction, name="btf_module_notify", file="kernel/bpf/btf.c"):
    """module notifier: publish module BTF on COMING, flag LIVE, drop it on GOING"""

    listing_src = """
static int btf_module_notify(struct notifier_block *nb, unsigned long op, void *module)
{
	struct btf_module *btf_mod, *tmp;
	struct module *mod = module;
	struct btf *btf;

@entry	switch (op) {
	case MODULE_STATE_COMING:
@coming		btf = btf_parse_module(mod->name, mod->btf_data, mod->btf_data_size);
		err = btf_alloc_id(btf);	/* from here on user space can open this BTF */
@coming_list		mutex_lock(&btf_module_mutex);
		btf_mod->module = module;	/* btf_mod was kzalloc'd: flags 0, not LIVE */
		btf_mod->btf = btf;
		list_add(&btf_mod->list, &btf_modules);
		mutex_unlock(&btf_module_mutex);
		break;
	case MODULE_STATE_LIVE:			/* init returned 0: every registration is done */
@live		mutex_lock(&btf_module_mutex);
		list_for_each_entry_safe(btf_mod, tmp, &btf_modules, list) {
			if (btf_mod->module != module)
				continue;
			btf_mod->flags |= BTF_MODULE_F_LIVE;
			break;
		}
		mutex_unlock(&btf_module_mutex);	/* RELEASE: the table stores before it are
						 * seen by whoever takes the mutex next */
		break;
	case MODULE_STATE_GOING:
@going		mutex_lock(&btf_module_mutex);
		list_for_each_entry_safe(btf_mod, tmp, &btf_modules, list) {
			if (btf_mod->module != module)
				continue;
			list_del(&btf_mod->list);
			btf_put(btf_mod->btf);	/* the BTF's ID goes when its last ref does */
			kfree(btf_mod);
			break;
		}
		mutex_unlock(&btf_module_mutex);
		break;
	}
	return notifier_from_errno(err);
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        mod: str = v["mod"]
        has_btf: bool = v["has_btf"]
        match f.pc:
            case "entry":
                if not has_btf:
                    return ret(0, w, ev("note", f"{mod} carries no BTF: nothing to publish"))
                pc = {MODULE_STATE_COMING: "coming", MODULE_STATE_LIVE: "live",
                      MODULE_STATE_GOING: "going"}[v["op"]]
                return self.step(w, replace(f, pc=pc), ctx)
            case "coming":
                w = w.with_btf(Btf(mod, is_module=True, published=True, refcnt=1))
                return goto("coming_list", w, v,
                            ev("publish", f"BTF of {mod} parsed and given an ID: user space can "
                               "open it now", btf=mod))
            case "coming_list":
                w = replace(w, btf_modules=(*w.btf_modules, BtfModule(mod, mod, 0)))
                return ret(0, w, ev("lock", f"btf_modules += {{{mod}, flags 0}}", btf=mod))
            case "live":
                if not w.cfg.live_flag_exists:
                    return ret(0, w, ev("note", "v5.16: btf_module_notify has no LIVE case "
                                        "(no BTF_MODULE_F_LIVE yet)"))
                return ret(0, *_set_live_flag(w, mod))
            case "going":
                w = w.drain_all()  # mutex_unlock() is a release: earlier stores come first
                ents = tuple(e for e in w.btf_modules if e.module != mod)
                w = replace(w, btf_modules=ents)
                b = w.btf(mod)
                refcnt = b.refcnt - 1
                w = w.with_btf(replace(b, refcnt=refcnt, published=refcnt > 0 and b.published))
                gone = "; BTF freed, its ID gone" if refcnt == 0 else \
                    f"; BTF stays (refcnt {refcnt}) but its module is going"
                return ret(0, w, ev("lock", f"btf_modules -= {mod}; btf_put{gone}", btf=mod))
        raise AssertionError(f.pc)


class BtfTryGetModule(KernelFunction, name="btf_try_get_module", file="kernel/bpf/btf.c"):
    """a module reference for a module btf, only once the module is LIVE"""

    listing_src = """
struct module *btf_try_get_module(const struct btf *btf)
{
	struct module *res = NULL;
	struct btf_module *btf_mod, *tmp;

@entry	mutex_lock(&btf_module_mutex);
	list_for_each_entry_safe(btf_mod, tmp, &btf_modules, list) {
		if (btf_mod->btf != btf)
			continue;
		/* Only a LIVE module: its init (and so its registrations) has finished. Without
		 * this, a COMING module's reference outlives a failing init (use-after-free).
		 * mutex_lock() above is an ACQUIRE: LIVE seen => the table stores made before
		 * btf_module_notify(LIVE)'s mutex_unlock() are seen too. No smp_rmb() in v5.18.
		 */
		if ((btf_mod->flags & BTF_MODULE_F_LIVE) && try_module_get(btf_mod->module))
			res = btf_mod->module;
		break;
	}
	mutex_unlock(&btf_module_mutex);
	return res;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        btf = f.vars["btf"]
        e = w.btf_module_entry(btf)
        if e is None:
            return ret(None, w, ev("ref", f"{btf}: no btf_modules entry: NULL"))
        live = bool(e.flags & BTF_MODULE_F_LIVE)
        how = "" if w.cfg.live_flag_locked else " (WHAT-IF: read without btf_module_mutex)"
        if w.cfg.live_check and not live:
            return ret(None, w, ev("ref", f"{e.module}: BTF_MODULE_F_LIVE not set{how}: NULL",
                                   module=e.module))
        m = w.module(e.module)
        if m.state == MODULE_STATE_GOING or m.freed:  # try_module_get fails once GOING
            return ret(None, w, ev("ref", f"try_module_get({e.module}) failed: module going"))
        w = w.with_module(replace(m, refcnt=m.refcnt + 1))
        why = how
        if not w.cfg.live_flag_exists:
            why = f" (v5.16: no BTF_MODULE_F_LIVE to check; the module is {m.state})"
        elif not live:
            state = ("module still COMING" if m.state == MODULE_STATE_COMING
                     else f"{m.state}, flag not yet set")
            why = f" ({state}: no LIVE check in this what-if)"
        return ret(e.module, w, ev("ref", f"try_module_get({e.module}) ok{why}",
                                   module=e.module, live=live))
