"""Linux v5.18, exactly: the corrections of the fidelity audit, each pinned by a test.

Kernel sources read for these facts (torvalds/linux, v5.18-era files; see README "How faithful
it is"): kernel/bpf/btf.c (register_btf_kfunc_id_set, btf_get_module_btf, btf_module_notify,
btf_try_get_module, btf_check_func_arg_match), kernel/bpf/verifier.c (add_kfunc_call,
__find_kfunc_desc_btf, check_kfunc_call), net/netfilter/nf_conntrack_bpf.c, net/bpf/test_run.c.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer.model import FUNCTIONS
from explorer.model.api import add_id_set, make_kset, register_btf_kfunc_id_set
from explorer.model.constants import BpfProgType, BtfKfuncType
from explorer.model.state import Config, LiveFlag, empty_world
from explorer.sim.lessons import load_lessons
from explorer.sim.scenario import builtin_names, load_scenario
from explorer.sim.session import Session, run
from explorer.sim.variants import VARIANTS, parse_options
from explorer.views.dot import module_state_machine, pointer_graph
from explorer.views.snapshot import snapshot

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[tuple[Path, str]]:
    out = []
    for pattern in ("explorer/**/*.py", "explorer/**/*.toml", "lessons/*.toml", "notebooks/*.py",
                    "notebooks/*.ipynb", "docs/*.md", "README.md", "explorer/**/*.md"):
        for p in ROOT.glob(pattern):
            out.append((p, p.read_text(encoding="utf-8")))
    return out


# 1. no barrier pair: the mutex is the ordering ------------------------------------------------


def test_no_listing_has_an_smp_barrier() -> None:
    for fn in FUNCTIONS.values():
        code = re.sub(r"/\*.*?\*/", "", "\n".join(ln.text for ln in fn.lines), flags=re.S)
        assert "smp_wmb" not in code and "smp_rmb" not in code, fn.name


def test_no_barriers_variant_is_gone_and_live_flag_unlocked_replaces_it() -> None:
    assert "no_barriers" not in VARIANTS
    v = VARIANTS["live_flag_unlocked"]
    assert v.not_kernel and "btf_module_mutex" in v.title
    cfg = parse_options(["live_flag_unlocked"]).config()
    assert not cfg.live_flag_locked and cfg.weak_memory
    assert Config().live_flag_locked and not Config().weak_memory


def test_the_flag_store_waits_behind_the_table_stores_with_the_mutex() -> None:
    sc = load_scenario("live_flag_ordering")
    r = run(sc, parse_options(), "L62", complete=False)
    targets = [st.target for st in r.final.world.pending]
    assert targets[-1] == LiveFlag("nf_conntrack") and len(targets) == 10
    assert all(not isinstance(t, LiveFlag) for t in targets[:-1])
    # without the mutex the flag is visible at once, ahead of the buffered table stores
    r = run(sc, parse_options(["live_flag_unlocked"]), "L62", complete=False)
    assert all(not isinstance(st.target, LiveFlag) for st in r.final.world.pending)
    assert r.final.world.btf_module_entry("nf_conntrack").flags == 1  # type: ignore[union-attr]


# 2. the verifier log -------------------------------------------------------------------------


def test_no_text_anywhere_says_failed_to_get_reference() -> None:
    for p, text in _texts():
        if p.name == "test_fidelity.py":
            continue
        assert "failed to get reference" not in text, p


def test_enxio_has_no_log_line_of_its_own_add_kfunc_call_logs() -> None:
    r = run(load_scenario("module_race"), parse_options(), "L4V*", complete=False)
    assert r.outcome["verifier"] == "ENXIO"
    find = next(x for x in r.records if x.func == "__find_kfunc_desc_btf" and x.pc == "got")
    assert all("verifier log" not in e.text for e in find.events)
    add = next(x for x in r.records if x.func == "add_kfunc_call" and x.pc == "found")
    assert any("failed to find BTF for kernel function" in e.text for e in add.events)


# 3. nf_conntrack's shared arrays -------------------------------------------------------------


def test_nf_conntrack_cells_alias_the_kernels_shared_arrays() -> None:
    sess = Session(load_scenario("module_race"))
    sess.load_schedule("L63")
    snap = snapshot(sess)
    tv = next(t for t in snap.tables if t.btf == "nf_conntrack")
    cells = {f"{c.hook}/{c.type}": c for row in tv.rows for c in row}
    acq = {"XDP/ACQUIRE", "TC/ACQUIRE", "XDP/RET_NULL", "TC/RET_NULL"}
    assert len({cells[k].addr for k in acq}) == 1
    assert cells["XDP/ACQUIRE"].symbol == "nf_ct_acquire_kfunc_ids" and cells["TC/ACQUIRE"].cnt == 2
    assert set(cells["XDP/ACQUIRE"].shared_with) == acq - {"XDP/ACQUIRE"}
    assert cells["XDP/RELEASE"].addr == cells["TC/RELEASE"].addr and cells["TC/RELEASE"].cnt == 1
    assert cells["XDP/RELEASE"].shared_with == ("TC/RELEASE",)
    assert cells["XDP/CHECK"].addr != cells["TC/CHECK"].addr and not cells["XDP/CHECK"].shared_with
    dot = pointer_graph(snap)
    assert dot.count('"arr_nf_conntrack:nf_ct_acquire_kfunc_ids" [label=<') == 1
    assert dot.count('-> "arr_nf_conntrack:nf_ct_acquire_kfunc_ids"') == 4
    assert "one array, 4 cells" in dot and "one array, 2 cells" in dot


# 4. test_run at v5.18, and every scenario names its snapshot -------------------------------------


def test_boot_tcp_shows_v518_test_run_sets() -> None:
    sc = load_scenario("boot_tcp")
    s = sc.sets["bpf_prog_test_kfunc_set"]
    assert len(s.kfuncs[0]) == 14 and s.kfuncs[1] == ("bpf_kfunc_call_test_acquire",)
    assert s.kfuncs[2] == ("bpf_kfunc_call_test_release",)
    assert s.kfuncs[3] == ("bpf_kfunc_call_test_acquire",)


@pytest.mark.parametrize("name", builtin_names())
def test_every_scenario_names_its_kernel_snapshot(name: str) -> None:
    sc = load_scenario(name)
    assert re.fullmatch(r"v5\.1[68]( \(.+\))?", sc.snapshot), sc.snapshot
    sess = Session(sc, parse_options((), sc.default_faults))
    assert snapshot(sess).kernel == sc.snapshot


def test_weak_cpu_and_config_show_in_the_snapshot() -> None:
    assert load_scenario("live_flag_ordering").snapshot == "v5.18 (weakly ordered CPU)"
    assert load_scenario("module_no_btf_config").snapshot == \
        "v5.18 (CONFIG_DEBUG_INFO_BTF_MODULES=n)"


# 5. missing module BTF and the config ----------------------------------------------------------


def test_missing_module_btf_is_enoent_with_pr_err_only_with_the_config() -> None:
    r = run(load_scenario("module_no_btf"), parse_options())
    assert r.outcome == {"loader": "ENOENT"}
    assert any("pr_err: missing module BTF, cannot register kfuncs" in e.text
               for x in r.records for e in x.events)
    r = run(load_scenario("module_no_btf_config"), parse_options())
    assert r.outcome == {"loader": "OK"}
    assert not any("pr_err" in e.text for x in r.records for e in x.events)


def test_vmlinux_without_config_debug_info_btf_registers_nothing() -> None:
    w = add_id_set(empty_world(Config(debug_info_btf=False)), "s", (1, 2), region="vmlinux")
    kset = make_kset("k", None, {BtfKfuncType.BTF_KFUNC_TYPE_CHECK: "s"})
    res = register_btf_kfunc_id_set(w, int(BpfProgType.BPF_PROG_TYPE_SCHED_CLS), kset)
    assert res.value == 0 and res.world.btf("vmlinux").kfunc_set_tab is None


# 8. check_kfunc_call: RELEASE inside btf_check_kfunc_arg_match, RET_NULL only for struct ptrs ---


def _asked(name: str) -> list[tuple[str, ...]]:
    r = run(load_scenario(name), parse_options())
    out = []
    sess = Session(load_scenario(name))
    sess.load_schedule(r.schedule)
    for i, rec in enumerate(r.records):
        if rec.func == "btf_kfunc_id_set_contains":
            st = sess.states[i]
            stack = tuple(f.func for f in st.thread(rec.letter).stack)
            out.append(stack)
    return out


def test_release_is_asked_inside_arg_match_and_ret_null_only_for_a_struct_pointer() -> None:
    ct = _asked("module_race")  # bpf_skb_ct_lookup returns struct nf_conn *
    assert len(ct) == 4
    assert "btf_check_kfunc_arg_match" in ct[2] and "btf_check_kfunc_arg_match" not in ct[1]
    tcp = _asked("boot_tcp")  # tcp_reno_ssthresh returns u32: no RET_NULL lookup
    assert len(tcp) == 3 and "btf_check_kfunc_arg_match" in tcp[2]


def test_enum_btf_kfunc_hook_is_said_to_live_in_btf_c() -> None:
    import explorer.model.constants as c

    doc = c.__doc__ or ""
    assert "``enum btf_kfunc_hook`` (kernel/bpf/btf.c" in " ".join(doc.split())


# 9. v5.16 has no BTF_MODULE_F_LIVE ---------------------------------------------------------------


def test_old_api_views_show_no_live_flag() -> None:
    sess = Session(load_scenario("old_api"))
    sess.load_schedule("L7V*")
    snap = snapshot(sess)
    assert snap.modules and not snap.modules[0].has_live_flag
    dot = module_state_machine(snap)
    assert "sets BTF_MODULE_F_LIVE" not in dot and "no BTF_MODULE_F_LIVE" in dot
    texts = [e.text for r in sess.records for e in r.events]
    assert not any("flag not yet set" in t for t in texts)


# the text that disagreed with the screen ----------------------------------------------------------


def test_no_live_check_trace_does_not_say_coming_after_live() -> None:
    r = run(load_scenario("module_race"), parse_options(["no_live_check"]), "L60V*",
            complete=False)
    texts = [e.text for x in r.records for e in x.events if "try_module_get" in e.text]
    assert texts and all("still COMING" not in t for t in texts)
    assert any("MODULE_STATE_LIVE, flag not yet set" in t for t in texts)


def test_a_finished_sort_shows_a_and_n_zero() -> None:
    sess = Session(load_scenario("boot_tcp"))
    sess.load_schedule("B159")
    arr = snapshot(sess).array
    assert arr is not None and arr.kind == "sort" and not arr.active
    assert (arr.heap_a, arr.heap_n) == (0, 0)


def test_pahole_and_decl_tag_facts() -> None:
    for p, text in _texts():
        assert "1.25-era" not in text, p
    lesson = next(ls for ls in load_lessons() if ls.order == 8)
    assert any("pahole ≥ 1.27" in p.text and "6.11" in p.text for p in lesson.pages)


def test_every_builtin_scenario_file_states_its_kernel_snapshot() -> None:
    """No scenario leans on the default: each file says which kernel it shows."""
    for p in sorted((ROOT / "explorer" / "scenarios").glob("*.toml")):
        if p.stem == "kfunc_ids":
            continue
        assert re.search(r'^kernel = "5\.1[68]"$', p.read_text(encoding="utf-8"), re.M), p.name


def test_only_the_table_an_error_path_freed_is_called_freed() -> None:
    """module_twice frees bpf_testmod's table; vmlinux's was never allocated, and must not be
    labelled "freed on the error path" (the Table panel said so for every NULL table)."""
    from explorer.views.controller import Controller

    c = Controller("module_twice")
    c.load_schedule("L27")
    tabs = {t.btf: t for t in c.snapshot().tables}
    assert tabs["bpf_testmod"].tab is None and tabs["bpf_testmod"].freed_before
    assert tabs["vmlinux"].tab is None and not tabs["vmlinux"].freed_before
    c.load_schedule("L20")  # before the second registration: nothing freed yet
    assert not any(t.freed_before for t in c.snapshot().tables)
    e = Controller("e2big")
    e.load_schedule("B246")
    assert {t.btf: t.freed_before for t in e.snapshot().tables} == {"vmlinux": True}
