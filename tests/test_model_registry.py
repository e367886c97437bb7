"""The kfunc BTF ID set registry (MODEL.md §1–§3, §8) through the direct API.

Every error path of ``register_btf_kfunc_id_set`` / ``__btf_populate_kfunc_set`` and every claim of
the spec about allocation, hooks, module sets and lookups is pinned here, on hand-built worlds.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.model import (
    BTF_KFUNC_SET_MAX_CNT,
    BpfProgType,
    BtfKfuncHook,
    BtfKfuncType,
    Config,
    World,
    add_id_set,
    add_module,
    api,
    bpf_prog_type_to_kfunc_hook,
    btf_kfunc_id_set_contains,
    call_function,
    cell_ids,
    empty_world,
    make_kset,
    publish_module_btf,
    register_btf_kfunc_id_set,
    table_of,
)
from explorer.model.constants import E2BIG, EINVAL, ENOENT, ENOMEM, EOVERFLOW, U32_MAX
from explorer.model.machine import Ctx, new_frame, step

XDP = BpfProgType.BPF_PROG_TYPE_XDP
TC = BpfProgType.BPF_PROG_TYPE_SCHED_CLS
SOPS = BpfProgType.BPF_PROG_TYPE_STRUCT_OPS
KPROBE = BpfProgType.BPF_PROG_TYPE_KPROBE
H_XDP, H_TC, H_SOPS, H_MAX = BtfKfuncHook  # enum btf_kfunc_hook, in order
CHECK, ACQUIRE, RELEASE, RET_NULL, _TYPE_MAX = BtfKfuncType  # enum btf_kfunc_type, in order

# MODEL.md §8 with the illustrative IDs of explorer/scenarios/kfunc_ids.toml
TEST_RUN = (31207, 31208, 31210)
TCP_CA = (105712, 105716, 105720, 105722, 105848)
BBR = (105996, 106003, 106019, 106021, 106031, 106037, 106039, 106041)
CUBIC = (106098, 106102, 106106, 106110, 106122, 106124)
DCTCP = (106202, 106204, 106210, 106218, 106220, 106222)


# -- helpers -----------------------------------------------------------------------------------


def builtin(w: World, addr: str, ids: tuple[int, ...]) -> World:
    """A built-in ``struct btf_id_set`` (sorted by resolve_btfids)."""
    return add_id_set(w, addr, tuple(sorted(ids)), region="vmlinux")


def reg_builtin(w: World, prog_type: int, addr: str, ids: tuple[int, ...],
                type_: BtfKfuncType = CHECK) -> api.CallResult:
    """Place a built-in set and register it (owner NULL) for ``prog_type``."""
    w = builtin(w, addr, ids)
    return register_btf_kfunc_id_set(w, prog_type, make_kset(addr, None, {type_: addr}))


def ok(r: api.CallResult) -> World:
    assert r.value == 0, r.events
    return r.world


def module_world(name: str = "bpf_testmod", *, cfg: Config | None = None) -> World:
    """A module that is COMING with its BTF published and listed, plus two of its sets."""
    w = add_module(empty_world(cfg or Config()), name)
    w = add_id_set(w, f"{name}:check", (127504, 127510), region="module", owner=name)
    w = add_id_set(w, f"{name}:check2", (127506,), region="module", owner=name)
    w = add_id_set(w, f"{name}:acquire", (127504,), region="module", owner=name)
    return publish_module_btf(w, name)


def funcs_run(w: World, func: str, args: dict[str, object]) -> tuple[object, list[str]]:
    """Run ``func`` step by step and return its value and every function:label stepped."""
    stack = (new_frame(func, args),)
    seen: list[str] = []
    while True:
        r = step(w, stack, Ctx("t"))
        seen.append(f"{r.func}:{r.pc}")
        w, stack = r.world, r.stack
        if r.finished:
            return r.value, seen


def kmalloc_cells(w: World) -> list[str]:
    return [a for a, s in w.mem.items() if s.region == "kmalloc"]


def contains(w: World, btf: str, prog_type: int, type_: int, id_: int) -> bool:
    r = btf_kfunc_id_set_contains(w, btf, prog_type, type_, id_)
    assert r.world == w, "a lookup never changes the world"
    return bool(r.value)


# -- §1 hooks --------------------------------------------------------------------------------


def test_hook_mapping_only_xdp_sched_cls_struct_ops() -> None:
    assert bpf_prog_type_to_kfunc_hook(XDP) == H_XDP
    assert bpf_prog_type_to_kfunc_hook(TC) == H_TC
    assert bpf_prog_type_to_kfunc_hook(SOPS) == H_SOPS
    others = [p for p in BpfProgType if p not in (XDP, TC, SOPS)]
    assert others  # e.g. KPROBE, TRACING, LSM, SYSCALL, SCHED_ACT
    for p in others:
        assert bpf_prog_type_to_kfunc_hook(p) == H_MAX, p
    assert bpf_prog_type_to_kfunc_hook(9999) == H_MAX


def test_unmapped_prog_type_lookup_is_false_even_if_id_registered_elsewhere() -> None:
    w = ok(reg_builtin(empty_world(), TC, "tr", TEST_RUN))
    assert contains(w, "vmlinux", TC, CHECK, 31208)
    for p in (KPROBE, BpfProgType.BPF_PROG_TYPE_SCHED_ACT, BpfProgType.BPF_PROG_TYPE_TRACING):
        assert not contains(w, "vmlinux", p, CHECK, 31208)
    # the ID is only in the TC cell, not the XDP one
    assert not contains(w, "vmlinux", XDP, CHECK, 31208)


# -- §2 lazily allocated table -----------------------------------------------------------------


def test_table_is_null_until_a_nonempty_set_arrives() -> None:
    w = empty_world()
    assert w.btf("vmlinux").kfunc_set_tab is None
    assert table_of(w, "vmlinux") is None
    assert cell_ids(w, "vmlinux", H_TC, CHECK) is None

    w = builtin(w, "empty", ())
    r = register_btf_kfunc_id_set(w, TC, make_kset("empty", None, {CHECK: "empty"}))
    assert r.value == 0
    assert table_of(r.world, "vmlinux") is None
    assert r.world.kzallocs == 0 and r.world.kreallocs == 0
    assert not r.world.tabs
    assert not any(e.kind == "alloc" for e in r.events)

    r = reg_builtin(r.world, TC, "tr", TEST_RUN)
    tab = table_of(r.world, "vmlinux")
    assert r.value == 0 and tab is not None
    assert r.world.kzallocs == 1
    allocated = [(h, t) for h in range(3) for t in range(4) if tab.cell(h, t) is not None]
    assert allocated == [(H_TC, CHECK)], "only the registered cell is allocated"
    assert cell_ids(r.world, "vmlinux", H_TC, CHECK) == TEST_RUN


def test_empty_set_after_table_exists_is_a_noop() -> None:
    w = ok(reg_builtin(empty_world(), TC, "tr", TEST_RUN))
    w2 = ok(reg_builtin(w, SOPS, "empty", ()))
    assert w2.tabs == w.tabs and w2.kreallocs == w.kreallocs
    assert cell_ids(w2, "vmlinux", H_SOPS, CHECK) is None


def test_kset_types_go_to_their_own_cells_in_type_order() -> None:
    w = empty_world()
    for addr, ids in (("c", (5, 1)), ("a", (3,)), ("r", (4,)), ("n", (2, 9))):
        w = builtin(w, addr, ids)
    kset = make_kset("nf", None, {CHECK: "c", ACQUIRE: "a", RELEASE: "r", RET_NULL: "n"})
    r = register_btf_kfunc_id_set(w, XDP, kset)
    assert r.value == 0
    assert cell_ids(r.world, "vmlinux", H_XDP, CHECK) == (1, 5)
    assert cell_ids(r.world, "vmlinux", H_XDP, ACQUIRE) == (3,)
    assert cell_ids(r.world, "vmlinux", H_XDP, RELEASE) == (4,)
    assert cell_ids(r.world, "vmlinux", H_XDP, RET_NULL) == (2, 9)
    # type order: one krealloc per type, check first
    allocs = [e.get("old") for e in r.events if e.kind == "alloc" and e.get("size") is not None]
    assert len(allocs) == 4
    writes = [e.get("type") for e in r.events if e.kind == "write" and e.get("hook") == H_XDP
              and e.text.startswith("vmlinux [XDP]")]
    assert writes == sorted(writes)


# -- §2 error paths ------------------------------------------------------------------------------


def test_unmapped_prog_type_registration_is_einval_via_error_path() -> None:
    w = ok(reg_builtin(empty_world(), TC, "tr", TEST_RUN))
    assert table_of(w, "vmlinux") is not None
    w = builtin(w, "kp", (7, 8))
    kset = make_kset("kp", None, {CHECK: "kp"})
    value, seen = funcs_run(w, "register_btf_kfunc_id_set", {"prog_type": KPROBE, "kset": kset})
    assert value == -EINVAL
    assert "btf_free_kfunc_set_tab:cells" in seen
    r = register_btf_kfunc_id_set(w, KPROBE, kset)
    assert r.value == -EINVAL
    assert table_of(r.world, "vmlinux") is None
    assert r.world.btf("vmlinux").kfunc_set_tab is None
    assert kmalloc_cells(r.world) == [], "the earlier TC registration is freed too"
    assert not contains(r.world, "vmlinux", TC, CHECK, 31208)
    # the static sets themselves (vmlinux data) are untouched
    assert r.world.idset("kp").valid == (7, 8)
    assert r.world.idset("tr").valid == TEST_RUN


def test_module_owner_without_btf_is_enoent() -> None:
    w = add_module(empty_world(), "nobtf")
    w = add_id_set(w, "nobtf:s", (1, 2), region="module", owner="nobtf")
    r = register_btf_kfunc_id_set(w, TC, make_kset("s", "nobtf", {CHECK: "nobtf:s"}))
    assert r.value == -ENOENT
    assert r.world.tabs == w.tabs and r.world.btfs == w.btfs
    assert any(e.kind == "error" for e in r.events)


def test_module_set_is_stored_by_pointer_and_reference_dropped() -> None:
    w = module_world()
    assert w.btf("bpf_testmod").is_module
    ref_before = w.btf("bpf_testmod").refcnt
    r = register_btf_kfunc_id_set(w, TC, make_kset("k", "bpf_testmod",
                                                   {CHECK: "bpf_testmod:check"}))
    assert r.value == 0
    tab = table_of(r.world, "bpf_testmod")
    assert tab is not None
    ptr = tab.cell(H_TC, CHECK)
    assert ptr == "bpf_testmod:check", "the cell points at the module's own set"
    cell = r.world.idset(ptr)
    assert cell.region == "module"
    assert cell.valid == (127504, 127510)
    assert kmalloc_cells(r.world) == [], "nothing is copied"
    assert r.world.kreallocs == 0
    assert r.world.btf("bpf_testmod").refcnt == ref_before
    assert any(e.kind == "ref" for e in r.events)
    # vmlinux untouched
    assert table_of(r.world, "vmlinux") is None
    assert contains(r.world, "bpf_testmod", TC, CHECK, 127510)
    assert not contains(r.world, "bpf_testmod", TC, CHECK, 127506)
    assert not contains(r.world, "vmlinux", TC, CHECK, 127510)


def test_module_may_register_other_hooks_and_types() -> None:
    w = module_world()
    w = ok(register_btf_kfunc_id_set(w, TC, make_kset(
        "k", "bpf_testmod", {CHECK: "bpf_testmod:check", ACQUIRE: "bpf_testmod:acquire"})))
    w = ok(register_btf_kfunc_id_set(w, XDP, make_kset(
        "k2", "bpf_testmod", {CHECK: "bpf_testmod:check2"})))
    assert cell_ids(w, "bpf_testmod", H_TC, ACQUIRE) == (127504,)
    assert cell_ids(w, "bpf_testmod", H_XDP, CHECK) == (127506,)


def test_second_module_registration_same_hook_and_type_is_einval() -> None:
    w = module_world()
    w = ok(register_btf_kfunc_id_set(w, TC, make_kset("k", "bpf_testmod",
                                                      {CHECK: "bpf_testmod:check"})))
    tab_addr = w.btf("bpf_testmod").kfunc_set_tab
    assert tab_addr is not None
    kset2 = make_kset("k2", "bpf_testmod", {CHECK: "bpf_testmod:check2"})
    value, seen = funcs_run(w, "register_btf_kfunc_id_set", {"prog_type": TC, "kset": kset2})
    assert value == -EINVAL
    assert "btf_free_kfunc_set_tab:free_tab" in seen
    assert "btf_free_kfunc_set_tab:cells" not in seen, "module cells are not kfree'd"
    r = register_btf_kfunc_id_set(w, TC, kset2)
    assert r.value == -EINVAL
    assert any("WARN_ON_ONCE" in e.text for e in r.events)
    assert table_of(r.world, "bpf_testmod") is None
    assert tab_addr not in r.world.tabs
    # the module's sets are its own memory: still there, unfreed
    for addr in ("bpf_testmod:check", "bpf_testmod:check2", "bpf_testmod:acquire"):
        s = r.world.find_idset(addr)
        assert s is not None and not s.freed and s.region == "module"
    assert not any(e.kind == "free" and e.get("addr") == "bpf_testmod:check" for e in r.events)


def test_vmlinux_sets_are_concatenated_and_sorted() -> None:
    w = ok(reg_builtin(empty_world(), SOPS, "cubic", CUBIC))
    first = table_of(w, "vmlinux")
    assert first is not None
    p1 = first.cell(H_SOPS, CHECK)
    assert p1 is not None and w.idset(p1).region == "kmalloc" and p1 != "cubic"
    r = reg_builtin(w, SOPS, "tcp_ca", TCP_CA)
    assert r.value == 0
    ids = cell_ids(r.world, "vmlinux", H_SOPS, CHECK)
    assert ids == tuple(sorted(CUBIC + TCP_CA))
    # krealloc'd: the old cell is gone, a new one holds all IDs
    tab = table_of(r.world, "vmlinux")
    assert tab is not None
    p2 = tab.cell(H_SOPS, CHECK)
    assert p2 != p1 and r.world.find_idset(p1) is None
    assert r.world.kreallocs == 2
    # the concatenation before sorting was CUBIC + TCP_CA: the sort had real work to do
    assert [e for e in r.events if e.kind == "swap"]
    append = [e.text for e in r.events if e.text.startswith("append")]
    assert append == [f"append {list(TCP_CA)} from tcp_ca"]
    for i in CUBIC + TCP_CA:
        assert contains(r.world, "vmlinux", SOPS, CHECK, i)


def test_four_tcp_sets_make_25_ids_in_struct_ops_check() -> None:
    w = empty_world()
    for name, prog, ids in (("test_run", TC, TEST_RUN), ("cubic", SOPS, CUBIC),
                            ("bbr", SOPS, BBR), ("dctcp", SOPS, DCTCP),
                            ("tcp_ca", SOPS, TCP_CA)):
        w = ok(reg_builtin(w, prog, name, ids))
        cell = cell_ids(w, "vmlinux", H_SOPS, CHECK)
        if cell is not None:
            assert list(cell) == sorted(cell), f"sorted after {name}"
    cell = cell_ids(w, "vmlinux", H_SOPS, CHECK)
    assert cell is not None and len(cell) == 5 + 8 + 6 + 6 == 25
    assert cell == tuple(sorted(CUBIC + BBR + DCTCP + TCP_CA))
    assert cell_ids(w, "vmlinux", H_TC, CHECK) == TEST_RUN
    assert w.kzallocs == 1 and w.kreallocs == 5
    for i in cell:
        assert contains(w, "vmlinux", SOPS, CHECK, i)
        assert not contains(w, "vmlinux", TC, CHECK, i)
    assert not contains(w, "vmlinux", SOPS, ACQUIRE, cell[0])


def test_e2big_at_33_ids_frees_the_whole_table() -> None:
    w = ok(reg_builtin(empty_world(), TC, "tr", TEST_RUN))
    w = ok(reg_builtin(w, SOPS, "thirty", tuple(range(1000, 1030))))
    w = ok(reg_builtin(w, SOPS, "two", (2000, 2001)))
    assert len(cell_ids(w, "vmlinux", H_SOPS, CHECK) or ()) == BTF_KFUNC_SET_MAX_CNT == 32
    value, seen = funcs_run(
        builtin(w, "one", (3000,)), "register_btf_kfunc_id_set",
        {"prog_type": SOPS, "kset": make_kset("one", None, {CHECK: "one"})})
    assert value == -E2BIG
    assert "btf_free_kfunc_set_tab:cells" in seen
    r = reg_builtin(w, SOPS, "one", (3000,))
    assert r.value == -E2BIG
    assert table_of(r.world, "vmlinux") is None
    assert not r.world.tabs
    assert kmalloc_cells(r.world) == [], "the TC cell of someone else is freed too"
    freed = {e.get("addr") for e in r.events if e.kind == "free"}
    assert len(freed) == 3  # two cells and the table
    assert r.world.kreallocs == w.kreallocs, "no krealloc was attempted"
    assert not contains(r.world, "vmlinux", TC, CHECK, 31207)


def test_e2big_for_a_single_set_of_33() -> None:
    r = reg_builtin(empty_world(), XDP, "big", tuple(range(1, 34)))
    assert r.value == -E2BIG
    assert table_of(r.world, "vmlinux") is None
    assert r.world.kzallocs == 1, "the table was allocated, then freed by the error path"
    r = reg_builtin(empty_world(), XDP, "max", tuple(range(1, 33)))
    assert r.value == 0
    assert cell_ids(r.world, "vmlinux", H_XDP, CHECK) == tuple(range(1, 33))


def _with_huge_cell(cnt: int) -> World:
    """A vmlinux table whose [XDP][CHECK] cell claims ``cnt`` IDs (u32 arithmetic edge)."""
    w = ok(reg_builtin(empty_world(), XDP, "small", (10,)))
    w = ok(reg_builtin(w, TC, "tr", TEST_RUN))
    tab = table_of(w, "vmlinux")
    assert tab is not None
    ptr = tab.cell(H_XDP, CHECK)
    assert ptr is not None
    return w.with_idset(replace(w.idset(ptr), cnt=cnt))


def test_eoverflow_when_cnt_plus_add_wraps_u32() -> None:
    w = _with_huge_cell(U32_MAX - 1)
    r = reg_builtin(w, XDP, "two", (20, 21))
    assert r.value == -EOVERFLOW
    assert any("EOVERFLOW" in e.text for e in r.events)
    assert table_of(r.world, "vmlinux") is None, "via the error path"
    assert kmalloc_cells(r.world) == []


def test_no_eoverflow_at_exactly_u32_max_but_e2big() -> None:
    w = _with_huge_cell(U32_MAX - 2)
    r = reg_builtin(w, XDP, "two", (20, 21))
    assert r.value == -E2BIG
    assert table_of(r.world, "vmlinux") is None


def test_kzalloc_failure_returns_enomem_directly() -> None:
    w = builtin(empty_world(Config(fail_kzalloc_nth=1)), "tr", TEST_RUN)
    kset = make_kset("tr", None, {CHECK: "tr"})
    value, seen = funcs_run(w, "register_btf_kfunc_id_set", {"prog_type": TC, "kset": kset})
    assert value == -ENOMEM
    assert not any(s.startswith("btf_free_kfunc_set_tab") for s in seen)
    assert "__btf_populate_kfunc_set:end" not in seen
    r = register_btf_kfunc_id_set(w, TC, kset)
    assert r.value == -ENOMEM
    assert r.world.kzallocs == 1 and r.world.kreallocs == 0
    assert table_of(r.world, "vmlinux") is None and not r.world.tabs


def test_kzalloc_failure_for_a_module_leaves_vmlinux_alone() -> None:
    w = module_world(cfg=Config(fail_kzalloc_nth=2))
    w = ok(reg_builtin(w, TC, "tr", TEST_RUN))  # kzalloc #1: vmlinux's table
    before = w.tabs
    r = register_btf_kfunc_id_set(w, TC, make_kset("k", "bpf_testmod",
                                                   {CHECK: "bpf_testmod:check"}))
    assert r.value == -ENOMEM
    assert r.world.tabs == before
    assert table_of(r.world, "bpf_testmod") is None
    assert cell_ids(r.world, "vmlinux", H_TC, CHECK) == TEST_RUN
    assert r.world.btf("bpf_testmod").refcnt == w.btf("bpf_testmod").refcnt


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_krealloc_failure_is_enomem_via_error_path(nth: int) -> None:
    w = empty_world(Config(fail_krealloc_nth=nth))
    regs = [(TC, "tr", TEST_RUN), (SOPS, "cubic", CUBIC), (SOPS, "bbr", BBR)]
    for i, (prog, name, ids) in enumerate(regs, start=1):
        r = reg_builtin(w, prog, name, ids)
        if i < nth:
            w = ok(r)
            continue
        assert r.value == -ENOMEM
        assert any("krealloc" in e.text and e.kind == "error" for e in r.events)
        assert table_of(r.world, "vmlinux") is None
        assert not r.world.tabs
        assert kmalloc_cells(r.world) == [], "every earlier registration is discarded"
        assert r.world.kreallocs == nth
        _, seen = funcs_run(builtin(w, name, ids), "register_btf_kfunc_id_set",
                            {"prog_type": prog, "kset": make_kset(name, None, {CHECK: name})})
        assert "__btf_populate_kfunc_set:end" in seen
        assert "btf_free_kfunc_set_tab:cells" in seen  # kfree() of every cell (NULL: no-op)
        assert "btf_free_kfunc_set_tab:free_tab" in seen
        # the next registration starts from a fresh, empty table
        w2 = ok(reg_builtin(r.world, SOPS, "dctcp", DCTCP))
        assert cell_ids(w2, "vmlinux", H_SOPS, CHECK) == DCTCP
        assert cell_ids(w2, "vmlinux", H_TC, CHECK) is None
        assert w2.kzallocs == 2
        break
    else:  # pragma: no cover
        pytest.fail("no failure injected")


def test_first_error_stops_the_remaining_types() -> None:
    w = empty_world(Config(fail_krealloc_nth=2))
    w = builtin(w, "c", (1, 2))
    w = builtin(w, "a", (1,))
    w = builtin(w, "r", (2,))
    kset = make_kset("k", None, {CHECK: "c", ACQUIRE: "a", RELEASE: "r"})
    r = register_btf_kfunc_id_set(w, XDP, kset)
    assert r.value == -ENOMEM
    assert r.world.kreallocs == 2, "release was never tried"
    assert table_of(r.world, "vmlinux") is None


# -- §3 lookup -------------------------------------------------------------------------------------


def test_lookup_without_table_is_false() -> None:
    w = empty_world()
    for p in (XDP, TC, SOPS, KPROBE):
        for t in (CHECK, ACQUIRE, RELEASE, RET_NULL):
            r = btf_kfunc_id_set_contains(w, "vmlinux", p, t, 31207)
            assert r.value is False
    r = btf_kfunc_id_set_contains(w, "vmlinux", TC, CHECK, 31207)
    assert any("kfunc_set_tab is NULL" in e.text for e in r.events)


def test_lookup_null_cell_and_out_of_range_type_are_false() -> None:
    w = ok(reg_builtin(empty_world(), TC, "tr", TEST_RUN))
    r = btf_kfunc_id_set_contains(w, "vmlinux", TC, ACQUIRE, 31207)
    assert r.value is False
    assert any("is NULL" in e.text for e in r.events)
    assert not any(e.kind == "probe" for e in r.events)
    assert not contains(w, "vmlinux", TC, BtfKfuncType.BTF_KFUNC_TYPE_MAX, 31207)
    assert contains(w, "vmlinux", TC, CHECK, 31207)
    assert not contains(w, "vmlinux", TC, CHECK, 31209)


def test_lookup_is_a_bsearch_over_the_cell() -> None:
    w = ok(reg_builtin(empty_world(), TC, "tr", TEST_RUN))
    r = btf_kfunc_id_set_contains(w, "vmlinux", TC, CHECK, 31207)
    probes = [e.get("index") for e in r.events if e.kind == "probe"]
    assert probes == [1, 0]  # num 3: pivot 1 (31208 > key), then num 1: pivot 0


def test_call_function_matches_wrapper() -> None:
    w = ok(reg_builtin(empty_world(), TC, "tr", TEST_RUN))
    a = call_function(w, "btf_kfunc_id_set_contains",
                      {"btf": "vmlinux", "prog_type": TC, "type": CHECK, "id": 31210})
    b = btf_kfunc_id_set_contains(w, "vmlinux", TC, CHECK, 31210)
    assert a.value is True and a == b


# -- a randomized check of the whole vmlinux registry against a plain dict model ------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([XDP, TC, SOPS, KPROBE]),
                          st.sets(st.integers(1, 60), max_size=12)), max_size=6))
def test_registry_matches_a_plain_model(regs: list[tuple[int, set[int]]]) -> None:
    w = empty_world()
    expect: dict[int, list[int]] | None = {}
    for n, (prog, ids) in enumerate(regs):
        r = reg_builtin(w, prog, f"s{n}", tuple(ids))
        hook = bpf_prog_type_to_kfunc_hook(prog)
        if hook == H_MAX:  # checked before the empty-set shortcut
            want = -EINVAL
        elif not ids:
            want = 0
        elif len((expect or {}).get(hook, [])) + len(ids) > BTF_KFUNC_SET_MAX_CNT:
            want = -E2BIG
        else:
            want = 0
        assert r.value == want
        w = r.world
        if want:
            expect = {}
        elif ids:
            expect = dict(expect or {})
            expect[hook] = sorted([*expect.get(hook, []), *ids])
        for h in (H_XDP, H_TC, H_SOPS):
            got = cell_ids(w, "vmlinux", h, CHECK)
            assert (list(got) if got is not None else None) == (expect or {}).get(h)
        assert (table_of(w, "vmlinux") is None) == (not expect)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([XDP, TC, SOPS]),
                          st.sampled_from([CHECK, ACQUIRE, RELEASE, RET_NULL]),
                          st.lists(st.integers(1, 2**31 - 1), min_size=1, max_size=14,
                                   unique=True)),
                max_size=8))
def test_every_vmlinux_cell_stays_sorted(regs: list[tuple[int, int, list[int]]]) -> None:
    w = empty_world()
    for n, (prog, type_, ids) in enumerate(regs):
        r = reg_builtin(w, prog, f"set{n}", tuple(ids), BtfKfuncType(type_))
        assert r.value in (0, -E2BIG)
        w = r.world
        if r.value == -E2BIG:
            assert table_of(w, "vmlinux") is None
            assert kmalloc_cells(w) == []
            continue
        tab = table_of(w, "vmlinux")
        assert tab is not None
        for h in (H_XDP, H_TC, H_SOPS):
            for t in (CHECK, ACQUIRE, RELEASE, RET_NULL):
                cell = cell_ids(w, "vmlinux", h, t)
                if cell is not None:
                    assert list(cell) == sorted(cell)
                    assert len(cell) <= BTF_KFUNC_SET_MAX_CNT
        assert contains(w, "vmlinux", prog, type_, ids[-1])


def test_freeing_table_1_keeps_buffered_stores_to_table_12() -> None:
    """Store targets are typed: freeing ``kmalloc#1`` drops only its own buffered cell stores
    (a text test once let ``kmalloc#1`` match ``kmalloc#12``)."""
    from explorer.model.state import Store, TabCell, TabPtr

    w = empty_world()
    w = w.store(TabCell("kmalloc#12", 2, 0), "kmalloc#13", buffered=True)
    w = w.store(TabCell("kmalloc#1", 2, 0), "kmalloc#2", buffered=True)
    w = w.store(TabPtr("vmlinux"), "kmalloc#1", buffered=True)
    w = w.store(TabPtr("mod"), "kmalloc#12", buffered=True)
    kept = w.forget_stores_to("vmlinux", "kmalloc#1").pending
    assert kept == (Store(TabCell("kmalloc#12", 2, 0), "kmalloc#13"),
                    Store(TabPtr("mod"), "kmalloc#12"))
    assert str(kept[0].target) == "kmalloc#12->sets[2][0]"
