"""The 6.17 registry: each version's differences pinned, with the source each fact was read from.

Sources (stored kernel trees read with the project's code search):
  * v6.17  kernel/bpf/btf.c @ nhatz11/linux-6.17, commit 640605ad: enum btf_kfunc_hook,
           BTF_KFUNC_SET_MAX_CNT, BTF_KFUNC_FILTER_MAX_CNT, struct btf_kfunc_set_tab,
           bpf_prog_type_to_kfunc_hook, register_btf_kfunc_id_set, __register_btf_kfunc_id_set,
           btf_populate_kfunc_set, btf_free_kfunc_set_tab, __btf_kfunc_id_set_contains,
           btf_kfunc_id_set_contains.
  * KF_*   include/linux/btf.h @ torvalds/linux, commit 00b85860.
  * between: kernel/bpf/btf.c @ torvalds/linux commits 0076cad3 and 912310dd.
  * v5.18  kernel/bpf/btf.c v5.18 (explorer.model, unchanged).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from explorer.model import constants as c518
from explorer.model import populate
from explorer.model.api import call_function
from explorer.model.machine import FUNCTIONS
from explorer.model.state import Config, empty_world, table_of
from explorer.model.v6 import constants as c6
from explorer.model.v6.registry import IdSet8, is_v6_tab, tab8
from explorer.sim import modern
from explorer.sim.errors import InputError
from explorer.sim.explore import explore
from explorer.sim.scenario import load_scenario
from explorer.sim.session import run
from explorer.sim.variants import Options, parse_options

# -- pinned facts -------------------------------------------------------------------------------


def test_v617_hooks_read_from_btf_c_nhatz11_linux_6_17() -> None:
    """enum btf_kfunc_hook, kernel/bpf/btf.c @ nhatz11/linux-6.17 640605ad: 14 hooks."""
    assert [h.short for h in c6.HOOKS] == [
        "COMMON", "XDP", "TC", "STRUCT_OPS", "TRACING", "SYSCALL", "FMODRET", "CGROUP",
        "SCHED_ACT", "SK_SKB", "SOCKET_FILTER", "LWT", "NETFILTER", "KPROBE"]
    assert c6.Hook.BTF_KFUNC_HOOK_MAX == 14
    # v5.18 (kernel/bpf/btf.c v5.18): three hooks and a type dimension of four.
    assert [h.short for h in c518.HOOKS] == ["XDP", "TC", "STRUCT_OPS"]
    assert [t.short for t in c518.TYPES] == ["CHECK", "ACQUIRE", "RELEASE", "RET_NULL"]


def test_limits_read_from_btf_c() -> None:
    """BTF_KFUNC_SET_MAX_CNT: 32 in v5.18 and at torvalds/linux 0076cad3; 256 at 912310dd and
    in 6.17 (nhatz11/linux-6.17 640605ad); BTF_KFUNC_FILTER_MAX_CNT = 16 only in 6.17."""
    assert c518.BTF_KFUNC_SET_MAX_CNT == 32
    assert c6.BTF_KFUNC_SET_MAX_CNT == 256
    assert c6.BTF_KFUNC_FILTER_MAX_CNT == 16
    by = {s.kernel: s for s in c6.HISTORY}
    assert by["5.18"].set_cnt_max == 32 and by["5.18"].hooks == ("XDP", "TC", "STRUCT_OPS")
    mid = next(s for s in c6.HISTORY if "0076cad3" in s.kernel)
    assert mid.set_cnt_max == 32 and mid.hooks[-2:] == ("TRACING", "SYSCALL") and not mid.pinned
    s8 = next(s for s in c6.HISTORY if "912310dd" in s.kernel)
    assert s8.set_cnt_max == 256 and len(s8.hooks) == 5 and "btf_id_set8" in s8.cell
    assert by["6.17"].filters == 16 and by["6.17"].common_hook and len(by["6.17"].hooks) == 14
    assert next(s.kernel for s in c6.HISTORY) == "5.16" and c6.HISTORY[-1].kernel == "6.17"


def test_kf_flags_read_from_btf_h_of_617() -> None:
    """include/linux/btf.h @ Kingxukai/linux 0291023e (6.17.0-rc3): KF_ACQUIRE (1 << 0) …
    KF_ARENA_ARG2 (1 << 15); bit 3 (KF_KPTR_GET in torvalds/linux 00b85860) is gone by 6.17."""
    assert [(f.name, int(f)) for f in c6.KF] == [
        ("KF_ACQUIRE", 1), ("KF_RELEASE", 2), ("KF_RET_NULL", 4), ("KF_TRUSTED_ARGS", 16),
        ("KF_SLEEPABLE", 32), ("KF_DESTRUCTIVE", 64), ("KF_RCU", 128), ("KF_ITER_NEW", 256),
        ("KF_ITER_NEXT", 512), ("KF_ITER_DESTROY", 1024), ("KF_RCU_PROTECTED", 2048),
        ("KF_FASTCALL", 4096), ("KF_ARENA_RET", 8192), ("KF_ARENA_ARG1", 16384),
        ("KF_ARENA_ARG2", 32768)]
    assert "0291023e" in c6.SOURCE_BTF_H and "6.17" in c6.SOURCE_BTF_H
    assert c6.flag_names(5) == ("KF_ACQUIRE", "KF_RET_NULL")
    assert c6.flag_names(8) == ("0x8",)  # no 6.17 flag has bit 3
    assert c6.flag_names(int(c6.KF.KF_ITER_NEXT | c6.KF.KF_RET_NULL)) == ("KF_RET_NULL",
                                                                        "KF_ITER_NEXT")
    assert c6.parse_flags(["acquire", "KF_RET_NULL"]) == 5
    assert c6.parse_flags(["KF_FASTCALL"]) == 1 << 12
    with pytest.raises(ValueError, match="unknown kfunc flag 'KF_NOPE'"):
        c6.parse_flags(["KF_NOPE"])
    by = {s.kernel: s for s in c6.HISTORY}
    assert "KF_ITER_NEW" in by["6.17"].types and "KF_KPTR_GET" not in by["6.17"].types
    s8 = next(s for s in c6.HISTORY if "912310dd" in s.kernel)
    assert "KF_KPTR_GET" in s8.types and "00b85860" in s8.source


@pytest.mark.parametrize(("prog", "hook"), [
    ("UNSPEC", "COMMON"), ("XDP", "XDP"), ("SCHED_CLS", "TC"), ("STRUCT_OPS", "STRUCT_OPS"),
    ("TRACING", "TRACING"), ("LSM", "TRACING"), ("PERF_EVENT", "TRACING"),
    ("TRACEPOINT", "TRACING"), ("SYSCALL", "SYSCALL"), ("CGROUP_SKB", "CGROUP"),
    ("SOCK_OPS", "CGROUP"), ("CGROUP_SOCK_ADDR", "CGROUP"), ("SCHED_ACT", "SCHED_ACT"),
    ("SK_SKB", "SK_SKB"), ("SOCKET_FILTER", "SOCKET_FILTER"), ("LWT_SEG6LOCAL", "LWT"),
    ("NETFILTER", "NETFILTER"), ("KPROBE", "KPROBE"),
    ("RAW_TRACEPOINT", "MAX"), ("SK_MSG", "MAX"), ("EXT", "MAX")])
def test_prog_type_to_hook_v617(prog: str, hook: str) -> None:
    """bpf_prog_type_to_kfunc_hook, kernel/bpf/btf.c @ nhatz11/linux-6.17 640605ad."""
    assert c6.bpf_prog_type_to_kfunc_hook(int(c6.parse_prog_type(prog))).short == hook


def test_v518_mapping_is_unchanged() -> None:
    assert c518.bpf_prog_type_to_kfunc_hook(c518.BpfProgType.BPF_PROG_TYPE_TRACING) == \
        c518.BtfKfuncHook.BTF_KFUNC_HOOK_MAX


# -- behaviour -------------------------------------------------------------------------------


def _tcp_boot() -> Any:
    sc = modern.load("boot_tcp", "6.17")
    return run(sc, Options())


def test_boot_tcp_617_one_sorted_set8_per_hook() -> None:
    r = _tcp_boot()
    w = r.final.world
    tab = table_of(w, "vmlinux")
    assert tab is not None and is_v6_tab(tab)
    t8 = tab8(w, tab.addr)
    assert len(t8.sets) == 14
    ptr = t8.cell(int(c6.Hook.BTF_KFUNC_HOOK_STRUCT_OPS))
    assert ptr is not None
    s = w.idset(ptr)
    assert isinstance(s, IdSet8) and s.cnt == 25 and list(s.valid) == sorted(s.valid)
    assert s.region == "kmalloc"
    assert [t8.cell(h) for h in range(14) if h != 3] == [None] * 13
    assert r.outcome == {"boot": "OK", "verifier": "OK"}
    assert any("COMMON" in e.text for rec in r.records for e in rec.events)


def test_5_18_scenarios_are_the_same_objects_by_default() -> None:
    for name in ("boot_tcp", "e2big", "module_twice", "module_race", "old_api"):
        assert modern.load(name) is load_scenario(name)
    assert modern.load("old_api").kernel == "5.16"
    assert modern.versions("boot_tcp") == ("5.18", "6.17")
    assert modern.versions("old_api") == ("5.16",)
    assert modern.versions("hooks_filters") == ("6.17",)
    assert modern.versions("my_kernel") == ("5.18", "6.17")


def test_common_hook_and_filters_617() -> None:
    r = run(modern.load("hooks_filters"), Options())
    assert r.outcome == {"boot": "OK", "xdp_strlen": "OK", "iter_destroy": "OK",
                         "fentry_destroy": "EACCES", "xdp_destroy": "EACCES"}
    w = r.final.world
    t8 = tab8(w, w.btf("vmlinux").kfunc_set_tab or "")
    tracing = int(c6.Hook.BTF_KFUNC_HOOK_TRACING)
    # net/core/filter.c's filter only: map_iter.c's set has none (a filter for it was dropped in
    # review) and is registered for BPF_PROG_TYPE_UNSPEC, so it lands in COMMON.
    assert [f[0] for f in t8.filters[tracing]] == ["tracing_iter_filter (net/core/filter.c)"]
    common = int(c6.Hook.BTF_KFUNC_HOOK_COMMON)
    assert t8.filters[common] == ()
    common_ids = w.idset(t8.cell(common) or "").ids
    assert 65082 in common_ids  # bpf_map_sum_elem_count (the scenario's [ids.vmlinux])
    texts = [e.text for rec in r.records if rec.letter == "E" for e in rec.events]
    assert any("rejects this program" in t for t in texts)
    iter_texts = [e.text for rec in r.records if rec.letter == "J" for e in rec.events]
    assert any("KF_TRUSTED_ARGS" in t for t in iter_texts)


def _data(name: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads((modern.MODERN_DIR / f"{name}.toml").read_text())


def test_same_filter_kept_once_and_the_17th_is_e2big() -> None:
    d = _data("hooks_filters")
    base = d["sets"][1]
    d["sets"] = d["sets"][:1]
    d["threads"] = [d["threads"][0]]
    names = []
    for k in range(18):
        s = copy.deepcopy(base)
        s["name"] = f"sk_iter_{k}"
        s["symbol"] = f"sk_iter_ids_{k}"
        s["filter"]["name"] = "shared" if k < 2 else f"filter_{k}"
        names.append(s["name"])
        d["sets"].append(s)
    d["threads"][0]["sets"] = ["common_kfunc_set", *names]
    r = run(modern.parse_modern(d, "t.toml"), Options())
    # 2 share one filter (kept once) + 15 distinct = 16 = BTF_KFUNC_FILTER_MAX_CNT; the 18th set
    # brings a 17th filter: -E2BIG via the error path, which frees the whole table.
    errs = [e.text for rec in r.records for e in rec.events if e.kind == "error"]
    assert any("BTF_KFUNC_FILTER_MAX_CNT: -E2BIG" in t for t in errs)
    assert any("already on vmlinux [TRACING]: kept once" in e.text
               for rec in r.records for e in rec.events)
    assert r.final.world.btf("vmlinux").kfunc_set_tab is None


def test_not_a_kfuncs_set_is_einval() -> None:
    d = _data("boot_tcp")
    d["sets"][0]["macro"] = "BTF_SET8_START"
    r = run(modern.parse_modern(d, "t.toml"), Options())
    errs = [e.text for rec in r.records for e in rec.events if e.kind == "error"]
    assert any("lacks BTF_SET8_KFUNCS" in t and "WARN_ON(!owner)" in t for t in errs)
    assert r.outcome["boot"] == "EINVAL"  # the first failing initcall's code; boot goes on
    w = r.final.world
    s = w.idset(tab8(w, w.btf("vmlinux").kfunc_set_tab or "").cell(3) or "")
    assert s.cnt == 19  # cubic's 6 were refused; bbr 8 + dctcp 6 + tcp_ca 5 registered


def test_e2big_at_257_frees_everything() -> None:
    r = run(modern.load("e2big", "6.17"), Options())
    assert r.outcome == {"boot": "E2BIG"}
    assert r.final.world.btf("vmlinux").kfunc_set_tab is None
    assert not [a for a in r.final.world.mem if a.startswith("kmalloc")]
    assert any("25 + 232 > BTF_KFUNC_SET_MAX_CNT (256)" in e.text
               for rec in r.records for e in rec.events)


def test_module_sets_are_copied_and_freed_on_error() -> None:
    r = run(modern.load("module_twice", "6.17"), Options())
    assert r.outcome == {"init": "EINVAL"}
    texts = [e.text for rec in r.records for e in rec.events]
    assert any(t.startswith("krealloc(NULL, 1 pairs)") for t in texts)
    assert any(t.startswith("kfree(kmalloc#") and "pairs of bpf_testmod set8" in t
               for t in texts)
    assert r.final.world.module("bpf_testmod").state == "MODULE_STATE_GOING"


def test_conntrack_flags_and_module_copies() -> None:
    r = run(modern.load("conntrack_flags"), Options())
    assert r.outcome == {"init": "OK", "xdp_verifier": "OK", "sockfilter_verifier": "EACCES"}
    w = r.final.world
    t8 = tab8(w, w.btf("nf_conntrack").kfunc_set_tab or "")
    xdp, tc = t8.cell(1), t8.cell(2)
    assert xdp and tc and xdp != tc  # two hooks, two copies of one module array
    s = w.idset(xdp)
    assert isinstance(s, IdSet8)
    assert s.flags_of(128301) == int(c6.KF.KF_ACQUIRE | c6.KF.KF_RET_NULL)
    assert s.flags_of(128305) == int(c6.KF.KF_TRUSTED_ARGS)
    # nf_ct_kfunc_set holds all ten kfuncs, the release ones too (net/netfilter/nf_conntrack_bpf.c)
    assert len(s.valid) == 10
    assert s.flags_of(128293) == int(c6.KF.KF_RELEASE)  # bpf_ct_release
    assert s.flags_of(128291) == int(c6.KF.KF_ACQUIRE | c6.KF.KF_RET_NULL | c6.KF.KF_RELEASE)


def test_kzalloc_fault_returns_enomem_without_the_error_path() -> None:
    sc = modern.load("boot_tcp", "6.17")
    r = run(sc, parse_options([], ["kzalloc_fails"]))
    assert r.outcome["boot"] == "ENOMEM"
    assert not any(rec.func == "btf_free_kfunc_set_tab@6.17" for rec in r.records[:60])


def test_no_sort_what_if_makes_bsearch_miss_617() -> None:
    sc = modern.load("boot_tcp", "6.17")
    r = run(sc, parse_options(["no_sort"], []))
    assert r.outcome["verifier"] == "EACCES"
    e = explore(sc, parse_options(["no_sort"], []))
    assert any(v.invariant == "vmlinux_cells_sorted" for v in e.violations)


def test_explore_617_invariants_hold() -> None:
    for name in ("boot_tcp", "conntrack_flags", "module_twice"):
        e = explore(modern.load(name, "6.17"), Options())
        assert e.complete and not e.violations, name
        assert len(e.outcomes) == 1


def test_518_only_variants_are_refused_on_617() -> None:
    sc = modern.load("boot_tcp", "6.17")
    with pytest.raises(InputError, match=r"no_live_check.*offers: no_sort"):
        run(sc, parse_options(["no_live_check"], []))


@pytest.mark.parametrize(("patch", "needle"), [
    ({"kernel": "7.0"}, "kernel: '7.0'"),
    ({"sets": [{"name": "x", "prog_type": "BOGUS", "kfuncs": []}]}, "sets[0].prog_type"),
    ({"sets": [{"name": "x", "prog_type": "XDP", "kfuncs": ["tcp_slow_start"],
                "flags": {"tcp_slow_start": ["KF_X"]}}]}, "sets[0].flags.tcp_slow_start"),
    ({"sets": [{"name": "x", "prog_type": "XDP", "kfuncs": ["nope"]}]}, "unknown kfunc 'nope'"),
    ({"threads": [{"name": "v", "kind": "load_module"}]}, "threads[0].kind"),
])
def test_bad_617_files_get_one_line_errors(patch: dict[str, Any], needle: str) -> None:
    d = _data("boot_tcp")
    d.update(patch)
    with pytest.raises(InputError) as ei:
        modern.parse_modern(d, "bad.toml")
    msg = str(ei.value)
    assert msg.startswith("bad.toml: ") and needle in msg and "\n" not in msg


def test_load_errors() -> None:
    with pytest.raises(InputError, match=r"no 6\.17 version"):
        modern.load("old_api", "6.17")
    with pytest.raises(InputError, match=r"unknown kernel '9\.9'"):
        modern.load("boot_tcp", "9.9")
    with pytest.raises(InputError, match="unknown scenario"):
        modern.load("nope")


def test_missing_module_btf_fails_on_518_but_only_warns_on_617() -> None:
    """No BTF for the owner: vmlinux fails with -ENOENT in both kernels; a module fails in v5.18
    (c446fdacb10d: pr_err, -ENOENT) but 6.17's check_btf_kconfigs (kernel/bpf/btf.c @
    nhatz11/linux-6.17 640605ad) only warns and returns 0."""
    w = empty_world()
    r6 = call_function(w, "__register_btf_kfunc_id_set@6.17",
                       {"hook": 1, "kset": ("s", "nomod", "unused", None)})
    assert r6.value == 0
    assert any("pr_warn: missing module BTF" in e.text for e in r6.events)
    r5 = call_function(w, "register_btf_kfunc_id_set",
                       {"prog_type": 6, "kset": ("s", "nomod", (None, None, None, None))})
    assert r5.value == -c518.ENOENT
    assert any("pr_err: missing module BTF" in e.text for e in r5.events)
    for module_fails in (True, False):
        assert populate.missing_btf(w, None, module_fails)[0] == -c518.ENOENT
        off = empty_world(Config(debug_info_btf=False))
        assert populate.missing_btf(off, None, module_fails)[0] == 0


def test_one_do_initcalls_and_one_prog_type_enum_serve_both_kernels() -> None:
    """init/main.c's do_initcalls loop is the same in v5.18 and 6.17 (Kingxukai/linux 0291023e):
    one implementation, each kernel naming its own register_btf_kfunc_id_set. enum bpf_prog_type
    is uapi: one enum, v5.18's ending at SYSCALL (NETFILTER came after)."""
    d518, d617 = FUNCTIONS["do_initcalls"], FUNCTIONS["do_initcalls@6.17"]
    assert type(d518).step is type(d617).step and d518.lines == d617.lines
    assert (d518.register, d617.register) == ("register_btf_kfunc_id_set",
                                             "register_btf_kfunc_id_set@6.17")
    assert c6.ProgType is c518.BpfProgType
    assert c6.parse_prog_type("netfilter") == 32
    with pytest.raises(ValueError, match="unknown program type 'netfilter'") as e:
        c518.parse_prog_type("netfilter")
    assert "SYSCALL" in str(e.value) and "NETFILTER" not in str(e.value)
