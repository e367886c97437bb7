"""The world: every piece of kernel memory the registry touches, as one immutable value.

Kernel counterparts: ``struct btf`` (its ``kfunc_set_tab`` pointer), ``struct btf_kfunc_set_tab``,
``struct btf_id_set`` (in kmalloc'd memory for vmlinux cells, in module memory for module cells),
``struct module`` (state, refcount), ``struct btf_module`` on the ``btf_modules`` list, and the old
API's ``struct kfunc_btf_id_list``. Pointers are symbolic addresses (``kmalloc#3``,
``bpf_testmod:bpf_testmod_check_kfunc_ids``) so a front can draw the pointer graph.
"""

from __future__ import annotations

from dataclasses import field

from explorer.model.constants import HOOKS, TYPES
from explorer.model.records import dataclass
from explorer.model.values import FMap, cached_hash, evolve

MODULE_STATE_LIVE = "MODULE_STATE_LIVE"
MODULE_STATE_COMING = "MODULE_STATE_COMING"
MODULE_STATE_GOING = "MODULE_STATE_GOING"
MODULE_STATE_UNFORMED = "MODULE_STATE_UNFORMED"
MODULE_FREED = "freed"

BTF_MODULE_F_LIVE = 1 << 0
EMPTY = FMap()


@dataclass(frozen=True, slots=True)
class IdSet:
    """``struct btf_id_set { u32 cnt; u32 ids[]; }`` somewhere in memory.

    ``ids`` is the storage (its length is the allocation's capacity); ``ids[:cnt]`` are valid.
    """

    addr: str
    cnt: int
    ids: tuple[int, ...]
    region: str
    """``kmalloc`` (a vmlinux cell, owned by the table) or ``module`` (the module's own data)."""
    owner: str | None = None
    symbol: str = ""
    freed: bool = False

    @property
    def valid(self) -> tuple[int, ...]:
        return self.ids[: self.cnt]


@dataclass(frozen=True, slots=True)
class KfuncSetTab:
    """``struct btf_kfunc_set_tab { struct btf_id_set *sets[HOOK_MAX][TYPE_MAX]; }``."""

    addr: str
    sets: tuple[tuple[str | None, ...], ...]

    @staticmethod
    def zeroed(addr: str) -> KfuncSetTab:
        return KfuncSetTab(addr, tuple(tuple(None for _ in TYPES) for _ in HOOKS))

    def cell(self, hook: int, type_: int) -> str | None:
        return self.sets[hook][type_]

    def with_cell(self, hook: int, type_: int, ptr: str | None) -> KfuncSetTab:
        row = list(self.sets[hook])
        row[type_] = ptr
        rows = list(self.sets)
        rows[hook] = tuple(row)
        return evolve(self, sets=tuple(rows))


@dataclass(frozen=True, slots=True)
class Btf:
    """``struct btf``: the parts this subject needs."""

    name: str
    is_module: bool
    kfunc_set_tab: str | None = None
    published: bool = False
    """Has an ID (``btf_alloc_id``): user space can open it (BPF_BTF_GET_FD_BY_ID, sysfs)."""
    refcnt: int = 1


@dataclass(frozen=True, slots=True)
class Module:
    """``struct module``: its state and reference count."""

    name: str
    state: str = MODULE_STATE_UNFORMED
    refcnt: int = 0
    freed: bool = False


@dataclass(frozen=True, slots=True)
class BtfModule:
    """``struct btf_module``: an entry of the ``btf_modules`` list."""

    module: str
    btf: str
    flags: int = 0


@dataclass(frozen=True, slots=True)
class TabPtr:
    """Store target ``btf->kfunc_set_tab`` of the BTF named ``btf``."""

    btf: str

    def __str__(self) -> str:
        return f"{self.btf}->kfunc_set_tab"


@dataclass(frozen=True, slots=True)
class TabCell:
    """Store target ``tab->sets[hook][type]``: one cell of the table at address ``tab``."""

    tab: str
    hook: int
    type: int

    def __str__(self) -> str:
        return f"{self.tab}->sets[{self.hook}][{self.type}]"


@dataclass(frozen=True, slots=True)
class LiveFlag:
    """Store target ``btf_mod->flags |= BTF_MODULE_F_LIVE`` of module ``module``."""

    module: str

    def __str__(self) -> str:
        return f"{self.module} btf_mod->flags |= BTF_MODULE_F_LIVE"


StoreTarget = TabPtr | TabCell | LiveFlag


@dataclass(frozen=True, slots=True)
class Store:
    """A store still in the loader CPU's store buffer (a weakly ordered CPU only)."""

    target: StoreTarget
    """``btf->kfunc_set_tab``, a cell, or (on a weakly ordered CPU, behind the table stores)
    the module's BTF_MODULE_F_LIVE flag."""
    value: str | None


@cached_hash
@dataclass(frozen=True, slots=True)
class Config:
    """Kernel behaviour switches. The defaults are the kernel; anything else is a what-if."""

    live_check: bool = True
    """``btf_try_get_module`` requires BTF_MODULE_F_LIVE (added by the patch before the seed)."""
    live_flag_exists: bool = True
    """False for v5.16, before the fix that added BTF_MODULE_F_LIVE (no flag, no check)."""
    live_flag_locked: bool = True
    """``btf_module_notify(LIVE)`` sets BTF_MODULE_F_LIVE and ``btf_try_get_module`` reads it under
    ``btf_module_mutex``: unlock is a release, lock an acquire (kernel/bpf/btf.c, v5.18). False is
    the ``live_flag_unlocked`` what-if: plain stores and loads, no ordering at all."""
    weak_memory: bool = False
    """The loader runs on a weakly ordered CPU (arm64, POWER): its stores to a module BTF's table
    (and, with the mutex, the LIVE flag behind them) wait in a store buffer that drains one store a
    step (thread M). Not a what-if: the kernel must be correct on such CPUs."""
    debug_info_btf: bool = True
    """CONFIG_DEBUG_INFO_BTF: vmlinux has BTF. Without it ``register_btf_kfunc_id_set`` for
    built-in code returns 0 and registers nothing (v5.18)."""
    debug_info_btf_modules: bool = True
    """CONFIG_DEBUG_INFO_BTF_MODULES: a module without BTF makes ``register_btf_kfunc_id_set``
    fail with -ENOENT (and a pr_err); without the option it returns 0 (v5.18)."""
    sort_after_concat: bool = True
    """``__btf_populate_kfunc_set`` sorts a vmlinux cell after concatenating."""
    fail_kzalloc_nth: int = 0
    """Fault injection: the n-th ``kzalloc`` (1-based) returns NULL; 0: never."""
    fail_krealloc_nth: int = 0
    """Fault injection: the n-th ``krealloc`` (1-based) returns NULL; 0: never."""
    _hash: int = field(default=0, init=False, repr=False, compare=False)


@cached_hash
@dataclass(frozen=True, slots=True)
class World:
    """Everything shared between activities, as one hashable value."""

    btfs: FMap
    """name → :class:`Btf` (``vmlinux`` and each module's)."""
    tabs: FMap
    """address → :class:`KfuncSetTab` (kzalloc'd tables)."""
    mem: FMap
    """address → :class:`IdSet` (kmalloc'd vmlinux cells and module data)."""
    modules: FMap
    """name → :class:`Module`."""
    btf_modules: tuple[BtfModule, ...] = ()
    kzallocs: int = 0
    kreallocs: int = 0
    next_addr: int = 1
    pending: tuple[Store, ...] = ()
    old_lists: FMap = EMPTY
    """Old API: list name → addresses of the module sets on ``struct kfunc_btf_id_list``."""
    booted: bool = True
    """False while ``do_initcalls`` runs: no process (so no verifier) exists yet."""
    uaf: bool = False
    uaf_by: tuple[str, ...] = ()
    """Activities that touched freed module memory."""
    kfunc_btf_tabs: FMap = EMPTY
    """Verifier side: program (activity) name → the module whose reference its kfunc_btf_tab
    holds (``prog->aux->kfunc_btf_tab``)."""
    cfg: Config = Config()
    _hash: int = field(default=0, init=False, repr=False, compare=False)
    """The hash, once computed (see :func:`explorer.model.values.cached_hash`)."""

    # -- memory helpers ----------------------------------------------------------------------
    def btf(self, name: str) -> Btf:
        return self.btfs[name]  # type: ignore[no-any-return]

    def with_btf(self, b: Btf) -> World:
        return evolve(self, btfs=self.btfs.set(b.name, b))

    def idset(self, addr: str) -> IdSet:
        return self.mem[addr]  # type: ignore[no-any-return]

    def find_idset(self, addr: str) -> IdSet | None:
        """The set at ``addr``, or None for a dangling pointer (kfree'd memory)."""
        got: IdSet | None = self.mem.get(addr)
        return got

    def with_idset(self, s: IdSet) -> World:
        return evolve(self, mem=self.mem.set(s.addr, s))

    def tab(self, addr: str) -> KfuncSetTab:
        return self.tabs[addr]  # type: ignore[no-any-return]

    def with_tab(self, t: KfuncSetTab) -> World:
        return evolve(self, tabs=self.tabs.set(t.addr, t))

    def module(self, name: str) -> Module:
        return self.modules[name]  # type: ignore[no-any-return]

    def with_module(self, m: Module) -> World:
        return evolve(self, modules=self.modules.set(m.name, m))

    def btf_module_entry(self, btf: str) -> BtfModule | None:
        for e in self.btf_modules:
            if e.btf == btf:
                return e
        return None

    def alloc_addr(self) -> tuple[World, str]:
        """A fresh symbolic kmalloc address."""
        return evolve(self, next_addr=self.next_addr + 1), f"kmalloc#{self.next_addr}"

    # -- the loader CPU's view versus everyone else's (a weakly ordered CPU) ---------------------
    def read_tab_ptr(self, btf: str, own: bool) -> str | None:
        """``btf->kfunc_set_tab`` as the writing CPU (own=True) or another CPU sees it."""
        if own:
            key = TabPtr(btf)
            for s in reversed(self.pending):
                if s.target == key:
                    return s.value
        return self.btf(btf).kfunc_set_tab

    def read_cell(self, tab: str, hook: int, type_: int, own: bool) -> str | None:
        if own:
            key = TabCell(tab, hook, type_)
            for s in reversed(self.pending):
                if s.target == key:
                    return s.value
        if tab not in self.tabs:
            return None
        return self.tab(tab).cell(hook, type_)

    def store(self, target: StoreTarget, value: str | None, buffered: bool) -> World:
        """A store by the loader CPU: buffered (weakly ordered CPU) or visible at once."""
        if buffered:
            return evolve(self, pending=(*self.pending, Store(target, value)))
        return self.commit(Store(target, value))

    def commit(self, s: Store) -> World:
        """Make a store visible to every CPU."""
        t = s.target
        if isinstance(t, TabPtr):
            return self.with_btf(evolve(self.btf(t.btf), kfunc_set_tab=s.value))
        if isinstance(t, LiveFlag):
            return evolve(self, btf_modules=tuple(
                evolve(e, flags=e.flags | BTF_MODULE_F_LIVE) if e.module == t.module else e
                for e in self.btf_modules))
        if t.tab not in self.tabs:  # the table was freed meanwhile
            return self
        return self.with_tab(self.tab(t.tab).with_cell(t.hook, t.type, s.value))

    def forget_stores_to(self, btf: str, tab: str) -> World:
        """Drop buffered stores to ``btf->kfunc_set_tab`` and to the cells of table ``tab``
        (which is being freed)."""
        keep = tuple(s for s in self.pending
                     if s.target != TabPtr(btf)
                     and not (isinstance(s.target, TabCell) and s.target.tab == tab))
        return evolve(self, pending=keep)

    def drain_one(self) -> World:
        """The oldest buffered store becomes visible."""
        first, rest = self.pending[0], self.pending[1:]
        return evolve(self, pending=rest).commit(first)

    def pending_table_stores(self) -> int:
        """Buffered stores to a table (not the LIVE flag): what a verifier must not miss."""
        return sum(1 for s in self.pending if not isinstance(s.target, LiveFlag))

    def drain_all(self) -> World:
        w = self
        while w.pending:
            w = w.drain_one()
        return w


def empty_world(cfg: Config = Config()) -> World:  # noqa: B008  (a frozen record)
    """A booted kernel with vmlinux BTF (published, no table) and no modules."""
    return World(
        btfs=FMap({"vmlinux": Btf("vmlinux", is_module=False, published=True)}),
        tabs=FMap(),
        mem=FMap(),
        modules=FMap(),
        cfg=cfg,
    )


def table_of(w: World, btf: str) -> KfuncSetTab | None:
    """The table as other CPUs see it (None: not allocated)."""
    ptr = w.btf(btf).kfunc_set_tab
    return w.tab(ptr) if ptr is not None and ptr in w.tabs else None


def cell_ids(w: World, btf: str, hook: int, type_: int) -> tuple[int, ...] | None:
    """The valid IDs of a cell as other CPUs see it, or None for a NULL cell / no table."""
    t = table_of(w, btf)
    if t is None:
        return None
    ptr = t.cell(hook, type_)
    s = w.find_idset(ptr) if ptr is not None else None
    return s.valid if s is not None else None
