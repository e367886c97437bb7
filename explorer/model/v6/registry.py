"""kernel/bpf/btf.c of v6.17: one ``btf_id_set8`` per hook, per-ID flags, the COMMON hook, filters.

Modelled functions (kernel names; registry keys end in ``@6.17`` so that the v5.18 model keeps
its own): ``register_btf_kfunc_id_set``, ``__register_btf_kfunc_id_set``,
``btf_populate_kfunc_set``, ``btf_free_kfunc_set_tab``, ``btf_kfunc_id_set_contains``,
``__btf_kfunc_id_set_contains`` (all kernel/bpf/btf.c, read from the tree
``nhatz11/linux-6.17`` commit 640605ad), ``btf_id_set8_contains`` (include/linux/btf.h), and, to
drive them, ``do_initcalls``, a module's init and the verifier's ``fetch_kfunc_meta``
(kernel/bpf/verifier.c: ``kfunc_flags = btf_kfunc_id_set_contains(desc_btf, func_id, env->prog);
if (!kfunc_flags) return -EACCES;``, as the 6.x patches around it quote it). The listings are our
own annotated pseudo-C.

What changed since v5.18, in one breath: the four per-type sets became one sorted array of
``{id, flags}`` pairs per hook (``struct btf_id_set8``), so the table lost its type dimension; the
flags say what v5.18's acquire/release/ret_null sets said, and more; module sets are copied too
(their IDs may need relocating); a hook may carry filters that veto a lookup per program; a set must
be marked BTF_SET8_KFUNCS (BTF_KFUNCS_START) or registration fails; the limit is 256 pairs; and
every lookup tries the COMMON hook before the program's own.

A kset value is ``(name, owner, set_addr, filter)``: ``struct btf_kfunc_id_set {owner, set,
filter}``; ``filter`` is None or a :data:`Filter` tuple.
"""

from __future__ import annotations

from dataclasses import replace

from explorer.model import populate
from explorer.model.btf_kfunc import BtfFreeKfuncSetTab, RegisterBtfKfuncIdSet
from explorer.model.constants import (
    E2BIG,
    EACCES,
    EINVAL,
    ENXIO,
)
from explorer.model.libsort import SORT_OF_KERNEL
from explorer.model.machine import (
    Ctx,
    Effect,
    Frame,
    KernelFunction,
    Value,
    call,
    ev,
    goto,
    ret,
    tail_call,
)
from explorer.model.module import AfterBoot, DoInitcalls
from explorer.model.records import dataclass
from explorer.model.state import (
    BTF_MODULE_F_LIVE,
    MODULE_STATE_GOING,
    MODULE_STATE_LIVE,
    IdSet,
    World,
)
from explorer.model.v6.constants import (
    BTF_KFUNC_FILTER_MAX_CNT,
    BTF_KFUNC_SET_MAX_CNT,
    BTF_SET8_KFUNCS,
    HOOKS,
    KERNEL,
    Hook,
    ProgType,
    bpf_prog_type_to_kfunc_hook,
    flag_names,
)
from explorer.model.values import Vars

V = f"@{KERNEL}"
"""Registry-key suffix of this snapshot's functions."""

Filter = tuple[str, str, str]
"""``(name, guarded set address, attach type the program must have)``: a kset's ``filter``.

The one filter family in 6.x, e.g. ``tracing_iter_filter`` of net/core/filter.c (set
``bpf_sk_iter_kfunc_ids``, kfunc ``bpf_sock_destroy``): reject (non-zero) when the kfunc is in the
guarded set and ``prog->expected_attach_type != BPF_TRACE_ITER``. Two filters are the same filter
only if they are the same function: the name includes its file.
"""

Kset8 = tuple[str, str | None, str, Filter | None]
Prog = tuple[int, str]
"""What a filter may look at: ``(prog_type, expected_attach_type)``."""


@dataclass(frozen=True, slots=True)
class IdSet8(IdSet):
    """``struct btf_id_set8 { u32 cnt; u32 flags; struct { u32 id; u32 flags; } pairs[]; }``.

    ``ids`` are the pairs' IDs (what sort() moves and bsearch() probes, exactly as the kernel's
    ``btf_id_cmp_func`` compares only the first u32 of a pair); ``flagmap`` gives each ID's flags
    word, which travels with its ID (IDs in one set are distinct). ``set_flags`` is the set's own
    ``flags`` (BTF_SET8_KFUNCS).
    """

    flagmap: tuple[tuple[int, int], ...] = ()
    set_flags: int = 0

    def flags_of(self, btf_id: int) -> int:
        for i, fl in self.flagmap:
            if i == btf_id:
                return fl
        return 0


@dataclass(frozen=True, slots=True)
class KfuncSetTab8:
    """``struct btf_kfunc_set_tab`` of 6.17: ``sets[HOOK_MAX]`` and ``hook_filters[HOOK_MAX]``.

    ``sets`` is kept as rows of one cell so that the world's store helpers (``TabCell(tab, hook, 0)``)
    work unchanged.
    """

    addr: str
    sets: tuple[tuple[str | None], ...]
    filters: tuple[tuple[Filter, ...], ...]

    @staticmethod
    def zeroed(addr: str) -> KfuncSetTab8:
        return KfuncSetTab8(addr, tuple((None,) for _ in HOOKS), tuple(() for _ in HOOKS))

    def cell(self, hook: int, type_: int = 0) -> str | None:
        return self.sets[hook][0]

    def with_cell(self, hook: int, type_: int, ptr: str | None) -> KfuncSetTab8:
        rows = list(self.sets)
        rows[hook] = (ptr,)
        return replace(self, sets=tuple(rows))

    def with_filter(self, hook: int, flt: Filter) -> KfuncSetTab8:
        rows = list(self.filters)
        rows[hook] = (*rows[hook], flt)
        return replace(self, filters=tuple(rows))


def is_v6_tab(tab: object) -> bool:
    return isinstance(tab, KfuncSetTab8)


def tab8(w: World, addr: str) -> KfuncSetTab8:
    """The 6.17 table at ``addr``."""
    t: object = w.tabs[addr]
    assert isinstance(t, KfuncSetTab8)
    return t


def with_tab8(w: World, t: KfuncSetTab8) -> World:
    return replace(w, tabs=w.tabs.set(t.addr, t))


def hook_name(h: int) -> str:
    return Hook(h).short if 0 <= h <= Hook.BTF_KFUNC_HOOK_MAX else str(h)


def filter_rejects(w: World, flt: Filter, prog: Prog, kfunc_id: int) -> bool:
    """Run a filter: non-zero (reject) when the kfunc is in its set and the attach type differs."""
    _name, guarded, attach = flt
    s = w.find_idset(guarded)
    return s is not None and kfunc_id in s.valid and prog[1] != attach


# -- registration ---------------------------------------------------------------------------------


class RegisterBtfKfuncIdSet617(KernelFunction, name="register_btf_kfunc_id_set", file="kernel/bpf/btf.c (v6.17)", version=KERNEL):
    """6.17: the set must be a BTF_KFUNCS set; map the program type to a hook"""

    listing_src = """
/* This function must be invoked only from initcalls/module init functions */
int register_btf_kfunc_id_set(enum bpf_prog_type prog_type, const struct btf_kfunc_id_set *kset)
{
	enum btf_kfunc_hook hook;

@entry	/* every kfunc must be tagged in BTF: the set must come from BTF_KFUNCS_START */
	if (!(kset->set->flags & BTF_SET8_KFUNCS)) {
		WARN_ON(!kset->owner);		/* built-in callers often ignore errors */
		return -EINVAL;
	}
@hook	hook = bpf_prog_type_to_kfunc_hook(prog_type);	/* UNSPEC → COMMON; 14 hooks */
	return __register_btf_kfunc_id_set(hook, kset);
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        kset: Kset8 = v["kset"]
        s = w.idset(kset[2])
        if f.pc == "entry":
            if not (getattr(s, "set_flags", 0) & BTF_SET8_KFUNCS):
                warn = " WARN_ON(!owner)" if kset[1] is None else ""
                return ret(-EINVAL, w, ev("error", f"{s.symbol} lacks BTF_SET8_KFUNCS (not a "
                                          f"BTF_KFUNCS_START set):{warn} -EINVAL"))
            return goto("hook", w, v)
        hook = int(bpf_prog_type_to_kfunc_hook(v["prog_type"]))
        pt = ProgType(v["prog_type"]).short if v["prog_type"] in list(ProgType) else v["prog_type"]
        return tail_call("__register_btf_kfunc_id_set" + V, {"hook": hook, "kset": kset}, w,
                         ev("note", f"bpf_prog_type_to_kfunc_hook({pt}) = {hook_name(hook)}"))


class RegisterInner617(RegisterBtfKfuncIdSet, name="__register_btf_kfunc_id_set", file="kernel/bpf/btf.c (v6.17)", version=KERNEL):
    """6.17: find the BTF, check each kfunc's prototype, populate, drop the reference

    v5.18's ``register_btf_kfunc_id_set`` body and its model's steps; what changed is in the
    attributes below, the ``protos`` step and the hook, which the caller has mapped already.
    """

    vmlinux_ref = True
    module_btf_fails = False
    after_get = "protos"

    listing_src = """
static int __register_btf_kfunc_id_set(enum btf_kfunc_hook hook,
				       const struct btf_kfunc_id_set *kset)
{
	struct btf *btf;
	int ret, i;

@entry	btf = btf_get_module_btf(kset->owner);
	if (!btf)
		return check_btf_kconfigs(kset->owner, "kfunc");	/* -ENOENT when BTF is configured */
	if (IS_ERR(btf))
		return PTR_ERR(btf);
@protos	for (i = 0; i < kset->set->cnt; i++) {	/* each ID must be a FUNC → FUNC_PROTO */
		ret = btf_check_kfunc_protos(btf, btf_relocate_id(btf, kset->set->pairs[i].id),
					     kset->set->pairs[i].flags);
		if (ret)
			goto err_out;
	}
@populate	ret = btf_populate_kfunc_set(btf, hook, kset);
err_out:
@put	btf_put(btf);				/* vmlinux or module: the reference is dropped */
	return ret;
}
"""

    def populate(self, w: World, v: Vars) -> Effect:
        """``ret = btf_populate_kfunc_set(btf, hook, kset)``: the hook is an argument now."""
        return call("btf_populate_kfunc_set" + V, {"btf": v["btf"], "hook": v["hook"],
                    "kset": v["kset"]}, "put", "ret", w, v)

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        if f.pc != "protos":
            return super().step(w, f, ctx)
        s = w.idset(f.vars["kset"][2])
        return goto("populate", w, f.vars, ev("note", f"btf_check_kfunc_protos: {s.cnt} IDs of "
                                              f"{s.symbol} are FUNCs with prototypes"))


class BtfPopulateKfuncSet617(KernelFunction, name="btf_populate_kfunc_set", file="kernel/bpf/btf.c (v6.17)", version=KERNEL):
    """6.17: grow the hook's set8 (vmlinux and module alike), sort it, remember the filter

    v5.18's ``__btf_populate_kfunc_set`` under the wrapper's name. CHANGED since v5.18: one
    ``btf_id_set8`` of {id, flags} pairs per hook (no type dimension), the hook's filters, module
    sets copied (their IDs relocated) rather than pointed at, and 256 pairs rather than 32 IDs.
    The lines that did not change step through :mod:`explorer.model.populate`, as v5.18's do.
    """

    listing_src = """
static int btf_populate_kfunc_set(struct btf *btf, enum btf_kfunc_hook hook,
				  const struct btf_kfunc_id_set *kset)
{
	struct btf_id_set8 *add_set = kset->set, *set;
	bool vmlinux_set = !btf_is_module(btf);
	bool add_filter = !!kset->filter;
	struct btf_kfunc_set_tab *tab;
	u32 set_cnt, i;
	int ret;

@entry	if (hook >= BTF_KFUNC_HOOK_MAX) {
		ret = -EINVAL;
		goto end;
	}
	if (!add_set->cnt)
		return 0;
@filter	tab = btf->kfunc_set_tab;
	if (tab && add_filter) {		/* the same filter function is kept once */
		for (i = 0; i < tab->hook_filters[hook].nr_filters; i++)
			if (tab->hook_filters[hook].filters[i] == kset->filter)
				add_filter = false;
		if (add_filter && tab->hook_filters[hook].nr_filters == BTF_KFUNC_FILTER_MAX_CNT) {
			ret = -E2BIG;			/* at most 16 filters a hook */
			goto end;
		}
	}
@tab	if (!tab) {
		tab = kzalloc(sizeof(*tab), GFP_KERNEL | __GFP_NOWARN);
		if (!tab)
			return -ENOMEM;
@settab		btf->kfunc_set_tab = tab;
	}
@cell	set = tab->sets[hook];			/* one set8 per hook: no type dimension */
	if (WARN_ON_ONCE(set && !vmlinux_set)) {	/* a module: once per hook */
		ret = -EINVAL;
		goto end;
	}
	/* vmlinux AND module sets are copied now: module IDs may need relocating */
@count	set_cnt = set ? set->cnt : 0;
	if (set_cnt > U32_MAX - add_set->cnt) {
		ret = -EOVERFLOW;
		goto end;
	}
	if (set_cnt + add_set->cnt > BTF_KFUNC_SET_MAX_CNT) {	/* 256 pairs (v5.18: 32 IDs) */
		ret = -E2BIG;
		goto end;
	}
@realloc	set = krealloc(tab->sets[hook], struct_size(set, pairs, set_cnt + add_set->cnt),
		       GFP_KERNEL | __GFP_NOWARN);
	if (!set) {
		ret = -ENOMEM;
		goto end;
	}
	if (!tab->sets[hook])
		set->cnt = 0;
@store	tab->sets[hook] = set;
@copy	memcpy(set->pairs + set->cnt, add_set->pairs, add_set->cnt * sizeof(set->pairs[0]));
	for (i = set->cnt; i < set->cnt + add_set->cnt; i++)	/* {id, flags}: flags travel along */
		set->pairs[i].id = btf_relocate_id(btf, set->pairs[i].id);
@cnt	set->cnt += add_set->cnt;
@sort	sort(set->pairs, set->cnt, sizeof(set->pairs[0]), btf_id_cmp_func, NULL);
@addfilter	if (add_filter)
		tab->hook_filters[hook].filters[tab->hook_filters[hook].nr_filters++] = kset->filter;
@done	return 0;
end:
@end	btf_free_kfunc_set_tab(btf);		/* still drops EVERY earlier registration */
@endret	return ret;
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        btf: str = v["btf"]
        hook: int = v["hook"]
        kset: Kset8 = v["kset"]
        where = f"{btf} [{hook_name(hook)}]"
        vmlinux_set = not w.btf(btf).is_module
        match f.pc:
            case "entry":
                if hook >= Hook.BTF_KFUNC_HOOK_MAX:
                    return goto("end", w, v.set(ret=-EINVAL),
                                ev("error", f"hook {hook_name(hook)} out of range: -EINVAL"))
                add = w.idset(kset[2])
                if add.cnt == 0:
                    return ret(0, w, ev("note", f"{add.symbol}: empty set, nothing to do"))
                return goto("filter", w, v.set(add_filter=kset[3] is not None))
            case "filter":
                tab = w.read_tab_ptr(btf, True)
                add_filter = v["add_filter"]
                if tab is not None and add_filter:
                    have = tab8(w, tab).filters[hook]
                    assert kset[3] is not None
                    if any(f[0] == kset[3][0] for f in have):  # the same function pointer
                        return goto("tab", w, v.set(add_filter=False),
                                    ev("note", f"filter {kset[3][0]} already on {where}: kept once"))
                    if len(have) == BTF_KFUNC_FILTER_MAX_CNT:
                        return goto("end", w, v.set(ret=-E2BIG),
                                    ev("error", f"{where}: {len(have)} filters = "
                                       f"BTF_KFUNC_FILTER_MAX_CNT: -E2BIG"))
                return goto("tab", w, v)
            case "tab":
                return populate.tab_step(w, v, btf,
                                         lambda w, addr: with_tab8(w, KfuncSetTab8.zeroed(addr)),
                                         f" ({len(HOOKS)} hooks, all NULL)")
            case "settab":
                return populate.settab_step(w, v, btf, False)
            case "cell":  # one set8 per hook; module sets are copied too: both go on to count
                return populate.cell_step(w, v, where, btf, hook, 0, vmlinux_set, "count")
            case "count":
                return populate.room_step(w, v, where, btf, hook, 0, w.idset(kset[2]).cnt,
                                          BTF_KFUNC_SET_MAX_CNT)
            case "realloc":
                w, failed = populate.krealloc_failed(w, v, btf)
                if failed is not None:
                    return failed
                cur = v["set"]
                add = w.idset(kset[2])
                size = v["set_cnt"] + add.cnt
                old = w.idset(cur) if cur is not None else None
                w, addr = w.alloc_addr()
                kept = old.ids[: old.cnt] if old else ()
                new = IdSet8(addr, old.cnt if old else 0, kept + (0,) * (size - len(kept)),
                             "kmalloc", None, f"{btf} set8 [{hook_name(hook)}]",
                             flagmap=old.flagmap if isinstance(old, IdSet8) else (),
                             set_flags=0)
                w = w.with_idset(new)
                if old is not None:
                    w = replace(w, mem=w.mem.remove(old.addr))
                return goto("store", w, v.set(set=addr),
                            ev("alloc", f"krealloc({cur or 'NULL'}, {size} pairs) = {addr}",
                               btf=btf, addr=addr, old=cur, size=size))
            case "store":
                return populate.store_step(w, v, where, btf, hook, 0)
            case "copy":
                s = w.idset(v["set"])
                add = w.idset(kset[2])
                assert isinstance(s, IdSet8) and isinstance(add, IdSet8)
                ids = s.ids[: s.cnt] + add.valid + s.ids[s.cnt + add.cnt:]
                fm = s.flagmap + tuple((i, add.flags_of(i)) for i in add.valid)
                w = w.with_idset(replace(s, ids=ids, flagmap=fm))
                pairs = ", ".join(f"{i}:{'|'.join(flag_names(add.flags_of(i))) or '0'}"
                                  for i in add.valid[:6]) + (" …" if add.cnt > 6 else "")
                return goto("cnt", w, v, ev("write", f"append {add.cnt} pairs from {add.symbol} "
                                            f"({pairs})", btf=btf, addr=s.addr, hook=hook, type=0))
            case "cnt":
                return populate.cnt_step(w, v, btf, hook, 0, w.idset(kset[2]).cnt)
            case "sort":
                return populate.sort_step(w, v, "addfilter", f"pairs of {where} by id",
                                         SORT_OF_KERNEL[KERNEL])
            case "addfilter":
                if not v["add_filter"]:
                    return goto("done", w, v)
                assert kset[3] is not None
                t8 = tab8(w, v["tab"]).with_filter(hook, kset[3])
                return goto("done", with_tab8(w, t8), v,
                            ev("write", f"{where}: hook_filters += {kset[3][0]} "
                               f"(nr_filters {len(t8.filters[hook])})", btf=btf, hook=hook,
                               type=0))
            case "done":
                return ret(0, w)
            case "end":
                return populate.end_step(v, w, "btf_free_kfunc_set_tab" + V)
            case "endret":
                return ret(v["ret"], w)
        raise AssertionError(f.pc)


class BtfFreeKfuncSetTab617(BtfFreeKfuncSetTab, name="btf_free_kfunc_set_tab", file="kernel/bpf/btf.c (v6.17)", version=KERNEL):
    """6.17: every hook's set is the table's own copy now, module or not: free them all

    The v5.18 model's steps; what changed is its two class attributes: one set8 per hook (the
    loop lost its type dimension) and no module special case (module sets are copied now).
    """

    module_sets_are_copies = True
    unit = "pairs"

    listing_src = """
static void btf_free_kfunc_set_tab(struct btf *btf)
{
	struct btf_kfunc_set_tab *tab = btf->kfunc_set_tab;
	int hook;

@entry	if (!tab)
		return;
@cells	for (hook = 0; hook < ARRAY_SIZE(tab->sets); hook++)
		kfree(tab->sets[hook]);		/* no module special case any more */
@free_tab	kfree(tab);				/* the hook filters go with it */
	btf->kfunc_set_tab = NULL;
}
"""


# -- lookup ---------------------------------------------------------------------------------------


class BtfKfuncIdSetContains617(KernelFunction, name="btf_kfunc_id_set_contains", file="kernel/bpf/btf.c (v6.17)", version=KERNEL):
    """6.17: the kfunc's flags, or NULL; the COMMON hook first, then the program's hook"""

    listing_src = """
/* Caller holds a reference on the module of a module btf (btf_try_get_module). */
u32 *btf_kfunc_id_set_contains(const struct btf *btf, u32 kfunc_btf_id,
			       const struct bpf_prog *prog)
{
	enum bpf_prog_type prog_type = resolve_prog_type(prog);
	enum btf_kfunc_hook hook;
	u32 *kfunc_flags;

@entry	kfunc_flags = __btf_kfunc_id_set_contains(btf, BTF_KFUNC_HOOK_COMMON, kfunc_btf_id, prog);
@common	if (kfunc_flags)
		return kfunc_flags;		/* callable from every program type */
	hook = bpf_prog_type_to_kfunc_hook(prog_type);
	return __btf_kfunc_id_set_contains(btf, hook, kfunc_btf_id, prog);
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        args = {"btf": v["btf"], "id": v["id"], "prog": v["prog"]}
        if f.pc == "entry":
            return call("__btf_kfunc_id_set_contains" + V,
                        {**args, "hook": int(Hook.BTF_KFUNC_HOOK_COMMON)}, "common", "flags", w, v)
        if v["flags"] is not None:
            return ret(v["flags"], w, ev("read", "found in the COMMON hook"))
        hook = int(bpf_prog_type_to_kfunc_hook(v["prog"][0]))
        return tail_call("__btf_kfunc_id_set_contains" + V, {**args, "hook": hook}, w,
                         ev("note", f"not in COMMON; the program's hook is {hook_name(hook)}"))


class BtfKfuncIdSetContainsInner617(KernelFunction, name="__btf_kfunc_id_set_contains", file="kernel/bpf/btf.c (v6.17)", version=KERNEL):
    """6.17: range, table, the hook's filters, then a bsearch of its set8"""

    listing_src = """
static u32 *__btf_kfunc_id_set_contains(const struct btf *btf, enum btf_kfunc_hook hook,
					u32 kfunc_btf_id, const struct bpf_prog *prog)
{
	struct btf_kfunc_hook_filter *hook_filter;
	struct btf_id_set8 *set;
	u32 *id, i;

@entry	if (hook >= BTF_KFUNC_HOOK_MAX)
		return NULL;
	if (!btf->kfunc_set_tab)
		return NULL;
@filters	hook_filter = &btf->kfunc_set_tab->hook_filters[hook];
	for (i = 0; i < hook_filter->nr_filters; i++)
		if (hook_filter->filters[i](prog, kfunc_btf_id))
			return NULL;			/* a filter vetoes this program */
@set	set = btf->kfunc_set_tab->sets[hook];
	if (!set)
		return NULL;
	id = btf_id_set8_contains(set, kfunc_btf_id);	/* bsearch over the pairs */
@found	if (!id)
		return NULL;
	return id + 1;				/* the flags sit right after the ID */
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        btf, hook, kid = v["btf"], v["hook"], v["id"]
        where = f"{btf} [{hook_name(hook)}]"
        match f.pc:
            case "entry":
                if hook >= Hook.BTF_KFUNC_HOOK_MAX:
                    return ret(None, w, ev("read", f"hook {hook_name(hook)}: no such hook: NULL"))
                if w.read_tab_ptr(btf, False) is None:
                    return ret(None, w, ev("read", f"{btf}->kfunc_set_tab is NULL: NULL", btf=btf))
                return goto("filters", w, v)
            case "filters":
                tab = tab8(w, w.btf(btf).kfunc_set_tab or "")
                for flt in tab.filters[hook]:
                    if filter_rejects(w, flt, v["prog"], kid):
                        return ret(None, w, ev("read", f"{where}: filter {flt[0]} rejects this "
                                               f"program (expected_attach_type "
                                               f"{v['prog'][1] or 'none'}, not {flt[2]}): NULL",
                                               btf=btf, hook=hook, type=0))
                n = len(tab.filters[hook])
                return goto("set", w, v, *([ev("note", f"{where}: {n} filter(s) allow it")]
                                           if n else []))
            case "set":
                ptr = tab8(w, w.btf(btf).kfunc_set_tab or "").cell(hook)
                if ptr is None:
                    return ret(None, w, ev("read", f"{where} is NULL: NULL", btf=btf, hook=hook,
                                           type=0))
                s = w.idset(ptr)
                return call("btf_id_set8_contains" + V, {"set": ptr, "id": kid}, "found", "hit",
                            w, v.set(set=ptr),
                            ev("read", f"{where} = {ptr} (cnt {s.cnt})", btf=btf, hook=hook,
                               type=0, addr=ptr))
            case "found":
                if not v["hit"]:
                    return ret(None, w, ev("read", f"{kid} not in {where}: NULL"))
                s = w.idset(v["set"])
                fl = s.flags_of(kid) if isinstance(s, IdSet8) else 0
                names = "|".join(flag_names(fl)) or "0"
                return ret(fl, w, ev("read", f"{kid} in {where}: flags {names}", btf=btf,
                                     hook=hook, type=0, flags=fl))
        raise AssertionError(f.pc)


class BtfIdSet8Contains(KernelFunction, name="btf_id_set8_contains", file="include/linux/btf.h", version=KERNEL):
    """bsearch over {id, flags} pairs, comparing the id only"""

    listing_src = """
static inline void *btf_id_set8_contains(const struct btf_id_set8 *set, u32 id)
{
@entry	return bsearch(&id, set->pairs, set->cnt, sizeof(set->pairs[0]), btf_id_cmp_func);
}
"""

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        s = w.idset(f.vars["set"])
        return tail_call("bsearch", {"set": s.addr, "key": f.vars["id"], "base": 0,
                                     "num": s.cnt}, w)


# -- the activities that drive them ---------------------------------------------------------


class DoInitcalls617(DoInitcalls, name="do_initcalls", file="init/main.c", version=KERNEL):
    """boot: built-in initcalls register their BTF_KFUNCS sets (6.17 API)

    The v5.18 model's ``do_initcalls`` (the loop is the same in both kernels); only the
    ``register_btf_kfunc_id_set`` it leads to is 6.17's.
    """

    register = "register_btf_kfunc_id_set" + V


class ModuleInit617(KernelFunction, name="module_init", file="(a module's init function)", version=KERNEL):
    """a module's init: one register_btf_kfunc_id_set per program type"""

    listing_src = """
static int __init mod_init(void)	/* module COMING, its BTF published */
{
	int ret;

@entry	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		ret = register_btf_kfunc_id_set(sets[i].prog_type, &sets[i].kset);
@after		if (ret)
			return ret;
	}
@done	return 0;	/* do_init_module: 0 → LIVE (BTF_MODULE_F_LIVE); error → GOING */
}
"""

    @staticmethod
    def _finish(w: World, mod: str, err: int) -> Effect:
        """What do_init_module does next (unchanged since v5.18): LIVE, or GOING on error."""
        m = w.module(mod)
        if err:
            w = w.with_module(replace(m, state=MODULE_STATE_GOING))
            return ret(err, w, ev("state", f"{mod}: init failed: MODULE_STATE_GOING", module=mod))
        w = w.with_module(replace(m, state=MODULE_STATE_LIVE))
        ents = tuple(replace(e, flags=e.flags | BTF_MODULE_F_LIVE) if e.module == mod else e
                     for e in w.btf_modules)
        return ret(0, replace(w, btf_modules=ents),
                   ev("state", f"{mod}: MODULE_STATE_LIVE, BTF_MODULE_F_LIVE set", module=mod))

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        regs = v["regs"]
        i = v.get("i", 0)
        if f.pc == "after":
            if v["ret"]:
                return self._finish(w, v["mod"], v["ret"])
            i += 1
        if f.pc == "done" or i >= len(regs):
            return self._finish(w, v["mod"], 0)
        _label, prog_type, kset = regs[i]
        return call("register_btf_kfunc_id_set" + V, {"prog_type": prog_type, "kset": kset},
                    "after", "ret", w, v.set(i=i))


class FetchKfuncMeta617(AfterBoot, name="fetch_kfunc_meta", file="kernel/bpf/verifier.c (6.x)", version=KERNEL):
    """the verifier asks for the kfunc's flags; NULL means not allowed"""

    listing_src = """
static int fetch_kfunc_meta(struct bpf_verifier_env *env, struct bpf_insn *insn,
			    struct bpf_kfunc_call_arg_meta *meta, const char **kfunc_name)
{
	/* desc_btf, func_id, func_name from the call instruction */
@entry	kfunc_flags = btf_kfunc_id_set_contains(desc_btf, func_id, env->prog);
@check	if (!kfunc_flags)
		return -EACCES;		/* check_kfunc_call: "calling kernel function %s is not allowed" */
	meta->kfunc_flags = *kfunc_flags;	/* KF_ACQUIRE, KF_RET_NULL, … drive the checks */
	return 0;
}
"""

    def ready(self, w: World, f: Frame) -> bool:
        """A module kfunc: the verifier gets past btf_try_get_module only once init is over (the
        LIVE check, unchanged since v5.18 and not re-stepped here): it waits until then."""
        btf = f.vars["btf"]
        if btf == "vmlinux" or btf not in w.modules:
            return True
        return w.module(btf).state in (MODULE_STATE_LIVE, MODULE_STATE_GOING)

    def not_ready(self, w: World, f: Frame) -> str:
        return f"{f.vars['btf']} to be LIVE (btf_try_get_module)"

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        v = f.vars
        btf = v["btf"]
        if f.pc == "entry" and btf != "vmlinux" and btf in w.modules and \
                w.module(btf).state == MODULE_STATE_GOING:
            return ret(-ENXIO, w, ev("ref", f"btf_try_get_module({btf}) = NULL: module going: "
                                     "-ENXIO", module=btf))
        if f.pc == "entry":
            return call("btf_kfunc_id_set_contains" + V,
                        {"btf": v["btf"], "id": v["kfunc_id"], "prog": v["prog"]}, "check",
                        "flags", w, v)
        fl: Value = v["flags"]
        if fl is None:
            return ret(-EACCES, w, ev("error", f"calling kernel function {v['kfunc_name']} is not "
                                      "allowed: -EACCES"))
        names = "|".join(flag_names(int(fl))) or "no flags"
        return ret(0, w, ev("note", f"{v['kfunc_name']} allowed; meta->kfunc_flags = {names}"))
